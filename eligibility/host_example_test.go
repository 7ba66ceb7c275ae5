package eligibility_test

import (
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

// A host's own Go function in a house rule: no marketing to a contact in
// the host's "complained" segment. The segments are looked up before the
// policy is compiled and never change while it is in use, so the function
// is pure; an unknown segment is an error, which denies.
func ExampleFunc() {
	complained := map[string]bool{"c-2": true}
	inSegment := eligibility.Func1("inSegment", "2026-03",
		func(c *consent.Contact, _ *consent.Message, segment string) (bool, error) {
			switch segment {
			case "complained":
				return complained[c.ID], nil
			}
			return false, errors.New("unknown segment")
		})
	house, err := rules.Parse("house.yaml", []byte(`jurisdiction: FR
title: House rules
extends: EU
channels: [email]
rules:
  - id: HOUSE_COMPLAINED
    channels: [all]
    effect: deny
    reason: COMPLAINED
    citation: House policy C-1
    condition: inSegment('complained')
  - id: HOUSE_RETIRED_SEGMENT
    channels: [all]
    effect: deny
    reason: RETIRED
    citation: House policy C-2
    condition: request.category == 'wine' && inSegment('retired')
  - id: HOUSE_CONSENT
    channels: [all]
    effect: allow
    basis: consent
    reason: CONSENT
    citation: ePrivacy Directive 2002/58/EC art. 13(1)
    condition: hasConsent(request.purpose, request.channel)
`))
	if err != nil {
		log.Fatal(err)
	}
	builtin, err := rules.Builtin()
	if err != nil {
		log.Fatal(err)
	}
	var sets []*rules.Set
	for _, s := range builtin {
		if s.Jurisdiction == "EU" { // the house set stands in for the built-in French one
			sets = append(sets, s)
		}
	}
	policy, err := eligibility.Compile(append(sets, house), eligibility.Params{Functions: []eligibility.Function{inSegment}})
	if err != nil {
		log.Fatal(err)
	}
	at := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	for _, req := range []struct{ id, category string }{{"c-1", "books"}, {"c-2", "books"}, {"c-1", "wine"}} {
		email := address.MustParseEmail(req.id + "@example.com")
		contact := &consent.Contact{ID: req.id, Kind: consent.Consumer, Country: address.MustCountry("FR"),
			Location: time.UTC, Email: email}
		if err := contact.Records.Append(consent.Record{ID: "g-" + req.id, Subject: email, Purpose: consent.MarketingGeneral,
			Channel: consent.Email, Sender: "Maison Exemple SAS", Status: consent.Granted, At: at.AddDate(0, -1, 0),
			Method: consent.UntickedCheckbox}); err != nil {
			log.Fatal(err)
		}
		d, err := policy.Decide(eligibility.Request{Contact: contact, Message: consent.Message{
			Purpose: consent.MarketingGeneral, Channel: consent.Email, Category: req.category,
			Sender: consent.Sender{Entity: "Maison Exemple SAS", Kind: consent.Company}, At: at}})
		fmt.Println(req.id, req.category, d.Verdict, d.Rule, d.Reason, err != nil)
	}
	// Output:
	// c-1 books allow HOUSE_CONSENT CONSENT false
	// c-2 books deny HOUSE_COMPLAINED COMPLAINED false
	// c-1 wine deny HOUSE_RETIRED_SEGMENT HOST_FUNCTION_FAILED true
}
