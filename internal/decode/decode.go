// Package decode is the strict JSON decoder of the packages built on
// consent (rules, eligibility, consent/rights and the scenario files):
// [strictjson] rules, with errors as [*consent.FieldError]s that wrap
// consent's sentinels and never repeat the input.
package decode

import (
	"errors"
	"strconv"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/internal/strictjson"
)

// MaxSize is the largest document decoded: a contact at its limit plus a
// message and the envelope of a request.
const MaxSize = consent.MaxJSONSize + 1<<16

// JSON decodes exactly one JSON value from b into v: keys match field names
// exactly and appear once, unknown keys, invalid UTF-8 and trailing data are
// errors. Errors are [*consent.FieldError]s naming the field.
func JSON(b []byte, v any) error {
	if len(b) > MaxSize {
		return &consent.FieldError{Err: consent.ErrTooLarge,
			Msg: "JSON document larger than " + strconv.Itoa(MaxSize) + " bytes"}
	}
	if err := strictjson.Unmarshal(b, v); err != nil {
		return Err(err)
	}
	return nil
}

// Err converts an error of [strictjson.Unmarshal] into a
// [*consent.FieldError]. The error of a nested decoder is kept, re-rooted
// at the nested value's path; any other cause is described without its
// text, which may quote the input.
func Err(err error) error {
	p := strictjson.Describe(err)
	var fe *consent.FieldError
	if errors.As(err, &fe) {
		return under(p.Path, fe)
	}
	var ue *consent.UnknownValueError
	if errors.As(err, &ue) {
		f := p.Path
		if f == "" {
			f = ue.Type
		}
		return &consent.FieldError{Field: f, Err: ue}
	}
	switch p.Kind {
	case strictjson.Duplicate:
		return &consent.FieldError{Field: p.Path, Err: consent.ErrDuplicateKey}
	case strictjson.Unknown:
		return &consent.FieldError{Field: p.Path, Err: consent.ErrUnknownField, Msg: p.Message()}
	}
	return &consent.FieldError{Field: p.Path, Err: consent.ErrInvalid, Msg: p.Message()}
}

// under re-roots fe at path (see [strictjson.Under]).
func under(path string, fe *consent.FieldError) *consent.FieldError {
	f := strictjson.Under(path, fe.Field)
	if f == fe.Field {
		return fe
	}
	c := *fe
	c.Field = f
	return &c
}
