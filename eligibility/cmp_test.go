package eligibility_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
)

// TestDecisionCmp: decisions compare with go-cmp without options (no
// panic on the obligations' hidden fields); equal obligations compare equal
// even when decoded from JSON, different ones show in the diff.
func TestDecisionCmp(t *testing.T) {
	pol, err := eligibility.Default()
	if err != nil {
		t.Fatal(err)
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 10, 10, 0, 0, 0, paris)
	email := address.MustParseEmail("camille.martin@example.com")
	c := &consent.Contact{ID: "c-cmp", Kind: consent.Consumer, Country: address.MustCountry("FR"), Location: paris, Email: email,
		Relationship: consent.Relationship{Purchases: []consent.Interaction{{ID: "p-1", At: at.AddDate(0, -2, 0),
			Seller: "Maison Exemple SAS", Category: "kettles", Collected: []address.Address{email}, OptOutOffered: true}}}}
	m := consent.Message{Purpose: consent.MarketingSimilar, Channel: consent.Email, Category: "kettles", At: at,
		Sender: consent.Sender{Entity: "Maison Exemple SAS", Kind: consent.Company}}
	d1, err := pol.Decide(eligibility.Request{Contact: c, Message: m})
	if err != nil {
		t.Fatal(err)
	}
	if d1.Obligations.Len() == 0 {
		t.Fatalf("Decide = %v without obligations; the test needs some", d1)
	}
	d2, err := pol.Decide(eligibility.Request{Contact: c, Message: m})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(d1, d2); diff != "" {
		t.Errorf("same request decided twice (-first +second):\n%s", diff)
	}
	b, err := d1.Obligations.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var back eligibility.Obligations
	if err := back.UnmarshalJSON(b); err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(d1.Obligations, back) {
		t.Errorf("obligations %v and their JSON round trip %v compare unequal", d1.Obligations, back)
	}
	d3 := d1
	d3.Obligations = eligibility.Obligations{}
	if cmp.Equal(d1, d3) {
		t.Errorf("cmp.Equal(%v, same without obligations) = true, want false", d1)
	}
}
