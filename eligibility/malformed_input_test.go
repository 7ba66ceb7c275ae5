package eligibility_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

// TestMalformedNeverAllowed sweeps malformed inputs of every category and
// asserts that none is ever allowed: each is refused when decoded, with a
// typed error, or denied by Decide with one.
func TestMalformedNeverAllowed(t *testing.T) {
	const (
		okContact = `{"id":"c","kind":"consumer","country":"FR","time_zone":"Europe/Paris","email":"lea@example.com","records":[%s],"relationship":{"purchases":[%s]}}`
		okGrant   = `{"id":"g","subject":"lea@example.com","purpose":"marketing_general","channel":"email","sender":"E","status":"granted","at":"2025-01-01T00:00:00Z","method":"unticked_checkbox"}`
		okMessage = `{"purpose":"marketing_general","channel":"email","sender":{"entity":"E","kind":"company"},"at":"2026-03-10T10:00:00Z"}`
	)
	contact := func(records, purchases string) string {
		return strings.Replace(strings.Replace(okContact, "%s", records, 1), "%s", purchases, 1)
	}
	replace := func(s, old, new string) string {
		if !strings.Contains(s, old) {
			t.Fatalf("test bug: %q not in %s", old, s)
		}
		return strings.Replace(s, old, new, 1)
	}
	base := contact(okGrant, "")
	tests := []struct {
		name, contact, message string
	}{
		{"unknown country", replace(base, `"FR"`, `"XX"`), okMessage},
		{"three-letter country", replace(base, `"FR"`, `"FRA"`), okMessage},
		{"region code EU", replace(base, `"FR"`, `"EU"`), okMessage},
		{"no country", replace(base, `"country":"FR",`, ``), okMessage},
		{"unknown recipient kind", replace(base, `"consumer"`, `"customer"`), okMessage},
		{"time zone that does not exist", replace(base, `Europe/Paris`, `Europe/Atlantis`), okMessage},
		{"machine-local time zone", replace(base, `Europe/Paris`, `Local`), okMessage},
		{"no time zone", replace(base, `"time_zone":"Europe/Paris",`, ``), okMessage},
		{"impossible birth date", replace(base, `"email"`, `"birth_date":"2001-02-30","email"`), okMessage},
		{"malformed email", replace(base, `lea@example.com","records"`, `lea.example.com","records"`), okMessage},
		{"unknown field", replace(base, `"id":"c"`, `"id":"c","vip":true`), okMessage},
		{"grant for all channels", contact(replace(okGrant, `"channel":"email"`, `"channel":"all"`), ""), okMessage},
		{"grant for all marketing", contact(replace(okGrant, `"purpose":"marketing_general"`, `"purpose":"all_marketing"`), ""), okMessage},
		{"grant without time", contact(replace(okGrant, `,"at":"2025-01-01T00:00:00Z"`, ``), ""), okMessage},
		{"grant at an impossible time", contact(replace(okGrant, `2025-01-01T00:00:00Z`, `2025-13-01T00:00:00Z`), ""), okMessage},
		{"grant without method", contact(replace(okGrant, `,"method":"unticked_checkbox"`, ``), ""), okMessage},
		{"grant with unknown method", contact(replace(okGrant, `unticked_checkbox`, `telepathy`), ""), okMessage},
		{"grant without sender", contact(replace(okGrant, `"sender":"E",`, ``), ""), okMessage},
		{"grant with unknown status", contact(replace(okGrant, `"granted"`, `"maybe"`), ""), okMessage},
		{"transactional record", contact(replace(okGrant, `"marketing_general"`, `"transactional"`), ""), okMessage},
		{"duplicate ids, different content", contact(okGrant+","+replace(okGrant, `"method":"unticked_checkbox"`, `"method":"signed_form"`), ""), okMessage},
		{"purchase with no seller", contact(okGrant, `{"id":"p","at":"2025-01-01T00:00:00Z","category":"k"}`), okMessage},
		{"purchase with no time", contact(okGrant, `{"id":"p","seller":"E","category":"k"}`), okMessage},
		{"unknown purpose", base, replace(okMessage, `marketing_general`, `marketing_maybe`)},
		{"record scope as purpose", base, replace(okMessage, `marketing_general`, `all_marketing`)},
		{"unknown channel", base, replace(okMessage, `"email"`, `"fax"`)},
		{"all channels as channel", base, replace(okMessage, `"email"`, `"all"`)},
		{"zero instant", base, replace(okMessage, `,"at":"2026-03-10T10:00:00Z"`, ``)},
		{"unknown sender kind", base, replace(okMessage, `"company"`, `"government"`)},
		{"no sender entity", base, replace(okMessage, `"entity":"E",`, ``)},
	}
	ev := evaluator(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c consent.Contact
			cerr := json.Unmarshal([]byte(tt.contact), &c)
			var m consent.Message
			merr := json.Unmarshal([]byte(tt.message), &m)
			if cerr != nil || merr != nil {
				err := errors.Join(cerr, merr)
				var fe *consent.FieldError
				var ue *consent.UnknownValueError
				var te *json.UnmarshalTypeError
				if !errors.As(err, &fe) && !errors.As(err, &ue) && !errors.As(err, &te) {
					t.Errorf("decoding failed with an untyped error: %v", err)
				}
				return // refused before any decision: never sent
			}
			d, err := ev.Decide(eligibility.Request{Contact: &c, Message: m})
			if d.Verdict == eligibility.Allow {
				t.Fatalf("malformed input allowed: %v", d)
			}
			if err == nil {
				t.Errorf("malformed input denied without an error: %v", d)
			}
		})
	}
}

// TestAwkwardButWellFormed: inputs that are valid but awkward resolve by the
// ledger's rules and never allow on a consent basis.
func TestAwkwardButWellFormed(t *testing.T) {
	ev := evaluator(t)
	at := "2026-03-10T10:00:00Z"
	mk := func(records string, kind string) *consent.Contact {
		var c consent.Contact
		js := `{"id":"c","kind":"` + kind + `","country":"FR","time_zone":"Europe/Paris","email":"lea@example.com","records":[` + records + `]}`
		if err := json.Unmarshal([]byte(js), &c); err != nil {
			t.Fatal(err)
		}
		return &c
	}
	grant := func(id, when string) string {
		return `{"id":"` + id + `","subject":"lea@example.com","purpose":"marketing_general","channel":"email","sender":"E","status":"granted","at":"` + when + `","method":"unticked_checkbox"}`
	}
	withdraw := func(id, when string) string {
		return `{"id":"` + id + `","purpose":"marketing_general","channel":"email","sender":"E","status":"withdrawn","at":"` + when + `"}`
	}
	msg := func(p consent.Purpose) consent.Message {
		m := consent.Message{Purpose: p, Channel: consent.Email, Sender: consent.Sender{Entity: "E", Kind: consent.Company}}
		m.At, _ = time.Parse(time.RFC3339, at)
		return m
	}
	tests := []struct {
		name      string
		contact   *consent.Contact
		purpose   consent.Purpose
		wantAllow bool
		wantBasis rules.Basis
	}{
		{"grant and withdrawal at one instant", mk(grant("g", "2025-01-01T00:00:00Z")+","+withdraw("w", "2025-01-01T00:00:00Z"), "consumer"), consent.MarketingGeneral, false, rules.NoLegalBasis},
		{"withdrawal appended before the grant, same instant", mk(withdraw("w", "2025-01-01T00:00:00Z")+","+grant("g", "2025-01-01T00:00:00Z"), "consumer"), consent.MarketingGeneral, false, rules.NoLegalBasis},
		{"grant dated after the decision", mk(grant("g", "2026-03-10T10:00:01Z"), "consumer"), consent.MarketingGeneral, false, rules.NoLegalBasis},
		{"withdrawal dated after the decision", mk(grant("g", "2025-01-01T00:00:00Z")+","+withdraw("w", "2026-03-11T00:00:00Z"), "consumer"), consent.MarketingGeneral, true, rules.Consent},
		{"empty ledger, marketing", mk("", "consumer"), consent.MarketingGeneral, false, rules.NoLegalBasis},
		{"empty ledger, transactional", mk("", "consumer"), consent.Transactional, true, rules.Transactional},
		{"empty ledger, generic business address", mk("", "business_generic"), consent.MarketingGeneral, true, rules.NotPersonalData},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ev.Decide(eligibility.Request{Contact: tt.contact, Message: msg(tt.purpose)})
			if err != nil {
				t.Fatal(err)
			}
			if (d.Verdict == eligibility.Allow) != tt.wantAllow || d.Basis != tt.wantBasis {
				t.Errorf("Decide = %v, want allow=%v basis %v", d, tt.wantAllow, tt.wantBasis)
			}
		})
	}
}
