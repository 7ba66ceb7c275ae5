package eligibility

import (
	"testing"
	"time"
)

// Every function of the table says how it depends on the instant
// evaluated: time-free, changing only at the contact's event instants
// (which the search adds), or clocked with its own change points. A new
// function that reads the clock without a next would let the search step
// over the instant a send becomes lawful.
func TestEveryFunctionDeclaresItsTiming(t *testing.T) {
	for _, f := range domainFuncs {
		switch {
		case f.timing == untimed:
			t.Errorf("%s: no timing: declare next (after0, after1), byEvents or free", f.name)
		case f.timing == clocked && f.next == nil:
			t.Errorf("%s: clocked without next", f.name)
		case f.timing != clocked && f.next != nil:
			t.Errorf("%s: a next on a function marked %d", f.name, f.timing)
		}
	}
}

// nextLocal steps to the next wall-clock edge, local midnight or zone
// change, exactly, across the daylight-saving nights of 2026.
func TestNextLocal(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip(err)
	}
	utc := func(mo time.Month, d, h, mi int) time.Time { return time.Date(2026, mo, d, h, mi, 0, 0, time.UTC) }
	for _, tc := range []struct {
		name  string
		after time.Time
		edges []int32
		want  time.Time
	}{
		{"next hour", utc(3, 10, 8, 30), hourEdges[:], utc(3, 10, 9, 0)},
		{"on an edge: the following one", utc(3, 10, 9, 0), hourEdges[:], utc(3, 10, 10, 0)},
		{"a nanosecond after an edge", utc(3, 10, 9, 0).Add(1), hourEdges[:], utc(3, 10, 10, 0)},
		{"midnight when no edge is left", utc(3, 10, 21, 0), []int32{10 * 3600}, utc(3, 10, 23, 0)},
		{"spring forward: the gap's end", utc(3, 29, 0, 30), []int32{2*3600 + 1800}, utc(3, 29, 1, 0)},
		{"after the gap: CEST edges", utc(3, 29, 1, 0), []int32{10 * 3600}, utc(3, 29, 8, 0)},
		{"fall back: first occurrence of 02:30", utc(10, 25, 0, 0), []int32{2*3600 + 1800}, utc(10, 25, 0, 30)},
		{"fall back: the zone change", utc(10, 25, 0, 30), []int32{2*3600 + 1800}, utc(10, 25, 1, 0)},
		{"fall back: second occurrence of 02:30", utc(10, 25, 1, 0), []int32{2*3600 + 1800}, utc(10, 25, 1, 30)},
	} {
		if got := nextLocal(tc.after, paris, tc.edges); !got.Equal(tc.want) {
			t.Errorf("%s: nextLocal(%v) = %v, want %v", tc.name, tc.after, got, tc.want)
		}
	}
}
