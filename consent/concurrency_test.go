package consent_test

import (
	"sync"
	"testing"
	"time"

	"github.com/sendright/sendright/consent"
)

// TestLedgerConcurrentReads checks the documented contract: many goroutines
// may read one ledger (State, All, Len, JSON) at once while none writes; a
// writer works on a Clone. Run with -race.
func TestLedgerConcurrentReads(t *testing.T) {
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	l, err := consent.NewLedger(
		consent.Record{ID: "g", Subject: addr("lea@example.com"), Purpose: consent.MarketingGeneral, Channel: consent.Email,
			Sender: "E", Status: consent.Granted, At: base, Method: consent.UntickedCheckbox},
		consent.Record{ID: "w", Purpose: consent.MarketingGeneral, Channel: consent.Email, Sender: "E",
			Status: consent.Withdrawn, At: base.AddDate(0, 6, 0)},
	)
	if err != nil {
		t.Fatal(err)
	}
	q := consent.Query{Purpose: consent.MarketingGeneral, Channel: consent.Email, Sender: "E", Address: addr("lea@example.com")}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				q := q
				q.At = base.AddDate(0, (g+i)%12, 0)
				s := l.State(q)
				if want := q.At.Before(base.AddDate(0, 6, 0)); s.Consented() != want {
					t.Errorf("State at %v: consented %v, want %v", q.At, s.Consented(), want)
					return
				}
				n := 0
				for range l.All() {
					n++
				}
				if n != l.Len() {
					t.Errorf("All yielded %d records, Len %d", n, l.Len())
					return
				}
				if _, err := l.MarshalJSON(); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	// A writer appends to its own copy, never to the shared ledger.
	wg.Go(func() {
		c := l.Clone()
		for i := range 200 {
			if err := c.Append(consent.Record{ID: "o" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Purpose: consent.AllMarketing,
				Channel: consent.AllChannels, Sender: "E", Status: consent.Objection, At: base.AddDate(1, 0, i)}); err != nil {
				t.Error(err)
				return
			}
		}
	})
	wg.Wait()
	if l.Len() != 2 {
		t.Errorf("the shared ledger changed: %d records", l.Len())
	}
}
