package eligibility_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"slices"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/consent/calls"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
	"go.yaml.in/yaml/v3"
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

// lapsedCustomersFile is the candidate change: a house file making the French soft
// opt-in stricter (one year after the customer relationship instead of
// three) for the platform's e-mail.
const lapsedCustomersFile = `
house: lapsed_customers
title: Example Platform's stricter soft opt-in
applies_to:
  jurisdictions: [FR]
  channels: [email]
rules:
  - id: HOUSE_LAPSED_CUSTOMER
    channels: [email]
    effect: deny
    reason: LAPSED_CUSTOMER
    citation: Example Platform marketing policy, section 4 (house rule, not law)
    condition: |
      request.purpose == 'marketing_similar'
        && !hasConsent('marketing_similar', 'email')
        && !customerActiveWithin(duration('8760h'))
reasons:
  LAPSED_CUSTOMER:
    en: "Example Platform e-mails customers without consent for one year only."
    fr: "Example Platform n'écrit aux clients sans consentement que pendant un an."
    de: "Example Platform schreibt Kunden ohne Einwilligung nur ein Jahr lang."
`

// exampleCandidate is the built-in policy with the house file.
func exampleCandidate() *eligibility.Policy {
	sets, err := rules.Builtin()
	if err != nil {
		log.Fatal(err)
	}
	house, err := rules.Parse("lapsed_customers.yaml", []byte(lapsedCustomersFile))
	if err != nil {
		log.Fatal(err)
	}
	candidate, err := eligibility.Compile(append(sets, house), eligibility.Params{})
	if err != nil {
		log.Fatal(err)
	}
	return candidate
}

// A shadow run tries a candidate policy, here the built-in one with a new
// house file, on live requests: the answer is always the active policy's,
// and every request the candidate would decide otherwise is reported with
// both decisions.
func ExampleShadow() {
	active, err := eligibility.Default()
	if err != nil {
		log.Fatal(err)
	}
	shadow := eligibility.NewShadow(active, exampleCandidate(), func(d eligibility.Disagreement) {
		// Called on the deciding goroutine: log, or hand to a channel.
		fmt.Printf("  shadow: %s would be %s (%s)\n", d.Request.Contact.ID, d.Candidate, d.Candidate.Origin)
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
	//   shadow: c-3 would be deny no_legal_basis HOUSE_LAPSED_CUSTOMER LAPSED_CUSTOMER (house)
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
	// Versions are content hashes (printed abbreviated); name them for
	// the report.
	c.ActiveVersion, c.CandidateVersion = "built-in", "lapsed_customers"
	if err := c.WriteText(os.Stdout); err != nil {
		log.Fatal(err)
	}
	// Output:
	// active     built-in
	// candidate  lapsed_customers
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
	// reason             active  candidate  change
	// CONSENT            1       1          0
	// LAPSED_CUSTOMER    0       1          +1
	// OBJECTION_ON_FILE  1       1          0
	// SOFT_OPT_IN        2       1          -1
	//
	// transitions
	// allow → deny  1
	//   #2 c-3: allow soft_opt_in FR_SOFT_OPT_IN SOFT_OPT_IN → deny no_legal_basis HOUSE_LAPSED_CUSTOMER LAPSED_CUSTOMER
}

// A replay decides a past request as the contact stood at its instant. A
// call planned for the evening was deferred to the next morning; the
// person objected that night. Deciding the same request today looks ahead
// through the objection; replaying it gives the decision of the time.
func ExamplePolicy_Replay() {
	policy, err := eligibility.Default()
	if err != nil {
		log.Fatal(err)
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		log.Fatal(err)
	}
	shop := consent.Sender{Entity: "Maison Exemple SAS", Kind: consent.Company}
	evening := time.Date(2026, 3, 10, 21, 30, 0, 0, paris)
	c := &consent.Contact{ID: "c-9", Kind: consent.Consumer, Country: address.MustCountry("FR"), Location: paris,
		Phone:      address.MustParsePhone("06 39 98 00 09", address.MustCountry("FR")),
		Registries: []calls.RegistryCheck{{Registry: calls.Bloctel, CheckedAt: evening.AddDate(0, 0, -2)}}}
	c.Registries[0].Number = c.Phone
	if err := c.Records.Append(
		consent.Record{ID: "g-9", Subject: c.Phone, Purpose: consent.MarketingGeneral, Channel: consent.VoiceLive,
			Sender: shop.Entity, Status: consent.Granted, At: evening.AddDate(0, -1, 0), Method: consent.RecordedVerbal},
		consent.Record{ID: "o-9", Purpose: consent.AllMarketing, Channel: consent.AllChannels,
			Sender: shop.Entity, Status: consent.Objection, At: evening.Add(2 * time.Hour)}, // that night
	); err != nil {
		log.Fatal(err)
	}
	req := eligibility.Request{Contact: c, Message: consent.Message{Purpose: consent.MarketingGeneral,
		Channel: consent.VoiceLive, Sender: shop, At: evening}}

	today, err := policy.Decide(req)
	if err != nil {
		log.Fatal(err)
	}
	then, err := policy.Replay(req)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("decide:", today)
	fmt.Println("replay:", then)
	// Output:
	// decide: deny no_legal_basis EU_OBJECTION OBJECTION_ON_FILE denied from 2026-03-10T22:30:00Z
	// replay: defer consent FR_CALL_WINDOW OUTSIDE_CALL_WINDOW not before 2026-03-11T09:00:00Z
}

// A host keeps, under each policy version it used, the rule sets as YAML
// and the parameters as JSON; at start-up it rebuilds each version and
// restores it in an archive, which checks the version, and replays a
// stored decision with the policy that made it.
func ExampleArchive() {
	policy, err := eligibility.Default()
	if err != nil {
		log.Fatal(err)
	}
	// When the policy goes live: store its sources under its version.
	type source struct {
		sets   [][]byte
		params []byte
	}
	stored := map[string]source{}
	var src source
	for _, s := range policy.Sets() {
		b, err := yaml.Marshal(s)
		if err != nil {
			log.Fatal(err)
		}
		src.sets = append(src.sets, b)
	}
	if src.params, err = json.Marshal(eligibility.Params{}); err != nil {
		log.Fatal(err)
	}
	stored[policy.Version()] = src

	// At start-up, perhaps years later: rebuild and restore every version.
	var archive eligibility.Archive
	for version, src := range stored {
		var sets []*rules.Set
		for i, b := range src.sets {
			s, err := rules.Parse(fmt.Sprintf("%s/%d.yaml", version, i), b)
			if err != nil {
				log.Fatal(err)
			}
			sets = append(sets, s)
		}
		var params eligibility.Params
		if err := json.Unmarshal(src.params, &params); err != nil {
			log.Fatal(err)
		}
		p, err := eligibility.Compile(sets, params)
		if err != nil {
			log.Fatal(err)
		}
		if err := archive.Restore(version, p); err != nil {
			log.Fatal(err) // the sources no longer compile to their version
		}
	}

	// Replay a stored decision with the policy that made it.
	req := exampleAudience()[1]
	decision, err := policy.Decide(req)
	if err != nil {
		log.Fatal(err)
	}
	again, err := archive.Replay(decision.PolicyVersion, req)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(again)
	fmt.Println(eligibility.Disagree(decision, again))
	// Output:
	// allow soft_opt_in FR_SOFT_OPT_IN SOFT_OPT_IN
	// false
}
