package eligibility_test

import (
	"fmt"
	"log"
	"time"

	"golang.org/x/text/language"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

// A house rule applying in every jurisdiction of the policy: no marketing
// e-mail on the recipient's Sunday. It defers the message to Monday, and
// the decision says it came from the house, not the law.
func ExampleCompile_houseRule() {
	house, err := rules.Parse("house.yaml", []byte(`house: acme_mail
title: Acme Mail's own rules
applies_to:
  jurisdictions: [all]
  channels: [email]
rules:
  - id: ACME_NO_SUNDAY_EMAIL
    channels: [all]
    effect: defer
    reason: ACME_SUNDAY
    citation: Acme Mail charter, section 2 (house rule, not law)
    condition: request.purpose != 'transactional' && localWeekday() == 'sunday'
reasons:
  ACME_SUNDAY:
    en: Acme Mail sends no marketing e-mail on the recipient's Sunday.
    fr: Acme Mail n'envoie pas de courriel de prospection le dimanche du destinataire.
    de: Acme Mail versendet sonntags keine Werbe-E-Mails.
`))
	if err != nil {
		log.Fatal(err)
	}
	builtin, err := rules.Builtin()
	if err != nil {
		log.Fatal(err)
	}
	policy, err := eligibility.Compile(append(builtin, house), eligibility.Params{})
	if err != nil {
		log.Fatal(err)
	}
	for _, zone := range []string{"Europe/Paris", "Europe/London"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			log.Fatal(err)
		}
		country := map[string]string{"Europe/Paris": "FR", "Europe/London": "GB"}[zone]
		email := address.MustParseEmail("alex@example.com")
		contact := &consent.Contact{ID: "c-1", Kind: consent.Consumer, Country: address.MustCountry(country),
			Location: loc, Email: email}
		ledger, err := consent.NewLedger(consent.Record{ID: "r-1", Subject: email, Purpose: consent.MarketingGeneral,
			Channel: consent.Email, Sender: "Example Shop", Status: consent.Granted,
			At: time.Date(2025, 9, 1, 10, 0, 0, 0, loc), Method: consent.UntickedCheckbox})
		if err != nil {
			log.Fatal(err)
		}
		contact.Records = *ledger
		sunday := time.Date(2026, 3, 8, 11, 0, 0, 0, loc)
		d, err := policy.Decide(eligibility.Request{Contact: contact, Message: consent.Message{
			Purpose: consent.MarketingGeneral, Channel: consent.Email, At: sunday,
			Sender: consent.Sender{Entity: "Example Shop", Kind: consent.Company}}})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(country, d.Verdict, d.Rule, d.Origin, d.NotBefore.In(loc).Format("Mon 15:04"))
		fmt.Println("  ", policy.ReasonText(d.Reason, language.French))
	}
	// Output:
	// FR defer ACME_NO_SUNDAY_EMAIL house Mon 00:00
	//    Acme Mail n'envoie pas de courriel de prospection le dimanche du destinataire.
	// GB defer ACME_NO_SUNDAY_EMAIL house Mon 00:00
	//    Acme Mail n'envoie pas de courriel de prospection le dimanche du destinataire.
}
