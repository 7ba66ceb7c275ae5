package consent

import (
	"errors"
	"strconv"

	"github.com/sendright/sendright/internal/enum"
	"github.com/sendright/sendright/internal/fielderr"
	"github.com/sendright/sendright/internal/strictjson"
)

// Sentinel conditions. Errors returned by this package wrap one of them, so
// callers branch with errors.Is and never parse strings.
var (
	// ErrMissing: a required field is empty or zero.
	ErrMissing = fielderr.ErrMissing()
	// ErrInvalid: a field holds a value that cannot be right (an impossible
	// date, a malformed address, a grant for all channels, …).
	ErrInvalid = fielderr.ErrInvalid()
	// ErrUnknownValue: text outside a closed vocabulary. Always carried by
	// an [*UnknownValueError].
	ErrUnknownValue = enum.ErrUnknownValue()
	// ErrConflict: two records share an id but differ. Always carried by a
	// [*ConflictError].
	ErrConflict = errors.New("conflicting records")
	// ErrTooLarge: an input exceeds a documented limit.
	ErrTooLarge = fielderr.ErrTooLarge()
	// ErrDuplicateKey: a JSON object names one member twice. encoding/json
	// would let the last one win, so a withdrawal ending in a second
	// "status":"granted" would decode as a grant; every decoder of this
	// module refuses it instead. The [*FieldError] carrying it names the
	// key. errors.Is(err, ErrInvalid) also holds.
	ErrDuplicateKey = fielderr.ErrDuplicateKey()
	// ErrUnknownField: a JSON object has a member that is no field of the
	// type, including one that differs from a field's name only in case
	// ("Status" for "status"): keys are matched exactly. The [*FieldError]
	// carrying it names the key. errors.Is(err, ErrInvalid) also holds.
	ErrUnknownField = fielderr.ErrUnknownField()
)

// FieldError reports which field of a contact, record, message or address
// is wrong. Field is a dotted path such as "records[3].channel". Its Error
// text, "consent: FIELD: problem" (or "consent: problem" when no single
// field is at fault), never repeats an address, a phone number or other
// input that could be personal data, so it is safe to log: a rejected value
// is quoted only when it is a short identifier-like word (see
// [UnknownValueError]). Its Err wraps [ErrMissing], [ErrInvalid],
// [ErrUnknownValue] or [ErrTooLarge]; its Msg is the problem in words.
//
// The parsers of package [github.com/sendright/sendright/consent/address]
// fail with it too.
type FieldError = fielderr.FieldError

// quoteSafe quotes s when it may appear in an error message: a short
// identifier-like word, such as a mistyped enumeration value or country
// code. Anything else (an address, a phone number, free text) may be
// personal data and is withheld.
func quoteSafe(s string) string { return strictjson.Quote(s) }

func missing(field string) error { return &FieldError{Field: field, Err: ErrMissing} }

func invalid(field, msg string) error { return fielderr.Invalid(field, msg) }

// prefix re-roots a field error under a parent path ("records[2]" + ".channel").
func prefix(parent string, err error) error {
	var fe *FieldError
	if errors.As(err, &fe) {
		if fe.Field == "" {
			return fielderr.WithField(fe, parent)
		}
		return fielderr.WithField(fe, parent+"."+fe.Field)
	}
	return &FieldError{Field: parent, Err: err}
}

// ConflictError reports records that claim one id with different content.
// A ledger never chooses silently between them and never drops one: it
// stores them under derived ids (see [Ledger.Append]) and reports it with
// a ConflictError, returned after the records were added.
type ConflictError struct {
	// ID is the first id concerned, in sorted order.
	ID string
	// Conflicts lists every id concerned, sorted.
	Conflicts []Conflict
}

// Conflict is one id claimed by records with different content.
type Conflict struct {
	// ID is the id the records claimed.
	ID string
	// Derived lists, sorted, the derived ids now used by records that
	// claimed ID: every withdrawal and objection, and every grant when
	// more than one grant claimed it. A single grant keeps ID.
	Derived []string
}

// Error implements error.
func (e *ConflictError) Error() string {
	if len(e.Conflicts) > 1 {
		return "consent: " + strconv.Itoa(len(e.Conflicts)) + " ids, first " + quoteSafe(e.ID) +
			", claimed by records with different content: stored under derived ids"
	}
	return "consent: record " + quoteSafe(e.ID) + ": versions with different content: stored under derived ids"
}

// Unwrap returns [ErrConflict].
func (e *ConflictError) Unwrap() error { return ErrConflict }
