package consent

import (
	"strconv"

	"github.com/sendright/sendright/internal/limits"
)

// Limits on JSON documents decoded by this package, so that a hostile
// import cannot exhaust memory or the stack: at most MaxJSONSize bytes,
// arrays and objects nested at most 16 deep (a contact needs 4). A document
// over a limit fails with a [*FieldError] wrapping [ErrTooLarge].
const (
	// MaxJSONSize is the largest JSON document (a contact with its records
	// and relationship, a record, a ledger) that is decoded.
	MaxJSONSize = limits.MaxJSONSize
	// maxJSONDepth is the deepest nesting of arrays and objects accepted.
	// A contact needs 4.
	maxJSONDepth = 16
)

// checkJSONLimits rejects a document larger than MaxJSONSize or nested
// deeper than maxJSONDepth, before any decoding.
func checkJSONLimits(b []byte) error {
	if len(b) > MaxJSONSize {
		return &FieldError{Err: ErrTooLarge, Msg: "JSON document larger than " + strconv.Itoa(MaxJSONSize) + " bytes"}
	}
	depth, inString, escaped := 0, false, false
	for _, c := range b {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			if depth++; depth > maxJSONDepth {
				return &FieldError{Err: ErrTooLarge, Msg: "JSON nested deeper than " + strconv.Itoa(maxJSONDepth) + " levels"}
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return nil
}
