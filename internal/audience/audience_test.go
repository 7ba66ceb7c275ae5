package audience_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/internal/audience"
	"github.com/sendright/sendright/rules"
)

// The same seed gives the same requests; another seed gives others.
func TestDeterministic(t *testing.T) {
	fr := address.MustCountry("FR")
	opts := []cmp.Option{cmpopts.EquateComparable(address.Country{}), cmp.AllowUnexported(consent.Ledger{}),
		cmp.Comparer(func(a, b *time.Location) bool { return a.String() == b.String() })}
	a := audience.New(1, fr, consent.Email, audience.DefaultMix()).Requests(200)
	b := audience.New(1, fr, consent.Email, audience.DefaultMix()).Requests(200)
	if diff := cmp.Diff(a, b, opts...); diff != "" {
		t.Errorf("two generators with one seed differ:\n%s", diff)
	}
	c := audience.New(2, fr, consent.Email, audience.DefaultMix()).Requests(200)
	if cmp.Equal(a, c, opts...) {
		t.Error("two seeds gave the same audience")
	}
	r1 := audience.NewRandom(3, fr, time.UTC, consent.Email).Requests(100)
	r2 := audience.NewRandom(3, fr, time.UTC, consent.Email).Requests(100)
	if diff := cmp.Diff(r1, r2, opts...); diff != "" {
		t.Errorf("two random generators with one seed differ:\n%s", diff)
	}
}

// Every generated request is valid, and the default mix decides as its
// documented proportions say, within sampling error.
func TestDefaultMixProportions(t *testing.T) {
	p, err := eligibility.Default()
	if err != nil {
		t.Fatal(err)
	}
	ev := p
	const n = 20_000
	bases := map[rules.Basis]int{}
	for _, req := range audience.New(4, address.MustCountry("FR"), consent.Email, audience.DefaultMix()).Requests(n) {
		d, err := ev.Decide(req)
		if err != nil {
			t.Fatalf("generated request is invalid: %v", err)
		}
		bases[d.Basis]++
	}
	near := func(name string, got, wantPct int) {
		if w := n * wantPct / 100; got < w*85/100 || got > w*115/100 {
			t.Errorf("%s: %d of %d, want about %d %%", name, got, n, wantPct)
		}
	}
	near("consent", bases[rules.Consent], 35)
	near("soft opt-in", bases[rules.SoftOptIn], 20)
	near("b2b opt-out", bases[rules.B2BOptOut], 10)
	near("generic", bases[rules.NotPersonalData], 10)
	near("denied", bases[rules.NoLegalBasis], 25)
}

func ExampleNew() {
	gen := audience.New(1, address.MustCountry("FR"), consent.SMS, audience.DefaultMix())
	req := gen.Next()
	fmt.Println(req.Contact.Country, req.Channel, req.Sender.Entity)
	// Output: FR sms Maison Exemple SAS
}

// Random messages carry every content marker, each about a quarter of the
// time, and no marker about (3/4)³ ≈ 42 % of the time.
func TestRandomContentMarkers(t *testing.T) {
	const n = 20_000
	reqs := audience.NewRandom(5, address.MustCountry("FR"), time.UTC, consent.Email, consent.SMS).Requests(n)
	none := 0
	has := map[consent.Content]int{}
	for _, req := range reqs {
		if req.Content == 0 {
			none++
		}
		for _, m := range []consent.Content{consent.PromotionalBody, consent.PromotionalSubject, consent.RatingRequest} {
			if req.Content.Has(m) {
				has[m]++
			}
		}
	}
	if none < n*38/100 || none > n*46/100 {
		t.Errorf("%d of %d messages carry no marker, want about 42 %%", none, n)
	}
	for _, m := range []consent.Content{consent.PromotionalBody, consent.PromotionalSubject, consent.RatingRequest} {
		if got := has[m]; got < n*22/100 || got > n*28/100 {
			t.Errorf("marker %v on %d of %d messages, want about 25 %%", m, got, n)
		}
	}
}
