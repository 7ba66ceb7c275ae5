package eligibility_test

import (
	"fmt"

	"golang.org/x/text/language"

	"github.com/sendright/sendright/eligibility"
)

// A reason in the reader's language: by tag, or from the Accept-Language
// header of the request that asked (here Swiss German first, then French).
func ExampleReasonText() {
	d := eligibility.Decision{Verdict: eligibility.Deny, Reason: "OBJECTION_ON_FILE"}
	fmt.Println(d.ReasonText(language.French))
	fmt.Println(eligibility.ReasonText("SOFT_OPT_IN", language.German))

	lang := eligibility.MatchLanguage("de-CH, fr;q=0.8")
	fmt.Println(lang, "-", d.ReasonText(lang))
	fmt.Println(eligibility.MatchLanguage("ja"), "-", d.ReasonText(eligibility.MatchLanguage("ja")))
	// Output:
	// La personne s'est opposée à la prospection de cet expéditeur sur ce canal.
	// Bestandskunde, Werbung für ähnliche Produkte, bei der Erhebung der Adresse auf das Widerspruchsrecht hingewiesen (Ausnahme für Bestandskunden).
	// de - Die Person hat der Werbung dieses Absenders über diesen Kanal widersprochen.
	// en - The person objected to marketing from this sender on this channel.
}
