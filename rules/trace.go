package rules

import (
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/internal/decode"
)

// StepResult is what one rule did in a [Trace].
type StepResult string

// Step results.
const (
	Matched    StepResult = "matched"     // the condition held
	NotMatched StepResult = "not_matched" // the condition did not hold
	Inactive   StepResult = "inactive"    // the message instant is outside the rule's validity interval
	Failed     StepResult = "error"       // the condition failed at run time
	// NotApplicable: the rule's effect does not apply to the purpose the
	// message was decided under (an exempt rule, for a message decided as
	// marketing); its condition was not evaluated.
	NotApplicable StepResult = "not_applicable"
)

// Step is one rule of a trace.
type Step struct {
	Rule     string     `json:"rule"`              // the rule's id
	Effect   Effect     `json:"effect"`            // the rule's effect
	Result   StepResult `json:"result"`            // what its condition gave
	Evidence Evidence   `json:"evidence,omitzero"` // what a matched condition rested on; zero otherwise
	// Decided marks the rule that made the decision.
	Decided bool   `json:"decided,omitempty"`
	Error   string `json:"error,omitempty"` // the run-time failure, when Result is Failed
}

// Trace evaluates like [Policy.Evaluate] and also reports every rule of the
// jurisdiction, in evaluation order, with what its condition gave for this
// message (and the engine's stop rule, when one decided). The outcome is Evaluate's; the steps explain it. Trace allocates
// and is meant for audits and debugging, not for every send. Steps are
// empty when no rule set applies.
func (p *Policy) Trace(c *consent.Contact, m *consent.Message) (Outcome, []Step, error) {
	out, err := p.Evaluate(c, m)
	if c == nil || m == nil || c.Check() != nil || m.Check() != nil {
		return out, nil, err
	}
	j := p.lookup(c.Country)
	if j == nil || !j.channels[m.Channel] {
		return out, nil, err
	}
	st := p.bind(c, m, j)
	defer st.release()
	var steps []Step
	for _, tier := range j.tiers {
		for i := range tier {
			r := &tier[i]
			s := Step{Rule: r.rule.ID, Effect: r.rule.Effect, Decided: r.rule.ID == out.Rule}
			if r.rule.Effect == Exempt && st.m.Purpose != consent.Transactional {
				s.Result = NotApplicable
				steps = append(steps, s)
				continue
			}
			if !r.activeFor(st.at) {
				s.Result = Inactive
				steps = append(steps, s)
				continue
			}
			ok, e := st.eval(r)
			switch {
			case e != nil:
				s.Result, s.Error = Failed, e.Error()
			case ok:
				s.Result, s.Evidence = Matched, st.evidence
			default:
				s.Result = NotMatched
			}
			steps = append(steps, s)
		}
	}
	// The engine's own stop rules, when one of them decided.
	for _, r := range [...]*tierRule{&stopObjection, &stopWithdrawn} {
		if out.Rule == r.rule.ID {
			steps = append(steps, Step{Rule: r.rule.ID, Effect: Deny, Result: Matched, Evidence: out.Evidence, Decided: true})
		}
	}
	return out, steps, err
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
