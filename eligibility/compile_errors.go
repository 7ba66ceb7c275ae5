package eligibility

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"cel.dev/cel-go/common/ast"
)

// span is a part of a condition's text, as CEL locates it: a 1-based
// line, a 0-based column (in characters) and a width of at least one
// character on that line.
type span struct{ line, col, width int }

// exprSpan returns the span in cond of the expression with the given
// id: its first character and, when it ends on the same line, its
// length (CEL places a call at its opening parenthesis and a selection at
// its dot, as the error's column does). ok is false when the source info does
// not know the expression.
func exprSpan(info *ast.SourceInfo, cond string, id int64) (span, bool) {
	if info == nil || id == 0 {
		return span{}, false
	}
	o, found := info.GetOffsetRange(id)
	if !found {
		return span{}, false
	}
	start := info.GetStartLocation(id)
	sp := span{line: start.Line(), col: start.Column(), width: 1}
	lines := strings.Split(cond, "\n")
	if sp.line < 1 || sp.line > len(lines) {
		return sp, true
	}
	line := []rune(lines[sp.line-1])
	if sp.col < 0 || sp.col >= len(line) {
		return sp, true
	}
	// The parser measures a token's length in bytes: count the characters
	// that many bytes make, on this line.
	n, w := int(o.Stop-o.Start), 0
	for i := sp.col; i < len(line) && n > 0; i++ {
		n -= utf8.RuneLen(line[i])
		w++
	}
	sp.width = max(1, w)
	return sp, true
}

// wholeFirstLine is the span of the first line of cond that holds
// anything, without its indentation: where problems of the whole
// condition point.
func wholeFirstLine(cond string) span {
	for i, l := range strings.Split(cond, "\n") {
		t := strings.TrimLeft(l, " \t\r")
		if t == "" {
			continue
		}
		t = strings.TrimRight(t, " \t\r")
		return span{line: i + 1, col: utf8.RuneCountInString(l) - utf8.RuneCountInString(strings.TrimLeft(l, " \t\r")),
			width: max(1, utf8.RuneCountInString(t))}
	}
	return span{line: 1, width: 1}
}

// snippetContext is how many characters of a long line a snippet keeps
// on each side of the part at fault.
const snippetContext = 60

// snippet renders the line of cond that sp is on and, under it, a caret
// under sp's first character and tildes under the rest ("^~~~"). Tabs are
// shown as spaces, so that the caret lines up; a long line is cut to
// snippetContext characters around the part at fault, marked by "…".
func snippet(cond string, sp span) string {
	lines := strings.Split(cond, "\n")
	if sp.line < 1 || sp.line > len(lines) {
		return ""
	}
	line := []rune(strings.TrimRight(lines[sp.line-1], "\r"))
	for i, r := range line {
		if r == '\t' {
			line[i] = ' '
		}
	}
	col := min(max(sp.col, 0), len(line))
	width := max(1, min(sp.width, len(line)-col))
	from, to := max(0, col-snippetContext), min(len(line), col+width+snippetContext)
	var text, marks strings.Builder
	if from > 0 {
		text.WriteString("…")
		marks.WriteString(" ")
	}
	text.WriteString(string(line[from:to]))
	if to < len(line) {
		text.WriteString("…")
	}
	marks.WriteString(strings.Repeat(" ", col-from))
	marks.WriteString("^")
	marks.WriteString(strings.Repeat("~", width-1))
	return strings.TrimRight(text.String(), " ") + "\n" + marks.String()
}

// nearest returns the value of values closest to s by edit distance
// (insertions, deletions and substitutions of characters, a change of
// case counting as half of one, so that a value differing only in case is
// preferred), the first of the closest in values' order, when it is close
// enough to be a misspelling of it: differing only in case, or at most two
// edits or a third of s's length away. "" when none is.
func nearest(s string, values []string) string {
	best, bestD := "", -1
	for _, v := range values {
		if strings.EqualFold(s, v) {
			return v
		}
		if d := editDistance(s, v); bestD < 0 || d < bestD {
			best, bestD = v, d
		}
	}
	if bestD < 0 || bestD > 2*max(2, utf8.RuneCountInString(s)/3) {
		return ""
	}
	return best
}

// didYouMean is the end of a message about s, a value outside values: a
// suggestion of the nearest, or the list of them all when none is near.
func didYouMean(s string, values []string) string {
	if n := nearest(s, values); n != "" {
		return fmt.Sprintf(": did you mean %q?", n)
	}
	return " (want one of " + strings.Join(values, ", ") + ")"
}

// editDistance is the Levenshtein distance between a and b in characters,
// doubled, where substituting a character by itself in another case
// costs 1 (half a substitution).
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev, cur := make([]int, len(rb)+1), make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = 2 * j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = 2 * i
		for j := 1; j <= len(rb); j++ {
			sub := 2
			switch {
			case ra[i-1] == rb[j-1]:
				sub = 0
			case strings.EqualFold(string(ra[i-1]), string(rb[j-1])):
				sub = 1
			}
			cur[j] = min(prev[j]+2, cur[j-1]+2, prev[j-1]+sub)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
