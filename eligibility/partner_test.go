package eligibility_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

// partnerRequest is a request from Diffuseur Exemple SA to a French or
// British consumer holding the grants recs, at.
func partnerRequest(t testing.TB, country string, ch consent.Channel, at time.Time, recs ...consent.Record) eligibility.Request {
	t.Helper()
	l, err := consent.NewLedger(recs...)
	if err != nil {
		t.Fatal(err)
	}
	c := &consent.Contact{ID: "c-partner", Kind: consent.Consumer, Country: address.MustCountry(country), Location: paris,
		Email: address.MustParseEmail("camille.durand@example.com"), Records: *l}
	return eligibility.Request{Contact: c, Message: consent.Message{Purpose: consent.MarketingGeneral, Channel: ch,
		Sender: consent.Sender{Entity: "Diffuseur Exemple SA", Kind: consent.Company}, At: at}}
}

// partnerGrant is a sound co-registration grant to Diffuseur Exemple SA,
// collected by FAI Exemple SAS, changed by edit.
func partnerGrant(id string, at time.Time, edit func(*consent.Provenance)) consent.Record {
	p := &consent.Provenance{
		Collector: consent.Party{Entity: "FAI Exemple SAS", ID: "SIREN 000000011"},
		Partners: consent.Partners{Version: "v3", Shown: consent.ShownInline,
			Entries: []consent.Partner{{Entity: "Diffuseur Exemple SA", ID: "SIREN 000000012"}}},
		Separate: true, IndividualProof: "forms/4711", ObtainedAt: at.Add(48 * time.Hour),
	}
	if edit != nil {
		edit(p)
	}
	return consent.Record{ID: id, Subject: address.MustParseEmail("camille.durand@example.com"), Purpose: consent.MarketingGeneral,
		Channel: consent.Email, Sender: "Diffuseur Exemple SA", Status: consent.Granted, Method: consent.UntickedCheckbox,
		At: at, Provenance: p}
}

// TestPartnerDecisions: the partner rules decide the documented cases,
// and a decision over a partner grant allocates nothing.
func TestPartnerDecisions(t *testing.T) {
	ev := evaluator(t)
	given := time.Date(2026, 2, 1, 10, 0, 0, 0, paris)
	send := time.Date(2026, 3, 1, 10, 0, 0, 0, paris)
	objection := consent.Record{ID: "o-1", Purpose: consent.MarketingSimilar, Channel: consent.AllChannels,
		Sender: "fai exemple sas", Status: consent.Objection, At: given.Add(240 * time.Hour)}
	tests := []struct {
		name    string
		req     eligibility.Request
		verdict eligibility.Verdict
		rule    string
		review  bool
	}{
		{"named", partnerRequest(t, "FR", consent.Email, send, partnerGrant("g", given, nil)), eligibility.Allow, "EU_PARTNER_CONSENT", false},
		{"category", partnerRequest(t, "FR", consent.Email, send, partnerGrant("g", given, func(p *consent.Provenance) {
			p.Partners = consent.Partners{Category: "nos partenaires"}
		})), eligibility.Deny, "EU_PARTNER_CATEGORY_ONLY", true},
		{"objection to the collector", partnerRequest(t, "FR", consent.Email, send, partnerGrant("g", given, nil), objection),
			eligibility.Deny, "EU_PARTNER_OBJECTION_PROPAGATED", false},
		{"notice late", partnerRequest(t, "FR", consent.Email, send.AddDate(0, 2, 0), partnerGrant("g", given, nil)),
			eligibility.Deny, "EU_ART14_NOTICE_LATE", true},
		{"UK named", partnerRequest(t, "GB", consent.Email, send, partnerGrant("g", given, nil)), eligibility.Allow, "UK_PARTNER_CONSENT", false},
		{"UK aged", partnerRequest(t, "GB", consent.Email, send.AddDate(0, 7, 0), partnerGrant("g", given, func(p *consent.Provenance) {
			p.NoticeSentAt = p.ObtainedAt
		})), eligibility.Deny, "UK_INDIRECT_CONSENT_AGED", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ev.Decide(tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]any{tt.verdict, tt.rule, tt.review}, []any{d.Verdict, d.Rule, d.NeedsReview}); diff != "" {
				t.Errorf("Decide (-want +got):\n%s\n%v", diff, d)
			}
			if raceEnabled {
				return
			}
			if n := testing.AllocsPerRun(20, func() { _, _ = ev.Decide(tt.req) }); n != 0 {
				t.Errorf("Decide allocates %v times per call, want 0", n)
			}
		})
	}
}

// TestPartnerDeferCrossesLateNotice: a message held back by a window
// whose wait crosses the end of the art. 14 month (art14NoticeLate's change
// point) is denied, not deferred to an instant that is late; with the
// notice sent it is deferred to the window's opening.
func TestPartnerDeferCrossesLateNotice(t *testing.T) {
	ev := evaluator(t)
	given := time.Date(2026, 2, 1, 10, 0, 0, 0, paris)
	saturday := time.Date(2026, 2, 28, 22, 0, 0, 0, paris) // the operators' SMS window is closed until Monday 08:00
	type outcome struct {
		Verdict   eligibility.Verdict
		Rule      string
		NotBefore time.Time
	}
	for _, tt := range []struct {
		name   string
		notice time.Time
		want   outcome
	}{
		{"no notice", time.Time{}, outcome{eligibility.Deny, "EU_ART14_NOTICE_LATE", time.Time{}}},
		{"notice sent", given.Add(time.Hour), outcome{eligibility.Defer, "FR_SMS_PROMO_WINDOW", time.Date(2026, 3, 2, 8, 0, 0, 0, paris)}},
	} {
		g := partnerGrant("g", given, func(p *consent.Provenance) { p.ObtainedAt, p.NoticeSentAt = given, tt.notice })
		g.Channel, g.Subject = consent.SMS, address.MustParsePhone("+33639980401", address.Country{})
		req := partnerRequest(t, "FR", consent.SMS, saturday, g)
		req.Contact.Phone = g.Subject
		d, err := ev.Decide(req)
		if err != nil {
			t.Fatal(err)
		}
		got := outcome{d.Verdict, d.Rule, d.NotBefore}
		if diff := cmp.Diff(tt.want, got, cmp.Comparer(time.Time.Equal)); diff != "" {
			t.Errorf("%s: (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestIndirectConsentAgeParams(t *testing.T) {
	sets, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		ages map[string]int
		want string // in the error; "" for none
	}{
		{map[string]int{"GB": 12}, ""},
		{map[string]int{"GB": 0}, "max_indirect_consent_age_months GB: 0: want 1 to 120"},
		{map[string]int{"GB": 121}, "want 1 to 120"},
		{map[string]int{"FR": 6}, "max_indirect_consent_age_months FR: no set of the policy for it declares"},
		{map[string]int{"XX": 6}, "max_indirect_consent_age_months XX: no set"},
	}
	for _, tt := range tests {
		p, err := eligibility.Compile(sets, eligibility.Params{IndirectConsentAge: tt.ages})
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%v: Compile = %v", tt.ages, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%v: Compile error %v, want one containing %q", tt.ages, err, tt.want)
		case tt.want != "":
			var list rules.ErrorList
			if !errors.As(err, &list) {
				t.Errorf("%v: error %T, want a rules.ErrorList", tt.ages, err)
			}
		case p.Version() == evaluator(t).Version():
			t.Errorf("%v: the policy version ignores the age", tt.ages)
		}
	}
}

// TestIndirectConsentAgeHouse: a house file cannot set the age.
func TestIndirectConsentAgeHouse(t *testing.T) {
	s, err := rules.Parse("house.yaml", []byte("house: acme\ntitle: t\napplies_to: {jurisdictions: [GB]}\n"+
		"parameters:\n  max_indirect_consent_age_months: 12\nrules: []\n"))
	if err != nil {
		t.Fatal(err)
	}
	sets, _ := rules.Builtin()
	if _, err := eligibility.Compile(append(sets, s), eligibility.Params{}); err == nil || !strings.Contains(err.Error(), "max_indirect_consent_age_months") {
		t.Errorf("Compile = %v, want the house file's parameter refused", err)
	}
}
