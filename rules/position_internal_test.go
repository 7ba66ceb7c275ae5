package rules

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// slowPos is the former condPos, with ints.
type slowPos struct{ at [][2]int }

// slowMapCondition is mapCondition as it was before it stopped at the
// node after the scalar: it reads the source from the scalar to the end of
// the file for every condition, which made Parse quadratic. It is kept
// here, unchanged, as the reference the linear version must agree with.
func slowMapCondition(lines [][]byte, n *yaml.Node, value string) slowPos {
	line, col := n.Line, n.Column
	switch {
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		line, col = n.Line+1, 1 // the text starts on the next line
	case n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0:
		col++ // after the opening quote
	}
	type src struct {
		r         rune
		line, col int
	}
	var text []src
	for l := line; l <= len(lines); l++ {
		rs := []rune(string(lines[l-1]))
		for c := 1; c <= len(rs); c++ {
			if l == line && c < col {
				continue
			}
			r, width := rs[c-1], 1
			switch {
			case n.Style&yaml.SingleQuotedStyle != 0 && r == '\'' && c < len(rs) && rs[c] == '\'':
				width = 2
			case n.Style&yaml.DoubleQuotedStyle != 0 && r == '\\':
				r, width = unescape(rs[c:])
				if width == 1 { // an escaped line break: decodes to nothing
					c = len(rs)
					continue
				}
			}
			text = append(text, src{r, l, c})
			c += width - 1
		}
		text = append(text, src{'\n', l, len(rs) + 1})
	}
	var out slowPos
	i := 0
	for _, v := range value {
		j := i
		for j < len(text) && text[j].r != v && !(v == ' ' && text[j].r == '\n') {
			j++
		}
		if j == len(text) { // not found: stay where we are
			out.at = append(out.at, [2]int{text[min(i, len(text)-1)].line, text[min(i, len(text)-1)].col})
			continue
		}
		out.at = append(out.at, [2]int{text[j].line, text[j].col})
		i = j + 1
	}
	return out
}

// FuzzMapConditionAgainstSlow writes anything as the condition of rules
// placed as in real files (the last node of the file, before another key
// of the rule, before the next rule, before a top-level key, in a flow
// mapping) and checks that every character of every condition Parse
// accepts is mapped where the reference puts it. Where the reference maps
// a character past the node that follows the scalar (into another key:
// a defect of the reference, which only a character missing from the
// scalar's source can cause), the linear version keeps it before that
// node instead.
func FuzzMapConditionAgainstSlow(f *testing.F) {
	for _, c := range []string{
		"request.purpose == 'marketing'",
		"request.category != 'café' &&\n      request.purpose == 'marketing'",
		`'a''b'`, `"\x27\u00e9\U0001F600\t\\\""`, "\"a \\\n  b\"", "|\n  a\n\n  b", ">-\n  a\n   b\n  c", "|2+\n     a\n\n",
		"|+\n  a\n\n# comment\n", "plain\n  over\n\n  lines # comment", `"\N\_\L\P"`, "'x'  # trailing comment",
	} {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, cond string) {
		head := "jurisdiction: FR\ntitle: Test\nrules:\n"
		rule := "  - id: FR_X\n    effect: deny\n    reason: X\n    citation: Test\n    condition: " + cond + "\n"
		for _, src := range []string{
			head + rule,
			head + rule + "    note: n\n",
			head + rule + strings.Replace(rule, "FR_X", "FR_Y", 1),
			head + rule + "extends: EU\n",
			head + "  - {id: FR_X, effect: deny, condition: " + cond + ", reason: X}\n",
		} {
			compareWithSlow(t, src)
		}
	})
}

// compareWithSlow parses src and compares the positions Parse recorded for
// each rule's condition with the reference's.
func compareWithSlow(t *testing.T, src string) {
	t.Helper()
	s, err := Parse("fr.yaml", []byte(src))
	if err != nil {
		return
	}
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(src), &root); err != nil {
		t.Fatalf("Parse accepted what yaml.v3 refuses: %v", err)
	}
	lines := strings.Split(src, "\n")
	byteLines := make([][]byte, len(lines))
	for i, l := range lines {
		byteLines[i] = []byte(l)
	}
	// The nodes in document order, to find the one after each condition.
	var order []*yaml.Node
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		order = append(order, n)
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&root)
	index := make(map[*yaml.Node]int, len(order))
	for i, n := range order {
		index[n] = i
	}
	// The condition values, rule by rule: nil for an item without one (an
	// empty item "-" parses as a rule that Check then refuses).
	var conds []*yaml.Node
	if doc := root.Content; len(doc) == 1 && doc[0].Kind == yaml.MappingNode {
		for k := 0; k+1 < len(doc[0].Content); k += 2 {
			if doc[0].Content[k].Value != "rules" || doc[0].Content[k+1].Kind != yaml.SequenceNode {
				continue
			}
			for _, item := range doc[0].Content[k+1].Content {
				var c *yaml.Node
				for j := 0; item.Kind == yaml.MappingNode && j+1 < len(item.Content); j += 2 {
					if item.Content[j].Value == "condition" {
						c = item.Content[j+1]
					}
				}
				conds = append(conds, c)
			}
		}
	}
	if len(conds) != len(s.Rules) {
		t.Fatalf("%d rule items in\n%s\nfor %d rules", len(conds), src, len(s.Rules))
	}
	for k, c := range conds {
		if c == nil {
			continue
		}
		var end [2]int // the node after the condition; zero: none
		if i := index[c]; i+1 < len(order) {
			end = [2]int{order[i+1].Line, order[i+1].Column}
		}
		got, want := s.Rules[k].cond.at, slowMapCondition(byteLines, c, c.Value).at
		before := func(p [2]int) bool {
			return end[0] == 0 || p[0] < end[0] || p[0] == end[0] && p[1] < end[1]
		}
		inside := true
		for _, p := range want {
			inside = inside && before(p)
		}
		switch {
		case inside && !equalPositions(got, want):
			t.Fatalf("condition %q of\n%s\nmapped to %v, the reference to %v", c.Value, src, got, want)
		case !inside:
			for _, p := range got {
				if !before([2]int{int(p[0]), int(p[1])}) {
					t.Fatalf("condition %q of\n%s\nmapped to %v, past the next node at %v", c.Value, src, got, end)
				}
			}
		}
	}
}

func equalPositions(a [][2]int32, b [][2]int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if int(a[i][0]) != b[i][0] || int(a[i][1]) != b[i][1] {
			return false
		}
	}
	return true
}
