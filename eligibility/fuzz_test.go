package eligibility_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

// checkInvariants holds for every decision, whatever the input.
func checkInvariants(t *testing.T, d eligibility.Decision, err error) {
	t.Helper()
	if err != nil && d.Verdict != eligibility.Deny {
		t.Fatalf("Decide returned error %v with verdict %v, want Deny", err, d.Verdict)
	}
	if err != nil {
		var fe *consent.FieldError
		var ee *eligibility.EvalError
		if !errors.As(err, &fe) && !errors.As(err, &ee) {
			t.Fatalf("Decide error %T %v is neither a *consent.FieldError nor a *eligibility.EvalError", err, err)
		}
	}
	switch d.Verdict {
	case eligibility.Allow:
		if d.Rule == "" || d.Basis == rules.NoLegalBasis || d.Basis == 0 || d.NeedsReview {
			t.Fatalf("Allow without a rule and basis, or needing review: %+v", d)
		}
	case eligibility.Deny:
		if d.Basis != rules.NoLegalBasis || d.Reason == "" || d.Obligations.Len() != 0 {
			t.Fatalf("Deny with a basis, obligations or no reason: %+v", d)
		}
	case eligibility.Defer:
		// Not now, but at NotBefore (a window, a cap, a registration's
		// delay): a rule and a reason say why, and the instant is set.
		if d.Rule == "" || d.Reason == "" || d.NotBefore.IsZero() || d.NeedsReview {
			t.Fatalf("Defer without a rule, reason or instant, or needing review: %+v", d)
		}
	default:
		t.Fatalf("Decide returned verdict %v", d.Verdict)
	}
	// The strictest answer wins: an allow is every regime's, and the
	// deciding regime is one of those applied.
	if n := d.Regimes.Len(); n > 0 && !strings.Contains(" "+strings.Join(d.Regimes.Codes(), " ")+" ", " "+d.Jurisdiction+" ") {
		t.Fatalf("decided by %s, not among the regimes %v", d.Jurisdiction, d.Regimes.List())
	}
	for _, r := range d.Regimes.List() {
		if d.Verdict == eligibility.Allow && r.Verdict != eligibility.Allow {
			t.Fatalf("Allow although %s answers %v: %v", r.Jurisdiction, r.Verdict, d.Regimes.List())
		}
		if d.Verdict == eligibility.Defer && r.Verdict == eligibility.Deny {
			t.Fatalf("Defer although %s denies: %v", r.Jurisdiction, d.Regimes.List())
		}
	}
}

// FuzzDecideJSON decodes a contact and a message from arbitrary JSON and
// decides: decoding fails with a typed error or the decision holds the
// invariants; nothing panics.
func FuzzDecideJSON(f *testing.F) {
	f.Add([]byte(`{"id":"c","kind":"consumer","country":"FR","time_zone":"Europe/Paris","email":"a@example.com","records":[]}`),
		[]byte(`{"purpose":"marketing_general","channel":"email","sender":{"entity":"E","kind":"company"},"at":"2026-03-10T10:00:00Z"}`))
	f.Add([]byte(`{"id":"c","kind":"business_generic","country":"BE","time_zone":"UTC","email":"info@bureau.example","records":[{"id":"o","purpose":"all_marketing","channel":"all","sender":"E","status":"objection","at":"2026-01-01T00:00:00Z"}]}`),
		[]byte(`{"purpose":"transactional","channel":"sms","sender":{"entity":"E","kind":"charity"},"at":"2026-03-10T10:00:00Z","role_relevant":true}`))
	f.Add([]byte(`{"id":"c","kind":"sole_trader","country":"uk","time_zone":"Europe/London","phone":"+447700900123","birth_date":"2012-02-29","relationship":{"purchases":[{"id":"p","at":"2026-01-01T00:00:00Z","seller":"E","category":"k","collected":["sms"],"opt_out_offered":true}]},"records":[{"id":"g","subject":"+447700900123","purpose":"marketing_general","channel":"sms","sender":"E","status":"granted","at":"2025-01-01T00:00:00Z","method":"double_opt_in","confirmed_at":"2025-01-01T01:00:00Z","parental_consent":"parent"}]}`),
		[]byte(`{"purpose":"marketing_similar","channel":"sms","category":"k","sender":{"entity":"E","kind":"company"},"at":"2026-03-10T10:00:00Z"}`))
	f.Add([]byte(`{"id":"c","kind":"business_named","country":"DE","time_zone":"Europe/Berlin","phone":"+4930555010","records":[{"id":"g","subject":"+4930555010","purpose":"marketing_general","channel":"voice_live","sender":"E","status":"granted","at":"2025-01-01T00:00:00Z","method":"recorded_verbal","source":"call-7","wording_version":"v1","proof_ref":"rec-1"}]}`),
		[]byte(`{"purpose":"marketing_general","channel":"voice_live","sender":{"entity":"E","kind":"company"},"at":"2026-03-10T10:00:00Z","presumed_consent":true}`))
	f.Add([]byte(`{"id":"c","kind":"consumer","country":"DE","time_zone":"Europe/Berlin","email":"a@example.com","records":[]}`),
		[]byte(`{"purpose":"marketing_general","channel":"email","sender":{"entity":"E","kind":"company"},"at":"2026-03-10T10:00:00Z","presumed_consent":true}`))
	f.Add([]byte(`{"id":"c","kind":"consumer","country":"ES","region":"ES-CT","time_zone":"Europe/Madrid","phone":"+34600555001","records":[{"id":"g","subject":"+34600555001","purpose":"marketing_general","channel":"sms","sender":"E","status":"granted","at":"2025-01-01T00:00:00Z","method":"unticked_checkbox"}]}`),
		[]byte(`{"purpose":"marketing_general","channel":"sms","sender":{"entity":"E","kind":"company"},"at":"2026-10-01T10:00:00Z","sms_sender":{"alias":"TIENDA EJ","registered":true}}`))
	f.Add([]byte(`{"id":"c","kind":"consumer","country":"ES","time_zone":"Europe/Madrid","email":"a@example.es","records":[]}`),
		[]byte(`{"purpose":"marketing_general","channel":"email","sender":{"entity":"E","kind":"company"},"at":"2026-10-01T10:00:00Z","sms_sender":{"alias":"123456789012","Registered":true}}`))
	// Several regimes: a state presumed from the area code beside a
	// declared one, a sender's reach, a country without rules.
	f.Add([]byte(`{"id":"c","kind":"consumer","country":"US","region":"US-NY","time_zone":"America/New_York","phone":"+13055550101","email":"a@example.com","records":[]}`),
		[]byte(`{"purpose":"marketing_general","channel":"sms","sender":{"entity":"E","kind":"company","country":"CA"},"at":"2026-03-10T23:00:00Z"}`))
	f.Add([]byte(`{"id":"c","kind":"consumer","country":"GB","time_zone":"Europe/London","email":"a@example.com","records":[]}`),
		[]byte(`{"purpose":"marketing_general","channel":"email","sender":{"entity":"E","kind":"company","country":"FR"},"at":"2026-03-10T10:00:00Z"}`))
	f.Add([]byte(`{"id":"c","kind":"consumer","country":"BR","time_zone":"America/Sao_Paulo","email":"a@example.com","records":[]}`),
		[]byte(`{"purpose":"marketing_general","channel":"email","sender":{"entity":"E","kind":"company","country":"PT"},"at":"2026-03-10T10:00:00Z"}`))
	f.Add([]byte(`{"id":"c","kind":"consumer","country":"FR","time_zone":"Europe/Paris","email":"a@example.com","records":[]}`),
		[]byte(`{"purpose":"marketing_general","channel":"email","sender":{"entity":"E","kind":"company","country":"FR"},"at":"2026-03-10T10:00:00Z","route":"newsletter_esp"}`))
	f.Add([]byte(`{"id":"c","kind":"consumer","country":"XX"}`), []byte(`{}`))
	f.Add([]byte(`[`), []byte(`{"purpose":"all_marketing"}`))
	ev := evaluator(f)
	f.Fuzz(func(t *testing.T, contactJSON, messageJSON []byte) {
		var c consent.Contact
		if err := json.Unmarshal(contactJSON, &c); err != nil {
			checkDecodeError(t, err)
			return
		}
		var m consent.Message
		if err := json.Unmarshal(messageJSON, &m); err != nil {
			checkDecodeError(t, err)
			return
		}
		d, err := ev.Decide(eligibility.Request{Contact: &c, Message: m})
		checkInvariants(t, d, err)
	})
}

// FuzzDecideFields builds contacts and messages field by field, bypassing
// JSON validation, so that out-of-range enumerations, zero values and odd
// times reach Decide directly.
func FuzzDecideFields(f *testing.F) {
	f.Add(uint8(1), uint8(3), uint8(1), uint8(1), "FR", int64(1773136800), true, "kettles", uint8(1), uint8(2), int64(-86400))
	f.Add(uint8(0), uint8(0), uint8(0), uint8(0), "", int64(0), false, "", uint8(0), uint8(0), int64(0))
	f.Add(uint8(4), uint8(7), uint8(7), uint8(2), "GB", int64(1770249600), false, "energy_renovation", uint8(3), uint8(9), int64(1))
	f.Add(uint8(9), uint8(200), uint8(255), uint8(3), "DE", int64(-62135596800), true, "home_adaptation", uint8(2), uint8(6), int64(86400))
	ev := evaluator(f)
	f.Fuzz(func(t *testing.T, kind, purpose, channel, senderKind uint8, country string, atUnix int64, roleRelevant bool,
		category string, status, method uint8, recordOffset int64) {
		at := time.Unix(atUnix, 0).UTC()
		if atUnix == 0 {
			at = time.Time{}
		}
		c := &consent.Contact{ID: "c", Kind: consent.RecipientKind(kind), Location: time.UTC,
			Email: address.MustParseEmail("fuzz@example.com"), Phone: address.MustParsePhone("+33639980001", address.Country{})}
		if cc, err := address.ParseCountry(country); err == nil {
			c.Country = cc
		}
		// Records are appended through the ledger, which validates them;
		// an invalid one is simply refused.
		_ = c.Records.Append(consent.Record{ID: "r", Subject: c.Email, Purpose: consent.Purpose(purpose),
			Channel: consent.Channel(channel), Sender: "E", Status: consent.Status(status),
			At: at.Add(time.Duration(recordOffset) * time.Second), Method: consent.Method(method)})
		var collected []address.Address
		if a := c.Address(consent.Channel(channel)); !a.IsZero() {
			collected = []address.Address{a}
		}
		c.Relationship.Purchases = []consent.Interaction{{ID: "p", At: at.Add(-time.Hour), Seller: "E",
			Category: category, Collected: collected, OptOutOffered: roleRelevant,
			Refused: status == 0 && collected != nil}}
		m := consent.Message{Purpose: consent.Purpose(purpose), Channel: consent.Channel(channel), Category: category,
			Sender: consent.Sender{Entity: "E", Kind: consent.SenderKind(senderKind)}, At: at, RoleRelevant: roleRelevant,
			PresumedConsent: roleRelevant && recordOffset%2 == 0}
		d, err := ev.Decide(eligibility.Request{Contact: c, Message: m})
		checkInvariants(t, d, err)
	})
}

// checkDecodeError: a decoder of the module fails with a *consent.FieldError
// (json.Unmarshal's own errors only for input that is not JSON at all).
func checkDecodeError(t *testing.T, err error) {
	t.Helper()
	var fe *consent.FieldError
	var se *json.SyntaxError
	if !errors.As(err, &fe) && !errors.As(err, &se) {
		t.Fatalf("decoding failed with %T %v, want a *consent.FieldError", err, err)
	}
}

// FuzzRequestJSON: a request decodes only from its exact wire form, with a
// typed error otherwise; a decoded request round-trips through its JSON
// form and decides within the invariants.
func FuzzRequestJSON(f *testing.F) {
	f.Add([]byte(requestJSON(grantJSON, withdrawalJSON)))
	f.Add([]byte(requestJSON()))
	f.Add([]byte(strings.Replace(requestJSON(), `{"contact"`, `{"ref":"send-42","contact"`, 1)))
	f.Add([]byte(strings.Replace(requestJSON(), `{"contact"`, `{"ref":"lea@example.com","contact"`, 1)))
	f.Add([]byte(`{"contact":null,"message":{}}`))
	f.Add([]byte(`{"Contact":{},"message":{}}`))
	f.Add([]byte(`[]`))
	ev := evaluator(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		var req eligibility.Request
		if err := json.Unmarshal(b, &req); err != nil {
			checkDecodeError(t, err)
			if req.Contact != nil {
				t.Fatalf("a failed decode left a contact in the request")
			}
			return
		}
		if req.Contact == nil {
			t.Fatalf("decoded a request without a contact: %s", b)
		}
		out, err := json.Marshal(req)
		if err != nil {
			t.Fatalf("json.Marshal(decoded request) error = %v", err)
		}
		var again eligibility.Request
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("json.Unmarshal(json.Marshal(req)) error = %v\n%s", err, out)
		}
		out2, err := json.Marshal(again)
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("round trip changed the request:\n%s\n%s (%v)", out, out2, err)
		}
		d, err := ev.Decide(req)
		checkInvariants(t, d, err)
	})
}
