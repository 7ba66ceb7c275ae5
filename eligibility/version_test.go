package eligibility_test

import (
	"strings"
	"testing"
	"time"

	"github.com/sendright/sendright/eligibility"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/calls"
	"github.com/sendright/sendright/rules"
)

// versionBase and versionCountry are the reference formatting of two sets.
const versionBase = `# Base set for version tests.
jurisdiction: EU
title: Test base
channels: [email, sms]
parameters:
  digital_consent_age: 16
  minor_consent: parental
obligations:
  - obligation: sender_identity
    citation: Base Act art. 1
rules:
  - id: EU_V_CONSENT
    channels: [all]
    effect: allow
    basis: consent
    reason: CONSENT
    citation: Base Act art. 2
    condition: hasConsent(request.purpose, request.channel)
`

const versionCountry = `jurisdiction: LU   # a country
extends: EU
title: Test country
obligations:
  - obligation: opt_out
    citation: LU Act s. 1
rules:
  - id: LU_V_SOFT_OPT_IN
    channels: [all]
    effect: allow
    basis: soft_opt_in
    reason: SOFT_OPT_IN
    citation: LU Act s. 2
    condition: |-
      request.purpose == 'marketing_similar'
        && similarPurchase()
    obligations:
      - obligation: objection_notice
        citation: LU Act s. 3
    note: A note.
    valid_from: 2026-01-01T01:00:00+01:00

  - id: LU_V_BAN
    channels: [all]
    effect: deny
    reason: BAN
    citation: LU Act s. 4
    condition: "request.category == 'banned'"
    needs_review: true
`

// The same sets, reformatted: other indentation, key order, comments,
// flow style, quoting, and the same instant in another zone.
var versionCountryReformatted = []string{
	`rules:
    -   reason: SOFT_OPT_IN
        id: LU_V_SOFT_OPT_IN
        channels: [all]
        basis: soft_opt_in
        effect: allow
        valid_from: 2026-01-01T00:00:00Z      # same instant, UTC
        note: "A note."
        citation: 'LU Act s. 2'
        obligations: [{citation: LU Act s. 3, obligation: objection_notice}]
        condition: |-
            request.purpose == 'marketing_similar'
              && similarPurchase()
    # the ban
    -   condition: request.category == 'banned'
        needs_review: yes
        citation: LU Act s. 4
        reason: BAN
        effect: deny
        channels: [ all ]
        id: LU_V_BAN
obligations:
    - {obligation: opt_out, citation: LU Act s. 1}
title: "Test country"
extends: "EU"
jurisdiction: 'LU'
`,
	`{jurisdiction: LU, extends: EU, title: Test country,
  obligations: [{obligation: opt_out, citation: LU Act s. 1}],
  rules: [
    {id: LU_V_SOFT_OPT_IN, channels: [all], effect: allow, basis: soft_opt_in, reason: SOFT_OPT_IN,
     citation: LU Act s. 2,
     condition: "request.purpose == 'marketing_similar'\n  && similarPurchase()",
     obligations: [{obligation: objection_notice, citation: LU Act s. 3}],
     note: A note., valid_from: 2026-01-01T00:00:00.000Z},
    {id: LU_V_BAN, channels: [all], effect: deny, reason: BAN, citation: LU Act s. 4,
     condition: "request.category == 'banned'", needs_review: true}]}
`,
	`{"jurisdiction": "LU", "extends": "EU", "title": "Test country",
 "obligations": [{"obligation": "opt_out", "citation": "LU Act s. 1"}],
 "rules": [
  {"id": "LU_V_SOFT_OPT_IN", "channels": ["all"], "effect": "allow", "basis": "soft_opt_in", "reason": "SOFT_OPT_IN",
   "citation": "LU Act s. 2", "condition": "request.purpose == 'marketing_similar'\n  && similarPurchase()",
   "obligations": [{"obligation": "objection_notice", "citation": "LU Act s. 3"}],
   "note": "A note.", "valid_from": "2025-12-31T19:00:00-05:00"},
  {"id": "LU_V_BAN", "channels": ["all"], "effect": "deny", "reason": "BAN", "citation": "LU Act s. 4",
   "condition": "request.category == 'banned'", "needs_review": true}]}
`,
}

var versionParams = eligibility.Params{SimilarityGroups: map[string][]string{
	"small_kitchen_appliances": {"kettles", "toasters", "blenders"},
}}

func versionSets(t *testing.T, country string) []*rules.Set {
	t.Helper()
	return []*rules.Set{mustParse(t, "eu.yaml", versionBase), mustParse(t, "lu.yaml", country)}
}

func versionOf(t *testing.T, sets []*rules.Set, params eligibility.Params) string {
	t.Helper()
	return mustCompile(t, sets, params).Version()
}

func TestVersionStable(t *testing.T) {
	v := versionOf(t, versionSets(t, versionCountry), versionParams)
	if again := versionOf(t, versionSets(t, versionCountry), versionParams); again != v {
		t.Errorf("same sets: version %s, then %s", v, again)
	}
	// The order of the sets passed to Compile does not matter.
	sets := versionSets(t, versionCountry)
	sets[0], sets[1] = sets[1], sets[0]
	if got := versionOf(t, sets, versionParams); got != v {
		t.Errorf("sets in another order: version %s, want %s", got, v)
	}
	// Nor do the file names.
	sets = []*rules.Set{mustParse(t, "other/base.yml", versionBase), mustParse(t, "x.yaml", versionCountry)}
	if got := versionOf(t, sets, versionParams); got != v {
		t.Errorf("other file names: version %s, want %s", got, v)
	}
	// Nor the order of a similarity group's members.
	reordered := eligibility.Params{SimilarityGroups: map[string][]string{
		"small_kitchen_appliances": {"blenders", "toasters", "kettles"},
	}}
	if got := versionOf(t, versionSets(t, versionCountry), reordered); got != v {
		t.Errorf("similarity group members reordered: version %s, want %s", got, v)
	}
	for i, src := range versionCountryReformatted {
		if got := versionOf(t, versionSets(t, src), versionParams); got != v {
			t.Errorf("reformatted file %d: version %s, want %s", i, got, v)
		}
	}
}

// A condition written as a literal block keeps a trailing newline that the
// same condition written on one line lacks; CEL ignores it.
func TestVersionConditionScalarStyle(t *testing.T) {
	plain := versionOf(t, versionSets(t, versionCountry), versionParams)
	block := replaceOnce(t, versionCountry, `    condition: "request.category == 'banned'"`,
		"    condition: |\n      request.category == 'banned'")
	sets := versionSets(t, block)
	if got := sets[1].Rules[1].Condition; got != "request.category == 'banned'\n" {
		t.Fatalf("block condition = %q", got)
	}
	if got := versionOf(t, sets, versionParams); got != plain {
		t.Errorf("Version changes when only the YAML scalar style of a condition changes: %s vs %s", got, plain)
	}
	// Whitespace and redundant parentheses inside the expression are
	// formatting too: the version hashes cel-go's canonical form.
	spaced := replaceOnce(t, versionCountry, `    condition: "request.category == 'banned'"`,
		`    condition: "( request.category   ==  'banned' )"`)
	if got := versionOf(t, versionSets(t, spaced), versionParams); got != plain {
		t.Errorf("Version changes with whitespace inside a condition: %s vs %s", got, plain)
	}
}

func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	if n := strings.Count(s, old); n != 1 {
		t.Fatalf("%q occurs %d times", old, n)
	}
	return strings.Replace(s, old, new, 1)
}

func TestVersionChanges(t *testing.T) {
	ref := versionOf(t, versionSets(t, versionCountry), versionParams)
	tests := []struct {
		name   string
		change func(base, country *rules.Set, p *eligibility.Params)
	}{
		{"rule citation", func(_, c *rules.Set, _ *eligibility.Params) { c.Rules[0].Citation = "LU Act s. 2(1)" }},
		{"base rule citation", func(b, _ *rules.Set, _ *eligibility.Params) { b.Rules[0].Citation += " " }},
		{"condition", func(_, c *rules.Set, _ *eligibility.Params) {
			c.Rules[1].Condition = "request.category == 'banned' || request.category == 'weapons'"
		}},
		{"note", func(_, c *rules.Set, _ *eligibility.Params) { c.Rules[0].Note = "Another note." }},
		{"note added", func(_, c *rules.Set, _ *eligibility.Params) { c.Rules[1].Note = "New." }},
		{"needs_review", func(_, c *rules.Set, _ *eligibility.Params) { c.Rules[1].NeedsReview = false }},
		{"valid_from", func(_, c *rules.Set, _ *eligibility.Params) {
			c.Rules[0].ValidFrom = c.Rules[0].ValidFrom.Add(time.Nanosecond)
		}},
		{"valid_from removed", func(_, c *rules.Set, _ *eligibility.Params) { c.Rules[0].ValidFrom = time.Time{} }},
		{"valid_until", func(_, c *rules.Set, _ *eligibility.Params) {
			c.Rules[1].ValidUntil = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
		}},
		{"reason", func(_, c *rules.Set, _ *eligibility.Params) { c.Rules[1].Reason = "SECTOR_BAN" }},
		{"rule channels", func(_, c *rules.Set, _ *eligibility.Params) { c.Rules[0].Channels = []consent.Channel{consent.Email} }},
		{"self_regulatory", func(_, c *rules.Set, _ *eligibility.Params) { c.Rules[1].SelfRegulatory = true }},
		{"rule id", func(_, c *rules.Set, _ *eligibility.Params) { c.Rules[1].ID = "LU_V_BAN2" }},
		{"basis", func(_, c *rules.Set, _ *eligibility.Params) { c.Rules[0].Basis = rules.B2BOptOut }},
		{"effect", func(_, c *rules.Set, _ *eligibility.Params) { c.Rules[1].Effect = rules.NoBasis }},
		{"rule order", func(_, c *rules.Set, _ *eligibility.Params) { c.Rules[0], c.Rules[1] = c.Rules[1], c.Rules[0] }},
		{"set parameter: digital_consent_age", func(_, c *rules.Set, _ *eligibility.Params) { c.Parameters.DigitalConsentAge = 13 }},
		{"base parameter: minor_consent", func(b, _ *rules.Set, _ *eligibility.Params) { b.Parameters.MinorConsent = "joint" }},
		{"set parameter: registries", func(_, c *rules.Set, _ *eligibility.Params) {
			c.Parameters.Registries = []rules.RegistryParams{{Name: calls.TPS, EffectiveAfterDays: 28, MaxAgeDays: 28}}
		}},
		{"set parameter: registry max_age_days", func(_, c *rules.Set, _ *eligibility.Params) {
			c.Parameters.Registries = []rules.RegistryParams{{Name: calls.TPS, EffectiveAfterDays: 28, MaxAgeDays: 27}}
		}},
		{"set parameter: registry effective_after_days", func(_, c *rules.Set, _ *eligibility.Params) {
			c.Parameters.Registries = []rules.RegistryParams{{Name: calls.TPS, EffectiveAfterDays: 27, MaxAgeDays: 28}}
		}},
		{"base parameter: registries", func(b, _ *rules.Set, _ *eligibility.Params) {
			b.Parameters.Registries = []rules.RegistryParams{{Name: calls.CTPS, MaxAgeDays: 28}}
		}},
		{"set channels", func(_, c *rules.Set, _ *eligibility.Params) { c.Channels = []consent.Channel{consent.Email} }},
		{"set title", func(_, c *rules.Set, _ *eligibility.Params) { c.Title = "Other" }},
		{"set obligation citation", func(_, c *rules.Set, _ *eligibility.Params) { c.Obligations[0].Citation = "LU Act s. 1A" }},
		{"base obligation citation", func(b, _ *rules.Set, _ *eligibility.Params) { b.Obligations[0].Citation = "Base Act art. 1A" }},
		{"rule obligation citation", func(_, c *rules.Set, _ *eligibility.Params) {
			c.Rules[0].Obligations[0].Citation = "LU Act s. 3A"
		}},
		{"rule obligation", func(_, c *rules.Set, _ *eligibility.Params) { c.Rules[0].Obligations[0].Obligation = rules.AdLabel }},
		{"similarity group member", func(_, _ *rules.Set, p *eligibility.Params) {
			p.SimilarityGroups = map[string][]string{"small_kitchen_appliances": {"kettles", "toasters"}}
		}},
		{"similarity group name", func(_, _ *rules.Set, p *eligibility.Params) {
			p.SimilarityGroups = map[string][]string{"kitchen": {"kettles", "toasters", "blenders"}}
		}},
		{"similarity group added", func(_, _ *rules.Set, p *eligibility.Params) {
			p.SimilarityGroups = map[string][]string{
				"small_kitchen_appliances": {"kettles", "toasters", "blenders"},
				"garden":                   {"mowers", "hoses"},
			}
		}},
		{"no similarity groups", func(_, _ *rules.Set, p *eligibility.Params) { p.SimilarityGroups = nil }},
		{"entity aliases", func(_, _ *rules.Set, p *eligibility.Params) {
			p.EntityAliases = [][]string{{"Maison Exemple SAS", "SIREN 000000001"}}
		}},
		{"entity aliases: another group", func(_, _ *rules.Set, p *eligibility.Params) {
			p.EntityAliases = [][]string{{"Maison Exemple SAS", "SIREN 000000002"}}
		}},
	}
	seen := map[string]string{ref: "reference"}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sets := versionSets(t, versionCountry)
			params := eligibility.Params{SimilarityGroups: map[string][]string{}}
			for k, v := range versionParams.SimilarityGroups {
				params.SimilarityGroups[k] = append([]string(nil), v...)
			}
			tc.change(sets[0], sets[1], &params)
			got := versionOf(t, sets, params)
			if prev, dup := seen[got]; dup {
				t.Errorf("version %s is the same as for %s", got, prev)
			}
			seen[got] = tc.name
		})
	}
}

// TestVersionEntityAliases: aliases are hashed by entity key, so spellings
// of the same names give the same version (they decide alike), and a group
// of one name, which declares nothing, changes nothing.
func TestVersionEntityAliases(t *testing.T) {
	sets := versionSets(t, versionCountry)
	with := func(groups ...[]string) string {
		p := versionParams
		p.EntityAliases = groups
		return versionOf(t, sets, p)
	}
	ref := with([]string{"Maison Exemple SAS", "SIREN 000000001"})
	if got := with([]string{"siren 000-000-001", "MAISON EXEMPLE S.A.S."}); got != ref {
		t.Errorf("spelling variants of the same aliases: version %s, want %s", got, ref)
	}
	if got, none := with([]string{"Maison Exemple SAS", "maison exemple sas"}), versionOf(t, sets, versionParams); got != none {
		t.Errorf("a group of one entity: version %s, want the version without aliases %s", got, none)
	}
}

func TestCompileEntityAliasesErrors(t *testing.T) {
	sets := versionSets(t, versionCountry)
	for _, groups := range [][][]string{
		{{"Maison Exemple SAS", "Exemple"}, {"Autre SARL", "MAISON EXEMPLE S.A.S."}},
		{{"Maison Exemple SAS", "..."}},
	} {
		_, err := eligibility.Compile(sets, eligibility.Params{EntityAliases: groups})
		if err == nil || !strings.Contains(err.Error(), "entity_aliases") {
			t.Errorf("Compile(aliases %q) error = %v, want an entity_aliases error", groups, err)
		}
	}
	p, err := eligibility.Compile(sets, eligibility.Params{EntityAliases: [][]string{{"Maison Exemple SAS", "SIREN 000000001"}}})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Aliases().Same("maison exemple s.a.s.", "SIREN 000 000 001") {
		t.Errorf("Policy.Aliases() does not hold the declared group")
	}
}
