package ingest_test

import (
	"bytes"
	"context"
	"io"
	"iter"
	"runtime"
	"runtime/debug"
	"strconv"
	"testing"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/ingest"
	"github.com/sendright/sendright/eligibility"
)

// distinct is how many different contacts the audit benchmarks cycle
// through.
const distinct = 1000

// campaign is the message every contact of the audit benchmarks is
// decided for.
func campaign() consent.Message {
	return consent.Message{Purpose: consent.MarketingGeneral, Channel: consent.Email,
		Sender: consent.Sender{Entity: "Maison Exemple SAS", Kind: consent.Company},
		At:     time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)}
}

// audience writes n lines of JSON Lines, cycling through distinct contacts
// with one record and one purchase, into a pipe, as a file being read
// would deliver them: nothing of it is held in memory.
func audience(n int) io.Reader {
	lines := make([][]byte, distinct)
	for i := range lines {
		lines[i] = []byte(contactLine(i, 1, 1) + "\n")
	}
	pr, pw := io.Pipe()
	go func() {
		var buf bytes.Buffer
		for i := range n {
			buf.Write(lines[i%distinct])
			if buf.Len() >= 64<<10 || i == n-1 {
				if _, err := pw.Write(buf.Bytes()); err != nil {
					return
				}
				buf.Reset()
			}
		}
		pw.Close()
	}()
	return pr
}

// The audit benchmarks report cpu-ns/op, the process's CPU time per
// line, beside the wall-clock ns/op: on a machine shared with other work,
// the ratio of CPU times is the steadier measure of throughput on
// dedicated cores.

// BenchmarkAudit decides every line of a JSON Lines stream (one op: one
// line, decoded and decided), through Lines and DecideAll, and reports
// the peak live heap, sampled every 100,000 lines. Run it over a million
// lines with -benchtime 1000000x; compare its ns/op with
// BenchmarkAuditInMemory's, DecideAll over contacts already in memory.
func BenchmarkAudit(b *testing.B) {
	pol, err := eligibility.Default()
	if err != nil {
		b.Fatal(err)
	}
	msg := campaign()
	b.ReportAllocs()
	b.ResetTimer()
	r := audience(b.N)
	bad := 0
	reqs := func(yield func(eligibility.Request) bool) {
		for row, err := range ingest.Lines(r) {
			if err != nil {
				bad++
				continue
			}
			if !yield(eligibility.Request{Contact: row.Contact, Message: msg}) {
				return
			}
		}
	}
	peak, n := audit(b, pol, reqs)
	b.StopTimer()
	if n != b.N || bad != 0 {
		b.Fatalf("%d decisions and %d bad lines for %d lines", n, bad, b.N)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

// BenchmarkAuditLent is BenchmarkAudit with LinesFunc: each contact is
// lent to the call that decides it, on the decoding goroutine, instead of
// being allocated for DecideAll; what examples/audit does with JSON Lines.
// Its sub-benchmarks set the collector's target (GOGC) the run uses, as
// the command may: gc=100 is the default.
func BenchmarkAuditLent(b *testing.B) {
	pol, err := eligibility.Default()
	if err != nil {
		b.Fatal(err)
	}
	msg := campaign()
	for _, gc := range []int{100, 400} {
		b.Run("gc="+strconv.Itoa(gc), func(b *testing.B) {
			defer debug.SetGCPercent(debug.SetGCPercent(gc))
			runtime.GC()
			b.ReportAllocs()
			b.ResetTimer()
			r := audience(b.N)
			var ms runtime.MemStats
			var peak uint64
			n, bad, allowed := 0, 0, 0
			cpu := cpuTime()
			seq := ingest.LinesFunc(r, func(row ingest.Row) eligibility.Verdict {
				d, err := pol.Decide(eligibility.Request{Contact: row.Contact, Message: msg})
				if err != nil {
					return eligibility.Deny
				}
				return d.Verdict
			})
			for v, err := range seq {
				if err != nil {
					bad++
					continue
				}
				if v == eligibility.Allow {
					allowed++
				}
				if n++; n%100_000 == 0 {
					runtime.ReadMemStats(&ms)
					peak = max(peak, ms.HeapAlloc)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
			b.StopTimer()
			if n != b.N || bad != 0 || allowed == 0 {
				b.Fatalf("%d decisions (%d allowed) and %d bad lines for %d lines", n, allowed, bad, b.N)
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}

// BenchmarkAuditInMemory is DecideAll over contacts decoded beforehand,
// the same contacts BenchmarkAudit reads.
func BenchmarkAuditInMemory(b *testing.B) {
	pol, err := eligibility.Default()
	if err != nil {
		b.Fatal(err)
	}
	msg := campaign()
	contacts := make([]*consent.Contact, distinct)
	for i := range contacts {
		contacts[i] = new(consent.Contact)
		if err := contacts[i].UnmarshalJSON([]byte(contactLine(i, 1, 1))); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	reqs := func(yield func(eligibility.Request) bool) {
		for i := range b.N {
			if !yield(eligibility.Request{Contact: contacts[i%distinct], Message: msg}) {
				return
			}
		}
	}
	peak, n := audit(b, pol, reqs)
	b.StopTimer()
	if n != b.N {
		b.Fatalf("%d decisions for %d requests", n, b.N)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

// audit decides reqs and returns the peak live heap seen and the number
// of decisions.
func audit(b *testing.B, pol *eligibility.Policy, reqs iter.Seq[eligibility.Request]) (peak uint64, n int) {
	var ms runtime.MemStats
	allowed := 0
	cpu := cpuTime()
	defer func() { b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op") }()
	for res := range pol.DecideAll(context.Background(), reqs) {
		if res.Decision.Verdict == eligibility.Allow {
			allowed++
		}
		if n++; n%100_000 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
	}
	if allowed == 0 && n > 0 {
		b.Fatal("no contact allowed: the benchmark decides nothing of interest")
	}
	return peak, n
}

// BenchmarkLines decodes JSON Lines with one goroutine and with one per
// core (one op: one line), to show decoding scaling with the cores.
func BenchmarkLines(b *testing.B) {
	for _, w := range []int{1, runtime.GOMAXPROCS(0)} {
		b.Run("workers="+strconv.Itoa(w), func(b *testing.B) {
			b.ReportAllocs()
			r := audience(b.N)
			n := 0
			cpu := cpuTime()
			defer func() { b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op") }()
			for _, err := range ingest.LinesN(r, w) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != b.N {
				b.Fatalf("%d rows for %d lines", n, b.N)
			}
		})
	}
}
