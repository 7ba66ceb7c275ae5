package consent_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/sendright/sendright/consent"
)

func nested(depth int) string {
	return strings.Repeat("[", depth) + strings.Repeat("]", depth)
}

func TestJSONLimits(t *testing.T) {
	const withdrawalJSON = `{"id":"w-1","purpose":"marketing_general","channel":"all","sender":"S",` +
		`"status":"withdrawn","at":"2025-01-10T09:00:00Z"}`
	contactWithRecords := func(recs string) string {
		return `{"id":"c-1","kind":"consumer","country":"FR","time_zone":"Europe/Paris","records":` + recs + `}`
	}
	var record consent.Record
	var ledger consent.Ledger
	var contact consent.Contact
	tests := []struct {
		name    string
		into    any
		in      string
		wantErr error // nil: decodes
	}{
		{"record nested one level too deep", &record,
			`{"id":"w-1","x":` + nested(consent.MaxJSONDepth) + `}`, consent.ErrTooLarge},
		{"record nested to the limit fails on the unknown field only", &record,
			`{"id":"w-1","x":` + nested(consent.MaxJSONDepth-1) + `}`, consent.ErrInvalid},
		{"brackets inside a string do not count", &record,
			strings.Replace(withdrawalJSON, `"w-1"`, `"`+strings.Repeat("[{", 40)+`"`, 1), nil},
		{"escaped quote does not end the string", &record,
			strings.Replace(withdrawalJSON, `"w-1"`, `"a\"`+strings.Repeat("[", 40)+`\\"`, 1), nil},
		{"record larger than MaxJSONSize", &record,
			"{" + strings.Repeat(" ", consent.MaxJSONSize) + withdrawalJSON[1:], consent.ErrTooLarge},
		{"ledger nested too deep", &ledger, `[` + nested(consent.MaxJSONDepth) + `]`, consent.ErrTooLarge},
		{"ledger larger than MaxJSONSize", &ledger,
			`[` + withdrawalJSON + strings.Repeat(" ", consent.MaxJSONSize) + `]`, consent.ErrTooLarge},
		{"contact nested too deep", &contact,
			contactWithRecords(`[{"id":"w-1","x":` + nested(consent.MaxJSONDepth) + `}]`), consent.ErrTooLarge},
		{"contact with a record", &contact, contactWithRecords(`[` + withdrawalJSON + `]`), nil},
		{"contact larger than MaxJSONSize", &contact,
			contactWithRecords(`[` + withdrawalJSON + strings.Repeat("\n", consent.MaxJSONSize) + `]`), consent.ErrTooLarge},
		{"record of exactly MaxJSONSize bytes", &record,
			"{" + strings.Repeat(" ", consent.MaxJSONSize-len(withdrawalJSON)) + withdrawalJSON[1:], nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := json.Unmarshal([]byte(tt.in), tt.into)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("Decode() error = %v", err)
				}
				return
			}
			checkFieldError(t, err, "", tt.wantErr)
		})
	}
}

// depthExceeded is the depth check read byte by byte, the reference
// CheckJSONLimits's faster string skipping must agree with.
func depthExceeded(b []byte) bool {
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
			if depth++; depth > consent.MaxJSONDepth {
				return true
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return false
}

// FuzzJSONLimits checks the depth check against its byte-by-byte
// reference, escaped quotes and backslashes included.
func FuzzJSONLimits(f *testing.F) {
	f.Add(nested(consent.MaxJSONDepth + 1))
	f.Add(`{"a":"\"[[[[[[[[[[[[[[[[[[","b":"\\\\"}` + nested(consent.MaxJSONDepth))
	f.Add(`"\\\"` + nested(consent.MaxJSONDepth+1))
	f.Add(`"unterminated \"` + nested(consent.MaxJSONDepth+1))
	f.Fuzz(func(t *testing.T, s string) {
		got := consent.CheckJSONLimits([]byte(s)) != nil
		if want := depthExceeded([]byte(s)); got != want {
			t.Fatalf("CheckJSONLimits(%q) refused: %v, want %v", s, got, want)
		}
	})
}

// TestJSONLimitsInsideMembers: a value handed to a member type's own
// decoding (an attempt, a send, a contract) counts towards the depth limit
// with the containers around it, and the decoder gives the same error
// whether it lends the contact or not.
func TestJSONLimitsInsideMembers(t *testing.T) {
	const head = `{"id":"c-1","kind":"consumer","country":"FR","time_zone":"Europe/Paris",`
	var d consent.ContactDecoder
	for _, m := range []struct {
		name   string
		around int // containers around the value: the contact's object and more
		doc    func(value string) string
	}{
		{"attempts", 2, func(v string) string { return head + `"attempts":[` + v + `]}` }},
		{"sent", 2, func(v string) string { return head + `"sent":[` + v + `]}` }},
		{"contracts", 3, func(v string) string { return head + `"relationship":{"contracts":[` + v + `]}}` }},
	} {
		for n := consent.MaxJSONDepth - 6; n <= consent.MaxJSONDepth+2; n++ {
			for _, v := range []string{nested(n), strings.Repeat(`{"x":`, n) + `"y"` + strings.Repeat("}", n)} {
				doc := []byte(m.doc(v))
				var c consent.Contact
				err := c.UnmarshalJSON(doc)
				if tooDeep := m.around+n > consent.MaxJSONDepth; errors.Is(err, consent.ErrTooLarge) != tooDeep {
					t.Errorf("%s nested %d deep inside %d: error %v, want ErrTooLarge: %v", m.name, n, m.around, err, tooDeep)
				}
				if _, derr := d.Decode(doc); fmt.Sprint(derr) != fmt.Sprint(err) {
					t.Errorf("%s nested %d deep: Decode error %v, UnmarshalJSON's %v", m.name, n, derr, err)
				}
			}
		}
	}
}
