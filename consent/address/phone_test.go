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
	"unicode/utf8"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"golang.org/x/text/unicode/norm"
)

// phoneCountries are the countries the phone tests read numbers for: the
// three national formats supported, one that is not, and none.
var phoneCountries = []address.Country{
	address.MustCountry("FR"), address.MustCountry("BE"), address.MustCountry("GB"),
	address.MustCountry("DE"), {},
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

func TestNormalizePhoneInFormats(t *testing.T) {
	fr, be, gb, de := address.MustCountry("FR"), address.MustCountry("BE"), address.MustCountry("GB"),
		address.MustCountry("DE")
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

		// Other countries and none: only E.164.
		{"DE national not read", "030 0000001", de, ""},
		{"DE 00 not read", "0049 30 0000001", de, ""},
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

// TestNormalizePhoneUnchanged guards that NormalizePhone still reads E.164
// only, as before NormalizePhoneIn existed.
func TestNormalizePhoneUnchanged(t *testing.T) {
	for _, in := range []string{"06 39 98 00 01", "0033639980001", "07700 900123"} {
		if got, err := normalizePhone(in); err == nil {
			t.Errorf("NormalizePhone(%q) = %q, want an error (national formats are not guessed)", in, got)
		}
	}
	if got, err := normalizePhone("+33 6 39 98 00 01"); err != nil || got != "+33639980001" {
		t.Errorf("NormalizePhone(E.164) = %q, %v", got, err)
	}
}

func TestNormalizeEmailIDNA(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // "" when an error is expected
	}{
		// ASCII input: unchanged behaviour (domain lower-cased only).
		{"ASCII canonical", "lea.martin@example.com", "lea.martin@example.com"},
		{"ASCII domain upper case", "lea.martin@EXAMPLE.COM", "lea.martin@example.com"},
		{"ASCII local part case kept", "Lea.Martin@Example.Org", "Lea.Martin@example.org"},
		{"ASCII underscore in the domain kept", "lea@mail_relay.example", "lea@mail_relay.example"},
		{"ASCII punycode upper case lowered", "jose@XN--EXMPLE-CUA.example", "jose@xn--exmple-cua.example"},

		// IDNA: the domain in ASCII (punycode), lower case.
		{"IDNA with upper case, issue example", "josé@Exämple.Example", "josé@xn--exmple-cua.example"},
		{"IDNA lower case", "jose@exämple.example", "jose@xn--exmple-cua.example"},
		{"IDNA upper case umlaut", "jose@EXÄMPLE.EXAMPLE", "jose@xn--exmple-cua.example"},
		{"IDNA decomposed umlaut", "jose@exa\u0308mple.example", "jose@xn--exmple-cua.example"},
		{"IDNA decomposed upper case", "lea@E\u0301COLE.example", "lea@xn--cole-9oa.example"},
		{"IDNA sharp s kept (non-transitional)", "lea@straße.example", "lea@xn--strae-oqa.example"},
		{"IDNA Japanese", "lea@例え.example", "lea@xn--r8jz45g.example"},
		{"IDNA ideographic full stop", "lea@exämple\u3002example", "lea@xn--exmple-cua.example"},
		{"IDNA soft hyphen removed", "lea@ex\u00adample.com", "lea@example.com"},
		{"IDNA W with ring composes after lower case", "lea@W\u030a.example", "lea@xn--ekg.example"},

		// NFC on the local part, case kept.
		{"NFC local part", "Le\u0301a@example.com", "L\u00e9a@example.com"},
		{"NFC local part with IDNA domain", "Jose\u0301@Exämple.Example", "Jos\u00e9@xn--exmple-cua.example"},
		{"Unicode local part kept", "josé@example.org", "josé@example.org"},

		// Rejected.
		{"IDNA underscore (STD3)", "lea@ex_ämple.example", ""},
		{"IDNA leading hyphen", "lea@-exämple.example", ""},
		{"IDNA empty label", "lea@exämple..example", ""},
		{"IDNA trailing dot", "lea@exämple.example.", ""},
		{"IDNA space", "lea@ex ämple.example", ""},
		{"IDNA symbol valid for lookup (UTS #46 NV8)", "lea@ex\u2665ämple.example", "lea@xn--exmple-cua1297e.example"},
		{"IDNA no-break space (STD3)", "lea@ex\u00a0ämple.example", ""},
		{"IDNA parenthesised digit (STD3)", "lea@ex\u2474ämple.example", ""},
		{"IDNA mixed right-to-left label", "lea@\u05d0a1.example", ""},
		{"NFC yields a semicolon", "lea\u037e@example.com", ""},
		{"NFC result over 320 bytes", strings.Repeat("\u0958", 100) + "@example.com", ""},
		{"no domain", "josé@", ""},
		{"invalid UTF-8 in the local part", "\xeblea@example.com", ""},
		{"invalid UTF-8 in the domain", "lea@ex\xe4mple.example", ""},
		{"no local part", "@exämple.example", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkNormalizeEmail(t, tt.in, tt.want)
		})
	}
}

// TestNormalizeEmailIDNAForms checks that the Unicode and ASCII forms of one
// address normalise to one string, so that ledgers and suppressions match
// whichever form a system stored.
func TestNormalizeEmailIDNAForms(t *testing.T) {
	forms := []string{"josé@exämple.example", "josé@Exämple.Example", "josé@EXA\u0308MPLE.example",
		"josé@xn--exmple-cua.example", "josé@XN--EXMPLE-CUA.EXAMPLE", "jose\u0301@exämple.example"}
	want, err := normalizeEmail(forms[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range forms[1:] {
		if got, err := normalizeEmail(f); err != nil || got != want {
			t.Errorf("NormalizeEmail(%q) = %q, %v, want %q", f, got, err, want)
		}
	}
}

func FuzzParsePhone(f *testing.F) {
	for _, s := range []string{"06 39 98 00 01", "+33 6 39 98 00 01", "0033 6 39 98 00 01", "+33 (0)6 39 98 00 01",
		"0460 00 00 01", "02 000 00 01", "0032 460 00 00 01", "07700 900123", "020 7946 0001", "016977 0001",
		"0044 7700 900123", "+44 07700 900123", "+33000639980001", "00", "+", "", "0", "(0)", "+3", "++33",
		"06 39 98 AB 01", "０６３９９８０００１", "+1 (202) 555-0143"} {
		for _, c := range []string{"FR", "BE", "GB", "DE", ""} {
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
	})
}

func FuzzParseEmail(f *testing.F) {
	for _, s := range []string{"lea.martin@example.com", "Lea.Martin@EXAMPLE.Com", "josé@Exämple.Example",
		"jose@xn--exmple-cua.example", "lea@E\u0301COLE.example", "lea@straße.example", "lea@例え.example",
		"lea@exämple\u3002example", "lea@W\u030a.example", "lea@J\u030c.example", "lea\u037e@example.com",
		"lea@ex_ämple.example", "lea@\u05d0a1.example", "lea@ex\u00adample.com", "lea@\u00ad", "a@b@exämple.example",
		"@", "", "lea@", "\xeb@0", "@example.com", "lea@exämple..example", strings.Repeat("\u0958", 100) + "@example.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := normalizeEmail(s)
		if err != nil {
			if e != "" {
				t.Errorf("NormalizeEmail(%q) = %q with error %v", s, e, err)
			}
			if !errors.Is(err, consent.ErrInvalid) {
				t.Errorf("NormalizeEmail(%q) error %v does not wrap ErrInvalid", s, err)
			}
			return
		}
		at := strings.LastIndexByte(e, '@')
		if at <= 0 || at == len(e)-1 || len(e) > 320 || !utf8.ValidString(e) {
			t.Fatalf("NormalizeEmail(%q) = %q: not local@domain within 320 bytes", s, e)
		}
		local, domain := e[:at], e[at+1:]
		if !norm.NFC.IsNormalString(local) {
			t.Errorf("NormalizeEmail(%q) = %q: local part not NFC", s, e)
		}
		if domain != strings.ToLower(domain) {
			t.Errorf("NormalizeEmail(%q) = %q: domain not lower case", s, e)
		}
		for i := 0; i < len(domain); i++ {
			if domain[i] >= utf8.RuneSelf {
				t.Errorf("NormalizeEmail(%q) = %q: domain not ASCII", s, e)
				break
			}
		}
		if again, err := normalizeEmail(e); err != nil || again != e {
			t.Errorf("NormalizeEmail(%q) = %q, then %q, %v: not a fixed point", s, e, again, err)
		}
		checkAddressValue(t, address.MustParseEmail(s), address.Email, address.Country{})
	})
}
