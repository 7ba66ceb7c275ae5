package eligibility

import (
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/internal/decode"
	"github.com/sendright/sendright/internal/enum"
	"github.com/sendright/sendright/rules"
)

// StepResult is what one rule did in an [Audit] trace.
type StepResult uint8

// Step results.
const (
	Matched    StepResult = iota + 1 // the condition held
	NotMatched                       // the condition did not hold
	Inactive                         // the message instant is outside the rule's validity interval
	Failed                           // the condition failed at run time
	// NotApplicable: the rule does not govern the message's channel, or
	// its effect does not apply to the purpose the message was decided
	// under (an exempt rule, for a message decided as marketing); its
	// condition was not evaluated.
	NotApplicable
)

var stepResultNames = enum.New[StepResult]("", "step result", "", "matched", "not_matched", "inactive", "error", "not_applicable")

// String returns the text form, e.g. "not_matched".
func (r StepResult) String() string { return stepResultNames.String(r) }

// Valid reports whether r is a defined step result.
func (r StepResult) Valid() bool { return stepResultNames.Valid(r) }

// MarshalText implements encoding.TextMarshaler.
func (r StepResult) MarshalText() ([]byte, error) { return stepResultNames.Marshal(r) }

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an error.
func (r *StepResult) UnmarshalText(b []byte) error { return stepResultNames.Unmarshal(r, b) }

// Step is one rule of a trace.
type Step struct {
	// Jurisdiction is the regime whose walk the step belongs to (see
	// [Decision.Regimes]): a trace lists each regime's rules in turn.
	Jurisdiction string       `json:"jurisdiction"`
	Rule         string       `json:"rule"`   // the rule's id
	Effect       rules.Effect `json:"effect"` // the rule's effect
	Result       StepResult   `json:"result"` // what its condition gave
	// Origin says whether the rule is built-in law or a house rule (zero,
	// FromLaw, is left out of JSON).
	Origin   Origin   `json:"origin,omitempty"`
	Evidence Evidence `json:"evidence,omitzero"` // what a matched condition rested on; zero otherwise
	// SelfRegulatory marks a rule resting on self-regulation rather than
	// on law (the rule's self_regulatory field).
	SelfRegulatory bool `json:"self_regulatory,omitempty"`
	// Decided marks the rule that made the decision.
	Decided bool `json:"decided,omitempty"`
	// Override is the host's override of the rule (who answers for it
	// and why), whether or not it took effect; nil when none.
	Override *AppliedOverride `json:"override,omitempty"`
	// Lifted marks an overridden deny or defer rule whose condition held
	// and which the override passed over.
	Lifted bool   `json:"lifted,omitempty"`
	Error  string `json:"error,omitempty"` // the run-time failure, when Result is Failed
}

// traced decides like [Policy.Decide], in the same walk, and also reports
// every rule of the jurisdiction, in evaluation order, with what its
// condition gave for this message (and the engine's stop rule, when one
// decided). A rule the decision did not need is evaluated after it, for the
// record; a rule that cannot match the message's purpose and recipient kind
// is reported as not matched without being evaluated. Steps are empty when
// no rule set applies.
func (p *Policy) traced(c *consent.Contact, m *consent.Message) (Decision, []Step, error) {
	tr := &trace{seen: map[*compiled]Step{}}
	out, err := p.evaluate(c, m, tr)
	return out, tr.steps, err
}

// join appends the traces of the regimes' walks, in regime order: only
// the deciding regime's (jurisdiction) step of the deciding rule is
// marked Decided. A nil tr records nothing.
func (tr *trace) join(trs []*trace, rs *regimeList, jurisdiction, rule string) {
	if tr == nil {
		return
	}
	for i, t := range trs {
		for _, s := range t.steps {
			s.Decided = rs.r[i].j.code == jurisdiction && s.Rule == rule && rule != ""
			tr.steps = append(tr.steps, s)
		}
	}
}

// trace is the optional sink of a walk: what each rule evaluated gave.
type trace struct {
	seen  map[*compiled]Step
	steps []Step // in evaluation order, once the walk is complete
}

// step describes what evaluating r gave.
func (st *evalState) step(r *tierRule, ok bool, err error) Step {
	s := Step{Rule: r.rule.ID, Effect: r.rule.Effect, Origin: r.origin, SelfRegulatory: r.rule.SelfRegulatory}
	switch {
	case !r.activeFor(st.at):
		s.Result = Inactive
	case err != nil:
		s.Result, s.Error = Failed, err.Error()
	case ok:
		s.Result, s.Evidence = Matched, st.evidence
	default:
		s.Result = NotMatched
	}
	if r.override != nil {
		o := r.override.applied
		s.Override = &o
		s.Lifted = s.Result == Matched && (r.rule.Effect == rules.Deny || r.rule.Effect == rules.Defer)
	}
	return s
}

func (tr *trace) record(st *evalState, r *tierRule, ok bool, err error) {
	tr.seen[r.compiled] = st.step(r, ok, err)
}

// complete lists every rule of the jurisdiction in evaluation order, with
// what the walk found, evaluating those the decision did not need.
func (tr *trace) complete(st *evalState, spec *tiers, out *Decision) {
	for _, effect := range evaluationOrder {
		tier := st.j.tiers[effect]
		for i := range tier {
			r := &tier[i]
			s, ok := tr.seen[r.compiled]
			if !ok {
				s = st.unreached(r, spec)
			}
			s.Decided = r.rule.ID == out.Rule
			s.Jurisdiction = st.j.code
			tr.steps = append(tr.steps, s)
		}
	}
	// The engine's own stop rules, when one of them decided.
	for _, r := range [...]*tierRule{&stopObjection, &stopWithdrawn} {
		if out.Rule == r.rule.ID {
			tr.steps = append(tr.steps, Step{Jurisdiction: st.j.code, Rule: r.rule.ID, Effect: rules.Deny, Result: Matched,
				Evidence: out.Evidence, Decided: true})
		}
	}
}

// unreached is the step of a rule the walk did not evaluate.
func (st *evalState) unreached(r *tierRule, spec *tiers) Step {
	if !r.rule.Governs(st.m.Channel) || (r.rule.Effect == rules.Exempt && st.m.Purpose != consent.Transactional) {
		s := Step{Rule: r.rule.ID, Effect: r.rule.Effect, Origin: r.origin, Result: NotApplicable, SelfRegulatory: r.rule.SelfRegulatory}
		if r.override != nil {
			o := r.override.applied
			s.Override = &o
		}
		return s
	}
	for i := range spec[r.rule.Effect] {
		if s := &spec[r.rule.Effect][i]; s.compiled == r.compiled {
			ok, err := st.eval(s)
			return st.step(s, ok, err)
		}
	}
	// Specialisation left it out: false for this purpose and recipient kind.
	return st.step(r, false, nil)
}

// UnmarshalJSON decodes a step strictly, like every decoder of the module:
// keys match exactly and appear once, unknown keys are errors.
func (s *Step) UnmarshalJSON(b []byte) error {
	type plain Step
	var p plain
	if err := decode.JSON(b, &p); err != nil {
		return err
	}
	*s = Step(p)
	return nil
}
