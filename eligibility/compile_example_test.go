package eligibility_test

import (
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/sendright/sendright/eligibility"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/rules"
)

// A host's own rule set: quiet hours in the recipient's time zone, beside
// the built-in French rules it extends.
func Example_customRules() {
	quiet, err := rules.Parse("quiet.yaml", []byte(`jurisdiction: FR
title: Quiet hours (house policy)
extends: EU
channels: [sms]
rules:
  - id: HOUSE_QUIET_HOURS
    channels: [all]
    effect: deny
    reason: QUIET_HOURS
    citation: House policy QH-1 (stricter than the law)
    condition: localHour() < 9 || localHour() >= 20 || localWeekday() == 'sunday'
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
		if s.Jurisdiction == "EU" { // the host's set replaces the built-in French one
			sets = append(sets, s)
		}
	}
	policy, err := eligibility.Compile(append(sets, quiet), eligibility.Params{})
	if err != nil {
		log.Fatal(err)
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		log.Fatal(err)
	}
	phone := address.MustParsePhone("+33 6 00 00 00 01", address.MustCountry("FR"))
	contact := &consent.Contact{ID: "c-7", Kind: consent.Consumer, Country: address.MustCountry("FR"),
		Location: paris, Phone: phone}
	for _, hour := range []int{8, 10} {
		out, err := policy.Decide(eligibility.Request{Contact: contact, Message: consent.Message{
			Purpose: consent.MarketingGeneral, Channel: consent.SMS,
			Sender: consent.Sender{Entity: "Maison Exemple SAS", Kind: consent.Company},
			At:     time.Date(2026, 3, 10, hour, 30, 0, 0, paris)}})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(hour, out.Verdict, out.Reason)
	}
	// Output:
	// 8 deny QUIET_HOURS
	// 10 deny NO_CONSENT
}

// A condition outside the rule language, or with a misspelt value, fails
// compilation. Every problem of the file is reported, with its file,
// rule, line and column as fields, and the condition's line with a caret
// under the part at fault; a value outside a vocabulary suggests the
// nearest one (Error.Want lists them all).
func ExampleCompile_error() {
	set, err := rules.Parse("house.yaml", []byte(`jurisdiction: GB
title: House rules
channels: [email]
rules:
  - id: HOUSE_VIP
    channels: [all]
    effect: allow
    basis: consent
    reason: VIP
    citation: House policy 1
    condition: request.sender.entity.matches('^VIP')
  - id: HOUSE_NEWSLETTER
    channels: [email]
    effect: allow
    basis: consent
    reason: NEWSLETTER
    citation: House policy 2
    condition: |
      request.purpose == 'marketing_generl' &&
        hasConsent(request.purpose, 'emial')
`))
	if err != nil {
		log.Fatal(err)
	}
	_, err = eligibility.Compile([]*rules.Set{set}, eligibility.Params{})
	fmt.Println(err)
	var e *rules.Error
	if errors.As(err, &e) {
		fmt.Println(e.File, e.Rule, e.Line, e.Column)
	}
	var list rules.ErrorList
	if errors.As(err, &list) {
		fmt.Println(len(list), "errors;", len(list[1].Want), "purposes")
	}
	// Output:
	// rules: house.yaml:11:45: rule HOUSE_VIP: outside the rule language: member call matches
	//     request.sender.entity.matches('^VIP')
	//                                  ^
	// rules: house.yaml:19:26: rule HOUSE_NEWSLETTER: "marketing_generl" is not a purpose: did you mean "marketing_general"?
	//     request.purpose == 'marketing_generl' &&
	//                        ^~~~~~~~~~~~~~~~~~
	// rules: house.yaml:20:37: rule HOUSE_NEWSLETTER: "emial" is not a channel: did you mean "email"?
	//       hasConsent(request.purpose, 'emial')
	//                                   ^~~~~~~
	// house.yaml HOUSE_VIP 11 45
	// 3 errors; 7 purposes
}
