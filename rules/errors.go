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
	// Snippet shows a problem in a condition: the line of the condition
	// it is in and, under it, a caret (^) under the character at fault or
	// a caret and tildes (^~~~) under the part of the expression at fault.
	// Error prints it, indented, after the message. "" when the problem is
	// not in a condition.
	Snippet string
	// Want is every value the vocabulary allows, when the problem is a
	// value outside it (a misspelt purpose, channel or registry); the
	// message suggests only the nearest. Nil otherwise.
	Want []string
}

// Error implements error: "rules: FILE:LINE:COL: rule ID: message",
// followed by the snippet's lines, indented by four spaces, when there is
// one.
func (e *Error) Error() string {
	var b strings.Builder
	e.write(&b)
	return b.String()
}

// write writes the text of Error to b.
func (e *Error) write(b *strings.Builder) {
	e.writeHeader(b)
	if e.Snippet != "" {
		for l := range strings.SplitSeq(e.Snippet, "\n") {
			b.WriteString("\n    ")
			b.WriteString(l)
		}
	}
}

// writeHeader writes the error's one-line form, without the snippet.
func (e *Error) writeHeader(b *strings.Builder) {
	b.WriteString("rules: ")
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(b, ":%d", e.Line)
			if e.Column > 0 {
				fmt.Fprintf(b, ":%d", e.Column)
			}
		}
		b.WriteString(": ")
	}
	if e.Rule != "" {
		fmt.Fprintf(b, "rule %s: ", e.Rule)
	}
	b.WriteString(e.Msg)
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

// maxListed is how many problems [ErrorList.Error] prints.
const maxListed = 10

// Error implements error: every problem, one a line with its snippet
// (see [Error.Error]), up to ten, then a count of the rest.
func (l ErrorList) Error() string {
	if len(l) == 0 {
		return "rules: no errors"
	}
	var b strings.Builder
	for i, e := range l[:min(len(l), maxListed)] {
		if i > 0 {
			b.WriteByte('\n')
		}
		e.write(&b)
	}
	if len(l) > maxListed {
		fmt.Fprintf(&b, "\n(and %d more errors)", len(l)-maxListed)
	}
	return b.String()
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
