package eligibility

import (
	"fmt"
	"maps"
	"slices"

	"cel.dev/cel-go/common/ast"

	"github.com/sendright/sendright/internal/decode"
	"github.com/sendright/sendright/rules"
)

// AppliedOverride is a host override ([rules.Override]) that took effect
// in a decision: the rule it relaxed, who answers for it and why, and the
// file that declares it.
type AppliedOverride struct {
	Rule          string `json:"rule"`           // the id of the rule relaxed
	Owner         string `json:"owner"`          // who answers for the override
	Justification string `json:"justification"`  // why the rule may be relaxed
	File          string `json:"file,omitempty"` // the file declaring the override
}

// UnmarshalJSON decodes an override strictly, like every decoder of the
// module: keys match exactly and appear once, unknown keys are errors.
func (o *AppliedOverride) UnmarshalJSON(b []byte) error {
	type plain AppliedOverride
	var p plain
	if err := decode.JSON(b, &p); err != nil {
		return err
	}
	*o = AppliedOverride(p)
	return nil
}

// override is one override as compiled onto its rule.
type override struct {
	applied AppliedOverride
	// one is {applied}, with its capacity limited to one: the Overrides
	// of a decision that only this override changed, shared by those
	// decisions so that they allocate nothing (an append copies it).
	one []AppliedOverride
}

// maxLifted bounds the overrides a walk records; a jurisdiction has far
// fewer rules that can be overridden.
const maxLifted = 8

// lift records that override-lifted rule r matched and was passed over.
func (st *evalState) lift(r *tierRule) {
	if int(st.nLifted) < maxLifted {
		st.lifted[st.nLifted] = r.compiled
		st.nLifted++
	}
}

// applied returns the overrides that took effect in the decision being
// made: the rules lifted so far and, when it is not nil, the overridden
// allow or exempt rule r that decides. One override costs no allocation.
func (st *evalState) applied(r *compiled) []AppliedOverride {
	n := int(st.nLifted)
	if r != nil && r.override != nil {
		if n == 0 {
			return r.override.one
		}
	} else {
		r = nil
	}
	switch {
	case n == 0:
		return nil
	case n == 1 && r == nil:
		return st.lifted[0].override.one
	}
	out := make([]AppliedOverride, 0, n+1)
	for _, k := range st.lifted[:n] {
		out = append(out, k.override.applied)
	}
	if r != nil {
		out = append(out, r.override.applied)
	}
	return out
}

// mergeOverrides is a's overrides followed by those of b not in a.
func mergeOverrides(a, b []AppliedOverride) []AppliedOverride {
	switch {
	case len(b) == 0:
		return a
	case len(a) == 0:
		return b
	}
	var extra []AppliedOverride
	for _, o := range b {
		if !slices.Contains(a, o) {
			extra = append(extra, o)
		}
	}
	if len(extra) == 0 {
		return a
	}
	return append(slices.Clip(a), extra...)
}

// overrideTarget is a rule an override may name: a rule of the policy's
// sets or a built-in stop or ban the compiler adds to them.
type overrideTarget struct {
	set  *rules.Set
	rule *rules.Rule
}

// checkOverrides reports the overrides that name no rule of the policy,
// or a rule no override may relax: a stop in force, a statutory ban, a
// rule not marked needs_review or self_regulatory, a no_basis rule, an
// allow or exempt rule needing no review, a house rule. (The overrides'
// own fields were checked by [rules.Check].)
func (c *compiler) checkOverrides() {
	targets := map[string]overrideTarget{}
	present := map[string]bool{}
	for _, s := range c.sets {
		if s == nil {
			continue
		}
		present[s.Jurisdiction] = true
		for i := range s.Rules {
			if r := &s.Rules[i]; targets[r.ID].rule == nil {
				targets[r.ID] = overrideTarget{s, r}
			}
		}
	}
	for code, list := range c.invariants {
		if !present[code] {
			continue
		}
		for _, b := range list {
			if targets[b.rule.ID].rule == nil {
				targets[b.rule.ID] = overrideTarget{b.set, b.rule}
			}
		}
	}
	var ids []string
	for _, s := range c.sets {
		if s == nil {
			continue
		}
		for i := range s.Overrides {
			o := &s.Overrides[i]
			if o.Rule == "" {
				continue // rules.Check reported it
			}
			if msg := c.overrideProblem(o, targets, &ids); msg != "" {
				p := o.Position()
				c.errs = append(c.errs, &rules.Error{File: s.File, Rule: o.Rule, Line: p.Line, Column: p.Column,
					Field: fmt.Sprintf("overrides[%d].rule", i), Msg: msg})
			}
		}
	}
}

// overrideProblem says why override o cannot relax the rule it names, or
// "". ids is the sorted list of the targets' ids, built when first needed.
func (c *compiler) overrideProblem(o *rules.Override, targets map[string]overrideTarget, ids *[]string) string {
	if o.Rule == RuleStopObjection || o.Rule == RuleStopWithdrawn {
		return fmt.Sprintf("override of %s: a stop in force (objection, withdrawal, refusal) cannot be overridden", o.Rule)
	}
	t, ok := targets[o.Rule]
	if !ok {
		if *ids == nil {
			*ids = slices.Sorted(maps.Keys(targets))
		}
		return fmt.Sprintf("override of %s: no rule %s in the policy", clip(o.Rule), clip(o.Rule)) + didYouMean(o.Rule, *ids)
	}
	r := t.rule
	switch {
	case isHouseSet(t.set):
		return fmt.Sprintf("override of %s: a house rule (%s) is changed in its file, not overridden", r.ID, t.set.File)
	case c.isStop(r):
		return fmt.Sprintf("override of %s: a stop in force (objection, withdrawal, refusal) cannot be overridden", r.ID)
	case c.isBan(r):
		return fmt.Sprintf("override of %s: a statutory ban (a sector or do-not-call ban) cannot be overridden", r.ID)
	case !r.NeedsReview && !r.SelfRegulatory:
		return fmt.Sprintf("override of %s: the rule is statutory; only a rule marked needs_review or self_regulatory can be overridden", r.ID)
	case r.Effect == rules.NoBasis:
		return fmt.Sprintf("override of %s: a no_basis rule only names why no rule allowed; lifting it would allow nothing (the limit is in the allow rules' conditions)", r.ID)
	case (r.Effect == rules.Allow || r.Effect == rules.Exempt) && !r.NeedsReview:
		return fmt.Sprintf("override of %s: an %s rule that needs no review already allows; there is nothing to relax", r.ID, r.Effect)
	}
	return ""
}

// isHouseSet reports whether s is a house file, whose rules are the
// host's own and are changed in the file rather than overridden.
func isHouseSet(s *rules.Set) bool { return s != nil && s.House != "" }

// stopReasons are the reason codes of stops in force.
var stopReasons = map[string]bool{"OBJECTION_ON_FILE": true, "CONSENT_WITHDRAWN": true}

// stopFuncs are the functions whose reading makes a rule a stop: an
// objection or refusal, a withdrawal, a refusal during a call.
var stopFuncs = map[string]bool{"objected": true, "withdrawn": true, "refusedWithin": true}

// banFuncs are the functions whose reading makes a deny rule a statutory
// ban: a sector ban, a do-not-call registry.
var banFuncs = map[string]bool{"inCategory": true, "registry": true, "consentAfterListing": true}

// isStop reports whether rule r is a stop in force: its reason is a
// stop's, or its condition reads an objection, a withdrawal or a refusal.
func (c *compiler) isStop(r *rules.Rule) bool {
	return stopReasons[r.Reason] || c.calls(r, stopFuncs)
}

// isBan reports whether rule r is a statutory ban: a deny or defer rule
// reading the message's category (a sector ban) or a do-not-call
// registry.
func (c *compiler) isBan(r *rules.Rule) bool {
	return (r.Effect == rules.Deny || r.Effect == rules.Defer) && c.calls(r, banFuncs)
}

// calls reports whether r's condition calls one of the functions named in
// fns. A condition that does not parse counts as calling them: it is
// reported on its own, and the override is refused until it is fixed.
func (c *compiler) calls(r *rules.Rule, fns map[string]bool) bool {
	parsed, iss := c.env.Parse(r.Condition)
	if iss != nil && iss.Err() != nil {
		return true
	}
	found := false
	ast.PostOrderVisit(parsed.NativeRep().Expr(), ast.NewExprVisitor(func(e ast.Expr) {
		if e.Kind() == ast.CallKind && fns[e.AsCall().FunctionName()] {
			found = true
		}
	}))
	return found
}

// attachOverrides attaches each override to its compiled rule.
func (c *compiler) attachOverrides() {
	byID := map[string]*compiled{}
	for _, m := range []map[*rules.Rule]*compiled{c.comp, c.injected} {
		for r, k := range m {
			byID[r.ID] = k
		}
	}
	for _, s := range c.sets {
		for i := range s.Overrides {
			o := &s.Overrides[i]
			k := byID[o.Rule]
			if k == nil {
				continue // not compiled in: nothing to relax
			}
			ov := &override{applied: AppliedOverride{Rule: o.Rule, Owner: o.Owner, Justification: o.Justification, File: s.File}}
			ov.one = []AppliedOverride{ov.applied}
			k.override = ov
		}
	}
}
