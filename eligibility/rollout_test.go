package eligibility_test

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
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

// withoutRule compiles the built-in sets less the rule id: a candidate
// policy that differs from the built-in one by a single rule.
func withoutRule(id string) (*eligibility.Policy, error) {
	sets, err := rules.Builtin()
	if err != nil {
		return nil, err
	}
	found := false
	for _, s := range sets {
		s.Rules = slices.DeleteFunc(s.Rules, func(r rules.Rule) bool {
			found = found || r.ID == id
			return r.ID == id
		})
	}
	if !found {
		return nil, errors.New("no built-in rule " + id)
	}
	return eligibility.Compile(sets, eligibility.Params{})
}

// noSoftOptIn is the built-in policy without the French soft opt-in,
// compiled once: French customers without consent go from allow to deny.
var noSoftOptIn = sync.OnceValue(func() *eligibility.Policy {
	p, err := withoutRule("FR_SOFT_OPT_IN")
	if err != nil {
		panic(err)
	}
	return p
})

// mixAudience is n French e-mail requests of the realistic mix, seed 5.
func mixAudience(n int) []eligibility.Request {
	return audience.New(5, address.MustCountry("FR"), consent.Email, audience.DefaultMix()).Requests(n)
}

// Disagree looks at what a host acts on and what an audit relies on, and
// at nothing else.
func TestDisagree(t *testing.T) {
	base := eligibility.Decision{Verdict: eligibility.Allow, Basis: rules.Consent, Rule: "FR_X", Reason: "CONSENT",
		Citation: "CPCE art. L34-5", Detail: "", Evidence: eligibility.Evidence{Kind: eligibility.RecordEvidence, ID: "g-1"},
		Purpose: consent.MarketingGeneral, Jurisdiction: "FR", At: at, PolicyVersion: "v1"}
	later := at.Add(time.Hour)
	base.Overrides = []eligibility.AppliedOverride{{Rule: "FR_Z", Owner: "legal@example.com", Justification: "reviewed"}}
	for _, tc := range []struct {
		name   string
		change func(*eligibility.Decision)
		want   bool
	}{
		{"same", func(*eligibility.Decision) {}, false},
		{"override wording", func(d *eligibility.Decision) {
			d.Overrides = []eligibility.AppliedOverride{{Rule: "FR_Z", Owner: "dpo@example.com", Justification: "reviewed again"}}
		}, false},
		{"policy version", func(d *eligibility.Decision) { d.PolicyVersion = "v2" }, false},
		{"citation wording", func(d *eligibility.Decision) { d.Citation = "CPCE, art. L34-5" }, false},
		{"detail wording", func(d *eligibility.Decision) { d.Detail = "reworded" }, false},
		{"same instant in another zone", func(d *eligibility.Decision) { d.At = at.UTC() }, false},
		{"verdict", func(d *eligibility.Decision) { d.Verdict = eligibility.Deny }, true},
		{"basis", func(d *eligibility.Decision) { d.Basis = rules.SoftOptIn }, true},
		{"rule", func(d *eligibility.Decision) { d.Rule = "FR_Y" }, true},
		{"origin", func(d *eligibility.Decision) { d.Origin = eligibility.FromHouse }, true},
		{"reason", func(d *eligibility.Decision) { d.Reason = "OTHER" }, true},
		{"evidence", func(d *eligibility.Decision) { d.Evidence.ID = "g-2" }, true},
		{"needs review", func(d *eligibility.Decision) { d.NeedsReview = true }, true},
		{"self-regulatory", func(d *eligibility.Decision) { d.SelfRegulatory = true }, true},
		{"purpose", func(d *eligibility.Decision) { d.Purpose = consent.MarketingSimilar }, true},
		{"reclassified", func(d *eligibility.Decision) { d.Reclassified = eligibility.PromotionalContent }, true},
		{"jurisdiction", func(d *eligibility.Decision) { d.Jurisdiction = "BE" }, true},
		{"not before", func(d *eligibility.Decision) { d.NotBefore = later }, true},
		{"denied from", func(d *eligibility.Decision) { d.DeniedFrom = later }, true},
		{"another override took effect", func(d *eligibility.Decision) {
			d.Overrides = append(d.Overrides, eligibility.AppliedOverride{Rule: "FR_X", Owner: "legal@example.com", Justification: "reviewed"})
		}, true},
		{"no override took effect", func(d *eligibility.Decision) { d.Overrides = nil }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := base
			tc.change(&d)
			if got := eligibility.Disagree(base, d); got != tc.want {
				t.Errorf("Disagree(base, %s changed) = %v, want %v", tc.name, got, tc.want)
			}
			if got := eligibility.Disagree(d, base); got != tc.want {
				t.Errorf("Disagree is not symmetric for %s", tc.name)
			}
		})
	}
}

// Disagree compares obligations by which ones apply, not by the wording of
// their citations.
func TestDisagreeObligations(t *testing.T) {
	p := evaluator(t)
	req := eligibility.Request{Contact: frConsumer(t), Message: email(consent.MarketingGeneral)}
	allow, err := p.Decide(req)
	if err != nil || allow.Obligations.Len() == 0 {
		t.Fatalf("Decide = %v, %v; want an allow with obligations", allow, err)
	}
	none := allow
	none.Obligations = eligibility.Obligations{}
	if !eligibility.Disagree(allow, none) {
		t.Error("decisions with and without obligations agree")
	}
}

// The shadow returns exactly the active policy's decisions, and reports
// exactly the requests on which the candidate disagrees, with both
// decisions.
func TestShadowReturnsActiveReportsDisagreements(t *testing.T) {
	active, cand := evaluator(t), noSoftOptIn()
	var mu sync.Mutex
	var got []eligibility.Disagreement
	sh := eligibility.NewShadow(active, cand, func(d eligibility.Disagreement) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, d)
	})
	reqs := mixAudience(2000)
	var want []eligibility.Disagreement
	for _, req := range reqs {
		wantD, wantErr := active.Decide(req)
		c, cerr := cand.Decide(req)
		if eligibility.Disagree(wantD, c) {
			want = append(want, eligibility.Disagreement{Request: req, Active: wantD, ActiveErr: wantErr, Candidate: c, CandidateErr: cerr})
		}
		d, err := sh.Decide(req)
		if diff := cmp.Diff(wantD, d); diff != "" || err != wantErr {
			t.Fatalf("Shadow.Decide(%s) differs from the active policy's (-want +got):\n%s\nerr %v, want %v", req.Contact.ID, diff, err, wantErr)
		}
	}
	if len(want) == 0 || len(want) == len(reqs) {
		t.Fatalf("%d of %d requests disagree: the candidate should change some, not all", len(want), len(reqs))
	}
	// Requests compare by identity: the contact is the caller's own.
	byContact := cmp.Comparer(func(a, b eligibility.Request) bool { return a.Contact == b.Contact && a.At.Equal(b.At) })
	if diff := cmp.Diff(want, got, byContact, cmpopts.EquateErrors()); diff != "" {
		t.Errorf("reported disagreements (-want +got):\n%s", diff)
	}
	for _, d := range got {
		if d.Active.Verdict != eligibility.Allow || d.Candidate.Verdict != eligibility.Deny {
			t.Errorf("%s: %v → %v; removing the soft opt-in can only turn allows into denies", d.Request.Contact.ID, d.Active, d.Candidate)
		}
	}
	wantStats := eligibility.ShadowStats{Decisions: uint64(len(reqs)), Disagreements: uint64(len(want))}
	if diff := cmp.Diff(wantStats, sh.Stats()); diff != "" {
		t.Errorf("Stats (-want +got):\n%s", diff)
	}
}

// Nothing the report function does reaches the answer: changing the
// disagreement it was given, or panicking.
func TestShadowReportCannotChangeAnswer(t *testing.T) {
	active := evaluator(t)
	reqs := mixAudience(400)
	for _, tc := range []struct {
		name   string
		report func(eligibility.Disagreement)
		panics uint64
	}{
		{"modifies its copy", func(d eligibility.Disagreement) {
			d.Active.Verdict, d.Active.Reason = eligibility.Deny, "CHANGED"
			d.Request.Message.Channel = consent.SMS
		}, 0},
		{"panics", func(eligibility.Disagreement) { panic("report failed") }, 1},
		{"panics with an error", func(eligibility.Disagreement) { panic(errors.New("report failed")) }, 1},
		{"panics with nil", func(eligibility.Disagreement) { panic(nil) }, 1},
		{"nil", nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sh := eligibility.NewShadow(active, noSoftOptIn(), tc.report)
			for _, req := range reqs {
				want, wantErr := active.Decide(req)
				got, err := sh.Decide(req)
				if diff := cmp.Diff(want, got); diff != "" || err != wantErr {
					t.Fatalf("%s: answer changed (-want +got):\n%s", req.Contact.ID, diff)
				}
			}
			st := sh.Stats()
			if st.Disagreements == 0 {
				t.Fatal("no disagreement: the report was never called")
			}
			if want := tc.panics * st.Disagreements; st.ReportPanics != want {
				t.Errorf("ReportPanics = %d, want %d", st.ReportPanics, want)
			}
		})
	}
}

// A nil candidate is a disagreement on every request, whose candidate
// decision is the deny of a missing policy; the answer is the active one.
func TestShadowNilCandidate(t *testing.T) {
	active := evaluator(t)
	var got []eligibility.Disagreement
	sh := eligibility.NewShadow(active, nil, func(d eligibility.Disagreement) { got = append(got, d) })
	req := eligibility.Request{Contact: frConsumer(t), Message: email(consent.MarketingGeneral)}
	d, err := sh.Decide(req)
	if err != nil || d.Verdict != eligibility.Allow {
		t.Fatalf("Decide = %v, %v; want the active allow", d, err)
	}
	if len(got) != 1 || !errors.Is(got[0].CandidateErr, eligibility.ErrNoPolicy) || got[0].Candidate.Verdict != eligibility.Deny {
		t.Fatalf("disagreements = %+v, want one with a no-policy deny", got)
	}
}

// A Shadow is safe for concurrent use: many goroutines deciding at once
// get the active answers, and the counts add up (run under -race by CI).
func TestShadowConcurrent(t *testing.T) {
	active, cand := evaluator(t), noSoftOptIn()
	reqs := mixAudience(512)
	want := make([]eligibility.Decision, len(reqs))
	disagree := 0
	for i, req := range reqs {
		want[i], _ = active.Decide(req)
		c, _ := cand.Decide(req)
		if eligibility.Disagree(want[i], c) {
			disagree++
		}
	}
	var mu sync.Mutex
	reported := 0
	sh := eligibility.NewShadow(active, cand, func(eligibility.Disagreement) { mu.Lock(); reported++; mu.Unlock() })
	const workers = 8
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range reqs {
				i := (i + w*61) % len(reqs)
				got, _ := sh.Decide(reqs[i])
				if diff := cmp.Diff(want[i], got); diff != "" {
					t.Errorf("worker %d, request %d (-want +got):\n%s", w, i, diff)
					return
				}
			}
		})
	}
	wg.Wait()
	st := sh.Stats()
	if st.Decisions != workers*uint64(len(reqs)) || st.Disagreements != workers*uint64(disagree) || reported != workers*disagree {
		t.Errorf("Stats = %+v, reported %d; want %d decisions, %d disagreements", st, reported, workers*len(reqs), workers*disagree)
	}
}

// While the policies agree, shadowing allocates nothing.
func TestShadowDoesNotAllocateWhenAgreeing(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	active := evaluator(t)
	sh := eligibility.NewShadow(active, noSoftOptIn(), func(eligibility.Disagreement) { t.Error("unexpected disagreement") })
	req := eligibility.Request{Contact: frConsumer(t), Message: email(consent.MarketingGeneral)}
	if n := testing.AllocsPerRun(100, func() { _, _ = sh.Decide(req) }); n != 0 {
		t.Errorf("Shadow.Decide allocates %v times per call, want 0", n)
	}
}

// whatIfOracle is WhatIf computed one request at a time, on one goroutine.
func whatIfOracle(active, cand *eligibility.Policy, reqs []eligibility.Request) *eligibility.Comparison {
	c := &eligibility.Comparison{ActiveVersion: active.Version(), CandidateVersion: cand.Version()}
	tally := func() eligibility.Tally {
		return eligibility.Tally{Verdicts: map[string]int{}, Bases: map[string]int{}, Reasons: map[string]int{}}
	}
	c.Active, c.Candidate = tally(), tally()
	count := func(t *eligibility.Tally, d eligibility.Decision, err error) {
		t.Verdicts[d.Verdict.String()]++
		t.Bases[d.Basis.String()]++
		t.Reasons[d.Reason]++
		if err != nil {
			t.Errors++
		}
	}
	order := []eligibility.Verdict{eligibility.Allow, eligibility.Deny, eligibility.Defer, eligibility.Undetermined}
	trans := map[[2]eligibility.Verdict]*eligibility.Transition{}
	for i, req := range reqs {
		a, aerr := active.Decide(req)
		b, berr := cand.Decide(req)
		c.Requests++
		count(&c.Active, a, aerr)
		count(&c.Candidate, b, berr)
		if !eligibility.Disagree(a, b) {
			continue
		}
		c.Changed++
		k := [2]eligibility.Verdict{a.Verdict, b.Verdict}
		if trans[k] == nil {
			trans[k] = &eligibility.Transition{From: a.Verdict, To: b.Verdict}
		}
		tr := trans[k]
		tr.Count++
		if len(tr.Examples) < eligibility.WhatIfExamples {
			tr.Examples = append(tr.Examples, eligibility.Example{Index: i, ContactID: req.Contact.ID, Request: req, Active: a, Candidate: b})
		}
	}
	for _, from := range order {
		for _, to := range order {
			if tr := trans[[2]eligibility.Verdict{from, to}]; tr != nil {
				c.Transitions = append(c.Transitions, *tr)
			}
		}
	}
	return c
}

// examplesSame compares examples' requests by identity: the contact they
// point to is the audience's own.
var examplesSame = cmp.Options{
	cmpopts.IgnoreFields(eligibility.Example{}, "Request"),
}

// WhatIf on every core gives what deciding one request at a time gives:
// the same counts, the same transitions, the same first examples.
func TestWhatIfMatchesSequential(t *testing.T) {
	active, cand := evaluator(t), noSoftOptIn()
	for _, tc := range []struct {
		name string
		reqs []eligibility.Request
	}{
		{"empty", nil},
		{"one", mixAudience(1)},
		{"mix", mixAudience(3000)},
		{"random", audience.NewRandom(3, address.MustCountry("FR"), paris, consent.Email, consent.SMS).Requests(3000)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := whatIfOracle(active, cand, tc.reqs)
			got, err := eligibility.WhatIf(t.Context(), active, cand, slices.Values(tc.reqs))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got, examplesSame); diff != "" {
				t.Errorf("WhatIf (-sequential +got):\n%s", diff)
			}
			for _, tr := range got.Transitions {
				for _, e := range tr.Examples {
					if e.Request.Contact != tc.reqs[e.Index].Contact {
						t.Errorf("example #%d does not carry request %d", e.Index, e.Index)
					}
				}
			}
			if tc.name == "mix" && (got.Changed == 0 || len(got.Transitions) == 0) {
				t.Error("the candidate changes nothing in the mix: the test compares nothing")
			}
		})
	}
}

// A policy compared with itself changes nothing.
func TestWhatIfSamePolicy(t *testing.T) {
	p := evaluator(t)
	got, err := eligibility.WhatIf(t.Context(), p, p, slices.Values(mixAudience(1000)))
	if err != nil {
		t.Fatal(err)
	}
	if got.Changed != 0 || len(got.Transitions) != 0 || got.Requests != 1000 {
		t.Errorf("WhatIf(p, p) = %d requests, %d changed, %d transitions; want 1000, 0, 0", got.Requests, got.Changed, len(got.Transitions))
	}
	if diff := cmp.Diff(got.Active, got.Candidate); diff != "" {
		t.Errorf("tallies of the same policy differ:\n%s", diff)
	}
}

// Cancelled, WhatIf returns the comparison so far and the cause.
func TestWhatIfCancelled(t *testing.T) {
	ctx, cancel := context.WithCancelCause(t.Context())
	cause := errors.New("operator stopped the run")
	reqs := mixAudience(5000)
	source := func(yield func(eligibility.Request) bool) {
		for i, r := range reqs {
			if i == 2000 {
				cancel(cause)
			}
			if !yield(r) {
				return
			}
		}
	}
	got, err := eligibility.WhatIf(ctx, evaluator(t), noSoftOptIn(), source)
	if !errors.Is(err, cause) {
		t.Fatalf("err = %v, want %v", err, cause)
	}
	if got == nil || got.Requests > 2000 {
		t.Fatalf("comparison = %+v, want at most the 2000 requests read before cancellation", got)
	}
	n := 0
	for _, v := range got.Active.Verdicts {
		n += v
	}
	if n != got.Requests {
		t.Errorf("verdicts count %d requests, Requests = %d", n, got.Requests)
	}
}

// The JSON form of a comparison reads back as written and carries no
// address of the audience.
func TestComparisonJSON(t *testing.T) {
	reqs := mixAudience(500)
	c, err := eligibility.WhatIf(t.Context(), evaluator(t), noSoftOptIn(), slices.Values(reqs))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var back eligibility.Comparison
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(c, &back, examplesSame); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	for _, r := range reqs {
		if strings.Contains(string(b), r.Contact.Email.String()) {
			t.Fatalf("the JSON form holds the address of %s", r.Contact.ID)
		}
	}
	if !strings.Contains(string(b), `"from":"allow","to":"deny"`) {
		t.Errorf("no allow → deny transition in %s", b)
	}
}

// heapInUse is the heap now (objects allocated and not yet freed; after a
// collection when gc is true).
func heapInUse(gc bool) uint64 {
	if gc {
		runtime.GC()
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// generated yields n fresh requests of the realistic mix, built on the
// fly, calling sample every 16,384 requests.
func generated(n int, sample func()) iter.Seq[eligibility.Request] {
	return func(yield func(eligibility.Request) bool) {
		gen := audience.New(9, address.MustCountry("FR"), consent.Email, audience.DefaultMix())
		for i := range n {
			if i%16384 == 0 {
				sample()
			}
			if !yield(gen.Next()) {
				return
			}
		}
	}
}

// whatIfHeapCeiling is the most WhatIf's live heap may grow above where
// it started, whatever the size of the audience: the batches in flight.
// Keeping the requests would cost about 1 KiB each: 97 MiB measured for
// this test's audience. The heap is sampled after a collection: without
// one a sample counts the garbage the collector's pacer lets accumulate,
// which grows with the live heap already there (the policies compiled, the
// package's other tests) rather than with the audience.
const whatIfHeapCeiling = 48 << 20

// WhatIf streams: over 100,000 requests generated on the fly its heap
// stays under a fixed ceiling (BenchmarkWhatIfHeap measures a million).
func TestWhatIfHeapCeiling(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's shadow memory distorts the heap")
	}
	active, cand := evaluator(t), noSoftOptIn()
	base := heapInUse(true)
	var peak uint64
	c, err := eligibility.WhatIf(t.Context(), active, cand, generated(100_000, func() { peak = max(peak, heapInUse(true)) }))
	if err != nil {
		t.Fatal(err)
	}
	if c.Requests != 100_000 || c.Changed == 0 {
		t.Fatalf("%d requests, %d changed; want 100000 and some changes", c.Requests, c.Changed)
	}
	if grew := peak - min(base, peak); grew > whatIfHeapCeiling {
		t.Errorf("heap grew by %d MiB over 100,000 requests, ceiling %d MiB", grew>>20, whatIfHeapCeiling>>20)
	}
	t.Logf("heap: base %.1f MiB, peak %.1f MiB", float64(base)/(1<<20), float64(peak)/(1<<20))
}

// BenchmarkShadow decides the realistic French e-mail mix with the
// built-in policy alone (decide) and through a Shadow whose candidate
// lacks the French soft opt-in (shadow: about a fifth of the requests
// disagree and are reported to a function that counts them): the ratio of
// the two is the cost of shadowing.
//
//	go test -run '^$' -bench Shadow -benchmem -count 6 ./eligibility
func BenchmarkShadow(b *testing.B) {
	active, cand := evaluator(b), noSoftOptIn()
	reqs := mixAudience(4096)
	var reported int
	sh := eligibility.NewShadow(active, cand, func(eligibility.Disagreement) { reported++ })
	for _, bc := range []struct {
		name   string
		decide func(eligibility.Request) (eligibility.Decision, error)
	}{{"decide", active.Decide}, {"candidate", cand.Decide}, {"shadow", sh.Decide}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := bc.decide(reqs[i%len(reqs)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
	if sh.Stats().Disagreements == 0 || reported == 0 {
		b.Fatal("no disagreement: the shadow compared nothing")
	}
}

// BenchmarkWhatIf streams the realistic mix through DecideAll (one policy)
// and through WhatIf (two policies, compared) on every core, and reports
// requests per second: WhatIf's rate is about half DecideAll's, as it
// decides every request twice.
//
//	go test -run '^$' -bench 'WhatIf$' -benchtime 1000000x -count 3 ./eligibility
func BenchmarkWhatIf(b *testing.B) {
	active, cand := evaluator(b), noSoftOptIn()
	reqs := mixAudience(8192)
	b.Run("decideall", func(b *testing.B) {
		start := time.Now()
		for res := range active.DecideAll(b.Context(), cycle(reqs, b.N)) {
			if res.Err != nil {
				b.Fatal(res.Err)
			}
		}
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "requests/s")
	})
	b.Run("whatif", func(b *testing.B) {
		start := time.Now()
		c, err := eligibility.WhatIf(b.Context(), active, cand, cycle(reqs, b.N))
		if err != nil || c.Requests != b.N {
			b.Fatalf("WhatIf: %d requests, %v", c.Requests, err)
		}
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "requests/s")
	})
}

// BenchmarkWhatIfHeap streams audiences of growing size, generated on the
// fly, through WhatIf and reports the peak heap sampled every 16,384
// requests (without forcing a collection) and its growth over the heap
// before the run: it stays flat from 100 k to 1 M requests.
//
//	go test -run '^$' -bench WhatIfHeap -benchtime 1x ./eligibility
func BenchmarkWhatIfHeap(b *testing.B) {
	active, cand := evaluator(b), noSoftOptIn()
	for _, size := range []struct {
		name string
		n    int
	}{{"100k", 100_000}, {"1M", 1_000_000}} {
		b.Run(size.name, func(b *testing.B) {
			var base, peak uint64
			for b.Loop() {
				base, peak = heapInUse(true), 0
				c, err := eligibility.WhatIf(b.Context(), active, cand, generated(size.n, func() { peak = max(peak, heapInUse(false)) }))
				if err != nil || c.Requests != size.n {
					b.Fatalf("WhatIf: %d requests, %v", c.Requests, err)
				}
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(peak-min(base, peak))/(1<<20), "growth-MiB")
		})
	}
}

// pairedRatio runs a and b alternately, n times each (b first every other
// time), and returns the median of the ratios of b's time to a's in each
// pair, and the median times of a and of b, by clock: on a loaded
// machine, a drift in speed touches both members of a pair alike, where
// separate benchmarks run minutes apart would not.
func pairedRatio(n int, clock func() time.Duration, a, b func()) (ratio float64, ta, tb time.Duration) {
	ratios := make([]float64, 0, n)
	as, bs := make([]time.Duration, 0, n), make([]time.Duration, 0, n)
	timed := func(f func()) time.Duration { start := clock(); f(); return clock() - start }
	for i := range n {
		var ta, tb time.Duration
		if i%2 == 0 {
			ta, tb = timed(a), timed(b)
		} else {
			tb, ta = timed(b), timed(a)
		}
		ratios = append(ratios, float64(tb)/float64(max(ta, 1)))
		as, bs = append(as, ta), append(bs, tb)
	}
	slices.Sort(ratios)
	slices.Sort(as)
	slices.Sort(bs)
	return ratios[n/2], as[n/2], bs[n/2]
}

// wallClock is the time elapsed since the process started, for
// pairedRatio.
func wallClock() time.Duration { return time.Since(processStart) }

var processStart = time.Now()

// BenchmarkRolloutRatios measures, in pairs (see pairedRatio), the cost of
// a Shadow against Decide (blocks of 512 requests of the realistic mix, on
// one goroutine, in wall-clock time) and of WhatIf against DecideAll
// (blocks of 32,768, on every core, in wall-clock time and in the
// process's CPU time, which the machine's other load touches less), and
// reports the median ratios and the median rates of DecideAll and WhatIf.
//
//	go test -run '^$' -bench RolloutRatios -benchtime 1x ./eligibility
func BenchmarkRolloutRatios(b *testing.B) {
	active, cand := evaluator(b), noSoftOptIn()
	reqs := mixAudience(4096)
	sh := eligibility.NewShadow(active, cand, func(eligibility.Disagreement) {})
	block := func(decide func(eligibility.Request) (eligibility.Decision, error), from int) func() {
		return func() {
			for i := range 512 {
				if _, err := decide(reqs[(from+i)%len(reqs)]); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	decideAll := func() {
		for res := range active.DecideAll(b.Context(), cycle(reqs, 32768)) {
			if res.Err != nil {
				b.Fatal(res.Err)
			}
		}
	}
	whatIfRun := func() {
		if _, err := eligibility.WhatIf(b.Context(), active, cand, cycle(reqs, 32768)); err != nil {
			b.Fatal(err)
		}
	}
	var shadow, whatIf, whatIfCPU float64
	var decideAllTime, whatIfTime time.Duration
	for b.Loop() {
		shadow, _, _ = pairedRatio(400, wallClock, block(active.Decide, 0), block(sh.Decide, 0))
		whatIf, decideAllTime, whatIfTime = pairedRatio(15, wallClock, decideAll, whatIfRun)
		whatIfCPU, _, _ = pairedRatio(15, processCPU, decideAll, whatIfRun)
	}
	b.ReportMetric(shadow, "shadow/decide")
	b.ReportMetric(whatIf, "whatif/decideall")
	b.ReportMetric(whatIfCPU, "whatif/decideall-cpu")
	b.ReportMetric(32768/decideAllTime.Seconds(), "decideall-requests/s")
	b.ReportMetric(32768/whatIfTime.Seconds(), "whatif-requests/s")
}

// WriteText abbreviates versions to twelve digits, keeps a host's labels
// whole, prints every count of either side and each transition with its
// examples.
func TestComparisonWriteText(t *testing.T) {
	active, cand := evaluator(t), noSoftOptIn()
	c, err := eligibility.WhatIf(t.Context(), active, cand, slices.Values(mixAudience(300)))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := c.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	lines := strings.Split(text, "\n")
	wantHead := []string{"active     " + active.Version()[:12], "candidate  " + cand.Version()[:12]}
	if diff := cmp.Diff(wantHead, lines[:2]); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	for _, tr := range c.Transitions {
		if !strings.Contains(text, tr.From.String()+" → "+tr.To.String()) {
			t.Errorf("transition %v → %v missing:\n%s", tr.From, tr.To, text)
		}
		for _, e := range tr.Examples {
			if !strings.Contains(text, "#"+strconv.Itoa(e.Index)+" "+e.ContactID+": ") {
				t.Errorf("example #%d missing", e.Index)
			}
		}
	}
	for reason := range c.Candidate.Reasons {
		if !strings.Contains(text, "\n"+reason+" ") {
			t.Errorf("candidate reason %s missing", reason)
		}
	}
	c.ActiveVersion, c.CandidateVersion = "production", ""
	b.Reset()
	if err := c.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "active     production\ncandidate  (none)\n") {
		t.Errorf("labels not kept whole:\n%s", b.String())
	}
}
