package eligibility

import (
	"time"

	"github.com/sendright/sendright/consent"
)

// The domain functions of issue 13 over the host's inputs: counts over a
// rolling period rather than calendar days (callsWithin, sentWithin: "at
// most three calls in 24 hours"), and the elements of a written agreement
// (writtenConsentMissing).

// countWithin counts the records of recs that f keeps made at or before
// the instant evaluated and no more than d before it (d ago exactly
// included): a rolling period, whatever the local dates. A non-positive d
// counts only the records at the instant itself.
func (st *evalState) countWithin(recs []histRec, d time.Duration, f histFilter) int64 {
	now := st.at
	from := instantOf(st.now.Add(-d))
	var n int64
	for i := range recs {
		if c := &recs[i]; !now.before(c.at) && !c.at.before(from) && f.keep(c) {
			n++
		}
	}
	return n
}

// changeWithin is countWithin's change points: the next instant after
// `after` at which a record f keeps enters the count (its instant) or
// leaves it (one nanosecond after its instant plus d).
func (st *evalState) changeWithin(recs []histRec, d time.Duration, f histFilter, after time.Time) time.Time {
	a := instantOf(after)
	var next time.Time
	for i := range recs {
		c := &recs[i]
		if !f.keep(c) {
			continue
		}
		at := time.Unix(c.at.sec, c.at.nsec)
		if a.before(c.at) {
			next = earliest(next, at)
		}
		if l := at.Add(max(d, 0) + time.Nanosecond); l.After(after) {
			next = earliest(next, l)
		}
	}
	return next
}

// callsWithin is the number of calls (live or automated attempts) by the
// sender made no more than d before the instant evaluated, up to it.
func (st *evalState) callsWithin(d time.Duration) int64 {
	return st.countWithin(st.senderCalls(), d, histFilter{})
}

func (st *evalState) callsWithinNext(d time.Duration, after time.Time) time.Time {
	return st.changeWithin(st.senderCalls(), d, histFilter{}, after)
}

// sentWithin is the number of messages sent by the sender for purpose p
// (AllMarketing: any marketing purpose) on channel ch (AllChannels: any)
// no more than d before the instant evaluated, up to it.
func (st *evalState) sentWithin(p consent.Purpose, ch consent.Channel, d time.Duration) int64 {
	return st.countWithin(st.senderSends(), d, histFilter{purpose: p, channel: ch})
}

func (st *evalState) sentWithinNext(p consent.Purpose, ch consent.Channel, d time.Duration, after time.Time) time.Time {
	return st.changeWithin(st.senderSends(), d, histFilter{purpose: p, channel: ch}, after)
}

// writtenConsentMissing is the first element of a written agreement the
// grant that counts for p and ch lacks ([consent.State.GrantMissing]), or
// NoTerm; the grant is the evidence when one is missing.
func (st *evalState) writtenConsentMissing(p consent.Purpose, ch consent.Channel) consent.Term {
	s := st.state(p, ch)
	t := s.GrantMissing()
	if t != consent.NoTerm {
		st.evidence = Evidence{RecordEvidence, s.GrantID()}
	}
	return t
}
