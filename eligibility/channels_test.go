package eligibility_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

// channelSet has rules for e-mail only, for SMS only, and for every
// channel, in a set with e-mail, SMS and post: a post message meets only
// the rules written for all channels.
const channelSet = `jurisdiction: LU
title: channels
channels: [email, sms, post]
rules:
  - id: LU_C_EMAIL
    channels: [email]
    effect: allow
    basis: consent
    reason: EMAIL_RULE
    citation: Fictional Act s. 1
    condition: "true"
  - id: LU_C_SMS
    channels: [sms]
    effect: allow
    basis: consent
    reason: SMS_RULE
    citation: Fictional Act s. 2
    condition: request.channel == 'sms'
    self_regulatory: true
  - id: LU_C_MAIL_OR_SMS
    channels: [email, sms]
    effect: deny
    reason: BANNED
    citation: Fictional Act s. 3
    condition: request.category == 'banned'
  - id: LU_C_EVERY
    channels: [all]
    effect: no_basis
    reason: NOTHING_ELSE
    citation: Fictional Act s. 4
    condition: "true"
`

// TestRulesApplyOnlyToTheirChannels: a rule is compiled into the channels
// it names and no other, [all] reaches every channel of the set, and the
// specialised walk agrees with the trace.
func TestRulesApplyOnlyToTheirChannels(t *testing.T) {
	p := mustCompile(t, []*rules.Set{mustParse(t, "lu.yaml", channelSet)}, eligibility.Params{})
	c := newContact(t, "niamh", "LU", consent.Consumer)
	tests := []struct {
		ch       consent.Channel
		category string
		want     string // rule that decides
	}{
		{consent.Email, "", "LU_C_EMAIL"},
		{consent.SMS, "", "LU_C_SMS"},
		{consent.Post, "", "LU_C_EVERY"},
		{consent.Email, "banned", "LU_C_MAIL_OR_SMS"},
		{consent.SMS, "banned", "LU_C_MAIL_OR_SMS"},
		{consent.Post, "banned", "LU_C_EVERY"}, // the ban names e-mail and SMS only
	}
	for _, tc := range tests {
		m := message(consent.MarketingGeneral, tc.ch, tc.category, ruleAt)
		d, err := decide(p, c, m)
		if err != nil {
			t.Fatalf("%v %q: %v", tc.ch, tc.category, err)
		}
		if d.Rule != tc.want {
			t.Errorf("%v %q: decided by %s (%v), want %s", tc.ch, tc.category, d.Rule, d, tc.want)
		}
		if d.SelfRegulatory != (tc.want == "LU_C_SMS") {
			t.Errorf("%v %q: SelfRegulatory = %v", tc.ch, tc.category, d.SelfRegulatory)
		}
		td, steps, err := trace(p, c, m)
		if err != nil || td.Rule != d.Rule {
			t.Fatalf("%v %q: Explain decided %s (%v), Decide %s", tc.ch, tc.category, td.Rule, err, d.Rule)
		}
		for _, s := range steps {
			names := map[string][]consent.Channel{"LU_C_EMAIL": {consent.Email}, "LU_C_SMS": {consent.SMS},
				"LU_C_MAIL_OR_SMS": {consent.Email, consent.SMS}}[s.Rule]
			governed := names == nil || contains(names, tc.ch)
			if !governed && s.Result != eligibility.NotApplicable {
				t.Errorf("%v %q: step %s is %v, want not_applicable (the rule does not name the channel)", tc.ch, tc.category, s.Rule, s.Result)
			}
			if governed && s.Result == eligibility.NotApplicable {
				t.Errorf("%v %q: step %s is not_applicable, but the rule names the channel", tc.ch, tc.category, s.Rule)
			}
			if s.SelfRegulatory != (s.Rule == "LU_C_SMS") {
				t.Errorf("%v %q: step %s SelfRegulatory = %v", tc.ch, tc.category, s.Rule, s.SelfRegulatory)
			}
		}
	}
	// The rule listing carries channels and self-regulation.
	var got []string
	for _, r := range p.Rules("LU") {
		var chs []string
		for _, ch := range r.Channels {
			chs = append(chs, ch.String())
		}
		got = append(got, r.ID+" "+strings.Join(chs, ",")+map[bool]string{true: " self_regulatory"}[r.SelfRegulatory])
	}
	want := []string{"LU_C_MAIL_OR_SMS email,sms", "LU_C_EMAIL email", "LU_C_SMS sms self_regulatory", "LU_C_EVERY all"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Rules(LU) (-want +got):\n%s", diff)
	}
}

func contains(chs []consent.Channel, ch consent.Channel) bool {
	for _, c := range chs {
		if c == ch {
			return true
		}
	}
	return false
}

// TestAddingAChannelAppliesNoOtherRules: a channel of the built-in French
// set that no allowing rule names (push, once the allow and exempt rules
// written for it are taken out; the deny rules stay, as in every policy)
// gets no basis: the e-mail soft opt-in does not silently allow a
// notification.
func TestAddingAChannelAppliesNoOtherRules(t *testing.T) {
	sets, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sets {
		if s.Jurisdiction == "FR" && !contains(s.Channels, consent.Push) {
			s.Channels = append(s.Channels, consent.Push)
		}
		kept := s.Rules[:0]
		for _, r := range s.Rules {
			if r.Effect == rules.Deny { // built-in deny rules are kept in every policy, unchanged
				kept = append(kept, r)
				continue
			}
			var chs []consent.Channel
			for _, ch := range r.Channels {
				if ch != consent.Push {
					chs = append(chs, ch)
				}
			}
			if len(chs) > 0 {
				r.Channels = chs
				kept = append(kept, r)
			}
		}
		s.Rules = kept
	}
	p := mustCompile(t, sets, eligibility.Params{})
	c := newContact(t, "camille", "FR", consent.Consumer,
		withPurchases(purchase("p1", "kettles", ruleAt.AddDate(0, -1, 0))),
		withRecords(t, grant("g1", "camille", consent.MarketingGeneral, consent.Email, ruleAt.AddDate(0, -2, 0))),
		// The push permission deny rule is a built-in invariant, kept in
		// every policy with a FR set: permitted, it stays out of the way.
		func(c *consent.Contact) { c.PushPermitted = true })
	for _, pu := range []consent.Purpose{consent.MarketingSimilar, consent.MarketingGeneral} {
		d, err := decide(p, c, message(pu, consent.Push, "kettles", ruleAt))
		if err != nil {
			t.Fatal(err)
		}
		if d.Verdict == eligibility.Allow || d.Reason != eligibility.ReasonNoLegalBasis {
			t.Errorf("%v by push with e-mail rules only: %v, want deny %s", pu, d, eligibility.ReasonNoLegalBasis)
		}
		// The same message by e-mail is allowed, as before.
		if d, _ := decide(p, c, message(pu, consent.Email, "kettles", ruleAt)); d.Verdict != eligibility.Allow {
			t.Errorf("%v by e-mail: %v, want allow", pu, d)
		}
	}
	// A rule for every channel, the energy-renovation ban, reaches push.
	d, err := decide(p, c, message(consent.MarketingGeneral, consent.Push, "energy_renovation", ruleAt))
	if err != nil {
		t.Fatal(err)
	}
	if d.Rule != "FR_ENERGY_RENOVATION_BAN" {
		t.Errorf("energy renovation by push: %v, want FR_ENERGY_RENOVATION_BAN", d)
	}
}

// TestNarrowedStopIsNotTheBuiltin: a host's copy of a built-in stop that
// names fewer channels changes it, and is refused.
func TestNarrowedStopIsNotTheBuiltin(t *testing.T) {
	sets, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sets {
		for i := range s.Rules {
			if s.Rules[i].ID == "EU_OBJECTION" {
				s.Rules[i].Channels = []consent.Channel{consent.Email}
			}
		}
	}
	_, err = eligibility.Compile(sets, eligibility.Params{})
	if list := errorList(t, err); !strings.Contains(list[0].Msg, "cannot be changed or replaced") || list[0].Rule != "EU_OBJECTION" {
		t.Errorf("Compile with a narrowed EU_OBJECTION: %v, want a refusal naming it", err)
	}
}

// TestCallsNeedANumber: a call to a contact without a phone number is an
// invalid request, denied with a typed error, like an SMS.
func TestCallsNeedANumber(t *testing.T) {
	p := mustCompile(t, mustBuiltin(t), eligibility.Params{})
	for _, ch := range []consent.Channel{consent.SMS, consent.VoiceLive, consent.VoiceAutomated} {
		c := newContact(t, "margaux", "FR", consent.Consumer, func(c *consent.Contact) { c.Phone = address.Address{} })
		d, err := decide(p, c, message(consent.MarketingGeneral, ch, "", ruleAt))
		var fe *consent.FieldError
		if !errors.As(err, &fe) || fe.Field != "contact.phone" || d.Verdict == eligibility.Allow || d.Reason != eligibility.ReasonInvalidRequest {
			t.Errorf("%v without a number: %v, %v; want a deny %s with a contact.phone error", ch, d, err, eligibility.ReasonInvalidRequest)
		}
	}
}

func mustBuiltin(t *testing.T) []*rules.Set {
	t.Helper()
	sets, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return sets
}
