package consent

import (
	"bytes"
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
	// A document with few brackets, strings included, cannot nest too
	// deep; counting them is much faster than the scan below.
	if bytes.Count(b, []byte("{"))+bytes.Count(b, []byte("[")) <= maxJSONDepth {
		return nil
	}
	depth := 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			// Skip the string, to its closing quote: the first quote not
			// escaped, that is not preceded by an odd number of
			// backslashes. Most of a document is strings, and IndexByte
			// finds a quote faster than a byte-by-byte scan.
			for {
				j := bytes.IndexByte(b[i+1:], '"')
				if j < 0 {
					return nil // an unterminated string: the decoder reports it
				}
				i += 1 + j
				k := i
				for b[k-1] == '\\' {
					k--
				}
				if (i-k)%2 == 0 {
					break
				}
			}
		case '{', '[':
			if depth++; depth > maxJSONDepth {
				return &FieldError{Err: ErrTooLarge, Msg: "JSON nested deeper than " + strconv.Itoa(maxJSONDepth) + " levels"}
			}
		case '}', ']':
			depth--
		}
	}
	return nil
}
