package eligibility_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

// primaryPurposeSet reads e-mail by its primary purpose and SMS by the
// default (marketing) reading.
const primaryPurposeSet = `jurisdiction: NZ
title: primary purpose
channels: [email, sms]
parameters:
  primary_purpose_channels: [email]
rules:
  - id: NZ_T_TRANSACTIONAL
    channels: [all]
    effect: exempt
    basis: transactional
    reason: TRANSACTIONAL
    citation: Fictional Act s. 1
    condition: request.purpose == 'transactional'
  - id: NZ_T_ANY
    channels: [all]
    effect: allow
    basis: consent
    reason: ANY
    citation: Fictional Act s. 2
    condition: "true"
`

// On a channel read by primary purpose, a transactional message is
// marketing only for a promotional subject line or transactional content
// that does not come first; a promotional body or a category alone leaves
// it transactional, though a marketing stop still meets the promotion it
// carries. Other channels keep the marketing reading.
func TestPrimaryPurpose(t *testing.T) {
	p := mustCompile(t, []*rules.Set{mustParse(t, "pp.yaml", primaryPurposeSet)}, eligibility.Params{})
	when := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
	objection := consent.Record{ID: "o-1", Purpose: consent.MarketingGeneral, Channel: consent.AllChannels, Sender: sender,
		Status: consent.Objection, At: when.AddDate(0, 0, -30)}
	type outcome struct {
		Rule         string
		Purpose      consent.Purpose
		Reclassified eligibility.Reclassification
	}
	tests := []struct {
		name     string
		ch       consent.Channel
		content  consent.Content
		category string
		stopped  bool
		want     outcome
	}{
		{"plain receipt", consent.Email, 0, "", false, outcome{"NZ_T_TRANSACTIONAL", consent.Transactional, eligibility.NotReclassified}},
		{"receipt with a promotional block", consent.Email, consent.PromotionalBody, "", false,
			outcome{"NZ_T_TRANSACTIONAL", consent.Transactional, eligibility.NotReclassified}},
		{"receipt naming a category", consent.Email, 0, "tea", false, outcome{"NZ_T_TRANSACTIONAL", consent.Transactional, eligibility.NotReclassified}},
		{"promotional subject line", consent.Email, consent.PromotionalSubject, "", false,
			outcome{"NZ_T_ANY", consent.MarketingGeneral, eligibility.PromotionalContent}},
		{"transactional part not first", consent.Email, consent.TransactionalNotFirst | consent.PromotionalBody, "", false,
			outcome{"NZ_T_ANY", consent.MarketingGeneral, eligibility.PromotionalContent}},
		{"transactional part not first, marker alone", consent.Email, consent.TransactionalNotFirst, "", false,
			outcome{"NZ_T_ANY", consent.MarketingGeneral, eligibility.PromotionalContent}},
		{"rating request", consent.Email, consent.RatingRequest, "", false,
			outcome{"NZ_T_ANY", consent.FeedbackRequest, eligibility.RatingRequestContent}},
		{"promotional block after an objection", consent.Email, consent.PromotionalBody, "", true,
			outcome{eligibility.RuleStopObjection, consent.Transactional, eligibility.NotReclassified}},
		{"plain receipt after an objection", consent.Email, 0, "", true,
			outcome{"NZ_T_TRANSACTIONAL", consent.Transactional, eligibility.NotReclassified}},
		{"SMS: a promotional block makes it marketing", consent.SMS, consent.PromotionalBody, "", false,
			outcome{"NZ_T_ANY", consent.MarketingGeneral, eligibility.PromotionalContent}},
		{"SMS: transactional part not first", consent.SMS, consent.TransactionalNotFirst, "", false,
			outcome{"NZ_T_ANY", consent.MarketingGeneral, eligibility.PromotionalContent}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var recs []consent.Record
			if tt.stopped {
				recs = append(recs, objection)
			}
			c := newContact(t, "ann", "NZ", consent.Consumer, withRecords(t, recs...))
			m := message(consent.Transactional, tt.ch, tt.category, when)
			m.Content = tt.content
			d, err := decide(p, c, m)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, outcome{d.Rule, d.Purpose, d.Reclassified}); diff != "" {
				t.Errorf("decision (-want +got):\n%s", diff)
			}
		})
	}
}

// A bad list of primary-purpose channels is refused.
func TestPrimaryPurposeChannelsChecked(t *testing.T) {
	for _, list := range []string{"[all]", "[email, email]", "[fax]"} {
		src := "jurisdiction: NZ\ntitle: t\nchannels: [email]\nparameters:\n  primary_purpose_channels: " + list + "\nrules: []\n"
		set, err := rules.Parse("bad.yaml", []byte(src))
		if err == nil {
			_, err = eligibility.Compile([]*rules.Set{set}, eligibility.Params{})
		}
		if err == nil {
			t.Errorf("primary_purpose_channels %s: no error", list)
		}
	}
}

// Every built-in set reads transactional_not_first at least as strictly
// as promotional_body: it implies promotional content.
func TestTransactionalNotFirstAtLeastAsStrict(t *testing.T) {
	p, err := eligibility.Default()
	if err != nil {
		t.Fatal(err)
	}
	when := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
	rank := map[eligibility.Verdict]int{eligibility.Allow: 0, eligibility.Defer: 1, eligibility.Undetermined: 2, eligibility.Deny: 2}
	for _, code := range p.Jurisdictions() {
		for ch := consent.Email; ch < consent.AllChannels; ch++ {
			for _, recs := range [][]consent.Record{nil,
				{grant("g-1", "ann", consent.MarketingGeneral, ch, when.AddDate(0, -1, 0))},
				{{ID: "o-1", Purpose: consent.MarketingGeneral, Channel: ch, Sender: sender, Status: consent.Objection, At: when.AddDate(0, -1, 0)}},
			} {
				country, region := code, "" // a subdivision's set: a contact of its country declaring it
				if len(code) > 2 {
					country, region = code[:2], code
				}
				c := newContact(t, "ann", country, consent.Consumer, withRecords(t, recs...),
					func(c *consent.Contact) { c.PushPermitted, c.Region = true, region })
				m := message(consent.Transactional, ch, "", when)
				m.Content = consent.PromotionalBody
				body, err1 := decide(p, c, m)
				m.Content = consent.TransactionalNotFirst
				notFirst, err2 := decide(p, c, m)
				if (err1 == nil) != (err2 == nil) {
					t.Fatalf("%s %v: errors %v, %v", code, ch, err1, err2)
				}
				if rank[notFirst.Verdict] < rank[body.Verdict] {
					t.Errorf("%s %v %d records: transactional_not_first %v (%s), promotional_body %v (%s): want at least as strict",
						code, ch, len(recs), notFirst.Verdict, notFirst.Rule, body.Verdict, body.Rule)
				}
				if country != "US" && (notFirst.Verdict != body.Verdict || notFirst.Purpose != body.Purpose) {
					t.Errorf("%s %v: transactional_not_first %v %v, promotional_body %v %v: want the same reading",
						code, ch, notFirst.Verdict, notFirst.Purpose, body.Verdict, body.Purpose)
				}
			}
		}
	}
}
