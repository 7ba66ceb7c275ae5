package eligibility_test

import (
	"fmt"
	"log"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
)

// Explain returns the decision with every rule of the jurisdiction and what
// it gave, recorded in the same walk of the rules; the audit holds no
// personal data.
func ExamplePolicy_Explain() {
	policy, err := eligibility.Default()
	if err != nil {
		log.Fatal(err)
	}
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		log.Fatal(err)
	}
	contact := &consent.Contact{ID: "c-9", Kind: consent.Consumer, Country: address.MustCountry("GB"),
		Location: london, Email: address.MustParseEmail("sam.taylor@example.org")}
	audit, err := policy.Explain(eligibility.Request{Contact: contact, Message: consent.Message{
		Purpose: consent.MarketingGeneral, Channel: consent.Email,
		Sender: consent.Sender{Entity: "Example Trading Ltd", Kind: consent.Company},
		At:     time.Date(2026, 3, 10, 10, 0, 0, 0, london),
	}}, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(audit.Decision)
	for _, s := range audit.Trace {
		if s.Result == eligibility.Matched || s.Decided {
			fmt.Println(s.Rule, s.Effect, s.Result, s.Decided)
		}
	}
	// Output:
	// deny no_legal_basis UK_NO_CONSENT NO_CONSENT
	// UK_NO_CONSENT no_basis matched true
}
