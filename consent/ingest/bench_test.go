package ingest_test

import (
	"encoding/json"
	"runtime"
	"strconv"
	"testing"

	"github.com/sendright/sendright/consent"
)

// BenchmarkDecode compares decoding a contact in the documented form
// (strict keys, validation, parsed addresses, a shared time zone) with
// encoding/json decoding the same bytes into map[string]any, for a
// contact with one record and one purchase and one with five records and
// two purchases. The target: at most 2×.
func BenchmarkDecode(b *testing.B) {
	for _, size := range []struct{ records, purchases int }{{1, 1}, {5, 2}} {
		doc := []byte(contactLine(7, size.records, size.purchases))
		name := strconv.Itoa(size.records) + "r" + strconv.Itoa(size.purchases) + "p"
		b.Run(name+"/contact", func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			b.ReportAllocs()
			cpu := cpuTime()
			defer func() { b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op") }()
			for b.Loop() {
				var c consent.Contact
				if err := c.UnmarshalJSON(doc); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/map", func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			b.ReportAllocs()
			cpu := cpuTime()
			defer func() { b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op") }()
			for b.Loop() {
				var m map[string]any
				if err := json.Unmarshal(doc, &m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// heapPerContact decodes n contacts with the given records and purchases,
// keeps them alive, and returns the live heap they hold, per contact.
func heapPerContact(t testing.TB, n, records, purchases int) float64 {
	docs := make([][]byte, n)
	for i := range docs {
		docs[i] = []byte(contactLine(i, records, purchases))
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	kept := make([]*consent.Contact, n)
	for i, d := range docs {
		kept[i] = new(consent.Contact)
		if err := kept[i].UnmarshalJSON(d); err != nil {
			t.Fatal(err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(kept)
	runtime.KeepAlive(docs)
	return float64(after.HeapAlloc-before.HeapAlloc-uint64(n*8)) / float64(n)
}

// TestHeapPerContact checks the bounds on the heap a decoded
// contact holds: at most 2 KiB with one record and one purchase, 3 KiB
// with five records and two purchases (its zone shared, see package
// consent). Memory, unlike time, is deterministic enough to assert.
func TestHeapPerContact(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("decodes 10,000 contacts; the race detector's bookkeeping counts as heap")
	}
	for _, tt := range []struct {
		records, purchases int
		max                float64
	}{{1, 1, 2048}, {5, 2, 3072}} {
		got := heapPerContact(t, 5000, tt.records, tt.purchases)
		t.Logf("%d records, %d purchases: %.0f bytes per contact", tt.records, tt.purchases, got)
		if got > tt.max {
			t.Errorf("a contact with %d records and %d purchases holds %.0f bytes, want at most %.0f",
				tt.records, tt.purchases, got, tt.max)
		}
	}
}
