package address_test

import (
	"testing"

	"github.com/sendright/sendright/consent/address"
)

// TestCallingCode: the codes of a few countries, shared codes, and
// whether a number carries one.
func TestCallingCode(t *testing.T) {
	for c, want := range map[string]string{"FR": "33", "US": "1", "CA": "1", "GB": "44", "AU": "61", "IE": "353", "AQ": ""} {
		if got := address.CallingCode(address.MustCountry(c)); got != want {
			t.Errorf("CallingCode(%s) = %q, want %q", c, got, want)
		}
	}
	fr := address.MustParsePhone("+33 6 55 50 10 10", address.Country{})
	us := address.MustParsePhone("+1 305 555 0101", address.Country{})
	ie := address.MustParsePhone("+353 87 555 0101", address.Country{})
	mail, _ := address.ParseEmail("a@example.com")
	for _, tc := range []struct {
		a    address.Address
		cc   string
		want bool
	}{{fr, "33", true}, {fr, "3", true}, {fr, "1", false}, {us, "1", true}, {us, "", false}, {ie, "353", true},
		{ie, "35", true}, {ie, "33", false}, {mail, "33", false}, {address.Address{}, "1", false}} {
		if got := tc.a.HasCallingCode(tc.cc); got != tc.want {
			t.Errorf("%q.HasCallingCode(%q) = %v, want %v", tc.a, tc.cc, got, tc.want)
		}
	}
}
