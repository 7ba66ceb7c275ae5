package eligibility

import (
	"fmt"
	"slices"
	"sync/atomic"

	"github.com/sendright/sendright/rules"
)

// Disagree reports whether two decisions of the same request differ in
// anything a host acts on or an audit relies on: the verdict, the basis,
// the deciding rule, its origin, the reason, the evidence, the
// obligations (which ones, not their citations' wording), NeedsReview,
// SelfRegulatory, the purpose decided under and its reclassification,
// the jurisdiction, NotBefore, DeniedFrom, and the overrides that took
// effect (by the rules they relax).
//
// It ignores PolicyVersion, which differs between any two policies, and
// the wording of Citation and Detail, and of an override's owner and
// justification, which a file may reword without changing what is
// decided. At is the request's on both sides.
//
// [Shadow] reports, and [WhatIf] counts, the requests whose decisions
// disagree.
func Disagree(a, b Decision) bool {
	return a.Verdict != b.Verdict || a.Basis != b.Basis || a.Rule != b.Rule || a.Origin != b.Origin ||
		a.Reason != b.Reason || a.Evidence != b.Evidence || a.Obligations.mask != b.Obligations.mask ||
		a.NeedsReview != b.NeedsReview || a.SelfRegulatory != b.SelfRegulatory ||
		a.Purpose != b.Purpose || a.Reclassified != b.Reclassified || a.Jurisdiction != b.Jurisdiction || a.Regimes != b.Regimes ||
		!a.NotBefore.Equal(b.NotBefore) || !a.DeniedFrom.Equal(b.DeniedFrom) ||
		!slices.EqualFunc(a.Overrides, b.Overrides, func(x, y AppliedOverride) bool { return x.Rule == y.Rule })
}

// Disagreement is one request on which a [Shadow]'s candidate policy
// decided otherwise than the active one (see [Disagree]): the request and
// both decisions, with their errors.
type Disagreement struct {
	// Request is the request decided. Its Contact is the caller's: a
	// report function must not modify it.
	Request Request
	// Active is the decision returned to the caller, and ActiveErr its
	// error.
	Active    Decision
	ActiveErr error
	// Candidate is the candidate's decision, and CandidateErr its error:
	// a [*ShadowPanic] when deciding with the candidate panicked (its
	// Decision is then a deny whose reason is [ReasonEvaluationError]).
	Candidate    Decision
	CandidateErr error
}

// ShadowPanic is the CandidateErr of a [Disagreement] when deciding with
// the candidate policy panicked: the panic is recovered, the active
// decision returned as if no candidate ran, and the disagreement reported.
type ShadowPanic struct {
	// Value is what the candidate panicked with.
	Value any
}

// Error implements error.
func (e *ShadowPanic) Error() string {
	return fmt.Sprintf("eligibility: the shadow candidate panicked: %v", e.Value)
}

// Shadow decides every request with an active policy and, beside it, with
// a candidate policy, and reports each request on which they disagree
// ([Disagree]) without changing the answer: [Shadow.Decide] returns the
// active decision and error exactly as [Policy.Decide] would. It is how a
// change of rules (a new house file, an override, a library upgrade) is
// tried on live traffic before it is rolled out.
//
// The active decision is made first and copied out before anything else
// runs: neither the candidate nor the report function can change it. A
// panic while deciding with the candidate is recovered and reported as a
// disagreement whose CandidateErr is a [*ShadowPanic]; a panic in the
// report function is recovered and counted ([ShadowStats].ReportPanics),
// and the active decision is still returned. Neither is ever re-raised:
// a shadow run must not take down the path it watches.
//
// The report function is called synchronously, on the goroutine that
// called Decide, and possibly from several goroutines at once: it must be
// safe for concurrent use, and should be quick (hand the disagreement to a
// channel or a logger). It must not modify the request's contact. It may
// be nil, when only the counts ([Shadow.Stats]) are wanted.
//
// A Shadow is safe for concurrent use. Deciding costs about the sum of
// both policies' decisions, and does not allocate while they agree.
type Shadow struct {
	active, candidate *Policy
	report            func(Disagreement)

	decisions, disagreements, candidatePanics, reportPanics atomic.Uint64
}

// NewShadow returns a Shadow that answers with active and compares
// candidate beside it, calling report (which may be nil) with every
// disagreement. A nil candidate makes every request a disagreement whose
// candidate decision is a deny wrapping [ErrNoPolicy], as
// [Policy.Decide] on a nil policy; a nil active policy is a deny for
// every request, as it would be without the shadow.
func NewShadow(active, candidate *Policy, report func(Disagreement)) *Shadow {
	return &Shadow{active: active, candidate: candidate, report: report}
}

// ShadowStats are the counts of a [Shadow] since it was made.
type ShadowStats struct {
	Decisions       uint64 // requests decided
	Disagreements   uint64 // of which the candidate disagreed, panics included
	CandidatePanics uint64 // of which deciding with the candidate panicked
	ReportPanics    uint64 // calls of the report function that panicked
}

// Stats returns the counts so far. Each is read atomically; together they
// are a snapshot only when no Decide runs.
func (s *Shadow) Stats() ShadowStats {
	return ShadowStats{Decisions: s.decisions.Load(), Disagreements: s.disagreements.Load(),
		CandidatePanics: s.candidatePanics.Load(), ReportPanics: s.reportPanics.Load()}
}

// Active returns the policy whose decisions Decide returns.
func (s *Shadow) Active() *Policy { return s.active }

// Candidate returns the policy compared beside it.
func (s *Shadow) Candidate() *Policy { return s.candidate }

// Decide decides req with the active policy and returns its decision and
// error, unchanged; it decides req with the candidate too and reports a
// disagreement (see [Shadow]).
func (s *Shadow) Decide(req Request) (Decision, error) {
	d, err := s.active.Decide(req)
	s.decisions.Add(1)
	c, cerr, panicked := s.decideCandidate(req)
	if !panicked && !Disagree(d, c) {
		return d, err
	}
	s.disagreements.Add(1)
	if s.report != nil {
		s.call(Disagreement{Request: req, Active: d, ActiveErr: err, Candidate: c, CandidateErr: cerr})
	}
	return d, err
}

// decideCandidate decides req with the candidate, turning a panic into a
// deny and a *ShadowPanic.
func (s *Shadow) decideCandidate(req Request) (d Decision, err error, panicked bool) {
	defer func() {
		if v := recover(); v != nil {
			s.candidatePanics.Add(1)
			d = Decision{Verdict: Deny, Basis: rules.NoLegalBasis, Reason: ReasonEvaluationError, Detail: "the shadow candidate panicked",
				At: req.At, PolicyVersion: s.candidate.policyVersion()}
			err, panicked = &ShadowPanic{Value: v}, true
		}
	}()
	d, err = s.candidate.Decide(req)
	return d, err, false
}

// call calls the report function, recovering a panic.
func (s *Shadow) call(dis Disagreement) {
	defer func() {
		if v := recover(); v != nil {
			s.reportPanics.Add(1)
		}
	}()
	s.report(dis)
}
