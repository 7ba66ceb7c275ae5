package rights_test

// Tests of the data-rights operations: Export (GDPR arts. 15 and 20) and
// Erase with its suppression list (art. 17 with arts. 21 and 17(3)(e)).
// Every person, address and number is fictional.

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/consent/rights"
)

const (
	rtShop   = "Maison Exemple SAS"
	rtOther  = "Autre Exemple SARL"
	rtThird  = "Troisième Exemple SA"
	rtMail   = "josé.martin@exämple.example" // IDNA domain: xn--exmple-cua.example
	rtOld    = "jose.martin@example.org"
	rtTel    = "+33639980001"
	rtTelFR  = "06 39 98 00 01"
	rtBobTel = "+447700900123"
)

var rtT0 = time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)

func rtDay(n int) time.Time { return rtT0.AddDate(0, 0, n) }

func rtLocation(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// rtKey returns a 32-byte key with a recognisable content.
func rtKey(tag string) []byte { return []byte(strings.Repeat(tag, 32/len(tag)+1)[:32]) }

func rtKeyring(t testing.TB, current uint32, keys map[uint32][]byte) *rights.Keyring {
	t.Helper()
	kr, err := rights.NewKeyring(current, keys)
	if err != nil {
		t.Fatalf("NewKeyring() error = %v", err)
	}
	return kr
}

// rtContact returns a normalised French contact with a rich history:
//
//	g-1  shop  marketing_general email  granted (unticked)       day 0
//	g-2  shop  marketing_general sms    granted (pre-ticked)     day 1
//	o-1  other all_marketing     all    objection                day 2
//	g-3  other marketing_similar email  granted (double opt-in)  day 3
//	w-1  shop  marketing_general email  withdrawn                day 4
//	g-0  shop  marketing_general email  granted to an old address  day -30
//	g-9  shop  marketing_third_party email granted               day 30 (after the export)
func rtContact(t testing.TB) *consent.Contact {
	t.Helper()
	paris := rtLocation(t, "Europe/Paris")
	recs := []consent.Record{
		{ID: "g-1", Subject: addr(rtMail), Purpose: consent.MarketingGeneral, Channel: consent.Email, Sender: rtShop,
			Status: consent.Granted, At: rtDay(0), Method: consent.UntickedCheckbox, Source: "https://shop.example/signup",
			WordingVersion: "v3", OptOutOffered: true},
		{ID: "g-2", Subject: addr(rtTel), Purpose: consent.MarketingGeneral, Channel: consent.SMS, Sender: rtShop,
			Status: consent.Granted, At: rtDay(1), Method: consent.PreTicked},
		{ID: "o-1", Purpose: consent.AllMarketing, Channel: consent.AllChannels, Sender: rtOther,
			Status: consent.Objection, At: rtDay(2), Source: "unsubscribe link"},
		{ID: "g-3", Subject: addr(rtMail), Purpose: consent.MarketingSimilar, Channel: consent.Email, Sender: rtOther,
			Status: consent.Granted, At: rtDay(3), Method: consent.DoubleOptIn, ConfirmedAt: rtDay(3).Add(time.Hour),
			ProofRef: "doi-77", Parental: consent.ByParent},
		{ID: "w-1", Purpose: consent.MarketingGeneral, Channel: consent.Email, Sender: rtShop,
			Status: consent.Withdrawn, At: rtDay(4)},
		{ID: "g-0", Subject: addr(rtOld), Purpose: consent.MarketingGeneral, Channel: consent.Email, Sender: rtShop,
			Status: consent.Granted, At: rtDay(-30), Method: consent.SignedForm},
		{ID: "g-9", Subject: addr(rtMail), Purpose: consent.MarketingThirdParty, Channel: consent.Email, Sender: rtShop,
			Status: consent.Granted, At: rtDay(30), Method: consent.UntickedCheckbox},
	}
	c := &consent.Contact{
		ID: "c-rights-1", Kind: consent.Consumer, Country: address.MustCountry("FR"), Location: paris,
		BirthDate: time.Date(1990, 4, 1, 0, 0, 0, 0, time.UTC), Email: addr(rtMail), Phone: address.MustParsePhone(rtTelFR, address.MustCountry("FR")),
		JobRole: "buyer", OptOutOfferedAtCollection: true,
		Relationship: consent.Relationship{
			Purchases: []consent.Interaction{{ID: "p-1", At: time.Date(2024, 11, 3, 14, 12, 0, 0, paris),
				Seller: rtThird, Category: "kettles", Collected: []address.Address{addr(rtMail), addr(rtTel)}, OptOutOffered: true}},
			Inquiries: []consent.Interaction{{ID: "q-1", At: time.Date(2024, 12, 1, 10, 0, 0, 0, paris), Seller: rtShop}},
			Contracts: []consent.Contract{{ID: "k-1", Seller: rtShop, Start: time.Date(2024, 6, 1, 0, 0, 0, 0, paris)}},
		},
	}
	if err := c.Check(); err != nil {
		t.Fatalf("Check() error = %v", err)
	}
	if err := c.Records.Append(recs...); err != nil {
		t.Fatalf("Append() error = %v", err)
	}
	return c
}

// rtExportAt is the instant of the export in the tests: after every record
// but g-9.
var rtExportAt = rtDay(10)

func TestExportContent(t *testing.T) {
	c := rtContact(t)
	at := rtExportAt.In(c.Location)
	e := rights.ExportContact(c, at)

	if e.Schema != rights.ExportSchema || e.Schema == "" {
		t.Errorf("Schema = %q, want %q", e.Schema, rights.ExportSchema)
	}
	if e.ContactID != c.ID {
		t.Errorf("ContactID = %q, want %q", e.ContactID, c.ID)
	}
	if !e.ExportedAt.Equal(at) || e.ExportedAt.Location() != time.UTC {
		t.Errorf("ExportedAt = %v, want %v in UTC", e.ExportedAt, at)
	}
	wantProfile := rights.ExportedProfile{Kind: consent.Consumer, Country: address.MustCountry("FR"),
		TimeZone: "Europe/Paris", BirthDate: "1990-04-01", Email: addr("josé.martin@xn--exmple-cua.example"),
		Phone: addr(rtTel), JobRole: "buyer", OptOutOfferedAtCollection: true}
	if diff := cmp.Diff(wantProfile, e.Profile, cmp.Comparer(func(a, b address.Country) bool { return a == b })); diff != "" {
		t.Errorf("Profile mismatch (-want +got):\n%s", diff)
	}

	// The complete history, in ledger order, every field.
	if diff := cmp.Diff(slices.Collect(c.Records.All()), e.Records); diff != "" {
		t.Errorf("Records mismatch (-ledger +export):\n%s", diff)
	}
	if ids := rtIDs(e.Records); !slices.Equal(ids, []string{"g-0", "g-1", "g-2", "o-1", "g-3", "w-1", "g-9"}) {
		t.Errorf("record order = %v", ids)
	}

	// Relationship events, in UTC, same instants.
	rel := e.Relationship
	if len(rel.Purchases) != 1 || len(rel.Inquiries) != 1 || len(rel.Support) != 0 || len(rel.Contracts) != 1 {
		t.Fatalf("Relationship = %+v", rel)
	}
	if rel.Support == nil {
		t.Error("Relationship.Support is nil, want an empty list")
	}
	if p := rel.Purchases[0]; !p.At.Equal(c.Relationship.Purchases[0].At) || p.At.Location() != time.UTC ||
		p.Seller != rtThird || p.Category != "kettles" || len(p.Collected) != 2 || !p.OptOutOffered {
		t.Errorf("Purchases[0] = %+v", p)
	}
	if k := rel.Contracts[0]; !k.Start.Equal(c.Relationship.Contracts[0].Start) || !k.End.IsZero() {
		t.Errorf("Contracts[0] = %+v", k)
	}

	// The export is a copy: changing it does not change the contact.
	e.Records[0].Source = "changed"
	e.Relationship.Purchases[0].Seller = "changed"
	if slices.Collect(c.Records.All())[0].Source == "changed" || c.Relationship.Purchases[0].Seller == "changed" {
		t.Error("changing the export changed the contact")
	}
}

func rtIDs(recs []consent.Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.ID
	}
	return out
}

func TestExportState(t *testing.T) {
	c := rtContact(t)
	e := rights.ExportContact(c, rtExportAt)

	type key struct {
		sender  string
		purpose consent.Purpose
		channel consent.Channel
	}
	got := make(map[key]rights.ExportedState)
	for _, s := range e.State {
		k := key{s.Sender, s.Purpose, s.Channel}
		if _, dup := got[k]; dup {
			t.Errorf("state for %v listed twice", k)
		}
		got[k] = s
	}

	// Expected: shop's three scopes named by its records, and other's
	// objection expanded to every marketing purpose on every channel.
	want := map[key]rights.ExportedState{
		{rtShop, consent.MarketingGeneral, consent.Email}: {Status: rights.StateWithdrawn, RecordID: "w-1"},
		{rtShop, consent.MarketingGeneral, consent.SMS}: {Status: rights.StateNone,
			InvalidGrantID: "g-2", Defect: "pre_ticked"},
		// g-9 is dated after the export: listed, not in force; the
		// withdrawal of general marketing stops third-party offers too.
		{rtShop, consent.MarketingThirdParty, consent.Email}: {Status: rights.StateWithdrawn, RecordID: "w-1"},
	}
	marketing := []consent.Purpose{consent.MarketingSimilar, consent.MarketingGeneral, consent.MarketingThirdParty,
		consent.ConsentRequest, consent.FeedbackRequest, consent.CharitableAppeal}
	channels := []consent.Channel{consent.Email, consent.SMS, consent.VoiceLive, consent.VoiceAutomated,
		consent.Push, consent.Post}
	for _, p := range marketing {
		for _, ch := range channels {
			want[key{rtOther, p, ch}] = rights.ExportedState{Status: rights.StateObjection, RecordID: "o-1"}
		}
	}
	// The confirmed double opt-in after the objection lifts it for its
	// own scope only.
	want[key{rtOther, consent.MarketingSimilar, consent.Email}] = rights.ExportedState{
		Status: rights.StateGranted, RecordID: "g-3"}

	if len(e.State) != len(want) {
		t.Errorf("len(State) = %d, want %d", len(e.State), len(want))
	}
	for k, w := range want {
		w.Sender, w.Purpose, w.Channel = k.sender, k.purpose, k.channel
		if diff := cmp.Diff(w, got[k]); diff != "" {
			t.Errorf("state %s/%s/%s mismatch (-want +got):\n%s", k.sender, k.purpose, k.channel, diff)
		}
	}

	// Sorted by sender, purpose, channel.
	sorted := slices.IsSortedFunc(e.State, func(a, b rights.ExportedState) int {
		if c := strings.Compare(a.Sender, b.Sender); c != 0 {
			return c
		}
		if a.Purpose != b.Purpose {
			return int(a.Purpose) - int(b.Purpose)
		}
		return int(a.Channel) - int(b.Channel)
	})
	if !sorted {
		t.Error("State is not sorted by sender, purpose and channel")
	}
}

// TestExportStateTable checks single histories against the state they
// export, one (purpose, channel, sender) at a time.
func TestExportStateTable(t *testing.T) {
	mail := addr("lea.martin@example.com")
	g := func(id string, at time.Time, m consent.Method) consent.Record {
		return consent.Record{ID: id, Subject: mail, Purpose: consent.MarketingGeneral, Channel: consent.Email,
			Sender: rtShop, Status: consent.Granted, At: at, Method: m}
	}
	sup := func(id string, at time.Time, s consent.Status) consent.Record {
		return consent.Record{ID: id, Purpose: consent.MarketingGeneral, Channel: consent.Email, Sender: rtShop,
			Status: s, At: at}
	}
	tests := []struct {
		name string
		recs []consent.Record
		at   time.Time
		want rights.ExportedState
	}{
		{"valid grant", []consent.Record{g("g", rtDay(0), consent.SignedForm)}, rtDay(1),
			rights.ExportedState{Status: rights.StateGranted, RecordID: "g"}},
		{"withdrawn", []consent.Record{g("g", rtDay(0), consent.SignedForm), sup("w", rtDay(1), consent.Withdrawn)},
			rtDay(2), rights.ExportedState{Status: rights.StateWithdrawn, RecordID: "w"}},
		{"objection", []consent.Record{g("g", rtDay(0), consent.SignedForm), sup("o", rtDay(1), consent.Objection)},
			rtDay(2), rights.ExportedState{Status: rights.StateObjection, RecordID: "o"}},
		{"withdrawal and grant at one instant: withdrawal wins",
			[]consent.Record{g("g", rtDay(1), consent.SignedForm), sup("w", rtDay(1), consent.Withdrawn)},
			rtDay(2), rights.ExportedState{Status: rights.StateWithdrawn, RecordID: "w"}},
		{"grant after withdrawal", []consent.Record{sup("w", rtDay(0), consent.Withdrawn), g("g", rtDay(1), consent.SignedForm)},
			rtDay(2), rights.ExportedState{Status: rights.StateGranted, RecordID: "g"}},
		{"pre-ticked grant", []consent.Record{g("g", rtDay(0), consent.PreTicked)}, rtDay(1),
			rights.ExportedState{Status: rights.StateNone, InvalidGrantID: "g", Defect: "pre_ticked"}},
		{"unproven import", []consent.Record{g("g", rtDay(0), consent.Imported)}, rtDay(1),
			rights.ExportedState{Status: rights.StateNone, InvalidGrantID: "g", Defect: "unproven"}},
		{"invalid grant after objection", []consent.Record{sup("o", rtDay(0), consent.Objection),
			g("g", rtDay(1), consent.MethodUnknown)}, rtDay(2),
			rights.ExportedState{Status: rights.StateObjection, RecordID: "o", InvalidGrantID: "g", Defect: "method_unknown"}},
		{"grant in the future", []consent.Record{g("g", rtDay(5), consent.SignedForm)}, rtDay(1),
			rights.ExportedState{Status: rights.StateNone}},
		{"unconfirmed double opt-in", []consent.Record{g("g", rtDay(0), consent.DoubleOptIn)}, rtDay(1),
			rights.ExportedState{Status: rights.StateNone, InvalidGrantID: "g", Defect: "unconfirmed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &consent.Contact{ID: "c-1", Kind: consent.Consumer, Country: address.MustCountry("FR"),
				Location: time.UTC, Email: mail}
			if err := c.Records.Append(tt.recs...); err != nil {
				t.Fatal(err)
			}
			e := rights.ExportContact(c, tt.at)
			if len(e.State) != 1 {
				t.Fatalf("State = %+v, want one entry", e.State)
			}
			want := tt.want
			want.Purpose, want.Channel, want.Sender = consent.MarketingGeneral, consent.Email, rtShop
			if diff := cmp.Diff(want, e.State[0]); diff != "" {
				t.Errorf("state mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestExportNoAgeRule documents that the export applies no age rule: a
// grant a child gave alone shows as granted.
func TestExportNoAgeRule(t *testing.T) {
	c := &consent.Contact{ID: "c-1", Kind: consent.Consumer, Country: address.MustCountry("FR"), Location: time.UTC,
		Email: addr("lea.martin@example.com"), BirthDate: time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)}
	if err := c.Records.Append(consent.Record{ID: "g", Subject: c.Email, Purpose: consent.MarketingGeneral,
		Channel: consent.Email, Sender: rtShop, Status: consent.Granted, At: rtDay(0), Method: consent.SignedForm}); err != nil {
		t.Fatal(err)
	}
	if s := rights.ExportContact(c, rtDay(1)).State[0]; s.Status != rights.StateGranted {
		t.Errorf("State = %+v, want granted (no age rule)", s)
	}
}

func TestExportJSONRoundTrip(t *testing.T) {
	empty := &consent.Contact{ID: "c-empty", Kind: consent.Consumer, Country: address.MustCountry("GB"),
		Location: rtLocation(t, "Europe/London")}
	bare := &consent.Contact{ID: "c-bare"} // no country, kind, zone: exported as held
	for name, c := range map[string]*consent.Contact{"rich": rtContact(t), "empty": empty, "bare": bare} {
		t.Run(name, func(t *testing.T) {
			e := rights.ExportContact(c, rtExportAt.In(rtLocation(t, "America/New_York")))
			b, err := json.Marshal(e)
			if err != nil {
				t.Fatalf("json.Marshal() error = %v", err)
			}
			var back rights.Export
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatalf("json.Unmarshal(%s) error = %v", b, err)
			}
			if diff := cmp.Diff(e, back, cmp.Comparer(func(a, b address.Country) bool { return a == b })); diff != "" {
				t.Errorf("round trip mismatch (-export +decoded):\n%s", diff)
			}
			if !reflect.DeepEqual(e, back) {
				t.Error("round trip not reflect.DeepEqual")
			}
			again, err := json.Marshal(back)
			if err != nil || !bytes.Equal(again, b) {
				t.Errorf("re-encoding differs:\n%s\n%s", b, again)
			}
			// Every list is present, never null.
			for _, k := range []string{`"records":[`, `"state":[`, `"purchases":[`, `"inquiries":[`,
				`"support":[`, `"contracts":[`} {
				if !bytes.Contains(b, []byte(k)) {
					t.Errorf("JSON %s lacks %s", b, k)
				}
			}
		})
	}
}

// TestExportJSONForm pins the field names documented on Export.
func TestExportJSONForm(t *testing.T) {
	b, err := json.Marshal(rights.ExportContact(rtContact(t), rtExportAt))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"attempts", "contact_id", "exported_at", "profile", "records", "registries", "relationship", "schema", "sent", "state"}
	if !slices.Equal(keys, want) {
		t.Errorf("top-level keys = %v, want %v", keys, want)
	}
	var state []map[string]any
	if err := json.Unmarshal(m["state"], &state); err != nil {
		t.Fatal(err)
	}
	wantFirst := map[string]any{"purpose": "marketing_similar", "channel": "email", "sender": rtOther,
		"status": "granted", "record_id": "g-3"}
	if diff := cmp.Diff(wantFirst, state[0]); diff != "" {
		t.Errorf("state[0] mismatch (-want +got):\n%s", diff)
	}
	if !bytes.Contains(b, []byte(`"exported_at":"2025-01-20T09:00:00Z"`)) ||
		!bytes.Contains(b, []byte(`"schema":"`+rights.ExportSchema+`"`)) {
		t.Errorf("JSON %s lacks the schema or the UTC export instant", b)
	}
}

// rtErase erases rtContact, retaining the SMS records (telephone consent
// proof) and the objection.
func rtErase(t testing.TB, kr *rights.Keyring) (*consent.Contact, rights.Erasure) {
	t.Helper()
	c := rtContact(t)
	retain := func(r consent.Record) bool { return r.Channel == consent.SMS || r.Status == consent.Objection }
	er, err := rights.Erase(c, kr, retain, rtExportAt.In(c.Location))
	if err != nil {
		t.Fatalf("Erase() error = %v", err)
	}
	return c, er
}

func TestEraseLedger(t *testing.T) {
	kr := rtKeyring(t, 1, map[uint32][]byte{1: rtKey("k1")})
	c, er := rtErase(t, kr)
	before := slices.Collect(c.Records.All())

	if er.Ledger == nil {
		t.Fatal("Erasure.Ledger is nil")
	}
	if ids := rtIDs(slices.Collect(er.Ledger.All())); !slices.Equal(ids, []string{"g-2", "o-1"}) {
		t.Errorf("retained records = %v, want [g-2 o-1]", ids)
	}
	want := []consent.Record{before[2], before[3]}
	if diff := cmp.Diff(want, slices.Collect(er.Ledger.All())); diff != "" {
		t.Errorf("retained records mismatch (-want +got):\n%s", diff)
	}
	// A new ledger: the contact is untouched and independent of it.
	if err := er.Ledger.Append(consent.Record{ID: "x", Purpose: consent.AllMarketing, Channel: consent.AllChannels,
		Sender: rtShop, Status: consent.Objection, At: rtDay(20)}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, slices.Collect(c.Records.All())); diff != "" {
		t.Errorf("Erase changed the contact's ledger (-before +after):\n%s", diff)
	}
	if c.Email.IsZero() || c.Phone.IsZero() {
		t.Error("Erase cleared the contact; it must leave deletion to the host")
	}

	// retain nil keeps nothing.
	er, err := rights.Erase(rtContact(t), kr, nil, rtExportAt)
	if err != nil {
		t.Fatal(err)
	}
	if er.Ledger == nil || er.Ledger.Len() != 0 {
		t.Errorf("retain nil: ledger of %d records, want 0", er.Ledger.Len())
	}
	// retain sees every record.
	var seen []string
	if _, err := rights.Erase(rtContact(t), kr, func(r consent.Record) bool { seen = append(seen, r.ID); return false },
		rtExportAt); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 7 {
		t.Errorf("retain called for %v, want every record", seen)
	}
}

func TestEraseSuppressions(t *testing.T) {
	kr := rtKeyring(t, 7, map[uint32][]byte{3: rtKey("k3"), 7: rtKey("k7")})
	c, er := rtErase(t, kr)

	// 3 addresses (e-mail, old e-mail, phone) × 3 senders (two from
	// records, one from a purchase).
	if len(er.Suppressions) != 9 {
		t.Fatalf("%d suppressions, want 9: %+v", len(er.Suppressions), er.Suppressions)
	}
	senders := map[string]int{}
	kinds := map[address.Kind]int{}
	hmacs := map[string]bool{}
	at := rtExportAt.UTC()
	for _, s := range er.Suppressions {
		if err := s.Check(); err != nil {
			t.Errorf("suppression %+v: Check() = %v", s, err)
		}
		if s.KeyVersion != 7 || s.Purpose != consent.AllMarketing || s.Channel != consent.AllChannels ||
			!s.At.Equal(at) || s.At.Location() != time.UTC {
			t.Errorf("suppression %+v: want key version 7, all marketing, all channels, at %v UTC", s, at)
		}
		senders[s.Sender]++
		kinds[s.Kind]++
		hmacs[s.HMAC] = true
	}
	if diff := cmp.Diff(map[string]int{rtShop: 3, rtOther: 3, rtThird: 3}, senders); diff != "" {
		t.Errorf("senders (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[address.Kind]int{address.Email: 6, address.Phone: 3}, kinds); diff != "" {
		t.Errorf("kinds (-want +got):\n%s", diff)
	}
	if len(hmacs) != 3 {
		t.Errorf("%d distinct digests, want 3 (one per address)", len(hmacs))
	}

	// Nothing that identifies the person in clear: no address in any form,
	// no unkeyed hash, no contact id.
	b, err := json.Marshal(er.Suppressions)
	if err != nil {
		t.Fatal(err)
	}
	js := strings.ToLower(string(b))
	forbidden := []string{c.ID, c.Email.String(), rtMail, rtOld, c.Phone.String(), rtTelFR, "639980001", "josé", "jose", "martin",
		"exämple", "xn--exmple-cua", "example.org"}
	for _, a := range []string{c.Email.String(), c.Email.Key(), rtOld, c.Phone.String(), "josé.martin@xn--exmple-cua.example"} {
		h := sha256.Sum256([]byte(a))
		forbidden = append(forbidden, hex.EncodeToString(h[:]), base64.StdEncoding.EncodeToString(h[:]))
	}
	for _, f := range forbidden {
		if strings.Contains(js, strings.ToLower(f)) {
			t.Errorf("suppression JSON contains %q: %s", f, b)
		}
	}
	var fields []map[string]any
	if err := json.Unmarshal(b, &fields); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range fields[0] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if want := []string{"at", "channel", "hmac", "key_version", "kind", "purpose", "sender"}; !slices.Equal(keys, want) {
		t.Errorf("suppression fields = %v, want %v", keys, want)
	}
}

func TestSuppressionMatch(t *testing.T) {
	kr := rtKeyring(t, 1, map[uint32][]byte{1: rtKey("k1")})
	_, er := rtErase(t, kr)
	list := er.Suppressions
	fr, gb, de := address.MustCountry("FR"), address.MustCountry("GB"), address.MustCountry("DE")

	tests := []struct {
		name    string
		address string
		country address.Country
		match   bool
	}{
		{"as stored", "josé.martin@xn--exmple-cua.example", fr, true},
		{"IDNA Unicode form", "josé.martin@exämple.example", fr, true},
		{"upper-case domain", "josé.martin@EXÄMPLE.EXAMPLE", gb, true},
		{"upper-case punycode domain", "josé.martin@XN--EXMPLE-CUA.EXAMPLE", fr, true},
		{"upper-case local part", "JOSÉ.Martin@exämple.example", fr, true},
		{"decomposed local part", "jose\u0301.martin@exa\u0308mple.example", fr, true},
		{"surrounding space", "  josé.martin@exämple.example\n", fr, true},
		{"old address from a record", "Jose.Martin@EXAMPLE.ORG", fr, true},
		{"E.164", rtTel, fr, true},
		{"E.164 with spaces", "+33 6 39 98 00 01", gb, true},
		{"FR national", rtTelFR, fr, true},
		{"FR national with dots", "06.39.98.00.01", fr, true},
		{"00 prefix", "0033 6 39 98 00 01", fr, true},
		{"trunk (0)", "+33 (0)6 39 98 00 01", de, true},
		{"other address", "bob.durand@example.org", fr, false},
		{"other local part", "josé.martin2@exämple.example", fr, false},
		{"other domain", "josé.martin@example.example", fr, false},
		{"other number", rtBobTel, fr, false},
		{"neighbouring number", "06 39 98 00 02", fr, false},
		{"national number for a country whose format is not read", rtTelFR, de, false},
		{"FR national read as GB", rtTelFR, gb, false},
		{"not an address", "josé.martin", fr, false},
		{"empty", "", fr, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ok := match(list, tt.address, tt.country, kr)
			if ok != tt.match {
				t.Fatalf("Match(%q, %v) = %+v, %v, want %v", tt.address, tt.country, s, ok, tt.match)
			}
			all := matchAll(list, tt.address, tt.country, kr)
			if !tt.match {
				if s != (rights.Suppression{}) || all != nil {
					t.Errorf("no match, but Match = %+v and MatchAll = %+v", s, all)
				}
				return
			}
			if s != all[0] {
				t.Errorf("Match = %+v, MatchAll[0] = %+v", s, all[0])
			}
			var senders []string
			for _, m := range all {
				senders = append(senders, m.Sender)
			}
			slices.Sort(senders)
			if want := []string{rtOther, rtShop, rtThird}; !slices.Equal(senders, want) {
				t.Errorf("MatchAll senders = %v, want %v", senders, want)
			}
		})
	}

	// An empty list and a nil keyring match nothing.
	if _, ok := match(rights.SuppressionList(nil), rtTel, fr, kr); ok {
		t.Error("nil list matched")
	}
	if _, ok := match(list, rtTel, fr, nil); ok {
		t.Error("nil keyring matched")
	}
	// The same version with another key matches nothing.
	if _, ok := match(list, rtTel, fr, rtKeyring(t, 1, map[uint32][]byte{1: rtKey("zz")})); ok {
		t.Error("a different key under the same version matched")
	}
}

// TestSuppressionObjection follows a re-import: an erased person's address
// comes back in a list; the match yields an objection that, appended to the
// new contact's ledger, stops marketing by that sender on every channel.
func TestSuppressionObjection(t *testing.T) {
	kr := rtKeyring(t, 1, map[uint32][]byte{1: rtKey("k1")})
	_, er := rtErase(t, kr)
	importAt := rtDay(400)

	for _, in := range []struct{ email, phone string }{
		{"josé.martin@EXÄMPLE.example", "06 39 98 00 01"},
		{"JOSÉ.MARTIN@xn--exmple-cua.example", "+33 6 39 98 00 01"},
	} {
		fresh := &consent.Contact{ID: "c-new", Kind: consent.Consumer, Country: address.MustCountry("FR"),
			Location: rtLocation(t, "Europe/Paris"), Email: addr(in.email)}
		fresh.Phone = address.MustParsePhone(in.phone, fresh.Country)
		if err := fresh.Check(); err != nil {
			t.Fatal(err)
		}
		// A valid grant imported with the list, which the objection overrides.
		if err := fresh.Records.Append(consent.Record{ID: "imp-1", Subject: fresh.Email,
			Purpose: consent.MarketingGeneral, Channel: consent.Email, Sender: rtShop, Status: consent.Granted,
			At: importAt.Add(-time.Hour), Method: consent.SignedForm}); err != nil {
			t.Fatal(err)
		}
		before := fresh.State(consent.Query{Purpose: consent.MarketingGeneral, Channel: consent.Email,
			Sender: rtShop, At: importAt})
		if !before.Consented() {
			t.Fatalf("before the match: %+v, want consented", before)
		}

		var n int
		for _, a := range []address.Address{fresh.Email, fresh.Phone} {
			for _, s := range er.Suppressions.MatchAll(a, kr) {
				n++
				rec := s.Objection(fmt.Sprintf("sup-%d", n), importAt)
				want := consent.Record{ID: rec.ID, Purpose: consent.AllMarketing, Channel: consent.AllChannels,
					Sender: s.Sender, Status: consent.Objection, At: importAt, Source: rights.SuppressionSource}
				if rec != want {
					t.Errorf("Objection() = %+v, want %+v", rec, want)
				}
				if err := rec.Check(); err != nil {
					t.Errorf("Objection() record invalid: %v", err)
				}
				if err := fresh.Records.Append(rec); err != nil {
					t.Fatal(err)
				}
			}
		}
		if n != 6 {
			t.Errorf("%d matches for the e-mail and the phone, want 6 (2 addresses × 3 senders)", n)
		}
		if rights.SuppressionSource != "suppression list" {
			t.Errorf("SuppressionSource = %q", rights.SuppressionSource)
		}
		for _, sender := range []string{rtShop, rtOther, rtThird} {
			for _, q := range []consent.Query{
				{Purpose: consent.MarketingGeneral, Channel: consent.Email, Sender: sender, At: importAt},
				{Purpose: consent.MarketingSimilar, Channel: consent.SMS, Sender: sender, At: importAt.Add(time.Hour)},
				{Purpose: consent.FeedbackRequest, Channel: consent.VoiceLive, Sender: sender, At: importAt},
			} {
				if s := fresh.State(q); !s.Objected() || s.Consented() {
					t.Errorf("%s %s %s: state %+v, want an objection in force", sender, q.Purpose, q.Channel, s)
				}
				if s := fresh.Records.State(q); !s.Objected() {
					t.Errorf("Ledger.State(%+v) not objected", q)
				}
			}
		}
		// A sender the person never dealt with is not bound.
		if s := fresh.State(consent.Query{Purpose: consent.MarketingGeneral, Channel: consent.Email,
			Sender: "Quatrième Exemple SAS", At: importAt}); s.Objected() {
			t.Error("a sender without a suppression is objected to")
		}
	}
}

func TestSuppressionKeyRotation(t *testing.T) {
	k1, k2 := rtKey("first-key-"), rtKey("second-key-")
	old := rtKeyring(t, 1, map[uint32][]byte{1: k1})
	_, erA := rtErase(t, old)

	// The key rotates: version 2 is current, version 1 is kept.
	rotated := rtKeyring(t, 2, map[uint32][]byte{1: k1, 2: k2})
	b := &consent.Contact{ID: "c-b", Kind: consent.Consumer, Country: address.MustCountry("GB"), Location: time.UTC,
		Email: addr("bob.durand@example.org"), Phone: addr(rtBobTel)}
	if err := b.Records.Append(consent.Record{ID: "o", Purpose: consent.AllMarketing, Channel: consent.AllChannels,
		Sender: rtShop, Status: consent.Objection, At: rtDay(1)}); err != nil {
		t.Fatal(err)
	}
	erB, err := rights.Erase(b, rotated, nil, rtDay(2))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range erB.Suppressions {
		if s.KeyVersion != 2 {
			t.Errorf("suppression made after rotation under version %d, want 2", s.KeyVersion)
		}
	}
	list := append(slices.Clone(erA.Suppressions), erB.Suppressions...)
	if v := list.KeyVersions(); !slices.Equal(v, []uint32{1, 2}) {
		t.Errorf("KeyVersions() = %v, want [1 2]", v)
	}

	tests := []struct {
		name    string
		kr      *rights.Keyring
		address string
		country address.Country
		version uint32 // 0: no match
	}{
		{"old suppression, rotated keyring", rotated, "josé.martin@exämple.example", address.MustCountry("FR"), 1},
		{"old suppression by phone, rotated keyring", rotated, rtTelFR, address.MustCountry("FR"), 1},
		{"new suppression, rotated keyring", rotated, "Bob.Durand@EXAMPLE.org", address.MustCountry("GB"), 2},
		{"new suppression by national phone", rotated, "07700 900123", address.MustCountry("GB"), 2},
		{"new suppression, old keyring", old, "bob.durand@example.org", address.MustCountry("GB"), 0},
		{"old suppression, version 1 dropped", rtKeyring(t, 2, map[uint32][]byte{2: k2}),
			"josé.martin@exämple.example", address.MustCountry("FR"), 0},
		{"versions swapped", rtKeyring(t, 2, map[uint32][]byte{1: k2, 2: k1}),
			"josé.martin@exämple.example", address.MustCountry("FR"), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ok := match(list, tt.address, tt.country, tt.kr)
			if tt.version == 0 {
				if ok {
					t.Errorf("Match = %+v, want none", s)
				}
				return
			}
			if !ok || s.KeyVersion != tt.version {
				t.Errorf("Match = %+v, %v, want a match under version %d", s, ok, tt.version)
			}
		})
	}
}

func TestSuppressionJSON(t *testing.T) {
	kr := rtKeyring(t, 1, map[uint32][]byte{1: rtKey("k1")})
	_, er := rtErase(t, kr)
	for name, list := range map[string]rights.SuppressionList{"erasure": er.Suppressions,
		"empty": {}, "nil": nil} {
		t.Run(name, func(t *testing.T) {
			b, err := json.Marshal(list)
			if err != nil {
				t.Fatal(err)
			}
			var back rights.SuppressionList
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatalf("json.Unmarshal(%s) error = %v", b, err)
			}
			if diff := cmp.Diff(list, back); diff != "" {
				t.Errorf("round trip mismatch (-want +got):\n%s", diff)
			}
			if !reflect.DeepEqual(list, back) {
				t.Error("round trip not reflect.DeepEqual")
			}
			if len(back) > 0 {
				if _, ok := match(back, rtTelFR, address.MustCountry("FR"), kr); !ok {
					t.Error("the decoded list does not match")
				}
			}
		})
	}

	// The Erasure as a whole encodes and decodes.
	b, err := json.Marshal(er)
	if err != nil {
		t.Fatal(err)
	}
	var back rights.Erasure
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("json.Unmarshal(erasure) error = %v", err)
	}
	if diff := cmp.Diff(slices.Collect(er.Ledger.All()), slices.Collect(back.Ledger.All())); diff != "" {
		t.Errorf("erasure ledger round trip (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(er.Suppressions, back.Suppressions); diff != "" {
		t.Errorf("erasure suppressions round trip (-want +got):\n%s", diff)
	}
}

func TestSuppressionJSONErrors(t *testing.T) {
	valid := map[string]any{"key_version": 1, "hmac": strings.Repeat("ab", 32), "kind": "email",
		"sender": rtShop, "purpose": "all_marketing", "channel": "all", "at": "2026-03-10T09:00:00+01:00"}
	with := func(k string, v any) map[string]any {
		m := make(map[string]any, len(valid)+1)
		for kk, vv := range valid {
			m[kk] = vv
		}
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	var s rights.Suppression
	if err := json.Unmarshal(rtJSON(t, valid), &s); err != nil {
		t.Fatalf("valid suppression: %v", err)
	}
	if s.At.Location() != time.UTC || !s.At.Equal(time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("At = %v, want 08:00 UTC", s.At)
	}
	tests := []struct {
		name string
		in   map[string]any
		want error
	}{
		{"unknown field", with("address", "lea@example.com"), consent.ErrInvalid},
		{"no key version", with("key_version", nil), consent.ErrMissing},
		{"short hmac", with("hmac", "abcd"), consent.ErrInvalid},
		{"upper-case hmac", with("hmac", strings.Repeat("AB", 32)), consent.ErrInvalid},
		{"non-hex hmac", with("hmac", strings.Repeat("zz", 32)), consent.ErrInvalid},
		{"unknown kind", with("kind", "fax"), consent.ErrUnknownValue},
		{"no kind", with("kind", nil), consent.ErrUnknownValue},
		{"no sender", with("sender", nil), consent.ErrMissing},
		{"transactional purpose", with("purpose", "transactional"), consent.ErrUnknownValue},
		{"unknown channel", with("channel", "pigeon"), consent.ErrUnknownValue},
		{"no instant", with("at", nil), consent.ErrMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s rights.Suppression
			err := json.Unmarshal(rtJSON(t, tt.in), &s)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			var fe *consent.FieldError
			if !errors.As(err, &fe) {
				t.Errorf("error %v (%T) is not a *consent.FieldError", err, err)
			}
		})
	}
}

func rtJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEraseErrors(t *testing.T) {
	kr := rtKeyring(t, 1, map[uint32][]byte{1: rtKey("k1")})
	tests := []struct {
		name  string
		c     *consent.Contact
		kr    *rights.Keyring
		at    time.Time
		field string
		want  error
	}{
		{"nil keyring", rtContact(t), nil, rtExportAt, "keyring", consent.ErrMissing},
		{"zero keyring", rtContact(t), &rights.Keyring{}, rtExportAt, "keyring", consent.ErrMissing},
		{"zero instant", rtContact(t), kr, time.Time{}, "at", consent.ErrMissing},
		{"nil contact", nil, kr, rtExportAt, "contact", consent.ErrMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			er, err := rights.Erase(tt.c, tt.kr, nil, tt.at)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Erase() = %+v, %v, want an error wrapping %v", er, err, tt.want)
			}
			var fe *consent.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v (%T) is not a *consent.FieldError", err, err)
			}
			if fe.Field != tt.field {
				t.Errorf("Field = %q, want %q", fe.Field, tt.field)
			}
			if tt.c != nil {
				for _, a := range []string{tt.c.Email.String(), tt.c.Phone.String(), "0000001", "exämple"} {
					if a != "" && strings.Contains(err.Error(), a) {
						t.Errorf("error %q repeats %q", err, a)
					}
				}
			}
		})
	}

	// A contact with addresses but no sender at all: nothing to suppress.
	lone := &consent.Contact{ID: "c", Email: addr("lea.martin@example.com"), Phone: addr(rtTel)}
	er, err := rights.Erase(lone, kr, nil, rtExportAt)
	if err != nil {
		t.Fatal(err)
	}
	if er.Suppressions == nil || len(er.Suppressions) != 0 || er.Ledger == nil || er.Ledger.Len() != 0 {
		t.Errorf("Erase() of a contact without senders = %+v", er)
	}
}

func TestNewKeyring(t *testing.T) {
	key := rtKey("k1")
	tests := []struct {
		name    string
		current uint32
		keys    map[uint32][]byte
		field   string
		want    error // nil: accepted
	}{
		{"one key", 1, map[uint32][]byte{1: key}, "", nil},
		{"two keys", 2, map[uint32][]byte{1: key, 2: rtKey("k2")}, "", nil},
		{"long key", 1, map[uint32][]byte{1: bytes.Repeat(key, 4)}, "", nil},
		{"no keys", 1, nil, "keyring", consent.ErrMissing},
		{"empty map", 1, map[uint32][]byte{}, "keyring", consent.ErrMissing},
		{"key of 31 bytes", 1, map[uint32][]byte{1: key[:31]}, "keyring[1]", consent.ErrInvalid},
		{"old key of 16 bytes", 2, map[uint32][]byte{1: key[:16], 2: key}, "keyring[1]", consent.ErrInvalid},
		{"empty key", 1, map[uint32][]byte{1: {}}, "keyring[1]", consent.ErrInvalid},
		{"version 0", 1, map[uint32][]byte{0: key, 1: key}, "keyring", consent.ErrInvalid},
		{"current without key", 3, map[uint32][]byte{1: key, 2: key}, "keyring.current", consent.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kr, err := rights.NewKeyring(tt.current, tt.keys)
			if tt.want == nil {
				if err != nil || kr == nil {
					t.Fatalf("NewKeyring() = %v, %v", kr, err)
				}
				if kr.Current() != tt.current {
					t.Errorf("Current() = %d, want %d", kr.Current(), tt.current)
				}
				return
			}
			if kr != nil || !errors.Is(err, tt.want) {
				t.Fatalf("NewKeyring() = %v, %v, want an error wrapping %v", kr, err, tt.want)
			}
			var fe *consent.FieldError
			if !errors.As(err, &fe) || fe.Field != tt.field {
				t.Errorf("error %v: want a *FieldError for %q", err, tt.field)
			}
			if strings.Contains(err.Error(), string(key[:16])) {
				t.Errorf("error %q shows a key", err)
			}
		})
	}
}

func TestKeyringCopiesKeys(t *testing.T) {
	key := rtKey("k1")
	keys := map[uint32][]byte{1: key}
	kr := rtKeyring(t, 1, keys)
	before, err := kr.Digest(1, addr(rtTel))
	if err != nil {
		t.Fatal(err)
	}
	key[0] ^= 0xff
	keys[2] = rtKey("k2")
	after, err := kr.Digest(1, addr(rtTel))
	if err != nil || after != before {
		t.Errorf("changing the caller's keys changed the keyring: %q → %q, %v", before, after, err)
	}
	if v := kr.Versions(); !slices.Equal(v, []uint32{1}) {
		t.Errorf("Versions() = %v, want [1]", v)
	}
}

func TestKeyringDoesNotLeak(t *testing.T) {
	k1, k2 := rtKey("SECRET-one-"), rtKey("SECRET-two-")
	kr := rtKeyring(t, 2, map[uint32][]byte{1: k1, 2: k2})
	holder := struct {
		Name string
		K    *rights.Keyring
		V    rights.Keyring
	}{"config", kr, *kr}

	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%o", "%b", "%T %v", "%100v"} {
		outs = append(outs, fmt.Sprintf(verb, kr), fmt.Sprintf(verb, *kr), fmt.Sprintf(verb, holder))
	}
	outs = append(outs, fmt.Sprint(kr), fmt.Sprint(*kr), fmt.Sprintln(holder), kr.String(), kr.GoString())
	for _, v := range []any{kr, *kr, holder, []*rights.Keyring{kr}, map[string]*rights.Keyring{"k": kr}} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("json.Marshal(%T) error = %v", v, err)
		}
		outs = append(outs, string(b))
	}

	var secrets []string
	for _, k := range [][]byte{k1, k2} {
		secrets = append(secrets, string(k[:8]), hex.EncodeToString(k[:8]), strings.ToUpper(hex.EncodeToString(k[:8])),
			base64.StdEncoding.EncodeToString(k[:9]), strings.Trim(fmt.Sprint(k[:8]), "[]"),
			strings.Trim(fmt.Sprintf("%o", k[:8]), "[]"))
	}
	for _, out := range outs {
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("output %q shows key material %q", out, s)
			}
		}
	}

	if got, want := kr.String(), "rights.Keyring{current: 2, versions: [1 2]}"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	b, _ := json.Marshal(kr)
	if got, want := string(b), `{"current_version":2,"key_versions":[1,2]}`; got != want {
		t.Errorf("json.Marshal(keyring) = %s, want %s", got, want)
	}
	// Keys are never read back from JSON.
	var back rights.Keyring
	if err := json.Unmarshal(b, &back); !errors.Is(err, consent.ErrInvalid) {
		t.Errorf("json.Unmarshal(keyring) error = %v, want ErrInvalid", err)
	}
	if s := fmt.Sprint((*rights.Keyring)(nil)); strings.Contains(s, "SECRET") {
		t.Errorf("nil keyring printed %q", s)
	}
}

// TestKeyringDigest pins the digest: HMAC-SHA256 under the version's key of
// the normalised address, local part lower-cased for e-mail, E.164 for
// phones, so that another implementation can compute the same list.
func TestKeyringDigest(t *testing.T) {
	key := rtKey("k1")
	kr := rtKeyring(t, 1, map[uint32][]byte{1: key})
	mac := func(s string) string {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(s))
		return hex.EncodeToString(m.Sum(nil))
	}
	tests := []struct {
		address string
		country address.Country
		kind    address.Kind
		form    string
	}{
		{"Lea.Martin@EXAMPLE.com", address.Country{}, address.Email, "lea.martin@example.com"},
		{"JOSÉ.Martin@Exämple.Example", address.Country{}, address.Email, "josé.martin@xn--exmple-cua.example"},
		{rtTelFR, address.MustCountry("FR"), address.Phone, rtTel},
		{"0460 00 00 01", address.MustCountry("BE"), address.Phone, "+32460000001"},
		{"07700 900123", address.MustCountry("GB"), address.Phone, "+447700900123"},
	}
	for _, tt := range tests {
		a, err := address.Parse(tt.address, tt.country)
		if err != nil {
			t.Fatal(err)
		}
		got, err := kr.Digest(1, a)
		if kind := a.Kind(); err != nil || kind != tt.kind || got != mac(tt.form) {
			t.Errorf("Digest(1, %q) = %q, %q, %v; want %q, HMAC of %q", tt.address, kind, got, err, tt.kind, tt.form)
		}
	}
	if _, err := kr.Digest(2, addr(rtTel)); !errors.Is(err, consent.ErrInvalid) {
		t.Errorf("Digest under a missing version: error = %v, want ErrInvalid", err)
	}
	if _, err := kr.Digest(1, address.Address{}); !errors.Is(err, consent.ErrMissing) {
		t.Errorf("Digest of the zero Address: error = %v, want ErrMissing", err)
	}

	// Erase uses the same digest.
	_, er := rtErase(t, kr)
	d, _ := kr.Digest(1, address.MustParsePhone(rtTelFR, address.MustCountry("FR")))
	if !slices.ContainsFunc(er.Suppressions, func(s rights.Suppression) bool { return s.HMAC == d }) {
		t.Error("no suppression carries the phone's digest")
	}
}

// TestExportDocExample keeps the example in Export's doc comment true.
func TestExportDocExample(t *testing.T) {
	paris := rtLocation(t, "Europe/Paris")
	c := &consent.Contact{ID: "c-42", Kind: consent.Consumer, Country: address.MustCountry("FR"), Location: paris,
		Email: addr("lea.martin@example.com")}
	t0 := time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
	if err := c.Records.Append(
		consent.Record{ID: "r-1", Subject: addr("lea.martin@example.com"), Purpose: consent.MarketingGeneral,
			Channel: consent.Email, Sender: rtShop, Status: consent.Granted, At: t0, Method: consent.UntickedCheckbox},
		consent.Record{ID: "r-2", Purpose: consent.MarketingGeneral, Channel: consent.SMS, Sender: rtShop,
			Status: consent.Objection, At: t0.AddDate(0, 0, 22)},
	); err != nil {
		t.Fatal(err)
	}
	const doc = `{
	  "schema": "sendright.consent.export/v1",
	  "contact_id": "c-42",
	  "exported_at": "2026-03-10T09:00:00Z",
	  "profile": {"kind": "consumer", "country": "FR", "time_zone": "Europe/Paris",
	              "email": "lea.martin@example.com"},
	  "records": [
	    {"id": "r-1", "subject": "lea.martin@example.com", "purpose": "marketing_general",
	     "channel": "email", "sender": "Maison Exemple SAS", "status": "granted",
	     "at": "2025-01-10T09:00:00Z", "method": "unticked_checkbox"},
	    {"id": "r-2", "purpose": "marketing_general", "channel": "sms",
	     "sender": "Maison Exemple SAS", "status": "objection", "at": "2025-02-01T09:00:00Z"}
	  ],
	  "relationship": {"purchases": [], "inquiries": [], "support": [], "contracts": [], "responses": []},
	  "attempts": [],
	  "sent": [],
	  "registries": [],
	  "state": [
	    {"purpose": "marketing_general", "channel": "email", "sender": "Maison Exemple SAS",
	     "status": "granted", "record_id": "r-1"},
	    {"purpose": "marketing_general", "channel": "sms", "sender": "Maison Exemple SAS",
	     "status": "objection", "record_id": "r-2"}
	  ]
	}`
	var want bytes.Buffer
	if err := json.Compact(&want, []byte(doc)); err != nil {
		t.Fatal(err)
	}
	got := rtJSON(t, rights.ExportContact(c, time.Date(2026, 3, 10, 10, 0, 0, 0, paris)))
	if !bytes.Equal(got, want.Bytes()) {
		t.Errorf("Export JSON differs from the doc example:\n got %s\nwant %s", got, want.Bytes())
	}

	// The Suppression doc example and a known-answer vector for the digest.
	kr := rtKeyring(t, 1, map[uint32][]byte{1: []byte("0123456789abcdef0123456789abcdef")})
	er, err := rights.Erase(c, kr, nil, time.Date(2026, 3, 10, 10, 0, 0, 0, paris))
	if err != nil || len(er.Suppressions) != 1 {
		t.Fatalf("Erase() = %+v, %v", er, err)
	}
	const sup = `{"key_version":1,"hmac":"5a62c810aa21f61f405772b71b52470fb17903d38c5588be72c3b8efe5533e24",` +
		`"kind":"email","sender":"Maison Exemple SAS","purpose":"all_marketing","channel":"all","at":"2026-03-10T09:00:00Z"}`
	if got := rtJSON(t, er.Suppressions[0]); string(got) != sup {
		t.Errorf("Suppression JSON = %s, want %s", got, sup)
	}
}

// TestRightsSameEntity checks that sender names differing only in case and
// surrounding space are one entity in the export and in the erasure.
func TestRightsSameEntity(t *testing.T) {
	c := &consent.Contact{ID: "c-1", Kind: consent.Consumer, Country: address.MustCountry("FR"), Location: time.UTC,
		Email: addr("lea.martin@example.com"),
		Relationship: consent.Relationship{Purchases: []consent.Interaction{{ID: "p", At: rtDay(-1),
			Seller: "maison exemple sas"}}}}
	if err := c.Records.Append(
		consent.Record{ID: "g", Subject: c.Email, Purpose: consent.MarketingGeneral, Channel: consent.Email,
			Sender: rtShop, Status: consent.Granted, At: rtDay(0), Method: consent.SignedForm},
		consent.Record{ID: "o", Purpose: consent.MarketingGeneral, Channel: consent.Email,
			Sender: " MAISON EXEMPLE SAS ", Status: consent.Objection, At: rtDay(1)},
	); err != nil {
		t.Fatal(err)
	}
	want := []rights.ExportedState{{Purpose: consent.MarketingGeneral, Channel: consent.Email, Sender: rtShop,
		Status: rights.StateObjection, RecordID: "o"}}
	if diff := cmp.Diff(want, rights.ExportContact(c, rtDay(2)).State); diff != "" {
		t.Errorf("State mismatch (-want +got):\n%s", diff)
	}
	er, err := rights.Erase(c, rtKeyring(t, 1, map[uint32][]byte{1: rtKey("k1")}), nil, rtDay(2))
	if err != nil {
		t.Fatal(err)
	}
	if len(er.Suppressions) != 1 || er.Suppressions[0].Sender != rtShop {
		t.Errorf("Suppressions = %+v, want one for %q", er.Suppressions, rtShop)
	}
}
