package eligibility_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
)

// phoneGrant is a voice_live grant for the test contact's number.
func phoneGrant(id string, when time.Time, m consent.Method) consent.Record {
	return consent.Record{ID: id, Subject: address.MustParsePhone("+447700900123", address.Country{}),
		Purpose: consent.MarketingGeneral, Channel: consent.VoiceLive, Sender: sender,
		Status: consent.Granted, At: when, Method: m}
}

// TestConsentMethod: consentMethod names how the grant that counts was
// captured, and none when no grant counts (a pre-ticked box, an
// unconfirmed double opt-in, no grant at all).
func TestConsentMethod(t *testing.T) {
	email := func(m consent.Method, mod func(*consent.Record)) contactOpt {
		r := grant("g", "oliver", consent.MarketingGeneral, consent.Email, t0.Add(-days(3)))
		r.Method = m
		if mod != nil {
			mod(&r)
		}
		return withRecords(t, r)
	}
	confirmed := func(r *consent.Record) { r.ConfirmedAt = t0.Add(-days(2)) }
	proof := func(r *consent.Record) { r.ProofRef = "batch-7" }
	all := []string{"unticked_checkbox", "double_opt_in", "signed_form", "recorded_verbal", "imported"}
	tests := []struct {
		name string
		opt  contactOpt
		want string // "" : no method holds
	}{
		{"unticked checkbox", email(consent.UntickedCheckbox, nil), "unticked_checkbox"},
		{"confirmed double opt-in", email(consent.DoubleOptIn, confirmed), "double_opt_in"},
		{"unconfirmed double opt-in counts not", email(consent.DoubleOptIn, nil), ""},
		{"signed form", email(consent.SignedForm, nil), "signed_form"},
		{"recorded verbal", email(consent.RecordedVerbal, nil), "recorded_verbal"},
		{"imported with proof", email(consent.Imported, proof), "imported"},
		{"imported without proof counts not", email(consent.Imported, nil), ""},
		{"pre-ticked counts not", email(consent.PreTicked, nil), ""},
		{"no grant", func(*consent.Contact) {}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := luContact(t, tt.opt)
			var got []string
			for _, m := range all {
				if holds(t, inputsPolicy(t, "consentMethod('marketing_general', 'email') == '"+m+"'"), c, consent.Email, t0) {
					got = append(got, m)
				}
			}
			var want []string
			if tt.want != "" {
				want = []string{tt.want}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("methods that hold (-want +got):\n%s", diff)
			}
		})
	}
}

// TestConsentDocumented: a grant is documented only with its source, its
// wording version and its proof reference; a grant that does not count is
// never documented.
func TestConsentDocumented(t *testing.T) {
	full := func(r *consent.Record) {
		r.Source, r.WordingVersion, r.ProofRef = "https://shop.example/callback", "call-v3", "rec-0042"
	}
	tests := []struct {
		name string
		mod  func(*consent.Record)
		want bool
	}{
		{"source, wording and proof", full, true},
		{"no source", func(r *consent.Record) { full(r); r.Source = "" }, false},
		{"no wording", func(r *consent.Record) { full(r); r.WordingVersion = "" }, false},
		{"no proof", func(r *consent.Record) { full(r); r.ProofRef = "" }, false},
		{"nothing recorded", func(*consent.Record) {}, false},
		{"pre-ticked, fully documented", func(r *consent.Record) { full(r); r.Method = consent.PreTicked }, false},
	}
	p := inputsPolicy(t, "consentDocumented('marketing_general', 'voice_live')")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := phoneGrant("g", t0.Add(-days(3)), consent.RecordedVerbal)
			tt.mod(&r)
			c := luContact(t, withRecords(t, r))
			if got := holds(t, p, c, consent.VoiceLive, t0); got != tt.want {
				t.Errorf("consentDocumented = %v, want %v", got, tt.want)
			}
			// Before the grant was captured there is nothing to document.
			if holds(t, p, c, consent.VoiceLive, t0.Add(-days(4))) {
				t.Error("consentDocumented holds before the grant")
			}
		})
	}
}

// TestPresumedConsent: the host's statement counts for every recipient
// but a consumer, and only when made.
func TestPresumedConsent(t *testing.T) {
	p := inputsPolicy(t, "presumedConsent()")
	for _, kind := range []consent.RecipientKind{consent.Consumer, consent.SoleTrader, consent.BusinessNamed, consent.BusinessGeneric} {
		for _, stated := range []bool{false, true} {
			c := newContact(t, "oliver", "LU", kind)
			m := message(consent.MarketingGeneral, consent.VoiceLive, "kettles", t0)
			m.PresumedConsent = stated
			d, err := decide(p, c, m)
			if err != nil {
				t.Fatalf("Decide: %v", err)
			}
			want := stated && kind != consent.Consumer
			if got := d.Verdict == eligibility.Allow; got != want {
				t.Errorf("%v, stated %v: presumedConsent() = %v, want %v", kind, stated, got, want)
			}
		}
	}
}

// TestPresumedConsentOnlyForCalls: a message on another channel stating
// presumed consent is malformed: a typed error and a deny.
func TestPresumedConsentOnlyForCalls(t *testing.T) {
	p := inputsPolicy(t, "true")
	for _, ch := range []consent.Channel{consent.Email, consent.SMS, consent.VoiceAutomated, consent.Push, consent.Post} {
		m := message(consent.MarketingGeneral, ch, "kettles", t0)
		m.PresumedConsent = true
		d, err := decide(p, luContact(t), m)
		var fe *consent.FieldError
		if !errors.As(err, &fe) || fe.Field != "message.presumed_consent" {
			t.Errorf("%v: error = %v, want a *consent.FieldError on message.presumed_consent", ch, err)
		}
		if d.Verdict != eligibility.Deny {
			t.Errorf("%v: verdict = %v, want deny", ch, d.Verdict)
		}
	}
}

// TestMethodVocabulary: a method constant outside the vocabulary, or a
// value of another vocabulary, is a compile error.
func TestMethodVocabulary(t *testing.T) {
	for _, tc := range []struct{ cond, want string }{
		{"consentMethod('marketing_general', 'email') == 'double_optin'", `"double_optin" is not a consent method`},
		{"consentMethod('marketing_general', 'email') == 'pre_ticked2'", "consent method"},
		{"consentDocumented('email', 'marketing_general')", "purpose"},
	} {
		wantInputsCompileError(t, tc.cond, tc.want)
	}
}

// TestEvidenceInputsAgreeWithCEL: the compiled closures of consentMethod,
// consentDocumented and presumedConsent agree with cel-go's evaluation.
func TestEvidenceInputsAgreeWithCEL(t *testing.T) {
	documented := phoneGrant("g-doc", t0.Add(-days(3)), consent.RecordedVerbal)
	documented.Source, documented.WordingVersion, documented.ProofRef = "https://shop.example/callback", "call-v3", "rec-0042"
	doi := grant("g-doi", "oliver", consent.MarketingGeneral, consent.Email, t0.Add(-days(5)))
	doi.Method, doi.ConfirmedAt = consent.DoubleOptIn, t0.Add(-days(1))
	contacts := []*consent.Contact{
		luContact(t),
		luContact(t, withRecords(t, documented, doi)),
		newContact(t, "firm", "LU", consent.BusinessNamed, withRecords(t, phoneGrant("g-b", t0.Add(-days(3)), consent.SignedForm))),
	}
	conds := []string{
		"consentMethod('marketing_general', request.channel) in ['double_opt_in', 'signed_form']",
		"consentMethod(request.purpose, 'voice_live') == 'recorded_verbal'",
		"consentDocumented(request.purpose, request.channel)",
		"presumedConsent() || contact.kind == 'consumer'",
	}
	total := 0
	for _, cond := range conds {
		p := inputsPolicy(t, cond)
		for _, c := range contacts {
			for _, at := range []time.Time{t0.Add(-days(4)), t0.Add(-days(2)), t0} {
				for _, ch := range []consent.Channel{consent.Email, consent.VoiceLive} {
					m := message(consent.MarketingGeneral, ch, "kettles", at)
					m.PresumedConsent = ch == consent.VoiceLive
					bad, n := p.OracleMismatches(c, m)
					total += n
					if len(bad) > 0 {
						t.Errorf("%s, %s on %v at %v: %v", cond, c.ID, ch, at, bad)
					}
				}
			}
		}
	}
	if total == 0 {
		t.Fatal("nothing compared")
	}
}

// TestAuditKeepsPresumedConsent: the audit of a German business call
// allowed on presumed consent keeps the host's statement it relied on.
func TestAuditKeepsPresumedConsent(t *testing.T) {
	p, err := eligibility.Default()
	if err != nil {
		t.Fatal(err)
	}
	c := newContact(t, "einkauf", "DE", consent.BusinessNamed, withPhone("+4930555501234"))
	m := message(consent.MarketingGeneral, consent.VoiceLive, "office_supplies", t0)
	m.PresumedConsent = true
	a, err := p.Explain(eligibility.Request{Contact: c, Message: *m}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.Decision.Verdict != eligibility.Allow || a.Decision.Rule != "DE_PRESUMED_CONSENT_BUSINESS_CALL" || !a.Request.PresumedConsent {
		t.Fatalf("audit: %v by %s, request presumed_consent %v; want allow by DE_PRESUMED_CONSENT_BUSINESS_CALL, true",
			a.Decision.Verdict, a.Decision.Rule, a.Request.PresumedConsent)
	}
	b, err := json.Marshal(a.Request)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"presumed_consent":true`) {
		t.Errorf("audited request %s lacks presumed_consent", b)
	}
}
