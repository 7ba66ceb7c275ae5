package main

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/consent/rights"
	"github.com/sendright/sendright/eligibility"
)

// schemaSQL is the reference schema (schema.sql): contacts, append-only
// consent and relationship events, suppressions, and the triggers that
// refuse to change or delete an event. Every statement is idempotent.
//
//go:embed schema.sql
var schemaSQL string

// Store keeps contacts, their consent ledgers, their relationship events and
// the suppression list in PostgreSQL. It is safe for concurrent use: every
// write is one statement or one transaction, and no write ever changes a
// stored event.
type Store struct {
	pool *pgxpool.Pool
	// keyring digests addresses for the suppression list; nil: suppressions
	// are neither matched nor made.
	keyring *rights.Keyring
}

// NewStore returns a store over pool. kr is the host's keyring for
// suppression digests (see rights.Keyring); it may be nil when the host
// keeps no suppression list.
func NewStore(pool *pgxpool.Pool, kr *rights.Keyring) *Store {
	return &Store{pool: pool, keyring: kr}
}

// Migrate applies the reference schema, schema.sql (embedded).
func (s *Store) Migrate(ctx context.Context) error {
	_, err := s.pool.Exec(ctx, schemaSQL)
	return err
}

// SuppressionSourcePrefix starts the id of the objection a matched
// suppression becomes when its address comes back (see [Store.PutContact]).
const SuppressionSourcePrefix = "suppression:"

// PutContact stores the profile of c: everything but its records and its
// relationship, which are events ([Store.Record], [Store.RecordInteraction],
// [Store.RecordContract]; PutContact ignores c.Records and
// c.Relationship). It returns how many suppressions matched.
//
// When the contact is new, or one of its addresses changed, its addresses
// are looked up in the suppression list (by keyed digest, under every key
// version of the store's keyring), in the same transaction, and each match
// is recorded as an objection ([rights.Suppression.Objection]) dated now:
// a person who objected and was erased is not marketed to when their
// address comes back in a later import.
func (s *Store) PutContact(ctx context.Context, c *consent.Contact) (matched int, err error) {
	if c == nil {
		return 0, errors.New("postgres: nil contact")
	}
	if err := c.Check(); err != nil {
		return 0, err
	}
	profile := *c
	profile.Records = consent.Ledger{}
	profile.Relationship = consent.Relationship{}
	doc, err := json.Marshal(profile)
	if err != nil {
		return 0, err
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer func() { _ = tx.Rollback(ctx) }()
	// changed is true for a new contact or new addresses: xmax is 0 on a
	// row this statement inserted.
	var changed bool
	err = tx.QueryRow(ctx, `
		WITH old AS (SELECT email_key, phone_key, profile FROM contacts WHERE id = $1)
		INSERT INTO contacts (id, country, email_key, phone_key, profile) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (id) DO UPDATE SET country = EXCLUDED.country, email_key = EXCLUDED.email_key,
			phone_key = EXCLUDED.phone_key, profile = EXCLUDED.profile, updated_at = clock_timestamp()
		RETURNING NOT EXISTS (SELECT 1 FROM old WHERE old.email_key IS NOT DISTINCT FROM $3
			AND old.phone_key IS NOT DISTINCT FROM $4
			AND old.profile->'push' IS NOT DISTINCT FROM $5::jsonb->'push'
			AND old.profile->'postal' IS NOT DISTINCT FROM $5::jsonb->'postal')`,
		c.ID, c.Country.String(), nullKey(c.Email), nullKey(c.Phone), string(doc)).Scan(&changed)
	if err != nil {
		return 0, fmt.Errorf("postgres: storing contact %q: %w", c.ID, err)
	}
	if changed && s.keyring != nil {
		if matched, err = s.matchSuppressions(ctx, tx, c); err != nil {
			return 0, err
		}
	}
	return matched, tx.Commit(ctx)
}

func nullKey(a address.Address) *string {
	if a.IsZero() {
		return nil
	}
	k := a.Key()
	return &k
}

// matchSuppressions records an objection for every suppression matching one
// of c's addresses.
func (s *Store) matchSuppressions(ctx context.Context, tx pgx.Tx, c *consent.Contact) (int, error) {
	addrs := []address.Address{c.Email, c.Phone, c.Push, c.Postal}
	var digests []string
	for _, a := range addrs {
		if a.IsZero() {
			continue
		}
		for _, v := range s.keyring.Versions() {
			d, err := s.keyring.Digest(v, a)
			if err != nil {
				return 0, err
			}
			digests = append(digests, d)
		}
	}
	if len(digests) == 0 {
		return 0, nil
	}
	rows, err := tx.Query(ctx, `SELECT key_version, hmac, kind, sender, purpose, channel, at
		FROM suppressions WHERE hmac = ANY($1) ORDER BY at, sender, key_version`, digests)
	if err != nil {
		return 0, err
	}
	list, err := pgx.CollectRows(rows, scanSuppression)
	if err != nil {
		return 0, err
	}
	now := time.Now().UTC()
	n := 0
	for _, a := range addrs {
		if a.IsZero() {
			continue
		}
		// The library decides what matches (kind, key version); the
		// query only narrowed the list down by digest.
		for _, sup := range rights.SuppressionList(list).MatchAll(a, s.keyring) {
			id := SuppressionSourcePrefix + strconv.FormatUint(uint64(sup.KeyVersion), 10) + ":" + sup.HMAC[:16] + ":" + consent.EntityKey(sup.Sender)
			if err := insertRecord(ctx, tx, c.ID, sup.Objection(id, now)); err != nil {
				return 0, err
			}
			n++
		}
	}
	return n, nil
}

func scanSuppression(row pgx.CollectableRow) (rights.Suppression, error) {
	var (
		sup                            rights.Suppression
		version                        int64
		kind, sender, purpose, channel string
		at                             time.Time
	)
	if err := row.Scan(&version, &sup.HMAC, &kind, &sender, &purpose, &channel, &at); err != nil {
		return sup, err
	}
	// Decoded through the library's JSON form, so that it is validated
	// like any other suppression.
	doc, err := json.Marshal(map[string]any{"key_version": version, "hmac": sup.HMAC, "kind": kind,
		"sender": sender, "purpose": purpose, "channel": channel, "at": at})
	if err != nil {
		return sup, err
	}
	err = json.Unmarshal(doc, &sup)
	return sup, err
}

// Record appends a grant, a withdrawal or an objection to the ledger of the
// contact contactID. The record is validated first (consent.Record.Check);
// recording the same record twice stores it once. A stop is stored even
// when the contact has no profile yet.
func (s *Store) Record(ctx context.Context, contactID string, r consent.Record) error {
	return insertRecord(ctx, s.pool, contactID, r)
}

// execer is a pool, a connection or a transaction.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

func insertRecord(ctx context.Context, db execer, contactID string, r consent.Record) error {
	if contactID == "" {
		return errors.New("postgres: record without a contact id")
	}
	if err := r.Check(); err != nil {
		return err
	}
	r.At = r.At.UTC()
	if !r.ConfirmedAt.IsZero() {
		r.ConfirmedAt = r.ConfirmedAt.UTC()
	}
	doc, err := json.Marshal(r)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(doc)
	// The columns are filled from the record's own JSON form, so that the
	// table and the library name every field alike.
	_, err = db.Exec(ctx, `
		INSERT INTO consent_events (contact_id, id, status, purpose, channel, sender, at, subject, method,
			source, wording_version, proof_ref, confirmed_at, opt_out_offered, parental_consent, digest)
		SELECT $1, r.id, r.status, r.purpose, r.channel, r.sender, r.at, r.subject, r.method,
			r.source, r.wording_version, r.proof_ref, r.confirmed_at, coalesce(r.opt_out_offered, false),
			r.parental_consent, $3
		FROM jsonb_to_record($2::jsonb) AS r(id text, status text, purpose text, channel text, sender text,
			at timestamptz, subject text, method text, source text, wording_version text, proof_ref text,
			confirmed_at timestamptz, opt_out_offered boolean, parental_consent text)
		ON CONFLICT (contact_id, digest) DO NOTHING`, contactID, string(doc), sum[:])
	if err != nil {
		return fmt.Errorf("postgres: recording %s %q of contact %q: %w", r.Status, r.ID, contactID, err)
	}
	return nil
}

// Relationship event kinds, the values of relationship_events.kind.
const (
	KindPurchase = "purchase"
	KindInquiry  = "inquiry"
	KindSupport  = "support"
	KindResponse = "response"
)

// ErrEventConflict is returned when a relationship event is recorded under
// the id of a different stored event of the same contact and kind. Nothing
// is stored: events are never rewritten, and a refusal must not be dropped
// silently; record a correction as a new event, or a stop as an objection.
var ErrEventConflict = errors.New("postgres: a different relationship event is stored under this id")

// RecordInteraction appends a purchase, an inquiry, an expression of
// support or a response (kind: one of the Kind constants) to the
// relationship of the contact contactID. An event id is stored once per
// contact and kind: recording the same event again changes nothing, and a
// different event under a stored id is refused with [ErrEventConflict].
func (s *Store) RecordInteraction(ctx context.Context, contactID, kind string, in consent.Interaction) error {
	switch kind {
	case KindPurchase, KindInquiry, KindSupport, KindResponse:
	default:
		return fmt.Errorf("postgres: unknown relationship event kind %q", kind)
	}
	if in.ID == "" || in.Seller == "" || in.At.IsZero() {
		return fmt.Errorf("postgres: %s of contact %q: id, seller and instant are required", kind, contactID)
	}
	collected := make([]string, 0, len(in.Collected))
	for _, a := range in.Collected {
		collected = append(collected, a.String())
	}
	return s.insertEvent(ctx, contactID, kind, in.ID, in.At.UTC(), in.Seller, in.Category, collected,
		in.OptOutOffered, in.Refused, nil)
}

// insertEvent stores a relationship event, or finds it stored already, or
// returns ErrEventConflict, in one statement.
func (s *Store) insertEvent(ctx context.Context, contactID, kind, id string, at time.Time, seller, category string,
	collected []string, optOut, refused bool, end *time.Time) error {
	var stored bool
	err := s.pool.QueryRow(ctx, `
		WITH ins AS (
			INSERT INTO relationship_events (contact_id, kind, id, at, seller, category, collected, opt_out_offered, refused, ends_at)
			VALUES ($1, $2, $3, $4, $5, nullif($6, ''), $7, $8, $9, $10) ON CONFLICT (contact_id, kind, id) DO NOTHING
			RETURNING 1)
		SELECT EXISTS (SELECT 1 FROM ins) OR EXISTS (SELECT 1 FROM relationship_events
			WHERE contact_id = $1 AND kind = $2 AND id = $3 AND at = $4 AND seller = $5
			AND category IS NOT DISTINCT FROM nullif($6, '') AND collected IS NOT DISTINCT FROM $7
			AND opt_out_offered = $8 AND refused = $9 AND ends_at IS NOT DISTINCT FROM $10)`,
		contactID, kind, id, at, seller, category, collected, optOut, refused, end).Scan(&stored)
	switch {
	case err != nil:
		return fmt.Errorf("postgres: recording %s %q of contact %q: %w", kind, id, contactID, err)
	case !stored:
		return fmt.Errorf("%w: %s %q of contact %q", ErrEventConflict, kind, id, contactID)
	}
	return nil
}

// RecordContract appends a contract to the relationship of the contact
// contactID, stored once like [Store.RecordInteraction]'s events.
func (s *Store) RecordContract(ctx context.Context, contactID string, k consent.Contract) error {
	if k.ID == "" || k.Seller == "" || k.Start.IsZero() {
		return fmt.Errorf("postgres: contract of contact %q: id, seller and start are required", contactID)
	}
	var end *time.Time
	if !k.End.IsZero() {
		e := k.End.UTC()
		end = &e
	}
	return s.insertEvent(ctx, contactID, "contract", k.ID, k.Start.UTC(), k.Seller, k.Category, nil, false, false, end)
}

// loadSQL selects contacts with their ledgers and relationships, each as
// the library's JSON form: a profile, an array of records and a
// relationship object. Events come in the order they were stored.
const loadSQL = `
SELECT c.id, c.profile::text,
	coalesce((SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
			'id', e.id, 'subject', e.subject, 'purpose', e.purpose, 'channel', e.channel,
			'sender', e.sender, 'status', e.status, 'at', e.at, 'method', e.method, 'source', e.source,
			'wording_version', e.wording_version, 'proof_ref', e.proof_ref, 'confirmed_at', e.confirmed_at,
			'opt_out_offered', e.opt_out_offered, 'parental_consent', e.parental_consent)) ORDER BY e.seq)
		FROM consent_events e WHERE e.contact_id = c.id), '[]')::text,
	(SELECT jsonb_strip_nulls(jsonb_build_object(
			'purchases', jsonb_agg(` + interactionJSON + ` ORDER BY r.seq) FILTER (WHERE r.kind = 'purchase'),
			'inquiries', jsonb_agg(` + interactionJSON + ` ORDER BY r.seq) FILTER (WHERE r.kind = 'inquiry'),
			'support', jsonb_agg(` + interactionJSON + ` ORDER BY r.seq) FILTER (WHERE r.kind = 'support'),
			'responses', jsonb_agg(` + interactionJSON + ` ORDER BY r.seq) FILTER (WHERE r.kind = 'response'),
			'contracts', jsonb_agg(jsonb_strip_nulls(jsonb_build_object('id', r.id, 'seller', r.seller,
				'category', r.category, 'start', r.at, 'end', r.ends_at))
				ORDER BY r.seq) FILTER (WHERE r.kind = 'contract')))
		FROM relationship_events r WHERE r.contact_id = c.id)::text
FROM contacts c`

const interactionJSON = `jsonb_strip_nulls(jsonb_build_object('id', r.id, 'at', r.at, 'seller', r.seller,
	'category', r.category, 'collected', r.collected, 'opt_out_offered', r.opt_out_offered, 'refused', r.refused))`

// relationshipJSON is the relationship object loadSQL builds.
type relationshipJSON struct {
	Purchases []consent.Interaction `json:"purchases"`
	Inquiries []consent.Interaction `json:"inquiries"`
	Support   []consent.Interaction `json:"support"`
	Responses []consent.Interaction `json:"responses"`
	Contracts []consent.Contract    `json:"contracts"`
}

// scanContact builds a contact from a row of loadSQL. Every part is decoded
// by the library's strict decoders, so a stored value it would refuse is an
// error, never a silent default.
func scanContact(row pgx.Row) (*consent.Contact, error) {
	var id, profile, records string
	var rel *string
	if err := row.Scan(&id, &profile, &records, &rel); err != nil {
		return nil, err
	}
	c := new(consent.Contact)
	if err := json.Unmarshal([]byte(profile), c); err != nil {
		return &consent.Contact{ID: id}, fmt.Errorf("postgres: contact %q: profile: %w", id, err)
	}
	var recs []consent.Record
	if err := json.Unmarshal([]byte(records), &recs); err != nil {
		return &consent.Contact{ID: id}, fmt.Errorf("postgres: contact %q: consent events: %w", id, err)
	}
	// Append keeps every stop whatever else it reports: a conflict (two
	// records under one id, both kept under derived ids) is not an error
	// here, and grants refused past the ledger's limits only make the
	// decisions more conservative.
	if err := c.Records.Append(recs...); err != nil {
		var conflict *consent.ConflictError
		if !errors.As(err, &conflict) && !errors.Is(err, consent.ErrTooLarge) {
			return &consent.Contact{ID: id}, fmt.Errorf("postgres: contact %q: consent events: %w", id, err)
		}
	}
	if rel != nil {
		var r relationshipJSON
		if err := json.Unmarshal([]byte(*rel), &r); err != nil {
			return &consent.Contact{ID: id}, fmt.Errorf("postgres: contact %q: relationship events: %w", id, err)
		}
		c.Relationship = consent.Relationship{Purchases: r.Purchases, Inquiries: r.Inquiries,
			Support: r.Support, Contracts: r.Contracts, Responses: r.Responses}
	}
	if err := c.Check(); err != nil {
		return &consent.Contact{ID: id}, fmt.Errorf("postgres: contact %q: %w", id, err)
	}
	return c, nil
}

// ErrNoContact is returned by [Store.Load] for an unknown contact id.
var ErrNoContact = errors.New("postgres: no such contact")

// Load returns the contact id with its whole consent ledger and
// relationship, as stored.
func (s *Store) Load(ctx context.Context, id string) (*consent.Contact, error) {
	return load(ctx, s.pool, id)
}

// querier is a pool, a connection or a transaction.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func load(ctx context.Context, db querier, id string) (*consent.Contact, error) {
	c, err := scanContact(db.QueryRow(ctx, loadSQL+` WHERE c.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("%w: %q", ErrNoContact, id)
	}
	return c, err
}

// Decide loads the contact id and decides msg for it with pol, from what is
// stored. When the contact cannot be loaded the decision is the policy's
// Deny for a malformed request, and the error says why: a caller that
// ignores the error still does not send.
func (s *Store) Decide(ctx context.Context, pol *eligibility.Policy, id string, msg consent.Message) (eligibility.Decision, error) {
	c, err := s.Load(ctx, id)
	if err != nil {
		d, derr := pol.Decide(eligibility.Request{Message: msg})
		return d, errors.Join(err, derr)
	}
	return pol.Decide(eligibility.Request{Contact: c, Message: msg})
}

// AudienceBatch is how many contacts [Store.Audience] fetches from its
// cursor at a time.
const AudienceBatch = 500

// Audience streams every stored contact, in id order, as a request for msg,
// from a server-side cursor in a read-only REPEATABLE READ transaction: a
// consistent snapshot of the ledger, read AudienceBatch contacts at a time,
// so memory stays constant whatever the size of the audience.
//
// where, when not empty, is an SQL condition on the contacts table c, with
// its values passed as args ($1, $2, …): for example
// Audience(ctx, msg, "c.country = $1", "FR"). Only args may come from
// users; where is the program's own text.
//
// A stored contact the library refuses to decode is not skipped: it is
// yielded with only its id, so that deciding it is an error and a Deny
// naming it. The returned function reports, once the sequence is done,
// the first error of the database (connection, query, cursor), after which
// the sequence stopped early.
func (s *Store) Audience(ctx context.Context, msg consent.Message, where string, args ...any) (iter.Seq[eligibility.Request], func() error) {
	var failed error
	seq := func(yield func(eligibility.Request) bool) {
		failed = s.stream(ctx, where, args, func(c *consent.Contact) bool {
			return yield(eligibility.Request{Contact: c, Message: msg})
		})
	}
	return seq, func() error { return failed }
}

// stream feeds every contact of the cursor to yield until it returns false.
func (s *Store) stream(ctx context.Context, where string, args []any, yield func(*consent.Contact) bool) error {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	q := loadSQL
	if where != "" {
		q += " WHERE " + where
	}
	if _, err := tx.Exec(ctx, "DECLARE audience NO SCROLL CURSOR FOR "+q+" ORDER BY c.id", args...); err != nil {
		return err
	}
	fetch := "FETCH FORWARD " + strconv.Itoa(AudienceBatch) + " FROM audience"
	for {
		rows, err := tx.Query(ctx, fetch)
		if err != nil {
			return err
		}
		n := 0
		for rows.Next() {
			n++
			c, err := scanContact(rows)
			if c == nil { // the row could not be read at all
				rows.Close()
				return err
			}
			// A contact that fails to decode is yielded by id: see Audience.
			if !yield(c) {
				rows.Close()
				return nil
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if n < AudienceBatch {
			return nil
		}
	}
}

// Erase erases the contact id (GDPR art. 17) without forgetting an
// objection: it computes what to keep with rights.Erase (the suppressions,
// under the store's keyring, and a ledger of the records retain keeps),
// stores the suppressions and deletes the contact and its events in one
// transaction, through the schema's sendright_erase, the only way past the
// append-only triggers. The retained ledger is returned for the host to
// keep apart from marketing data.
func (s *Store) Erase(ctx context.Context, id string, retain func(consent.Record) bool, at time.Time) (rights.Erasure, error) {
	if s.keyring == nil {
		return rights.Erasure{}, errors.New("postgres: erasure needs a keyring, or the objection would be forgotten")
	}
	// One REPEATABLE READ transaction reads the contact and deletes exactly
	// what it read: an event stored meanwhile is invisible to it, so it is
	// neither deleted nor lost (a stop arriving during an erasure stays).
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead})
	if err != nil {
		return rights.Erasure{}, err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	c, err := load(ctx, tx, id)
	if err != nil {
		return rights.Erasure{}, err
	}
	e, err := rights.Erase(c, s.keyring, retain, at)
	if err != nil {
		return e, err
	}
	for _, sup := range e.Suppressions {
		if _, err := tx.Exec(ctx, `INSERT INTO suppressions (key_version, hmac, kind, sender, purpose, channel, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
			int64(sup.KeyVersion), sup.HMAC, sup.Kind.String(), sup.Sender, sup.Purpose.String(), sup.Channel.String(), sup.At); err != nil {
			return e, err
		}
	}
	if _, err := tx.Exec(ctx, `SELECT sendright_erase($1)`, id); err != nil {
		return e, err
	}
	return e, tx.Commit(ctx)
}
