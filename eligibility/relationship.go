package eligibility

import (
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
)

// promotional reports whether c carries a promotional marker (body or
// subject line): what turns a transactional, consent or feedback message
// into marketing where the rule set reads mixed messages as marketing.
func promotional(c consent.Content) bool {
	return c&(consent.PromotionalBody|consent.PromotionalSubject|consent.TransactionalNotFirst) != 0
}

// contractActive reports whether k is in force at t: from its Start, until
// its End (exclusive; a zero End is open-ended).
func contractActive(k *consent.Contract, t time.Time) bool {
	return !t.Before(k.Start) && (k.End.IsZero() || t.Before(k.End))
}

// collectedFor reports whether a, the address a message goes to, was
// collected in e (compared as by [address.Address.Same]): the soft opt-in
// and the customer exceptions need the details to have been obtained in
// the sale, inquiry or support (ePD art. 13(2)). The zero Address was never
// collected.
func collectedFor(e *consent.Interaction, a address.Address) bool {
	if a.IsZero() {
		return false
	}
	for i := range e.Collected {
		if e.Collected[i].Same(a) {
			return true
		}
	}
	return false
}
