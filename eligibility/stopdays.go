package eligibility

import (
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/internal/holidays"
)

// stopBusinessDays is the number of business days from the earliest
// withdrawal or objection in force for the purpose and channel (as
// withdrawn and objected match them, a refusal at collection included) to
// the instant evaluated, or -1 when none is in force. Business days are
// Monday to Friday, less the public holidays of the recipient's holiday
// table (region, or country), counted on local dates in the recipient's
// time zone: the dates after the stop's, up to and including the instant's
// own. So a stop received on a Monday has been in force 10 business days
// on the Monday two weeks later, and 11 on the Tuesday. Where the
// recipient's holidays are not known every day is a holiday: the count
// stays 0.
//
// Rules compare it with a legal processing window (the United States' and
// Canada's 10 business days, Australia's 5 working days) to tell a stop
// still inside the window from one past it; the stop denies either way.
func (st *evalState) stopBusinessDays(p consent.Purpose, ch consent.Channel) int64 {
	s := st.state(p, ch)
	since := s.StoppedSince()
	if since.IsZero() {
		return -1
	}
	// The evidence is the stop the count runs from: the first of the run.
	if id, refusal := s.FirstStop(); refusal {
		st.evidence = Evidence{RefusalEvidence, id}
	} else {
		st.found(true, RecordEvidence, id)
	}
	from := holidays.Day(st.zone.clock(since, st.c.Location).day)
	to := holidays.Day(st.zone.clock(st.now, st.c.Location).day)
	return int64(st.j.holidays.businessDays(st.c.Region, from, to))
}

// stopBusinessDaysNext is stopBusinessDays' change points: while a stop is
// in force, each local midnight (the count grows on a business day's); the
// stop's own instant is an event the search adds.
func (st *evalState) stopBusinessDaysNext(p consent.Purpose, ch consent.Channel, after time.Time) time.Time {
	if st.state(p, ch).StoppedSince().IsZero() {
		return time.Time{}
	}
	return st.nextLocalDay(after)
}
