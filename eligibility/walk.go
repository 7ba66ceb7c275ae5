package eligibility

import (
	"sync"
	"time"
	"unsafe"

	"github.com/sendright/sendright/rules"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/internal/canon"
	"github.com/sendright/sendright/internal/limits"
)

// Reason codes of decisions no rule made.
const (
	ReasonNoRules            = "NO_RULES"             // no rule set for the contact's country
	ReasonNoRulesForChannel  = "NO_RULES_FOR_CHANNEL" // the set has no rules for the channel
	ReasonNoLegalBasis       = "NO_LEGAL_BASIS"       // no rule allowed the send
	ReasonInvalidRequest     = "INVALID_REQUEST"      // the contact or message is malformed
	ReasonEvaluationError    = "EVALUATION_ERROR"     // a condition failed at run time
	ReasonHostFunctionFailed = "HOST_FUNCTION_FAILED" // a host function returned an error or panicked
)

// evaluate is the one walk behind [Policy.Decide] and [Policy.Explain]:
// with a trace, it records what each rule gave as it goes, and completes
// the record of the rules the decision did not need; without, it records
// nothing and allocates nothing. Only an allow without error is
// [Allow], and a wait the search ended in an allow [Defer]; everything
// else is [Deny].
func (p *Policy) evaluate(c *consent.Contact, m *consent.Message, tr *trace) (Decision, error) {
	var d Decision
	err := p.evaluateInto(c, m, tr, &d)
	return d, err
}

// evaluateInto is evaluate filling *d, which it overwrites: the decision
// is built in place and carried along the walk by pointer, never copied
// by value from one step to the next (see [Policy.decideRegimes]).
func (p *Policy) evaluateInto(c *consent.Contact, m *consent.Message, tr *trace, d *Decision) error {
	err := p.decide(c, m, tr, d)
	if d.Verdict != Allow && d.Verdict != Defer || err != nil {
		d.Verdict = Deny
	}
	if m != nil {
		d.At = m.At
	}
	d.PolicyVersion = p.version
	return err
}

// decide checks the request and walks the rules, filling *d.
func (p *Policy) decide(c *consent.Contact, m *consent.Message, tr *trace, d *Decision) error {
	if c == nil {
		*d = Decision{Basis: rules.NoLegalBasis, Reason: ReasonInvalidRequest, Detail: "no contact"}
		return errNoContact
	}
	if m == nil {
		*d = Decision{Basis: rules.NoLegalBasis, Reason: ReasonInvalidRequest, Detail: "no message"}
		return errNoMessage
	}
	if err := c.Check(); err != nil {
		*d = invalidOutcome(err)
		return err
	}
	if err := m.Check(); err != nil {
		*d = invalidOutcome(err)
		return err
	}
	route, err := p.transfers.route(m)
	if err != nil {
		*d = Decision{Basis: rules.NoLegalBasis, Rule: RuleRoutes, Reason: ReasonRouteUnknown, Detail: err.Error()}
		return err
	}
	err = p.decideContact(c, m, tr, d)
	if err == nil {
		p.applyTransfer(c, m, route, d)
	}
	return err
}

// decideContact decides the message by the rules of the regimes reaching
// it, filling *d.
func (p *Policy) decideContact(c *consent.Contact, m *consent.Message, tr *trace, d *Decision) error {
	var rs regimeList
	if !p.resolve(c, m, &rs, d) {
		return nil
	}
	if c.Address(m.Channel).IsZero() {
		err := &consent.FieldError{Field: "contact." + addrField(m.Channel), Err: consent.ErrMissing,
			Msg: "missing for a " + m.Channel.String() + " message"}
		*d = invalidOutcome(err)
		return err
	}
	if rs.n > 1 {
		return p.decideRegimes(c, m, &rs, tr, d)
	}
	st := p.bind(c, m, rs.r[0].j)
	err := st.walkRegime(rs.r[0], tr, d)
	st.release()
	d.Regimes[0] = Regime{Jurisdiction: rs.r[0].j.code, Reach: rs.r[0].reach, Verdict: d.Verdict}
	return err
}

// walk decides by the tiers, in order, at the message instant, into *out;
// when a defer rule is the only obstacle, it searches for the instant the
// send becomes lawful ([evalState.search]). See [Policy.Decide].
func (st *evalState) walk(tiers *tiers, tr *trace, out *Decision) error {
	by, err := st.walkAt(tiers, tr, out)
	if by == nil || err != nil || out.Verdict != Allow {
		return err // no defer rule matched, or waiting would not help
	}
	d, err := st.search(by, *out)
	*out = d
	return err
}

// walkAt decides by the tiers at st.now, ignoring the defer rules, into
// *out, and returns the first defer rule that matched (nil: none).
func (st *evalState) walkAt(tiers *tiers, tr *trace, out *Decision) (*tierRule, error) {
	j := st.j
	st.nLifted = 0
	// A transactional message carrying a rating request or a promotion is
	// stopped for those purposes before any exempt rule can allow it.
	if r := st.transactionalStop(); r != nil {
		st.outcome(r, false, out)
		return nil, nil
	}
	// Exempt and deny: the first match decides.
	for _, effect := range [...]rules.Effect{rules.Exempt, rules.Deny} {
		for i := range tiers[effect] {
			r := &tiers[effect][i]
			ok, err := st.try(r, tr)
			if err != nil {
				st.evalOutcome(r, err, out)
				return nil, err
			}
			switch {
			case ok && effect == rules.Deny && r.override != nil:
				st.lift(r) // overridden: as if absent
			case ok:
				st.outcome(r, effect == rules.Exempt, out)
				return nil, nil
			}
		}
	}
	// Stops are invariants: whatever the rule set holds, an objection or a
	// withdrawal in force for this purpose and channel, or for one the
	// content carries, denies.
	if r := st.engineStop(); r != nil {
		st.outcome(r, false, out)
		return nil, nil
	}
	// Defer: the first match is remembered; the walk goes on, to know
	// whether waiting would help.
	by, liftedDefer, failed, err := st.firstDefer(tiers, tr)
	if err != nil {
		st.evalOutcome(failed, err, out)
		return nil, err
	}
	// Allow: the strongest clean basis; a review match only if none.
	best, review, failed, err := st.allowing(tiers, tr)
	switch {
	case err != nil:
		st.evalOutcome(failed, err, out)
		return nil, err
	case best != nil:
		if liftedDefer != nil {
			st.lift(liftedDefer) // the allow would have waited for it too
		}
		st.outcome(best, true, out)
		return by, nil
	case review != nil:
		st.outcome(review, false, out)
		return by, nil
	}
	noBasis := tiers[rules.NoBasis]
	if st.verdictOnly && !st.p.hostFuncs { // a host function's failure would be reported
		noBasis = nil // the no-basis rules only explain the deny, and no one reads it
	}
	for i := range noBasis {
		r := &noBasis[i]
		ok, err := st.try(r, tr)
		if err != nil {
			st.evalOutcome(r, err, out)
			return nil, err
		}
		if ok {
			st.outcome(r, false, out)
			return by, nil
		}
	}
	*out = Decision{Jurisdiction: j.code, Basis: rules.NoLegalBasis, Reason: ReasonNoLegalBasis,
		Detail: "no rule allows this message", Purpose: st.m.Purpose, Reclassified: st.reclass,
		Overrides: st.applied(nil)}
	return by, nil
}

// allowing returns the allow rule with the strongest basis that matches
// cleanly (one needing review that an override waives counts as clean),
// else the first match needing review, else neither, or the rule that
// failed with its error. st.evidence is the returned match's.
func (st *evalState) allowing(tiers *tiers, tr *trace) (best, review, failed *tierRule, err error) {
	var reviewEv Evidence
	// The allow tier is sorted by basis rank (stably), so the first clean
	// match is the strongest basis and ends the search.
	for i := range tiers[rules.Allow] {
		r := &tiers[rules.Allow][i]
		ok, err := st.try(r, tr)
		switch {
		case err != nil:
			return nil, nil, r, err
		case !ok:
		case r.rule.NeedsReview && r.override == nil:
			if review == nil {
				review, reviewEv = r, st.evidence
			}
		default:
			return r, nil, nil, nil
		}
	}
	st.evidence = reviewEv
	return nil, review, nil, nil
}

// firstDefer returns the first defer rule that matches, or the one that
// failed with its error, and the first overridden defer rule that matched
// before either (passed over: as if absent).
func (st *evalState) firstDefer(tiers *tiers, tr *trace) (by, lifted, failed *tierRule, err error) {
	for i := range tiers[rules.Defer] {
		r := &tiers[rules.Defer][i]
		ok, err := st.try(r, tr)
		switch {
		case err != nil:
			return nil, lifted, r, err
		case ok && r.override != nil:
			if lifted == nil {
				lifted = r
			}
		case ok:
			return r, lifted, nil, nil
		}
	}
	return nil, lifted, nil, nil
}

// try evaluates a rule and, when tracing, records what it gave.
func (st *evalState) try(r *tierRule, tr *trace) (bool, error) {
	if r.plain && tr == nil { // eval's common case, without its call
		st.evidence = Evidence{}
		if ok := r.test(st); st.err == "" {
			return ok, nil
		}
		return false, st.evalError(r)
	}
	ok, err := st.eval(r)
	if tr != nil {
		tr.record(st, r, ok, err)
	}
	return ok, err
}

// addrField names the contact's field holding the address messages on ch
// go to.
func addrField(ch consent.Channel) string {
	switch ch {
	case consent.Email:
		return "email"
	case consent.Push:
		return "push"
	case consent.Post:
		return "postal"
	}
	return "phone"
}

var (
	errNoContact = &consent.FieldError{Field: "contact", Err: consent.ErrMissing}
	errNoMessage = &consent.FieldError{Field: "message", Err: consent.ErrMissing}
)

func invalidOutcome(err error) Decision {
	return Decision{Basis: rules.NoLegalBasis, Reason: ReasonInvalidRequest, Detail: err.Error()}
}

// evalOutcome writes the deny of rule r failing with err into *o.
func (st *evalState) evalOutcome(r *tierRule, err error, o *Decision) {
	reason := ReasonEvaluationError
	if e, ok := err.(*EvalError); ok && e.Function != "" {
		reason = ReasonHostFunctionFailed
	}
	*o = Decision{Jurisdiction: st.j.code, Basis: rules.NoLegalBasis, Rule: r.rule.ID, Reason: reason,
		Citation: r.rule.Citation, Detail: err.Error(), Purpose: st.m.Purpose, Reclassified: st.reclass}
}

// evalState is the per-decision state the domain functions read. It is
// pooled, so that the message (copied in by value, so the caller's request
// does not escape to the heap) costs no allocation per decision.
type evalState struct {
	c *consent.Contact
	m consent.Message
	// now is the instant evaluated: the message instant, then each
	// candidate instant of a search. No function reads m.At.
	now      time.Time
	at       instant         // now, for validity intervals
	label    consent.Purpose // the message's own purpose, before reclassification
	j        *jurisdiction
	p        *Policy
	evidence Evidence
	// sender matches entity names with the message's sender: its key is
	// computed once per decision, into a buffer the pooled state keeps.
	sender canon.Matcher

	// cat is the canonical key of the message's category, built once per
	// decision in catBuf without allocating. It aliases catBuf, so it is
	// valid only until the state is released; nothing of a decision keeps it.
	cat    string
	catBuf [2 * limits.MaxIDLen]byte

	reclass Reclassification // why st.m.Purpose is not the message's label

	// provenance: whether a record of the contact carries a provenance,
	// so that the rules that hold only for an indirect grant are
	// evaluated ([compiled.indirectOnly]); read from the records the
	// first time such a rule is reached in a binding (see hasProvenance).
	provenance provenanceKnown

	// memo holds the ledger states asked at st.now, by purpose, channel
	// and age rule: the rules ask the same questions several times per
	// decision, and every regime of a decision asks them again (see
	// [evalState.state]). nMemo entries are in use; once all are, the
	// next question replaces entry memoNext.
	memo     [maxMemo]memoEntry
	nMemo    uint8
	memoNext uint8
	// calls are the sender's calls with their local dates, computed once
	// per decision when callsOK is false ([evalState.senderCalls]); the
	// buffer is kept with the pooled state.
	calls   []histRec
	callsOK bool
	// sends are the sender's sends, likewise ([evalState.senderSends]).
	sends   []histRec
	sendsOK bool
	// lifted are the overridden rules whose condition held in the current
	// walk and which were passed over, in walk order.
	lifted  [maxLifted]*compiled
	nLifted uint8
	// zone is the recipient's time zone over one period, kept from one
	// decision to the next ([zoneCache]).
	zone zoneCache
	// err is set by a host function that failed or panicked, errFunc to
	// its name; eval turns them into an evaluation error, which denies.
	err, errFunc string
	// verdictOnly is set while a regime is walked whose decision only its
	// verdict will show: an earlier regime of the decision denied with a
	// deny no later one can displace ([Policy.decideRegimes]).
	verdictOnly bool
	// more holds the decisions of a message's regimes after the first
	// ([Policy.decideRegimes]), kept with the pooled state so that no
	// decision needs clearing before its walk writes it.
	more [MaxRegimes - 1]Decision
}

var statePool = sync.Pool{New: func() any { return new(evalState) }}

// bind takes a pooled state and binds it to one decision. The message is
// copied in by value, so that the caller's request does not escape.
func (p *Policy) bind(c *consent.Contact, m *consent.Message, j *jurisdiction) *evalState {
	st := statePool.Get().(*evalState)
	st.c, st.m, st.j, st.p, st.label = c, *m, j, p, m.Purpose
	st.now, st.at = m.At, instantOf(m.At)
	st.provenance = provenanceUnread
	st.setCategory()
	st.sender.Reset(m.Sender.Entity, (*canon.Aliases)(p.aliases))
	st.reclassify() // reads the sender's purchases: after the sender key
	return st
}

// setCategory computes the canonical key of the message's category.
func (st *evalState) setCategory() {
	if canon.IsCategoryKey(st.m.Category) {
		st.cat = st.m.Category // already canonical: the common case
		return
	}
	b := canon.AppendCategoryKey(st.catBuf[:0], st.m.Category)
	st.cat = unsafe.String(unsafe.SliceData(b), len(b))
}

func (st *evalState) release() {
	st.c, st.j, st.p, st.evidence, st.cat, st.reclass = nil, nil, nil, Evidence{}, "", NotReclassified
	st.verdictOnly = false
	st.now = time.Time{}
	st.m = consent.Message{}
	st.clearMemo()
	st.calls, st.callsOK = st.calls[:0], false
	st.sends, st.sendsOK = st.sends[:0], false
	st.lifted, st.nLifted = [maxLifted]*compiled{}, 0
	statePool.Put(st)
}

// eval runs one rule's condition. A rule outside its validity interval is
// false.
func (st *evalState) eval(r *tierRule) (bool, error) {
	if r.bounded && !r.activeFor(st.at) {
		return false, nil
	}
	st.evidence = Evidence{}
	switch {
	case r.indirectOnly && !st.hasProvenance():
		return false, nil
	case r.always:
		return true, nil
	}
	ok := r.test(st)
	if st.err != "" { // a host function failed: a deny, whatever it returned
		return false, st.evalError(r)
	}
	return ok, nil
}

// evalError is the error of rule r's evaluation, whose host function
// failed (st.err), which it clears.
func (st *evalState) evalError(r *tierRule) error {
	msg, fn := st.err, st.errFunc
	st.err, st.errFunc = "", ""
	return &EvalError{Rule: r.rule.ID, Msg: msg, Function: fn}
}

// provenanceKnown is what a state knows of its contact's provenances.
type provenanceKnown uint8

const (
	provenanceUnread provenanceKnown = iota
	provenanceNone
	provenanceSome
)

// hasProvenance reports whether a record of the contact carries a
// provenance, reading the records once per binding.
func (st *evalState) hasProvenance() bool {
	if st.provenance == provenanceUnread {
		st.provenance = provenanceNone
		if st.c != nil && st.c.Records.HasProvenance() {
			st.provenance = provenanceSome
		}
	}
	return st.provenance == provenanceSome
}

// outcome writes the decision of rule r into *o, which it overwrites:
// an allow when allowed (and no review is needed, or the host's override
// waives it), else a deny.
func (st *evalState) outcome(r *tierRule, allowed bool, o *Decision) {
	// Field by field, in place: a composite literal would be built aside
	// and copied.
	*o = Decision{}
	o.Jurisdiction = st.j.code
	o.Basis = r.rule.Basis
	o.Rule = r.rule.ID
	o.Origin = r.origin
	o.Overrides = st.applied(r.compiled)
	o.Reason = r.rule.Reason
	o.Citation = r.rule.Citation
	o.Evidence = st.evidence
	o.NeedsReview = r.rule.NeedsReview
	o.SelfRegulatory = r.rule.SelfRegulatory
	o.Purpose = st.m.Purpose
	o.Reclassified = st.reclass
	switch {
	case allowed && !r.rule.NeedsReview:
		o.Verdict, o.Obligations = Allow, st.allowObligations(r)
	case allowed && r.override != nil: // a review the host's override waives
		o.Verdict, o.Obligations, o.NeedsReview = Allow, st.allowObligations(r), false
	default:
		o.Basis = rules.NoLegalBasis
	}
	if o.Verdict == Allow && len(o.Overrides) > 0 {
		o.Origin = FromOverride // without the overrides, not this allow
	}
}

// The domain functions, shared by the compiled closures and by cel-go.

// maxMemo is how many ledger states a decision remembers: the message's
// purpose on each channel (consentOnOtherChannel asks them all), with
// room for a reclassified purpose.
const maxMemo = 8

// memoEntry is one ledger state remembered, with its question.
type memoEntry struct {
	p      consent.Purpose
	ch     consent.Channel
	minors consent.MinorRule
	s      consent.State
}

// state returns the contact's ledger state for purpose p on channel ch at
// st.now under the jurisdiction's age rule, asking the ledger once per
// question and decision: the answer does not depend on the regime but
// through the age rule, which is part of the question when the contact's
// birth date is known (without one, no age rule applies). The result is
// valid until the next call.
func (st *evalState) state(p consent.Purpose, ch consent.Channel) *consent.State {
	var minors consent.MinorRule
	if !st.c.BirthDate.IsZero() {
		minors = st.j.minors
	}
	for i := range st.memo[:st.nMemo] {
		if e := &st.memo[i]; e.p == p && e.ch == ch && e.minors == minors {
			return &e.s
		}
	}
	k := st.nMemo
	if k < maxMemo {
		st.nMemo++
	} else {
		k = st.memoNext
		st.memoNext = (k + 1) % maxMemo
	}
	e := &st.memo[k]
	e.p, e.ch, e.minors = p, ch, minors
	e.s = st.c.State(consent.Query{Purpose: p, Channel: ch, Sender: st.m.Sender.Entity, Aliases: st.p.aliases,
		At: st.now, Minors: st.j.minors})
	return &e.s
}

// clearMemo forgets the ledger states remembered (st.now moved, or the
// state is released: the entries point into the contact's records).
func (st *evalState) clearMemo() {
	clear(st.memo[:st.nMemo])
	st.nMemo, st.memoNext = 0, 0
}

func (st *evalState) found(ok bool, kind EvidenceKind, id string) bool {
	if ok && id != "" {
		st.evidence = Evidence{kind, id}
	}
	return ok
}

func (st *evalState) hasConsent(p consent.Purpose, ch consent.Channel) bool {
	s := st.state(p, ch)
	return st.found(s.Consented(), RecordEvidence, s.GrantID())
}

func (st *evalState) objected(p consent.Purpose, ch consent.Channel) bool {
	s := st.state(p, ch)
	if id := s.RefusalID(); id != "" { // a refusal at collection: no record to name
		return st.found(true, RefusalEvidence, id)
	}
	return st.found(s.Objected(), RecordEvidence, s.StopID())
}

func (st *evalState) withdrawn(p consent.Purpose, ch consent.Channel) bool {
	s := st.state(p, ch)
	return st.found(s.Withdrawn(), RecordEvidence, s.StopID())
}

func (st *evalState) consentDefect(p consent.Purpose, ch consent.Channel) consent.Defect {
	s := st.state(p, ch)
	if id := s.InvalidID(); !s.Consented() && id != "" {
		st.evidence = Evidence{RecordEvidence, id}
		return s.Defect
	}
	return consent.NoDefect
}

func (st *evalState) consentMethod(p consent.Purpose, ch consent.Channel) consent.Method {
	s := st.state(p, ch)
	if s.Consented() {
		st.evidence = Evidence{RecordEvidence, s.GrantID()}
	}
	return s.GrantMethod()
}

func (st *evalState) consentDocumented(p consent.Purpose, ch consent.Channel) bool {
	s := st.state(p, ch)
	return st.found(s.GrantDocumented(), RecordEvidence, s.GrantID())
}

// presumedConsent is the host's statement of a business recipient's
// presumed consent to a live call; it never counts for a consumer.
func (st *evalState) presumedConsent() bool {
	return st.m.PresumedConsent && st.c.Kind != consent.Consumer
}

func (st *evalState) consentOnOtherChannel(p consent.Purpose) bool {
	for ch := consent.Email; ch < consent.AllChannels; ch++ {
		if ch == st.m.Channel {
			continue
		}
		if s := st.state(p, ch); s.Consented() {
			return st.found(true, RecordEvidence, s.GrantID())
		}
	}
	return false
}

func (st *evalState) similarPurchase() bool {
	return st.interaction(st.c.Relationship.Purchases, PurchaseEvidence, true, true, time.Time{})
}

func (st *evalState) similarPurchaseNoOptOut() bool {
	return st.similarNoOptOut(st.c.Relationship.Purchases, PurchaseEvidence)
}

func (st *evalState) similarInquiryNoOptOut() bool {
	return st.similarNoOptOut(st.c.Relationship.Inquiries, InquiryEvidence)
}

// similarNoOptOut finds a similar interaction at which the address messaged
// was collected without offering an opt-out.
func (st *evalState) similarNoOptOut(evs []consent.Interaction, kind EvidenceKind) bool {
	for i := range evs {
		e := &evs[i]
		if st.mine(e) && collectedFor(e, st.c.Address(st.m.Channel)) && !e.OptOutOffered && st.similar(e.Category) {
			st.evidence = Evidence{kind, e.ID}
			return true
		}
	}
	return false
}

func (st *evalState) similarInquiry() bool {
	return st.interaction(st.c.Relationship.Inquiries, InquiryEvidence, true, true, time.Time{})
}

func (st *evalState) isCustomer() bool {
	return st.interaction(st.c.Relationship.Purchases, PurchaseEvidence, false, false, time.Time{})
}

func (st *evalState) purchasedWithin(d time.Duration) bool {
	return st.interaction(st.c.Relationship.Purchases, PurchaseEvidence, false, false, st.now.Add(-d))
}

// inquiredWithin reports an inquiry or application to the sender within d
// before the instant evaluated (d ago exactly included), whatever its
// category: the inquiry branch of an existing business relationship
// (CASL s. 10(10)(e); 47 CFR 64.1200(f)(5)).
func (st *evalState) inquiredWithin(d time.Duration) bool {
	return st.interaction(st.c.Relationship.Inquiries, InquiryEvidence, false, false, st.now.Add(-d))
}

// similarPurchaseWithin is similarPurchase for a purchase made within d
// before the instant evaluated (d ago exactly included).
func (st *evalState) similarPurchaseWithin(d time.Duration) bool {
	return st.interaction(st.c.Relationship.Purchases, PurchaseEvidence, true, true, st.now.Add(-d))
}

func (st *evalState) supportedCharity(since time.Time) bool {
	return st.interaction(st.c.Relationship.Support, SupportEvidence, false, true, since)
}

func (st *evalState) supportedWithin(d time.Duration) bool {
	return st.interaction(st.c.Relationship.Support, SupportEvidence, false, true, st.now.Add(-d))
}

func (st *evalState) optOutOfferedAtCollection() bool { return st.c.OptOutOfferedAtCollection }

// publishedForMarketing reports whether the address messaged is among the
// addresses the contact's organisation published for receiving marketing
// ([consent.Contact.PublishedForMarketing]); never for a contact without an
// address on the channel.
func (st *evalState) publishedForMarketing() bool {
	a := st.c.Address(st.m.Channel)
	if a.IsZero() {
		return false
	}
	for i := range st.c.PublishedForMarketing {
		if st.c.PublishedForMarketing[i].Same(a) {
			return true
		}
	}
	return false
}

// inCategory reports whether the message's category is cat or in a
// similarity group with it, so that a sector ban also catches a host's
// finer categories declared similar to the banned one.
func (st *evalState) inCategory(cat string) bool { return st.similar(cat) }

func (st *evalState) ongoingContract() bool {
	for i := range st.c.Relationship.Contracts {
		k := &st.c.Relationship.Contracts[i]
		if st.sender.Match(k.Seller) && contractActive(k, st.now) && st.similar(k.Category) {
			st.evidence = Evidence{ContractEvidence, k.ID}
			return true
		}
	}
	return false
}

// mine reports whether an interaction is with the sending entity (by
// entity key or alias), at or before the instant evaluated.
func (st *evalState) mine(e *consent.Interaction) bool {
	return !e.At.After(st.now) && st.sender.Match(e.Seller)
}

// interaction looks for an interaction with the sender, optionally in a
// similar category, optionally with the address messaged collected at it
// and an opt-out offered, and not before since.
func (st *evalState) interaction(evs []consent.Interaction, kind EvidenceKind, similar, collected bool, since time.Time) bool {
	for i := range evs {
		e := &evs[i]
		if !st.mine(e) || (!since.IsZero() && e.At.Before(since)) {
			continue
		}
		if collected && !(collectedFor(e, st.c.Address(st.m.Channel)) && e.OptOutOffered) {
			continue
		}
		if similar && !st.similar(e.Category) {
			continue
		}
		st.evidence = Evidence{kind, e.ID}
		return true
	}
	return false
}

// similar reports whether a stored category (a purchase's, a contract's,
// a sector constant) counts as similar to the message's: the same canonical
// key, or sharing a similarity group the host declared. It does not
// allocate.
func (st *evalState) similar(cat string) bool {
	if cat == st.cat || canon.IsCategoryKey(cat) {
		return st.similarKey(cat)
	}
	return st.similarSlow(cat)
}

// similarKey is similar for a category already in its canonical form.
func (st *evalState) similarKey(key string) bool {
	want := st.cat
	switch {
	case key == "" || want == "": // only spaces or separators: no category
		return false
	case key == want:
		return true
	}
	return len(st.p.groups) > 0 && st.p.sameGroup(key, want)
}

// similarSlow is similar for a stored category not written canonically:
// its key is built in a buffer on the stack, which similarKey does not
// keep.
func (st *evalState) similarSlow(cat string) bool {
	var buf [2 * limits.MaxIDLen]byte
	key := canon.AppendCategoryKey(buf[:0], cat)
	return st.similarKey(unsafe.String(unsafe.SliceData(key), len(key)))
}

// sameGroup reports whether two category keys share a similarity group.
func (p *Policy) sameGroup(a, b string) bool {
	for _, g := range p.groups[a] {
		for _, h := range p.groups[b] {
			if g == h {
				return true
			}
		}
	}
	return false
}
