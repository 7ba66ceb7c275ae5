package address_test

import (
	"errors"
	"testing"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
)

// Fictional addresses and numbers used throughout the tests.
const (
	leaMail = "lea.martin@example.com"
	bobMail = "bob.durand@example.org"
	leaTel  = "+33639980001"  // French range reserved for fiction
	bobTel  = "+447700900123" // UK range reserved for drama
)

// normalizeEmail, normalizePhone and normalizePhoneIn give the canonical
// text of an address as the parsers read it, "" on error.
func normalizeEmail(s string) (string, error) {
	a, err := address.ParseEmail(s)
	return a.String(), err
}

func normalizePhone(s string) (string, error) { return normalizePhoneIn(s, address.Country{}) }

func normalizePhoneIn(s string, c address.Country) (string, error) {
	a, err := address.ParsePhone(s, c)
	return a.String(), err
}

// email and phone parse test addresses: phone numbers in E.164 form.
func email(s string) address.Address { return address.MustParseEmail(s) }

func phone(s string) address.Address { return address.MustParsePhone(s, address.Country{}) }

// checkAddressValue checks the invariants of a parsed address: its kind;
// parsing its String gives the same value back, whatever the country; its
// key is the key of its key; and it is Same as both.
func checkAddressValue(t *testing.T, a address.Address, kind address.Kind, c address.Country) {
	t.Helper()
	if a.IsZero() || a.Kind() != kind || a.String() == "" || a.Key() == "" {
		t.Fatalf("address %#v: want a non-zero %s", a, kind)
	}
	for _, country := range []address.Country{{}, c, address.MustCountry("FR")} {
		again, err := address.Parse(a.String(), country)
		if err != nil || again != a {
			t.Errorf("Parse(%q, %v) = %#v, %v; want %#v", a.String(), country, again, err, a)
		}
	}
	k, err := address.Parse(a.Key(), address.Country{})
	if err != nil || k.Key() != a.Key() || !k.Same(a) || !a.Same(k) {
		t.Errorf("Parse(Key %q) = %#v, %v: the key of the key is not the key", a.Key(), k, err)
	}
	if kind == address.Phone && a.Key() != a.String() {
		t.Errorf("phone %q has key %q, want the E.164 number", a, a.Key())
	}
	b, err := a.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	var back address.Address
	if err := back.UnmarshalText(b); err != nil || back != a {
		t.Errorf("UnmarshalText(MarshalText(%#v)) = %#v, %v", a, back, err)
	}
}

// checkFieldError checks that err is a *consent.FieldError for field
// wrapping want. An empty field is not checked.
func checkFieldError(t testing.TB, err error, field string, want error) {
	t.Helper()
	if err == nil {
		t.Fatalf("error = nil, want a *FieldError wrapping %v", want)
	}
	if !errors.Is(err, want) {
		t.Errorf("errors.Is(%v, %v) = false", err, want)
	}
	var fe *consent.FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v (%T) is not a *consent.FieldError", err, err)
	}
	if field != "" && fe.Field != field {
		t.Errorf("FieldError.Field = %q, want %q (error %v)", fe.Field, field, err)
	}
}
