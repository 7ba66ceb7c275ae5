package eligibility

import (
	"time"

	"github.com/sendright/sendright/consent"
)

// consentCurrent reports whether a grant that counts for p and ch
// (hasConsent) was given no more than d before the instant evaluated, or
// records that it was expressed to be for an indefinite period
// ([consent.Indefinite]): a consent the law lets lapse after a period,
// unless expressed to be ongoing (Australia: Do Not Call Register Act 2006
// Sch. 2 cl. 3, three months). The grant is the evidence when it holds.
func (st *evalState) consentCurrent(p consent.Purpose, ch consent.Channel, d time.Duration) bool {
	s := st.state(p, ch)
	if !s.Consented() {
		return false
	}
	ok := s.GrantTerms().Has(consent.Indefinite) || !st.now.After(s.GrantAt().Add(d))
	return st.found(ok, RecordEvidence, s.GrantID())
}

// consentCurrentNext is consentCurrent's change point: one nanosecond
// after the grant's instant plus d, when the grant lapses (a new grant is
// an event instant the search adds).
func (st *evalState) consentCurrentNext(p consent.Purpose, ch consent.Channel, d time.Duration, after time.Time) time.Time {
	s := st.state(p, ch)
	if !s.Consented() || s.GrantTerms().Has(consent.Indefinite) {
		return time.Time{}
	}
	if t := s.GrantAt().Add(d + time.Nanosecond); t.After(after) {
		return t
	}
	return time.Time{}
}
