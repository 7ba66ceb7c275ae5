package rules

import (
	"sync"
	"time"

	"cel.dev/cel-go/common/functions"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/interpreter"
	"github.com/sendright/sendright/consent"
)

// Reason codes of decisions no rule made.
const (
	ReasonNoRules           = "NO_RULES"             // no rule set for the contact's country
	ReasonNoRulesForChannel = "NO_RULES_FOR_CHANNEL" // the set has no rules for the channel
	ReasonNoLegalBasis      = "NO_LEGAL_BASIS"       // no rule allowed the send
	ReasonInvalidRequest    = "INVALID_REQUEST"      // the contact or message is malformed
	ReasonEvaluationError   = "EVALUATION_ERROR"     // a condition failed at run time
)

// Outcome is what walking a policy's rules for one message found. Most
// callers want eligibility.Decision, which is built from it.
type Outcome struct {
	// Allowed is true only when an exempt or allow rule decided, with no
	// review needed.
	Allowed      bool
	Jurisdiction string
	Basis        Basis
	// Rule is the id of the deciding rule; "" when no rule decided.
	Rule        string
	Reason      string
	Citation    string
	Detail      string // why, in words, when no rule decided
	Evidence    Evidence
	Obligations Obligations
	NeedsReview bool
}

// Evaluate walks the rules that apply to the contact and the message:
//
//  1. the contact's country selects the rule set: none is a deny
//     (NO_RULES); a channel the set has no rules for is a deny
//     (NO_RULES_FOR_CHANNEL);
//  2. exempt rules (a transactional message) allow before anything else;
//  3. deny rules: the first that matches denies;
//  4. allow rules: of those that match, the strongest basis wins (consent,
//     soft opt-in, B2B opt-out, not personal data); a match that needs
//     review only counts when no clean one matched, and then denies;
//  5. no_basis rules name why nothing allowed; the default is deny with
//     NO_LEGAL_BASIS.
//
// Rules outside their validity interval at the message instant are skipped.
// Invalid input, or a condition that fails at run time, returns an error
// together with a deny outcome. Evaluate is safe for concurrent use.
func (p *Policy) Evaluate(c *consent.Contact, m *consent.Message) (Outcome, error) {
	if c == nil {
		return Outcome{Basis: NoLegalBasis, Reason: ReasonInvalidRequest, Detail: "no contact"}, errNoContact
	}
	if err := c.Check(); err != nil {
		return invalidOutcome(err), err
	}
	if err := m.Check(); err != nil {
		return invalidOutcome(err), err
	}
	code := c.Country.String()
	j := p.lookup(c.Country)
	if j == nil {
		return Outcome{Jurisdiction: code, Basis: NoLegalBasis, Reason: ReasonNoRules, Detail: p.noRules[index(code)]}, nil
	}
	if !j.channels[m.Channel] {
		return Outcome{Jurisdiction: code, Basis: NoLegalBasis, Reason: ReasonNoRulesForChannel, Detail: j.noChannel[m.Channel]}, nil
	}
	if (m.Channel == consent.Email || m.Channel == consent.SMS) && c.Address(m.Channel) == "" {
		err := &consent.FieldError{Field: "contact." + addrField(m.Channel), Err: consent.ErrMissing,
			Msg: "missing for a " + m.Channel.String() + " message"}
		return invalidOutcome(err), err
	}

	st := statePool.Get().(*evalState)
	st.c, st.m, st.j, st.p = c, m, j, p
	defer st.release()

	// Exempt and deny: the first match decides.
	for _, effect := range [...]Effect{Exempt, Deny} {
		for i := range j.tiers[effect] {
			r := &j.tiers[effect][i]
			ok, err := st.eval(r)
			if err != nil {
				return evalOutcome(code, r, err), err
			}
			if ok {
				return st.outcome(r, effect == Exempt), nil
			}
		}
	}
	// Allow: the strongest clean basis; a review match only if none.
	var best, review *tierRule
	var bestEv, reviewEv Evidence
	for i := range j.tiers[Allow] {
		r := &j.tiers[Allow][i]
		if best != nil && r.rule.Basis >= best.rule.Basis {
			continue // cannot beat what we have
		}
		ok, err := st.eval(r)
		if err != nil {
			return evalOutcome(code, r, err), err
		}
		switch {
		case !ok:
		case r.rule.NeedsReview:
			if review == nil || r.rule.Basis < review.rule.Basis {
				review, reviewEv = r, st.evidence
			}
		default:
			best, bestEv = r, st.evidence
		}
	}
	if best != nil {
		st.evidence = bestEv
		return st.outcome(best, true), nil
	}
	if review != nil {
		st.evidence = reviewEv
		return st.outcome(review, false), nil
	}
	for i := range j.tiers[NoBasis] {
		r := &j.tiers[NoBasis][i]
		ok, err := st.eval(r)
		if err != nil {
			return evalOutcome(code, r, err), err
		}
		if ok {
			return st.outcome(r, false), nil
		}
	}
	return Outcome{Jurisdiction: code, Basis: NoLegalBasis, Reason: ReasonNoLegalBasis,
		Detail: "no rule allows this message"}, nil
}

func addrField(ch consent.Channel) string {
	if ch == consent.Email {
		return "email"
	}
	return "phone"
}

var errNoContact = &consent.FieldError{Field: "contact", Err: consent.ErrMissing}

func invalidOutcome(err error) Outcome {
	return Outcome{Basis: NoLegalBasis, Reason: ReasonInvalidRequest, Detail: err.Error()}
}

func evalOutcome(code string, r *tierRule, err error) Outcome {
	return Outcome{Jurisdiction: code, Basis: NoLegalBasis, Rule: r.rule.ID, Reason: ReasonEvaluationError,
		Citation: r.rule.Citation, Detail: err.Error()}
}

// evalState is the per-decision state the domain functions read. It is
// pooled: the activation and function table are built once per state, not
// per decision.
type evalState struct {
	c        *consent.Contact
	m        *consent.Message
	j        *jurisdiction
	p        *Policy
	evidence Evidence
	funcs    map[string]functions.LateBoundOp
}

var statePool = sync.Pool{New: func() any { return newEvalState() }}

func (st *evalState) release() {
	st.c, st.m, st.j, st.p, st.evidence = nil, nil, nil, nil, Evidence{}
	statePool.Put(st)
}

// eval runs one rule's condition. A rule outside its validity interval is
// false.
func (st *evalState) eval(r *tierRule) (bool, error) {
	if !r.activeAt(st.m.At) {
		return false, nil
	}
	st.evidence = Evidence{}
	out, _, err := r.prg.Eval((*activation)(st))
	if err != nil {
		return false, &EvalError{Rule: r.rule.ID, Msg: err.Error()}
	}
	b, ok := out.(types.Bool)
	if !ok {
		return false, &EvalError{Rule: r.rule.ID, Msg: "condition did not yield a bool"}
	}
	return bool(b), nil
}

func (st *evalState) outcome(r *tierRule, allowed bool) Outcome {
	o := Outcome{
		Allowed:      allowed && !r.rule.NeedsReview,
		Jurisdiction: st.j.code,
		Basis:        r.rule.Basis,
		Rule:         r.rule.ID,
		Reason:       r.rule.Reason,
		Citation:     r.rule.Citation,
		Evidence:     st.evidence,
		NeedsReview:  r.rule.NeedsReview,
	}
	if o.Allowed {
		o.Obligations = r.obligations
	} else {
		o.Basis = NoLegalBasis
	}
	return o
}

// activation resolves the rule language's variables and functions against
// the request being decided.
type activation evalState

var _ interpreter.FunctionActivation = (*activation)(nil)

func (a *activation) ResolveName(name string) (any, bool) {
	st := (*evalState)(a)
	switch name {
	case varKind:
		return boxedRecipient[st.c.Kind-1], true
	case varCountry:
		return boxedCountry[st.c.Country.String()], true
	case varPurpose:
		return boxedPurpose[st.m.Purpose-1], true
	case varChannel:
		return boxedChannel[st.m.Channel-1], true
	case varCategory:
		return types.String(st.m.Category), true
	case varRoleRelevant:
		return types.Bool(st.m.RoleRelevant), true
	case varSenderEntity:
		return types.String(st.m.Sender.Entity), true
	case varSenderKind:
		return boxedSender[st.m.Sender.Kind-1], true
	case varSenderCountry:
		return boxedCountry[st.m.Sender.Country.String()], true
	case varNow:
		return types.Timestamp{Time: st.m.At}, true
	}
	return nil, false
}

func (a *activation) Parent() interpreter.Activation { return nil }

func (a *activation) ResolveFunction(name string) (functions.LateBoundOp, bool) {
	f, ok := a.funcs[name]
	return f, ok
}

func newEvalState() *evalState {
	st := new(evalState)
	pc := func(args []ref.Val) (consent.Purpose, consent.Channel) {
		p, _ := consent.ParsePurpose(string(args[0].(types.String)))
		var ch consent.Channel
		if len(args) > 1 {
			ch, _ = consent.ParseChannel(string(args[1].(types.String)))
		}
		return p, ch
	}
	st.funcs = map[string]functions.LateBoundOp{
		fnHasConsent: func(_ string, args ...ref.Val) ref.Val {
			s := st.state(pc(args))
			return st.found(s.Grant != nil, RecordEvidence, s.Grant)
		},
		fnObjected: func(_ string, args ...ref.Val) ref.Val {
			s := st.state(pc(args))
			return st.found(s.Objected(), RecordEvidence, s.Suppression)
		},
		fnWithdrawn: func(_ string, args ...ref.Val) ref.Val {
			s := st.state(pc(args))
			return st.found(s.Withdrawn(), RecordEvidence, s.Suppression)
		},
		fnConsentDefect: func(_ string, args ...ref.Val) ref.Val {
			s := st.state(pc(args))
			if s.Grant == nil && s.Invalid != nil {
				st.evidence = Evidence{RecordEvidence, s.Invalid.ID}
				return boxedDefect[s.Defect]
			}
			return boxedDefect[0]
		},
		fnConsentOtherChan: func(_ string, args ...ref.Val) ref.Val {
			p, _ := pc(args)
			for ch := consent.Email; ch < consent.AllChannels; ch++ {
				if ch == st.m.Channel {
					continue
				}
				if s := st.state(p, ch); s.Grant != nil {
					return st.found(true, RecordEvidence, s.Grant)
				}
			}
			return types.False
		},
		fnSimilarPurchase: func(string, ...ref.Val) ref.Val {
			return st.interaction(st.c.Relationship.Purchases, PurchaseEvidence, true, true, time.Time{})
		},
		fnSimilarNoOptOut: func(string, ...ref.Val) ref.Val {
			for i := range st.c.Relationship.Purchases {
				e := &st.c.Relationship.Purchases[i]
				if st.mine(e) && e.DetailsCollected && !e.OptOutOffered && st.similar(e.Category) {
					st.evidence = Evidence{PurchaseEvidence, e.ID}
					return types.True
				}
			}
			return types.False
		},
		fnSimilarInquiry: func(string, ...ref.Val) ref.Val {
			return st.interaction(st.c.Relationship.Inquiries, InquiryEvidence, true, true, time.Time{})
		},
		fnIsCustomer: func(string, ...ref.Val) ref.Val {
			return st.interaction(st.c.Relationship.Purchases, PurchaseEvidence, false, false, time.Time{})
		},
		fnPurchasedWithin: func(_ string, args ...ref.Val) ref.Val {
			d := args[0].(types.Duration).Duration
			return st.interaction(st.c.Relationship.Purchases, PurchaseEvidence, false, false, st.m.At.Add(-d))
		},
		fnSupportedCharity: func(_ string, args ...ref.Val) ref.Val {
			since := args[0].(types.Timestamp).Time
			return st.interaction(st.c.Relationship.Support, SupportEvidence, false, true, since)
		},
		fnOptOutAtCollection: func(string, ...ref.Val) ref.Val {
			return types.Bool(st.c.OptOutOfferedAtCollection)
		},
		fnOngoingContract: func(string, ...ref.Val) ref.Val {
			for i := range st.c.Relationship.Contracts {
				k := &st.c.Relationship.Contracts[i]
				if k.Seller == st.m.Sender.Entity && k.ActiveAt(st.m.At) {
					st.evidence = Evidence{ContractEvidence, k.ID}
					return types.True
				}
			}
			return types.False
		},
	}
	return st
}

func (st *evalState) state(p consent.Purpose, ch consent.Channel) consent.State {
	return st.c.State(consent.Query{Purpose: p, Channel: ch, Sender: st.m.Sender.Entity, At: st.m.At, Minors: st.j.minors})
}

func (st *evalState) found(ok bool, kind EvidenceKind, r *consent.Record) ref.Val {
	if ok && r != nil {
		st.evidence = Evidence{kind, r.ID}
	}
	return types.Bool(ok)
}

// mine reports whether an interaction is with the sending entity, at or
// before the message instant.
func (st *evalState) mine(e *consent.Interaction) bool {
	return e.Seller == st.m.Sender.Entity && !e.At.After(st.m.At)
}

// interaction looks for an interaction with the sender, optionally in a
// similar category, optionally with details collected and an opt-out
// offered, and not before since.
func (st *evalState) interaction(evs []consent.Interaction, kind EvidenceKind, similar, collected bool, since time.Time) ref.Val {
	for i := range evs {
		e := &evs[i]
		if !st.mine(e) || (!since.IsZero() && e.At.Before(since)) {
			continue
		}
		if collected && !(e.DetailsCollected && e.OptOutOffered) {
			continue
		}
		if similar && !st.similar(e.Category) {
			continue
		}
		st.evidence = Evidence{kind, e.ID}
		return types.True
	}
	return types.False
}

// similar reports whether a purchase category counts as similar to the
// message's: equal, or sharing a similarity group the host declared.
func (st *evalState) similar(cat string) bool {
	want := st.m.Category
	if cat == "" || want == "" {
		return false
	}
	if cat == want {
		return true
	}
	for _, g := range st.p.groups[cat] {
		for _, h := range st.p.groups[want] {
			if g == h {
				return true
			}
		}
	}
	return false
}
