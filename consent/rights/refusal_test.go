package rights

import (
	"testing"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
)

// TestExportRefusalScopes checks that the scopes refusedOn lists for a
// refusal at collection are exactly those where the contact's state shows
// that refusal as the objection in force: no scope is exported as "none",
// none is left out.
func TestExportRefusalScopes(t *testing.T) {
	fr := address.MustCountry("FR")
	mail := address.MustParseEmail("lea.martin@example.com")
	tel := address.MustParsePhone("+33639980001", fr)
	at := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name      string
		collected []address.Address
	}{
		{"e-mail", []address.Address{mail}},
		{"number", []address.Address{tel}},
		{"both", []address.Address{mail, tel}},
	} {
		e := consent.Interaction{ID: "p-1", At: at, Seller: "Maison Exemple SAS", Collected: tt.collected, Refused: true}
		c := consent.Contact{ID: "c-1", Kind: consent.Consumer, Country: fr, Location: time.UTC, Email: mail, Phone: tel,
			Relationship: consent.Relationship{Purchases: []consent.Interaction{e}}}
		if err := c.Check(); err != nil {
			t.Fatalf("%s: Check() error = %v", tt.name, err)
		}
		for ch := consent.Email; ch < consent.AllChannels; ch++ {
			s := c.State(consent.Query{Purpose: consent.MarketingGeneral, Channel: ch, Sender: e.Seller, At: at.Add(time.Hour)})
			if got, want := refusedOn(&e, ch), s.StopID() == "refusal:p-1"; got != want {
				t.Errorf("%s, %v: refusedOn = %v, but the state's stop is %q", tt.name, ch, got, s.StopID())
			}
		}
	}
}
