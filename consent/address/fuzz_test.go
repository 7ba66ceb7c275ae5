package address_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{leaMail, "Lea.Martin@EXAMPLE.Com", " lea@example.org ", "le\u0301a@example.com",
		"lea@E\u0301COLE.example", "josé@Exämple.Example", "lea@straße.example", "lea@W\u030a.example",
		"lea\u037e@example.com", "@example.com", "lea@", "lea@example..com", "lea martin@example.com",
		"a@b@example.com", "lea@-exämple.example", leaTel, "+33 6 39 98 00 01", "+1 (202) 555-0143",
		"+0639980001", "+1234567", "+1234567890123456", "+33 6 39 AB 00 01", "0639980001", "06 39 98 00 01",
		"+44 (0)20 7946 0000", "", "+", "@"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, c := range phoneCountries {
			a, err := address.Parse(s, c)
			if err != nil {
				if !a.IsZero() {
					t.Errorf("Parse(%q, %v) = %#v with error %v", s, c, a, err)
				}
				if !errors.Is(err, consent.ErrInvalid) {
					t.Errorf("Parse(%q, %v) error %v does not wrap ErrInvalid", s, c, err)
				}
				if trimmed := strings.TrimSpace(s); len(trimmed) >= 8 && strings.Contains(trimmed, "@") &&
					strings.Contains(err.Error(), trimmed) && !strings.Contains("(local@domain)", trimmed) {
					t.Errorf("Parse(%q) error %q repeats the address", s, err)
				}
				continue
			}
			checkAddressValue(t, a, a.Kind(), c)
		}
		if e, err := normalizeEmail(s); err == nil {
			if again, err := normalizeEmail(e); err != nil || again != e {
				t.Errorf("NormalizeEmail(%q) = %q, then %q, %v: not a fixed point", s, e, again, err)
			}
			if len(e) > 320 {
				t.Errorf("NormalizeEmail(%q) = %q, longer than 320 bytes", s, e)
			}
			// For ASCII input, the result is the input trimmed, with the
			// domain lower-cased.
			if trimmed := strings.TrimSpace(s); isASCII(trimmed) {
				at := strings.LastIndexByte(trimmed, '@')
				if want := trimmed[:at] + strings.ToLower(trimmed[at:]); e != want {
					t.Errorf("NormalizeEmail(%q) = %q, want %q", s, e, want)
				}
			}
		} else if e != "" {
			t.Errorf("NormalizeEmail(%q) = %q with error %v", s, e, err)
		}
		if p, err := normalizePhone(s); err == nil {
			if again, err := normalizePhone(p); err != nil || again != p {
				t.Errorf("NormalizePhone(%q) = %q, then %q, %v: not a fixed point", s, p, again, err)
			}
			if !isE164(p) {
				t.Errorf("NormalizePhone(%q) = %q, not E.164", s, p)
			}
		} else if p != "" {
			t.Errorf("NormalizePhone(%q) = %q with error %v", s, p, err)
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func isE164(p string) bool {
	n := len(p) - 1
	return n >= 8 && n <= 15 && p[0] == '+' && p[1] != '0' && strings.Trim(p[1:], "0123456789") == ""
}
