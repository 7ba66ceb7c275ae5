package rights

import (
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/internal/decode"
	"github.com/sendright/sendright/internal/enum"
)

// strictJSON decodes b into v as strictly as package consent decodes: keys
// match exactly and appear once, unknown keys are errors, and errors are
// [*consent.FieldError]s that never repeat the input.
func strictJSON(b []byte, v any) error { return decode.JSON(b, v) }

func missing(field string) error {
	return &consent.FieldError{Field: field, Err: consent.ErrMissing}
}

func invalid(field, msg string) error {
	return &consent.FieldError{Field: field, Err: consent.ErrInvalid, Msg: msg}
}

func enumErr(field, value string) error {
	return &consent.FieldError{Field: field, Err: enum.Unknown("", field, value)}
}
