package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/consent/rights"
	"github.com/sendright/sendright/eligibility"
)

// The tests need a PostgreSQL server: testdb.sh starts a private one and
// sets SENDRIGHT_PG_DSN. Without it they are skipped. Each test works in a
// schema of its own, dropped at its end.
const dsnVar = "SENDRIGHT_PG_DSN"

const shop = "Maison Exemple SAS"

var (
	paris = mustZone("Europe/Paris")
	// t0 is the instant the fictional histories start.
	t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// testKeyring is a fictional keyring: fixed bytes, for tests only. A host's
// keys come from its secret store.
func testKeyring(t *testing.T) *rights.Keyring {
	t.Helper()
	kr, err := rights.NewKeyring(2, map[uint32][]byte{
		1: []byte("fictional-test-key-version-1-0123456789"),
		2: []byte("fictional-test-key-version-2-0123456789"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return kr
}

// newStore returns a store over a fresh schema of the test database, with
// the reference schema applied.
func newStore(t *testing.T, kr *rights.Keyring) (*Store, *pgxpool.Pool) {
	t.Helper()
	return newStoreTB(t, kr)
}

// newStoreTB is newStore for tests and benchmarks.
func newStoreTB(t testing.TB, kr *rights.Keyring) (*Store, *pgxpool.Pool) {
	t.Helper()
	dsn := os.Getenv(dsnVar)
	if dsn == "" {
		t.Skipf("%s is not set: run the tests with examples/postgres/testdb.sh", dsnVar)
	}
	ctx := context.Background()
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), dsn)
		if err != nil {
			t.Error(err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Error(err)
		}
	})
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	cfg.MaxConns = 16
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	s := NewStore(pool, kr)
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil { // idempotent
		t.Fatalf("second Migrate: %v", err)
	}
	return s, pool
}

// person is a fictional French consumer numbered n.
func person(n int) *consent.Contact {
	return &consent.Contact{
		ID: fmt.Sprintf("c-%05d", n), Kind: consent.Consumer, Country: address.MustCountry("FR"), Location: paris,
		Email: address.MustParseEmail(fmt.Sprintf("personne.%d@example.com", n)),
		Phone: address.MustParsePhone(fmt.Sprintf("+336399%05d", n%100000), address.MustCountry("FR")),
	}
}

func grant(id string, c *consent.Contact, ch consent.Channel, at time.Time) consent.Record {
	return consent.Record{ID: id, Subject: c.Address(ch), Purpose: consent.MarketingGeneral, Channel: ch,
		Sender: shop, Status: consent.Granted, At: at, Method: consent.UntickedCheckbox,
		Source: "https://shop.example/signup", WordingVersion: "v3"}
}

func stop(id string, status consent.Status, ch consent.Channel, at time.Time) consent.Record {
	return consent.Record{ID: id, Purpose: consent.MarketingGeneral, Channel: ch, Sender: shop, Status: status, At: at,
		Source: "unsubscribe link"}
}

func message(ch consent.Channel, at time.Time) consent.Message {
	return consent.Message{Purpose: consent.MarketingGeneral, Channel: ch, At: at,
		Sender: consent.Sender{Entity: shop, Kind: consent.Company}}
}

func defaultPolicy(t *testing.T) *eligibility.Policy {
	t.Helper()
	pol, err := eligibility.Default()
	if err != nil {
		t.Fatal(err)
	}
	return pol
}

// put stores c's profile, records and relationship. It may run on any
// goroutine: it reports with t.Errorf.
func put(t testing.TB, s *Store, c *consent.Contact) {
	t.Helper()
	if err := store(s, c); err != nil {
		t.Errorf("storing %s: %v", c.ID, err)
	}
}

func store(s *Store, c *consent.Contact) error {
	ctx := context.Background()
	if _, err := s.PutContact(ctx, c); err != nil {
		return err
	}
	for r := range c.Records.All() {
		if err := s.Record(ctx, c.ID, r); err != nil {
			return err
		}
	}
	rel := c.Relationship
	for kind, evs := range map[string][]consent.Interaction{KindPurchase: rel.Purchases, KindInquiry: rel.Inquiries,
		KindSupport: rel.Support, KindResponse: rel.Responses} {
		for _, in := range evs {
			if err := s.RecordInteraction(ctx, c.ID, kind, in); err != nil {
				return err
			}
		}
	}
	for _, k := range rel.Contracts {
		if err := s.RecordContract(ctx, c.ID, k); err != nil {
			return err
		}
	}
	return nil
}

// jsonOf is the library's JSON form of c: what "the same contact" means.
func jsonOf(t *testing.T, c *consent.Contact) string {
	t.Helper()
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// richContact has every kind of stored event.
func richContact() *consent.Contact {
	c := person(1)
	c.Region = "FR-75"
	c.CollectedAt = t0.Add(-24 * time.Hour)
	c.Postal = address.MustParsePostal([]string{"Camille Exemple", "12 rue de l'Exemple", "75001 Paris"}, address.MustCountry("FR"))
	dbl := grant("g-email", c, consent.Email, t0)
	dbl.Method = consent.DoubleOptIn
	dbl.ConfirmedAt = t0.Add(10 * time.Minute)
	dbl.ProofRef = "proof://signup/0001"
	dbl.OptOutOffered = true
	if err := c.Records.Append(dbl,
		grant("g-sms", c, consent.SMS, t0.Add(time.Hour)),
		stop("w-sms", consent.Withdrawn, consent.SMS, t0.Add(48*time.Hour)),
		stop("o-voice", consent.Objection, consent.AllChannels, t0.Add(72*time.Hour)),
	); err != nil {
		panic(err)
	}
	collected := []address.Address{c.Email, c.Phone}
	c.Relationship = consent.Relationship{
		Purchases: []consent.Interaction{{ID: "order-1", At: t0.Add(-48 * time.Hour), Seller: shop, Category: "kettles",
			Collected: collected, OptOutOffered: true}},
		Inquiries: []consent.Interaction{{ID: "quote-1", At: t0.Add(-72 * time.Hour), Seller: shop, Category: "teapots"}},
		Responses: []consent.Interaction{{ID: "click-1", At: t0.Add(-24 * time.Hour), Seller: shop}},
		Support:   []consent.Interaction{{ID: "gift-1", At: t0.Add(-96 * time.Hour), Seller: "Association Exemple"}},
		Contracts: []consent.Contract{{ID: "sub-1", Seller: shop, Category: "kettles", Start: t0.Add(-30 * 24 * time.Hour),
			End: t0.Add(300 * 24 * time.Hour)}},
	}
	return c
}

func TestLoadReturnsWhatWasStored(t *testing.T) {
	s, _ := newStore(t, nil)
	c := richContact()
	put(t, s, c)
	put(t, s, c) // idempotent: nothing is stored twice
	got, err := s.Load(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(jsonOf(t, c), jsonOf(t, got)); diff != "" {
		t.Errorf("loaded contact (-stored +loaded):\n%s", diff)
	}
	// A different event under a stored id is refused, never dropped: here
	// a refusal at collection, which is a stop.
	changed := c.Relationship.Purchases[0]
	changed.Refused = true
	if err := s.RecordInteraction(context.Background(), c.ID, KindPurchase, changed); !errors.Is(err, ErrEventConflict) {
		t.Errorf("RecordInteraction(changed purchase) = %v, want ErrEventConflict", err)
	}
	k := c.Relationship.Contracts[0]
	k.End = time.Time{}
	if err := s.RecordContract(context.Background(), c.ID, k); !errors.Is(err, ErrEventConflict) {
		t.Errorf("RecordContract(changed contract) = %v, want ErrEventConflict", err)
	}
	if _, err := s.Load(context.Background(), "c-unknown"); !errors.Is(err, ErrNoContact) {
		t.Errorf("Load(unknown) = %v, want ErrNoContact", err)
	}
}

func TestDecideFromWhatIsStored(t *testing.T) {
	s, _ := newStore(t, nil)
	pol := defaultPolicy(t)
	c := richContact()
	put(t, s, c)
	ctx := context.Background()
	for _, m := range []consent.Message{
		message(consent.Email, t0.Add(24*time.Hour)), // double opt-in confirmed: allowed
		message(consent.SMS, t0.Add(24*time.Hour)),   // granted: allowed
		message(consent.SMS, t0.Add(50*time.Hour)),   // withdrawn
		message(consent.Email, t0.Add(80*time.Hour)), // objection on every channel
	} {
		want, err := pol.Decide(eligibility.Request{Contact: c, Message: m})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Decide(ctx, pol, c.ID, m)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s at %s: decision from the store differs from the one in memory (-memory +store):\n%s", m.Channel, m.At, diff)
		}
	}
	// The stored history gives both answers: the e-mail grant allows before
	// the objection and the objection denies after it.
	before, _ := s.Decide(ctx, pol, c.ID, message(consent.Email, t0.Add(24*time.Hour)))
	after, _ := s.Decide(ctx, pol, c.ID, message(consent.Email, t0.Add(80*time.Hour)))
	if before.Verdict != eligibility.Allow || after.Verdict != eligibility.Deny {
		t.Errorf("verdicts before/after the objection = %s/%s (%s), want Allow/Deny", before.Verdict, after.Verdict, after.Reason)
	}
	// An unknown contact is an error and a Deny.
	d, err := s.Decide(ctx, pol, "c-unknown", message(consent.Email, t0))
	if !errors.Is(err, ErrNoContact) || d.Verdict != eligibility.Deny {
		t.Errorf("Decide(unknown) = %s, %v; want Deny and ErrNoContact", d.Verdict, err)
	}
}

func TestRecordRefusesInvalidRecords(t *testing.T) {
	s, pool := newStore(t, nil)
	ctx := context.Background()
	c := person(2)
	bad := grant("g-1", c, consent.Email, t0)
	bad.Method = 0 // a grant needs its capture method
	var fe *consent.FieldError
	if err := s.Record(ctx, c.ID, bad); !errors.As(err, &fe) {
		t.Errorf("Record(grant without method) = %v, want a *consent.FieldError", err)
	}
	var n int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM consent_events").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d events stored after a refused record, want 0", n)
	}
	// The database refuses what the library would, even when the
	// application is bypassed.
	_, err := pool.Exec(ctx, `INSERT INTO consent_events (contact_id, id, status, purpose, channel, sender, at, digest)
		VALUES ('c-2', 'g-2', 'granted', 'marketing_general', 'email', $1, now(), sha256('x'))`, shop)
	if code := sqlState(err); code != "23514" {
		t.Errorf("grant without subject and method inserted directly: SQLSTATE %q (%v), want 23514 (check_violation)", code, err)
	}
}

func sqlState(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

func TestEventsAreAppendOnly(t *testing.T) {
	s, pool := newStore(t, testKeyring(t))
	ctx := context.Background()
	c := richContact()
	put(t, s, c)
	if _, err := pool.Exec(ctx, `INSERT INTO suppressions VALUES (1, repeat('a', 64), 'email', $1, 'all_marketing', 'all', now())`, shop); err != nil {
		t.Fatal(err)
	}
	count := func(table string) int {
		var n int
		if err := pool.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, table := range []string{"consent_events", "relationship_events", "suppressions"} {
		before := count(table)
		for _, stmt := range []string{
			"UPDATE " + table + " SET at = at + interval '1 day'",
			"DELETE FROM " + table,
			"TRUNCATE " + table,
			// The setting the erasure function uses never opens UPDATE.
			"SELECT set_config('sendright.erasing', 'c-00001', false); UPDATE " + table + " SET at = now()",
		} {
			_, err := pool.Exec(ctx, stmt)
			if code := sqlState(err); code != "23000" {
				t.Errorf("%s: SQLSTATE %q (%v), want 23000 from the append-only trigger", stmt, code, err)
			}
		}
		if after := count(table); after != before || before == 0 {
			t.Errorf("%s: %d rows before, %d after the refused changes", table, before, after)
		}
	}
	got, err := s.Load(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(jsonOf(t, c), jsonOf(t, got)); diff != "" {
		t.Errorf("contact changed by refused statements (-stored +loaded):\n%s", diff)
	}
}

// stopIDs returns the ids of the withdrawals and objections of c's ledger.
func stopIDs(c *consent.Contact) []string {
	var ids []string
	for r := range c.Records.All() {
		if r.Status != consent.Granted {
			ids = append(ids, r.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

// TestConcurrentWritersLoseNoWithdrawal has many writers record grants,
// withdrawals and objections for the same contacts at once, each record
// written twice by different writers, while profiles are rewritten. Every
// stop must be stored exactly once and loaded, and the decision after the
// last stop must deny.
func TestConcurrentWritersLoseNoWithdrawal(t *testing.T) {
	s, pool := newStore(t, nil)
	pol := defaultPolicy(t)
	ctx := context.Background()
	const (
		contacts = 10
		writers  = 16
		perPair  = 12 // records per writer and contact
	)
	people := make([]*consent.Contact, contacts)
	for i := range people {
		people[i] = person(100 + i)
	}
	// Grants fall in the first hour and stops in the second, so that the
	// ledger at the third hour must deny whatever order the writes landed in.
	type job struct {
		c *consent.Contact
		r consent.Record
	}
	var jobs []job
	wantStops := map[string][]string{}
	for _, c := range people {
		for w := range writers {
			for k := range perPair {
				id := fmt.Sprintf("%s-w%02d-%02d", c.ID, w, k)
				at := t0.Add(time.Duration(w*perPair+k) * time.Second)
				ch := []consent.Channel{consent.Email, consent.SMS}[k%2]
				var r consent.Record
				switch k % 3 {
				case 0:
					r = grant("g-"+id, c, ch, at)
				case 1:
					r = stop("w-"+id, consent.Withdrawn, ch, at.Add(time.Hour))
				default:
					r = stop("o-"+id, consent.Objection, ch, at.Add(time.Hour))
				}
				if r.Status != consent.Granted {
					wantStops[c.ID] = append(wantStops[c.ID], r.ID)
				}
				jobs = append(jobs, job{c, r})
			}
		}
	}
	for _, ids := range wantStops {
		slices.Sort(ids)
	}
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			// Writer w writes every job whose index is w or w+1 modulo
			// writers (each record twice, by two writers), in an order of
			// its own, and rewrites profiles between records.
			for i := range jobs {
				j := jobs[(i*7+w*13)%len(jobs)]
				idx := (i*7 + w*13) % len(jobs)
				if idx%writers != w && idx%writers != (w+1)%writers {
					continue
				}
				if err := s.Record(ctx, j.c.ID, j.r); err != nil {
					errs <- err
					return
				}
				if i%50 == 0 {
					if _, err := s.PutContact(ctx, j.c); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var stored int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM consent_events").Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != len(jobs) {
		t.Errorf("%d events stored, want %d: each record once, though written twice", stored, len(jobs))
	}
	for _, c := range people {
		if _, err := s.PutContact(ctx, c); err != nil {
			t.Fatal(err)
		}
		got, err := s.Load(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(wantStops[c.ID], stopIDs(got)); diff != "" {
			t.Errorf("%s: stops (-written +loaded):\n%s", c.ID, diff)
		}
		for _, ch := range []consent.Channel{consent.Email, consent.SMS} {
			d, err := s.Decide(ctx, pol, c.ID, message(ch, t0.Add(3*time.Hour)))
			if err != nil {
				t.Fatal(err)
			}
			if d.Verdict != eligibility.Deny || d.Reason == "" {
				t.Errorf("%s on %s after the stops: %s %s, want a Deny", c.ID, ch, d.Verdict, d.Reason)
			}
		}
	}
}

func TestErasureLeavesASuppressionThatComesBack(t *testing.T) {
	kr := testKeyring(t)
	s, pool := newStore(t, kr)
	pol := defaultPolicy(t)
	ctx := context.Background()
	c := person(7)
	if err := c.Records.Append(grant("g-1", c, consent.Email, t0), stop("o-1", consent.Objection, consent.Email, t0.Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	put(t, s, c)
	e, err := s.Erase(ctx, c.ID, nil, t0.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Suppressions) == 0 {
		t.Fatal("erasure made no suppression")
	}
	var contacts, events, sups int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM contacts), (SELECT count(*) FROM consent_events),
		(SELECT count(*) FROM suppressions)`).Scan(&contacts, &events, &sups); err != nil {
		t.Fatal(err)
	}
	if contacts != 0 || events != 0 || sups != len(e.Suppressions) {
		t.Errorf("after erasure: %d contacts, %d events, %d suppressions; want 0, 0, %d", contacts, events, sups, len(e.Suppressions))
	}
	// No address is stored in the clear.
	var leaked bool
	if err := pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM suppressions s WHERE s::text LIKE '%example.com%' OR s::text LIKE '%+33%')`).Scan(&leaked); err != nil {
		t.Fatal(err)
	}
	if leaked {
		t.Error("a suppression holds an address")
	}

	// The same person comes back in a later import, with a fresh grant
	// from before the import: the suppression becomes an objection dated at
	// the import, which the old grant cannot lift.
	back := person(7)
	back.ID = "c-reimported"
	back.Email = address.MustParseEmail("Personne.7@EXAMPLE.com") // another spelling of the same address
	if err := s.Record(ctx, back.ID, grant("g-old", back, consent.Email, t0.Add(3*time.Hour))); err != nil {
		t.Fatal(err)
	}
	matched, err := s.PutContact(ctx, back)
	if err != nil {
		t.Fatal(err)
	}
	if matched == 0 {
		t.Fatal("the erased address came back and matched no suppression")
	}
	again, err := s.PutContact(ctx, back) // a profile update with the same addresses matches nothing again
	if err != nil || again != 0 {
		t.Errorf("second PutContact: matched %d, %v; want 0, nil", again, err)
	}
	d, err := s.Decide(ctx, pol, back.ID, message(consent.Email, time.Now().Add(time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	if d.Verdict != eligibility.Deny {
		t.Errorf("re-imported contact: %s %s, want Deny from the suppression's objection", d.Verdict, d.Reason)
	}
}

// TestAudienceFromCursor streams more contacts than one cursor fetch from
// the database into DecideAll, and compares the results with deciding the
// same audience in memory.
func TestAudienceFromCursor(t *testing.T) {
	s, pool := newStore(t, nil)
	pol := defaultPolicy(t)
	ctx := context.Background()
	const n = 2*AudienceBatch + 137
	people := make([]*consent.Contact, n)
	for i := range people {
		c := person(i)
		switch i % 4 {
		case 0: // no basis
		case 1:
			_ = c.Records.Append(grant("g", c, consent.Email, t0))
		case 2:
			_ = c.Records.Append(grant("g", c, consent.Email, t0), stop("w", consent.Withdrawn, consent.Email, t0.Add(time.Hour)))
		case 3:
			c.Relationship.Purchases = []consent.Interaction{{ID: "order", At: t0, Seller: shop, Category: "kettles",
				Collected: []address.Address{c.Email}, OptOutOffered: true}}
		}
		people[i] = c
	}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := w; i < n; i += 8 {
				put(t, s, people[i])
			}
		})
	}
	wg.Wait()
	// A stored profile the library refuses is decided as a Deny with an
	// error naming it, never skipped.
	if _, err := pool.Exec(ctx, `INSERT INTO contacts (id, country, profile) VALUES ('c-broken', 'FR', '{"id": "c-broken", "kind": "alien"}')`); err != nil {
		t.Fatal(err)
	}
	msg := message(consent.Email, t0.Add(24*time.Hour))
	msg.Purpose = consent.MarketingSimilar
	msg.Category = "kettles"

	type key struct {
		ID      string
		Verdict eligibility.Verdict
		Reason  string
	}
	var fromDB []key
	reqs, failed := s.Audience(ctx, msg, "")
	var broken error
	for res := range pol.DecideAll(ctx, reqs) {
		if res.Err != nil {
			if res.Request.Contact.ID != "c-broken" || res.Decision.Verdict != eligibility.Deny {
				t.Errorf("%s: %s %v", res.Request.Contact.ID, res.Decision.Verdict, res.Err)
			}
			broken = res.Err
			continue
		}
		fromDB = append(fromDB, key{res.Request.Contact.ID, res.Decision.Verdict, string(res.Decision.Reason)})
	}
	if err := failed(); err != nil {
		t.Fatal(err)
	}
	if broken == nil {
		t.Error("the broken contact was not decided as an error")
	}
	inMemory := func(yield func(eligibility.Request) bool) {
		for _, c := range people {
			if !yield(eligibility.Request{Contact: c, Message: msg}) {
				return
			}
		}
	}
	var want []key
	counts := map[eligibility.Verdict]int{}
	for res := range pol.DecideAll(ctx, inMemory) {
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		want = append(want, key{res.Request.Contact.ID, res.Decision.Verdict, string(res.Decision.Reason)})
		counts[res.Decision.Verdict]++
	}
	if diff := cmp.Diff(want, fromDB); diff != "" {
		t.Errorf("decisions from the cursor differ from those in memory (-memory +cursor):\n%s", diff)
	}
	if counts[eligibility.Allow] == 0 || counts[eligibility.Deny] == 0 {
		t.Errorf("verdicts %v: the audience should hold both allowed and denied contacts", counts)
	}

	// A condition narrows the audience; stopping early stops the cursor.
	reqs, failed = s.Audience(ctx, msg, "c.id < $1 AND c.country = $2", "c-00010", "FR")
	got := 0
	for range reqs {
		got++
	}
	if err := failed(); err != nil || got != 10 {
		t.Errorf("narrowed audience: %d contacts, %v; want 10", got, err)
	}
	reqs, failed = s.Audience(ctx, msg, "")
	for range reqs {
		break
	}
	if err := failed(); err != nil {
		t.Errorf("audience stopped early: %v", err)
	}
}

// TestApplicationRoleCannotBypassTheLedger runs as a role set up as the
// schema's comment advises (SELECT and INSERT on the tables, EXECUTE on
// sendright_erase): it records events and erases through the function,
// but cannot delete an event even with the erasure setting, nor disable
// a trigger.
func TestApplicationRoleCannotBypassTheLedger(t *testing.T) {
	s, pool := newStore(t, testKeyring(t))
	ctx := context.Background()
	var schema string
	if err := pool.QueryRow(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		t.Fatal(err)
	}
	role := schema + "_app"
	if _, err := pool.Exec(ctx, fmt.Sprintf(`CREATE ROLE %[1]s NOLOGIN;
		GRANT USAGE ON SCHEMA %[2]s TO %[1]s;
		GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA %[2]s TO %[1]s;
		GRANT EXECUTE ON FUNCTION %[2]s.sendright_erase(text) TO %[1]s`, role, schema)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := pool.Exec(context.Background(), fmt.Sprintf("DROP OWNED BY %[1]s; DROP ROLE %[1]s", role)); err != nil {
			t.Error(err)
		}
	})
	c := person(3)
	put(t, s, c)
	// as runs f in a transaction under the application's role.
	as := func(f func(pgx.Tx) error) error {
		tx, err := pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = tx.Rollback(ctx) }()
		if _, err := tx.Exec(ctx, "SET LOCAL ROLE "+role); err != nil {
			t.Fatal(err)
		}
		if err := f(tx); err != nil {
			return err
		}
		return tx.Commit(ctx)
	}
	exec := func(sql string, args ...any) func(pgx.Tx) error {
		return func(tx pgx.Tx) error { _, err := tx.Exec(ctx, sql, args...); return err }
	}
	if err := as(func(tx pgx.Tx) error {
		return insertRecord(ctx, tx, c.ID, stop("w-1", consent.Withdrawn, consent.Email, t0))
	}); err != nil {
		t.Fatalf("the application's role cannot record a withdrawal: %v", err)
	}
	for _, f := range []struct {
		what string
		f    func(pgx.Tx) error
		code string
	}{
		{"DELETE with the erasure setting", func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SELECT set_config('sendright.erasing', $1, true)`, c.ID); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `DELETE FROM consent_events WHERE contact_id = $1`, c.ID)
			return err
		}, "42501"},
		{"UPDATE", exec(`UPDATE consent_events SET status = 'granted'`), "42501"},
		{"TRUNCATE", exec(`TRUNCATE consent_events`), "42501"},
		{"DISABLE TRIGGER", exec(`ALTER TABLE consent_events DISABLE TRIGGER ALL`), "42501"},
		{"DROP TRIGGER", exec(`DROP TRIGGER consent_events_append_only ON consent_events`), "42501"},
	} {
		if code := sqlState(as(f.f)); code != f.code {
			t.Errorf("%s as the application's role: SQLSTATE %q, want %s", f.what, code, f.code)
		}
	}
	if err := as(exec(`SELECT sendright_erase($1)`, c.ID)); err != nil {
		t.Fatalf("the application's role cannot erase through sendright_erase: %v", err)
	}
	var left int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM consent_events WHERE contact_id = $1", c.ID).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d events left after sendright_erase", left)
	}
}

// TestErasureDuringWritesLosesNoStop erases a contact while writers record
// withdrawals and objections for it: every stop is either still stored
// (it arrived after the erasure's snapshot) or in the erasure's retained
// ledger (it was read and erased, and its sender is suppressed), never
// neither.
func TestErasureDuringWritesLosesNoStop(t *testing.T) {
	s, pool := newStore(t, testKeyring(t))
	ctx := context.Background()
	c := person(9)
	if err := c.Records.Append(grant("g-0", c, consent.Email, t0)); err != nil {
		t.Fatal(err)
	}
	put(t, s, c)
	const writers, each = 8, 40
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		written []string
		half    = make(chan struct{})
		once    sync.Once
	)
	for w := range writers {
		wg.Go(func() {
			for k := range each {
				status := []consent.Status{consent.Withdrawn, consent.Objection}[k%2]
				id := fmt.Sprintf("s-%02d-%02d", w, k)
				if err := s.Record(ctx, c.ID, stop(id, status, consent.Email, t0.Add(time.Duration(k)*time.Minute))); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				written = append(written, id)
				if len(written) == writers*each/2 {
					once.Do(func() { close(half) })
				}
				mu.Unlock()
			}
		})
	}
	<-half
	e, err := s.Erase(ctx, c.ID, func(r consent.Record) bool { return r.Status != consent.Granted }, t0.Add(time.Hour))
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Suppressions) == 0 {
		t.Error("the erasure made no suppression")
	}
	rows, err := pool.Query(ctx, "SELECT id FROM consent_events WHERE contact_id = $1 AND status <> 'granted'", c.ID)
	if err != nil {
		t.Fatal(err)
	}
	kept, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	erased := 0
	seen := map[string]int{}
	for _, id := range kept {
		seen[id]++
	}
	for r := range e.Ledger.All() {
		if r.Status != consent.Granted {
			seen[r.ID]++
			erased++
		}
	}
	for _, id := range written {
		if seen[id] != 1 {
			t.Errorf("stop %s: found %d times among the stored and the erased, want once", id, seen[id])
		}
	}
	if len(seen) != len(written) {
		t.Errorf("%d distinct stops stored or erased, %d written", len(seen), len(written))
	}
	t.Logf("%d stops erased with the contact, %d stored after its erasure", erased, len(kept))
	if erased == 0 {
		t.Error("the erasure ran before any stop was written: the test proves nothing")
	}
}
