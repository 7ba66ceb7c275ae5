package eligibility_test

import (
	"testing"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/consent/calls"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/internal/audience"
)

// mixCases are the benchmark cases BenchmarkDecide and BenchmarkReference
// share, so their ratio compares the same requests; each must reach the
// verdict want at least once.
var mixCases = []struct {
	name string
	reqs func() []eligibility.Request
	want eligibility.Verdict
}{
	{"email-mix", func() []eligibility.Request { return mixRequests(consent.Email) }, eligibility.Allow},
	{"sms-mix", func() []eligibility.Request { return mixRequests(consent.SMS) }, eligibility.Allow},
	{"voice-mix", func() []eligibility.Request { return voiceMix(1, 4096) }, eligibility.Allow},
	{"voice-deferred", deferredCalls, eligibility.Defer},
}

// mixRequests is the audience of one case: 4096 French requests of
// audience.DefaultMix(), seed 1.
func mixRequests(ch consent.Channel) []eligibility.Request {
	return audience.New(1, address.MustCountry("FR"), ch, audience.DefaultMix()).Requests(4096)
}

// deferredCalls are the calls of voiceMix (seed 1) that the reference
// defers: each decision is a search through the change points.
func deferredCalls() []eligibility.Request {
	ref := newReference(nil)
	var out []eligibility.Request
	for _, req := range voiceMix(1, 40_000) {
		if ref.decide(&req).Verdict == eligibility.Defer {
			out = append(out, req)
		}
	}
	return out
}

// houseCases are the benchmark cases of a policy with house rules
// (housePolicy: no marketing e-mail on the recipient's Sunday, at most one
// marketing e-mail a day, at most one call a day): house-email-mix, whose
// reference implements the house rules by hand (reference.decideHouse),
// and house-voice-mix, the calls of voice-mix, half of them to contacts
// called an hour before, whose reference decides the law alone: the ratio
// counts the house rule's whole cost.
var houseCases = []struct {
	name string
	reqs func() []eligibility.Request
	want eligibility.Verdict
}{
	{"house-email-mix", houseEmailRequests, eligibility.Defer},
	{"house-voice-mix", func() []eligibility.Request { return houseVoiceRequests(1, 4096) }, eligibility.Defer},
}

// BenchmarkDecide decides a realistic mix of French requests (see
// audience.DefaultMix()) on the built-in policy, and the house cases
// (houseCases) on the built-in policy with house rules. The policy is
// compiled and the audience generated outside the timed loop. Beside the
// wall-clock time it reports the process's CPU time per decision
// (cpu-ns/op), which a loaded machine disturbs less.
//
//	go test -run '^$' -bench Decide -benchmem ./eligibility
func BenchmarkDecide(b *testing.B) {
	cases := mixCases
	policies := map[string]func(testing.TB) *eligibility.Policy{}
	for _, hc := range houseCases {
		cases = append(cases, hc)
		policies[hc.name] = housePolicy
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			ev := evaluator(b)
			if p := policies[bc.name]; p != nil {
				ev = p(b)
			}
			reqs := bc.reqs()
			reached := 0
			b.ReportAllocs()
			cpu := processCPU()
			defer func() { b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op") }()
			i := 0
			for b.Loop() {
				d, err := ev.Decide(reqs[i%len(reqs)])
				if err != nil {
					b.Fatal(err)
				}
				if d.Verdict == bc.want {
					reached++
				}
				i++
			}
			if reached == 0 {
				b.Fatalf("no request was decided %v: the mix is broken", bc.want)
			}
		})
	}
	// Malformed requests: the error path, where allocations (the error
	// values) are allowed.
	b.Run("invalid", func(b *testing.B) {
		ev := evaluator(b)
		reqs := invalidRequests(b)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if d, err := ev.Decide(reqs[i%len(reqs)]); err == nil || d.Verdict != eligibility.Deny {
				b.Fatalf("malformed request decided %v, %v", d, err)
			}
			i++
		}
	})
}

// BenchmarkReference decides the same requests as BenchmarkDecide with the
// hand-written reference implementation: the ratio of the two is the cost
// of keeping the law as CEL data. house-email-mix adds the house rules,
// by hand too (reference.decideHouse); house-voice-mix is the law alone.
func BenchmarkReference(b *testing.B) {
	cases := append(mixCases[:len(mixCases):len(mixCases)], houseCases...)
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			ref := newReference(nil)
			decide := ref.decide
			if bc.name == houseCases[0].name {
				decide = ref.decideHouse
			}
			reqs := bc.reqs()
			reached := 0
			b.ReportAllocs()
			cpu := processCPU()
			defer func() { b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op") }()
			i := 0
			for b.Loop() {
				if decide(&reqs[i%len(reqs)]).Verdict == bc.want {
					reached++
				}
				i++
			}
			if reached == 0 {
				b.Fatalf("no request was decided %v: the mix is broken", bc.want)
			}
		})
	}
}

// invalidRequests are malformed in the ways hosts get wrong: zero instant,
// unknown enumerations, a contact without a country or an address.
func invalidRequests(b *testing.B) []eligibility.Request {
	reqs := audience.New(3, address.MustCountry("FR"), consent.Email, audience.DefaultMix()).Requests(64)
	for i := range reqs {
		switch i % 4 {
		case 0:
			reqs[i].At = time.Time{}
		case 1:
			reqs[i].Purpose = 42
		case 2:
			c := *reqs[i].Contact
			c.Country = address.Country{}
			reqs[i].Contact = &c
		case 3:
			c := *reqs[i].Contact
			c.Email = address.Address{}
			reqs[i].Contact = &c
		}
	}
	return reqs
}

// BenchmarkDecideDeferred decides the French mix on a Saturday evening
// under a test-only call window (10:00–13:00 and 14:00–20:00, Monday to
// Saturday, closed on holidays): every request that would be allowed is
// deferred to Monday morning, through the search's change points (the
// window's edges and local midnights).
func BenchmarkDecideDeferred(b *testing.B) {
	ev := deferBuiltin(b, true)
	reqs := mixRequests(consent.SMS)
	saturday := time.Date(2026, 3, 28, 20, 30, 0, 0, time.UTC)
	for i := range reqs {
		reqs[i].At = saturday
	}
	deferred := 0
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		d, err := ev.Decide(reqs[i%len(reqs)])
		if err != nil {
			b.Fatal(err)
		}
		if d.Verdict == eligibility.Defer {
			deferred++
		}
		i++
	}
	if deferred == 0 {
		b.Fatal("no request was deferred: the mix is broken")
	}
}

// BenchmarkDecideInputs: calls decided on the attempt history and a
// registry lookup — allowed, deferred by the cap (a search through the
// calls' change points) and denied by a listed number.
func BenchmarkDecideInputs(b *testing.B) {
	p := deferPolicy(b, inputsDefer)
	fourCalls := withAttempts(call(t0.Add(-days(25)), calls.VoiceLive, calls.NoAnswer),
		call(t0.Add(-days(20)), calls.VoiceLive, calls.NoAnswer),
		call(t0.Add(-days(3)), calls.VoiceAutomated, calls.Answered),
		call(t0.Add(-days(2)), calls.VoiceLive, calls.NoAnswer))
	for _, bc := range []struct {
		name string
		c    *consent.Contact
	}{
		{"allow", callable(b)},
		{"defer", callable(b, fourCalls)},
		{"deny", callable(b, withCheck(calls.TPS, "+352621555123", true, time.Time{}, t0.Add(-time.Hour)))},
	} {
		req := eligibility.Request{Contact: bc.c, Message: *message(consent.MarketingGeneral, consent.VoiceLive, "", t0)}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.Decide(req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkTwoRegimes measures the cost of a second regime: the French
// e-mail mix of BenchmarkDecide (email-mix) sent by a German sender, so
// that the French set and, by GDPR art. 3(1), the German set are walked
// for every request, beside the same requests decided by the reference
// (French law alone, by hand) and by the policy with one regime, in the
// same run:
//
//	go test -run '^$' -bench TwoRegimes -benchmem ./eligibility
//
// The ratio two-regimes / reference is the cost of applying two laws as
// data against one by hand (the target is at most 3).
func BenchmarkTwoRegimes(b *testing.B) {
	reqs := mixRequests(consent.Email)
	german := make([]eligibility.Request, len(reqs))
	for i, r := range reqs {
		r.Sender.Country = address.MustCountry("DE")
		german[i] = r
	}
	b.Run("reference", func(b *testing.B) {
		ref := newReference(nil)
		b.ReportAllocs()
		cpu := processCPU()
		defer func() { b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op") }()
		i := 0
		for b.Loop() {
			ref.decide(&reqs[i%len(reqs)])
			i++
		}
	})
	// interleaved decides the same requests in alternating blocks of 256
	// by the reference and with two regimes (each iteration one decision,
	// half of them each way), and reports the ratio of their times: the
	// machine's drift during a run (frequency, other work) falls on both
	// alike, so the ratio is steadier than one taken from separate runs.
	// The two ways run half the requests apart, so that neither decides a
	// contact the other has just brought into the processor's caches: a
	// block's contacts are as cold for both as in a run alone.
	b.Run("interleaved", func(b *testing.B) {
		ref := newReference(nil)
		ev := evaluator(b)
		const block = 256
		var spent [2]time.Duration
		var done [2]int
		mark := time.Now()
		i := 0
		for b.Loop() {
			way := (i / block) % 2
			k := (done[way] + way*len(reqs)/2) % len(reqs)
			if way == 0 {
				ref.decide(&reqs[k])
			} else if _, err := ev.Decide(german[k]); err != nil {
				b.Fatal(err)
			}
			done[way]++
			i++
			if i%block == 0 {
				now := time.Now()
				spent[way] += now.Sub(mark)
				mark = now
			}
		}
		spent[(i/block)%2] += time.Since(mark)
		if done[0] == 0 || done[1] == 0 {
			return // too few iterations to compare
		}
		perRef := float64(spent[0]) / float64(done[0])
		perTwo := float64(spent[1]) / float64(done[1])
		b.ReportMetric(perRef, "ref-ns/decision")
		b.ReportMetric(perTwo, "two-ns/decision")
		b.ReportMetric(perTwo/perRef, "two/ref")
	})
	for _, bc := range []struct {
		name string
		reqs []eligibility.Request
		n    int // regimes each decision must list
	}{{"one-regime", reqs, 1}, {"two-regimes", german, 2}} {
		b.Run(bc.name, func(b *testing.B) {
			ev := evaluator(b)
			if d, err := ev.Decide(bc.reqs[0]); err != nil || d.Regimes.Len() != bc.n {
				b.Fatalf("Decide = %v %v, %v: want %d regimes", d, d.Regimes.List(), err, bc.n)
			}
			b.ReportAllocs()
			cpu := processCPU()
			defer func() { b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op") }()
			i := 0
			for b.Loop() {
				if _, err := ev.Decide(bc.reqs[i%len(bc.reqs)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
