package eligibility_test

import (
	"fmt"
	"log"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

// Every rule's worst-case cost is known at compile time: a house rule that
// scans a host list of two million entries is refused with its estimate,
// and within a budget it compiles and reports its cost.
func ExamplePolicy_Cost() {
	blocked := eligibility.Func("blockedSender", "2026-03",
		func(_ *consent.Contact, m *consent.Message) (bool, error) {
			return m.Sender.Entity == "spam.example", nil
		})
	blocked.Cost = 2_000_000 // the host's list has two million entries
	house, err := rules.Parse("house.yaml", []byte(`jurisdiction: GB
title: House rules
channels: [email]
language: 4
rules:
  - id: HOUSE_BLOCKED_SENDER
    channels: [all]
    effect: deny
    reason: BLOCKED_SENDER
    citation: House policy B-2
    condition: blockedSender() && !hasConsent(request.purpose, request.channel)
`))
	if err != nil {
		log.Fatal(err)
	}
	params := eligibility.Params{Functions: []eligibility.Function{blocked}}
	_, err = eligibility.Compile([]*rules.Set{house}, params)
	fmt.Println(err)

	params.RuleBudget = 3_000_000
	p, err := eligibility.Compile([]*rules.Set{house}, params)
	if err != nil {
		log.Fatal(err)
	}
	cost, _ := p.Cost("HOUSE_BLOCKED_SENDER")
	fmt.Println("cost:", cost)
	// Output:
	// rules: house.yaml:11:29: rule HOUSE_BLOCKED_SENDER: worst-case cost 2,020,007 units exceeds the rule budget of 1,000,000 units (Params.RuleBudget); the most costly operation is blockedSender at 2,000,001 units
	//     blockedSender() && !hasConsent(request.purpose, request.channel)
	//                  ^
	// cost: 2020007
}
