package eligibility

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestZoneCache compares the local clock and next local edge of one cache
// kept across instants and zones with those of a fresh cache each time
// (localClock, nextLocal), and the local clock with the time package's
// wall clock, for zones with and without
// daylight saving, half-hour changes and fixed offsets, at instants around
// their changes and at random, in order and shuffled, with one cache for
// all of them as a decision's state keeps it.
func TestZoneCache(t *testing.T) {
	var locs []*time.Location
	for _, name := range []string{"Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu",
		"America/Sao_Paulo", "Pacific/Apia", "Europe/Dublin", "UTC"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		locs = append(locs, loc)
	}
	locs = append(locs, time.FixedZone("X", -(9*3600+30*60)), nil)
	r := rand.New(rand.NewPCG(3, 4))
	var instants []time.Time
	for _, loc := range locs {
		l := loc
		if l == nil {
			l = time.UTC
		}
		// Every change from 1960 to 2100, a second and a nanosecond on
		// either side.
		for at := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC); at.Year() < 2100; {
			_, end := at.In(l).ZoneBounds()
			if end.IsZero() {
				break
			}
			if !end.After(at) { // no progress at a change: step past it
				at = at.Add(time.Hour)
				continue
			}
			for _, d := range []time.Duration{-time.Second, -time.Nanosecond, 0, time.Nanosecond, time.Second} {
				instants = append(instants, end.Add(d))
			}
			at = end
		}
	}
	for range 20000 {
		instants = append(instants, time.Unix(r.Int64N(int64(300*365*86400))-int64(100*365*86400), r.Int64N(1e9)))
	}
	edges := [][]int32{nil, hourEdges[:], {8 * 3600, 20*3600 + 1800}}
	check := func(z *zoneCache, at time.Time, loc *time.Location) {
		l := loc
		if l == nil {
			l = time.UTC
		}
		lt := at.In(l)
		y, m, d := lt.Date()
		wall := localTime{time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400, int32(lt.Hour()*3600 + lt.Minute()*60 + lt.Second())}
		if got, fresh := z.clock(at, loc), localClock(at, loc); got != wall || fresh != wall {
			t.Fatalf("clock(%v, %v) = %v, with a fresh cache %v; the wall clock says %v", at, loc, got, fresh, wall)
		}
		for _, e := range edges {
			if got, want := z.nextLocal(at, loc, e), nextLocal(at, loc, e); !got.Equal(want) || got.Location() != want.Location() {
				t.Fatalf("nextLocal(%v, %v, %v) = %v, want %v", at, loc, e, got, want)
			}
		}
	}
	var z zoneCache
	for _, loc := range locs {
		for _, at := range instants {
			check(&z, at, loc)
		}
	}
	for range 200000 {
		check(&z, instants[r.IntN(len(instants))], locs[r.IntN(len(locs))])
	}
}
