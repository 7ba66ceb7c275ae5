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

// A host's own Go function in a house file that applies in every
// jurisdiction: no marketing to a contact in the host's "complained"
// segment. The segments are looked up before the policy is compiled and
// never change while it is in use, so the function is pure; an unknown
// segment is an error, which denies. The house file also attaches the
// host's own obligation, a List-Unsubscribe header, to every e-mail the
// law allows.
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
	house, err := rules.Parse("house.yaml", []byte(`house: acme_mail
title: Acme Mail's own rules
applies_to:
  jurisdictions: [all]
  channels: [email]
obligations:
  - obligation: list_unsubscribe
    citation: Acme Mail charter, section 3; RFC 8058
rules:
  - id: ACME_COMPLAINED
    channels: [all]
    effect: deny
    reason: ACME_COMPLAINED
    citation: Acme Mail charter, section 1 (house rule, not law)
    condition: inSegment('complained')
  - id: ACME_RETIRED_SEGMENT
    channels: [all]
    effect: deny
    reason: ACME_RETIRED
    citation: Acme Mail charter, section 2 (house rule, not law)
    condition: request.category == 'wine' && inSegment('retired')
reasons:
  ACME_COMPLAINED:
    en: The recipient complained about Acme Mail's messages.
    fr: Le destinataire s'est plaint des messages d'Acme Mail.
    de: Der Empfänger hat sich über die Nachrichten von Acme Mail beschwert.
  ACME_RETIRED:
    en: Acme Mail no longer sends wine offers to this segment.
    fr: Acme Mail n'envoie plus d'offres de vin à ce segment.
    de: Acme Mail sendet diesem Segment keine Weinangebote mehr.
`))
	if err != nil {
		log.Fatal(err)
	}
	builtin, err := rules.Builtin()
	if err != nil {
		log.Fatal(err)
	}
	policy, err := eligibility.Compile(append(builtin, house), eligibility.Params{
		Functions: []eligibility.Function{inSegment},
		Obligations: []eligibility.HostObligation{
			{Name: "list_unsubscribe", Description: "a List-Unsubscribe header with a one-click URL"},
		},
	})
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
		if d.Verdict == eligibility.Allow {
			fmt.Println("  ", d.Obligations.Has("list_unsubscribe"), d.Obligations.Citation("list_unsubscribe"))
		}
	}
	// Output:
	// c-1 books allow EU_CONSENT CONSENT false
	//    true Acme Mail charter, section 3; RFC 8058
	// c-2 books deny ACME_COMPLAINED ACME_COMPLAINED false
	// c-1 wine deny ACME_RETIRED_SEGMENT HOST_FUNCTION_FAILED true
}
