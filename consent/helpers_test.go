package consent_test

import (
	"errors"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
)

// Fictional senders, addresses and numbers used throughout the tests.
const (
	shop    = "Maison Exemple SAS"
	other   = "Autre Exemple SARL"
	leaMail = "lea.martin@example.com"
	bobMail = "bob.durand@example.org"
	leaTel  = "+33639980001"  // French range reserved for fiction
	bobTel  = "+447700900123" // UK range reserved for drama
)

var (
	paris = mustLocation("Europe/Paris")
	// t0 is the reference instant of the ledger tests.
	t0 = time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
)

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func day(n int) time.Time { return t0.AddDate(0, 0, n) }

// grant returns a valid e-mail grant of marketing_general to shop.
func grant(id string, at time.Time) consent.Record {
	return consent.Record{ID: id, Subject: addr(leaMail), Purpose: consent.MarketingGeneral, Channel: consent.Email,
		Sender: shop, Status: consent.Granted, At: at, Method: consent.UntickedCheckbox}
}

// withdrawal returns a withdrawal of marketing_general by e-mail from shop.
func withdrawal(id string, at time.Time) consent.Record {
	return consent.Record{ID: id, Purpose: consent.MarketingGeneral, Channel: consent.Email,
		Sender: shop, Status: consent.Withdrawn, At: at}
}

func mustLedger(t testing.TB, recs ...consent.Record) *consent.Ledger {
	t.Helper()
	l, err := consent.NewLedger(recs...)
	if err != nil {
		t.Fatalf("NewLedger() error = %v", err)
	}
	return l
}

// checkFieldError checks that err is a *FieldError for field wrapping want.
// An empty field is not checked.
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

// sameRecords compares two record lists. Records are comparable, so the
// cheap comparison runs first and cmp.Diff only explains a mismatch.
func sameRecords(t testing.TB, what string, want, got []consent.Record) bool {
	t.Helper()
	if slices.Equal(want, got) {
		return true
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", what, diff)
	} else {
		t.Errorf("%s: records equal by cmp but not by ==:\nwant %+v\ngot  %+v", what, want, got)
	}
	return false
}

// email and phone parse test addresses: phone numbers in E.164 form.
func email(s string) address.Address { return address.MustParseEmail(s) }

func phone(s string) address.Address { return address.MustParsePhone(s, address.Country{}) }

// addr parses an e-mail address or an E.164 number.
func addr(s string) address.Address {
	a, err := address.Parse(s, address.Country{})
	if err != nil {
		panic(err)
	}
	return a
}

// setKey returns the object members in members (`"a":1,"b":"x"`, no braces)
// with key's value replaced by value (JSON text), or with the member added
// when key is absent; it never produces a duplicate key.
func setKey(members, key, value string) string {
	re := regexp.MustCompile(`"` + regexp.QuoteMeta(key) + `":("(?:[^"\\]|\\.)*"|[^,}\]]*)`)
	if re.MatchString(members) {
		return re.ReplaceAllLiteralString(members, `"`+key+`":`+value)
	}
	return members + `,"` + key + `":` + value
}

// parseText parses s through T's UnmarshalText, as a decoder does.
func parseText[T any, P interface {
	*T
	UnmarshalText([]byte) error
}](s string) (T, error) {
	var v T
	err := P(&v).UnmarshalText([]byte(s))
	return v, err
}
