package rules_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
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
    channels: [all]
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
    channels: [all]
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
		{"xx.yaml", "EU_A", 7, 5, "an allow rule needs a basis: consent, soft_opt_in, b2b_opt_out, not_personal_data, non_commercial_opt_out, legitimate_interest or opt_out"},
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
	ok := rules.Rule{ID: "HOST_A", Effect: rules.Deny, Reason: "A", Citation: "House policy 1", Condition: "true",
		Channels: []consent.Channel{consent.AllChannels}}
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

// TestCheckChannels: every rule names its channels, each a channel of its
// set (its own list or, when it has none, its base's), or all alone; each
// problem is reported at the rule.
func TestCheckChannels(t *testing.T) {
	base := mustParse(t, "eu.yaml", `jurisdiction: EU
title: Base
channels: [email, sms]
rules:
  - id: EU_OK
    channels: [email, sms]
    effect: deny
    reason: A
    citation: Act 1
    condition: "true"
  - id: EU_ALL
    channels: [all]
    effect: deny
    reason: A
    citation: Act 1
    condition: "true"
  - id: EU_MISSING
    effect: deny
    reason: A
    citation: Act 1
    condition: "true"
  - id: EU_OUTSIDE
    channels: [email, post]
    effect: deny
    reason: A
    citation: Act 1
    condition: "true"
`)
	country := mustParse(t, "xx.yaml", `jurisdiction: FR
extends: EU
title: Country
rules:
  - id: FR_INHERITED
    channels: [sms]
    effect: deny
    reason: A
    citation: Act 2
    condition: "true"
  - id: FR_OUTSIDE
    channels: [voice_automated]
    effect: deny
    reason: A
    citation: Act 2
    condition: "true"
  - id: FR_ALL_AND_MORE
    channels: [all, email]
    effect: deny
    reason: A
    citation: Act 2
    condition: "true"
  - id: FR_TWICE
    channels: [sms, sms]
    effect: deny
    reason: A
    citation: Act 2
    condition: "true"
  - id: FR_EMPTY
    channels: []
    effect: deny
    reason: A
    citation: Act 2
    condition: "true"
`)
	type problem struct {
		File, Rule string
		Line       int
		Msg        string
	}
	var got []problem
	for _, e := range rules.Check([]*rules.Set{base, country}) {
		got = append(got, problem{e.File, e.Rule, e.Line, e.Msg})
	}
	want := []problem{
		{"eu.yaml", "EU_MISSING", 17, "missing channels: every rule names the channels it governs (a list, or [all])"},
		{"eu.yaml", "EU_OUTSIDE", 22, "channels: post is not a channel of set EU (it has email, sms)"},
		{"xx.yaml", "FR_OUTSIDE", 11, "channels: voice_automated is not a channel of set FR (it has email, sms)"},
		{"xx.yaml", "FR_ALL_AND_MORE", 17, "channels: all stands alone"},
		{"xx.yaml", "FR_TWICE", 23, "channels: sms given twice"},
		{"xx.yaml", "FR_EMPTY", 29, "missing channels: every rule names the channels it governs (a list, or [all])"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Check() (-want +got):\n%s", diff)
	}
	// A rule built in Go is checked alike.
	r := rules.Rule{ID: "HOST_A", Effect: rules.Deny, Reason: "A", Citation: "House policy 1", Condition: "true"}
	if err := r.Check(); err == nil || !strings.Contains(err.Error(), "missing channels") {
		t.Errorf("Check() of a rule without channels = %v, want a missing-channels error", err)
	}
}

// TestGoverns: a rule governs the channels it names, and every channel
// when it names all.
func TestGoverns(t *testing.T) {
	some := rules.Rule{Channels: []consent.Channel{consent.Email, consent.Post}}
	all := rules.Rule{Channels: []consent.Channel{consent.AllChannels}}
	var none rules.Rule
	for ch := consent.Email; ch <= consent.AllChannels; ch++ {
		wantSome := ch == consent.Email || ch == consent.Post
		wantAll := ch != consent.AllChannels
		if got := some.Governs(ch); got != wantSome {
			t.Errorf("[email, post].Governs(%v) = %v, want %v", ch, got, wantSome)
		}
		if got := all.Governs(ch); got != wantAll {
			t.Errorf("[all].Governs(%v) = %v, want %v", ch, got, wantAll)
		}
		if none.Governs(ch) {
			t.Errorf("a rule with no channels governs %v", ch)
		}
	}
}
