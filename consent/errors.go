package consent

import (
	"errors"
	"fmt"
)

// Sentinel conditions. Errors returned by this package wrap one of them, so
// callers branch with errors.Is and never parse strings.
var (
	// ErrMissing: a required field is empty or zero.
	ErrMissing = errors.New("missing")
	// ErrInvalid: a field holds a value that cannot be right (an impossible
	// date, a malformed address, a grant for all channels, …).
	ErrInvalid = errors.New("invalid")
	// ErrUnknownValue: text outside a closed vocabulary. Always carried by
	// an [*UnknownValueError].
	ErrUnknownValue = errors.New("unknown value")
	// ErrConflict: two records share an id but differ. Always carried by a
	// [*ConflictError].
	ErrConflict = errors.New("conflicting records")
	// ErrTooLarge: an input exceeds a documented limit.
	ErrTooLarge = errors.New("too large")
	// ErrChannelNotAddress: a channel name where an address or number was
	// expected, as in the "collected" list of an [Interaction], which
	// listed channels before it listed addresses. It wraps [ErrInvalid].
	ErrChannelNotAddress = fmt.Errorf("%w: a channel name where an address was expected", ErrInvalid)
)

// FieldError reports which field of a contact, record or message is wrong.
// Field is a dotted path such as "records[3].channel". Messages never repeat
// an address or a phone number, so they are safe to log.
type FieldError struct {
	Field string // the dotted path; "" when no single field is at fault
	Err   error  // wraps ErrMissing, ErrInvalid, ErrUnknownValue or ErrTooLarge
	Msg   string // the problem in words; when empty, Error describes Err
}

// Error implements error: "consent: FIELD: problem".
func (e *FieldError) Error() string {
	s := "consent: " + e.Field + ": "
	if e.Msg != "" {
		return s + e.Msg
	}
	var u *UnknownValueError
	if errors.As(e.Err, &u) {
		return fmt.Sprintf("%sunknown %s %q", s, u.Type, clip(u.Value))
	}
	return s + e.Err.Error()
}

// Unwrap returns the underlying condition.
func (e *FieldError) Unwrap() error { return e.Err }

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

func missing(field string) error { return &FieldError{Field: field, Err: ErrMissing} }

func invalid(field, msg string) error {
	return &FieldError{Field: field, Err: ErrInvalid, Msg: msg}
}

// prefix re-roots a field error under a parent path ("records[2]" + ".channel").
func prefix(parent string, err error) error {
	var fe *FieldError
	if errors.As(err, &fe) {
		c := *fe
		if c.Field == "" {
			c.Field = parent
		} else {
			c.Field = parent + "." + c.Field
		}
		return &c
	}
	return &FieldError{Field: parent, Err: err}
}

// ConflictError reports two records with one id and different content. A
// ledger never chooses silently between them.
type ConflictError struct {
	// ID is the id the two records share.
	ID string
}

// Error implements error.
func (e *ConflictError) Error() string {
	return fmt.Sprintf("consent: record %q: two versions with different content", clip(e.ID))
}

// Unwrap returns [ErrConflict].
func (e *ConflictError) Unwrap() error { return ErrConflict }
