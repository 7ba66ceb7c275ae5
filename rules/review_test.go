package rules_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/rules"
)

const enumSet = `jurisdiction: FR
title: enumeration arguments
channels: [email]
rules:
  - id: R
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
		_, err = rules.Compile([]*rules.Set{s}, rules.Params{})
		var list rules.ErrorList
		if !errors.As(err, &list) || !strings.Contains(err.Error(), "must be a") || list[0].Line != 10 {
			t.Errorf("Compile(%s) error = %v, want a positioned vocabulary error", cond, err)
		}
	}
}

// A free-text argument where a purpose is expected fails at run time on
// cel-go, and the failure denies.
func TestFreeTextPurposeDeniesAtRunTime(t *testing.T) {
	s, err := rules.Parse("enum.yaml", []byte(strings.Replace(enumSet, "%s", `"hasConsent(request.category, request.channel)"`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	p, err := rules.Compile([]*rules.Set{s}, rules.Params{})
	if err != nil {
		t.Fatal(err)
	}
	if fb := p.Fallbacks(); len(fb) != 1 || fb[0] != "R" {
		t.Errorf("Fallbacks() = %v, want [R]", fb)
	}
	c := &consent.Contact{ID: "c", Kind: consent.Consumer, Country: consent.MustCountry("FR"), Location: time.UTC,
		Email: consent.MustParseEmail("a@example.com")}
	m := &consent.Message{Purpose: consent.MarketingGeneral, Channel: consent.Email, Category: "kettles",
		Sender: consent.Sender{Entity: "E", Kind: consent.Company}, At: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	out, err := p.Evaluate(c, m)
	if !errors.Is(err, rules.ErrEvaluation) || out.Allowed {
		t.Errorf("Evaluate = %+v, %v; want a denied evaluation error", out, err)
	}
}

// Sets() and Rules() hand out copies: changing them changes no decision.
func TestPolicyHandsOutCopies(t *testing.T) {
	p, err := rules.Default()
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
	if _, err := rules.Compile([]*rules.Set{s}, rules.Params{}); !errors.Is(err, rules.ErrInvalid) || !strings.Contains(err.Error(), "sector category") {
		t.Errorf("Compile = %v, want a sector category error", err)
	}
	// A host category declared in a similarity group is accepted.
	s2, _ := rules.Parse("cat.yaml", []byte(strings.Replace(enumSet, "%s", `"inCategory('solar_panels')"`, 1)))
	if _, err := rules.Compile([]*rules.Set{s2}, rules.Params{SimilarityGroups: map[string][]string{"g": {"solar_panels", "energy_renovation"}}}); err != nil {
		t.Errorf("Compile with the category in a group = %v", err)
	}
}
