package rules

import "strconv"

// Position is a place in a rule file: a 1-based line and column. The zero
// Position means unknown (a rule built in Go rather than parsed).
type Position struct {
	Line   int // 1-based line; zero when unknown
	Column int // 1-based column; zero when unknown
}

// String returns "LINE:COL", "LINE" when the column is unknown, or "" for
// the zero Position.
func (p Position) String() string {
	switch {
	case p.Line <= 0:
		return ""
	case p.Column <= 0:
		return strconv.Itoa(p.Line)
	}
	return strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Column)
}

// Position returns where the rule's item starts in its file; zero when
// unknown.
func (r *Rule) Position() Position { return Position{r.line, r.column} }

// ConditionPosition maps a place in the rule's condition, given as CEL
// reports it (a 1-based line and a 0-based column within the condition's
// text), to its position in the rule file, whatever the YAML scalar style
// the condition was written in. Without recorded positions it returns
// [Rule.Position].
func (r *Rule) ConditionPosition(line, col int) Position {
	i, l := 0, 1
	for _, ch := range r.Condition {
		if l == line {
			break
		}
		if ch == '\n' {
			l++
		}
		i++
	}
	i += col
	switch {
	case len(r.cond.at) == 0:
		return r.Position()
	case i >= len(r.cond.at):
		i = len(r.cond.at) - 1
	case i < 0:
		i = 0
	}
	return Position{int(r.cond.at[i][0]), int(r.cond.at[i][1])}
}

// ObligationPosition returns where the set's i-th obligation (in
// Obligations) starts in its file; zero when unknown.
func (s *Set) ObligationPosition(i int) Position {
	return s.keyPosition("obligations[" + strconv.Itoa(i) + "]")
}

// keyPosition returns the position of a set-level key or list item, named
// by its dotted path ("jurisdiction", "parameters.minor_consent",
// "channels[2]", "obligations[0]"); zero when unknown.
func (s *Set) keyPosition(key string) Position {
	p := s.pos[key]
	return Position{p[0], p[1]}
}
