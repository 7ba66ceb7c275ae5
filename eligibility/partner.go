package eligibility

import (
	"slices"
	"time"

	"cel.dev/cel-go/common/ast"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/rules"
)

// This file holds the domain functions of partner data: consent another
// company collected for the sender (consent.Provenance). Whether such a
// grant counts is the ledger's answer (hasConsent never counts one with a
// defect, and consentDefect names it); the functions below tell the rules
// that the grant is indirect, whether the collector informed the person and
// offered an opt-out, and the time limits around it.

// judgedID is the id of the grant a state judged: the one that counts, or
// the one that does not.
func judgedID(s *consent.State) string {
	if id := s.GrantID(); id != "" {
		return id
	}
	return s.InvalidID()
}

// indirectConsent reports whether the grant judged for the purpose and
// channel (the one hasConsent counts, or else the one consentDefect
// judges) was collected by another legal entity.
func (st *evalState) indirectConsent(p consent.Purpose, ch consent.Channel) bool {
	s := st.state(p, ch)
	return st.found(s.Indirect(), RecordEvidence, judgedID(s))
}

// partnerInformed reports whether that indirect grant records that the
// collector designated the recipients (a list or a category) and offered a
// free opt-out from the transfer.
func (st *evalState) partnerInformed(p consent.Purpose, ch consent.Channel) bool {
	s := st.state(p, ch)
	return st.found(s.InformedAtCollection(), RecordEvidence, judgedID(s))
}

// indirectConsentAged reports whether the grant that counts is indirect and
// was given more than the jurisdiction's max_indirect_consent_age_months
// before the instant evaluated; false when the jurisdiction sets none.
func (st *evalState) indirectConsentAged(p consent.Purpose, ch consent.Channel) bool {
	months := st.j.indirectAge
	s := st.state(p, ch)
	if months == 0 || !s.Consented() || !s.Indirect() {
		return false
	}
	return st.found(st.now.After(addMonths(s.GrantAt(), months)), RecordEvidence, s.GrantID())
}

// indirectConsentAgedNext is indirectConsentAged's change point: one
// nanosecond after the grant's instant plus the age.
func (st *evalState) indirectConsentAgedNext(p consent.Purpose, ch consent.Channel, after time.Time) time.Time {
	months := st.j.indirectAge
	s := st.state(p, ch)
	if months == 0 || !s.Consented() || !s.Indirect() {
		return time.Time{}
	}
	if t := addMonths(s.GrantAt(), months).Add(time.Nanosecond); t.After(after) {
		return t
	}
	return time.Time{}
}

// art14NoticeLate reports whether the grant judged for the purpose and
// channel (the one hasConsent counts, or else the one consentDefect
// judges: partner data relied on for post or a call on a legitimate
// interest) is indirect, the month after the sender obtained the data has
// run out by the instant evaluated ([art14Deadline]), and no notice of
// GDPR art. 14 was sent by then (art. 14(3)(a): at the latest within one
// month of obtaining them, whatever the basis of the processing).
func (st *evalState) art14NoticeLate(p consent.Purpose, ch consent.Channel) bool {
	s := st.state(p, ch)
	if !s.Indirect() {
		return false
	}
	obtained, noticed := s.Obtained()
	late := !st.now.Before(art14Deadline(obtained, st.c.Location)) && (noticed.IsZero() || noticed.After(st.now))
	return st.found(late, RecordEvidence, judgedID(s))
}

// art14Deadline returns the first instant at which the month of GDPR art.
// 14(3)(a) from obtained has run out: the end of the date one month after
// obtained's, in the recipient's time zone loc (UTC when unknown), or of
// that month's last day when it has no such date (Regulation (EEC,
// Euratom) No 1182/71 art. 3(1) and 3(2)(c): the day of the event is not
// counted, and a period of months ends with the last hour of the day with
// the same date).
func art14Deadline(obtained time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := obtained.In(loc).Date()
	last := time.Date(y, m+2, 0, 0, 0, 0, 0, loc).Day() // the last day of the next month
	return time.Date(y, m+1, min(d, last)+1, 0, 0, 0, 0, loc)
}

// art14NoticeLateNext is art14NoticeLate's change points: the month's
// end, and the instant the notice was sent.
func (st *evalState) art14NoticeLateNext(p consent.Purpose, ch consent.Channel, after time.Time) time.Time {
	s := st.state(p, ch)
	if !s.Indirect() {
		return time.Time{}
	}
	obtained, noticed := s.Obtained()
	var next time.Time
	for _, t := range [2]time.Time{art14Deadline(obtained, st.c.Location), noticed} {
		if !t.IsZero() && t.After(after) {
			next = earliest(next, t)
		}
	}
	return next
}

// similarPurchaseElsewhere reports a purchase, up to the instant evaluated,
// from another legal entity than the sender (an affiliate, the collector of
// partner data) in the message's category or a similarity group with it: a
// soft opt-in that belongs to that entity, never to the sender.
func (st *evalState) similarPurchaseElsewhere() bool {
	evs := st.c.Relationship.Purchases
	for i := range evs {
		e := &evs[i]
		if !e.At.After(st.now) && !st.sender.Match(e.Seller) && st.similar(e.Category) {
			st.evidence = Evidence{PurchaseEvidence, e.ID}
			return true
		}
	}
	return false
}

// addMonths adds calendar months to t, in UTC; a date the target month
// lacks (31 January plus one month) becomes its last day, so that a period
// of months never ends later than the calendar says (Regulation (EEC,
// Euratom) No 1182/71 art. 3(2)(c)).
func addMonths(t time.Time, months int) time.Time {
	t = t.UTC()
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(months), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(d, last)-1)
}

// indirectFuncs hold only for an indirect grant (consent.State.Indirect),
// which only a record carrying a provenance can be.
var indirectFuncs = map[string]bool{"indirectConsent": true, "partnerInformed": true,
	"indirectConsentAged": true, "art14NoticeLate": true}

// needsIndirect reports whether condition e can hold only for a grant
// another company collected: one of its conjuncts is a call of
// indirectFuncs, or compares consentDefect with a defect only a
// provenance gives. Such a rule is skipped, unevaluated, for a contact
// none of whose records carries a provenance (most contacts): the partner
// rules then cost one pass over the records instead of a condition each.
func needsIndirect(e ast.Expr) bool {
	if e.Kind() != ast.CallKind {
		return false
	}
	c := e.AsCall()
	switch c.FunctionName() {
	case "_&&_":
		return slices.ContainsFunc(c.Args(), needsIndirect)
	case "_==_":
		a := c.Args()
		return len(a) == 2 && (partnerDefectCmp(a[0], a[1]) || partnerDefectCmp(a[1], a[0]))
	}
	return indirectFuncs[c.FunctionName()]
}

// partnerDefectCmp reports whether call is consentDefect(…) and lit a
// string naming a defect of a grant's provenance.
func partnerDefectCmp(call, lit ast.Expr) bool {
	if call.Kind() != ast.CallKind || call.AsCall().FunctionName() != "consentDefect" || lit.Kind() != ast.LiteralKind {
		return false
	}
	v, ok := lit.AsLiteral().Value().(string)
	if !ok {
		return false
	}
	for d := consent.DefectObjectionPropagated; d <= consent.DefectNoIndividualProof; d++ {
		if d.String() == v {
			return true
		}
	}
	return false
}

// art14Notices returns the notices GDPR art. 14 (or the UK GDPR's) calls
// for in the first message of a sender relying on a consent another
// company collected, for a jurisdiction whose set is on the EU baseline
// or is the UK's; nil elsewhere. Every allow on consent carries them
// then, not only the partner rules': a national rule allowing on the
// grant (a call on consent in Germany, say) owes the same notices.
func art14Notices(code string, chain []*rules.Set) []rules.ObligationRef {
	law := "GDPR"
	switch {
	case code == "GB":
		law = "UK GDPR"
	case !slices.ContainsFunc(chain, func(s *rules.Set) bool { return s.Jurisdiction == "EU" }):
		return nil
	}
	return []rules.ObligationRef{
		{Obligation: rules.SourceDisclosure, Citation: law + " art. 14(2)(f) and 14(3)(b) (the source of the data, at the latest at the first communication)"},
		{Obligation: rules.RightsAndOptOutNotice, Citation: law + " arts. 14(2)(c), 21(4) (the right to object, at the latest at the first communication)"},
	}
}

// indirectObligations returns the obligations obl of an allow by rule r
// with the jurisdiction's art. 14 notices, or the zero Obligations when r
// is not an allow on consent or obl already carries them.
func (j *jurisdiction) indirectObligations(r *rules.Rule, obl Obligations) Obligations {
	if len(j.art14) == 0 || r.Basis != rules.Consent {
		return Obligations{}
	}
	o := withMissing(j.obligations, obl, j.art14)
	if o.mask == obl.mask {
		return Obligations{}
	}
	return o
}

// allowObligations returns the obligations of an allow by rule r: with
// the art. 14 notices when the grant judged for the message was
// collected by another company.
func (st *evalState) allowObligations(r *tierRule) Obligations {
	if r.obl == nil { // not an allow rule's place
		return Obligations{}
	}
	if r.obl.indirect.mask != 0 && st.state(st.m.Purpose, st.m.Channel).Indirect() {
		return r.obl.indirect
	}
	return r.obl.obligations
}
