// Package enum is the one implementation of the module's closed
// enumerations, in the spirit of log/slog's Level: a small integer type
// whose text form is a fixed vocabulary. Every enumerated type of every
// package (consent's purposes and channels, rules' effects and bases,
// eligibility's verdicts, …) declares its vocabulary once as a [Names] and
// implements String, MarshalText and UnmarshalText with it, so all
// of them print, parse and fail the same way; the rule language derives
// its vocabularies from the same tables ([Members]).
//
// An unknown value is always an [*UnknownValueError], whose text withholds
// the value unless it is a short identifier-like word: a mistyped
// enumeration value is shown, an address or a phone number put in the
// wrong field is not.
package enum

import (
	"errors"
	"strconv"

	"github.com/sendright/sendright/internal/strictjson"
)

// Names is the vocabulary of one enumeration: text[v] is the text form of
// value v. An empty text marks a value that is not a member, except at
// index 0 when the zero value is declared a member (see [WithZero]).
type Names[T ~uint8] struct {
	pkg, typ string
	text     []string
	zero     bool    // the zero value is a member, named text[0] (possibly "")
	index    *lookup // the members by their texts' hash; nil: none
}

// New declares a vocabulary whose zero value is invalid: text[0] must be
// "", text[i] names value i. pkg prefixes error messages ("consent"; ""
// for none, when the caller places the error itself), typ names the
// vocabulary in them ("purpose").
func New[T ~uint8](pkg, typ string, text ...string) Names[T] {
	return indexed(Names[T]{pkg: pkg, typ: typ, text: text})
}

// WithZero declares a vocabulary whose zero value is a member named
// text[0], such as "none"; text[0] may be "" (an empty text form).
func WithZero[T ~uint8](pkg, typ string, text ...string) Names[T] {
	return indexed(Names[T]{pkg: pkg, typ: typ, text: text, zero: true})
}

// lookup finds a member by its text with one comparison: each slot, at
// the hash of a text, holds 1 + the value of the one member whose
// non-empty text has that hash, 0 when none has, or [shared] when
// several have (Parse then compares every member's text, as without an
// index). Decoding a list of contacts parses a few enumerations each.
type lookup [lookupSlots]uint16

const (
	lookupSlots = 128
	shared      = 0xFFFF
)

// hashText is the slot of lookup a non-empty text takes.
func hashText(s string) int {
	h := uint(len(s))
	h = h*131 + uint(s[0])
	h = h*131 + uint(s[len(s)/2])
	h = h*131 + uint(s[len(s)-1])
	return int((h ^ h>>7) % lookupSlots)
}

// indexed returns n with its lookup built.
func indexed[T ~uint8](n Names[T]) Names[T] {
	n.index = new(lookup)
	for i, t := range n.text {
		if t == "" || !n.Valid(T(i)) {
			continue
		}
		switch slot := &n.index[hashText(t)]; *slot {
		case 0:
			*slot = uint16(i + 1)
		default:
			*slot = shared
		}
	}
	return n
}

// Type is the vocabulary's name, e.g. "purpose".
func (n Names[T]) Type() string { return n.typ }

// Valid reports whether v is a member.
func (n Names[T]) Valid(v T) bool {
	if v == 0 {
		return n.zero && len(n.text) > 0
	}
	return int(v) < len(n.text) && n.text[v] != ""
}

// String returns v's text form, or "invalid(N)" for a value that is not a
// member.
func (n Names[T]) String(v T) string {
	if n.Valid(v) {
		return n.text[v]
	}
	return "invalid(" + strconv.Itoa(int(v)) + ")"
}

// Parse returns the member whose text form is s.
func (n Names[T]) Parse(s string) (T, error) {
	for i, t := range n.text {
		if t == s && n.Valid(T(i)) {
			return T(i), nil
		}
	}
	return 0, n.Unknown(s)
}

// Lookup returns the member whose text form is s, as Parse does, and
// whether there is one, without building an error: for decoders that
// parse many values, which compare s with one member's text (the one
// whose text has s's hash) where Parse compares it with each in turn. It
// takes n by pointer, which a decoder's hot loop would otherwise copy.
func (n *Names[T]) Lookup(s string) (T, bool) {
	if n.index != nil && s != "" {
		switch e := n.index[hashText(s)]; {
		case e == 0:
			return 0, false
		case e != shared:
			if n.text[e-1] == s {
				return T(e - 1), true
			}
			return 0, false
		}
	}
	v, err := n.Parse(s)
	return v, err == nil
}

// Marshal returns v's text form; a value that is not a member is an error.
func (n Names[T]) Marshal(v T) ([]byte, error) {
	if !n.Valid(v) {
		return nil, n.Unknown(n.String(v))
	}
	return []byte(n.text[v]), nil
}

// Unmarshal sets *p to the member named b; on error *p is unchanged.
func (n Names[T]) Unmarshal(p *T, b []byte) error {
	v, err := n.Parse(string(b))
	if err == nil {
		*p = v
	}
	return err
}

// Unknown returns the error for text s that names no member.
func (n Names[T]) Unknown(s string) error { return Unknown(n.pkg, n.typ, s) }

// Unknown returns the error for text s that names no member of the
// vocabulary typ of package pkg, for a vocabulary that is not a [Names]
// (country codes).
func Unknown(pkg, typ, s string) error { return &UnknownValueError{Type: typ, Value: s, pkg: pkg} }

// Vocabulary is an enumerated type whose methods are implemented with a
// [Names]: its members are exactly the values with a text form.
type Vocabulary interface {
	~uint8
	String() string
	MarshalText() ([]byte, error)
}

// Valid reports whether v is a member of its vocabulary: whether it has a
// text form. Packages whose types do not export a Valid method check
// another package's values with it (off the hot path: it allocates the
// text).
func Valid[T Vocabulary](v T) bool {
	_, err := v.MarshalText()
	return err == nil
}

// Members returns the members of T below limit (0: no limit), in value
// order, with their text forms: read through T's own methods, so another
// package (the rule language) derives a vocabulary without restating it.
func Members[T Vocabulary](limit T) (vals []T, text []string) {
	for i := 0; i < 256; i++ {
		v := T(i)
		if limit != 0 && v >= limit {
			break
		}
		if Valid(v) {
			vals, text = append(vals, v), append(text, v.String())
		}
	}
	return vals, text
}

// errUnknownValue is what every [*UnknownValueError] matches with
// errors.Is; consent exports it as ErrUnknownValue.
var errUnknownValue = errors.New("unknown value")

// ErrUnknownValue returns the sentinel every [*UnknownValueError] matches.
func ErrUnknownValue() error { return errUnknownValue }

// UnknownValueError reports text that is not a member of a closed
// vocabulary (a purpose, channel, effect, …). Its Error text quotes the
// value only when it is a short identifier-like word (letters, digits, '_'
// and '-', at most 40 bytes, at most four digits): an address or a phone
// number in the wrong field is withheld, so the message is safe to log.
type UnknownValueError struct {
	Type string // the vocabulary, e.g. "purpose"
	// Value is the text that was rejected, unchanged. It may be personal
	// data: log the error's text, not this field.
	Value string
	pkg   string
}

// Error implements error, withholding a value that may be personal data:
// `consent: unknown status "grant"`, or `consent: unknown status (value
// withheld: it may be personal data)`.
func (e *UnknownValueError) Error() string {
	s := "unknown " + e.Type + " " + strictjson.Quote(e.Value)
	if e.pkg != "" {
		s = e.pkg + ": " + s
	}
	return s
}

// Is reports whether target is the sentinel [ErrUnknownValue] returns, so callers can branch with
// errors.Is without a type assertion.
func (e *UnknownValueError) Is(target error) bool { return target == errUnknownValue }
