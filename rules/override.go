package rules

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Override relaxes one rule of the law the library marks as a
// conservative choice (needs_review: true) or as self-regulation
// (self_regulatory: true), for the host that declares it in a house
// file, e.g.
//
//	overrides:
//	  - rule: FR_SMS_PROMO_WINDOW
//	    justification: "Our counsel reviewed the operators' charter (memo 2026-11)"
//	    owner: "Legal, Exemple SAS"
//
// An overridden deny, defer or no_basis rule is lifted: where its
// condition holds, the decision is made as if the rule were absent. An
// overridden allow or exempt rule marked needs_review allows without
// review. Every decision an override changes records it (rule,
// justification, owner and file). No override can lift a stop in force
// (an objection, a withdrawal, a refusal) or a statutory ban: the
// compiler refuses an override of a rule that is not so marked, of a stop
// or sector ban, of a house rule, or of an unknown rule, and [Check]
// one without a justification or an owner, or naming a rule already
// overridden.
type Override struct {
	// Rule is the id of the rule relaxed.
	Rule string `yaml:"rule" json:"rule"`
	// Justification says why the host may relax the rule (a legal
	// review, a memo): required.
	Justification string `yaml:"justification" json:"justification"`
	// Owner is who answers for the override (a team, a person): required.
	Owner string `yaml:"owner" json:"owner"`

	line, column int // of the override's item in its file
}

// Position returns where the override's item starts in its file; zero
// when unknown.
func (o *Override) Position() Position { return Position{o.line, o.column} }

// locateOverrides records the position of each item of the set's
// overrides: key.
func locateOverrides(s *Set, top *yaml.Node) {
	n := value(top, "overrides")
	if n == nil || n.Kind != yaml.SequenceNode {
		return
	}
	for i, item := range n.Content {
		if i < len(s.Overrides) {
			s.Overrides[i].line, s.Overrides[i].column = item.Line, item.Column
		}
	}
}

// overrides reports the overrides of the sets that lack a rule id,
// a justification or an owner, those naming a rule another override (of
// any house file) already names, and those of a jurisdiction's set: only
// house files declare overrides.
func (ck *checker) overrides(sets []*Set) {
	seen := map[string]*Set{}
	for _, s := range sets {
		if s == nil {
			continue
		}
		if s.House == "" && len(s.Overrides) > 0 {
			ck.badAt(s, "overrides", "overrides are declared in a house file (house:), not in a jurisdiction's rule set")
		}
		for i := range s.Overrides {
			o := &s.Overrides[i]
			bad := func(msg string) {
				p := o.Position()
				ck.errs = append(ck.errs, &Error{File: s.File, Rule: o.Rule, Line: p.Line, Column: p.Column,
					Field: "overrides[" + strconv.Itoa(i) + "]", Msg: msg})
			}
			switch {
			case strings.TrimSpace(o.Rule) == "":
				bad("override: missing rule (the id of the rule relaxed)")
			case seen[o.Rule] != nil:
				bad("override of " + clip(o.Rule) + " given twice (also in " + seen[o.Rule].File + ")")
			}
			if strings.TrimSpace(o.Justification) == "" {
				bad("override of " + clip(o.Rule) + ": missing justification (why the rule may be relaxed)")
			}
			if strings.TrimSpace(o.Owner) == "" {
				bad("override of " + clip(o.Rule) + ": missing owner (who answers for it)")
			}
			if o.Rule != "" && seen[o.Rule] == nil {
				seen[o.Rule] = s
			}
		}
	}
}
