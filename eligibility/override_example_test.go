package eligibility_test

import (
	"fmt"
	"log"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

// A house file relaxes the French operators' window for promotional SMS
// (self-regulation, not law) through an override naming the rule, why and
// who answers for it. A Sunday evening SMS is allowed, and the decision
// records the override it rests on; without the override it would wait
// for Monday 08:00.
func ExampleCompile_override() {
	house, err := rules.Parse("overrides.yaml", []byte(`house: exemple
title: Exemple SAS's reviewed relaxations
overrides:
  - rule: FR_SMS_PROMO_WINDOW
    justification: "Our counsel reviewed the operators' charter (memo 2026-11)"
    owner: "Legal, Exemple SAS"
`))
	if err != nil {
		log.Fatal(err)
	}
	sets, err := rules.Builtin()
	if err != nil {
		log.Fatal(err)
	}
	policy, err := eligibility.Compile(append(sets, house), eligibility.Params{})
	if err != nil {
		log.Fatal(err)
	}

	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		log.Fatal(err)
	}
	sunday := time.Date(2026, 3, 29, 20, 0, 0, 0, paris)
	phone := address.MustParsePhone("+33639980001", address.Country{})
	c := &consent.Contact{ID: "c-1", Kind: consent.Consumer, Country: address.MustCountry("FR"), Location: paris, Phone: phone}
	if err := c.Records.Append(consent.Record{ID: "r-1", Subject: phone, Purpose: consent.MarketingGeneral,
		Channel: consent.SMS, Sender: "Maison Exemple SAS", Status: consent.Granted, At: sunday.AddDate(0, -6, 0),
		Method: consent.UntickedCheckbox}); err != nil {
		log.Fatal(err)
	}
	d, err := policy.Decide(eligibility.Request{Contact: c, Message: consent.Message{Purpose: consent.MarketingGeneral,
		Channel: consent.SMS, At: sunday, Sender: consent.Sender{Entity: "Maison Exemple SAS", Kind: consent.Company}}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d)
	fmt.Println("origin:", d.Origin)
	for _, o := range d.Overrides {
		fmt.Printf("override of %s by %s (%s): %s\n", o.Rule, o.Owner, o.File, o.Justification)
	}
	// Output:
	// allow consent EU_CONSENT CONSENT (override of FR_SMS_PROMO_WINDOW by Legal, Exemple SAS)
	// origin: override
	// override of FR_SMS_PROMO_WINDOW by Legal, Exemple SAS (overrides.yaml): Our counsel reviewed the operators' charter (memo 2026-11)
}
