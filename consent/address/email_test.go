package address_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"golang.org/x/text/unicode/norm"
)

// checkAddressError checks that err is an ErrInvalid *FieldError whose text
// does not repeat the rejected address.
// checkParseEmail checks NormalizeEmail(in): want, which normalises to
// itself, or, when want is "", a clear error that does not repeat the input.
func checkParseEmail(t *testing.T, in, want string) {
	t.Helper()
	got, err := normalizeEmail(in)
	if want == "" {
		if err == nil {
			t.Fatalf("NormalizeEmail(%q) = %q, want an error", in, got)
		}
		checkAddressError(t, in, err)
		if got != "" {
			t.Errorf("NormalizeEmail(%q) = %q with an error, want \"\"", in, got)
		}
		return
	}
	if err != nil {
		t.Fatalf("NormalizeEmail(%q) error = %v", in, err)
	}
	if got != want {
		t.Errorf("NormalizeEmail(%q) = %q, want %q", in, got, want)
	}
	if again, err := normalizeEmail(got); err != nil || again != got {
		t.Errorf("NormalizeEmail(%q) = %q, %v: not a fixed point", got, again, err)
	}
}

func checkAddressError(t *testing.T, in string, err error) {
	t.Helper()
	if !errors.Is(err, consent.ErrInvalid) {
		t.Fatalf("error = %v, want ErrInvalid", err)
	}
	var fe *consent.FieldError
	if !errors.As(err, &fe) {
		t.Errorf("error %v (%T) is not a *FieldError", err, err)
	}
	// Inputs of a few bytes ("+", "@x") may occur in any message by chance.
	if s := strings.TrimSpace(in); len(s) >= 4 && strings.Contains(err.Error(), s) {
		t.Errorf("error %q repeats the address %q", err, s)
	}
}

func TestParseEmail(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		wantErr bool
	}{
		{"already canonical", "lea.martin@example.com", "lea.martin@example.com", false},
		{"domain lower-cased", "lea.martin@EXAMPLE.Com", "lea.martin@example.com", false},
		{"local part kept", "Lea.Martin@example.org", "Lea.Martin@example.org", false},
		{"surrounding space trimmed", " \tlea.martin@example.com \n", "lea.martin@example.com", false},
		{"NFC applied to the local part", "le\u0301a@example.com", "l\u00e9a@example.com", false},
		{"non-ASCII local part kept", "josé@example.com", "josé@example.com", false},
		{"IDNA domain (documented example)", "josé@Exämple.Example", "josé@xn--exmple-cua.example", false},
		{"IDNA domain written decomposed and upper case", "lea@E\u0301COLE.example", "lea@xn--cole-9oa.example", false},
		{"IDNA keeps sharp s (non-transitional)", "lea@straße.example", "lea@xn--strae-oqa.example", false},
		{"IDNA maps full-width letters", "lea@ＥＸＡＭＰＬＥ.com", "lea@example.com", false},
		{"IDNA maps the ideographic full stop", "lea@exämple\u3002example", "lea@xn--exmple-cua.example", false},
		{"plus tag kept", "lea+promo@example.com", "lea+promo@example.com", false},
		{"subdomain", "lea@mail.example.org", "lea@mail.example.org", false},
		{"last @ splits", "\"lea@home\"@example.com", "\"lea@home\"@example.com", false},
		{"320 bytes", strings.Repeat("a", 308) + "@example.com", strings.Repeat("a", 308) + "@example.com", false},
		{"no @", "lea.martin.example.com", "", true},
		{"empty local part", "@example.com", "", true},
		{"empty domain", "lea.martin@", "", true},
		{"empty", "", "", true},
		{"space in local part", "lea martin@example.com", "", true},
		{"space in domain", "lea@exam ple.com", "", true},
		{"tab inside", "lea\tmartin@example.com", "", true},
		{"double dot in domain", "lea@example..com", "", true},
		{"double dot in an IDNA domain", "lea@exämple..example", "", true},
		{"domain starts with dot", "lea@.example.com", "", true},
		{"domain ends with dot", "lea@example.com.", "", true},
		{"IDNA domain ends with dot", "lea@exämple.example.", "", true},
		{"angle brackets", "<lea@example.com>", "", true},
		{"two addresses", "lea@example.com,bob@example.com", "", true},
		{"semicolon", "lea@example.com;bob@example.org", "", true},
		{"321 bytes", strings.Repeat("a", 309) + "@example.com", "", true},
		{"hostile length", strings.Repeat("a", 5000) + "@example.com", "", true},
		{"Greek question mark becomes a semicolon under NFC", "lea\u037e@example.com", "", true},
		{"NFC growth past 320 bytes", strings.Repeat("\u0958", 100) + "@example.com", "", true},
		{"IDNA: label starting with a hyphen", "lea@-exämple.example", "", true},
		{"IDNA: disallowed character", "lea@ex\u2488ample.example", "", true},
		{"IDNA: underscore (STD3)", "lea@exä_mple.example", "", true},
		{"IDNA: zero-width joiner", "lea@exämple\u200d.example", "", true},
		{"invalid UTF-8 in the domain", "lea@\xffexample.example", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.wantErr != (tt.want == "") {
				t.Fatalf("bad case: wantErr %v with want %q", tt.wantErr, tt.want)
			}
			checkParseEmail(t, tt.in, tt.want)
		})
	}
}

// TestParseEmailFixedPoint: inputs whose normal form once normalised to
// something else.
func TestParseEmailFixedPoint(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"lower case composes under NFC (W + ring)", "lea@W\u030a.example"},
		{"lower case composes under NFC (J + caron)", "lea@J\u030c.example"},
		{"Greek question mark", "lea\u037e@example.com"},
		{"Kelvin sign", "lea@\u212aelvin.example"},
		{"dotted capital I", "lea@\u0130stanbul.example"},
		{"NFC growth", strings.Repeat("\u0958", 80) + "@example.com"},
		{"ligature", "lea@ﬁnance.example"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := normalizeEmail(tt.in)
			if err != nil {
				return // rejecting the input is also correct
			}
			if again, err := normalizeEmail(got); err != nil || again != got {
				t.Errorf("NormalizeEmail(%q) = %q, then %q, %v: not a fixed point", tt.in, got, again, err)
			}
		})
	}
}

func TestParseEmailIDNA(t *testing.T) {
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
			checkParseEmail(t, tt.in, tt.want)
		})
	}
}

// TestParseEmailIDNAForms checks that the Unicode and ASCII forms of one
// address normalise to one string, so that ledgers and suppressions match
// whichever form a system stored.
func TestParseEmailIDNAForms(t *testing.T) {
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

// plainEmailCases are texts around plainEmail's bounds: the ones it reads
// and the ones it leaves to the full parse.
var plainEmailCases = []string{"lea.martin@example.com", "client7@example.com", "a@b", "lea+news@shop.example",
	"o'brien@example.org", "lea@sub.example.org", "Lea@example.com", "lea@Example.com", " lea@example.com",
	"lea@example.com ", "lea martin@example.com", "lea@example..com", "lea@.example.com", "lea@example.com.",
	"@example.com", "lea@", "@", "", "lea", "a@b@example.com", "lea<x>@example.com", "lea,x@example.com",
	"lea;x@example.com", "léa@example.com", "lea@exämple.example", "lea\t@example.com", "lea\x7f@example.com",
	"..@example.com", "lea@-example.com", strings.Repeat("a", 300) + "@" + strings.Repeat("b", 19),
	strings.Repeat("a", 300) + "@" + strings.Repeat("b", 20)}

// TestPlainEmail checks that plainEmail reads the plain forms, and that
// what it reads is what the full parse gives.
func TestPlainEmail(t *testing.T) {
	for _, s := range plainEmailCases {
		checkPlainEmail(t, s)
	}
	for _, s := range []string{"lea.martin@example.com", "a@b", "o'brien@example.org"} {
		if _, ok := address.PlainEmail(s); !ok {
			t.Errorf("plainEmail(%q) leaves it to the full parse", s)
		}
	}
}

// FuzzPlainEmail compares plainEmail with the full parse.
func FuzzPlainEmail(f *testing.F) {
	for _, s := range plainEmailCases {
		f.Add(s)
	}
	f.Fuzz(checkPlainEmail)
}

// checkPlainEmail checks that plainEmail(s), when it reads s, gives the
// full parse's Address.
func checkPlainEmail(t *testing.T, s string) {
	got, ok := address.PlainEmail(s)
	if !ok {
		return
	}
	want, err := address.ParseEmailSlow(s)
	if err != nil || got != want {
		t.Errorf("plainEmail(%q) = %#v, the full parse %#v, %v", s, got, want, err)
	}
}
