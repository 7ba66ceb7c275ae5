package eligibility

import (
	"math"
	"time"
)

// zoneCache remembers the UTC offset of one time zone over the period in
// which it holds (from one of the zone's changes to the next), so that the
// local clocks a decision reads — windows, local dates, the search's next
// local midnight — cost one zone lookup per period instead of one each. A
// lookup searches the zone's transitions and, for instants after the last
// one stored (the compact form of the IANA database, which the WebAssembly
// module embeds, stores few), evaluates the zone's rule: a tenth of a
// batch's time in the module before this cache. Each evalState keeps one,
// from one decision to the next; it holds its Location, so its address is
// never another zone's. The zero value is empty.
type zoneCache struct {
	loc        *time.Location
	start, end int64 // the period, [start, end) in Unix seconds
	off        int64 // the offset in seconds east of UTC
}

// offset returns loc's offset at t, in seconds east of UTC, and the end of
// the period it holds in (Unix seconds; math.MaxInt64 when it holds for
// ever). loc is not nil.
func (z *zoneCache) offset(t time.Time, loc *time.Location) (off, end int64) {
	if s := t.Unix(); loc == z.loc && s >= z.start && s < z.end {
		return z.off, z.end
	}
	lt := t.In(loc)
	_, o := lt.Zone()
	from, to := lt.ZoneBounds()
	z.loc, z.off, z.start, z.end = loc, int64(o), math.MinInt64, math.MaxInt64
	// Changes fall on whole seconds, so an instant is inside the period
	// exactly when its Unix second is.
	if !from.IsZero() {
		z.start = from.Unix()
	}
	if !to.IsZero() {
		z.end = to.Unix()
	}
	return z.off, z.end
}

// clock returns the local date and time of t in loc (UTC when nil), with
// integer arithmetic on the zone's offset, looked up once per period.
func (z *zoneCache) clock(t time.Time, loc *time.Location) localTime {
	if loc == nil {
		loc = time.UTC
	}
	off, _ := z.offset(t, loc)
	s := t.Unix() + off
	d := s / 86400
	if s%86400 < 0 {
		d--
	}
	return localTime{d, int32(s - d*86400)}
}

// nextLocal is [nextLocal] (loc UTC when nil), the zone looked up once per
// period.
func (z *zoneCache) nextLocal(after time.Time, loc *time.Location, edges []int32) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	off, end := z.offset(after, loc)
	sec := (after.Unix() + off) % 86400
	if sec < 0 {
		sec += 86400
	}
	edge := int64(86400)
	for _, e := range edges {
		if int64(e) > sec {
			edge = int64(e)
			break
		}
	}
	next := after.Add(time.Duration(edge-sec)*time.Second - time.Duration(after.Nanosecond()))
	if end != math.MaxInt64 {
		if e := time.Unix(end, 0); e.Before(next) && e.After(after) {
			next = e
		}
	}
	return next.In(time.UTC)
}
