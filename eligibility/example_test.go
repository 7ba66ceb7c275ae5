package eligibility_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
)

// This example mirrors the one in README.md: compile the built-in policy
// once, then decide each send.
func Example() {
	policy, err := eligibility.Default() // compiled once, safe to share
	if err != nil {
		log.Fatal(err)
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		log.Fatal(err)
	}
	contact := &consent.Contact{
		ID: "c-42", Kind: consent.Consumer, Country: address.MustCountry("FR"),
		Location: paris, Email: address.MustParseEmail("camille.durand@example.com"),
		Relationship: consent.Relationship{Purchases: []consent.Interaction{{
			ID: "order-1001", At: time.Date(2025, 11, 3, 14, 12, 0, 0, paris),
			Seller: "Maison Exemple SAS", Category: "kettles",
			Collected: []address.Address{address.MustParseEmail("Camille.Durand@example.com")}, OptOutOffered: true,
		}}},
	}
	d, err := policy.Decide(eligibility.Request{Contact: contact, Message: consent.Message{
		Purpose:  consent.MarketingSimilar,
		Channel:  consent.Email,
		Category: "kettles",
		Sender:   consent.Sender{Entity: "Maison Exemple SAS", Kind: consent.Company},
		At:       time.Date(2026, 3, 10, 10, 0, 0, 0, paris),
	}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.Verdict, d.Basis, d.Rule, d.Reason)
	fmt.Println(d.Citation)
	fmt.Println(d.Obligations, d.Evidence.Kind, d.Evidence.ID)
	// Output:
	// allow soft_opt_in FR_SOFT_OPT_IN SOFT_OPT_IN
	// CPCE art. L34-5 al. 4; CNIL, La prospection commerciale par courrier électronique
	// [sender_identity opt_out objection_notice ad_label] purchase order-1001
}

// A malformed request is an error and a Deny, so a caller that ignores the
// error still does not send.
func ExamplePolicy_Decide_malformed() {
	policy, err := eligibility.Default()
	if err != nil {
		log.Fatal(err)
	}
	contact := &consent.Contact{ID: "c-1", Kind: consent.Consumer, Country: address.MustCountry("BE"),
		Location: time.UTC, Email: address.MustParseEmail("jan.peeters@example.org")}
	d, err := policy.Decide(eligibility.Request{Contact: contact, Message: consent.Message{
		Purpose: consent.MarketingGeneral, Channel: consent.Email,
		Sender: consent.Sender{Entity: "Exemple BV", Kind: consent.Company},
		// At left zero: the library never reads the clock.
	}})
	fmt.Println(d.Verdict, d.Reason)
	fmt.Println(err)
	// Output:
	// deny INVALID_REQUEST
	// consent: message.at: missing
}

// A request travels as {"contact": ..., "message": ...}. Keys are matched
// exactly and only once: a withdrawal that ends in "Status":"granted" is an
// error naming the key, never a grant.
func ExampleRequest_UnmarshalJSON() {
	doc := `{"contact": {"id": "c-7", "kind": "consumer", "country": "FR", "time_zone": "Europe/Paris",
	  "email": "lea.martin@example.com",
	  "records": [{"id": "w-1", "purpose": "marketing_general", "channel": "email",
	    "sender": "Maison Exemple SAS", "status": "withdrawn", "at": "2026-01-10T09:00:00Z",
	    "Status": "granted"}]},
	 "message": {"purpose": "marketing_general", "channel": "email",
	  "sender": {"entity": "Maison Exemple SAS", "kind": "company"}, "at": "2026-03-10T10:00:00Z"}}`
	var req eligibility.Request
	err := json.Unmarshal([]byte(doc), &req)
	var fe *consent.FieldError
	if errors.As(err, &fe) && errors.Is(err, consent.ErrUnknownField) {
		fmt.Println("refused:", fe.Field)
	}
	fmt.Println(err)
	// Output:
	// refused: contact.records[0].Status
	// consent: contact.records[0].Status: unknown field (keys are matched exactly, case included)
}

// DecideAll decides an audience on every core and yields the results in the
// order of the requests, streaming: the source can be a database cursor of
// any size. Each Result carries its error with its decision.
func ExamplePolicy_DecideAll() {
	policy, err := eligibility.Default()
	if err != nil {
		log.Fatal(err)
	}
	sender := consent.Sender{Entity: "Maison Exemple SAS", Kind: consent.Company}
	at := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	audience := func(yield func(eligibility.Request) bool) {
		for i, kind := range []consent.RecipientKind{consent.Consumer, consent.BusinessGeneric, consent.Consumer} {
			c := &consent.Contact{ID: fmt.Sprintf("c-%d", i+1), Kind: kind, Country: address.MustCountry("FR"),
				Location: time.UTC, Email: address.MustParseEmail(fmt.Sprintf("contact%d@example.com", i+1))}
			if i == 2 { // this one opted in
				if err := c.Records.Append(consent.Record{ID: "g-3", Subject: c.Email, Purpose: consent.MarketingGeneral,
					Channel: consent.Email, Sender: sender.Entity, Status: consent.Granted,
					At: at.AddDate(-1, 0, 0), Method: consent.UntickedCheckbox}); err != nil {
					log.Fatal(err)
				}
			}
			req := eligibility.Request{Contact: c, Message: consent.Message{Purpose: consent.MarketingGeneral,
				Channel: consent.Email, Category: "kettles", Sender: sender, At: at}}
			if !yield(req) {
				return
			}
		}
	}
	for res := range policy.DecideAll(context.Background(), audience) {
		if res.Err != nil {
			log.Fatal(res.Err)
		}
		fmt.Println(res.Request.Contact.ID, res.Decision.Verdict, res.Decision.Reason)
	}
	// Output:
	// c-1 deny NO_CONSENT
	// c-2 allow LEGAL_PERSON_GENERIC_ADDRESS
	// c-3 allow CONSENT
}
