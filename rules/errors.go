package rules

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Sentinel conditions wrapped by this package's errors.
var (
	// ErrInvalid: a rule file or a rule is malformed (an unknown field, a
	// missing citation, a condition that does not type-check, …). Every
	// [*Error] wraps it.
	ErrInvalid = errors.New("invalid rule")
)

// Error is one problem in a rule file, with its position. Line and Column
// are 1-based positions in File; zero when unknown.
type Error struct {
	File   string // the rule file's name ([Set.File]); "" when the problem is in no file
	Rule   string // the rule id, when the problem is in a rule
	Line   int    // 1-based line in File; zero when unknown
	Column int    // 1-based column in File; zero when unknown
	Msg    string // the problem in words
	// Field is the dotted path of the key at fault ("rules[2].condition")
	// when the problem is a key given twice, an unknown key or a value that
	// does not decode; "" otherwise.
	Field string
	// Err is the specific condition, when there is one:
	// [consent.ErrDuplicateKey] or [consent.ErrUnknownField]. Every Error
	// also wraps [ErrInvalid].
	Err error
}

// Error implements error: "rules: FILE:LINE:COL: rule ID: message".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("rules: ")
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
			if e.Column > 0 {
				fmt.Fprintf(&b, ":%d", e.Column)
			}
		}
		b.WriteString(": ")
	}
	if e.Rule != "" {
		fmt.Fprintf(&b, "rule %s: ", e.Rule)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns [ErrInvalid] and, when set, Err.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrInvalid}
	}
	return []error{ErrInvalid, e.Err}
}

// ErrorList is every problem found in one compilation, sorted by file and
// position. Use errors.As to get it, or to get the first [*Error].
type ErrorList []*Error

// Error implements error with the first problem and a count of the rest.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "rules: no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0].Error(), len(l)-1)
}

// Unwrap returns the individual errors, so errors.Is and errors.As see each.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Err returns l as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	slices.SortStableFunc(l, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	return l
}
