package eligibility_test

import (
	"fmt"
	"log"
	"time"

	"golang.org/x/text/language"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
)

// A decision's reason in the reader's language: by tag, or from the
// Accept-Language header of the request that asked (here Swiss German
// first, then French). A language not shipped falls back to English.
func ExampleDecision_ReasonText() {
	policy, err := eligibility.Default()
	if err != nil {
		log.Fatal(err)
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		log.Fatal(err)
	}
	contact := &consent.Contact{
		ID: "c-7", Kind: consent.Consumer, Country: address.MustCountry("FR"),
		Location: paris, Email: address.MustParseEmail("lea.martin@example.com"),
	}
	d, err := policy.Decide(eligibility.Request{Contact: contact, Message: consent.Message{
		Purpose: consent.MarketingSimilar,
		Channel: consent.Email,
		Sender:  consent.Sender{Entity: "Maison Exemple SAS", Kind: consent.Company},
		At:      time.Date(2026, 3, 10, 10, 0, 0, 0, paris),
	}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.Verdict, d.Reason)
	fmt.Println(d.ReasonText(language.French))
	fmt.Println(d.ReasonText(language.German))

	lang := eligibility.MatchLanguage("de-CH, fr;q=0.8")
	fmt.Println(lang, "-", d.ReasonText(lang))
	lang = eligibility.MatchLanguage("ja, ko;q=0.5")
	fmt.Println(lang, "-", d.ReasonText(lang))
	// Output:
	// deny NO_CONSENT
	// Aucun consentement n'est enregistré pour ce message.
	// Für diese Nachricht liegt keine Einwilligung vor.
	// de - Für diese Nachricht liegt keine Einwilligung vor.
	// en - No consent is on file for this message.
}

// Any reason code, without a decision.
func ExampleReasonText() {
	fmt.Println(eligibility.ReasonText("OBJECTION_ON_FILE", language.French))
	fmt.Println(eligibility.ReasonText("SOFT_OPT_IN", language.MustParse("de-AT")))
	// Output:
	// La personne s'est opposée à la prospection de cet expéditeur sur ce canal.
	// Bestandskunde, Werbung für ähnliche Produkte, bei der Erhebung der Adresse auf das Widerspruchsrecht hingewiesen (Ausnahme für Bestandskunden).
}
