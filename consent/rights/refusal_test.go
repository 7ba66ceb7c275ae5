package rights

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
)

// TestExportRefusalScopes checks that the scopes an export lists for a
// refusal at collection are exactly the channels of the addresses
// collected, each shown as the objection "refusal:p-1", and that on every
// channel the contact's state agrees: no scope is exported as "none", none
// is left out.
func TestExportRefusalScopes(t *testing.T) {
	fr := address.MustCountry("FR")
	mail := address.MustParseEmail("lea.martin@example.com")
	tel := address.MustParsePhone("+33639980001", fr)
	push := address.MustParsePush("push:com.example.shop/inst-7f3a9c")
	postal := address.MustParsePostal([]string{"Léa Martin", "12 rue de l'Exemple", "75001 Paris"}, fr)
	at := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	phone := []consent.Channel{consent.SMS, consent.VoiceLive, consent.VoiceAutomated}
	for _, tt := range []struct {
		name      string
		collected []address.Address
		want      []consent.Channel
	}{
		{"e-mail", []address.Address{mail}, []consent.Channel{consent.Email}},
		{"number", []address.Address{tel}, phone},
		{"both", []address.Address{mail, tel}, append([]consent.Channel{consent.Email}, phone...)},
		{"push", []address.Address{push}, []consent.Channel{consent.Push}},
		{"postal", []address.Address{postal}, []consent.Channel{consent.Post}},
		{"every kind", []address.Address{postal, push, tel, mail},
			append([]consent.Channel{consent.Email}, append(phone, consent.Push, consent.Post)...)},
	} {
		e := consent.Interaction{ID: "p-1", At: at, Seller: "Maison Exemple SAS", Collected: tt.collected, Refused: true}
		c := consent.Contact{ID: "c-1", Kind: consent.Consumer, Country: fr, Location: time.UTC, Email: mail, Phone: tel,
			Push: push, Postal: postal, Relationship: consent.Relationship{Purchases: []consent.Interaction{e}}}
		if err := c.Check(); err != nil {
			t.Fatalf("%s: Check() error = %v", tt.name, err)
		}
		var stopped []consent.Channel
		for ch := consent.Email; ch < consent.AllChannels; ch++ {
			s := c.State(consent.Query{Purpose: consent.MarketingGeneral, Channel: ch, Sender: e.Seller, At: at.Add(time.Hour)})
			if s.StopID() == "refusal:p-1" {
				stopped = append(stopped, ch)
			}
		}
		if diff := cmp.Diff(tt.want, stopped); diff != "" {
			t.Errorf("%s: channels the state stops by the refusal (-want +got):\n%s", tt.name, diff)
		}
		var exported []consent.Channel
		for _, x := range ExportContact(&c, at.Add(time.Hour)).State {
			if x.Purpose != consent.MarketingGeneral {
				continue
			}
			if x.Status != StateObjection || x.RecordID != "refusal:p-1" {
				t.Errorf("%s: exported state %+v, want the refusal's objection", tt.name, x)
			}
			exported = append(exported, x.Channel)
		}
		if diff := cmp.Diff(tt.want, exported); diff != "" {
			t.Errorf("%s: channels exported for the refusal (-want +got):\n%s", tt.name, diff)
		}
	}
}
