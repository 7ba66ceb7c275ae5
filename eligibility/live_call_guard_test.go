package eligibility_test

import (
	"testing"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

// TestLiveCallGuard: EU_LIVE_CALL_NEEDS_NATIONAL_RULE is the EU baseline's
// answer for a member state whose set has no live-call rule of its own.
// Every built-in set extending the baseline decides every live call first
// (France for every recipient kind, before and after 11 August 2026;
// Belgium and the others), so the scenarios reach it only through a test set
// (testdata/sets/lu_baseline_only.yaml); this test reaches it with the
// built-in baseline under a country set without rules, for every recipient
// kind, with and without a consent to calls.
func TestLiveCallGuard(t *testing.T) {
	builtin, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var eu *rules.Set
	for _, s := range builtin {
		if s.Jurisdiction == "EU" {
			eu = s
		}
	}
	if eu == nil {
		t.Fatal("no EU baseline among the built-in sets")
	}
	lu, err := rules.Parse("lu.yaml", []byte("jurisdiction: LU\nextends: EU\ntitle: Test\nrules: []\n"))
	if err != nil {
		t.Fatal(err)
	}
	p := mustCompile(t, []*rules.Set{eu, lu}, eligibility.Params{})
	zone, err := time.LoadLocation("Europe/Luxembourg")
	if err != nil {
		t.Fatal(err)
	}
	when := time.Date(2026, time.September, 15, 11, 0, 0, 0, zone)
	sender := consent.Sender{Entity: "Maison Exemple SAS", Kind: consent.Company}
	for _, kind := range []consent.RecipientKind{consent.Consumer, consent.SoleTrader, consent.BusinessNamed, consent.BusinessGeneric} {
		for _, consented := range []bool{false, true} {
			c := &consent.Contact{ID: "c-lu", Kind: kind, Country: address.MustCountry("LU"), Location: zone,
				Phone: address.MustParsePhone("+352 621 555 010", address.MustCountry("LU"))}
			if consented {
				if err := c.Records.Append(consent.Record{ID: "g-lu", Subject: c.Phone, Purpose: consent.MarketingGeneral,
					Channel: consent.VoiceLive, Sender: sender.Entity, Status: consent.Granted, At: when.AddDate(-1, 0, 0),
					Method: consent.SignedForm}); err != nil {
					t.Fatal(err)
				}
			}
			d, err := p.Decide(eligibility.Request{Contact: c, Message: consent.Message{Purpose: consent.MarketingGeneral,
				Channel: consent.VoiceLive, Sender: sender, At: when}})
			if err != nil {
				t.Fatalf("%v, consent %v: Decide: %v", kind, consented, err)
			}
			if d.Verdict != eligibility.Deny || d.Rule != "EU_LIVE_CALL_NEEDS_NATIONAL_RULE" || d.Reason != "LIVE_CALL_NEEDS_NATIONAL_RULE" {
				t.Errorf("%v, consent %v: got %v %s %s, want deny EU_LIVE_CALL_NEEDS_NATIONAL_RULE LIVE_CALL_NEEDS_NATIONAL_RULE",
					kind, consented, d.Verdict, d.Rule, d.Reason)
			}
		}
	}
}
