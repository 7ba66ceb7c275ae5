package consent_test

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/consent/calls"
	"github.com/sendright/sendright/internal/limits"
)

// contactOpts compare contacts: time zones by name, countries and ledgers
// by content, and nil and empty relationship lists as equal (the JSON form
// omits empty lists).
var contactOpts = cmp.Options{
	cmp.Comparer(func(a, b *time.Location) bool {
		if a == nil || b == nil {
			return a == b
		}
		return a.String() == b.String()
	}),
	cmp.AllowUnexported(consent.Ledger{}, address.Country{}),
	cmpopts.EquateEmpty(),
}

// fullContactJSON returns the wire form of a contact with every field set,
// as a map so that cases can change it.
func fullContactJSON() map[string]any {
	return map[string]any{
		"id":             "c-42",
		"kind":           "consumer",
		"country":        "fr",
		"region":         "fr-57",
		"time_zone":      "Europe/Paris",
		"birth_date":     "1990-04-17",
		"email":          " Lea.Martin@EXAMPLE.COM ",
		"phone":          "+33 6 39 98 00 01",
		"push":           " push:com.example.shop/inst-7f3a9c ",
		"postal":         "Léa  Martin\n12 rue de l'Exemple\n57000 Metz\nfr",
		"push_permitted": true,
		"collected_at":   "2024-11-01T00:00:00Z",
		"attempts": []any{map[string]any{"at": "2025-03-02T10:15:00+01:00", "channel": "voice_live", "sender": shop,
			"outcome": "refused"}},
		"sent": []any{map[string]any{"at": "2025-03-03T08:00:00+01:00", "channel": "email", "purpose": "marketing_general",
			"sender": shop}, map[string]any{"at": "2025-03-01T18:30:00Z", "channel": "sms", "purpose": "transactional",
			"sender": other}},
		"registries": []any{map[string]any{"registry": "bloctel", "number": "06 39 98 00 01", "listed": true,
			"listed_since": "2025-02-01T00:00:00Z", "checked_at": "2025-03-01T00:00:00Z"}},
		"job_role":                      "buyer",
		"opt_out_offered_at_collection": true,
		"relationship": map[string]any{
			"purchases": []any{map[string]any{"id": "p-1", "at": "2025-02-01T10:00:00+01:00",
				"seller": shop, "category": "tea", "collected": []any{"Lea.Martin@example.com", "06 39 98 00 01"}, "opt_out_offered": true}},
			"inquiries": []any{map[string]any{"id": "i-1", "at": "2025-01-05T08:00:00Z", "seller": other}},
			"support":   []any{map[string]any{"id": "s-1", "at": "2024-12-24T18:00:00Z", "seller": "Fondation Exemple"}},
			"contracts": []any{map[string]any{"id": "k-1", "seller": shop, "category": "tea-club",
				"start": "2025-02-01T00:00:00Z", "end": "2026-02-01T00:00:00Z"}},
			"responses": []any{map[string]any{"id": "r-1", "at": "2025-03-05T08:00:00Z", "seller": shop}},
		},
		"records": []any{
			map[string]any{"id": "g-1", "subject": "lea.martin@example.com", "purpose": "marketing_general",
				"channel": "email", "sender": shop, "status": "granted", "at": "2025-01-10T10:00:00+01:00",
				"method": "double_opt_in", "confirmed_at": "2025-01-10T09:05:00Z"},
			map[string]any{"id": "w-1", "purpose": "all_marketing", "channel": "sms", "sender": shop,
				"status": "withdrawn", "at": "2025-03-01T12:00:00Z"},
		},
	}
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("json.Marshal() error = %v", err)
	}
	return b
}

func wantFullContact(t testing.TB) consent.Contact {
	t.Helper()
	c := consent.Contact{
		ID:            "c-42",
		Kind:          consent.Consumer,
		Country:       address.MustCountry("FR"),
		Region:        "FR-57",
		Location:      paris,
		BirthDate:     time.Date(1990, 4, 17, 0, 0, 0, 0, time.UTC),
		Email:         addr("Lea.Martin@example.com"),
		Phone:         addr("+33639980001"),
		Push:          address.MustParsePush("push:com.example.shop/inst-7f3a9c"),
		Postal:        address.MustParsePostal([]string{"Léa Martin", "12 rue de l'Exemple", "57000 Metz"}, address.MustCountry("FR")),
		PushPermitted: true,
		CollectedAt:   time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC),
		Attempts: []calls.Attempt{{At: time.Date(2025, 3, 2, 9, 15, 0, 0, time.UTC), Channel: calls.VoiceLive, Sender: shop,
			Outcome: calls.Refused}},
		Sent: []consent.Send{{At: time.Date(2025, 3, 3, 7, 0, 0, 0, time.UTC), Channel: consent.Email,
			Purpose: consent.MarketingGeneral, Sender: shop},
			{At: time.Date(2025, 3, 1, 18, 30, 0, 0, time.UTC), Channel: consent.SMS, Purpose: consent.Transactional, Sender: other}},
		Registries: []calls.RegistryCheck{{Registry: calls.Bloctel, Number: addr(leaTel), Listed: true,
			ListedSince: time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC), CheckedAt: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}},
		JobRole:                   "buyer",
		OptOutOfferedAtCollection: true,
		Relationship: consent.Relationship{
			Purchases: []consent.Interaction{{ID: "p-1", At: time.Date(2025, 2, 1, 9, 0, 0, 0, time.UTC),
				Seller: shop, Category: "tea", Collected: []address.Address{addr("Lea.Martin@example.com"), addr(leaTel)}, OptOutOffered: true}},
			Inquiries: []consent.Interaction{{ID: "i-1", At: time.Date(2025, 1, 5, 8, 0, 0, 0, time.UTC), Seller: other}},
			Support: []consent.Interaction{{ID: "s-1", At: time.Date(2024, 12, 24, 18, 0, 0, 0, time.UTC),
				Seller: "Fondation Exemple"}},
			Contracts: []consent.Contract{{ID: "k-1", Seller: shop, Category: "tea-club",
				Start: time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)}},
			Responses: []consent.Interaction{{ID: "r-1", At: time.Date(2025, 3, 5, 8, 0, 0, 0, time.UTC), Seller: shop}},
		},
	}
	g := grant("g-1", t0)
	g.Method, g.ConfirmedAt = consent.DoubleOptIn, t0.Add(5*time.Minute)
	w := consent.Record{ID: "w-1", Purpose: consent.AllMarketing, Channel: consent.SMS, Sender: shop,
		Status: consent.Withdrawn, At: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	if err := c.Records.Append(g, w); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestContactJSONDecode(t *testing.T) {
	var got consent.Contact
	if err := json.Unmarshal(mustJSON(t, fullContactJSON()), &got); err != nil {
		t.Fatalf("json.Unmarshal() error = %v", err)
	}
	if diff := cmp.Diff(wantFullContact(t), got, contactOpts); diff != "" {
		t.Errorf("decoded contact mismatch (-want +got):\n%s", diff)
	}
	if got.Location == nil || got.Location.String() != "Europe/Paris" {
		t.Errorf("Location = %v, want Europe/Paris loaded", got.Location)
	}
	if got.BirthDate.Location() != time.UTC || got.BirthDate.Hour() != 0 {
		t.Errorf("BirthDate = %v, want midnight UTC", got.BirthDate)
	}
	if err := got.Check(); err != nil {
		t.Errorf("Check() on a decoded contact error = %v", err)
	}
}

func TestContactJSONRoundTrip(t *testing.T) {
	minimal := consent.Contact{ID: "c-1", Kind: consent.BusinessGeneric, Country: address.MustCountry("GB"),
		Location: mustLocation("Europe/London")}
	tests := []struct {
		name string
		c    consent.Contact
	}{
		{"full contact", wantFullContact(t)},
		{"minimal contact", minimal},
		{"Robinson lookups of a number, an e-mail and a postal address", spanishContact(t)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := mustJSON(t, tt.c)
			var got consent.Contact
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatalf("json.Unmarshal(%s) error = %v", b, err)
			}
			if diff := cmp.Diff(tt.c, got, contactOpts); diff != "" {
				t.Errorf("round trip mismatch (-want +got):\n%s", diff)
			}
			if b2 := mustJSON(t, got); string(b2) != string(b) {
				t.Errorf("second encoding differs:\nfirst  %s\nsecond %s", b, b2)
			}
		})
	}
}

// spanishContact has lookups in the Robinson list of its number, its
// e-mail address and its postal address.
func spanishContact(t *testing.T) consent.Contact {
	t.Helper()
	es := address.MustCountry("ES")
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	c := consent.Contact{ID: "c-es", Kind: consent.Consumer, Country: es, Region: "ES-CT", Location: mustLocation("Europe/Madrid"),
		Email: address.MustParseEmail("lucia@example.es"), Phone: address.MustParsePhone("+34600555001", es),
		Postal: address.MustParsePostal([]string{"Lucía Ejemplo", "Carrer Major 1", "08001 Barcelona"}, es)}
	for _, a := range []address.Address{c.Phone, c.Email, c.Postal} {
		c.Registries = append(c.Registries, calls.RegistryCheck{Registry: calls.Robinson, Number: a, Listed: a == c.Email,
			CheckedAt: at})
	}
	return c
}

// TestRobinsonLookupNationalFormat: inside a contact, a Robinson lookup
// reads a number with spaces, an e-mail address in any case, and refuses
// a push address.
func TestRobinsonLookupNationalFormat(t *testing.T) {
	doc := `{"id":"c-es","kind":"consumer","country":"ES","time_zone":"Europe/Madrid","phone":"+34 600 555 001",` +
		`"email":"lucia@example.es","registries":[{"registry":"robinson","number":"+34600555001","checked_at":"2026-03-01T08:00:00Z"},` +
		`{"registry":"robinson","number":"Lucia@Example.ES","listed":true,"checked_at":"2026-03-01T08:00:00Z"}]}`
	var c consent.Contact
	if err := json.Unmarshal([]byte(doc), &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Registries) != 2 || !c.Registries[0].Number.Same(c.Phone) || !c.Registries[1].Number.Same(c.Email) {
		t.Errorf("lookups %+v: want the contact's number then its e-mail address", c.Registries)
	}
	bad := strings.Replace(doc, `"number":"+34600555001"`, `"number":"push:tok-1"`, 1)
	err := json.Unmarshal([]byte(bad), new(consent.Contact))
	var fe *consent.FieldError
	if !errors.Is(err, consent.ErrInvalid) || !errors.As(err, &fe) || fe.Field != "contact.registries[0].number" {
		t.Errorf("a push address looked up in the Robinson list: error = %v, want an invalid contact.registries[0].number", err)
	}
}

func TestContactJSONMinimalWireForm(t *testing.T) {
	c := consent.Contact{ID: "c-1", Kind: consent.SoleTrader, Country: address.MustCountry("BE"),
		Location: mustLocation("Europe/Brussels")}
	want := `{"id":"c-1","kind":"sole_trader","country":"BE","time_zone":"Europe/Brussels","records":[]}`
	if diff := cmp.Diff(want, string(mustJSON(t, c))); diff != "" {
		t.Errorf("wire form mismatch (-want +got):\n%s", diff)
	}
}

func TestContactJSONErrors(t *testing.T) {
	tests := []struct {
		name      string
		mod       func(m map[string]any)
		raw       string // used instead of the modified map when set
		wantField string
		wantErr   error
		noRepeat  string // text the error must not contain
		bug       string
	}{
		{name: "unknown country", mod: func(m map[string]any) { m["country"] = "XX" },
			wantField: "contact.country", wantErr: consent.ErrUnknownValue},
		{name: "alpha-3 country", mod: func(m map[string]any) { m["country"] = "FRA" },
			wantErr: consent.ErrUnknownValue},
		{name: "missing country", mod: func(m map[string]any) { delete(m, "country") },
			wantField: "contact.country", wantErr: consent.ErrMissing},
		{name: "unknown time zone", mod: func(m map[string]any) { m["time_zone"] = "Mars/Olympus_Mons" },
			wantField: "contact.time_zone", wantErr: consent.ErrInvalid},
		{name: "Local time zone", mod: func(m map[string]any) { m["time_zone"] = "Local" },
			wantField: "contact.time_zone", wantErr: consent.ErrInvalid},
		{name: "path as time zone", mod: func(m map[string]any) { m["time_zone"] = "../../etc/passwd" },
			wantField: "contact.time_zone", wantErr: consent.ErrInvalid},
		{name: "oversize time zone", mod: func(m map[string]any) { m["time_zone"] = strings.Repeat("A", 65) },
			wantField: "contact.time_zone", wantErr: consent.ErrInvalid},
		{name: "missing time zone", mod: func(m map[string]any) { delete(m, "time_zone") },
			wantField: "contact.time_zone", wantErr: consent.ErrMissing},
		{name: "birth date not ISO", mod: func(m map[string]any) { m["birth_date"] = "17/04/1990" },
			wantField: "contact.birth_date", wantErr: consent.ErrInvalid},
		{name: "impossible birth date", mod: func(m map[string]any) { m["birth_date"] = "1990-02-30" },
			wantField: "contact.birth_date", wantErr: consent.ErrInvalid},
		{name: "birth date with a time", mod: func(m map[string]any) { m["birth_date"] = "1990-04-17T00:00:00Z" },
			wantField: "contact.birth_date", wantErr: consent.ErrInvalid},
		{name: "birth date before 1900", mod: func(m map[string]any) { m["birth_date"] = "1850-01-01" },
			wantField: "contact.birth_date", wantErr: consent.ErrInvalid},
		{name: "unknown kind", mod: func(m map[string]any) { m["kind"] = "alien" },
			wantErr: consent.ErrUnknownValue},
		{name: "unknown kind names the field", mod: func(m map[string]any) { m["kind"] = "alien" },
			wantField: "contact.kind", wantErr: consent.ErrUnknownValue},
		{name: "missing kind", mod: func(m map[string]any) { delete(m, "kind") },
			wantField: "contact.kind", wantErr: consent.ErrMissing},
		{name: "missing id", mod: func(m map[string]any) { delete(m, "id") },
			wantField: "contact.id", wantErr: consent.ErrMissing},
		{name: "unknown field", mod: func(m map[string]any) { m["shoe_size"] = 42 }, wantErr: consent.ErrInvalid},
		{name: "unknown field in a purchase", mod: func(m map[string]any) {
			m["relationship"].(map[string]any)["purchases"].([]any)[0].(map[string]any)["price"] = 12
		}, wantErr: consent.ErrInvalid},
		{name: "malformed email", mod: func(m map[string]any) { m["email"] = "lea.martin.example.com" },
			wantField: "contact.email", wantErr: consent.ErrInvalid, noRepeat: "lea.martin.example.com"},
		{name: "malformed phone", mod: func(m map[string]any) { m["phone"] = "06 39 98 00" },
			wantField: "contact.phone", wantErr: consent.ErrInvalid, noRepeat: "06 39 98 00"},
		{name: "national number of another country", mod: func(m map[string]any) { m["phone"] = "07700 900123" },
			wantField: "contact.phone", wantErr: consent.ErrInvalid, noRepeat: "07700 900123"},
		{name: "channel names in collected (the old form)", mod: func(m map[string]any) {
			m["relationship"].(map[string]any)["purchases"].([]any)[0].(map[string]any)["collected"] = []any{"email", "sms"}
		}, wantField: "contact.relationship.purchases[0].collected[0]", wantErr: consent.ErrInvalid},
		{name: "malformed collected address", mod: func(m map[string]any) {
			m["relationship"].(map[string]any)["purchases"].([]any)[0].(map[string]any)["collected"] = []any{"lea.martin.example.com"}
		}, wantField: "contact.relationship.purchases[0].collected[0]", wantErr: consent.ErrInvalid, noRepeat: "lea.martin.example.com"},
		{name: "collected national number of another country", mod: func(m map[string]any) {
			m["relationship"].(map[string]any)["purchases"].([]any)[0].(map[string]any)["collected"] = []any{"07700 900123"}
		}, wantField: "contact.relationship.purchases[0].collected[0]", wantErr: consent.ErrInvalid, noRepeat: "07700 900123"},
		{name: "record subject, national number of another country", mod: func(m map[string]any) {
			m["records"].([]any)[0].(map[string]any)["subject"] = "07700 900123"
		}, wantField: "records[0].subject", wantErr: consent.ErrInvalid, noRepeat: "07700 900123"},
		{name: "refusal without collected addresses", mod: func(m map[string]any) {
			p := m["relationship"].(map[string]any)["purchases"].([]any)[0].(map[string]any)
			p["refused"], p["collected"] = true, []any{}
		}, wantField: "contact.relationship.purchases[0].collected", wantErr: consent.ErrInvalid},
		{name: "purchase without seller", mod: func(m map[string]any) {
			delete(m["relationship"].(map[string]any)["purchases"].([]any)[0].(map[string]any), "seller")
		}, wantField: "contact.relationship.purchases[0].seller", wantErr: consent.ErrMissing},
		{name: "inquiry without time", mod: func(m map[string]any) {
			delete(m["relationship"].(map[string]any)["inquiries"].([]any)[0].(map[string]any), "at")
		}, wantField: "contact.relationship.inquiries[0].at", wantErr: consent.ErrMissing},
		{name: "support without id", mod: func(m map[string]any) {
			delete(m["relationship"].(map[string]any)["support"].([]any)[0].(map[string]any), "id")
		}, wantField: "contact.relationship.support[0].id", wantErr: consent.ErrMissing},
		{name: "oversize purchase category", mod: func(m map[string]any) {
			m["relationship"].(map[string]any)["purchases"].([]any)[0].(map[string]any)["category"] =
				strings.Repeat("c", limits.MaxIDLen+1)
		}, wantErr: consent.ErrTooLarge},
		{name: "contract ending before it starts", mod: func(m map[string]any) {
			m["relationship"].(map[string]any)["contracts"].([]any)[0].(map[string]any)["end"] = "2024-01-01T00:00:00Z"
		}, wantField: "contact.relationship.contracts[0].end", wantErr: consent.ErrInvalid},
		{name: "contract without start", mod: func(m map[string]any) {
			delete(m["relationship"].(map[string]any)["contracts"].([]any)[0].(map[string]any), "start")
		}, wantField: "contact.relationship.contracts[0].start", wantErr: consent.ErrMissing},
		{name: "invalid record", mod: func(m map[string]any) {
			m["records"].([]any)[1].(map[string]any)["channel"] = "fax"
		}, wantField: "records[1].channel", wantErr: consent.ErrUnknownValue},
		{name: "grant for all channels", mod: func(m map[string]any) {
			m["records"].([]any)[0].(map[string]any)["channel"] = "all"
		}, wantField: "records[0].channel", wantErr: consent.ErrInvalid},
		{name: "wrong JSON type", mod: func(m map[string]any) { m["opt_out_offered_at_collection"] = "yes" },
			wantErr: consent.ErrInvalid},
		{name: "not an object", raw: `["c-42"]`, wantErr: consent.ErrInvalid},
		{name: "push address without its prefix", mod: func(m map[string]any) { m["push"] = "com.example.shop/inst-1" },
			wantField: "contact.push", wantErr: consent.ErrInvalid},
		{name: "e-mail address as push address", mod: func(m map[string]any) { m["push"] = leaMail },
			wantField: "contact.push", wantErr: consent.ErrInvalid, noRepeat: leaMail},
		{name: "postal address on one line", mod: func(m map[string]any) { m["postal"] = "12 rue de l'Exemple, Metz" },
			wantField: "contact.postal", wantErr: consent.ErrInvalid, noRepeat: "Exemple"},
		{name: "postal address without a country", mod: func(m map[string]any) { m["postal"] = "12 rue de l'Exemple\nMetz" },
			wantField: "contact.postal", wantErr: consent.ErrInvalid, noRepeat: "Exemple"},
		{name: "attempt with an unknown outcome", mod: func(m map[string]any) {
			m["attempts"].([]any)[0].(map[string]any)["outcome"] = "hung_up"
		}, wantField: "attempts[0].outcome", wantErr: consent.ErrUnknownValue},
		{name: "attempt without sender", mod: func(m map[string]any) {
			delete(m["attempts"].([]any)[0].(map[string]any), "sender")
		}, wantField: "contact.attempts[0].sender", wantErr: consent.ErrMissing},
		{name: "attempt for all channels", mod: func(m map[string]any) {
			m["attempts"].([]any)[0].(map[string]any)["channel"] = "all"
		}, wantField: "attempts[0].channel", wantErr: consent.ErrUnknownValue},
		{name: "attempt by SMS: only calls are counted", mod: func(m map[string]any) {
			m["attempts"].([]any)[0].(map[string]any)["channel"] = "sms"
		}, wantField: "attempts[0].channel", wantErr: consent.ErrUnknownValue},
		{name: "send with an unknown channel", mod: func(m map[string]any) {
			m["sent"].([]any)[0].(map[string]any)["channel"] = "fax"
		}, wantField: "sent[0].channel", wantErr: consent.ErrUnknownValue},
		{name: "send for all channels", mod: func(m map[string]any) {
			m["sent"].([]any)[1].(map[string]any)["channel"] = "all"
		}, wantField: "contact.sent[1].channel", wantErr: consent.ErrInvalid},
		{name: "send for all marketing", mod: func(m map[string]any) {
			m["sent"].([]any)[0].(map[string]any)["purpose"] = "all_marketing"
		}, wantField: "contact.sent[0].purpose", wantErr: consent.ErrInvalid},
		{name: "send without purpose", mod: func(m map[string]any) {
			delete(m["sent"].([]any)[0].(map[string]any), "purpose")
		}, wantField: "contact.sent[0].purpose", wantErr: consent.ErrUnknownValue},
		{name: "send without sender", mod: func(m map[string]any) {
			delete(m["sent"].([]any)[1].(map[string]any), "sender")
		}, wantField: "contact.sent[1].sender", wantErr: consent.ErrMissing},
		{name: "send with an unknown key", mod: func(m map[string]any) {
			m["sent"].([]any)[0].(map[string]any)["opened"] = true
		}, wantField: "sent[0].opened", wantErr: consent.ErrInvalid},
		{name: "send not an object", mod: func(m map[string]any) { m["sent"] = []any{"2025-03-03"} },
			wantField: "sent[0]", wantErr: consent.ErrInvalid},
		{name: "registry lookup of a malformed number", mod: func(m map[string]any) {
			m["registries"].([]any)[0].(map[string]any)["number"] = "6 39 98"
		}, wantField: "contact.registries[0].number", wantErr: consent.ErrInvalid, noRepeat: "6 39 98"},
		{name: "registry lookup of an e-mail address", mod: func(m map[string]any) {
			m["registries"].([]any)[0].(map[string]any)["number"] = leaMail
		}, wantField: "contact.registries[0].number", wantErr: consent.ErrInvalid, noRepeat: leaMail},
		{name: "unknown registry", mod: func(m map[string]any) {
			m["registries"].([]any)[0].(map[string]any)["registry"] = "lista_robinson"
		}, wantField: "registries[0].registry", wantErr: consent.ErrUnknownValue},
		{name: "registry lookup without its instant", mod: func(m map[string]any) {
			delete(m["registries"].([]any)[0].(map[string]any), "checked_at")
		}, wantField: "contact.registries[0].checked_at", wantErr: consent.ErrMissing},
		{name: "registered after the lookup", mod: func(m map[string]any) {
			m["registries"].([]any)[0].(map[string]any)["listed_since"] = "2025-03-02T00:00:00Z"
		}, wantField: "contact.registries[0].listed_since", wantErr: consent.ErrInvalid},
		{name: "a registration date for a number not listed", mod: func(m map[string]any) {
			m["registries"].([]any)[0].(map[string]any)["listed"] = false
		}, wantField: "contact.registries[0].listed_since", wantErr: consent.ErrInvalid},
		{name: "a response marked as a refusal", mod: func(m map[string]any) {
			r := m["relationship"].(map[string]any)["responses"].([]any)[0].(map[string]any)
			r["refused"], r["collected"] = true, []any{leaMail}
		}, wantField: "contact.relationship.responses[0].refused", wantErr: consent.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.bug != "" {
				t.Skip("known bug: " + tt.bug)
			}
			in := []byte(tt.raw)
			if tt.raw == "" {
				m := fullContactJSON()
				tt.mod(m)
				in = mustJSON(t, m)
			}
			got := consent.Contact{ID: "untouched"}
			err := json.Unmarshal(in, &got)
			checkFieldError(t, err, tt.wantField, tt.wantErr)
			if tt.noRepeat != "" && strings.Contains(err.Error(), tt.noRepeat) {
				t.Errorf("error %q repeats %q", err, tt.noRepeat)
			}
			if got.ID != "untouched" {
				t.Errorf("a failed decode changed the contact: %+v", got)
			}
		})
	}
}

// validContact is a contact built in Go and normalised.
func validContact(t testing.TB) *consent.Contact {
	t.Helper()
	c := wantFullContact(t)
	return &c
}

// TestContactBirthDate: a birth date built in Go with a time of day and a
// zone counts by its date in its own zone. Check leaves it alone (it runs on
// every decision, on contacts other goroutines read), JSON writes that
// date, and decoding gives midnight UTC of the same date.
func TestContactBirthDate(t *testing.T) {
	c := &consent.Contact{ID: "c-1", Kind: consent.Consumer, Country: address.MustCountry("FR"), Location: paris,
		Email: addr(" lea.martin@EXAMPLE.com"), Phone: addr("+33 (6) 39-98-00-01"),
		BirthDate: time.Date(1990, 4, 17, 0, 30, 0, 0, paris)} // 16 April in UTC
	before := *c
	if err := c.Check(); err != nil {
		t.Fatalf("Check() error = %v", err)
	}
	if diff := cmp.Diff(before, *c, contactOpts); diff != "" {
		t.Errorf("Check changed the contact (-before +after):\n%s", diff)
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatalf("Marshal() error = %v", err)
	}
	var back consent.Contact
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("Unmarshal(%s) error = %v", b, err)
	}
	want := consent.Contact{ID: "c-1", Kind: consent.Consumer, Country: address.MustCountry("FR"), Location: paris,
		Email: addr(leaMail), Phone: addr(leaTel), BirthDate: time.Date(1990, 4, 17, 0, 0, 0, 0, time.UTC)}
	if diff := cmp.Diff(want, back, contactOpts); diff != "" {
		t.Errorf("round-tripped contact mismatch (-want +got):\n%s", diff)
	}
}

func TestContactCheck(t *testing.T) {
	tests := []struct {
		name      string
		mod       func(c *consent.Contact)
		wantField string
		wantErr   error
	}{
		{"valid", func(c *consent.Contact) {}, "", nil},
		{"missing id", func(c *consent.Contact) { c.ID = "" }, "contact.id", consent.ErrMissing},
		{"zero kind", func(c *consent.Contact) { c.Kind = 0 }, "contact.kind", consent.ErrUnknownValue},
		{"zero country", func(c *consent.Contact) { c.Country = address.Country{} }, "contact.country",
			consent.ErrMissing},
		{"nil location", func(c *consent.Contact) { c.Location = nil }, "contact.time_zone", consent.ErrMissing},
		{"time.Local", func(c *consent.Contact) { c.Location = time.Local }, "contact.time_zone", consent.ErrInvalid},
		{"UTC", func(c *consent.Contact) { c.Location = time.UTC }, "", nil},
		{"birth year 10000", func(c *consent.Contact) { c.BirthDate = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) },
			"contact.birth_date", consent.ErrInvalid},
		{"too many purchases", func(c *consent.Contact) {
			c.Relationship.Purchases = make([]consent.Interaction, consent.MaxRelationshipEvents+1)
		}, "contact.relationship.purchases", consent.ErrTooLarge},
		{"too many contracts", func(c *consent.Contact) {
			c.Relationship.Contracts = make([]consent.Contract, consent.MaxRelationshipEvents+1)
		}, "contact.relationship.contracts", consent.ErrTooLarge},
		{"contract without seller", func(c *consent.Contact) { c.Relationship.Contracts[0].Seller = "" },
			"contact.relationship.contracts[0].seller", consent.ErrMissing},
		{"a phone number as push address", func(c *consent.Contact) { c.Push = addr(leaTel) }, "contact.push", consent.ErrInvalid},
		{"an e-mail address as postal address", func(c *consent.Contact) { c.Postal = addr(leaMail) }, "contact.postal", consent.ErrInvalid},
		{"a push address as phone", func(c *consent.Contact) { c.Phone = c.Push }, "contact.phone", consent.ErrInvalid},
		{"attempt without instant", func(c *consent.Contact) { c.Attempts[0].At = time.Time{} }, "contact.attempts[0].at", consent.ErrMissing},
		{"attempt without outcome", func(c *consent.Contact) { c.Attempts[0].Outcome = 0 }, "contact.attempts[0].outcome", consent.ErrUnknownValue},
		{"attempt with a zero channel", func(c *consent.Contact) { c.Attempts[0].Channel = 0 }, "contact.attempts[0].channel", consent.ErrUnknownValue},
		{"attempt by a sender naming no entity", func(c *consent.Contact) { c.Attempts[0].Sender = " - " }, "contact.attempts[0].sender", consent.ErrInvalid},
		{"too many attempts", func(c *consent.Contact) {
			c.Attempts = make([]calls.Attempt, consent.MaxRelationshipEvents+1)
		}, "contact.attempts", consent.ErrTooLarge},
		{"send without instant", func(c *consent.Contact) { c.Sent[0].At = time.Time{} }, "contact.sent[0].at", consent.ErrMissing},
		{"send with a zero channel", func(c *consent.Contact) { c.Sent[1].Channel = 0 }, "contact.sent[1].channel", consent.ErrUnknownValue},
		{"send with a zero purpose", func(c *consent.Contact) { c.Sent[0].Purpose = 0 }, "contact.sent[0].purpose", consent.ErrUnknownValue},
		{"send for all channels", func(c *consent.Contact) { c.Sent[0].Channel = consent.AllChannels }, "contact.sent[0].channel", consent.ErrInvalid},
		{"send by a sender naming no entity", func(c *consent.Contact) { c.Sent[0].Sender = " - " }, "contact.sent[0].sender", consent.ErrInvalid},
		{"send by a sender too long", func(c *consent.Contact) { c.Sent[0].Sender = strings.Repeat("s", 257) }, "contact.sent[0].sender", consent.ErrTooLarge},
		{"a call logged as a send", func(c *consent.Contact) { c.Sent[0].Channel = consent.VoiceLive }, "", nil},
		{"too many sends", func(c *consent.Contact) {
			c.Sent = make([]consent.Send, consent.MaxSends+1)
		}, "contact.sent", consent.ErrTooLarge},
		{"registry lookup of no registry", func(c *consent.Contact) { c.Registries[0].Registry = 0 }, "contact.registries[0].registry", consent.ErrUnknownValue},
		{"registry lookup of an e-mail address", func(c *consent.Contact) { c.Registries[0].Number = addr(leaMail) }, "contact.registries[0].number", consent.ErrInvalid},
		{"registry lookup of no number", func(c *consent.Contact) { c.Registries[0].Number = address.Address{} }, "contact.registries[0].number", consent.ErrMissing},
		{"too many registry lookups", func(c *consent.Contact) {
			c.Registries = make([]calls.RegistryCheck, 1001)
		}, "contact.registries", consent.ErrTooLarge},
		{"too many responses", func(c *consent.Contact) {
			c.Relationship.Responses = make([]consent.Interaction, consent.MaxRelationshipEvents+1)
		}, "contact.relationship.responses", consent.ErrTooLarge},
		{"response without seller", func(c *consent.Contact) { c.Relationship.Responses[0].Seller = "" },
			"contact.relationship.responses[0].seller", consent.ErrMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validContact(t)
			tt.mod(c)
			err := c.Check()
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("Check() error = %v", err)
				}
				return
			}
			checkFieldError(t, err, tt.wantField, tt.wantErr)
		})
	}
}

func TestContactCheckDoesNotAllocate(t *testing.T) {
	c := validContact(t)
	var err error
	if n := testing.AllocsPerRun(100, func() { err = c.Check() }); n != 0 {
		t.Errorf("Check() allocates %v times per call, want 0", n)
	}
	if err != nil {
		t.Errorf("Check() error = %v", err)
	}
}

// TestContactTimeZoneJSON: a decoded contact's time zone is loaded by its
// IANA name; the names that do not say where the contact is are refused
// (TestContactJSONErrors covers the rest).
func TestContactTimeZoneJSON(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr error
	}{
		{"IANA name", "America/New_York", nil},
		{"UTC", "UTC", nil},
		{"empty", "", consent.ErrMissing},
		{"Local", "Local", consent.ErrInvalid},
		{"unknown", "Europe/Atlantis", consent.ErrInvalid},
		{"too long", "Europe/" + strings.Repeat("x", 60), consent.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := fullContactJSON()
			m["time_zone"] = tt.in
			b, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			var c consent.Contact
			err = json.Unmarshal(b, &c)
			if tt.wantErr != nil {
				checkFieldError(t, err, "contact.time_zone", tt.wantErr)
				return
			}
			if err != nil || c.Location.String() != tt.in {
				t.Errorf("time_zone %q decoded to %v, %v", tt.in, c.Location, err)
			}
		})
	}
}

func validMessage() consent.Message {
	return consent.Message{Purpose: consent.MarketingGeneral, Channel: consent.Email, Category: "tea",
		Sender: consent.Sender{Entity: shop, Kind: consent.Company, Country: address.MustCountry("FR")}, At: day(30)}
}

func TestMessageCheck(t *testing.T) {
	tests := []struct {
		name      string
		mod       func(m *consent.Message)
		wantField string
		wantErr   error
	}{
		{"valid", func(m *consent.Message) {}, "", nil},
		{"transactional", func(m *consent.Message) { m.Purpose = consent.Transactional }, "", nil},
		{"charity by post", func(m *consent.Message) { m.Sender.Kind, m.Channel = consent.Charity, consent.Post }, "", nil},
		{"zero at", func(m *consent.Message) { m.At = time.Time{} }, "message.at", consent.ErrMissing},
		{"zero purpose", func(m *consent.Message) { m.Purpose = 0 }, "message.purpose", consent.ErrUnknownValue},
		{"unknown purpose", func(m *consent.Message) { m.Purpose = 42 }, "message.purpose", consent.ErrUnknownValue},
		{"all_marketing purpose", func(m *consent.Message) { m.Purpose = consent.AllMarketing },
			"message.purpose", consent.ErrUnknownValue},
		{"zero channel", func(m *consent.Message) { m.Channel = 0 }, "message.channel", consent.ErrUnknownValue},
		{"unknown channel", func(m *consent.Message) { m.Channel = 42 }, "message.channel", consent.ErrUnknownValue},
		{"all channels", func(m *consent.Message) { m.Channel = consent.AllChannels },
			"message.channel", consent.ErrUnknownValue},
		{"missing sender entity", func(m *consent.Message) { m.Sender.Entity = "" },
			"message.sender.entity", consent.ErrMissing},
		{"zero sender kind", func(m *consent.Message) { m.Sender.Kind = 0 },
			"message.sender.kind", consent.ErrUnknownValue},
		{"invalid sender kind", func(m *consent.Message) { m.Sender.Kind = 5 },
			"message.sender.kind", consent.ErrUnknownValue},
		{"oversize category", func(m *consent.Message) { m.Category = strings.Repeat("c", limits.MaxIDLen+1) },
			"message", consent.ErrTooLarge},
		{"presumed consent on a live call", func(m *consent.Message) { m.Channel, m.PresumedConsent = consent.VoiceLive, true }, "", nil},
		{"registered alias on an SMS", func(m *consent.Message) {
			m.Channel, m.SMSSender = consent.SMS, consent.SMSSender{Alias: "TIENDA-EJ", Registered: true}
		}, "", nil},
		{"unregistered alias of 11 characters", func(m *consent.Message) {
			m.Channel, m.SMSSender = consent.SMS, consent.SMSSender{Alias: "Tienda_Ej.1"}
		}, "", nil},
		{"alias on an e-mail", func(m *consent.Message) { m.SMSSender = consent.SMSSender{Alias: "TIENDA"} },
			"message.sms_sender", consent.ErrInvalid},
		{"registered without an alias", func(m *consent.Message) {
			m.Channel, m.SMSSender = consent.SMS, consent.SMSSender{Registered: true}
		}, "message.sms_sender.alias", consent.ErrMissing},
		{"alias of 12 characters", func(m *consent.Message) {
			m.Channel, m.SMSSender = consent.SMS, consent.SMSSender{Alias: "TIENDAEJEMPL"}
		}, "message.sms_sender.alias", consent.ErrInvalid},
		{"all-digit alias (a number)", func(m *consent.Message) {
			m.Channel, m.SMSSender = consent.SMS, consent.SMSSender{Alias: "600555001"}
		}, "message.sms_sender.alias", consent.ErrInvalid},
		{"alias with a non-ASCII letter", func(m *consent.Message) {
			m.Channel, m.SMSSender = consent.SMS, consent.SMSSender{Alias: "TIENDAÑ"}
		}, "message.sms_sender.alias", consent.ErrInvalid},
		{"presumed consent on e-mail", func(m *consent.Message) { m.PresumedConsent = true },
			"message.presumed_consent", consent.ErrInvalid},
		{"presumed consent on an automated call", func(m *consent.Message) { m.Channel, m.PresumedConsent = consent.VoiceAutomated, true },
			"message.presumed_consent", consent.ErrInvalid},
		{"oversize sender entity", func(m *consent.Message) { m.Sender.Entity = strings.Repeat("e", limits.MaxIDLen+1) },
			"message", consent.ErrTooLarge},
		{"route", func(m *consent.Message) { m.Route = "newsletter_esp.v2:eu-1" }, "", nil},
		{"route of 128 bytes", func(m *consent.Message) { m.Route = strings.Repeat("r", 128) }, "", nil},
		{"route of 129 bytes", func(m *consent.Message) { m.Route = strings.Repeat("r", 129) }, "message.route", consent.ErrInvalid},
		{"route with a space", func(m *consent.Message) { m.Route = "news letter" }, "message.route", consent.ErrInvalid},
		{"route starting with a symbol", func(m *consent.Message) { m.Route = "-esp" }, "message.route", consent.ErrInvalid},
		{"route with an address", func(m *consent.Message) { m.Route = "a@example.com" }, "message.route", consent.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := validMessage()
			tt.mod(&m)
			err := m.Check()
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("Check() error = %v", err)
				}
				return
			}
			checkFieldError(t, err, tt.wantField, tt.wantErr)
		})
	}
}

func TestMessageCheckDoesNotAllocate(t *testing.T) {
	m := validMessage()
	var err error
	if n := testing.AllocsPerRun(100, func() { err = m.Check() }); n != 0 {
		t.Errorf("Message.Check() allocates %v times per call, want 0", n)
	}
	if err != nil {
		t.Errorf("Message.Check() error = %v", err)
	}
}

func TestMessageJSON(t *testing.T) {
	m := validMessage()
	m.RoleRelevant = true
	b := mustJSON(t, m)
	want := `{"purpose":"marketing_general","channel":"email","category":"tea",` +
		`"sender":{"entity":"Maison Exemple SAS","kind":"company","country":"FR"},` +
		`"at":"2025-02-09T09:00:00Z","role_relevant":true}`
	if diff := cmp.Diff(want, string(b)); diff != "" {
		t.Errorf("wire form mismatch (-want +got):\n%s", diff)
	}
	var got consent.Message
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("json.Unmarshal() error = %v", err)
	}
	if diff := cmp.Diff(m, got, contactOpts); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
}

// A live call's presumed consent travels as "presumed_consent" and back;
// absent, it is false; a case variant of the key is refused.
func TestMessagePresumedConsentJSON(t *testing.T) {
	m := validMessage()
	m.Channel, m.PresumedConsent = consent.VoiceLive, true
	b := mustJSON(t, m)
	want := `{"purpose":"marketing_general","channel":"voice_live","category":"tea",` +
		`"sender":{"entity":"Maison Exemple SAS","kind":"company","country":"FR"},` +
		`"at":"2025-02-09T09:00:00Z","presumed_consent":true}`
	if diff := cmp.Diff(want, string(b)); diff != "" {
		t.Errorf("wire form mismatch (-want +got):\n%s", diff)
	}
	var got consent.Message
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("json.Unmarshal() error = %v", err)
	}
	if diff := cmp.Diff(m, got, contactOpts); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
	var none consent.Message
	if err := json.Unmarshal([]byte(strings.Replace(want, `,"presumed_consent":true`, "", 1)), &none); err != nil || none.PresumedConsent {
		t.Errorf("without the key: PresumedConsent = %v, error %v; want false, nil", none.PresumedConsent, err)
	}
	var variant consent.Message
	if err := json.Unmarshal([]byte(strings.Replace(want, "presumed_consent", "Presumed_Consent", 1)), &variant); err == nil {
		t.Error("a case variant of presumed_consent decoded")
	}
}

// A message's route travels as "route" and back; absent, it is empty; a
// case variant or a second "route" is refused.
func TestMessageRouteJSON(t *testing.T) {
	m := validMessage()
	m.Route = "newsletter_esp"
	b := mustJSON(t, m)
	want := `{"purpose":"marketing_general","channel":"email","category":"tea",` +
		`"sender":{"entity":"Maison Exemple SAS","kind":"company","country":"FR"},` +
		`"at":"2025-02-09T09:00:00Z","route":"newsletter_esp"}`
	if diff := cmp.Diff(want, string(b)); diff != "" {
		t.Errorf("wire form mismatch (-want +got):\n%s", diff)
	}
	var got consent.Message
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("json.Unmarshal() error = %v", err)
	}
	if diff := cmp.Diff(m, got, contactOpts); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
	var none consent.Message
	if err := json.Unmarshal([]byte(strings.Replace(want, `,"route":"newsletter_esp"`, "", 1)), &none); err != nil || none.Route != "" {
		t.Errorf("without the key: Route = %q, error %v; want empty, nil", none.Route, err)
	}
	for _, bad := range []string{strings.Replace(want, `"route"`, `"Route"`, 1),
		strings.Replace(want, `"route":"newsletter_esp"`, `"route":"newsletter_esp","route":"other"`, 1),
		strings.Replace(want, `"route":"newsletter_esp"`, `"route":7`, 1)} {
		var m consent.Message
		if err := json.Unmarshal([]byte(bad), &m); err == nil {
			t.Errorf("json.Unmarshal(%s) decoded", bad)
		}
	}
}

// An SMS's sender ID travels as "sms_sender" and back; absent, it is
// zero; keys are exact.
func TestMessageSMSSenderJSON(t *testing.T) {
	m := validMessage()
	m.Channel, m.SMSSender = consent.SMS, consent.SMSSender{Alias: "TIENDAEJ", Registered: true}
	b := mustJSON(t, m)
	want := `{"purpose":"marketing_general","channel":"sms","category":"tea",` +
		`"sender":{"entity":"Maison Exemple SAS","kind":"company","country":"FR"},` +
		`"at":"2025-02-09T09:00:00Z","sms_sender":{"alias":"TIENDAEJ","registered":true}}`
	if diff := cmp.Diff(want, string(b)); diff != "" {
		t.Errorf("wire form mismatch (-want +got):\n%s", diff)
	}
	var got consent.Message
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("json.Unmarshal() error = %v", err)
	}
	if diff := cmp.Diff(m, got, contactOpts); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
	var none consent.Message
	if err := json.Unmarshal([]byte(strings.Replace(want, `,"sms_sender":{"alias":"TIENDAEJ","registered":true}`, "", 1)), &none); err != nil ||
		none.SMSSender != (consent.SMSSender{}) {
		t.Errorf("without the key: SMSSender = %+v, error %v; want zero, nil", none.SMSSender, err)
	}
	for _, bad := range []string{strings.Replace(want, `"registered"`, `"Registered"`, 1),
		strings.Replace(want, `"registered":true`, `"registered":true,"registered":false`, 1),
		strings.Replace(want, `"registered":true`, `"registered":true,"country":"ES"`, 1)} {
		var m consent.Message
		if err := json.Unmarshal([]byte(bad), &m); err == nil {
			t.Errorf("json.Unmarshal(%s) decoded", bad)
		}
	}
}

// A contact's phone number in the national format of its country is
// normalised to E.164 when the contact is decoded.
func TestContactNationalPhone(t *testing.T) {
	var c consent.Contact
	js := `{"id":"c","kind":"consumer","country":"FR","time_zone":"Europe/Paris","phone":"06 39 98 00 01","records":[]}`
	if err := json.Unmarshal([]byte(js), &c); err != nil {
		t.Fatal(err)
	}
	if c.Phone != addr("+33639980001") {
		t.Errorf("Phone = %q, want +33639980001", c.Phone)
	}
}

// A contact's region is an ISO 3166-2 code of its country: decoded in
// upper case, refused when malformed or of another country.
func TestContactRegion(t *testing.T) {
	for _, tc := range []struct {
		region string
		want   string // "" : an error
	}{
		{"FR-57", "FR-57"}, {"fr-6ae", "FR-6AE"}, {"FR-971", "FR-971"}, {"", ""},
		{"GB-SCT", ""}, {"FR57", ""}, {"FR-", ""}, {"FR-5700", ""}, {"FR-5 7", ""}, {"FR-é7", ""},
	} {
		j := fullContactJSON()
		j["region"] = tc.region
		b, err := json.Marshal(j)
		if err != nil {
			t.Fatal(err)
		}
		var c consent.Contact
		err = json.Unmarshal(b, &c)
		switch {
		case tc.want == "" && tc.region != "":
			var fe *consent.FieldError
			if err == nil || !errors.As(err, &fe) || fe.Field != "contact.region" {
				t.Errorf("region %q: %v, want a contact.region error", tc.region, err)
			}
		case err != nil:
			t.Errorf("region %q: %v", tc.region, err)
		case c.Region != tc.want:
			t.Errorf("region %q decoded as %q, want %q", tc.region, c.Region, tc.want)
		}
		if err != nil || tc.region == "" {
			continue
		}
		out, err := json.Marshal(c)
		if err != nil || !strings.Contains(string(out), `"region":"`+tc.want+`"`) {
			t.Errorf("region %q marshals as %s (%v)", tc.region, out, err)
		}
	}
}
func TestContactAddressPushAndPost(t *testing.T) {
	c := validContact(t)
	for ch, want := range map[consent.Channel]string{consent.Email: c.Email.String(), consent.SMS: leaTel,
		consent.VoiceLive: leaTel, consent.VoiceAutomated: leaTel, consent.Push: "push:com.example.shop/inst-7f3a9c",
		consent.Post: "Léa Martin\n12 rue de l'Exemple\n57000 Metz\nFR", consent.AllChannels: ""} {
		if got := c.Address(ch).String(); got != want {
			t.Errorf("Address(%v) = %q, want %q", ch, got, want)
		}
	}
}

// TestPostalErrorNamesPostal: a postal address on one line, or one that looks
// like a number or an e-mail address, is refused as a postal address, not as
// the kind its text resembles.
func TestPostalErrorNamesPostal(t *testing.T) {
	for _, postal := range []string{"12 rue de l'Exemple, Metz", "0639980001", "lea.martin@example.com", "12 rue de l'Exemple\nMetz"} {
		var c consent.Contact
		in := `{"id": "c-1", "kind": "consumer", "country": "FR", "time_zone": "Europe/Paris", "postal": ` +
			strconv.Quote(postal) + `, "records": []}`
		err := json.Unmarshal([]byte(in), &c)
		var fe *consent.FieldError
		if !errors.As(err, &fe) || fe.Field != "contact.postal" || !errors.Is(err, consent.ErrInvalid) {
			t.Errorf("postal %q: got %v, want an invalid contact.postal", postal, err)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, "not a postal address") || strings.Contains(msg, "phone") || strings.Contains(msg, "e-mail") {
			t.Errorf("postal %q: error %q does not say it is not a postal address, or names another kind", postal, msg)
		}
	}
}

// TestContactRegionKnownSubdivisions: a region of a country whose
// subdivisions select law is one of its ISO 3166-2 codes, else a
// contact.region error (a typed *FieldError, like an unknown country);
// another country's regions are checked for their form.
func TestContactRegionKnownSubdivisions(t *testing.T) {
	for _, tc := range []struct {
		country, region string
		ok              bool
	}{
		{"US", "US-FL", true}, {"US", "US-OK", true}, {"US", "US-DC", true}, {"US", "US-PR", true},
		{"US", "US-XX", false}, {"US", "US-ON", false}, {"US", "CA-ON", false}, {"US", "US-F", false},
		{"CA", "CA-ON", true}, {"CA", "CA-QC", true}, {"CA", "CA-FL", false},
		{"AU", "AU-NSW", true}, {"AU", "AU-ACT", true}, {"AU", "AU-NS", false},
		{"DE", "DE-BY", true}, {"DE", "DE-ZZ", true}, {"DE", "US-FL", false},
	} {
		c := consent.Contact{ID: "c-1", Kind: consent.Consumer, Country: address.MustCountry(tc.country), Region: tc.region,
			Location: time.UTC}
		err := c.Check()
		var fe *consent.FieldError
		switch {
		case tc.ok && err != nil:
			t.Errorf("%s %s: %v, want valid", tc.country, tc.region, err)
		case !tc.ok && (!errors.As(err, &fe) || fe.Field != "contact.region" || !errors.Is(err, consent.ErrInvalid)):
			t.Errorf("%s %s: %v, want a contact.region *FieldError wrapping ErrInvalid", tc.country, tc.region, err)
		}
	}
}
