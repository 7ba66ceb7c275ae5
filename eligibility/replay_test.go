package eligibility_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/consent/calls"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/internal/audience"
	"github.com/sendright/sendright/rules"
	"go.yaml.in/yaml/v3"
)

// withoutLater is the test's own reading of "the contact as it stood at
// t": every event dated after t dropped, a confirmation after t undone.
func withoutLater(t testing.TB, c *consent.Contact, at time.Time) *consent.Contact {
	t.Helper()
	cut := *c
	var recs []consent.Record
	for r := range c.Records.All() {
		if r.At.After(at) {
			continue
		}
		if r.ConfirmedAt.After(at) {
			r.ConfirmedAt = time.Time{}
		}
		recs = append(recs, r)
	}
	l, err := consent.NewLedger(recs...)
	var conflict *consent.ConflictError
	if err != nil && !errors.As(err, &conflict) {
		t.Fatal(err)
	}
	cut.Records = *l
	past := func(evs []consent.Interaction) []consent.Interaction {
		var out []consent.Interaction
		for _, e := range evs {
			if !e.At.After(at) {
				out = append(out, e)
			}
		}
		return out
	}
	rel := &cut.Relationship
	rel.Purchases, rel.Inquiries, rel.Support, rel.Responses = past(rel.Purchases), past(rel.Inquiries), past(rel.Support), past(rel.Responses)
	rel.Contracts = nil
	for _, k := range c.Relationship.Contracts {
		if !k.Start.After(at) {
			rel.Contracts = append(rel.Contracts, k)
		}
	}
	cut.Attempts, cut.Registries, cut.Sent = nil, nil, nil
	for _, s := range c.Sent {
		if !s.At.After(at) {
			cut.Sent = append(cut.Sent, s)
		}
	}
	for _, a := range c.Attempts {
		if !a.At.After(at) {
			cut.Attempts = append(cut.Attempts, a)
		}
	}
	for _, r := range c.Registries {
		if !r.CheckedAt.After(at) {
			cut.Registries = append(cut.Registries, r)
		}
	}
	return &cut
}

// addLater gives a copy of the request's contact events of every kind
// after the message instant, of the message's sender and on its channel
// where they have one, chosen to change a decision if they counted: an
// objection, a withdrawal, grants (one given before the instant and
// confirmed after it), purchases, inquiries, support, responses, a refusal
// at collection, a contract, refused calls, messages sent and a registry
// listing.
func addLater(t testing.TB, r *rand.Rand, req eligibility.Request) eligibility.Request {
	t.Helper()
	c := *req.Contact
	c.Records = *req.Contact.Records.Clone()
	at, sender, ch := req.At, req.Sender.Entity, req.Channel
	// Half within twelve hours, where a Defer's wait usually ends; the
	// rest within thirty days.
	after := func() time.Time {
		if r.IntN(2) == 0 {
			return at.Add(time.Nanosecond + time.Duration(r.Int64N(int64(12*time.Hour))))
		}
		return at.Add(time.Nanosecond + time.Duration(r.Int64N(int64(30*24*time.Hour))))
	}
	subject := c.Address(ch)
	var collected []address.Address
	for _, a := range []address.Address{c.Email, c.Phone} {
		if !a.IsZero() {
			collected = append(collected, a)
		}
	}
	var recs []consent.Record
	if !subject.IsZero() {
		recs = append(recs,
			consent.Record{ID: "later-grant", Subject: subject, Purpose: consent.MarketingGeneral, Channel: ch,
				Sender: sender, Status: consent.Granted, At: after(), Method: consent.SignedForm},
			consent.Record{ID: "later-confirmed", Subject: subject, Purpose: consent.MarketingThirdParty, Channel: ch,
				Sender: sender, Status: consent.Granted, At: at.Add(-time.Hour), Method: consent.DoubleOptIn, ConfirmedAt: after()})
	}
	recs = append(recs,
		consent.Record{ID: "later-objection", Purpose: consent.AllMarketing, Channel: consent.AllChannels,
			Sender: sender, Status: consent.Objection, At: after()},
		consent.Record{ID: "later-withdrawal", Purpose: consent.MarketingGeneral, Channel: ch,
			Sender: sender, Status: consent.Withdrawn, At: after()})
	for _, rec := range recs {
		if r.IntN(2) == 0 {
			if err := c.Records.Append(rec); err != nil {
				t.Fatalf("later record %s: %v", rec.ID, err)
			}
		}
	}
	ev := func(id string, refused bool) consent.Interaction {
		return consent.Interaction{ID: id, At: after(), Seller: sender, Category: req.Category,
			Collected: collected, OptOutOffered: true, Refused: refused && len(collected) > 0}
	}
	rel := &c.Relationship
	rel.Purchases = append(slices.Clone(rel.Purchases), ev("later-purchase", false), ev("later-refusal", r.IntN(2) == 0))
	rel.Inquiries = append(slices.Clone(rel.Inquiries), ev("later-inquiry", false))
	rel.Support = append(slices.Clone(rel.Support), ev("later-support", false))
	rel.Responses = append(slices.Clone(rel.Responses), ev("later-response", false))
	rel.Contracts = append(slices.Clone(rel.Contracts), consent.Contract{ID: "later-contract", Seller: sender,
		Category: req.Category, Start: after()})
	c.Attempts = slices.Clone(c.Attempts)
	for range 1 + r.IntN(3) {
		c.Attempts = append(c.Attempts, calls.Attempt{At: after(), Channel: calls.VoiceLive, Sender: sender, Outcome: calls.Refused})
	}
	c.Sent = slices.Clone(c.Sent)
	for range 1 + r.IntN(3) {
		c.Sent = append(c.Sent, consent.Send{At: after(), Channel: ch, Purpose: consent.MarketingGeneral, Sender: sender})
	}
	if !c.Phone.IsZero() {
		checked := after()
		c.Registries = append(slices.Clone(c.Registries), calls.RegistryCheck{Registry: calls.Bloctel, Number: c.Phone,
			Listed: true, ListedSince: checked.Add(-time.Hour), CheckedAt: checked})
	}
	if err := c.Check(); err != nil {
		t.Fatalf("%s with later events: %v", c.ID, err)
	}
	return eligibility.Request{Contact: &c, Message: req.Message}
}

// marshalContact is the contact's JSON form, to show it unchanged.
func marshalContact(t testing.TB, c *consent.Contact) string {
	t.Helper()
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Replay decides as the contact stood at the message instant: events of
// any kind dated after it change nothing, whatever the verdict (a Defer's
// NotBefore included), and the caller's contact is left as it was.
// Decide ignores them too, except where a Defer looks ahead.
func TestReplayIgnoresLaterEvents(t *testing.T) {
	p := evaluator(t)
	r := rand.New(rand.NewPCG(11, 12))
	n, defers, lookAhead := 0, 0, 0
	for _, country := range []string{"FR", "GB", "BE"} {
		gen := audience.NewRandom(13, address.MustCountry(country), paris, consent.Email, consent.SMS, consent.VoiceLive, consent.VoiceAutomated)
		for _, req := range gen.Requests(400) {
			later := addLater(t, r, req)
			before := marshalContact(t, later.Contact)
			past := eligibility.Request{Contact: withoutLater(t, later.Contact, req.At), Message: req.Message}
			want, wantErr := p.Decide(past)
			got, err := p.Replay(later)
			if diff := cmp.Diff(want, got); diff != "" || (err == nil) != (wantErr == nil) {
				t.Fatalf("%s %s at %s: Replay with later events differs from Decide without them (-want +got):\n%s\nerr %v, want %v",
					req.Contact.ID, req.Channel, req.At, diff, err, wantErr)
			}
			if after := marshalContact(t, later.Contact); after != before {
				t.Fatalf("%s: Replay changed the caller's contact", req.Contact.ID)
			}
			live, _ := p.Decide(later)
			switch {
			case want.Verdict == eligibility.Defer:
				defers++
				if !cmp.Equal(want, live) {
					lookAhead++
				}
			case !cmp.Equal(want, live):
				t.Fatalf("%s: Decide with later events differs without a Defer (-past +with later):\n%s", req.Contact.ID, cmp.Diff(want, live))
			}
			n++
		}
	}
	if defers == 0 || lookAhead == 0 {
		t.Errorf("%d defers, %d changed by later events: the test does not reach the look-ahead", defers, lookAhead)
	}
	t.Logf("%d requests, %d defers, %d of them decided otherwise by Decide with the later events", n, defers, lookAhead)
}

// A deferred call and an objection recorded after it: Decide looks ahead
// and sees the objection before the call window opens; Replay does not.
func TestReplayDeferredCallLaterObjection(t *testing.T) {
	p := evaluator(t)
	evening := time.Date(2026, 3, 10, 21, 30, 0, 0, paris) // after the French call window
	c := newContact(t, "c-call", "FR", consent.Consumer, withRecords(t,
		grant("g-call", "c-call", consent.MarketingGeneral, consent.VoiceLive, evening.AddDate(0, -1, 0))))
	c.Location = paris
	c.Phone = address.MustParsePhone("06 39 98 00 01", address.MustCountry("FR"))
	if err := c.Records.Append(consent.Record{ID: "g-call-2", Subject: c.Phone, Purpose: consent.MarketingGeneral,
		Channel: consent.VoiceLive, Sender: sender, Status: consent.Granted, At: evening.AddDate(0, -1, 0), Method: consent.RecordedVerbal}); err != nil {
		t.Fatal(err)
	}
	c.Registries = []calls.RegistryCheck{{Registry: calls.Bloctel, Number: c.Phone, CheckedAt: evening.AddDate(0, 0, -2)}}
	req := eligibility.Request{Contact: c, Message: *message(consent.MarketingGeneral, consent.VoiceLive, "", evening)}
	then, err := p.Replay(req)
	if err != nil || then.Verdict != eligibility.Defer {
		t.Fatalf("Replay = %v, %v; want a Defer to the morning", then, err)
	}
	objected := evening.Add(2 * time.Hour)
	if err := c.Records.Append(consent.Record{ID: "o-late", Purpose: consent.AllMarketing, Channel: consent.AllChannels,
		Sender: sender, Status: consent.Objection, At: objected}); err != nil {
		t.Fatal(err)
	}
	now, err := p.Decide(req)
	if err != nil || now.Verdict != eligibility.Deny || !now.DeniedFrom.Equal(objected) {
		t.Errorf("Decide with the later objection = %v, %v; want a deny from %s", now, err, objected)
	}
	again, err := p.Replay(req)
	if diff := cmp.Diff(then, again); diff != "" || err != nil {
		t.Errorf("Replay after the objection was recorded (-before +after):\n%s", diff)
	}
}

// An archive replays with the policy of a decision's version, restores
// versions rebuilt from stored YAML and JSON only when they compile to
// themselves, and denies for a version it does not hold.
func TestArchive(t *testing.T) {
	current, older := evaluator(t), noSoftOptIn()
	var a eligibility.Archive
	a.Add(current)
	a.Add(nil) // ignored

	// The older version is kept as its sets' YAML and its parameters'
	// JSON, and rebuilt.
	var stored [][]byte
	for _, s := range older.Sets() {
		b, err := yaml.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, b)
	}
	params, err := json.Marshal(eligibility.Params{})
	if err != nil {
		t.Fatal(err)
	}
	rebuild := func(files [][]byte) *eligibility.Policy {
		var sets []*rules.Set
		for i, b := range files {
			s, err := rules.Parse(fmt.Sprintf("stored-%d.yaml", i), b)
			if err != nil {
				t.Fatal(err)
			}
			sets = append(sets, s)
		}
		var ps eligibility.Params
		if err := json.Unmarshal(params, &ps); err != nil {
			t.Fatal(err)
		}
		p, err := eligibility.Compile(sets, ps)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	if err := a.Restore(older.Version(), rebuild(stored)); err != nil {
		t.Fatalf("Restore of the rebuilt older policy: %v", err)
	}
	// A stored file changed since: the version no longer matches.
	if err := a.Restore("0123456789abcdef0123456789abcdef", rebuild(stored)); !errors.Is(err, eligibility.ErrVersionMismatch) {
		t.Errorf("Restore under another version = %v, want ErrVersionMismatch", err)
	}
	wantVersions := []string{current.Version(), older.Version()}
	slices.Sort(wantVersions)
	if diff := cmp.Diff(wantVersions, a.Versions()); diff != "" {
		t.Errorf("Versions (-want +got):\n%s", diff)
	}

	// A customer e-mailed under the current policy: replayed under each.
	req := mixAudience(50)
	for _, r := range req {
		for _, p := range []*eligibility.Policy{current, older} {
			want, _ := p.Replay(r)
			got, err := a.Replay(p.Version(), r)
			if diff := cmp.Diff(want, got); diff != "" || err != nil {
				t.Fatalf("Archive.Replay(%s) (-want +got):\n%s\nerr %v", p.Version(), diff, err)
			}
			if got.PolicyVersion != p.Version() {
				t.Errorf("replayed decision names version %s, want %s", got.PolicyVersion, p.Version())
			}
		}
	}
	d, err := a.Replay("ffffffffffffffffffffffffffffffff", req[0])
	if !errors.Is(err, eligibility.ErrUnknownVersion) || d.Verdict != eligibility.Deny {
		t.Errorf("Replay of an unknown version = %v, %v; want a deny and ErrUnknownVersion", d, err)
	}
}

// Replay cuts every time-stamped part of a contact. A field added to
// consent.Contact or consent.Relationship must be classified here, and
// cut by Replay (asOf in replay.go) when it holds events.
func TestReplayKnowsEveryContactField(t *testing.T) {
	known := map[string]string{
		// Facts about the person, taken as they are.
		"ID": "kept", "Kind": "kept", "Country": "kept", "Region": "kept", "Location": "kept", "BirthDate": "kept",
		"Email": "kept", "Phone": "kept", "Push": "kept", "Postal": "kept", "PushPermitted": "kept",
		"CollectedAt": "kept", "JobRole": "kept", "OptOutOfferedAtCollection": "kept", "PublishedForMarketing": "kept",
		// Events, cut at the instant.
		"Relationship": "cut", "Records": "cut", "Attempts": "cut", "Sent": "cut", "Registries": "cut",
		"Purchases": "cut", "Inquiries": "cut", "Support": "cut", "Contracts": "cut", "Responses": "cut",
	}
	for _, typ := range []reflect.Type{reflect.TypeFor[consent.Contact](), reflect.TypeFor[consent.Relationship]()} {
		for f := range typ.Fields() {
			if f.IsExported() && known[f.Name] == "" {
				t.Errorf("%s.%s is new: say whether Replay keeps it or cuts its events after the instant", typ.Name(), f.Name)
			}
		}
	}
}

// A ledger holding two records under one id (a conflict the ledger kept
// both sides of) is cut like any other: the replay of an e-mail allowed
// on the grant names the same evidence as Decide, and the withdrawal
// recorded the next day under the same id is left out.
func TestReplayContestedID(t *testing.T) {
	p := evaluator(t)
	c := frConsumer(t)
	err := c.Records.Append(consent.Record{ID: "g-1", Purpose: consent.MarketingGeneral, Channel: consent.Email,
		Sender: shop.Entity, Status: consent.Withdrawn, At: at.AddDate(0, 0, 1)})
	var conflict *consent.ConflictError
	if !errors.As(err, &conflict) {
		t.Fatalf("Append of a second g-1 = %v, want a conflict", err)
	}
	req := eligibility.Request{Contact: c, Message: email(consent.MarketingGeneral)}
	want, wantErr := p.Decide(req)
	got, err := p.Replay(req)
	if diff := cmp.Diff(want, got); diff != "" || err != nil || wantErr != nil {
		t.Errorf("Replay (-Decide +Replay):\n%s\nerrors %v, %v", diff, wantErr, err)
	}
	if got.Verdict != eligibility.Allow {
		t.Errorf("Replay = %v, want an allow on the grant: the withdrawal is later", got)
	}
}

// Two records contesting an id before the instant, and a record after it:
// the cut ledger keeps both sides of the conflict, as the contact's does.
func TestReplayContestedBeforeInstant(t *testing.T) {
	p := evaluator(t)
	c := frConsumer(t)
	for _, rec := range []consent.Record{
		{ID: "g-1", Purpose: consent.MarketingGeneral, Channel: consent.Email, Sender: shop.Entity, Status: consent.Withdrawn, At: at.AddDate(0, 0, -1)},
		{ID: "o-2", Purpose: consent.AllMarketing, Channel: consent.AllChannels, Sender: shop.Entity, Status: consent.Objection, At: at.AddDate(0, 0, 1)},
	} {
		_ = c.Records.Append(rec) // the first is a conflict, kept with the grant
	}
	if n := c.Records.Len(); n != 3 {
		t.Fatalf("ledger holds %d records, want 3", n)
	}
	req := eligibility.Request{Contact: c, Message: email(consent.MarketingGeneral)}
	want, _ := p.Decide(eligibility.Request{Contact: withoutLater(t, c, at), Message: req.Message})
	got, _ := p.Replay(req)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Replay (-Decide of the contact as it stood +Replay):\n%s", diff)
	}
	if got.Verdict != eligibility.Deny || got.Evidence.IsZero() {
		t.Errorf("Replay = %v, want the deny of the withdrawal", got)
	}
}

// A malformed request replays as Decide decides it: the same deny and the
// same kind of error.
func TestReplayMalformed(t *testing.T) {
	p := evaluator(t)
	noInstant := email(consent.MarketingGeneral)
	noInstant.At = time.Time{}
	for _, tc := range []struct {
		name string
		req  eligibility.Request
	}{
		{"no contact", eligibility.Request{Message: email(consent.MarketingGeneral)}},
		{"no instant", eligibility.Request{Contact: frConsumer(t), Message: noInstant}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, wantErr := p.Decide(tc.req)
			got, err := p.Replay(tc.req)
			if wantErr == nil || err == nil || err.Error() != wantErr.Error() {
				t.Errorf("errors: Replay %v, Decide %v; want the same error", err, wantErr)
			}
			if diff := cmp.Diff(want, got); diff != "" || got.Verdict != eligibility.Deny {
				t.Errorf("Replay (-Decide +Replay):\n%s", diff)
			}
		})
	}
	var nilPolicy *eligibility.Policy
	if d, err := nilPolicy.Replay(eligibility.Request{Contact: frConsumer(t), Message: email(consent.MarketingGeneral)}); !errors.Is(err, eligibility.ErrNoPolicy) || d.Verdict != eligibility.Deny {
		t.Errorf("Replay on a nil policy = %v, %v; want a deny and ErrNoPolicy", d, err)
	}
}

// What the Archive documentation tells a host to keep is enough: a
// policy's sets marshalled as YAML, house files and overrides included,
// read back and compiled, have the policy's version.
func TestSetsAsYAMLKeepTheVersion(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    *eligibility.Policy
	}{
		{"built-in", evaluator(t)},
		{"house files and overrides", houseFilesPolicy(t, "acme.yaml", "benelux.yaml", "minors.yaml", "overrides.yaml", "send_caps.yaml")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var sets []*rules.Set
			for _, s := range tc.p.Sets() {
				b, err := yaml.Marshal(s)
				if err != nil {
					t.Fatal(err)
				}
				back, err := rules.Parse(s.File, b)
				if err != nil {
					t.Fatalf("%s read back: %v", s.File, err)
				}
				sets = append(sets, back)
			}
			again, err := eligibility.Compile(sets, eligibility.Params{})
			if err != nil {
				t.Fatal(err)
			}
			var a eligibility.Archive
			if err := a.Restore(tc.p.Version(), again); err != nil {
				t.Error(err)
			}
		})
	}
}
