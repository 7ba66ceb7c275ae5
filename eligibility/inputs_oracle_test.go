package eligibility_test

import (
	"testing"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/consent/calls"
)

// TestInputsClosuresAgreeWithCEL: the compiled closures of the new
// functions agree with cel-go's evaluation of the same conditions, on
// contacts with and without attempts, sends, lookups, responses and contracts,
// at instants on both sides of their limits.
func TestInputsClosuresAgreeWithCEL(t *testing.T) {
	contacts := []*consent.Contact{
		luContact(t),
		luContact(t, withAttempts(call(t0.Add(-days(29)), calls.VoiceLive, calls.NoAnswer),
			call(t0.Add(-days(2)), calls.VoiceAutomated, calls.Refused),
			calls.Attempt{At: t0.Add(-days(1)), Channel: calls.VoiceLive, Sender: "Other Ltd", Outcome: calls.Refused}),
			withCheck(calls.TPS, "+447700900123", true, t0.Add(-days(27)), t0.Add(-days(3))),
			withCheck(calls.CTPS, "+447700900123", false, time.Time{}, t0.Add(-days(29))),
			func(c *consent.Contact) {
				c.PushPermitted, c.CollectedAt = true, t0.AddDate(-3, 0, 0)
				c.Relationship.Responses = []consent.Interaction{{ID: "r-1", At: t0.AddDate(-2, 0, 0), Seller: sender}}
				c.Relationship.Contracts = []consent.Contract{{ID: "k-1", Seller: sender, Start: t0.AddDate(-5, 0, 0), End: t0.AddDate(-1, 0, 0)}}
			}),
		luContact(t, withSent(sendOf(t0.Add(-days(6)), consent.MarketingGeneral, consent.Email),
			sendOf(t0.Add(-time.Hour), consent.MarketingSimilar, consent.Email),
			sendOf(t0.Add(-2*time.Hour), consent.Transactional, consent.Push),
			sendOf(t0.Add(days(1)), consent.FeedbackRequest, consent.Push),
			consent.Send{At: t0.Add(-time.Minute), Channel: consent.Email, Purpose: consent.MarketingGeneral, Sender: "Other Ltd"})),
		newContact(t, "inkoop", "LU", consent.BusinessGeneric, func(c *consent.Contact) {
			c.PublishedForMarketing = []address.Address{c.Phone}
			c.Relationship.Support = []consent.Interaction{{ID: "s-1", At: t0.AddDate(-2, 0, 0), Seller: sender,
				Collected: []address.Address{c.Phone}, OptOutOffered: true}}
		}),
	}
	conds := []string{
		"callAttempts(30) >= 1 && callAttempts(1) == 0",
		"refusedWithin(60)",
		"registry('tps') == 'listed' || registry('ctps') == 'clear'",
		"registry('tps') != 'unchecked'",
		"consentAfterListing('tps')",
		"pushPermitted()",
		"publishedForMarketing()",
		"supportedWithin(duration('26280h'))",
		"prospectActiveWithin(duration('26280h'))",
		"customerActiveWithin(duration('8760h'))",
		"contractWithin(30)",
		"contractWithin(400) && !contractWithin(1)",
		"consentInContract(30)",
		"sent('all_marketing', 'email', 1) >= 1",
		"sent('marketing_general', 'all', 7) == 1 && sent('transactional', 'push', 30) == 0",
		"sent(request.purpose, request.channel, 2) > 0 || sent('feedback_request', 'push', 3) > 0",
	}
	total := 0
	for _, cond := range conds {
		p := inputsPolicy(t, cond)
		for _, c := range contacts {
			for _, at := range []time.Time{t0.Add(-days(3)), t0, t0.Add(days(1)), t0.Add(days(30)), t0.AddDate(1, 0, 0)} {
				for _, ch := range []consent.Channel{consent.VoiceLive, consent.Push} {
					bad, n := p.OracleMismatches(c, message(consent.MarketingGeneral, ch, "kettles", at))
					total += n
					if len(bad) > 0 {
						t.Errorf("%s, %s at %v: %v", cond, c.ID, at, bad)
					}
				}
			}
		}
	}
	if total == 0 {
		t.Fatal("nothing compared")
	}
}
