package rights_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/consent/calls"
	"github.com/sendright/sendright/consent/rights"
)

// TestExportAndEraseHostInputs: an export holds the push and postal
// addresses, the push permission, the collection instant, the responses,
// the attempts, the sends and the registry lookups, in UTC; an erasure of a contact
// who objected suppresses its push and postal addresses too.
func TestExportAndEraseHostInputs(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, paris)
	push := address.MustParsePush("push:com.example.shop/inst-7f3a9c")
	postal := address.MustParsePostal([]string{"Léa Martin", "12 rue de l'Exemple", "75001 Paris"}, address.MustCountry("FR"))
	c := &consent.Contact{ID: "c-7", Kind: consent.Consumer, Country: address.MustCountry("FR"), Region: "FR-57", Location: paris,
		Push: push, Postal: postal, PushPermitted: true, CollectedAt: at,
		Relationship: consent.Relationship{Responses: []consent.Interaction{{ID: "click-1", At: at, Seller: rtShop}}},
		Attempts:     []calls.Attempt{{At: at, Channel: calls.VoiceLive, Sender: rtShop, Outcome: calls.Refused}},
		Sent:         []consent.Send{{At: at, Channel: consent.Email, Purpose: consent.MarketingGeneral, Sender: rtShop}},
		Registries: []calls.RegistryCheck{{Registry: calls.Bloctel, Number: address.MustParsePhone("+33639980001", address.Country{}),
			Listed: true, ListedSince: at, CheckedAt: at}}}
	if err := c.Records.Append(consent.Record{ID: "o-1", Purpose: consent.AllMarketing, Channel: consent.AllChannels,
		Sender: rtShop, Status: consent.Objection, At: at}); err != nil {
		t.Fatal(err)
	}
	e := rights.ExportContact(c, at.Add(time.Hour))
	utc := at.UTC()
	type got struct {
		Push, Postal  address.Address
		PushPermitted bool
		CollectedAt   time.Time
		Responses     []consent.Interaction
		Attempts      []calls.Attempt
		Sent          []consent.Send
		Registries    []calls.RegistryCheck
	}
	want := got{push, postal, true, utc, []consent.Interaction{{ID: "click-1", At: utc, Seller: rtShop}},
		[]calls.Attempt{{At: utc, Channel: calls.VoiceLive, Sender: rtShop, Outcome: calls.Refused}},
		[]consent.Send{{At: utc, Channel: consent.Email, Purpose: consent.MarketingGeneral, Sender: rtShop}},
		[]calls.RegistryCheck{{Registry: calls.Bloctel, Number: address.MustParsePhone("+33639980001", address.Country{}),
			Listed: true, ListedSince: utc, CheckedAt: utc}}}
	eq := cmp.Comparer(func(a, b address.Address) bool { return a == b })
	timeExact := cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) && a.Location() == b.Location() })
	if e.Profile.Region != "FR-57" {
		t.Errorf("Profile.Region = %q, want FR-57", e.Profile.Region)
	}
	if diff := cmp.Diff(want, got{e.Profile.Push, e.Profile.Postal, e.Profile.PushPermitted, e.Profile.CollectedAt,
		e.Relationship.Responses, e.Attempts, e.Sent, e.Registries}, eq, timeExact); diff != "" {
		t.Errorf("export mismatch (-want +got):\n%s", diff)
	}
	// The export round-trips through its JSON form.
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	var back rights.Export
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("decoding the export: %v\n%s", err, b)
	}
	if diff := cmp.Diff(e, back, eq, cmp.AllowUnexported(consent.Ledger{}, address.Country{})); diff != "" {
		t.Errorf("export round trip (-want +got):\n%s", diff)
	}
	// Erasure: the objection suppresses the push and postal addresses.
	kr := rtKeyring(t, 1, map[uint32][]byte{1: rtKey("k1")})
	er, err := rights.Erase(c, kr, nil, at.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []address.Address{push, postal, address.MustParsePostal([]string{"LÉA MARTIN", "12 RUE DE L'EXEMPLE", "75001  PARIS"}, address.MustCountry("FR"))} {
		s, ok := er.Suppressions.Match(a, kr)
		if !ok || s.Kind != a.Kind() {
			t.Errorf("%v %q: not suppressed after erasure (%+v, %v)", a.Kind(), a, s, ok)
		}
	}
}
