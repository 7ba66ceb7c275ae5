package eligibility

import "github.com/sendright/sendright/consent"

// revokedOn reports whether the grant that counts for purpose p on
// channel ch (as hasConsent) was given no later than the latest stop for p
// on channel other - a withdrawal, an objection or a refusal at
// collection, lifted since on other or not ([consent.Contact.LastStop]).
// In the United States a revocation by any medium ends the consent to
// robocalls and robotexts given before it (47 CFR 64.1200(a)(10); FCC
// 24-24): a new consent to texts after a STOP is not a new consent to
// automated calls. A stop and a grant at the same instant: the stop wins.
// The evidence is the stop.
func (st *evalState) revokedOn(p consent.Purpose, ch, other consent.Channel) bool {
	s := st.state(p, ch)
	if !s.Consented() {
		return false
	}
	at, id, refusal := st.c.LastStop(consent.Query{Purpose: p, Channel: other, Sender: st.m.Sender.Entity,
		Aliases: st.p.aliases, At: st.now})
	if at.IsZero() || at.Before(s.GrantAt()) {
		return false
	}
	kind := RecordEvidence
	if refusal {
		kind = RefusalEvidence
	}
	return st.found(true, kind, id)
}
