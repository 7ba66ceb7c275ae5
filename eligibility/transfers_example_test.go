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

// A French sender's newsletter goes out through a US e-mail service listed
// on the EU-US Data Privacy Framework: the transfer rests on the adequacy
// decision for the United States (Implementing Decision (EU) 2023/1795),
// marked at risk (its appeal is pending), and the decision carries the
// transfer obligations. When the host switches the DPF off, the same route
// is denied, unless a fallback is recorded (standard contractual clauses
// with a current transfer impact assessment), on which it is then allowed.
func ExamplePolicy_Decide_transfer() {
	routes, err := rules.ParseRoutes("routes.yaml", []byte(`
routes:
  - name: newsletter
    default_for: [email]
    hops:
      - id: esp
        entity: Example Mail Inc.
        entity_id: DPF-0000001
        role: processor
        processing: [US]
        mechanisms:
          - {kind: dpf, framework: eu_us, status: active, covered: non_hr, checked_at: 2026-10-18}
`))
	if err != nil {
		log.Fatal(err)
	}
	fallback := routes[0]
	fallback.Hops = []rules.Hop{routes[0].Hops[0]}
	fallback.Hops[0].Mechanisms = append(fallback.Hops[0].Mechanisms, rules.Mechanism{
		Kind: rules.SCC2021, Module: 2, SignedAt: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC),
		TIA: rules.TIA{Ref: "TIA-2025-07", AssessedAt: time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC),
			NextReviewAt: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}})

	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		log.Fatal(err)
	}
	email := address.MustParseEmail("camille.durand@example.com")
	ledger, err := consent.NewLedger(consent.Record{ID: "g-1", Subject: email, Purpose: consent.MarketingGeneral,
		Channel: consent.Email, Sender: "Maison Exemple SAS", Status: consent.Granted,
		At: time.Date(2025, 9, 1, 10, 0, 0, 0, paris), Method: consent.DoubleOptIn,
		ConfirmedAt: time.Date(2025, 9, 1, 10, 3, 0, 0, paris), Source: "web-form", WordingVersion: "v2"})
	if err != nil {
		log.Fatal(err)
	}
	req := eligibility.Request{
		Contact: &consent.Contact{ID: "c-42", Kind: consent.Consumer, Country: address.MustCountry("FR"),
			Location: paris, Email: email, Records: *ledger},
		Message: consent.Message{Purpose: consent.MarketingGeneral, Channel: consent.Email,
			Sender: consent.Sender{Entity: "Maison Exemple SAS", Kind: consent.Company, Country: address.MustCountry("FR")},
			At:     time.Date(2026, 10, 20, 10, 0, 0, 0, paris)},
	}
	sets, err := rules.Builtin()
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		params eligibility.Params
	}{
		{"DPF", eligibility.Params{Routes: routes}},
		{"DPF switched off", eligibility.Params{Routes: routes, Transfers: eligibility.TransferParams{DisableDPF: true}}},
		{"DPF switched off, SCC fallback", eligibility.Params{Routes: []rules.Route{fallback},
			Transfers: eligibility.TransferParams{DisableDPF: true}}},
	} {
		policy, err := eligibility.Compile(sets, c.params)
		if err != nil {
			log.Fatal(err)
		}
		d, err := policy.Decide(req)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %s %s %s\n", c.name, d.Verdict, d.Rule, d.Reason)
		for _, h := range d.Transfer.Hops {
			fmt.Printf("  hop %s %s: %s %s%s (%s) at risk: %v\n", h.Hop, h.Regime, h.Verdict, h.Basis, h.Reason, h.Row, h.AtRisk)
			if !h.ReevaluateBy.IsZero() {
				fmt.Println("  re-evaluate the assessment by", h.ReevaluateBy.Format(time.DateOnly))
			}
		}
		if d.Verdict == eligibility.Allow {
			fmt.Println("  obligations:", d.Obligations)
			fmt.Println("  notice:", d.Obligations.Citation(rules.TransferNotice))
		}
	}
	// Output:
	// DPF: allow EU_CONSENT CONSENT
	//   hop esp EU: allow adequacy:EU-2023/1795 (EU_ADEQ_US_DPF) at risk: true
	//   obligations: [sender_identity opt_out ad_label transfer_notice transfer_record]
	//   notice: GDPR art. 13(1)(f) and art. 14(1)(f)
	// DPF switched off: deny EU_ADEQ_US_DPF DPF_DISABLED_BY_POLICY
	//   hop esp EU: deny DPF_DISABLED_BY_POLICY (EU_ADEQ_US_DPF) at risk: false
	// DPF switched off, SCC fallback: allow EU_CONSENT CONSENT
	//   hop esp EU: allow scc_2021:module_2 (EU_SCC_2021) at risk: false
	//   re-evaluate the assessment by 2026-11-01
	//   obligations: [sender_identity opt_out ad_label transfer_notice transfer_record]
	//   notice: GDPR art. 13(1)(f) and art. 14(1)(f)
}
