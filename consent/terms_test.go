package consent_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
)

// usGrant is a written grant of marketing texts with the given terms, to a
// number in the range reserved for fiction.
func usGrant(id string, m consent.Method, terms ...consent.Term) consent.Record {
	return consent.Record{ID: id, Subject: phone("+12125550123"), Purpose: consent.MarketingGeneral,
		Channel: consent.SMS, Sender: "Example Wireless Inc.", Status: consent.Granted, At: t0, Method: m,
		Terms: consent.TermsOf(terms...)}
}

func TestTermsSet(t *testing.T) {
	s := consent.TermsOf(consent.NotPurchaseCondition, consent.NoTerm, consent.Signature, consent.Signature)
	if diff := cmp.Diff([]consent.Term{consent.Signature, consent.NotPurchaseCondition}, s.List()); diff != "" {
		t.Errorf("List (-want +got):\n%s", diff)
	}
	for _, tc := range []struct {
		t    consent.Term
		want bool
	}{{consent.NoTerm, false}, {consent.Signature, true}, {consent.AutomatedMeans, false},
		{consent.NotPurchaseCondition, true}, {consent.Term(9), false}} {
		if got := s.Has(tc.t); got != tc.want {
			t.Errorf("Has(%v) = %v, want %v", tc.t, got, tc.want)
		}
	}
	if got := consent.TermsOf(consent.Term(9)); got != 0 {
		t.Errorf("TermsOf(undefined) = %v, want the empty set", got)
	}
}

func TestTermsJSON(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   consent.Terms
		want string
	}{
		{"empty", 0, `[]`},
		{"declaration order", consent.TermsOf(consent.NotPurchaseCondition, consent.Signature), `["signature","not_purchase_condition"]`},
		{"all", consent.TermsOf(consent.Signature, consent.AutomatedMeans, consent.NotPurchaseCondition, consent.Indefinite),
			`["signature","automated_means","not_purchase_condition","indefinite"]`},
		{"indefinite alone", consent.TermsOf(consent.Indefinite), `["indefinite"]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.in)
			if err != nil || string(b) != tc.want {
				t.Fatalf("Marshal = %s, %v; want %s", b, err, tc.want)
			}
			var back consent.Terms
			if err := json.Unmarshal(b, &back); err != nil || back != tc.in {
				t.Errorf("Unmarshal(%s) = %v, %v; want %v", b, back, err, tc.in)
			}
		})
	}
	if _, err := json.Marshal(consent.Terms(0x80)); err == nil {
		t.Error("Marshal of an undefined term: no error")
	}
	for _, tc := range []struct {
		in, field string
		want      error
	}{
		{`["signature","blue"]`, "[1]", consent.ErrUnknownValue},
		{`["signature","signature"]`, "[1]", consent.ErrInvalid},
		{`[""]`, "[0]", consent.ErrMissing},
		{`["Signature"]`, "[0]", consent.ErrUnknownValue},
		{`"signature"`, "", consent.ErrInvalid},
	} {
		var s consent.Terms
		err := json.Unmarshal([]byte(tc.in), &s)
		checkFieldError(t, err, tc.field, tc.want)
		if s != 0 {
			t.Errorf("Unmarshal(%s) left %v, want the set untouched", tc.in, s)
		}
	}
}

func TestRecordTerms(t *testing.T) {
	full := usGrant("g-us-1", consent.UntickedCheckbox, consent.Signature, consent.AutomatedMeans, consent.NotPurchaseCondition)
	b, err := json.Marshal(full)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]any{"signature", "automated_means", "not_purchase_condition"}, m["terms"]); diff != "" {
		t.Errorf("wire form of terms (-want +got):\n%s", diff)
	}
	var back consent.Record
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("Unmarshal(%s): %v", b, err)
	}
	if back != full {
		t.Errorf("round trip: got %+v, want %+v", back, full)
	}
	// A record without terms has no "terms" key: records stored before
	// terms existed encode as they did.
	plain := map[string]any{}
	if b, _ := json.Marshal(grant("g-1", t0)); json.Unmarshal(b, &plain) != nil || plain["terms"] != nil {
		t.Errorf("a record without terms encodes them: %s", b)
	}

	for _, tc := range []struct {
		name, in, field string
		want            error
	}{
		{"unknown term", `{"id":"g","subject":"+12125550123","purpose":"marketing_general","channel":"sms","sender":"S",` +
			`"status":"granted","at":"2026-01-10T09:00:00Z","method":"signed_form","terms":["seal"]}`, "terms[0]", consent.ErrUnknownValue},
		{"term twice", `{"id":"g","subject":"+12125550123","purpose":"marketing_general","channel":"sms","sender":"S",` +
			`"status":"granted","at":"2026-01-10T09:00:00Z","method":"signed_form","terms":["signature","automated_means","signature"]}`,
			"terms[2]", consent.ErrInvalid},
		{"terms on a withdrawal", `{"id":"w","purpose":"marketing_general","channel":"sms","sender":"S",` +
			`"status":"withdrawn","at":"2026-01-10T09:00:00Z","terms":["signature"]}`, "terms", consent.ErrInvalid},
		{"terms key in another case", `{"id":"g","subject":"+12125550123","purpose":"marketing_general","channel":"sms","sender":"S",` +
			`"status":"granted","at":"2026-01-10T09:00:00Z","method":"signed_form","Terms":["signature"]}`, "Terms", consent.ErrUnknownField},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r consent.Record
			checkFieldError(t, json.Unmarshal([]byte(tc.in), &r), tc.field, tc.want)
		})
	}
	bad := full
	bad.Terms = 0x40
	checkFieldError(t, bad.Check(), "terms", consent.ErrUnknownValue)
	stop := withdrawal("w-1", t0)
	stop.Terms = consent.TermsOf(consent.Signature)
	checkFieldError(t, stop.Check(), "terms", consent.ErrInvalid)
}

// GrantMissing names the first element of a written agreement the grant in
// force lacks, in declaration order; a signed form is signed; nothing is
// missing when no grant counts.
func TestGrantMissing(t *testing.T) {
	q := consent.Query{Purpose: consent.MarketingGeneral, Channel: consent.SMS, Sender: "Example Wireless Inc.",
		At: day(1), Address: phone("+12125550123")}
	for _, tc := range []struct {
		name string
		recs []consent.Record
		want consent.Term
	}{
		{"no record", nil, consent.NoTerm},
		{"every term", []consent.Record{usGrant("g", consent.UntickedCheckbox, consent.Signature, consent.AutomatedMeans,
			consent.NotPurchaseCondition)}, consent.NoTerm},
		{"no terms at all", []consent.Record{usGrant("g", consent.UntickedCheckbox)}, consent.Signature},
		{"unsigned", []consent.Record{usGrant("g", consent.UntickedCheckbox, consent.AutomatedMeans, consent.NotPurchaseCondition)},
			consent.Signature},
		{"a signed form is signed", []consent.Record{usGrant("g", consent.SignedForm, consent.AutomatedMeans,
			consent.NotPurchaseCondition)}, consent.NoTerm},
		{"no automated means", []consent.Record{usGrant("g", consent.SignedForm, consent.NotPurchaseCondition)},
			consent.AutomatedMeans},
		{"no disclosure", []consent.Record{usGrant("g", consent.UntickedCheckbox, consent.Signature, consent.AutomatedMeans)},
			consent.NotPurchaseCondition},
		{"a grant that does not count", []consent.Record{usGrant("g", consent.PreTicked)}, consent.NoTerm},
		{"indefinite is no element of a written agreement", []consent.Record{usGrant("g", consent.UntickedCheckbox,
			consent.Signature, consent.AutomatedMeans, consent.NotPurchaseCondition, consent.Indefinite)}, consent.NoTerm},
		{"indefinite alone", []consent.Record{usGrant("g", consent.UntickedCheckbox, consent.Indefinite)}, consent.Signature},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := mustLedger(t, tc.recs...).State(q).GrantMissing(); got != tc.want {
				t.Errorf("GrantMissing() = %q, want %q", got, tc.want)
			}
		})
	}
}

// GrantTerms are the terms of the grant that counts; none when none
// counts.
func TestGrantTerms(t *testing.T) {
	q := consent.Query{Purpose: consent.MarketingGeneral, Channel: consent.SMS, Sender: "Example Wireless Inc.",
		At: day(1), Address: phone("+12125550123")}
	if got := mustLedger(t, usGrant("g", consent.UntickedCheckbox, consent.Indefinite)).State(q).GrantTerms(); got != consent.TermsOf(consent.Indefinite) {
		t.Errorf("GrantTerms() = %v, want [indefinite]", got.List())
	}
	if got := mustLedger(t, usGrant("g", consent.PreTicked, consent.Indefinite)).State(q).GrantTerms(); got != 0 {
		t.Errorf("GrantTerms() of a grant that does not count = %v, want none", got.List())
	}
}

// A record with terms that conflicts with one without is a different
// record: the ledger keeps both under derived ids, and a derived id is
// stable.
func TestTermsInRecordIdentity(t *testing.T) {
	a := usGrant("g-1", consent.UntickedCheckbox)
	b := usGrant("g-1", consent.UntickedCheckbox, consent.Signature)
	l, err := consent.NewLedger(a, b)
	if err == nil {
		t.Fatal("records differing only by terms did not conflict")
	}
	n := 0
	for range l.All() {
		n++
	}
	if n != 2 {
		t.Errorf("ledger holds %d records, want 2", n)
	}
}
