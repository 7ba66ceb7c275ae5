package eligibility_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/sendright/sendright/eligibility"

	"github.com/sendright/sendright/rules"
)

const enumSet = `jurisdiction: FR
title: enumeration arguments
channels: [email]
rules:
  - id: R
    channels: [all]
    effect: allow
    basis: consent
    reason: R
    citation: test
    condition: %s
`

// An enumerated variable passed where another vocabulary is expected is a
// compile error with its position, not a panic or a silently wrong rule.
func TestEnumArgumentOfAnotherVocabulary(t *testing.T) {
	for _, cond := range []string{
		`"hasConsent(request.channel, request.purpose)"`,
		`"hasConsent(contact.kind, request.channel)"`,
		`"objected(request.sender.kind, request.channel)"`,
	} {
		s, err := rules.Parse("enum.yaml", []byte(strings.Replace(enumSet, "%s", cond, 1)))
		if err != nil {
			t.Fatal(err)
		}
		_, err = eligibility.Compile([]*rules.Set{s}, eligibility.Params{})
		var list rules.ErrorList
		if !errors.As(err, &list) || !strings.Contains(err.Error(), "must be a") || list[0].Line != 11 {
			t.Errorf("Compile(%s) error = %v, want a positioned vocabulary error", cond, err)
		}
	}
}

// A free-text argument where a purpose or channel is expected, and a
// condition outside the compiled subset, are compile errors at the position
// of the sub-expression at fault: there is no run-time fallback that could
// deny every send.
func TestOutsideTheLanguageIsACompileError(t *testing.T) {
	for _, tc := range []struct {
		cond   string
		column int // of the sub-expression at fault, in the file
		msg    string
	}{
		// cel-go places a selection at its dot and a call at its parenthesis.
		{`"hasConsent(request.category, request.channel)"`, 35, "must be a purpose, not a canonical category key"},
		{`"withdrawn('marketing_general', request.sender.entity)"`, 26, "non-enumerated argument"},
		{`"consentOnOtherChannel(request.sender.entity)"`, 38, "non-enumerated argument"},
		{`"request.category.matches('^a')"`, 41, "outside the rule language: member call matches"},
		{`"request.category + 'x' == 'kettlesx'"`, 34, "outside the rule language"},
		{`"size(request.category) > 3"`, 21, "outside the rule language"},
		{`"localHour() - 1 > 8"`, 29, "outside the rule language: function _-_"},
	} {
		s, err := rules.Parse("enum.yaml", []byte(strings.Replace(enumSet, "%s", tc.cond, 1)))
		if err != nil {
			t.Fatal(err)
		}
		p, err := eligibility.Compile([]*rules.Set{s}, eligibility.Params{})
		var e *rules.Error
		if !errors.As(err, &e) || p != nil {
			t.Errorf("Compile(%s) = %v, %v; want a *rules.Error", tc.cond, p, err)
			continue
		}
		if e.File != "enum.yaml" || e.Rule != "R" || e.Line != 11 || e.Column != tc.column || !strings.Contains(e.Msg, tc.msg) {
			t.Errorf("Compile(%s) error = %#v, want enum.yaml:11:%d rule R %q", tc.cond, e, tc.column, tc.msg)
		}
	}
}

// Sets() and Rules() hand out copies: changing them changes no decision.
func TestPolicyHandsOutCopies(t *testing.T) {
	p, err := eligibility.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range p.Sets() {
		for i := range s.Rules {
			s.Rules[i].Reason = "CHANGED"
			if len(s.Rules[i].Obligations) > 0 {
				s.Rules[i].Obligations[0].Citation = "CHANGED"
			}
		}
	}
	for _, r := range p.Rules("FR") {
		for i := range r.Obligations {
			r.Obligations[i].Citation = "CHANGED"
		}
	}
	for _, r := range p.Rules("FR") {
		if r.Reason == "CHANGED" {
			t.Fatalf("rule %s changed through Sets()", r.ID)
		}
		for _, o := range r.Obligations {
			if o.Citation == "CHANGED" {
				t.Fatalf("rule %s obligations changed through Rules()", r.ID)
			}
		}
	}
}

// A misspelt sector category in inCategory would silently disable a ban: it
// is a compile error.
func TestInCategoryMisspelt(t *testing.T) {
	s, err := rules.Parse("cat.yaml", []byte(strings.Replace(enumSet, "%s", `"inCategory('energy_renovaton')"`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eligibility.Compile([]*rules.Set{s}, eligibility.Params{}); !errors.Is(err, rules.ErrInvalid) || !strings.Contains(err.Error(), "sector category") {
		t.Errorf("Compile = %v, want a sector category error", err)
	}
	// A host category declared in a similarity group is accepted.
	s2, _ := rules.Parse("cat.yaml", []byte(strings.Replace(enumSet, "%s", `"inCategory('solar_panels')"`, 1)))
	if _, err := eligibility.Compile([]*rules.Set{s2}, eligibility.Params{SimilarityGroups: map[string][]string{"g": {"solar_panels", "energy_renovation"}}}); err != nil {
		t.Errorf("Compile with the category in a group = %v", err)
	}
}
