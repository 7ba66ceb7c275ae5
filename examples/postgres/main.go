// Command postgres keeps the sendright consent ledger in PostgreSQL: it
// applies the reference schema (schema.sql), stores a few fictional
// contacts with their grants, withdrawals, objections and purchases,
// decides a message for one of them from what is stored, then streams the
// whole audience from a server-side cursor into DecideAll and prints the
// counts.
//
//	examples/postgres/testdb.sh go run . -dsn '$SENDRIGHT_PG_DSN'
//
// testdb.sh starts a private server for the run and stops it afterwards;
// against a server of your own, pass its DSN. Everything is written to the
// schema named by -schema (created when missing); running the demo again
// stores nothing twice.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"maps"
	"os"
	"slices"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
)

func main() {
	dsn := flag.String("dsn", os.Getenv("SENDRIGHT_PG_DSN"), "PostgreSQL connection string (default $SENDRIGHT_PG_DSN)")
	schema := flag.String("schema", "sendright_demo", "schema to create the tables in")
	flag.Parse()
	if *dsn == "" {
		log.Fatal("no -dsn given and SENDRIGHT_PG_DSN is not set")
	}
	if err := run(context.Background(), *dsn, *schema); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, dsn, schema string) error {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return err
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	if _, err := pool.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+quoteIdent(schema)); err != nil {
		return err
	}
	// The demo keeps no suppression list, so it needs no keyring; a host
	// that erases contacts passes its rights.Keyring here.
	store := NewStore(pool, nil)
	if err := store.Migrate(ctx); err != nil {
		return err
	}
	pol, err := eligibility.Default()
	if err != nil {
		return err
	}

	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return err
	}
	shop := consent.Sender{Entity: "Maison Exemple SAS", Kind: consent.Company}
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, paris)
	if err := seed(ctx, store, paris, shop.Entity, start); err != nil {
		return err
	}

	msg := consent.Message{Purpose: consent.MarketingGeneral, Channel: consent.Email, Sender: shop,
		At: start.Add(72 * time.Hour)}
	d, err := store.Decide(ctx, pol, "demo-000", msg)
	if err != nil {
		return err
	}
	fmt.Printf("demo-000, newsletter on %s: %s (%s, rule %s)\n", msg.At.Format(time.DateOnly), d.Verdict, d.Reason, d.Rule)

	// The ledger cannot be rewritten: the database refuses it.
	_, err = pool.Exec(ctx, "UPDATE consent_events SET status = 'granted' WHERE status = 'withdrawn'")
	fmt.Printf("rewriting a withdrawal: %v\n", err)

	reqs, failed := store.Audience(ctx, msg, "")
	counts := map[string]int{}
	total := 0
	for res := range pol.DecideAll(ctx, reqs) {
		total++
		key := res.Decision.Verdict.String() + " " + string(res.Decision.Reason)
		if res.Err != nil {
			key = "error " + res.Err.Error()
		}
		counts[key]++
	}
	if err := failed(); err != nil {
		return err
	}
	fmt.Printf("audience of %d contacts, newsletter on %s:\n", total, msg.At.Format(time.DateOnly))
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		fmt.Printf("  %4d  %s\n", counts[k], k)
	}
	return nil
}

// seed stores 40 fictional contacts: every other one subscribed to the
// newsletter, every fifth one unsubscribed two days later, every third one
// a customer.
func seed(ctx context.Context, store *Store, paris *time.Location, shop string, start time.Time) error {
	for i := range 40 {
		c := &consent.Contact{ID: fmt.Sprintf("demo-%03d", i), Kind: consent.Consumer, Country: address.MustCountry("FR"),
			Location: paris, Email: address.MustParseEmail(fmt.Sprintf("client.%d@example.com", i))}
		if _, err := store.PutContact(ctx, c); err != nil {
			return err
		}
		if i%2 == 0 {
			if err := store.Record(ctx, c.ID, consent.Record{ID: "signup", Subject: c.Email, Purpose: consent.MarketingGeneral,
				Channel: consent.Email, Sender: shop, Status: consent.Granted, At: start, Method: consent.DoubleOptIn,
				ConfirmedAt: start.Add(5 * time.Minute), Source: "https://shop.example/newsletter"}); err != nil {
				return err
			}
		}
		if i%5 == 0 {
			if err := store.Record(ctx, c.ID, consent.Record{ID: "unsubscribe", Purpose: consent.AllMarketing,
				Channel: consent.Email, Sender: shop, Status: consent.Withdrawn, At: start.Add(48 * time.Hour),
				Source: "List-Unsubscribe"}); err != nil {
				return err
			}
		}
		if i%3 == 0 {
			if err := store.RecordInteraction(ctx, c.ID, KindPurchase, consent.Interaction{ID: "order-" + c.ID,
				At: start.Add(-30 * 24 * time.Hour), Seller: shop, Category: "kettles",
				Collected: []address.Address{c.Email}, OptOutOffered: true}); err != nil {
				return err
			}
		}
	}
	return nil
}

// quoteIdent quotes a PostgreSQL identifier.
func quoteIdent(s string) string {
	out := []byte{'"'}
	for i := range len(s) {
		if s[i] == '"' {
			out = append(out, '"')
		}
		out = append(out, s[i])
	}
	return string(append(out, '"'))
}
