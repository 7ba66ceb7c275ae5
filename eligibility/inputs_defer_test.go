package eligibility_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/consent/calls"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

// inputsDefer is a test-only set over the host's inputs: an unchecked or
// listed TPS number denies calls, the sender's prospection period ends
// after 1096 days, at most 4 calls in 30 days and none within 60 days of a
// refusal are deferred, and consent allows.
const inputsDefer = `jurisdiction: LU
title: caps (test only)
channels: [voice_live]
parameters:
  registries:
    - name: tps
      effective_after_days: 28
      max_age_days: 28
rules:
  - id: LU_T_TPS_UNCHECKED
    channels: [all]
    effect: deny
    reason: TPS_UNCHECKED
    citation: Fictional Act s. 1
    condition: registry('tps') == 'unchecked'
  - id: LU_T_TPS_LISTED
    channels: [all]
    effect: deny
    reason: TPS_LISTED
    citation: Fictional Act s. 2
    condition: registry('tps') == 'listed'
  - id: LU_T_PERIOD_OVER
    channels: [all]
    effect: deny
    reason: PROSPECTION_PERIOD_OVER
    citation: Fictional Act s. 3
    condition: "!prospectActiveWithin(duration('26304h'))"
  - id: LU_T_CAP
    channels: [all]
    effect: defer
    reason: CALL_CAP
    citation: Fictional Act s. 4
    condition: callAttempts(30) >= 4
  - id: LU_T_COOL_OFF
    channels: [all]
    effect: defer
    reason: COOL_OFF
    citation: Fictional Act s. 5
    condition: refusedWithin(60)
  - id: LU_T_CONSENT
    channels: [all]
    effect: allow
    basis: consent
    reason: CONSENT
    citation: Fictional Act s. 6
    condition: hasConsent(request.purpose, request.channel)
`

// callable is a contact in Luxembourg (no built-in set, so the built-in
// rules of a real country, such as the UK's stop after a refused call,
// stay out of the test set) with consent to calls on a Luxembourg number,
// collected a year before t0, whose number was looked up (clear) in the
// test set's registry a day before t0.
func callable(t testing.TB, opts ...contactOpt) *consent.Contact {
	phone := address.MustParsePhone("+352621555123", address.Country{})
	g := grant("g-call", "oliver", consent.MarketingGeneral, consent.VoiceLive, t0.AddDate(-1, 0, 0))
	g.Subject = phone
	base := []contactOpt{func(c *consent.Contact) { c.Phone = phone }, withRecords(t, g),
		func(c *consent.Contact) { c.CollectedAt = t0.AddDate(-1, 0, 0) },
		withCheck(calls.TPS, "+352621555123", false, time.Time{}, t0.Add(-days(1)))}
	return luContact(t, append(base, opts...)...)
}

// TestInputsDeferNotBefore: the caps' change points give the exact
// instant a call becomes lawful; decided again then it is allowed, a
// minute before it is not.
func TestInputsDeferNotBefore(t *testing.T) {
	p := deferPolicy(t, inputsDefer)
	fourCalls := withAttempts(call(t0.Add(-days(25)), calls.VoiceLive, calls.NoAnswer),
		call(t0.Add(-days(20)), calls.VoiceLive, calls.NoAnswer),
		call(t0.Add(-days(3)), calls.VoiceAutomated, calls.Answered),
		call(t0.Add(-days(2)), calls.VoiceLive, calls.NoAnswer))
	refused := withAttempts(call(t0.Add(-days(10)), calls.VoiceLive, calls.Refused))
	// A refresh of the lookup due before the wait ends keeps the number
	// checked: the host looked it up again.
	refreshed := func(c *consent.Contact) {
		for d := 20; d <= 60; d += 20 {
			withCheck(calls.TPS, "+352621555123", false, time.Time{}, t0.Add(days(d)))(c)
		}
	}
	for _, tc := range []struct {
		name      string
		opts      []contactOpt
		rule      string
		notBefore time.Time
	}{
		// The oldest call (13 February, 12:00 UTC) leaves the 30 calendar
		// days at the midnight starting 15 March, not at 12:00.
		{"four calls: the oldest leaves the 30 days", []contactOpt{fourCalls}, "LU_T_CAP", time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)},
		// A refusal on 28 February holds the 60 dates after it, to the
		// end of 29 April.
		{"a refusal: the 60 days after its date", []contactOpt{refused, refreshed}, "LU_T_COOL_OFF", time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC)},
		{"both: the later of the two", []contactOpt{fourCalls, refused, refreshed}, "LU_T_CAP", time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := callable(t, tc.opts...)
			d, err := decide(p, c, message(consent.MarketingGeneral, consent.VoiceLive, "", t0))
			if err != nil {
				t.Fatal(err)
			}
			type got struct {
				Verdict   eligibility.Verdict
				Rule      string
				NotBefore time.Time
			}
			if diff := cmp.Diff(got{eligibility.Defer, tc.rule, tc.notBefore}, got{d.Verdict, d.Rule, d.NotBefore}); diff != "" {
				t.Fatalf("Decide (-want +got):\n%s\n%v (%s)", diff, d, d.Detail)
			}
			if d, _ := decide(p, c, message(consent.MarketingGeneral, consent.VoiceLive, "", tc.notBefore)); d.Verdict != eligibility.Allow {
				t.Errorf("at NotBefore: %v, want allow", d)
			}
			if d, _ := decide(p, c, message(consent.MarketingGeneral, consent.VoiceLive, "", tc.notBefore.Add(-time.Minute))); d.Verdict == eligibility.Allow {
				t.Errorf("a minute before NotBefore: %v, want no allow", d)
			}
		})
	}
}

// TestInputsDeferCrossesIntoDeny: a wait that crosses a registry lookup
// going stale, a registration taking effect or the end of the prospection
// period is a deny naming the rule it crosses into, at the exact instant.
func TestInputsDeferCrossesIntoDeny(t *testing.T) {
	p := deferPolicy(t, inputsDefer)
	refused := withAttempts(call(t0.Add(-days(10)), calls.VoiceLive, calls.Refused)) // deferred to t0 + 50 days
	for _, tc := range []struct {
		name   string
		opts   []contactOpt
		rule   string
		crossT time.Time
	}{
		{"the lookup goes stale", []contactOpt{refused}, "LU_T_TPS_UNCHECKED", t0.Add(days(27) + time.Nanosecond)},
		{"a registration takes effect", []contactOpt{refused,
			withCheck(calls.TPS, "+352621555123", true, t0.Add(-days(5)), t0.Add(-time.Hour))}, "LU_T_TPS_LISTED", t0.Add(days(23))},
		{"the prospection period ends", []contactOpt{refused, func(c *consent.Contact) {
			c.CollectedAt = t0.Add(-days(1096) + days(3))
			c.Relationship.Responses = nil
		}}, "LU_T_PERIOD_OVER", t0.Add(days(3))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := decide(p, callable(t, tc.opts...), message(consent.MarketingGeneral, consent.VoiceLive, "", t0))
			if err != nil {
				t.Fatal(err)
			}
			if d.Verdict != eligibility.Deny || d.Rule != tc.rule || !strings.Contains(d.Detail, "LU_T_COOL_OFF") ||
				!d.DeniedFrom.Equal(tc.crossT) || d.Basis != rules.NoLegalBasis {
				t.Errorf("Decide = %v (detail %q), want deny by %s crossing at %v", d, d.Detail, tc.rule, tc.crossT)
			}
		})
	}
}

// TestInputsDeferCalendarDays: in Paris, a cap whose oldest call was made
// on 1 March at 23:30 CET ends at the midnight starting 31 March, in
// summer time (22:00 UTC on 30 March) — periods of 24 hours would end a
// day and an hour later — and a refusal's 60 days end at the midnight
// after the 60th date; decided again at NotBefore the call is allowed, a
// nanosecond before it is not.
func TestInputsDeferCalendarDays(t *testing.T) {
	p := deferPolicy(t, inputsDefer)
	inParis := func(c *consent.Contact) { c.Location = paris }
	fresh := withCheck(calls.TPS, "+352621555123", false, time.Time{}, time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC))
	for _, tc := range []struct {
		name      string
		opt       contactOpt
		at        time.Time
		rule      string
		notBefore time.Time
	}{
		{"four calls across the spring-forward night", withAttempts(
			call(time.Date(2026, 3, 1, 23, 30, 0, 0, paris), calls.VoiceLive, calls.NoAnswer),
			call(time.Date(2026, 3, 10, 11, 0, 0, 0, paris), calls.VoiceLive, calls.NoAnswer),
			call(time.Date(2026, 3, 20, 11, 0, 0, 0, paris), calls.VoiceAutomated, calls.Answered),
			call(time.Date(2026, 3, 27, 11, 0, 0, 0, paris), calls.VoiceLive, calls.NoAnswer)),
			time.Date(2026, 3, 30, 12, 0, 0, 0, paris), "LU_T_CAP", time.Date(2026, 3, 31, 0, 0, 0, 0, paris)},
		{"a refusal on 1 February, 60 dates after it", withAttempts(
			call(time.Date(2026, 2, 1, 23, 30, 0, 0, paris), calls.VoiceLive, calls.Refused)),
			time.Date(2026, 3, 30, 12, 0, 0, 0, paris), "LU_T_COOL_OFF", time.Date(2026, 4, 3, 0, 0, 0, 0, paris)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := callable(t, inParis, fresh, tc.opt)
			d, err := decide(p, c, message(consent.MarketingGeneral, consent.VoiceLive, "", tc.at))
			if err != nil {
				t.Fatal(err)
			}
			if d.Verdict != eligibility.Defer || d.Rule != tc.rule || !d.NotBefore.Equal(tc.notBefore) {
				t.Fatalf("Decide = %v (%s), want defer %s to %v", d, d.Detail, tc.rule, tc.notBefore)
			}
			if d, _ := decide(p, c, message(consent.MarketingGeneral, consent.VoiceLive, "", tc.notBefore)); d.Verdict != eligibility.Allow {
				t.Errorf("at NotBefore: %v, want allow", d)
			}
			if d, _ := decide(p, c, message(consent.MarketingGeneral, consent.VoiceLive, "", tc.notBefore.Add(-time.Nanosecond))); d.Verdict == eligibility.Allow {
				t.Errorf("a nanosecond before NotBefore: %v, want no allow", d)
			}
		})
	}
}

// TestDeferLongHistory: a French consumer with a history of 5,000 calls
// over two years (4,900 by the sender up to ten days before the call, one
// of them refused fifteen days before, 100 by another company since) is
// deferred by the cap and the cool-off to the exact instant the
// hand-written reference computes: only the calls of the last dates move
// the search, well within its bound of change points. A history whose
// calls keep entering the count (5,000 calls recorded after the message
// instant, one every hour and three quarters) exhausts that bound: a deny
// with its own reason, never an allow.
func TestDeferLongHistory(t *testing.T) {
	ev := evaluator(t)
	ref := newReference(nil)
	phone := address.MustParsePhone("+33639980001", address.Country{})
	// A Tuesday before Bloctel ended (from 11 August 2026 a refusal stops
	// the sender's calls for good: FR_CALL_REFUSED_NO_RECONTACT), the
	// number looked up the day before and monthly until the wait ends.
	at := time.Date(2026, 6, 16, 10, 0, 0, 0, paris)
	lookups := []calls.RegistryCheck{{Registry: calls.Bloctel, Number: phone, CheckedAt: at.Add(-days(1))},
		{Registry: calls.Bloctel, Number: phone, CheckedAt: time.Date(2026, 7, 14, 9, 0, 0, 0, paris)},
		{Registry: calls.Bloctel, Number: phone, CheckedAt: time.Date(2026, 8, 2, 9, 0, 0, 0, paris)}}
	contact := func(attempts []calls.Attempt) *consent.Contact {
		l, err := consent.NewLedger(consent.Record{ID: "g-1", Subject: phone, Purpose: consent.MarketingGeneral,
			Channel: consent.VoiceLive, Sender: "Maison Exemple SAS", Status: consent.Granted,
			At: at.AddDate(-3, 0, 0), Method: consent.UntickedCheckbox})
		if err != nil {
			t.Fatal(err)
		}
		return &consent.Contact{ID: "c-history", Kind: consent.Consumer, Country: address.MustCountry("FR"),
			Location: paris, Phone: phone, Records: *l, Attempts: attempts, Registries: lookups}
	}
	req := func(c *consent.Contact, when time.Time) eligibility.Request {
		return eligibility.Request{Contact: c, Message: consent.Message{Purpose: consent.MarketingGeneral,
			Channel: consent.VoiceLive, Sender: consent.Sender{Entity: "Maison Exemple SAS", Kind: consent.Company}, At: when}}
	}

	var past []calls.Attempt
	from, until := at.AddDate(-2, 0, 0), at.Add(-days(10))
	step := until.Sub(from) / 4899
	for i := range 4900 {
		a := calls.Attempt{At: from.Add(time.Duration(i) * step), Channel: calls.VoiceLive, Sender: "Maison Exemple SAS",
			Outcome: []calls.Outcome{calls.NoAnswer, calls.Answered, calls.Refused}[i%3]}
		if a.At.After(at.Add(-days(70))) && a.Outcome == calls.Refused {
			a.Outcome = calls.Answered // refusals only long ago, but one
		}
		past = append(past, a)
	}
	past = append(past, calls.Attempt{At: at.Add(-days(15)), Channel: calls.VoiceAutomated, Sender: "Maison Exemple SAS", Outcome: calls.Refused})
	for i := range 99 {
		past = append(past, calls.Attempt{At: at.Add(-days(10) + time.Duration(i)*2*time.Hour), Channel: calls.VoiceLive,
			Sender: "Autre Exemple SARL", Outcome: calls.NoAnswer})
	}
	if len(past) != 5000 {
		t.Fatalf("%d attempts, want 5000", len(past))
	}
	r := req(contact(past), at)
	d, err := ev.Decide(r)
	if err != nil {
		t.Fatal(err)
	}
	want := ref.decide(&r)
	// The refusal on 1 June holds the 60 dates after it, to the end of
	// 31 July; 1 August is a Saturday, 3 August a Monday.
	if wantAt := time.Date(2026, 8, 3, 10, 0, 0, 0, paris); want.Verdict != eligibility.Defer || !want.NotBefore.Equal(wantAt) {
		t.Fatalf("reference: %+v, want a defer to %v", want, wantAt)
	}
	if d.Verdict != want.Verdict || d.Rule != want.Rule || !d.NotBefore.Equal(want.NotBefore) {
		t.Errorf("Decide = %v, want %s %s not before %v", d, want.Verdict, want.Rule, want.NotBefore)
	}
	if d, _ := ev.Decide(req(r.Contact, d.NotBefore)); d.Verdict != eligibility.Allow {
		t.Errorf("at NotBefore: %v, want allow", d)
	}
	if d, _ := ev.Decide(req(r.Contact, d.NotBefore.Add(-time.Nanosecond))); d.Verdict == eligibility.Allow {
		t.Errorf("a nanosecond before NotBefore: %v, want no allow", d)
	}

	var future []calls.Attempt
	for i := range 5000 {
		future = append(future, calls.Attempt{At: at.Add(time.Duration(i+1) * 105 * time.Minute), Channel: calls.VoiceLive,
			Sender: "Maison Exemple SAS", Outcome: calls.NoAnswer})
	}
	future = append(future, past[len(past)-111:len(past)-100]...) // the cap holds at the message instant (no refusal)
	d, err = ev.Decide(req(contact(future), at))
	if err != nil {
		t.Fatal(err)
	}
	if d.Verdict != eligibility.Deny || d.Reason != eligibility.ReasonDeferSteps || d.Rule != "FR_CALL_FREQUENCY_CAP" {
		t.Errorf("Decide = %v, want deny %s by FR_CALL_FREQUENCY_CAP", d, eligibility.ReasonDeferSteps)
	}
}
