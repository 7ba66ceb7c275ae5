package rights_test

import (
	"bytes"
	"fmt"
	"log"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/consent/rights"
)

// A contact who objected asks to be erased. Erase returns what the host
// keeps: the objection record as proof, and a keyed digest of each address
// per sender. When the address comes back in a later import, the match
// turns into an objection again, so the person is not marketed to.
func ExampleErase() {
	// The key comes from the host's secret store; never hard-code one.
	kr, err := rights.NewKeyring(1, map[uint32][]byte{1: bytes.Repeat([]byte{0x5e}, rights.MinKeyLen)})
	if err != nil {
		log.Fatal(err)
	}
	email := address.MustParseEmail("lea.exemple@example.com")
	c := &consent.Contact{ID: "c-7", Kind: consent.Consumer, Country: address.MustCountry("FR"),
		Location: time.UTC, Email: email}
	if err := c.Records.Append(
		consent.Record{ID: "g-1", Subject: email, Purpose: consent.MarketingGeneral, Channel: consent.Email,
			Sender: "Maison Exemple SAS", Status: consent.Granted, At: time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC),
			Method: consent.UntickedCheckbox},
		consent.Record{ID: "o-1", Purpose: consent.AllMarketing, Channel: consent.AllChannels,
			Sender: "Maison Exemple SAS", Status: consent.Objection, At: time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC)},
	); err != nil {
		log.Fatal(err)
	}

	erasedAt := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	keepObjections := func(r consent.Record) bool { return r.Status == consent.Objection }
	e, err := rights.Erase(c, kr, keepObjections, erasedAt)
	if err != nil {
		log.Fatal(err)
	}
	for r := range e.Ledger.All() {
		fmt.Println("kept:", r.ID, r.Status)
	}
	for _, s := range e.Suppressions {
		fmt.Println("suppressed:", s.Kind, s.Sender, s.Purpose, s.Channel)
	}

	// Months later the same address is imported again, spelt differently.
	back := address.MustParseEmail("Lea.Exemple@EXAMPLE.com")
	if s, ok := e.Suppressions.Match(back, kr); ok {
		r := s.Objection("sup-c-7", time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC))
		fmt.Println("on import:", r.Status, r.Purpose, r.Channel, r.Sender)
	}
	// Output:
	// kept: o-1 objection
	// suppressed: email Maison Exemple SAS all_marketing all
	// on import: objection all_marketing all Maison Exemple SAS
}
