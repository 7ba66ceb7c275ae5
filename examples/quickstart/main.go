// Command quickstart compiles the embedded default policy and prints a
// handful of decisions, each with its verdict, legal basis, rule, reason and
// citation.
//
//	go run ./examples/quickstart
package main

import (
	"fmt"
	"log"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
)

func main() {
	policy, err := eligibility.Default()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("policy %s, jurisdictions %v\n\n", policy.Version(), policy.Jurisdictions())

	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		log.Fatal(err)
	}
	at := time.Date(2026, 3, 10, 10, 0, 0, 0, paris)
	shop := consent.Sender{Entity: "Maison Exemple SAS", Kind: consent.Company}

	// A French customer who bought a kettle, with an opt-out offered at checkout.
	customer := &consent.Contact{
		ID: "c-1", Kind: consent.Consumer, Country: address.MustCountry("FR"), Location: paris,
		Email: address.MustParseEmail("camille.durand@example.com"),
		Relationship: consent.Relationship{Purchases: []consent.Interaction{{
			ID: "order-1001", At: at.AddDate(0, -4, 0), Seller: shop.Entity, Category: "kettles",
			Collected: []address.Address{address.MustParseEmail("camille.durand@example.com")}, OptOutOffered: true,
		}}},
	}
	// The same customer, after clicking "unsubscribe".
	unsubscribed := *customer
	if err := unsubscribed.Records.Append(consent.Record{
		ID: "unsub-1", Purpose: consent.AllMarketing, Channel: consent.AllChannels,
		Sender: shop.Entity, Status: consent.Objection, At: at.AddDate(0, 0, -7),
	}); err != nil {
		log.Fatal(err)
	}
	generic := &consent.Contact{ID: "c-2", Kind: consent.BusinessGeneric, Country: address.MustCountry("BE"),
		Location: paris, Email: address.MustParseEmail("info@bureau.example")}
	british := &consent.Contact{ID: "c-3", Kind: consent.Consumer, Country: address.MustCountry("GB"),
		Location: time.UTC, Email: address.MustParseEmail("sam.taylor@example.org")}
	austrian := &consent.Contact{ID: "c-4", Kind: consent.Consumer, Country: address.MustCountry("AT"),
		Location: paris, Email: address.MustParseEmail("jonas.beispiel@example.com")}

	msg := func(p consent.Purpose, category string) consent.Message {
		return consent.Message{Purpose: p, Channel: consent.Email, Category: category, Sender: shop, At: at, RoleRelevant: true}
	}
	cases := []struct {
		what string
		req  eligibility.Request
	}{
		{"FR customer who bought a kettle, email about kettles", eligibility.Request{Contact: customer, Message: msg(consent.MarketingSimilar, "kettles")}},
		{"FR customer, general marketing without consent", eligibility.Request{Contact: customer, Message: msg(consent.MarketingGeneral, "")}},
		{"FR customer after unsubscribing, similar products", eligibility.Request{Contact: &unsubscribed, Message: msg(consent.MarketingSimilar, "kettles")}},
		{"FR customer after unsubscribing, password reset", eligibility.Request{Contact: &unsubscribed, Message: msg(consent.Transactional, "")}},
		{"BE info@ address, relevant offer", eligibility.Request{Contact: generic, Message: msg(consent.MarketingGeneral, "")}},
		{"UK consumer, 'would you like to hear from us?'", eligibility.Request{Contact: british, Message: msg(consent.ConsentRequest, "")}},
		{"AT consumer (no Austrian rules)", eligibility.Request{Contact: austrian, Message: msg(consent.MarketingGeneral, "")}},
	}
	for _, c := range cases {
		d, err := policy.Decide(c.req)
		if err != nil {
			log.Fatalf("%s: %v", c.what, err)
		}
		fmt.Printf("%s\n  %s", c.what, d.Verdict)
		fmt.Printf("  basis=%s rule=%s reason=%s\n", d.Basis, orNone(d.Rule), d.Reason)
		if d.Citation != "" {
			fmt.Printf("  citation: %s\n", d.Citation)
		}
		if d.Detail != "" {
			fmt.Printf("  detail: %s\n", d.Detail)
		}
		if d.Obligations.Len() > 0 {
			fmt.Printf("  obligations: %v\n", d.Obligations)
		}
		fmt.Println()
	}
}

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
