package eligibility_test

import (
	"testing"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/calls"
	"github.com/sendright/sendright/eligibility"
)

// callsWithin(d) and sentWithin(purpose, channel, d) count over a rolling
// period: what happened no more than d before the instant, up to it,
// whatever the local dates.
func TestCallsAndSentWithin(t *testing.T) {
	three := withAttempts(call(t0.Add(-23*time.Hour), calls.VoiceLive, calls.NoAnswer),
		call(t0.Add(-2*time.Hour), calls.VoiceAutomated, calls.Answered),
		call(t0.Add(-time.Minute), calls.VoiceLive, calls.NoAnswer))
	texts := withSent(sendOf(t0.Add(-24*time.Hour), consent.MarketingGeneral, consent.SMS),
		sendOf(t0.Add(-3*time.Hour), consent.MarketingSimilar, consent.SMS),
		sendOf(t0.Add(-time.Hour), consent.Transactional, consent.SMS),
		sendOf(t0.Add(-time.Hour), consent.MarketingGeneral, consent.Email))
	for _, tc := range []struct {
		name, cond string
		opts       []contactOpt
		at         time.Time
	}{
		{"three calls in the last 24 hours", "callsWithin(duration('24h')) == 3", []contactOpt{three}, t0},
		{"an hour later the oldest is 24 hours old: still in", "callsWithin(duration('24h')) == 3", []contactOpt{three}, t0.Add(time.Hour)},
		{"a nanosecond after: out", "callsWithin(duration('24h')) == 2", []contactOpt{three}, t0.Add(time.Hour + time.Nanosecond)},
		{"before the latest call it does not count", "callsWithin(duration('24h')) == 2", []contactOpt{three}, t0.Add(-2 * time.Minute)},
		{"another sender's calls do not count", "callsWithin(duration('24h')) == 0",
			[]contactOpt{withAttempts(calls.Attempt{At: t0.Add(-time.Hour), Channel: calls.VoiceLive, Sender: "Other Ltd", Outcome: calls.Answered})}, t0},
		{"a zero duration counts the instant only", "callsWithin(duration('0s')) == 0", []contactOpt{three}, t0},
		{"marketing texts in 24 hours, the oldest exactly 24 hours old", "sentWithin('all_marketing', 'sms', duration('24h')) == 2", []contactOpt{texts}, t0},
		{"general marketing only", "sentWithin('marketing_general', 'sms', duration('24h')) == 1", []contactOpt{texts}, t0},
		{"every channel", "sentWithin('all_marketing', 'all', duration('2h')) == 1", []contactOpt{texts}, t0},
		{"transactional", "sentWithin('transactional', 'sms', duration('2h')) == 1", []contactOpt{texts}, t0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !holds(t, inputsPolicy(t, tc.cond), luContact(t, tc.opts...), consent.VoiceLive, tc.at) {
				t.Errorf("%s does not hold", tc.cond)
			}
		})
	}
}

// A defer rule on callsWithin waits exactly until the oldest counted call
// leaves the period: its instant plus the duration, and a nanosecond.
func TestCallsWithinDefer(t *testing.T) {
	const set = `jurisdiction: JP
title: three calls a day (test only)
channels: [voice_live]
rules:
  - id: JP_T_CAP
    channels: [all]
    effect: defer
    reason: CAP
    citation: Fictional Act s. 1
    condition: callsWithin(duration('24h')) >= 3
  - id: JP_T_ANY
    channels: [all]
    effect: allow
    basis: consent
    reason: ANY
    citation: Fictional Act s. 2
    condition: "true"
`
	p := deferPolicy(t, set)
	c := newContact(t, "pat", "JP", consent.Consumer, withAttempts(call(t0.Add(-20*time.Hour), calls.VoiceLive, calls.NoAnswer),
		call(t0.Add(-10*time.Hour), calls.VoiceLive, calls.NoAnswer), call(t0.Add(-time.Hour), calls.VoiceLive, calls.Answered)))
	d, err := decide(p, c, message(consent.MarketingGeneral, consent.VoiceLive, "", t0))
	if err != nil {
		t.Fatal(err)
	}
	if want := t0.Add(4*time.Hour + time.Nanosecond); d.Verdict != eligibility.Defer || !d.NotBefore.Equal(want) {
		t.Fatalf("Decide = %v, NotBefore %v; want defer until %v", d, d.NotBefore, want)
	}
}

// writtenConsentMissing names the first missing element of the grant that
// counts, with the grant as evidence; nothing when none counts.
func TestWrittenConsentMissing(t *testing.T) {
	g := func(m consent.Method, terms ...consent.Term) contactOpt {
		r := grant("g-1", "oliver", consent.MarketingGeneral, consent.SMS, t0.Add(-days(30)))
		r.Method, r.Terms = m, consent.TermsOf(terms...)
		return withRecords(t, r)
	}
	for _, tc := range []struct {
		name, want string
		opts       []contactOpt
	}{
		{"complete", "", []contactOpt{g(consent.UntickedCheckbox, consent.Signature, consent.AutomatedMeans, consent.NotPurchaseCondition)}},
		{"unsigned", "signature", []contactOpt{g(consent.UntickedCheckbox, consent.AutomatedMeans, consent.NotPurchaseCondition)}},
		{"signed form without automated means", "automated_means", []contactOpt{g(consent.SignedForm, consent.NotPurchaseCondition)}},
		{"no disclosure", "not_purchase_condition", []contactOpt{g(consent.SignedForm, consent.AutomatedMeans)}},
		{"indefinite is no written element", "", []contactOpt{g(consent.UntickedCheckbox, consent.Signature, consent.AutomatedMeans,
			consent.NotPurchaseCondition, consent.Indefinite)}},
		{"no grant", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cond := "writtenConsentMissing(request.purpose, request.channel) == '" + tc.want + "'"
			if !holds(t, inputsPolicy(t, cond), luContact(t, tc.opts...), consent.SMS, t0) {
				t.Errorf("%s does not hold", cond)
			}
		})
	}
	wantInputsCompileError(t, "writtenConsentMissing(request.purpose, request.channel) == 'seal'", "seal")
	wantInputsCompileError(t, "writtenConsentMissing(request.purpose, request.channel) == 'indefinite'", "indefinite")
}

// consentCurrent holds for a grant that counts given no more than the
// duration before the instant, or expressed to be for an indefinite period
// (term indefinite); never without a grant that counts.
func TestConsentCurrent(t *testing.T) {
	g := func(at time.Time, m consent.Method, terms ...consent.Term) contactOpt {
		r := grant("g-1", "oliver", consent.MarketingGeneral, consent.SMS, at)
		r.Method, r.Terms = m, consent.TermsOf(terms...)
		return withRecords(t, r)
	}
	const cond = "consentCurrent(request.purpose, request.channel, duration('2136h'))"
	given := t0.Add(-2136 * time.Hour)
	for _, tc := range []struct {
		name string
		opt  contactOpt
		at   time.Time
		want bool
	}{
		{"given exactly 89 days before", g(given, consent.UntickedCheckbox), t0, true},
		{"a nanosecond later it has lapsed", g(given, consent.UntickedCheckbox), t0.Add(time.Nanosecond), false},
		{"indefinite does not lapse", g(given, consent.UntickedCheckbox, consent.Indefinite), t0.Add(days(3650)), true},
		{"other terms do not keep it", g(given, consent.UntickedCheckbox, consent.Signature), t0.Add(time.Hour), false},
		{"a grant that does not count", g(t0.Add(-time.Hour), consent.PreTicked, consent.Indefinite), t0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := holds(t, inputsPolicy(t, cond), luContact(t, tc.opt), consent.SMS, tc.at); got != tc.want {
				t.Errorf("%s = %v, want %v", cond, got, tc.want)
			}
		})
	}
	if got := holds(t, inputsPolicy(t, cond), luContact(t), consent.SMS, t0); got {
		t.Errorf("%s holds without a grant", cond)
	}
}
