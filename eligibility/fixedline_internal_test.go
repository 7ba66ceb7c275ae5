package eligibility

import (
	"testing"

	"github.com/sendright/sendright/consent/address"
)

// TestGeographicFixedLine: Irish geographic numbers are fixed lines;
// mobiles, non-geographic numbers, other countries' numbers and other
// kinds of address are not.
func TestGeographicFixedLine(t *testing.T) {
	mail := address.MustParseEmail("a@example.com")
	for _, tc := range []struct {
		a    address.Address
		want bool
	}{
		{address.MustParsePhone("+35315550101", address.Country{}), true},    // Dublin 01
		{address.MustParsePhone("+353215550101", address.Country{}), true},   // Cork 021
		{address.MustParsePhone("+353915550101", address.Country{}), true},   // Galway 091
		{address.MustParsePhone("+353715550101", address.Country{}), true},   // Sligo 071
		{address.MustParsePhone("+353745550101", address.Country{}), true},   // Donegal 074
		{address.MustParsePhone("+353875550101", address.Country{}), false},  // mobile 087
		{address.MustParsePhone("+353765550101", address.Country{}), false},  // VoIP 076
		{address.MustParsePhone("+3531800555010", address.Country{}), false}, // freephone 1800
		{address.MustParsePhone("+3538185550101", address.Country{}), false}, // 0818
		{address.MustParsePhone("+442075550101", address.Country{}), false},
		{mail, false},
		{address.Address{}, false},
	} {
		if got := geographicFixedLine(tc.a); got != tc.want {
			t.Errorf("geographicFixedLine(%q) = %v, want %v", tc.a, got, tc.want)
		}
	}
}
