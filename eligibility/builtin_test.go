package eligibility_test

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/sendright/sendright/eligibility"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/rules"
)

// A set whose jurisdiction is NO compiles and is looked up as Norway.
func TestParseNorwayCompiles(t *testing.T) {
	s := mustParse(t, "no.yaml", `jurisdiction: NO
title: Norway (test)
channels: [email]
rules:
  - id: NO_T_TRANSACTIONAL
    channels: [all]
    effect: exempt
    basis: transactional
    reason: TRANSACTIONAL
    citation: Test art. 1
    condition: request.purpose == 'transactional'
`)
	p := mustCompile(t, []*rules.Set{s}, eligibility.Params{})
	if diff := cmp.Diff([]string{"NO"}, p.Jurisdictions()); diff != "" {
		t.Errorf("Jurisdictions (-want +got):\n%s", diff)
	}
	if got := ruleIDs(p.Rules("NO")); len(got) != 1 {
		t.Errorf("Rules(NO) = %v", got)
	}
}

// Parse returns ErrorList errors that errors.Is sees as ErrInvalid and
// nothing else.
func TestParseErrorIsNotEvaluation(t *testing.T) {
	_, err := rules.Parse("x.yaml", []byte("foo: 1\n"))
	if errors.Is(err, eligibility.ErrEvaluation) {
		t.Errorf("Parse error %v wraps ErrEvaluation", err)
	}
}

func TestBuiltinCompiles(t *testing.T) {
	sets, err := rules.Builtin()
	if err != nil {
		t.Fatalf("Builtin: %v", err)
	}
	byJ := map[string]*rules.Set{}
	for _, s := range sets {
		byJ[s.Jurisdiction] = s
	}
	if diff := cmp.Diff([]string{"AU", "BE", "CA", "DE", "ES", "EU", "FR", "GB", "IE", "IT", "NL", "US", "US-FL", "US-MD", "US-OK", "US-WA"}, slices.Sorted(maps.Keys(byJ))); diff != "" {
		t.Errorf("built-in set jurisdictions (-want +got):\n%s", diff)
	}

	p, err := eligibility.Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	if p2, _ := eligibility.Default(); p2 != p {
		t.Error("Default returned a different policy on the second call")
	}
	if diff := cmp.Diff([]string{"AU", "BE", "CA", "DE", "ES", "FR", "GB", "IE", "IT", "NL", "US", "US-FL", "US-MD", "US-OK", "US-WA"}, p.Jurisdictions()); diff != "" {
		t.Errorf("Jurisdictions (-want +got):\n%s", diff)
	}
	if v := p.Version(); len(v) != 32 || strings.Trim(v, "0123456789abcdef") != "" {
		t.Errorf("Version = %q, want 32 lower-case hex digits", v)
	}
	if q := mustCompile(t, sets, eligibility.Params{}); q.Version() != p.Version() {
		t.Errorf("compiling Builtin() again gives version %s, Default has %s", q.Version(), p.Version())
	}

	ids := map[string]string{}
	for _, s := range sets {
		if s.File == "" || s.Title == "" {
			t.Errorf("set %s: File %q, Title %q: want both", s.Jurisdiction, s.File, s.Title)
		}
		for _, r := range s.Rules {
			if strings.TrimSpace(r.Citation) == "" {
				t.Errorf("%s: rule %s has no citation", s.File, r.ID)
			}
			if strings.TrimSpace(r.Reason) == "" {
				t.Errorf("%s: rule %s has no reason", s.File, r.ID)
			}
			if r.Position().Line <= 0 {
				t.Errorf("%s: rule %s: Position().Line = %d, want > 0", s.File, r.ID, r.Position().Line)
			}
			if prev, dup := ids[r.ID]; dup {
				t.Errorf("rule id %s in %s and %s", r.ID, prev, s.File)
			}
			ids[r.ID] = s.File
		}
	}

	// FR: tier by tier, FR's rules (in file order) before EU's.
	var want []string
	tiers := []rules.Effect{rules.Exempt, rules.Deny, rules.Defer, rules.Allow, rules.NoBasis}
	for _, e := range tiers {
		for _, j := range []string{"FR", "EU"} {
			for _, r := range byJ[j].Rules {
				if r.Effect == e {
					want = append(want, r.ID)
				}
			}
		}
	}
	fr := p.Rules("FR")
	if diff := cmp.Diff(want, ruleIDs(fr)); diff != "" {
		t.Errorf("Rules(FR) order (-want +got):\n%s", diff)
	}
	if !slices.IsSortedFunc(fr, func(a, b rules.Rule) int {
		return slices.Index(tiers, a.Effect) - slices.Index(tiers, b.Effect)
	}) {
		t.Error("Rules(FR) is not in tier order")
	}
	if diff := cmp.Diff(ruleIDs(fr), ruleIDs(p.Rules("fr"))); diff != "" {
		t.Errorf("Rules(fr) differs from Rules(FR):\n%s", diff)
	}

	for _, c := range []string{"AT", "", "XX", "FRA", "eu"} {
		if got := p.Rules(c); got != nil {
			t.Errorf("Rules(%q) = %v, want nil", c, ruleIDs(got))
		}
	}
	// The EU baseline is applied alone to a sender of a member state
	// without a set of its own (GDPR art. 3(1)): its rules are listed.
	if eu := p.Rules("EU"); len(eu) == 0 || eu[0].ID[:3] != "EU_" {
		t.Errorf("Rules(EU) = %v, want the baseline's rules", ruleIDs(eu))
	}
	gb := p.Rules("GB")
	if len(gb) == 0 {
		t.Fatal("Rules(GB) is empty")
	}
	if diff := cmp.Diff(ruleIDs(gb), ruleIDs(p.Rules("UK"))); diff != "" {
		t.Errorf("Rules(UK) differs from Rules(GB) (-GB +UK):\n%s", diff)
	}
	for _, r := range gb {
		if !strings.HasPrefix(r.ID, "UK_") {
			t.Errorf("Rules(GB) includes %s: GB does not extend the EU baseline", r.ID)
		}
	}
}

func ruleIDs(rs []rules.Rule) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}
