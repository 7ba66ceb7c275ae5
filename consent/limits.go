package consent

import "strconv"

// Limits on JSON documents decoded by this package, so that a hostile
// import cannot exhaust memory or the stack. A document over a limit fails
// with a [*FieldError] wrapping [ErrTooLarge].
const (
	// MaxJSONSize is the largest JSON document (a contact with its records
	// and relationship, a record, a ledger) that is decoded.
	MaxJSONSize = 8 << 20
	// MaxJSONDepth is the deepest nesting of arrays and objects accepted.
	// A contact needs 4.
	MaxJSONDepth = 16
)

// checkJSONLimits rejects a document larger than MaxJSONSize or nested
// deeper than MaxJSONDepth, before any decoding.
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
			if depth++; depth > MaxJSONDepth {
				return &FieldError{Err: ErrTooLarge, Msg: "JSON nested deeper than " + strconv.Itoa(MaxJSONDepth) + " levels"}
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return nil
}
