package main

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
)

// BenchmarkAudience streams a stored audience of 5,000 contacts (a third
// with a grant, a third with a grant and a withdrawal, a third customers)
// from the cursor into DecideAll, and reports contacts per second beside
// deciding the same audience in memory.
//
//	examples/postgres/testdb.sh go test -run '^$' -bench Audience -benchtime 5x
func BenchmarkAudience(b *testing.B) {
	s, _ := newStoreTB(b, nil)
	pol, err := eligibility.Default()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	const n = 5000
	people := make([]*consent.Contact, n)
	for i := range people {
		c := person(i)
		switch i % 3 {
		case 0:
			_ = c.Records.Append(grant("g", c, consent.Email, t0))
		case 1:
			_ = c.Records.Append(grant("g", c, consent.Email, t0), stop("w", consent.Withdrawn, consent.Email, t0.Add(time.Hour)))
		case 2:
			c.Relationship.Purchases = []consent.Interaction{{ID: "order", At: t0, Seller: shop, Category: "kettles",
				Collected: []address.Address{c.Email}, OptOutOffered: true}}
		}
		people[i] = c
	}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := w; i < n; i += 8 {
				if err := store(s, people[i]); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	msg := message(consent.Email, t0.Add(24*time.Hour))
	b.Run("cursor", func(b *testing.B) {
		for b.Loop() {
			reqs, failed := s.Audience(ctx, msg, "")
			got := 0
			for res := range pol.DecideAll(ctx, reqs) {
				if res.Err != nil {
					b.Fatal(res.Err)
				}
				got++
			}
			if err := failed(); err != nil || got != n {
				b.Fatalf("%d contacts, %v", got, err)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "contacts/s")
	})
	b.Run("memory", func(b *testing.B) {
		for b.Loop() {
			got := 0
			for res := range pol.DecideAll(ctx, func(yield func(eligibility.Request) bool) {
				for _, c := range people {
					if !yield(eligibility.Request{Contact: c, Message: msg}) {
						return
					}
				}
			}) {
				if res.Err != nil {
					b.Fatal(res.Err)
				}
				got++
			}
			if got != n {
				b.Fatalf("%d contacts", got)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "contacts/s")
	})
}
