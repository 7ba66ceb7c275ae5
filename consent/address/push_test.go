package address_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
)

// Fictional push addresses.
const (
	leaPush = "push:com.example.shop/inst-7f3a9c"
	bobPush = "push:org.example.news/fcm:APA91b-Example_Token"
)

func TestParsePush(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" for an error
	}{
		{leaPush, leaPush},
		{" " + bobPush + "\n", bobPush},
		{"push:example.org/0123456789abcdef", "push:example.org/0123456789abcdef"},
		{"push:a/b/c", "push:a/b/c"}, // the token may hold '/'
		{"push:com.example.shop/INST-7F3A9C", "push:com.example.shop/INST-7F3A9C"},
		{"", ""},
		{"push:", ""},
		{"push:com.example.shop", ""},
		{"push:com.example.shop/", ""},
		{"push:/inst-1", ""},
		{"PUSH:com.example.shop/inst-1", ""},
		{"push:com example/inst-1", ""},
		{"push:com.example.shop/inst 1", ""},
		{"push:com.example.shop/inst@1", ""},
		{"push:com.exämple.shop/inst-1", ""},
		{"push:com.example.shop/inst-é", ""},
		{"push:com.example.shop/inst\x00", ""},
		{"push:" + strings.Repeat("a", 256) + "/t", ""},
		{"push:a/" + strings.Repeat("t", 1024), ""},
		{"com.example.shop/inst-1", ""},
		{leaMail, ""},
	}
	for _, tt := range tests {
		a, err := address.ParsePush(tt.in)
		if tt.want == "" {
			checkFieldError(t, err, "", consent.ErrInvalid)
			if !a.IsZero() {
				t.Errorf("ParsePush(%q) = %#v with an error", tt.in, a)
			}
			if len(tt.in) > 8 && strings.Contains(err.Error(), strings.TrimSpace(tt.in)) {
				t.Errorf("ParsePush(%q) error %q repeats the input", tt.in, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParsePush(%q) error = %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, a.String()); diff != "" {
			t.Errorf("ParsePush(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
		checkAddressValue(t, a, address.Push, address.Country{})
		if a.Key() != a.String() {
			t.Errorf("ParsePush(%q).Key() = %q, want the text: compared exactly", tt.in, a.Key())
		}
	}
}

func TestPushComparedExactly(t *testing.T) {
	a := address.MustParsePush("push:com.example.shop/abc")
	for _, s := range []string{"push:com.example.shop/ABC", "push:COM.example.shop/abc", "push:com.example.shop/abc/"} {
		if b := address.MustParsePush(s); a.Same(b) {
			t.Errorf("%q Same as %q, want distinct", a, b)
		}
	}
	if b := address.MustParsePush(" push:com.example.shop/abc "); !a.Same(b) || a != b {
		t.Errorf("%q and %q differ, want the same", a, b)
	}
}

func TestParsePostal(t *testing.T) {
	fr := address.MustCountry("FR")
	tests := []struct {
		name  string
		lines []string
		c     address.Country
		want  string // "" for an error
		key   string
	}{
		{"plain", []string{"Léa Martin", "12 rue de l'Exemple", "75001 Paris"}, fr,
			"Léa Martin\n12 rue de l'Exemple\n75001 Paris\nFR", "léa martin\n12 rue de l'exemple\n75001 paris\nfr"},
		{"spaces collapsed, empty lines dropped", []string{"  Léa   Martin ", "", "12\true de l'Exemple", "\u00a075001\u2009Paris"}, fr,
			"Léa Martin\n12 rue de l'Exemple\n75001 Paris\nFR", "léa martin\n12 rue de l'exemple\n75001 paris\nfr"},
		{"NFC for sending, NFKC in the key", []string{"Le\u0301a Martin", "Ｎ°１２ rue"}, fr,
			"Léa Martin\nＮ°１２ rue\nFR", "léa martin\nn°12 rue\nfr"},
		{"case folded: ß is ss", []string{"Hauptstraße 1", "10115 Berlin"}, address.MustCountry("DE"),
			"Hauptstraße 1\n10115 Berlin\nDE", "hauptstrasse 1\n10115 berlin\nde"},
		{"no country", []string{"12 rue"}, address.Country{}, "", ""},
		{"no line", nil, fr, "", ""},
		{"only empty lines", []string{" ", ""}, fr, "", ""},
		{"a control character", []string{"12 rue\x07"}, fr, "", ""},
		{"a line break inside a line", []string{"12 rue\nParis"}, fr, "", ""},
		{"invalid UTF-8", []string{"12 rue \xff"}, fr, "", ""},
		{"nine lines", strings.Split("a b c d e f g h i", " "), fr, "", ""},
		{"a line too long", []string{strings.Repeat("x", 201)}, fr, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := address.ParsePostal(tt.lines, tt.c)
			if tt.want == "" {
				checkFieldError(t, err, "", consent.ErrInvalid)
				if !a.IsZero() {
					t.Errorf("ParsePostal() = %#v with an error", a)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParsePostal() error = %v", err)
			}
			if diff := cmp.Diff(tt.want, a.String()); diff != "" {
				t.Errorf("String() mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.key, a.Key()); diff != "" {
				t.Errorf("Key() mismatch (-want +got):\n%s", diff)
			}
			checkAddressValue(t, a, address.Postal, tt.c)
		})
	}
}

func TestPostalSame(t *testing.T) {
	fr := address.MustCountry("FR")
	a := address.MustParsePostal([]string{"Léa Martin", "12 rue de l'Exemple", "75001 Paris"}, fr)
	for _, tt := range []struct {
		lines []string
		c     address.Country
		same  bool
	}{
		{[]string{"LÉA MARTIN", "12  RUE DE L'EXEMPLE", "75001 PARIS"}, fr, true},
		{[]string{"Lea Martin", "12 rue de l'Exemple", "75001 Paris"}, fr, false}, // accents count
		{[]string{"Léa Martin", "12 rue de l'Exemple", "75001 Paris"}, address.MustCountry("BE"), false},
		{[]string{"Léa Martin", "75001 Paris", "12 rue de l'Exemple"}, fr, false},
		{[]string{"Léa Martin", "12 r. de l'Exemple", "75001 Paris"}, fr, false},
	} {
		b := address.MustParsePostal(tt.lines, tt.c)
		if got := a.Same(b); got != tt.same {
			t.Errorf("Same(%q, %q) = %v, want %v", a, b, got, tt.same)
		}
	}
}

func TestParsePostalText(t *testing.T) {
	for _, tt := range []struct {
		in, want string
	}{
		{"Léa Martin\n12 rue de l'Exemple\n75001 Paris\nFR", "Léa Martin\n12 rue de l'Exemple\n75001 Paris\nFR"},
		{"Léa Martin\r\n12 rue\r\nfr\r\n", "Léa Martin\n12 rue\nFR"},
		{"12 rue\nUK", "12 rue\nGB"},
		{"12 rue\nFrance", ""},
		{"12 rue\n", ""},
		{"\nFR", ""},
		// 198 bytes of text, but "İ" folds to the longer "i̇": its key
		// would be a line of 202 bytes, which would not parse back.
		{strings.Repeat("0", 190) + "İİİİ\nFR", ""},
		{strings.Repeat("0", 184) + "İİİİ\nFR", strings.Repeat("0", 184) + "İİİİ\nFR"},
	} {
		a, err := address.Parse(tt.in, address.Country{})
		if tt.want == "" {
			checkFieldError(t, err, "", consent.ErrInvalid)
			continue
		}
		if err != nil || a.Kind() != address.Postal || a.String() != tt.want {
			t.Errorf("Parse(%q) = %q (%v), %v; want the postal address %q", tt.in, a, a.Kind(), err, tt.want)
		}
	}
}

// FuzzParsePush: a push address either fails with ErrInvalid and the zero
// Address, or is a fixed point compared exactly.
func FuzzParsePush(f *testing.F) {
	for _, s := range []string{leaPush, bobPush, "push:", "push:a/", "push:/b", "push:a/b@c", " push:a/b ", "push:a/b\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := address.ParsePush(s)
		if err != nil {
			if !a.IsZero() {
				t.Errorf("ParsePush(%q) = %#v with error %v", s, a, err)
			}
			checkFieldError(t, err, "", consent.ErrInvalid)
			return
		}
		checkAddressValue(t, a, address.Push, address.Country{})
		if a.Key() != a.String() || strings.ContainsAny(a.String(), "@ \n") || len(a.String()) > 1024 {
			t.Errorf("ParsePush(%q) = %q, key %q", s, a, a.Key())
		}
	})
}

// FuzzParsePostal: a postal address either fails with ErrInvalid and the
// zero Address, or parses back from its text and its key to the same
// address.
func FuzzParsePostal(f *testing.F) {
	for _, s := range []string{"Léa Martin|12 rue de l'Exemple|75001 Paris", "Hauptstraße 1", "  |  ", "Ｎ°１２", "a\x00b",
		"\u2028", "ﬀ", "İstanbul", "ǅ", strings.Repeat("0", 190) + "İİİİ"} {
		f.Add(s, "FR")
	}
	f.Fuzz(func(t *testing.T, s, country string) {
		c, err := address.ParseCountry(country)
		if err != nil {
			return
		}
		a, err := address.ParsePostal(strings.Split(s, "|"), c)
		if err != nil {
			if !a.IsZero() {
				t.Errorf("ParsePostal(%q) = %#v with error %v", s, a, err)
			}
			checkFieldError(t, err, "", consent.ErrInvalid)
			return
		}
		checkAddressValue(t, a, address.Postal, c)
	})
}
