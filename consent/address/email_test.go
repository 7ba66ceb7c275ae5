package address_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/sendright/sendright/consent"
)

// checkAddressError checks that err is an ErrInvalid *FieldError whose text
// does not repeat the rejected address.
// checkNormalizeEmail checks NormalizeEmail(in): want, which normalises to
// itself, or, when want is "", a clear error that does not repeat the input.
func checkNormalizeEmail(t *testing.T, in, want string) {
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

func TestNormalizeEmail(t *testing.T) {
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
			checkNormalizeEmail(t, tt.in, tt.want)
		})
	}
}

// TestNormalizeEmailFixedPoint: inputs whose normal form once normalised to
// something else.
func TestNormalizeEmailFixedPoint(t *testing.T) {
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

func TestNormalizePhone(t *testing.T) {
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
