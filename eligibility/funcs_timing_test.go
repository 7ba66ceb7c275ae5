package eligibility

import (
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
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

// nextWindow returns exactly the next instant at which the window's value
// changes — not an earlier edge — checked minute by minute (window edges
// are whole minutes, zone changes whole hours) over weeks holding the
// daylight-saving nights of 2026, Easter and Alsace-Moselle's Good Friday,
// and a weekend with a holiday on the Friday.
func TestNextWindowIsExact(t *testing.T) {
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip(err)
	}
	j := p.lookup(address.MustCountry("FR"))
	w := j.window("fr_consumer_calls")
	if w == nil {
		t.Fatal("no window fr_consumer_calls in FR")
	}
	for _, region := range []string{"", "FR-57"} {
		c := &consent.Contact{ID: "c-1", Kind: consent.Consumer, Country: address.MustCountry("FR"), Region: region, Location: paris}
		st := &evalState{c: c, j: j, p: p}
		for _, start := range []time.Time{
			time.Date(2026, 3, 26, 18, 7, 0, 0, time.UTC),   // spring forward on Sunday 29 March
			time.Date(2026, 4, 1, 9, 0, 30, 0, time.UTC),    // Good Friday 3 April, Easter Monday 6 April
			time.Date(2026, 10, 22, 11, 59, 0, 0, time.UTC), // fall back on Sunday 25 October
			time.Date(2026, 5, 6, 7, 0, 0, 0, time.UTC),     // Friday 8 May, Ascension Thursday 14 May
		} {
			for after := start; after.Before(start.Add(8 * 24 * time.Hour)); after = after.Add(37 * time.Minute) {
				was := st.windowAt(w, after)
				want := after.Truncate(time.Minute).Add(time.Minute)
				for st.windowAt(w, want) == was {
					want = want.Add(time.Minute)
				}
				if got := st.nextWindow(w.name, after); !got.Equal(want) {
					t.Fatalf("region %q: nextWindow(%v) = %v, want %v (in window: %v)", region, after.In(paris), got.In(paris), want.In(paris), was)
				}
			}
		}
	}
}
