package rules_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/rules"
)

// TestCheck: the checks of sets as data find every problem without
// compiling a condition, each at its position.
func TestCheck(t *testing.T) {
	base := mustParse(t, "eu.yaml", `jurisdiction: EU
title: Base
channels: [email]
rules:
  - id: EU_A
    effect: deny
    reason: A
    citation: Act 1
    condition: this is not CEL and Check does not care
`)
	country := mustParse(t, "xx.yaml", `jurisdiction: FR
extends: EU
title: Country
parameters:
  minor_consent: sometimes
rules:
  - id: EU_A
    effect: allow
    reason: lower_case
    citation: Act 2
    condition: "true"
`)
	type problem struct {
		File, Rule   string
		Line, Column int
		Msg          string
	}
	var got []problem
	for _, e := range rules.Check([]*rules.Set{base, country}) {
		got = append(got, problem{e.File, e.Rule, e.Line, e.Column, e.Msg})
	}
	want := []problem{
		{"xx.yaml", "", 5, 3, `parameters.minor_consent "sometimes": want parental or joint`},
		{"xx.yaml", "EU_A", 7, 5, "id EU_A also used in eu.yaml"},
		{"xx.yaml", "EU_A", 7, 5, "an allow rule needs a basis: consent, soft_opt_in, b2b_opt_out, not_personal_data or non_commercial_opt_out"},
		{"xx.yaml", "EU_A", 7, 5, `reason "lower_case": want a CAPS_WITH_UNDERSCORES code`},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Check() (-want +got):\n%s", diff)
	}
	if l := rules.Check([]*rules.Set{base}); l != nil {
		t.Errorf("Check(base) = %v, want nil", l)
	}
}

// TestRuleCheck: a rule built in Go is checked like a parsed one, at no
// position.
func TestRuleCheck(t *testing.T) {
	ok := rules.Rule{ID: "HOST_A", Effect: rules.Deny, Reason: "A", Citation: "House policy 1", Condition: "true"}
	if err := ok.Check(); err != nil {
		t.Errorf("Check() = %v, want nil", err)
	}
	bad := ok
	bad.ValidFrom = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	bad.ValidUntil = bad.ValidFrom
	bad.Obligations = []rules.ObligationRef{{Obligation: rules.OptOut, Citation: "x"}}
	err := bad.Check()
	var l rules.ErrorList
	if !errors.As(err, &l) || !errors.Is(err, rules.ErrInvalid) {
		t.Fatalf("Check() = %v, want an ErrorList wrapping ErrInvalid", err)
	}
	var msgs []string
	for _, e := range l {
		if e.Rule != "HOST_A" || e.File != "" || e.Line != 0 {
			t.Errorf("error %#v: want rule HOST_A, no file, no position", e)
		}
		msgs = append(msgs, e.Msg)
	}
	want := []string{"a deny rule has no obligations", "valid_until must be after valid_from"}
	if diff := cmp.Diff(want, msgs); diff != "" {
		t.Errorf("Check() messages (-want +got):\n%s", diff)
	}
}
