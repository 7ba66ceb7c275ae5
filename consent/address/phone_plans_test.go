package address_test

// Every spelling of a number parses to one E.164 value, country by country:
// the trunk prefix written after the country code ("+353 (0)87 …") is
// dropped where the numbering plan has one, Italy's leading 0 is kept and
// Spain's numbers never lose a digit. Every number is fictional (555 and
// 0000 ranges, the French 06 39 98 and British drama ranges).

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sendright/sendright/consent/address"
)

// spelling is one way of writing a number, read with a contact's country.
type spelling struct {
	in      string
	country string // "" for the zero Country
}

// parseSpellings parses every spelling, giving its E.164 form or "error".
func parseSpellings(spellings []spelling) map[spelling]string {
	got := make(map[spelling]string, len(spellings))
	for _, s := range spellings {
		var c address.Country
		if s.country != "" {
			c = address.MustCountry(s.country)
		}
		a, err := address.ParsePhone(s.in, c)
		if err != nil {
			got[s] = "error"
			continue
		}
		got[s] = a.String()
	}
	return got
}

func TestParsePhoneSpellingsAgree(t *testing.T) {
	tests := []struct {
		name      string
		want      string
		spellings []spelling
	}{
		{"FR mobile", "+33639980001", []spelling{
			{"+33639980001", ""}, {"+33 6 39 98 00 01", ""}, {"+33 (0)6 39 98 00 01", ""}, {"+33 06 39 98 00 01", "DE"},
			{"+33.6.39.98.00.01", "GB"}, {"+33-6-39-98-00-01", "IT"}, {"0033 6 39 98 00 01", "FR"},
			{"00 33 (0)6 39 98 00 01", "ES"}, {"06 39 98 00 01", "FR"}, {"06.39.98.00.01", "FR"},
			{"06-39-98-00-01", "FR"}, {"(06) 39 98 00 01", "FR"}}},
		{"BE mobile", "+32460000001", []spelling{
			{"+32 460 00 00 01", ""}, {"+32 (0)460 00 00 01", ""}, {"+32 0460 00 00 01", "NL"},
			{"0032 460 00 00 01", "BE"}, {"0460 00 00 01", "BE"}, {"0460.00.00.01", "BE"}, {"0460-000001", "BE"}}},
		{"BE fixed line", "+3220000001", []spelling{
			{"+32 2 000 00 01", ""}, {"+32 (0)2 000 00 01", ""}, {"02 000 00 01", "BE"}, {"(02) 000.00.01", "BE"}}},
		{"GB mobile", "+447700900123", []spelling{
			{"+44 7700 900123", ""}, {"+44 (0)7700 900123", ""}, {"+44 07700 900123", ""}, {"+44 (0) 7700 900 123", "FR"},
			{"0044 7700 900123", "GB"}, {"0044 (0)7700 900123", "IE"}, {"07700 900123", "GB"}, {"07700-900-123", "GB"},
			{"(07700) 900123", "GB"}}},
		{"GB London", "+442079460001", []spelling{
			{"+44 20 7946 0001", ""}, {"+44 (0)20 7946 0001", ""}, {"020 7946 0001", "GB"}, {"(020) 7946-0001", "GB"}}},
		{"DE Berlin", "+49305550101", []spelling{
			{"+49 30 555 0101", ""}, {"+49 (0)30 555 0101", ""}, {"+49 030 555 0101", ""}, {"0049 30 555 0101", "DE"},
			{"0049 (0)30 555 0101", "FR"}, {"030 555 0101", "DE"}, {"(030) 555-0101", "DE"}, {"030.555.0101", "DE"},
			{"030/5550101", "error-only"}}},
		{"DE mobile", "+4915155501010", []spelling{
			{"+49 151 5550 1010", ""}, {"+49 (0)151 5550 1010", ""}, {"0151 5550 1010", "DE"}, {"0151-55501010", "DE"}}},
		{"DE five-digit area code", "+493320155501", []spelling{
			{"+49 33201 55501", ""}, {"033201 55501", "DE"}, {"(0 33 201) 555 01", "DE"}}},
		{"NL Amsterdam", "+31205550101", []spelling{
			{"+31 20 555 0101", ""}, {"+31 (0)20 555 0101", ""}, {"+31 020 555 0101", ""}, {"0031 20 555 0101", "NL"},
			{"020 555 0101", "NL"}, {"020-5550101", "NL"}, {"(020) 555 01 01", "NL"}}},
		{"IE mobile", "+353875550101", []spelling{
			{"+353 87 555 0101", ""}, {"+353 (0)87 555 0101", ""}, {"+353 087 555 0101", ""}, {"+353.(0)87.555.0101", "GB"},
			{"00353 87 555 0101", "IE"}, {"00353 (0)87 555 0101", "IE"}, {"087 555 0101", "IE"}, {"087-555-0101", "IE"},
			{"(087) 555 0101", "IE"}}},
		{"IE Dublin", "+35315550101", []spelling{
			{"+353 1 555 0101", ""}, {"+353 (0)1 555 0101", ""}, {"01 555 0101", "IE"}, {"(01) 555-0101", "IE"}}},
		{"AT Vienna, trunk prefix only", "+43155501010", []spelling{
			{"+43 1 5550 1010", ""}, {"+43 (0)1 5550 1010", ""}, {"+43 01 5550 1010", "DE"}, {"0043 (0)1 5550 1010", "DE"}}},
		{"CH Zurich, trunk prefix only", "+41445550101", []spelling{
			{"+41 44 555 01 01", ""}, {"+41 (0)44 555 01 01", ""}, {"+41 044 555 01 01", "FR"}}},
		{"ES fixed line", "+34915550101", []spelling{
			{"+34 91 555 01 01", ""}, {"+34 915 55 01 01", ""}, {"0034 91 555 01 01", "ES"}, {"91 555 01 01", "ES"},
			{"915.55.01.01", "ES"}, {"915-550-101", "ES"}, {"(91) 555 01 01", "ES"}}},
		{"ES mobile", "+34612555010", []spelling{
			{"+34 612 55 50 10", ""}, {"0034 612 555 010", "ES"}, {"612 55 50 10", "ES"}, {"612-555-010", "ES"}}},
		{"IT Rome, the 0 kept", "+390655501010", []spelling{
			{"+39 06 5550 1010", ""}, {"+39 (0)6 5550 1010", ""}, {"+39 (06) 5550 1010", "FR"}, {"0039 06 5550 1010", "IT"},
			{"06 5550 1010", "IT"}, {"06.5550.1010", "IT"}, {"06-55501010", "IT"}, {"(06) 5550 1010", "IT"}}},
		{"IT mobile", "+393125550101", []spelling{
			{"+39 312 555 0101", ""}, {"0039 312 555 0101", "IT"}, {"312 555 0101", "IT"}, {"312.555.0101", "IT"}}},
		{"LU, no national format read", "+352621555010", []spelling{
			{"+352 621 555 010", ""}, {"+352.621.555.010", "LU"}, {"+352-621-555-010", "FR"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := make(map[spelling]string, len(tt.spellings))
			var spellings []spelling
			for _, s := range tt.spellings {
				if s.country == "error-only" { // a spelling rejected whatever the country
					s.country = "DE"
					want[s] = "error"
				} else {
					want[s] = tt.want
				}
				spellings = append(spellings, s)
			}
			if diff := cmp.Diff(want, parseSpellings(spellings)); diff != "" {
				t.Errorf("spellings of %s (-want +got):\n%s", tt.want, diff)
			}
		})
	}
}

// TestParsePhoneZeroAfterCountryCode pins what a 0 after each country code
// is: a trunk prefix dropped, a digit of the number kept (Italy), or an
// error (Spain, Luxembourg: no trunk prefix, no number starting with 0). A
// wrong drop would merge two numbers; a wrong keep would miss a listing.
func TestParsePhoneZeroAfterCountryCode(t *testing.T) {
	tests := []struct {
		in   string
		want string // "error" when rejected
	}{
		{"+39 06 5550 1010", "+390655501010"},    // Rome: never dropped
		{"+39 02 5550 1010", "+390255501010"},    // Milan
		{"+39 0 2 5550 1010", "+390255501010"},   // however spaced
		{"+39 2 5550 1010", "+39255501010"},      // a different number from Milan's 02
		{"+39 00 2 5550 1010", "+3900255501010"}, // not read by the Italian plan, kept as written
		{"+34 0 91 555 01 01", "error"},          // Spain: no trunk prefix to drop
		{"+34 (0)91 555 01 01", "error"},
		{"0034 0612 55 50 10", "error"},
		{"+352 0 621 555 010", "error"},   // Luxembourg
		{"+33 00 6 39 98 00 01", "error"}, // one trunk 0 at most
		{"+44 (0)0 7700 900123", "error"},
		{"+353 00 87 555 0101", "error"},
		{"+49 (0)030 555 0101", "error"},
		{"+1 0202 555 0143", "+102025550143"}, // calling codes without a known plan: digits as written
	}
	got := make(map[string]string, len(tests))
	want := make(map[string]string, len(tests))
	for _, tt := range tests {
		want[tt.in] = tt.want
		p, err := normalizePhoneIn(tt.in, address.MustCountry("IT"))
		if err != nil {
			p = "error"
			checkNoLeak(t, tt.in, err)
		}
		got[tt.in] = p
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("0 after the country code (-want +got):\n%s", diff)
	}
}

// TestParsePhoneNationalPlans checks the length and first-digit bounds of
// every national format read: one above and below each bound, and the
// formats of other countries rejected.
func TestParsePhoneNationalPlans(t *testing.T) {
	tests := []struct {
		country, in string
		want        string // "error" when rejected
	}{
		{"DE", "030 5550", "+49305550"},                 // 0 and 6 digits, the shortest read
		{"DE", "030 555", "error"},                      // 0 and 5
		{"DE", "0301 5550 1010 10", "+493015550101010"}, // 0 and 13, the longest
		{"DE", "0301 5550 1010 101", "error"},           // 0 and 14
		{"DE", "30 555 0101", "error"},                  // no trunk 0
		{"DE", "00 49 30 555 0101", "+49305550101"},     // 00, the international prefix
		{"ES", "91 555 01 0", "error"},                  // 8 digits
		{"ES", "91 555 01 010", "error"},                // 10 digits
		{"ES", "091 555 01 01", "error"},                // a 0 is never added nor dropped
		{"ES", "512 55 50 10", "error"},                 // 5 is not a subscriber range read
		{"ES", "712 55 50 10", "+34712555010"},          // 7: mobiles
		{"ES", "812 55 50 10", "+34812555010"},          // 8: fixed lines
		{"IT", "06 5550", "+39065550"},                  // fixed, 6 digits
		{"IT", "06 555", "error"},                       // fixed, 5 digits
		{"IT", "06 5550 1010 1", "+3906555010101"},      // fixed, 11 digits
		{"IT", "06 5550 1010 10", "error"},              // fixed, 12 digits
		{"IT", "312 555 010", "+39312555010"},           // mobile, 9 digits
		{"IT", "312 555 01", "error"},                   // mobile, 8 digits
		{"IT", "312 555 0101 1", "error"},               // mobile, 11 digits
		{"IT", "800 555 010", "error"},                  // other ranges not read nationally
		{"IT", "6 5550 1010", "error"},                  // a fixed number without its 0
		{"NL", "06 5550 0101", "+31655500101"},
		{"IE", "01 555 010", "+3531555010"}, // 0 and 7 digits
		{"FR", "0033 6 39 98 00 01", "+33639980001"},
		{"GB", "016977 0001", "+44169770001"}, // 0 and 9 digits
		{"BE", "0260 00 00 01", "error"},      // 10 digits only for a 04 mobile
		{"LU", "621 555 010", "error"},        // no national format read
		{"LU", "00352 621 555 010", "error"},
	}
	got := make(map[string]string, len(tests))
	want := make(map[string]string, len(tests))
	for _, tt := range tests {
		key := tt.country + " " + tt.in
		want[key] = tt.want
		p, err := normalizePhoneIn(tt.in, address.MustCountry(tt.country))
		if err != nil {
			p = "error"
			checkNoLeak(t, tt.in, err)
		}
		got[key] = p
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("national formats (-want +got):\n%s", diff)
	}
}
