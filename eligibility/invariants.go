package eligibility

import (
	"slices"
	"strings"
	"sync"

	"github.com/sendright/sendright/rules"
)

// The engine's own stop rules. A stop in force denies whatever rule sets a
// policy was compiled from: a host set that omits the objection or
// withdrawal rule, or whose rules would let a message through, still
// cannot send to a person who objected or withdrew. The built-in sets
// decide stops with their own rules (EU_OBJECTION, UK_OBJECTION, …) first;
// these decide only when no rule of the set did.
const (
	// RuleStopObjection denies a marketing message while an objection
	// covering it is in force: every marketing purpose of that sender on
	// the channels the objection names.
	RuleStopObjection = "STOP_OBJECTION"
	// RuleStopWithdrawn denies a marketing message while a withdrawal of
	// consent covering it is in force.
	RuleStopWithdrawn = "STOP_WITHDRAWN"
)

var (
	stopObjection = tierRule{compiled: &compiled{rule: &rules.Rule{ID: RuleStopObjection, Effect: rules.Deny,
		Reason:   "OBJECTION_ON_FILE",
		Citation: "GDPR and UK GDPR art. 21(2)-(3); ePrivacy Directive 2002/58/EC art. 13(2)"}}}
	stopWithdrawn = tierRule{compiled: &compiled{rule: &rules.Rule{ID: RuleStopWithdrawn, Effect: rules.Deny,
		Reason:   "CONSENT_WITHDRAWN",
		Citation: "GDPR and UK GDPR art. 7(3)"}}}
)

// builtinDeny maps each jurisdiction that has a built-in set to the deny
// rules of its built-in chain (the set's own, then its bases'): the stops
// and statutory bans no host set can omit or change. It is parsed once.
var builtinDeny = sync.OnceValues(func() (map[string][]*builtinRule, error) {
	sets, err := rules.Builtin()
	if err != nil {
		return nil, err
	}
	byJ := map[string]*rules.Set{}
	for _, s := range sets {
		byJ[s.Jurisdiction] = s
	}
	out := map[string][]*builtinRule{}
	for code, s := range byJ {
		for b := s; b != nil; b = byJ[b.Extends] {
			for i := range b.Rules {
				if r := &b.Rules[i]; r.Effect == rules.Deny {
					out[code] = append(out[code], &builtinRule{set: b, rule: r})
				}
			}
			if b.Extends == "" {
				break
			}
		}
	}
	return out, nil
})

// builtinRule is one invariant deny rule and the built-in set it is in.
type builtinRule struct {
	set  *rules.Set
	rule *rules.Rule
}

// builtinByID returns the invariant deny rule with id, if any.
func builtinByID(all map[string][]*builtinRule, id string) *builtinRule {
	for _, list := range all {
		for _, b := range list {
			if b.rule.ID == id {
				return b
			}
		}
	}
	return nil
}

// sameInvariant reports whether a host's rule is the built-in rule b
// unchanged in everything that can change a decision (its channels
// included, in any order). Citations and notes may differ.
func sameInvariant(r *rules.Rule, b *rules.Rule) bool {
	return r.Effect == b.Effect && r.Reason == b.Reason && r.NeedsReview == b.NeedsReview &&
		slices.Equal(slices.Sorted(slices.Values(r.Channels)), slices.Sorted(slices.Values(b.Channels))) &&
		strings.Join(strings.Fields(r.Condition), " ") == strings.Join(strings.Fields(b.Condition), " ") &&
		r.ValidFrom.Equal(b.ValidFrom) && r.ValidUntil.Equal(b.ValidUntil)
}
