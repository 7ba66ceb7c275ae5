package eligibility_test

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/internal/audience"
	"github.com/sendright/sendright/rules"
)

// deferHours is a test-only set: marketing needs consent, and may be sent
// only from 10:00 to 20:00, not on Sundays, in the recipient's time zone.
// A fictional ban of the category "lotteries" comes into force on
// 2026-06-01.
const deferHours = `jurisdiction: FR
title: call hours (test only)
channels: [email, sms]
rules:
  - id: FR_TEST_BAN
    channels: [all]
    effect: deny
    reason: BANNED
    citation: Fictional Act s. 3
    condition: request.category == 'lotteries'
    valid_from: 2026-06-01T00:00:00Z
  - id: FR_TEST_HOURS
    channels: [all]
    effect: defer
    reason: OUTSIDE_HOURS
    citation: Fictional Act s. 1
    condition: localHour() < 10 || localHour() >= 20 || localWeekday() == 'sunday'
  - id: FR_TEST_CONSENT
    channels: [all]
    effect: allow
    basis: consent
    reason: CONSENT
    citation: Fictional Act s. 2
    condition: hasConsent(request.purpose, request.channel)
`

// deferAlways never lets anything through: a wait without end.
const deferAlways = `jurisdiction: FR
title: never (test only)
channels: [email]
rules:
  - id: FR_TEST_NEVER
    channels: [all]
    effect: defer
    reason: NEVER
    citation: Fictional Act s. 4
    condition: "true"
  - id: FR_TEST_ANY
    channels: [all]
    effect: allow
    basis: consent
    reason: ANY
    citation: Fictional Act s. 2
    condition: "true"
`

func deferPolicy(t testing.TB, src string) *eligibility.Policy {
	t.Helper()
	return mustCompile(t, []*rules.Set{mustParse(t, "defer.yaml", src)}, eligibility.Params{})
}

// consentedIn is a French contact in loc with consent to general marketing
// by e-mail since 2025.
func consentedIn(t testing.TB, loc *time.Location, opts ...contactOpt) *consent.Contact {
	opts = append([]contactOpt{func(c *consent.Contact) { c.Location = loc },
		withRecords(t, grant("g-1", "lea", consent.MarketingGeneral, consent.Email, time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)))}, opts...)
	return newContact(t, "lea", "FR", consent.Consumer, opts...)
}

// The defer verdict: NotBefore is the exact instant the window opens, in
// the recipient's zone, across weekends and daylight-saving changes.
func TestDeferNotBefore(t *testing.T) {
	p := deferPolicy(t, deferHours)
	london := mustLoad("Europe/London")
	utc := func(y int, mo time.Month, d, h, mi int) time.Time { return time.Date(y, mo, d, h, mi, 0, 0, time.UTC) }
	for _, tc := range []struct {
		name      string
		loc       *time.Location
		at        time.Time
		verdict   eligibility.Verdict
		notBefore time.Time
	}{
		{"inside the hours: allowed", paris, utc(2026, 3, 10, 12, 0), eligibility.Allow, time.Time{}},
		{"Tuesday 07:30 Paris: 10:00 Paris", paris, utc(2026, 3, 10, 6, 30), eligibility.Defer, utc(2026, 3, 10, 9, 0)},
		{"Tuesday 20:00 Paris exactly: Wednesday 10:00", paris, utc(2026, 3, 10, 19, 0), eligibility.Defer, utc(2026, 3, 11, 9, 0)},
		{"Tuesday 19:59:59.9 Paris: allowed", paris, utc(2026, 3, 10, 18, 59).Add(59*time.Second + 900*time.Millisecond), eligibility.Allow, time.Time{}},
		{"Saturday 21:00 Paris: Monday 10:00", paris, utc(2026, 3, 14, 20, 0), eligibility.Defer, utc(2026, 3, 16, 9, 0)},
		{"Tuesday 09:59:30 London: 10:00 London", london, utc(2026, 3, 10, 9, 59).Add(30 * time.Second), eligibility.Defer, utc(2026, 3, 10, 10, 0)},
		// Spring forward: Sunday 29 March 2026, 02:00 → 03:00 (Paris,
		// 01:00 UTC) and 01:00 → 02:00 (London, 01:00 UTC). Monday's
		// opening is an hour earlier in UTC than Saturday's.
		{"Saturday 20:30 Paris before spring forward: Monday 10:00 CEST", paris, utc(2026, 3, 28, 19, 30), eligibility.Defer, utc(2026, 3, 30, 8, 0)},
		{"Sunday 01:59 Paris in the gap's eve: Monday 10:00 CEST", paris, utc(2026, 3, 29, 0, 59), eligibility.Defer, utc(2026, 3, 30, 8, 0)},
		{"Saturday 21:00 London before spring forward: Monday 10:00 BST", london, utc(2026, 3, 28, 21, 0), eligibility.Defer, utc(2026, 3, 30, 9, 0)},
		// Fall back: Sunday 25 October 2026, 03:00 → 02:00 (Paris, 01:00
		// UTC) and 02:00 → 01:00 (London, 01:00 UTC).
		{"Saturday 20:30 CEST before fall back: Monday 10:00 CET", paris, utc(2026, 10, 24, 18, 30), eligibility.Defer, utc(2026, 10, 26, 9, 0)},
		{"Sunday 02:30 CEST, first occurrence: Monday 10:00 CET", paris, utc(2026, 10, 25, 0, 30), eligibility.Defer, utc(2026, 10, 26, 9, 0)},
		{"Sunday 01:30 BST, first occurrence: Monday 10:00 GMT", london, utc(2026, 10, 25, 0, 30), eligibility.Defer, utc(2026, 10, 26, 10, 0)},
		{"Friday 20:00 BST: Saturday 10:00 BST", london, utc(2026, 10, 23, 19, 0), eligibility.Defer, utc(2026, 10, 24, 9, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := consentedIn(t, tc.loc)
			d, err := decide(p, c, message(consent.MarketingGeneral, consent.Email, "", tc.at))
			if err != nil {
				t.Fatal(err)
			}
			type got struct {
				Verdict   eligibility.Verdict
				NotBefore time.Time
				Rule      string
				Basis     rules.Basis
			}
			want := got{tc.verdict, tc.notBefore, "FR_TEST_CONSENT", rules.Consent}
			if tc.verdict == eligibility.Defer {
				want.Rule = "FR_TEST_HOURS"
			}
			if diff := cmp.Diff(want, got{d.Verdict, d.NotBefore, d.Rule, d.Basis}); diff != "" {
				t.Errorf("Decide at %v (-want +got):\n%s", tc.at, diff)
			}
			if tc.verdict == eligibility.Defer && (d.Reason != "OUTSIDE_HOURS" || d.Citation != "Fictional Act s. 1" || d.Evidence.ID != "g-1") {
				t.Errorf("Defer = %+v: want the defer rule's reason and citation and the allow's evidence", d)
			}
		})
	}
}

// Waiting helps only when the message would be allowed: without consent,
// the answer is the deny, not a defer; a wait that crosses into a rule
// coming into force is a deny naming both rules; a wait without end is a
// deny of its own.
func TestDeferEndsInDeny(t *testing.T) {
	p := deferPolicy(t, deferHours)
	sunday := time.Date(2026, 5, 31, 12, 0, 0, 0, time.UTC) // the ban starts at Monday's midnight UTC
	for _, tc := range []struct {
		name     string
		p        *eligibility.Policy
		c        *consent.Contact
		m        *consent.Message
		rule     string
		reason   string
		inDetail string
	}{
		{"no consent: no basis, not a defer", p, newContact(t, "lea", "FR", consent.Consumer, func(c *consent.Contact) { c.Location = paris }),
			message(consent.MarketingGeneral, consent.Email, "", sunday), "", eligibility.ReasonNoLegalBasis, ""},
		{"waiting crosses into a ban", p, consentedIn(t, paris),
			message(consent.MarketingGeneral, consent.Email, "lotteries", sunday), "FR_TEST_BAN", "BANNED", "FR_TEST_HOURS"},
		{"a wait without end", deferPolicy(t, deferAlways), consentedIn(t, paris),
			message(consent.MarketingGeneral, consent.Email, "", sunday), "FR_TEST_NEVER", eligibility.ReasonDeferHorizon, "366 days"},
		{"a wait through more change points than the search's bound", deferPolicy(t, strings.Replace(deferAlways, `condition: "true"`, `condition: localHour() >= 0`, 1)),
			consentedIn(t, paris), message(consent.MarketingGeneral, consent.Email, "", sunday), "FR_TEST_NEVER", eligibility.ReasonDeferSteps, "limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := decide(tc.p, tc.c, tc.m)
			if err != nil {
				t.Fatal(err)
			}
			if d.Verdict != eligibility.Deny || d.Rule != tc.rule || d.Reason != tc.reason || !d.NotBefore.IsZero() ||
				!strings.Contains(d.Detail, tc.inDetail) || d.Basis != rules.NoLegalBasis {
				t.Errorf("Decide = %v (detail %q), want deny %s %s naming %q", d, d.Detail, tc.rule, tc.reason, tc.inDetail)
			}
		})
	}
}

// A Defer round-trips through JSON with its not_before; a decision without
// one has no such key; String names the instant.
func TestDeferDecisionJSON(t *testing.T) {
	p := deferPolicy(t, deferHours)
	d, err := decide(p, consentedIn(t, paris), message(consent.MarketingGeneral, consent.Email, "", time.Date(2026, 3, 10, 6, 30, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"verdict":"defer"`) || !strings.Contains(string(b), `"not_before":"2026-03-10T09:00:00Z"`) {
		t.Errorf("JSON %s: want verdict defer and not_before", b)
	}
	var back eligibility.Decision
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(d, back, cmp.AllowUnexported(eligibility.Obligations{})); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if want := "defer consent FR_TEST_HOURS OUTSIDE_HOURS not before 2026-03-10T09:00:00Z"; d.String() != want {
		t.Errorf("String = %q, want %q", d.String(), want)
	}
	allowed, _ := decide(p, consentedIn(t, paris), message(consent.MarketingGeneral, consent.Email, "", time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)))
	if b, _ := json.Marshal(allowed); strings.Contains(string(b), "not_before") {
		t.Errorf("JSON of an allow %s has not_before", b)
	}
}

// deferBuiltin is the built-in policy with a test-only defer rule in the
// French set: marketing only 10:00–13:00 and 14:00–20:00, Monday to
// Saturday, local time — written with localHour() and localWeekday(), or
// (window) as a window of the set's parameters, closed on public holidays.
func deferBuiltin(t testing.TB, window bool) *eligibility.Policy {
	t.Helper()
	sets, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	cond := "request.purpose != 'transactional' && (localHour() < 10 || localHour() == 13 || localHour() >= 20 || " +
		"localWeekday() == 'sunday')"
	if window {
		cond = "request.purpose != 'transactional' && !inWindow('test_calls')"
	}
	for _, s := range sets {
		if s.Jurisdiction == "FR" {
			s.Parameters.Windows = append(s.Parameters.Windows, rules.Window{Name: "test_calls",
				Days: []string{"mon", "tue", "wed", "thu", "fri", "sat"}, Hours: []string{"10:00-13:00", "14:00-20:00"},
				Holidays: rules.HolidaysClosed})
			s.Rules = append(s.Rules, rules.Rule{ID: "FR_TEST_WINDOW", Effect: rules.Defer, Reason: "OUTSIDE_WINDOW",
				Channels: []consent.Channel{consent.AllChannels}, Citation: "Fictional Act s. 5", Condition: cond})
		}
	}
	return mustCompile(t, sets, eligibility.Params{})
}

// The property of NotBefore, over many random requests at random instants
// of 2026 (daylight-saving nights included): decided again at NotBefore,
// the same request is allowed; a minute (and a nanosecond) before, it is
// not.
func TestDeferPropertyNotBefore(t *testing.T) {
	for _, window := range []bool{false, true} {
		t.Run(map[bool]string{false: "localHour", true: "inWindow"}[window], func(t *testing.T) {
			testDeferProperty(t, deferBuiltin(t, window))
		})
	}
}

func testDeferProperty(t *testing.T, p *eligibility.Policy) {
	n := 3000
	if testing.Short() {
		n = 500
	}
	rng := rand.New(rand.NewPCG(9, 9))
	year := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	london := mustLoad("Europe/London")
	counts := map[eligibility.Verdict]int{}
	for i, req := range audience.NewRandom(7, address.MustCountry("FR"), paris, consent.Email, consent.SMS).Requests(n) {
		switch i % 6 {
		case 0:
			req.Contact.Location = london // a French contact living in London: the window is in London time
		case 1:
			req.Contact.Region = "FR-57" // Good Friday and 26 December are holidays too
		}
		req.At = year.Add(time.Duration(rng.Int64N(int64(365 * 24 * time.Hour))))
		if i%5 == 0 { // around the daylight-saving nights
			night := []time.Time{time.Date(2026, 3, 28, 18, 0, 0, 0, time.UTC), time.Date(2026, 10, 24, 18, 0, 0, 0, time.UTC)}[i%2]
			req.At = night.Add(time.Duration(rng.Int64N(int64(40 * time.Hour))))
		}
		d, err := p.Decide(req)
		if err != nil {
			continue // malformed by design: denied, checked elsewhere
		}
		counts[d.Verdict]++
		if d.Verdict != eligibility.Defer {
			if !d.NotBefore.IsZero() {
				t.Errorf("%s: %v carries NotBefore", req.Contact.ID, d)
			}
			continue
		}
		if !d.NotBefore.After(req.At) {
			t.Fatalf("%s at %v: NotBefore %v not after the message", req.Contact.ID, req.At, d.NotBefore)
		}
		again := req
		again.At = d.NotBefore
		if a, err := p.Decide(again); err != nil || a.Verdict != eligibility.Allow || a.Basis != d.Basis {
			t.Fatalf("%s at %v deferred to %v; decided again then: %v, %v; want allow %v", req.Contact.ID, req.At, d.NotBefore, a, err, d.Basis)
		}
		for _, before := range []time.Duration{time.Minute, time.Nanosecond} {
			early := req
			early.At = d.NotBefore.Add(-before)
			if early.At.Before(req.At) {
				continue
			}
			if e, _ := p.Decide(early); e.Verdict == eligibility.Allow {
				t.Fatalf("%s at %v deferred to %v; allowed %v earlier: %v", req.Contact.ID, req.At, d.NotBefore, before, e)
			}
		}
	}
	t.Logf("verdicts %v", counts)
	if counts[eligibility.Defer] < n/20 || counts[eligibility.Allow] == 0 {
		t.Errorf("verdicts %v: want defers and allows covered", counts)
	}
}

// Explain and DecideAll carry a Defer as Decide gives it: the verdict,
// NotBefore, and, in the trace, the defer rule that matched at the
// message instant as the deciding one.
func TestDeferExplainAndDecideAll(t *testing.T) {
	p := deferBuiltin(t, true)
	kr := keyring(t)
	reqs := audience.New(15, address.MustCountry("FR"), consent.SMS, audience.DefaultMix()).Requests(64)
	for i := range reqs {
		reqs[i].At = time.Date(2026, 3, 28, 20, 30, 0, 0, time.UTC)
	}
	deferred := 0
	i := 0
	for res := range p.DecideAll(t.Context(), slices.Values(reqs)) {
		d, err := p.Decide(reqs[i])
		i++
		if diff := cmp.Diff(d, res.Decision, cmp.AllowUnexported(eligibility.Obligations{})); diff != "" || (err == nil) != (res.Err == nil) {
			t.Fatalf("DecideAll differs from Decide (-Decide +DecideAll):\n%s", diff)
		}
		if d.Verdict != eligibility.Defer {
			continue
		}
		deferred++
		a, err := p.Explain(res.Request, kr)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(d, a.Decision, cmp.AllowUnexported(eligibility.Obligations{})); diff != "" {
			t.Fatalf("Explain differs from Decide (-Decide +Explain):\n%s", diff)
		}
		var decided []string
		for _, s := range a.Trace {
			if s.Decided {
				decided = append(decided, s.Rule+" "+s.Effect.String()+" "+s.Result.String())
			}
		}
		if diff := cmp.Diff([]string{"FR_TEST_WINDOW defer matched"}, decided); diff != "" {
			t.Errorf("deciding steps (-want +got):\n%s", diff)
		}
		js, err := json.Marshal(a)
		if err != nil || !strings.Contains(string(js), `"not_before":"2026-03-30T10:00:00Z"`) {
			t.Errorf("audit JSON lacks not_before 2026-03-30T10:00:00Z (%v): NotBefore %v", err, d.NotBefore)
		}
	}
	if deferred == 0 {
		t.Error("no request deferred: the test covers nothing")
	}
}
