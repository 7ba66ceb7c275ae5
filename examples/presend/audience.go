package main

import (
	"fmt"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
)

// demoSender is the sender of the demo campaign.
var demoSender = consent.Sender{Entity: "Example Shop", Kind: consent.Company}

// demoAudience builds n fictional marketing e-mails, deterministically:
// contacts in France, Belgium, the United Kingdom and Austria (no rules: a
// deny), with consent, without, or with consent and a later objection, sent
// on weekdays and on Sundays (deferred by the example house file).
func demoAudience(n int) ([]eligibility.Request, error) {
	zones := []struct{ country, zone string }{
		{"FR", "Europe/Paris"}, {"BE", "Europe/Brussels"}, {"GB", "Europe/London"}, {"AT", "Europe/Vienna"},
	}
	out := make([]eligibility.Request, 0, n)
	for i := range n {
		z := zones[i%len(zones)]
		loc, err := time.LoadLocation(z.zone)
		if err != nil {
			return nil, err
		}
		email := address.MustParseEmail(fmt.Sprintf("person%d@example.com", i))
		c := &consent.Contact{ID: fmt.Sprintf("c-%d", i), Kind: consent.Consumer,
			Country: address.MustCountry(z.country), Location: loc, Email: email}
		granted := time.Date(2025, 9, 1, 10, 0, 0, 0, loc)
		var recs []consent.Record
		switch (i / len(zones)) % 3 {
		case 0: // consent
			recs = append(recs, consent.Record{ID: fmt.Sprintf("r-%d", i), Subject: email, Purpose: consent.MarketingGeneral,
				Channel: consent.Email, Sender: demoSender.Entity, Status: consent.Granted, At: granted, Method: consent.UntickedCheckbox})
		case 1: // consent, then an objection
			recs = append(recs,
				consent.Record{ID: fmt.Sprintf("r-%d", i), Subject: email, Purpose: consent.MarketingGeneral,
					Channel: consent.Email, Sender: demoSender.Entity, Status: consent.Granted, At: granted, Method: consent.UntickedCheckbox},
				consent.Record{ID: fmt.Sprintf("o-%d", i), Purpose: consent.AllMarketing, Channel: consent.AllChannels,
					Sender: demoSender.Entity, Status: consent.Objection, At: granted.AddDate(0, 2, 0)})
		}
		if len(recs) > 0 {
			ledger, err := consent.NewLedger(recs...)
			if err != nil {
				return nil, err
			}
			c.Records = *ledger
		}
		// Thursday 5 to Sunday 8 March 2026, 11:00 local time.
		at := time.Date(2026, 3, 5+(i/(3*len(zones)))%4, 11, 0, 0, 0, loc)
		out = append(out, eligibility.Request{Contact: c, Message: consent.Message{
			Purpose: consent.MarketingGeneral, Channel: consent.Email, At: at, Sender: demoSender}})
	}
	return out, nil
}
