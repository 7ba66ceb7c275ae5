package eligibility_test

import (
	"fmt"
	"log"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

// A co-registration consent: the person ticked a separate box on an
// internet provider's form, whose partner list named the broadcaster by
// its company number. The broadcaster's first e-mail is allowed, with the
// duty to name the provider as the source and to say how to object (GDPR
// art. 14(2)(f), 14(3)(b)). The same consent does not reach a partner the
// list did not name (CNIL, Groupe Canal+, SAN-2023-015).
func ExamplePolicy_Decide_partnerConsent() {
	sets, err := rules.Builtin()
	if err != nil {
		log.Fatal(err)
	}
	policy, err := eligibility.Compile(sets, eligibility.Params{
		EntityAliases: [][]string{{"Diffuseur Exemple SA", "SIREN 000000012"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		log.Fatal(err)
	}
	email := address.MustParseEmail("camille.durand@example.com")
	grant := consent.Record{
		ID: "g-7", Subject: email, Purpose: consent.MarketingGeneral, Channel: consent.Email,
		Sender: "Diffuseur Exemple SA", Status: consent.Granted, Method: consent.UntickedCheckbox,
		At: time.Date(2026, 2, 1, 10, 0, 0, 0, paris),
		Provenance: &consent.Provenance{
			Collector: consent.Party{Entity: "FAI Exemple SAS", ID: "SIREN 000000011"},
			Partners: consent.Partners{Version: "v3", Shown: consent.ShownLink,
				Entries: []consent.Partner{{Entity: "Diffuseur Exemple", ID: "SIREN 000000012"}}},
			Separate:        true,
			IndividualProof: "forms/fai/submission-4711",
			ObtainedAt:      time.Date(2026, 2, 20, 9, 0, 0, 0, paris),
		},
	}
	records, err := consent.NewLedger(grant)
	if err != nil {
		log.Fatal(err)
	}
	contact := &consent.Contact{ID: "c-7", Kind: consent.Consumer, Country: address.MustCountry("FR"),
		Location: paris, Email: email, Records: *records}
	for _, sender := range []string{"Diffuseur Exemple SA", "Voyages Exemple SARL"} {
		// The unnamed partner's grant: the same consent, recorded for it.
		if sender != "Diffuseur Exemple SA" {
			other := grant
			other.ID, other.Sender = "g-8", sender
			if contact.Records.Append(other) != nil {
				log.Fatal("append")
			}
		}
		d, err := policy.Decide(eligibility.Request{Contact: contact, Message: consent.Message{
			Purpose: consent.MarketingGeneral, Channel: consent.Email,
			Sender: consent.Sender{Entity: sender, Kind: consent.Company},
			At:     time.Date(2026, 3, 1, 10, 0, 0, 0, paris),
		}})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(d.Verdict, d.Rule, d.Reason, d.Obligations)
	}
	// Output:
	// allow EU_PARTNER_CONSENT PARTNER_CONSENT_NAMED [sender_identity opt_out ad_label source_disclosure rights_and_opt_out_notice]
	// deny EU_PARTNER_NOT_NAMED PARTNER_NOT_NAMED_AT_COLLECTION []
}
