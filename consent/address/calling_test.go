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

// TestNumberCountry: the country of a number's plan, by calling code and,
// under +1, by area code; none for other kinds, unknown codes and NANP
// codes that name no place.
func TestNumberCountry(t *testing.T) {
	mail, _ := address.ParseEmail("a@example.com")
	for _, tc := range []struct {
		a    address.Address
		want string
	}{
		{phone("+33639980001"), "FR"},
		{phone(bobTel), "GB"},
		{phone("+441534555010"), "GB"}, // Jersey: the UK's plan
		{phone("+61491570156"), "AU"},
		{phone("+353875550101"), "IE"},
		{phone("+4915555501010"), "DE"},
		{phone("+390655501010"), "IT"},
		{phone("+262692555010"), "RE"},
		{phone("+12125550101"), "US"},
		{phone("+13055550101"), "US"},
		{phone("+14165550101"), "CA"},
		{phone("+16135550101"), "CA"},
		{phone("+18675550101"), "CA"},
		{phone("+16225550101"), "CA"}, // non-geographic
		{phone("+17875550101"), "PR"},
		{phone("+18765550101"), "JM"},
		{phone("+18005550101"), ""}, // toll-free: the US's or Canada's
		{phone("+15555550101"), ""},
		{phone("+14115550101"), ""},
		{phone("+79165550101"), ""}, // +7: not a code the library knows
		{phone("+8613855501010"), "CN"},
		{mail, ""},
		{address.Address{}, ""},
	} {
		if got := tc.a.NumberCountry().String(); got != tc.want {
			t.Errorf("%q.NumberCountry() = %q, want %q", tc.a, got, tc.want)
		}
	}
	// Every country with a known calling code reads back from a number of
	// its own, the shared codes excepted.
	shared := map[string]bool{"1": true}
	for _, c := range address.Countries() {
		cc := address.CallingCode(c)
		if cc == "" || shared[cc] {
			continue
		}
		if got := phone("+" + cc + "5555501").NumberCountry(); got != c {
			t.Errorf("NumberCountry of a +%s number = %v, want %v", cc, got, c)
		}
	}
}
