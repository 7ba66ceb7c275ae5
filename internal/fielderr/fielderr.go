// Package fielderr is the error shape shared by package consent and its
// subpackages: a [*FieldError] naming the faulty field and wrapping one of
// a few sentinel conditions. It lives here, not in consent, so that
// consent/address (which consent imports) fails with the same type and the
// same sentinels as consent itself: consent re-exports both, and a caller
// branches with errors.Is(err, consent.ErrInvalid) and errors.As(err,
// &fieldErr) wherever the error came from.
package fielderr

import (
	"errors"

	"github.com/sendright/sendright/internal/enum"
	"github.com/sendright/sendright/internal/strictjson"
)

// The sentinel conditions, which consent exports under the same names
// (through functions, so that no importer can reassign them).
var (
	errMissing  = errors.New("missing")
	errInvalid  = errors.New("invalid")
	errTooLarge = errors.New("too large")
)

// errDuplicateKey and errUnknownField are also errInvalid (see
// invalidKind).
var (
	errDuplicateKey error = invalidKind("duplicate key")
	errUnknownField error = invalidKind("unknown field")
)

// invalidKind is a sentinel that is also errInvalid, so that callers that
// branched on ErrInvalid for malformed input keep working.
type invalidKind string

func (e invalidKind) Error() string { return string(e) }

// Is reports whether target is errInvalid.
func (e invalidKind) Is(target error) bool { return target == errInvalid }

// ErrDuplicateKey returns the sentinel of a JSON key given twice.
func ErrDuplicateKey() error { return errDuplicateKey }

// ErrUnknownField returns the sentinel of a JSON key that names no field.
func ErrUnknownField() error { return errUnknownField }

// JSON decodes b into v strictly (see package internal/strictjson),
// converting a decoding error with [FromJSON].
func JSON(b []byte, v any) error {
	if err := strictjson.Unmarshal(b, v); err != nil {
		return FromJSON(err)
	}
	return nil
}

// FromJSON converts an error of strictjson.Unmarshal into a *FieldError
// that wraps the sentinels and never quotes the input. A *FieldError a
// nested decoder returned is kept, re-rooted at the nested value's path.
func FromJSON(err error) error {
	p := strictjson.Describe(err)
	var fe *FieldError
	if errors.As(err, &fe) {
		if f := strictjson.Under(p.Path, fe.Field); f != fe.Field {
			return WithField(fe, f)
		}
		return fe
	}
	var ue *enum.UnknownValueError
	if errors.As(err, &ue) {
		f := p.Path
		if f == "" {
			f = ue.Type
		}
		return &FieldError{Field: f, Err: ue}
	}
	switch p.Kind {
	case strictjson.Duplicate:
		return &FieldError{Field: p.Path, Err: errDuplicateKey}
	case strictjson.Unknown:
		return &FieldError{Field: p.Path, Err: errUnknownField, Msg: p.Message()}
	}
	return &FieldError{Field: p.Path, Err: errInvalid, Msg: p.Message()}
}

// ErrMissing returns the sentinel of a required field left empty or zero.
func ErrMissing() error { return errMissing }

// ErrInvalid returns the sentinel of a value that cannot be right.
func ErrInvalid() error { return errInvalid }

// ErrTooLarge returns the sentinel of an input over a documented limit.
func ErrTooLarge() error { return errTooLarge }

// FieldError reports which field of a contact, record, message or address
// is wrong. Field is a dotted path such as "records[3].channel". Its Error
// text never repeats an address, a phone number or other input that could
// be personal data, so it is safe to log: a rejected value is quoted only
// when it is a short identifier-like word (see [enum.UnknownValueError]).
type FieldError struct {
	Field string // the dotted path; "" when no single field is at fault
	Err   error  // wraps ErrMissing, ErrInvalid, ErrUnknownValue or ErrTooLarge
	Msg   string // the problem in words; when empty, Error describes Err
	pkg   string // the package named in Error; "" for consent
}

// Error implements error: "consent: FIELD: problem", or "consent: problem"
// when no single field is at fault; "address: problem" for an address
// parsed alone.
func (e *FieldError) Error() string {
	s := "consent: "
	if e.pkg != "" {
		s = e.pkg + ": "
	}
	if e.Field != "" {
		s += e.Field + ": "
	}
	if e.Msg != "" {
		return s + e.Msg
	}
	var u *enum.UnknownValueError
	if errors.As(e.Err, &u) {
		return s + "unknown " + u.Type + " " + strictjson.Quote(u.Value)
	}
	if e.Err == nil {
		return s + "invalid"
	}
	return s + e.Err.Error()
}

// Unwrap returns the underlying condition.
func (e *FieldError) Unwrap() error { return e.Err }

// Invalid returns a *FieldError for field wrapping ErrInvalid, explained
// by msg.
func Invalid(field, msg string) error {
	return &FieldError{Field: field, Err: errInvalid, Msg: msg}
}

// InvalidIn is [Invalid] for an error of package pkg ("address"), which
// its Error text names instead of consent.
func InvalidIn(pkg, field, msg string) error {
	return &FieldError{Field: field, Err: errInvalid, Msg: msg, pkg: pkg}
}

// WithField returns a copy of e for field, an error of package consent:
// the error of an address parsed as part of a contact or a record is the
// contact's.
func WithField(e *FieldError, field string) *FieldError {
	c := *e
	c.Field, c.pkg = field, ""
	return &c
}
