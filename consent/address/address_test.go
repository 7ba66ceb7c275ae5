package address_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
)

func TestParse(t *testing.T) {
	fr, be, gb, de := address.MustCountry("FR"), address.MustCountry("BE"), address.MustCountry("GB"), address.MustCountry("DE")
	tests := []struct {
		name, in  string
		country   address.Country
		text, key string // want; text "" means an error
		kind      address.Kind
	}{
		{"e-mail as given", "lea.martin@example.com", address.Country{}, leaMail, leaMail, address.Email},
		{"local part case kept for sending, folded for matching", " Lea.Martin@EXAMPLE.Com\t", address.Country{},
			"Lea.Martin@example.com", leaMail, address.Email},
		{"NFD local part", "le\u0301a@example.com", address.Country{}, "léa@example.com", "léa@example.com", address.Email},
		{"NFD upper-case local part", "LE\u0301A@example.com", address.Country{}, "LÉA@example.com", "léa@example.com", address.Email},
		{"IDNA Unicode domain", "josé@Exämple.Example", address.Country{}, "josé@xn--exmple-cua.example",
			"josé@xn--exmple-cua.example", address.Email},
		{"IDNA ASCII domain", "JOSÉ@XN--EXMPLE-CUA.EXAMPLE", address.Country{}, "JOSÉ@xn--exmple-cua.example",
			"josé@xn--exmple-cua.example", address.Email},
		{"E.164", "+33 6 39 98 00 01", address.Country{}, leaTel, leaTel, address.Phone},
		{"FR national", "06 39 98 00 01", fr, leaTel, leaTel, address.Phone},
		{"FR national with dots", "06.39.98.00.01", fr, leaTel, leaTel, address.Phone},
		{"FR 00 prefix", "0033 6 39 98 00 01", fr, leaTel, leaTel, address.Phone},
		{"FR trunk zero after the country code", "+33 (0)6 39 98 00 01", address.Country{}, leaTel, leaTel, address.Phone},
		{"BE mobile", "0460 00 00 01", be, "+32460000001", "+32460000001", address.Phone},
		{"BE fixed line", "02 123 45 67", be, "+3221234567", "+3221234567", address.Phone},
		{"GB mobile", "07700 900123", gb, bobTel, bobTel, address.Phone},
		{"GB with (0)", "+44 (0)7700 900123", gb, bobTel, bobTel, address.Phone},
		{"national number without a country", "06 39 98 00 01", address.Country{}, "", "", 0},
		{"national number of a country not read", "0621 555 010", address.MustCountry("LU"), "", "", 0},
		{"DE national number", "030 1234567", de, "+49301234567", "+49301234567", address.Phone},
		{"FR national read as GB is a British number", "06 39 98 00 01", gb, "+44639980001", "+44639980001", address.Phone},
		{"not an address", "lea.martin", fr, "", "", 0},
		{"two @ in the domain", "lea@exa@mple..com", fr, "", "", 0},
		{"channel name", "email", fr, "", "", 0},
		{"empty", "", fr, "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := address.Parse(tt.in, tt.country)
			if tt.text == "" {
				if err == nil || !a.IsZero() {
					t.Fatalf("Parse(%q, %v) = %q, %v; want an error", tt.in, tt.country, a, err)
				}
				checkFieldError(t, err, "", consent.ErrInvalid)
				if s := strings.TrimSpace(tt.in); len(s) >= 6 && strings.Contains(err.Error(), s) {
					t.Errorf("error %q repeats the input", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q, %v) error = %v", tt.in, tt.country, err)
			}
			got := struct{ Text, Key, Kind string }{a.String(), a.Key(), string(a.Kind())}
			want := struct{ Text, Key, Kind string }{tt.text, tt.key, string(tt.kind)}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Parse(%q, %v) mismatch (-want +got):\n%s", tt.in, tt.country, diff)
			}
			checkAddressValue(t, a, tt.kind, tt.country)
			// The kind-specific parser agrees.
			var b address.Address
			if tt.kind == address.Email {
				b, err = address.ParseEmail(tt.in)
			} else {
				b, err = address.ParsePhone(tt.in, tt.country)
			}
			if err != nil || b != a {
				t.Errorf("kind-specific parser = %#v, %v; want %#v", b, err, a)
			}
		})
	}
}

func TestAddressSame(t *testing.T) {
	tests := []struct {
		a, b address.Address
		same bool
	}{
		{email("Lea.Martin@Example.COM "), email(leaMail), true},
		{email("le\u0301a@example.com"), email("LÉA@EXAMPLE.COM"), true},
		{email("josé@exämple.example"), email("JOSE\u0301@xn--exmple-cua.example"), true},
		{address.MustParsePhone("06 39 98 00 01", address.MustCountry("FR")), phone(leaTel), true},
		{address.MustParsePhone("07700 900123", address.MustCountry("GB")), phone("+44 7700 900123"), true},
		{email(leaMail), email(bobMail), false},
		{email("lea@example.com"), email("lea@example.org"), false},
		{phone(leaTel), phone(bobTel), false},
		{email(leaMail), address.Address{}, false},
		{address.Address{}, address.Address{}, true},
	}
	for _, tt := range tests {
		if got := tt.a.Same(tt.b); got != tt.same {
			t.Errorf("%q.Same(%q) = %v, want %v", tt.a, tt.b, got, tt.same)
		}
		if got := tt.b.Same(tt.a); got != tt.same {
			t.Errorf("%q.Same(%q) = %v, want %v (not symmetric)", tt.b, tt.a, got, tt.same)
		}
	}
	a, b := email("Lea.Martin@Example.COM"), email(leaMail)
	if a == b || a.Equal(b) {
		t.Errorf("%q and %q are spelt differently but compare identical", a, b)
	}
	if n := testing.AllocsPerRun(100, func() { _ = a.Same(b) }); n != 0 {
		t.Errorf("Same allocates %v times", n)
	}
}

func TestAddressZeroAndText(t *testing.T) {
	var z address.Address
	if !z.IsZero() || z.String() != "" || z.Key() != "" || z.Kind() != 0 {
		t.Errorf("zero Address = %#v: want no address", z)
	}
	if _, err := z.MarshalText(); !errors.Is(err, consent.ErrInvalid) {
		t.Errorf("zero MarshalText error = %v, want ErrInvalid", err)
	}
	// Text unmarshalling has no country: national numbers are refused.
	for _, in := range []string{"06 39 98 00 01", "", "email", "lea.martin"} {
		var a address.Address
		if err := a.UnmarshalText([]byte(in)); !errors.Is(err, consent.ErrInvalid) || !a.IsZero() {
			t.Errorf("UnmarshalText(%q) = %#v, %v; want ErrInvalid", in, a, err)
		}
	}
	b, err := json.Marshal(struct {
		A address.Address `json:"a,omitzero"`
		B address.Address `json:"b"`
	}{B: email("Lea@Example.COM")})
	if err != nil || string(b) != `{"b":"Lea@example.com"}` {
		t.Errorf("json.Marshal = %s, %v", b, err)
	}
	defer func() {
		if recover() == nil {
			t.Error("MustParseEmail of a malformed address did not panic")
		}
	}()
	address.MustParseEmail("not an address")
}

func TestAddressKindText(t *testing.T) {
	for k, want := range map[address.Kind]string{address.Email: "email", address.Phone: "phone",
		address.Push: "push", address.Postal: "postal"} {
		b, err := k.MarshalText()
		if err != nil || string(b) != want || k.String() != want {
			t.Errorf("MarshalText(%v) = %q, %v; want %q", k, b, err, want)
		}
		var back address.Kind
		if err := back.UnmarshalText(b); err != nil || back != k {
			t.Errorf("UnmarshalText(%q) = %v, %v", b, back, err)
		}
	}
	for _, bad := range []address.Kind{0, 5} {
		if _, err := bad.MarshalText(); !errors.Is(err, consent.ErrUnknownValue) {
			t.Errorf("MarshalText(%d) error = %v, want ErrUnknownValue", bad, err)
		}
	}
	for _, bad := range []string{"", "Email", "fax"} {
		var k address.Kind
		if err := k.UnmarshalText([]byte(bad)); !errors.Is(err, consent.ErrUnknownValue) || k != 0 {
			t.Errorf("UnmarshalText(%q) = %v, %v", bad, k, err)
		}
	}
}
