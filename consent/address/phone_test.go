package address_test

// Normalisation tests of the data-rights work: phone numbers in national and
// international formats (NormalizePhoneIn) and e-mail domains in IDNA form
// (NormalizeEmail). Every number and address is fictional: French 06 39 98
// xx xx, Belgian 0460 00 00 xx, British drama ranges (07700 900xxx, 020 7946
// 0xxx), example.com, example.org and .example domains.

import (
	"errors"
	"strings"
	"testing"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
)

func TestParsePhoneE164(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		wantErr bool
	}{
		{"canonical", "+33639980001", "+33639980001", false},
		{"spaces", "+33 6 39 98 00 01", "+33639980001", false},
		{"dashes", "+1-202-555-0143", "+12025550143", false},
		{"dots", "+44.7700.900.123", "+447700900123", false},
		{"parentheses", "+1 (202) 555-0143", "+12025550143", false},
		{"surrounding space", "  +33639980001\n", "+33639980001", false},
		{"8 digits is the minimum", "+12345678", "+12345678", false},
		{"15 digits is the maximum", "+123456789012345", "+123456789012345", false},
		{"no plus", "0639980001", "", true},
		{"national with 00", "0033639980001", "", true},
		{"too short", "+1234567", "", true},
		{"too long", "+1234567890123456", "", true},
		{"leading 0 after plus", "+0639980001", "", true},
		{"letters", "+33 6 39 AB 00 01", "", true},
		{"vanity letters", "+1-800-FLOWERS", "", true},
		{"extension", "+33639980001 ext 12", "", true},
		{"slash", "+33/639980001", "", true},
		{"second plus", "++33639980001", "", true},
		{"plus only", "+", "", true},
		{"empty", "", "", true},
		{"non-ASCII digits", "+٣٣٦٣٩٩٨٠٠٠١", "", true},
		{"full-width digits", "+３３６３９９８０００１", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := normalizePhone(tt.in)
			if tt.wantErr {
				checkAddressError(t, tt.in, err)
				if got != "" {
					t.Errorf("NormalizePhone(%q) = %q with an error, want \"\"", tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("NormalizePhone(%q) error = %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("NormalizePhone(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again, err := normalizePhone(got); err != nil || again != got {
				t.Errorf("NormalizePhone(%q) = %q, %v: not a fixed point", got, again, err)
			}
		})
	}
}

// phoneCountries are the countries the phone tests read numbers for: the
// national formats supported, one that is not, and none.
var phoneCountries = []address.Country{
	address.MustCountry("FR"), address.MustCountry("BE"), address.MustCountry("GB"),
	address.MustCountry("NL"), address.MustCountry("IE"), address.MustCountry("DE"), address.MustCountry("ES"),
	address.MustCountry("IT"), address.MustCountry("LU"), {},
}

// phoneDigits returns the digits of s, in order.
func phoneDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// checkNoLeak checks that err is an ErrInvalid *FieldError that repeats
// neither in nor, for a number, its digits.
func checkNoLeak(t *testing.T, in string, err error) {
	t.Helper()
	if !errors.Is(err, consent.ErrInvalid) {
		t.Fatalf("error = %v, want one wrapping ErrInvalid", err)
	}
	var fe *consent.FieldError
	if !errors.As(err, &fe) {
		t.Errorf("error %v (%T) is not a *consent.FieldError", err, err)
	}
	msg := err.Error()
	if s := strings.TrimSpace(in); len(s) >= 5 && strings.Contains(msg, s) {
		t.Errorf("error %q repeats the input %q", msg, s)
	}
	if d := phoneDigits(in); len(d) >= 5 && strings.Contains(phoneDigits(msg), d) {
		t.Errorf("error %q repeats the digits of %q", msg, in)
	}
}

func TestParsePhoneNationalFormats(t *testing.T) {
	fr, be, gb, de := address.MustCountry("FR"), address.MustCountry("BE"), address.MustCountry("GB"),
		address.MustCountry("DE")
	nl, ie, lu := address.MustCountry("NL"), address.MustCountry("IE"), address.MustCountry("LU")
	var none address.Country
	tests := []struct {
		name    string
		in      string
		country address.Country
		want    string // "" when an error is expected
	}{
		// E.164, whatever the contact's country.
		{"E.164 with spaces", "+33 6 39 98 00 01", fr, "+33639980001"},
		{"E.164 with dots", "+33.6.39.98.00.01", gb, "+33639980001"},
		{"E.164 with dashes and parentheses", "+44 (7700) 900-123", de, "+447700900123"},
		{"E.164 for no country", "+32 460 00 00 01", none, "+32460000001"},
		{"E.164 of another country for DE", "+49 30 0000001", de, "+49300000001"},
		{"E.164 trunk (0) dropped, FR", "+33 (0)6 39 98 00 01", fr, "+33639980001"},
		{"E.164 trunk 0 dropped, GB", "+44 07700 900123", gb, "+447700900123"},
		{"E.164 trunk (0) dropped whatever the country", "+32 (0)460 00 00 01", de, "+32460000001"},
		{"E.164 surrounding space", "\t+33639980001 \n", fr, "+33639980001"},

		// France: 10 digits starting with 0.
		{"FR mobile", "06 39 98 00 01", fr, "+33639980001"},
		{"FR mobile compact", "0639980002", fr, "+33639980002"},
		{"FR mobile with dots", "06.39.98.00.03", fr, "+33639980003"},
		{"FR mobile with dashes", "06-39-98-00-04", fr, "+33639980004"},
		{"FR mobile with parentheses", "(06) 39 98 00 05", fr, "+33639980005"},
		{"FR 00 prefix", "0033 6 39 98 00 01", fr, "+33639980001"},
		{"FR 00 prefix with trunk (0)", "00 33 (0)6 39 98 00 01", fr, "+33639980001"},
		{"FR 00 prefix to a UK number", "0044 7700 900123", fr, "+447700900123"},
		{"FR 9 digits", "06 39 98 00 0", fr, ""},
		{"FR 11 digits", "06 39 98 00 011", fr, ""},
		{"FR without the 0", "6 39 98 00 01", fr, ""},
		{"FR 00 then national digits too short", "00 39", fr, ""},
		{"FR slash", "06/39/98/00/01", fr, ""},
		{"FR letters", "06 39 98 AB 01", fr, ""},
		{"FR extension", "06 39 98 00 01 ext 2", fr, ""},
		{"FR plus in the middle", "06 39 +98 00 01", fr, ""},
		{"FR full-width digits", "０６３９９８０００１", fr, ""},

		// Belgium: 9 digits for fixed lines, 10 starting 04 for mobiles.
		{"BE mobile", "0460 00 00 01", be, "+32460000001"},
		{"BE mobile compact", "0460000002", be, "+32460000002"},
		{"BE mobile with slashes rejected", "0460/00.00.03", be, ""},
		{"BE fixed line Brussels", "02 000 00 01", be, "+3220000001"},
		{"BE fixed line, 04 in Liège", "04 000 00 01", be, "+3240000001"},
		{"BE 00 prefix", "0032 460 00 00 01", be, "+32460000001"},
		{"BE 10 digits not a mobile", "0260 00 00 01", be, ""},
		{"BE 8 digits", "02 000 00 0", be, ""},
		{"BE 11 digits", "0460 00 00 011", be, ""},
		{"BE FR national format", "06 39 98 00 01", be, ""},

		// United Kingdom: 10 or 11 digits starting with 0.
		{"GB mobile", "07700 900123", gb, "+447700900123"},
		{"GB London", "020 7946 0001", gb, "+442079460001"},
		{"GB 10 digits", "016977 0001", gb, "+44169770001"},
		{"GB 00 prefix", "0044 7700 900124", gb, "+447700900124"},
		{"GB 9 digits", "07700 9001", gb, ""},
		{"GB 12 digits", "07700 9001234", gb, ""},
		{"GB without the 0", "7700 900123", gb, ""},

		// The Netherlands: 10 digits starting with 0 (fictional 555 ranges).
		{"NL mobile", "06 5550 0101", nl, "+31655500101"},
		{"NL Amsterdam", "020 555 0101", nl, "+31205550101"},
		{"NL with a dash", "020-5550102", nl, "+31205550102"},
		{"NL 00 prefix", "0031 20 555 0101", nl, "+31205550101"},
		{"NL 9 digits", "020 555 010", nl, ""},
		{"NL 11 digits", "020 555 01011", nl, ""},
		{"NL without the 0", "20 555 0101", nl, ""},
		{"NL read only for NL", "020 555 0101", lu, ""},

		// Ireland: 0 and 7 to 9 digits.
		{"IE mobile", "087 555 0101", ie, "+353875550101"},
		{"IE Dublin", "01 555 0101", ie, "+35315550101"},
		{"IE Wicklow, five-digit local number", "0404 55501", ie, "+35340455501"},
		{"IE shortest", "091 55501", ie, "+3539155501"},
		{"IE 00 prefix", "00353 87 555 0101", ie, "+353875550101"},
		{"IE 7 digits", "01 55501", ie, ""},
		{"IE 11 digits", "087 555 01011", ie, ""},
		{"IE without the 0", "87 555 0101", ie, ""},
		{"IE read only for IE", "087 555 0101", lu, ""},

		// Other countries and none: only E.164.
		{"LU national not read", "621 555 010", lu, ""},
		{"LU 00 not read", "00352 621 555 010", lu, ""},
		{"no country, national", "06 39 98 00 01", none, ""},
		{"no country, 00", "0033 6 39 98 00 01", none, ""},

		// Malformed whatever the country.
		{"empty", "", fr, ""},
		{"plus only", "+", gb, ""},
		{"00 only", "00", be, ""},
		{"country code only", "+33", fr, ""},
		{"E.164 too long", "+33 6 39 98 00 01 23 45 67", fr, ""},
		{"second plus", "++33639980001", fr, ""},
		{"too long input", strings.Repeat("06 ", 30), fr, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := normalizePhoneIn(tt.in, tt.country)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("NormalizePhoneIn(%q, %v) = %q, want an error", tt.in, tt.country, got)
				}
				checkNoLeak(t, tt.in, err)
				if got != "" {
					t.Errorf("NormalizePhoneIn(%q, %v) = %q with an error, want \"\"", tt.in, tt.country, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("NormalizePhoneIn(%q, %v) error = %v", tt.in, tt.country, err)
			}
			if got != tt.want {
				t.Errorf("NormalizePhoneIn(%q, %v) = %q, want %q", tt.in, tt.country, got, tt.want)
			}
			// The result is E.164 and a fixed point for every country.
			if p, err := normalizePhone(got); err != nil || p != got {
				t.Errorf("NormalizePhone(%q) = %q, %v: the result is not E.164", got, p, err)
			}
			for _, c := range phoneCountries {
				if again, err := normalizePhoneIn(got, c); err != nil || again != got {
					t.Errorf("NormalizePhoneIn(%q, %v) = %q, %v: not a fixed point", got, c, again, err)
				}
			}
		})
	}
}

// TestParsePhoneUnchanged guards that NormalizePhone still reads E.164
// only, as before NormalizePhoneIn existed.
func TestParsePhoneUnchanged(t *testing.T) {
	for _, in := range []string{"06 39 98 00 01", "0033639980001", "07700 900123"} {
		if got, err := normalizePhone(in); err == nil {
			t.Errorf("NormalizePhone(%q) = %q, want an error (national formats are not guessed)", in, got)
		}
	}
	if got, err := normalizePhone("+33 6 39 98 00 01"); err != nil || got != "+33639980001" {
		t.Errorf("NormalizePhone(E.164) = %q, %v", got, err)
	}
}

func FuzzParsePhone(f *testing.F) {
	for _, s := range []string{"06 39 98 00 01", "+33 6 39 98 00 01", "0033 6 39 98 00 01", "+33 (0)6 39 98 00 01",
		"0460 00 00 01", "02 000 00 01", "0032 460 00 00 01", "07700 900123", "020 7946 0001", "016977 0001",
		"0044 7700 900123", "+44 07700 900123", "+33000639980001", "00", "+", "", "0", "(0)", "+3", "++33",
		"06 39 98 AB 01", "０６３９９８０００１", "+1 (202) 555-0143", "020 555 0101", "0031 6 5550 0101",
		"+353 (0)87 555 0101", "+49 (0)30 555 0101", "030 555 0101", "+39 06 5550 1010", "06 5550 1010",
		"312 555 0101", "+34 912 55 50 10", "612 55 50 10", "+34 0912 55 50 10", "+352 621 555 010"} {
		for _, c := range []string{"FR", "BE", "GB", "NL", "IE", "DE", "ES", "IT", "LU", ""} {
			f.Add(s, c)
		}
	}
	f.Fuzz(func(t *testing.T, s, code string) {
		country, err := address.ParseCountry(code)
		if err != nil {
			country = address.Country{}
		}
		p, err := normalizePhoneIn(s, country)
		if err != nil {
			if p != "" {
				t.Errorf("NormalizePhoneIn(%q, %v) = %q with error %v", s, country, p, err)
			}
			if !errors.Is(err, consent.ErrInvalid) {
				t.Errorf("NormalizePhoneIn(%q, %v) error %v does not wrap ErrInvalid", s, country, err)
			}
			// An input of digits and separators only, with 6 digits or more,
			// must not appear in the message.
			if d := phoneDigits(s); len(d) >= 6 && strings.Trim(s, "0123456789 .-()+\t\n") == "" &&
				strings.Contains(phoneDigits(err.Error()), d) {
				t.Errorf("NormalizePhoneIn(%q, %v) error %q repeats the number", s, country, err)
			}
			return
		}
		if n := len(p) - 1; p[0] != '+' || n < 8 || n > 15 || p[1] == '0' || phoneDigits(p) != p[1:] {
			t.Errorf("NormalizePhoneIn(%q, %v) = %q, not E.164", s, country, p)
		}
		for _, c := range phoneCountries {
			if again, err := normalizePhoneIn(p, c); err != nil || again != p {
				t.Errorf("NormalizePhoneIn(%q, %v) = %q, then with %v %q, %v: not a fixed point",
					s, country, p, c, again, err)
			}
		}
		checkAddressValue(t, address.MustParsePhone(s, country), address.Phone, address.Country{})
		// parse(format(parse(x))) == parse(x) for other spellings of the
		// result too: digits spaced out, the 00 prefix, a trunk "(0)".
		spelled := []string{"+" + strings.Join(strings.Split(p[1:], ""), " "), "00" + p[1:]}
		for _, cc := range trunkCallingCodes {
			if strings.HasPrefix(p[1:], cc) {
				spelled = append(spelled, "+"+cc+" (0)"+p[1+len(cc):], "00"+cc+" 0"+p[1+len(cc):])
			}
		}
		for _, sp := range spelled {
			for _, c := range []string{"FR", "BE", "GB", "NL", "IE", "DE", "ES", "IT"} {
				if again, err := normalizePhoneIn(sp, address.MustCountry(c)); err != nil || again != p {
					t.Errorf("NormalizePhoneIn(%q, %v) = %q, %v; %q gave %q", sp, c, again, err, s, p)
				}
			}
		}
	})
}

// trunkCallingCodes are the calling codes after which a trunk 0 is dropped.
var trunkCallingCodes = []string{"31", "32", "33", "41", "43", "44", "49", "353"}
