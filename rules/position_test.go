package rules_test

import (
	"strings"
	"testing"

	"github.com/sendright/sendright/rules"
)

// Every character of a condition maps to the place in the file that wrote
// it, in every scalar style: to the character itself, to the backslash or
// first quote of the escape that decoded to it, or, for a line break or
// the space a folded line break became, to the end of a line. Positions
// only move forward.
func TestConditionPositionEveryCharacter(t *testing.T) {
	tests := []struct{ name, cond string }{
		{"plain", "request.category != 'café' && request.purpose == 'marketing'"},
		{"plain over two lines", "request.category != 'café' &&\n      request.purpose == 'marketing'"},
		{"single-quoted", `'request.sender.entity != "O''Neil" && request.purpose == ''marketing'''`},
		{"single-quoted quote pairs", `'request.sender.entity in ["''''", "a''''b"]'`},
		{"double-quoted", `"request.sender.entity != \"O'Neil\" && request.purpose == 'marketing'"`},
		{"double-quoted escapes", `"request.sender.entity != \"O\x27Ne\u0069l \U000000e9\t\\\" && request.category == 'e'"`},
		{"double-quoted escaped line break", "\"request.channel != 'post' && \\\n      request.purpose == 'marketing'\""},
		{"literal block", "|\n      request.channel != 'post' &&\n        request.purpose == 'marketing'"},
		{"literal block after a blank line", "|-\n\n      request.purpose == 'marketing'"},
		{"literal block with an indentation indicator", "|2-\n         request.purpose == 'marketing'"},
		{"folded block", ">\n      request.channel != 'post' &&\n      request.purpose == 'marketing'\n\n      || false"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := rules.Parse("fr.yaml", []byte(conditionFile(tc.cond)))
			if err != nil {
				t.Fatal(err)
			}
			checkConditionPositions(t, conditionFile(tc.cond), &s.Rules[0], true)
		})
	}
}

// FuzzConditionPosition writes anything as a condition's scalar: a
// condition that parses maps every character to a place in the file, in
// order.
func FuzzConditionPosition(f *testing.F) {
	for _, c := range []string{
		"request.purpose == 'marketing'",
		`'a''b'`, `"\x27\u00e9\U0001F600\t\\\""`, "\"a \\\n  b\"", "|\n  a\n\n  b", ">-\n  a\n   b\n  c", "|2+\n     a\n",
		`"\`, `"\x4"`, "plain\n  over\n\n  lines # comment",
	} {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, cond string) {
		src := conditionFile(cond)
		s, err := rules.Parse("fr.yaml", []byte(src))
		if err != nil || len(s.Rules) != 1 {
			return
		}
		checkConditionPositions(t, src, &s.Rules[0], false)
	})
}

// conditionFile is a rule file whose one rule's condition is the scalar
// cond, as written in YAML.
func conditionFile(cond string) string {
	return "jurisdiction: FR\ntitle: Test\nrules:\n  - id: FR_X\n    effect: deny\n    reason: X\n" +
		"    citation: Test\n    condition: " + cond + "\n"
}

// checkConditionPositions checks that r's condition maps, character by
// character, to strictly increasing places in src and, when exact, to the
// character itself, the escape that decoded to it, or the end of a line
// for a line break or the space a folded line break became.
func checkConditionPositions(t *testing.T, src string, r *rules.Rule, exact bool) {
	t.Helper()
	lines := strings.Split(src, "\n")
	line, col := 1, 0 // as CEL reports them
	var prev rules.Position
	for i, v := range r.Condition {
		p := r.ConditionPosition(line, col)
		if p.Line < prev.Line || p.Line == prev.Line && p.Column <= prev.Column {
			t.Fatalf("character %d (%q) of %q at %v, not after %v", i, v, r.Condition, p, prev)
		}
		prev = p
		if p.Line < 1 || p.Line > len(lines) {
			t.Fatalf("character %d (%q) of %q at %v, outside the file", i, v, r.Condition, p)
		}
		at := []rune(lines[p.Line-1])
		if p.Column < 1 || p.Column > len(at)+1 {
			t.Fatalf("character %d (%q) of %q at %v, outside line %q", i, v, r.Condition, p, lines[p.Line-1])
		}
		switch {
		case !exact:
		case p.Column <= len(at) && (at[p.Column-1] == v || at[p.Column-1] == '\\'):
		case p.Column == len(at)+1 && (v == '\n' || v == ' '):
		default:
			t.Errorf("character %d (%q) of %q mapped to %v, which holds %q", i, v, r.Condition, p, string(at[min(p.Column-1, len(at)):]))
		}
		if v == '\n' {
			line, col = line+1, 0
		} else {
			col++
		}
	}
}
