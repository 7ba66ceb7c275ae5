// Package strictjson decodes JSON as strictly as the module's types are
// defined: member names match field names exactly (a key differing only in
// case is unknown), a repeated member name is an error, unknown members are
// errors, and so are invalid UTF-8 and trailing data. It also describes a
// decoding error without repeating any of the input, which may hold an
// address or a phone number.
//
// encoding/json (v1) matches keys case-insensitively and lets the last of
// two equal keys win, so a withdrawal ending in "Status":"granted" decoded
// as a grant. This package uses github.com/go-json-experiment/json (the
// upstream of encoding/json/v2), which rejects both.
package strictjson

import (
	"errors"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Unmarshal decodes exactly one JSON value from b into v. Custom
// UnmarshalJSON and UnmarshalText methods of nested values are called as
// encoding/json calls them; the raw bytes they receive have already been
// checked for duplicate names.
func Unmarshal(b []byte, v any) error {
	return json.Unmarshal(b, v, json.RejectUnknownMembers(true))
}

// Kind classifies a decoding error.
type Kind uint8

// Kinds of decoding error.
const (
	Other     Kind = iota // not recognised; describe it without its text
	Syntax                // malformed JSON, invalid UTF-8 or trailing data
	Duplicate             // a member name used twice in one object
	Unknown               // a member name that is no field (including one differing in case)
	Type                  // a JSON value of the wrong kind for its field
	Value                 // a value a nested method or the time parser refused
)

// Problem describes a decoding error without any of the input's text.
type Problem struct {
	Kind Kind
	// Path is the dotted path of the value or member at fault, such as
	// "records[1].status"; "" for the whole document. A member name that
	// is not identifier-like (it might be personal data) is shown as "?".
	Path string
	// Offset is the byte offset of the error in the input.
	Offset int64
	// Cause is the error a nested UnmarshalJSON or UnmarshalText method
	// returned, or nil. It is the callee's error, unchanged: whether its
	// text is safe is the callee's business.
	Cause error
}

// Describe classifies err, as returned by [Unmarshal].
func Describe(err error) Problem {
	var syn *jsontext.SyntacticError
	var sem *json.SemanticError
	switch {
	case errors.As(err, &syn):
		p := Problem{Kind: Syntax, Path: Path(string(syn.JSONPointer)), Offset: syn.ByteOffset}
		if errors.Is(syn.Err, jsontext.ErrDuplicateName) {
			p.Kind = Duplicate
		}
		return p
	case errors.As(err, &sem):
		p := Problem{Kind: Value, Path: Path(string(sem.JSONPointer)), Offset: sem.ByteOffset, Cause: sem.Err}
		switch {
		case errors.Is(sem.Err, json.ErrUnknownName):
			p.Kind, p.Cause = Unknown, nil
		case sem.Err == nil:
			p.Kind = Type
		}
		return p
	}
	return Problem{Kind: Other}
}

// Message is a short description of p for an error message. It names the
// path's last member only through Path, never a value.
func (p Problem) Message() string {
	switch p.Kind {
	case Syntax:
		return "malformed JSON at byte " + strconv.FormatInt(p.Offset, 10)
	case Duplicate:
		return "key given twice"
	case Unknown:
		return "unknown field (keys are matched exactly, case included)"
	case Type:
		return "wrong JSON type"
	case Value:
		return "invalid value"
	}
	return "malformed JSON"
}

// Path turns a JSON pointer ("/records/1/status") into a dotted path
// ("records[1].status"). Member names that are not [Token]s are replaced by
// "?", so that a path never carries an address used as a key.
func Path(ptr string) string {
	if ptr == "" {
		return ""
	}
	var b strings.Builder
	for i, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		// An array index; at most six digits, so that a phone number used
		// as a member name is not shown as one.
		if n, err := strconv.Atoi(tok); err == nil && n >= 0 && strconv.Itoa(n) == tok && len(tok) <= 6 {
			b.WriteString("[" + tok + "]")
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		if Token(tok) {
			b.WriteString(tok)
		} else {
			b.WriteByte('?')
		}
	}
	return b.String()
}

// Token reports whether s may appear in an error message: a short
// identifier-like word of ASCII letters, digits, '_' and '-', with at most
// four digits in all (a phone number, however it is punctuated, has more)
// and no '@'. Anything else could be personal data and is withheld.
func Token(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	digits := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			if digits++; digits > 4 {
				return false
			}
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_', c == '-':
		default:
			return false
		}
	}
	return true
}

// Under returns field, the path a nested decoder gave, re-rooted at path,
// the position of the nested value in the document: "records[1]" and
// "status" give "records[1].status". A nested decoder may already name its
// own member, alone or under its own root: "contact.records" and
// "records[0].id" give "contact.records[0].id", "content" and
// "message.content" stay "message.content".
func Under(path, field string) string {
	// at reports whether name is a whole component sequence of field
	// ending a prefix of it: at the start or after a '.', and followed by
	// the end, a '.' or a '['.
	at := func(name string) bool {
		for i := 0; name != "" && i+len(name) <= len(field); i++ {
			j := strings.Index(field[i:], name)
			if j < 0 {
				return false
			}
			i += j
			end := i + len(name)
			if (i == 0 || field[i-1] == '.') && (end == len(field) || field[end] == '.' || field[end] == '[') {
				return true
			}
		}
		return false
	}
	i := strings.LastIndexAny(path, ".]") + 1 // where the last member name starts
	switch {
	case path == "" || strings.HasPrefix(field, path) && at(path):
		return field
	case at(path[i:]):
		if strings.HasPrefix(field, path[i:]) {
			return path[:i] + field
		}
		return field // under the nested decoder's own root
	case field == "":
		return path
	}
	return path + "." + field
}

// Quote returns s quoted when it is a [Token], and otherwise a note that it
// was withheld: the one way the module shows a rejected value in an error.
func Quote(s string) string {
	if Token(s) {
		return strconv.Quote(s)
	}
	return "(value withheld: it may be personal data)"
}
