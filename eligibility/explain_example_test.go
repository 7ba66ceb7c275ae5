package eligibility_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/consent/rights"
	"github.com/sendright/sendright/eligibility"
)

// Explain returns the decision with every rule of the jurisdiction and what
// it gave, recorded in the same walk of the rules; the audit holds no
// personal data.
func ExamplePolicy_Explain() {
	policy, err := eligibility.Default()
	if err != nil {
		log.Fatal(err)
	}
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		log.Fatal(err)
	}
	contact := &consent.Contact{ID: "c-9", Kind: consent.Consumer, Country: address.MustCountry("GB"),
		Location: london, Email: address.MustParseEmail("sam.taylor@example.org")}
	audit, err := policy.Explain(eligibility.Request{Contact: contact, Message: consent.Message{
		Purpose: consent.MarketingGeneral, Channel: consent.Email,
		Sender: consent.Sender{Entity: "Example Trading Ltd", Kind: consent.Company},
		At:     time.Date(2026, 3, 10, 10, 0, 0, 0, london),
	}}, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(audit.Decision)
	for _, s := range audit.Trace {
		if s.Result == eligibility.Matched || s.Decided {
			fmt.Println(s.Rule, s.Effect, s.Result, s.Decided)
		}
	}
	// Output:
	// deny no_legal_basis UK_NO_CONSENT NO_CONSENT
	// UK_NO_CONSENT no_basis matched true
}

// Verify checks a stored audit against the request it claims to describe:
// the host finds the request again by the audit's reference, and any
// difference names the member of the audit that does not match.
func ExampleVerify() {
	policy, err := eligibility.Default()
	if err != nil {
		log.Fatal(err)
	}
	keyring, err := rights.NewKeyring(1, map[uint32][]byte{1: []byte("an example key of 32 bytes, never a real one")})
	if err != nil {
		log.Fatal(err)
	}
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		log.Fatal(err)
	}
	req := eligibility.Request{Ref: "send-2026-03-10-0042", Contact: &consent.Contact{ID: "c-9", Kind: consent.Consumer,
		Country: address.MustCountry("GB"), Location: london, Email: address.MustParseEmail("sam.taylor@example.org")},
		Message: consent.Message{Purpose: consent.MarketingGeneral, Channel: consent.Email,
			Sender: consent.Sender{Entity: "Example Trading Ltd", Kind: consent.Company},
			At:     time.Date(2026, 3, 10, 10, 0, 0, 0, london)}}
	audit, err := policy.Explain(req, keyring)
	if err != nil {
		log.Fatal(err)
	}
	stored, err := json.Marshal(audit) // kept in a log; holds no personal data
	if err != nil {
		log.Fatal(err)
	}

	var back eligibility.Audit
	if err := json.Unmarshal(stored, &back); err != nil {
		log.Fatal(err)
	}
	fmt.Println(back.Ref, eligibility.Verify(back, req, keyring))
	req.Channel = consent.SMS // not the request this audit describes
	err = eligibility.Verify(back, req, keyring)
	fmt.Println(errors.Is(err, eligibility.ErrAuditMismatch), err)
	// Output:
	// send-2026-03-10-0042 <nil>
	// true consent: request.channel: eligibility: the audit does not describe the request
}
