package eligibility_test

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/internal/audience"
)

func TestDecideAllMatchesDecideInOrder(t *testing.T) {
	ev := randomPolicy(t)
	reqs := audience.NewRandom(3, address.MustCountry("FR"), paris, consent.Email, consent.SMS).Requests(5000)
	reqs[17].At = time.Time{} // a malformed request keeps its place and its error
	i := 0
	for res := range ev.DecideAll(t.Context(), slices.Values(reqs)) {
		if i >= len(reqs) {
			t.Fatalf("more results than requests")
		}
		want, wantErr := ev.Decide(reqs[i])
		if res.Request.Contact != reqs[i].Contact {
			t.Fatalf("result %d is for another request", i)
		}
		if diff := cmp.Diff(want, res.Decision, cmp.AllowUnexported(eligibility.Obligations{})); diff != "" {
			t.Fatalf("result %d differs from Decide (-Decide +DecideAll):\n%s", i, diff)
		}
		if (wantErr == nil) != (res.Err == nil) {
			t.Fatalf("result %d: err %v, Decide gave %v", i, res.Err, wantErr)
		}
		i++
	}
	if i != len(reqs) {
		t.Errorf("DecideAll yielded %d results for %d requests", i, len(reqs))
	}
}

func TestDecideAllEmptyAndEarlyStop(t *testing.T) {
	ev := evaluator(t)
	for range ev.DecideAll(t.Context(), slices.Values([]eligibility.Request(nil))) {
		t.Fatal("a result for an empty audience")
	}
	gen := audience.New(5, address.MustCountry("FR"), consent.Email, audience.DefaultMix())
	endless := func(yield func(eligibility.Request) bool) {
		for yield(gen.Next()) {
		}
	}
	n := 0
	for range ev.DecideAll(t.Context(), endless) {
		n++
		if n == 3000 {
			break
		}
	}
	if n != 3000 {
		t.Errorf("got %d results, want 3000", n)
	}
}

func TestDecideAllCancellation(t *testing.T) {
	ev := evaluator(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	gen := audience.New(6, address.MustCountry("FR"), consent.SMS, audience.DefaultMix())
	endless := func(yield func(eligibility.Request) bool) {
		for yield(gen.Next()) {
		}
	}
	var last eligibility.Result
	n := 0
	for res := range ev.DecideAll(ctx, endless) {
		n++
		last = res
		if n == 2000 {
			cancel()
		}
		if n > 1_000_000 {
			t.Fatal("DecideAll did not stop after cancellation")
		}
	}
	if !errors.Is(last.Err, context.Canceled) || last.Decision.Verdict != eligibility.Deny ||
		last.Decision.Reason != eligibility.ReasonCancelled {
		t.Errorf("last result = %+v, %v; want a Deny CANCELLED with context.Canceled", last.Decision, last.Err)
	}
}

// However a DecideAll run ends (the source exhausted, the consumer
// stopping, the context cancelled), its workers are gone once the range
// loop returns.
func TestDecideAllLeavesNoWorkers(t *testing.T) {
	ev := evaluator(t)
	reqs := audience.New(7, address.MustCountry("FR"), consent.Email, audience.DefaultMix()).Requests(3000)
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	for _, tc := range []struct {
		name    string
		ctx     context.Context
		stopAt  int // break after this many results; 0 never
		want    int // results yielded
		lastErr error
	}{
		{name: "exhausted", ctx: t.Context(), want: 3000},
		{name: "consumer stops", ctx: t.Context(), stopAt: 700, want: 700},
		{name: "cancelled", ctx: cancelled, want: 1, lastErr: context.Canceled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := runtime.NumGoroutine()
			n := 0
			var last eligibility.Result
			for res := range ev.DecideAll(tc.ctx, slices.Values(reqs)) {
				n++
				last = res
				if n == tc.stopAt {
					break
				}
			}
			if n != tc.want || !errors.Is(last.Err, tc.lastErr) {
				t.Errorf("%d results, last error %v; want %d, %v", n, last.Err, tc.want, tc.lastErr)
			}
			// A worker may still be returning from its function after
			// signalling the wait group; give it a moment.
			for i := 0; runtime.NumGoroutine() > base && i < 100; i++ {
				time.Sleep(time.Millisecond)
			}
			if got := runtime.NumGoroutine(); got > base {
				t.Errorf("%d goroutines after the run, %d before", got, base)
			}
		})
	}
}

// BenchmarkDecideAll decides a synthetic French audience on every core and
// reports decisions per second, in total and per core.
func BenchmarkDecideAll(b *testing.B) {
	ev := evaluator(b)
	reqs := audience.New(2, address.MustCountry("FR"), consent.Email, audience.DefaultMix()).Requests(8192)
	b.ReportAllocs()
	start := time.Now()
	n := 0
	for res := range ev.DecideAll(b.Context(), cycle(reqs, b.N)) {
		if res.Err != nil {
			b.Fatal(res.Err)
		}
		n++
	}
	secs := time.Since(start).Seconds()
	b.ReportMetric(float64(n)/secs, "decisions/s")
	b.ReportMetric(float64(n)/secs/float64(runtime.GOMAXPROCS(0)), "decisions/s/core")
}

// cycle yields n requests, going round reqs.
func cycle(reqs []eligibility.Request, n int) iter.Seq[eligibility.Request] {
	return func(yield func(eligibility.Request) bool) {
		for i := range n {
			if !yield(reqs[i%len(reqs)]) {
				return
			}
		}
	}
}

// BenchmarkDecideAllHeap streams audiences of growing size, generated on
// the fly, through DecideAll and reports the peak live heap: it must stay
// flat from 100 k to 10 M contacts.
//
//	go test -run '^$' -bench DecideAllHeap -benchtime 1x ./eligibility
func BenchmarkDecideAllHeap(b *testing.B) {
	for _, size := range []struct {
		name string
		n    int
	}{{"100k", 100_000}, {"1M", 1_000_000}, {"10M", 10_000_000}} {
		b.Run(size.name, func(b *testing.B) {
			ev := evaluator(b)
			var peak uint64
			for b.Loop() {
				gen := audience.New(9, address.MustCountry("FR"), consent.Email, audience.DefaultMix())
				audienceSeq := func(yield func(eligibility.Request) bool) {
					for range size.n {
						if !yield(gen.Next()) {
							return
						}
					}
				}
				runtime.GC()
				var ms runtime.MemStats
				i := 0
				for range ev.DecideAll(b.Context(), audienceSeq) {
					if i++; i%65536 == 0 {
						runtime.ReadMemStats(&ms)
						peak = max(peak, ms.HeapAlloc)
					}
				}
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}

// A slow source is not held back until a batch of 512 fills: each result
// comes back within a few requests of its own.
func TestDecideAllSlowSource(t *testing.T) {
	ev := evaluator(t)
	reqs := audience.New(8, address.MustCountry("FR"), consent.Email, audience.DefaultMix()).Requests(30)
	produced := 0
	slow := func(yield func(eligibility.Request) bool) {
		for _, r := range reqs {
			produced++
			if !yield(r) {
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	// A pipeline that waited for a full batch would yield nothing until
	// the source ends. The allowed lag is generous (eight reads, 160 ms of
	// the source's time for a decision that takes microseconds), so that a
	// loaded machine's scheduling cannot fail the test; the broken
	// behaviour lags by the whole audience.
	const lag = 8
	got := 0
	for res := range ev.DecideAll(t.Context(), slow) {
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		if produced > got+lag {
			t.Errorf("result %d arrived only after request %d was read", got, produced-1)
		}
		got++
	}
	if got != len(reqs) {
		t.Errorf("got %d results, want %d", got, len(reqs))
	}
}

// The last result of a cancelled batch can be serialised like any other.
func TestDecideAllCancelledResultMarshals(t *testing.T) {
	ev := evaluator(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var last eligibility.Result
	for res := range ev.DecideAll(ctx, slices.Values(audience.New(9, address.MustCountry("FR"), consent.Email, audience.DefaultMix()).Requests(3))) {
		last = res
	}
	if last.Decision.Reason != eligibility.ReasonCancelled || last.Decision.PolicyVersion == "" {
		t.Fatalf("last result = %+v", last.Decision)
	}
	if _, err := json.Marshal(last.Decision); err != nil {
		t.Errorf("json.Marshal(cancelled decision) = %v", err)
	}
}
