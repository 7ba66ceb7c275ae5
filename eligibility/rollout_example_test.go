package eligibility_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

// exampleAudience is four French contacts of Maison Exemple SAS: one who
// consented to e-mail, a recent customer, a customer whose last purchase
// is eighteen months old, and one who objected.
func exampleAudience() []eligibility.Request {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		log.Fatal(err)
	}
	shop := consent.Sender{Entity: "Maison Exemple SAS", Kind: consent.Company}
	at := time.Date(2026, 3, 10, 10, 0, 0, 0, paris)
	contact := func(id string, recs ...consent.Record) *consent.Contact {
		c := &consent.Contact{ID: id, Kind: consent.Consumer, Country: address.MustCountry("FR"), Location: paris,
			Email: address.MustParseEmail(id + "@example.com")}
		for i := range recs {
			recs[i].Subject = c.Email
		}
		if err := c.Records.Append(recs...); err != nil {
			log.Fatal(err)
		}
		return c
	}
	consented := contact("c-1", consent.Record{ID: "g-1", Purpose: consent.MarketingGeneral, Channel: consent.Email,
		Sender: shop.Entity, Status: consent.Granted, At: at.AddDate(-1, 0, 0), Method: consent.UntickedCheckbox})
	customer := func(id string, bought time.Time) *consent.Contact {
		c := contact(id)
		c.Relationship.Purchases = []consent.Interaction{{ID: "order-" + id, At: bought,
			Seller: shop.Entity, Category: "kettles", Collected: []address.Address{c.Email}, OptOutOffered: true}}
		return c
	}
	objector := contact("c-4", consent.Record{ID: "o-1", Purpose: consent.AllMarketing, Channel: consent.AllChannels,
		Sender: shop.Entity, Status: consent.Objection, At: at.AddDate(0, -1, 0)})
	msg := consent.Message{Purpose: consent.MarketingSimilar, Channel: consent.Email, Category: "kettles", Sender: shop, At: at}
	return []eligibility.Request{{Contact: consented, Message: msg}, {Contact: customer("c-2", at.AddDate(0, -2, 0)), Message: msg},
		{Contact: customer("c-3", at.AddDate(0, -18, 0)), Message: msg}, {Contact: objector, Message: msg}}
}

// exampleCandidate is the built-in policy with a stricter French soft
// opt-in: customers are e-mailed without consent for one year after the
// relationship ends instead of three.
func exampleCandidate() *eligibility.Policy {
	sets, err := rules.Builtin()
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range sets {
		for i, r := range s.Rules {
			if r.ID == "FR_SOFT_OPT_IN" {
				s.Rules[i].Condition = strings.Replace(r.Condition, "duration('26280h')", "duration('8760h')", 1)
			}
		}
	}
	candidate, err := eligibility.Compile(sets, eligibility.Params{})
	if err != nil {
		log.Fatal(err)
	}
	return candidate
}

// A shadow run tries a candidate policy on live requests: the answer is
// always the active policy's, and every request the candidate would decide
// otherwise is reported with both decisions.
func ExampleShadow() {
	active, err := eligibility.Default()
	if err != nil {
		log.Fatal(err)
	}
	shadow := eligibility.NewShadow(active, exampleCandidate(), func(d eligibility.Disagreement) {
		// Called on the deciding goroutine: log, or hand to a channel.
		fmt.Printf("  shadow: %s would be %s\n", d.Request.Contact.ID, d.Candidate)
	})
	for _, req := range exampleAudience() {
		d, err := shadow.Decide(req) // the active decision, unchanged
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(req.Contact.ID, d)
	}
	st := shadow.Stats()
	fmt.Printf("%d decisions, %d disagreements\n", st.Decisions, st.Disagreements)
	// Output:
	// c-1 allow consent EU_CONSENT CONSENT
	// c-2 allow soft_opt_in FR_SOFT_OPT_IN SOFT_OPT_IN
	//   shadow: c-3 would be deny no_legal_basis FR_SOFT_OPT_IN_CUSTOMER_PERIOD_EXPIRED PROSPECTION_PERIOD_EXPIRED
	// c-3 allow soft_opt_in FR_SOFT_OPT_IN SOFT_OPT_IN
	// c-4 deny no_legal_basis EU_OBJECTION OBJECTION_ON_FILE
	// 4 decisions, 1 disagreements
}

// A what-if run compares two policies over an audience before a change is
// rolled out: counts under each, and what changes, with examples.
func ExampleWhatIf() {
	active, err := eligibility.Default()
	if err != nil {
		log.Fatal(err)
	}
	c, err := eligibility.WhatIf(context.Background(), active, exampleCandidate(), slices.Values(exampleAudience()))
	if err != nil {
		log.Fatal(err)
	}
	// Versions are content hashes; name them for the report.
	c.ActiveVersion, c.CandidateVersion = "built-in", "one-year"
	if err := c.WriteText(os.Stdout); err != nil {
		log.Fatal(err)
	}
	// Output:
	// active     built-in
	// candidate  one-year
	// requests   4
	// changed    1
	//
	// verdict  active  candidate  change
	// allow    3       2          -1
	// deny     1       2          +1
	//
	// basis           active  candidate  change
	// consent         1       1          0
	// no_legal_basis  1       2          +1
	// soft_opt_in     2       1          -1
	//
	// reason                      active  candidate  change
	// CONSENT                     1       1          0
	// OBJECTION_ON_FILE           1       1          0
	// PROSPECTION_PERIOD_EXPIRED  0       1          +1
	// SOFT_OPT_IN                 2       1          -1
	//
	// transitions
	// allow → deny  1
	//   #2 c-3: allow soft_opt_in FR_SOFT_OPT_IN SOFT_OPT_IN → deny no_legal_basis FR_SOFT_OPT_IN_CUSTOMER_PERIOD_EXPIRED PROSPECTION_PERIOD_EXPIRED
}
