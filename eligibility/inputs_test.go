package eligibility_test

import (
	"errors"
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

// inputsBase is a test-only base set declaring two registries; inputsSet
// extends it, redeclares ctps and holds one allow rule whose condition is
// the function call under test, so that a decision says whether the call
// holds.
const inputsBase = `jurisdiction: EU
title: inputs base (test only)
channels: [email, sms, voice_live, voice_automated, push, post]
parameters:
  registries:
    - name: tps
      effective_after_days: 28
      max_age_days: 28
    - name: ctps
      effective_after_days: 1
      max_age_days: 1
rules: []
`

const inputsSet = `jurisdiction: LU
extends: EU
title: inputs (test only)
parameters:
  registries:
    - name: ctps
      effective_after_days: 28
      max_age_days: 30
rules:
  - id: LU_T_HOLDS
    channels: [all]
    effect: allow
    basis: consent
    reason: HOLDS
    citation: Fictional Act s. 1
    condition: %s
`

// inputsPolicy compiles the test-only sets with cond as the allow rule's
// condition.
func inputsPolicy(t testing.TB, cond string) *eligibility.Policy {
	t.Helper()
	return mustCompile(t, []*rules.Set{mustParse(t, "eu.yaml", inputsBase),
		mustParse(t, "gb.yaml", strings.Replace(inputsSet, "%s", cond, 1))}, eligibility.Params{})
}

// holds reports whether cond holds for the contact and a message on ch at
// `at`.
func holds(t *testing.T, p *eligibility.Policy, c *consent.Contact, ch consent.Channel, at time.Time) bool {
	t.Helper()
	d, err := decide(p, c, message(consent.MarketingGeneral, ch, "kettles", at))
	if err != nil {
		t.Fatalf("Decide: %v", err)
	}
	if d.Verdict == eligibility.Allow != (d.Rule == "LU_T_HOLDS") {
		t.Fatalf("decision %v", d)
	}
	return d.Verdict == eligibility.Allow
}

var (
	t0   = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	days = func(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }
	// luContact is a consumer in Luxembourg, which has no built-in set: the
	// built-in deny rules of a real country (the UK's TPS, CTPS, push
	// permission and refused calls), which every policy with a set for it
	// carries, stay out of the function tests.
	luContact = func(t testing.TB, opts ...contactOpt) *consent.Contact {
		return newContact(t, "oliver", "LU", consent.Consumer, opts...)
	}
)

func withAttempts(as ...calls.Attempt) contactOpt {
	return func(c *consent.Contact) { c.Attempts = append(c.Attempts, as...) }
}

func call(at time.Time, ch calls.Channel, o calls.Outcome) calls.Attempt {
	return calls.Attempt{At: at, Channel: ch, Sender: sender, Outcome: o}
}

func TestCallAttempts(t *testing.T) {
	four := withAttempts(call(t0.Add(-days(29)), calls.VoiceLive, calls.NoAnswer),
		call(t0.Add(-days(20)), calls.VoiceAutomated, calls.Answered),
		call(t0.Add(-days(10)), calls.VoiceLive, calls.NoAnswer),
		call(t0.Add(-days(1)), calls.VoiceLive, calls.NoAnswer))
	tests := []struct {
		name string
		cond string
		opts []contactOpt
		at   time.Time
		want bool
	}{
		{"four calls in 30 days", "callAttempts(30) == 4", []contactOpt{four}, t0, true},
		{"a day earlier the oldest is 28 days old: in", "callAttempts(30) == 4", []contactOpt{four}, t0.Add(-days(1)), true},
		{"a day later the oldest call's date is 30 dates back: out of the 30 calendar days", "callAttempts(30) == 3", []contactOpt{four}, t0.Add(days(1)), true},
		{"the last instant of the oldest call's 30th date: in", "callAttempts(30) == 4", []contactOpt{four}, t0.Add(days(1)).Truncate(days(1)).Add(-time.Nanosecond), true},
		{"the first instant of the next date: out, whatever the hour of the call", "callAttempts(30) == 3", []contactOpt{four}, t0.Add(days(1)).Truncate(days(1)), true},
		{"two days later the oldest is 31 days old: out", "callAttempts(30) == 3", []contactOpt{four}, t0.Add(days(2)), true},
		{"before the latest call it does not count", "callAttempts(30) == 3", []contactOpt{four}, t0.Add(-days(1) - time.Second), true},
		{"no calls", "callAttempts(30) == 0", nil, t0, true},
		{"live and automated calls both count", "callAttempts(30) == 2",
			[]contactOpt{withAttempts(call(t0.Add(-days(2)), calls.VoiceLive, calls.Refused),
				call(t0.Add(-days(1)), calls.VoiceAutomated, calls.NoAnswer))}, t0, true},
		{"another sender's calls do not count", "callAttempts(30) == 0",
			[]contactOpt{withAttempts(calls.Attempt{At: t0.Add(-days(1)), Channel: calls.VoiceLive, Sender: "Other Ltd", Outcome: calls.Answered})}, t0, true},
		{"the sender's name spelt otherwise counts", "callAttempts(30) == 1",
			[]contactOpt{withAttempts(calls.Attempt{At: t0.Add(-days(1)), Channel: calls.VoiceLive, Sender: "ACME Trading.Example", Outcome: calls.Answered})}, t0, true},
		{"refused 59 days ago: within 60", "refusedWithin(60)",
			[]contactOpt{withAttempts(call(t0.Add(-days(59)), calls.VoiceLive, calls.Refused))}, t0, true},
		{"refused 61 days ago: not within 60", "refusedWithin(60)",
			[]contactOpt{withAttempts(call(t0.Add(-days(61)), calls.VoiceLive, calls.Refused))}, t0, false},
		{"refused 60 dates ago: the 60 days after the refusal's date end at today's midnight", "refusedWithin(60)",
			[]contactOpt{withAttempts(call(t0.Add(-days(60)), calls.VoiceLive, calls.Refused))}, t0, true},
		{"refused 60 dates ago, at the last nanosecond of today: within", "refusedWithin(60)",
			[]contactOpt{withAttempts(call(t0.Add(-days(60)), calls.VoiceLive, calls.Refused))}, t0.Truncate(days(1)).Add(days(1) - time.Nanosecond), true},
		{"refused 61 dates ago, at the first instant of today: over", "refusedWithin(60)",
			[]contactOpt{withAttempts(call(t0.Add(-days(60)), calls.VoiceLive, calls.Refused))}, t0.Truncate(days(1)).Add(days(1)), false},
		{"answered is no refusal", "refusedWithin(60)",
			[]contactOpt{withAttempts(call(t0.Add(-days(1)), calls.VoiceLive, calls.Answered))}, t0, false},
		{"a refusal after now does not count", "refusedWithin(60)",
			[]contactOpt{withAttempts(call(t0.Add(time.Minute), calls.VoiceAutomated, calls.Refused))}, t0, false},
		{"another sender's refusal does not count", "refusedWithin(60)",
			[]contactOpt{withAttempts(calls.Attempt{At: t0.Add(-days(1)), Channel: calls.VoiceLive, Sender: "Other Ltd", Outcome: calls.Refused})}, t0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := holds(t, inputsPolicy(t, tc.cond), luContact(t, tc.opts...), consent.VoiceLive, tc.at); got != tc.want {
				t.Errorf("%s = %v, want %v", tc.cond, got, tc.want)
			}
		})
	}
}

// withPhone gives the contact the number s.
func withPhone(s string) contactOpt {
	return func(c *consent.Contact) { c.Phone = address.MustParsePhone(s, address.Country{}) }
}

// luTel is a Luxembourg number, for the test-only LU set's registries,
// which list the numbers of their country's plan only.
const luTel = "+352621900123"

func withCheck(r calls.Registry, number string, listed bool, since, checked time.Time) contactOpt {
	return func(c *consent.Contact) {
		c.Registries = append(c.Registries, calls.RegistryCheck{Registry: r, Number: address.MustParsePhone(number, address.Country{}),
			Listed: listed, ListedSince: since, CheckedAt: checked})
	}
}

// TestRegistry probes each delay and each staleness limit one day either
// side: tps takes effect 28 days after registration and a lookup counts
// for 28 days; ctps is redeclared by the extending set (28 and 30 days).
func TestRegistry(t *testing.T) {
	const number = luTel // the contact's
	checked := t0.Add(-days(10))
	tests := []struct {
		name string
		opts []contactOpt
		at   time.Time
		want string
	}{
		{"no lookup", nil, t0, "unchecked"},
		{"clear", []contactOpt{withCheck(calls.TPS, number, false, time.Time{}, checked)}, t0, "clear"},
		{"listed long ago", []contactOpt{withCheck(calls.TPS, number, true, t0.AddDate(-1, 0, 0), checked)}, t0, "listed"},
		{"listed, date unknown: in effect", []contactOpt{withCheck(calls.TPS, number, true, time.Time{}, checked)}, t0, "listed"},
		{"registered 27 days ago: not yet in effect", []contactOpt{withCheck(calls.TPS, number, true, t0.Add(-days(27)), checked)}, t0, "clear"},
		{"registered 29 days ago: in effect", []contactOpt{withCheck(calls.TPS, number, true, t0.Add(-days(29)), checked)}, t0, "listed"},
		{"registered exactly 28 days ago: in effect", []contactOpt{withCheck(calls.TPS, number, true, t0.Add(-days(28)), checked)}, t0, "listed"},
		{"looked up 27 days ago: counts", []contactOpt{withCheck(calls.TPS, number, false, time.Time{}, t0.Add(-days(27)))}, t0, "clear"},
		{"looked up exactly 28 days ago: counts", []contactOpt{withCheck(calls.TPS, number, false, time.Time{}, t0.Add(-days(28)))}, t0, "clear"},
		{"looked up 29 days ago: stale", []contactOpt{withCheck(calls.TPS, number, false, time.Time{}, t0.Add(-days(29)))}, t0, "unchecked"},
		{"a stale listing is unchecked, not clear", []contactOpt{withCheck(calls.TPS, number, true, time.Time{}, t0.Add(-days(29)))}, t0, "unchecked"},
		{"looked up after now: does not count", []contactOpt{withCheck(calls.TPS, number, false, time.Time{}, t0.Add(time.Hour))}, t0, "unchecked"},
		{"another number", []contactOpt{withCheck(calls.TPS, "+352621900999", false, time.Time{}, checked)}, t0, "unchecked"},
		{"another registry", []contactOpt{withCheck(calls.CTPS, number, false, time.Time{}, checked)}, t0, "unchecked"},
		{"the latest lookup wins: listed then clear", []contactOpt{withCheck(calls.TPS, number, true, t0.AddDate(-1, 0, 0), t0.Add(-days(20))),
			withCheck(calls.TPS, number, false, time.Time{}, checked)}, t0, "clear"},
		{"the latest lookup wins: clear then listed", []contactOpt{withCheck(calls.TPS, number, false, time.Time{}, t0.Add(-days(20))),
			withCheck(calls.TPS, number, true, t0.AddDate(-1, 0, 0), checked)}, t0, "listed"},
		{"disagreeing lookups at one instant: listed", []contactOpt{withCheck(calls.TPS, number, false, time.Time{}, checked),
			withCheck(calls.TPS, number, true, time.Time{}, checked)}, t0, "listed"},
		{"a stale later lookup never hides a current one", []contactOpt{withCheck(calls.TPS, number, true, time.Time{}, t0.Add(-days(5)))}, t0, "listed"},
	}
	for _, tc := range tests {
		for _, st := range []string{"unchecked", "clear", "listed"} {
			p := inputsPolicy(t, "registry('tps') == '"+st+"'")
			if got := holds(t, p, luContact(t, append(tc.opts, withPhone(number))...), consent.VoiceLive, tc.at); got != (st == tc.want) {
				t.Errorf("%s: registry('tps') == '%s' is %v, want the status %s", tc.name, st, got, tc.want)
			}
		}
	}
	// A registry lists its own country's numbers: a number of another
	// country's plan cannot be on it, one whose country is unknown may.
	for number, want := range map[string]string{"+447700900123": "clear", "+14165550123": "clear", luTel: "unchecked",
		"+79165550123": "clear"} {
		p := inputsPolicy(t, "registry('tps') == '"+want+"'")
		if !holds(t, p, luContact(t, withPhone(number)), consent.VoiceLive, t0) {
			t.Errorf("a contact in LU with the number %s, no lookup: registry('tps') is not %s", number, want)
		}
	}
	// The extending set's ctps: 30 days of validity, 28 of delay.
	ctps := []struct {
		name string
		opt  contactOpt
		want string
	}{
		{"ctps looked up 29 days ago: counts (30 in LU, 1 in its base)", withCheck(calls.CTPS, number, false, time.Time{}, t0.Add(-days(29))), "clear"},
		{"ctps looked up 31 days ago: stale", withCheck(calls.CTPS, number, false, time.Time{}, t0.Add(-days(31))), "unchecked"},
		{"ctps registered 27 days ago: not in effect", withCheck(calls.CTPS, number, true, t0.Add(-days(27)), checked), "clear"},
		{"ctps registered 29 days ago: in effect", withCheck(calls.CTPS, number, true, t0.Add(-days(29)), checked), "listed"},
	}
	for _, tc := range ctps {
		p := inputsPolicy(t, "registry('ctps') == '"+tc.want+"'")
		if !holds(t, p, luContact(t, tc.opt, withPhone(number)), consent.VoiceLive, t0) {
			t.Errorf("%s: want %s", tc.name, tc.want)
		}
	}
	// A contact without a number is unchecked.
	noPhone := luContact(t, withCheck(calls.TPS, number, false, time.Time{}, checked), func(c *consent.Contact) { c.Phone = address.Address{} })
	if !holds(t, inputsPolicy(t, "registry('tps') == 'unchecked'"), noPhone, consent.Email, t0) {
		t.Error("no phone: want unchecked")
	}
}

// TestConsentAfterListing: a grant counts against a registration only when
// it came after it (the Belgian priority rule), while the registration is
// in effect, for the message's channel; an unknown registration date, or
// two lookups disagreeing on it, are read conservatively.
func TestConsentAfterListing(t *testing.T) {
	const number = luTel // the contact's
	checked := t0.Add(-days(3))
	since := t0.AddDate(0, -2, 0)
	callGrant := func(id string, ch consent.Channel, at time.Time) consent.Record {
		r := grant(id, "oliver", consent.MarketingGeneral, ch, at)
		r.Subject = address.MustParsePhone(number, address.Country{})
		return r
	}
	objection := func(at time.Time) consent.Record {
		r := callGrant("o-1", consent.VoiceLive, at)
		r.Status, r.Method, r.Purpose = consent.Objection, 0, consent.AllMarketing
		return r
	}
	listed := withCheck(calls.TPS, number, true, since, checked)
	tests := []struct {
		name string
		opts []contactOpt
		want bool
	}{
		{"consent after the registration", []contactOpt{listed, withRecords(t, callGrant("g-1", consent.VoiceLive, since.Add(time.Hour)))}, true},
		{"consent before the registration", []contactOpt{listed, withRecords(t, callGrant("g-1", consent.VoiceLive, since.Add(-time.Hour)))}, false},
		{"consent at the registration instant", []contactOpt{listed, withRecords(t, callGrant("g-1", consent.VoiceLive, since))}, false},
		{"a later objection ends the consent", []contactOpt{listed, withRecords(t, callGrant("g-1", consent.VoiceLive, since.Add(time.Hour)),
			objection(since.Add(2*time.Hour)))}, false},
		{"consent for SMS only", []contactOpt{listed, withRecords(t, callGrant("g-1", consent.SMS, since.Add(time.Hour)))}, false},
		{"no consent", []contactOpt{listed}, false},
		{"registration date unknown", []contactOpt{withCheck(calls.TPS, number, true, time.Time{}, checked),
			withRecords(t, callGrant("g-1", consent.VoiceLive, since.Add(time.Hour)))}, false},
		{"not listed", []contactOpt{withCheck(calls.TPS, number, false, time.Time{}, checked),
			withRecords(t, callGrant("g-1", consent.VoiceLive, since.Add(time.Hour)))}, false},
		{"registration not yet in effect", []contactOpt{withCheck(calls.TPS, number, true, t0.Add(-days(27)), checked),
			withRecords(t, callGrant("g-1", consent.VoiceLive, t0.Add(-days(20))))}, false},
		{"lookups disagreeing on the date: the later counts", []contactOpt{listed, withCheck(calls.TPS, number, true, since.AddDate(0, 0, 10), checked),
			withRecords(t, callGrant("g-1", consent.VoiceLive, since.AddDate(0, 0, 5)))}, false},
		{"lookups at one instant, one without a date", []contactOpt{listed, withCheck(calls.TPS, number, true, time.Time{}, checked),
			withRecords(t, callGrant("g-1", consent.VoiceLive, since.AddDate(0, 0, 5)))}, false},
		{"a stale lookup counts as none", []contactOpt{withCheck(calls.TPS, number, true, since, t0.Add(-days(29))),
			withRecords(t, callGrant("g-1", consent.VoiceLive, since.Add(time.Hour)))}, false},
	}
	p := inputsPolicy(t, "consentAfterListing('tps')")
	for _, tc := range tests {
		if got := holds(t, p, luContact(t, append(tc.opts, withPhone(number))...), consent.VoiceLive, t0); got != tc.want {
			t.Errorf("%s: consentAfterListing('tps') = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestRegistryNameChecked: registry's argument is a registry of the
// vocabulary, declared by the set chain; a comparison with something
// other than a status is a compile error too.
func TestRegistryNameChecked(t *testing.T) {
	for _, tc := range []struct{ cond, want string }{
		{"registry('bloctel') == 'listed'", `registry "bloctel" is not declared`},
		{"consentAfterListing('bloctel')", `registry "bloctel" is not declared`},
		{"registry('nncc') == 'listed'", `"nncc" is not a registry`},
		{"registry('tps') == 'blocked'", `"blocked" is not a registry status`},
		{"registry(request.channel) == 'listed'", "registry"},
		{"callAttempts(0) < 4", "days 0: want 1 to 3660"},
		{"callAttempts(3661) < 4", "days 3661"},
		{"callAttempts(localHour()) < 4", "days must be a constant"},
		{"refusedWithin(-1)", "days -1"},
	} {
		wantInputsCompileError(t, tc.cond, tc.want)
	}
}

// TestRegistryParamsChecked: the set parameters are checked.
func TestRegistryParamsChecked(t *testing.T) {
	for _, tc := range []struct{ params, want string }{
		{"    - name: tps\n      max_age_days: 0\n", "max_age_days 0"},
		{"    - name: tps\n      max_age_days: 3661\n", "max_age_days 3661"},
		{"    - name: tps\n      effective_after_days: -1\n      max_age_days: 28\n", "effective_after_days -1"},
		{"    - name: tps\n      effective_after_days: 366\n      max_age_days: 28\n", "effective_after_days 366"},
		{"    - name: tps\n      max_age_days: 28\n    - name: tps\n      max_age_days: 28\n", "declared twice"},
	} {
		src := "jurisdiction: GB\ntitle: t\nchannels: [voice_live]\nparameters:\n  registries:\n" + tc.params + "rules: []\n"
		s, err := rules.Parse("gb.yaml", []byte(src))
		if err == nil {
			err = rules.Check([]*rules.Set{s})
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error = %v, want one containing %q", tc.params, err, tc.want)
		}
	}
	if _, err := rules.Parse("gb.yaml", []byte("jurisdiction: GB\ntitle: t\nchannels: [voice_live]\nparameters:\n  registries:\n    - name: nncc\n      max_age_days: 28\nrules: []\n")); err == nil {
		t.Error("an unknown registry name parsed")
	}
}

func TestPushPermitted(t *testing.T) {
	p := inputsPolicy(t, "pushPermitted()")
	for _, permitted := range []bool{false, true} {
		c := luContact(t, func(c *consent.Contact) { c.PushPermitted = permitted })
		if got := holds(t, p, c, consent.Push, t0); got != permitted {
			t.Errorf("PushPermitted %v: pushPermitted() = %v", permitted, got)
		}
	}
}

// TestMissingAddressPushAndPost: a push or post message to a contact
// without that address is refused as malformed, like e-mail and SMS.
func TestMissingAddressPushAndPost(t *testing.T) {
	p := inputsPolicy(t, "true")
	for _, tc := range []struct {
		ch    consent.Channel
		clear func(*consent.Contact)
		field string
	}{
		{consent.Push, func(c *consent.Contact) { c.Push = address.Address{} }, "contact.push"},
		{consent.Post, func(c *consent.Contact) { c.Postal = address.Address{} }, "contact.postal"},
		{consent.VoiceLive, func(c *consent.Contact) { c.Phone = address.Address{} }, "contact.phone"},
	} {
		d, err := decide(p, luContact(t, tc.clear), message(consent.MarketingGeneral, tc.ch, "", t0))
		var fe *consent.FieldError
		if d.Verdict != eligibility.Deny || d.Reason != eligibility.ReasonInvalidRequest || !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%v without its address: %v, %v; want deny %s naming %s", tc.ch, d, err, eligibility.ReasonInvalidRequest, tc.field)
		}
		if d, err := decide(p, luContact(t), message(consent.MarketingGeneral, tc.ch, "", t0)); err != nil || d.Verdict != eligibility.Allow {
			t.Errorf("%v with its address: %v, %v; want allow", tc.ch, d, err)
		}
	}
}

// TestPushGrantNamesThePushAddress: a push grant counts for the push
// address it names, not for another installation.
func TestPushGrantNamesThePushAddress(t *testing.T) {
	p := inputsPolicy(t, "hasConsent(request.purpose, request.channel)")
	pushGrant := func(subject string) contactOpt {
		r := grant("g-push", "oliver", consent.MarketingGeneral, consent.Push, t0.AddDate(0, -1, 0))
		r.Subject = address.MustParsePush(subject)
		return withRecords(t, r)
	}
	if !holds(t, p, luContact(t, pushGrant("push:com.example.shop/oliver")), consent.Push, t0) {
		t.Error("a grant naming the contact's push address does not count")
	}
	if holds(t, p, luContact(t, pushGrant("push:com.example.shop/other-device")), consent.Push, t0) {
		t.Error("a grant naming another installation counts")
	}
}

func TestProspectAndCustomerActiveWithin(t *testing.T) {
	const threeYears = "duration('26304h')" // 1096 days
	years := days(1096)
	response := func(at time.Time, seller string) contactOpt {
		return func(c *consent.Contact) {
			c.Relationship.Responses = append(c.Relationship.Responses, consent.Interaction{ID: "r-" + at.Format("20060102"), At: at, Seller: seller})
		}
	}
	collected := func(at time.Time) contactOpt { return func(c *consent.Contact) { c.CollectedAt = at } }
	contract := func(start, end time.Time) contactOpt {
		return func(c *consent.Contact) {
			c.Relationship.Contracts = append(c.Relationship.Contracts, consent.Contract{ID: "k-1", Seller: sender, Start: start, End: end})
		}
	}
	tests := []struct {
		name     string
		opts     []contactOpt
		prospect bool
		customer bool
	}{
		{"nothing known", nil, false, false},
		{"collected a day inside", []contactOpt{collected(t0.Add(-years + days(1)))}, true, false},
		{"collected a day outside", []contactOpt{collected(t0.Add(-years - days(1)))}, false, false},
		{"collected exactly the duration ago: run out", []contactOpt{collected(t0.Add(-years))}, false, false},
		{"collected after now: not yet", []contactOpt{collected(t0.Add(time.Hour))}, false, false},
		{"an old collection, a recent response restarts the clock", []contactOpt{collected(t0.AddDate(-5, 0, 0)), response(t0.Add(-years+days(1)), sender)}, true, true},
		{"a response a day outside", []contactOpt{collected(t0.AddDate(-5, 0, 0)), response(t0.Add(-years-days(1)), sender)}, false, false},
		{"another sender's response does not count", []contactOpt{collected(t0.AddDate(-5, 0, 0)), response(t0.Add(-days(1)), "Other Ltd")}, false, false},
		{"a response after now does not count", []contactOpt{response(t0.Add(time.Hour), sender)}, false, false},
		{"a purchase a day inside", []contactOpt{withPurchases(purchase("p-1", "kettles", t0.Add(-years+days(1))))}, true, true},
		{"a purchase a day outside", []contactOpt{withPurchases(purchase("p-1", "kettles", t0.Add(-years-days(1))))}, false, false},
		{"a contract in force for ten years", []contactOpt{contract(t0.AddDate(-10, 0, 0), time.Time{})}, false, true},
		{"a contract ended a day inside", []contactOpt{contract(t0.AddDate(-10, 0, 0), t0.Add(-years+days(1)))}, false, true},
		{"a contract ended a day outside", []contactOpt{contract(t0.AddDate(-10, 0, 0), t0.Add(-years-days(1)))}, false, false},
		{"a contract starting after now", []contactOpt{contract(t0.Add(days(1)), time.Time{})}, false, false},
	}
	pp, pc := inputsPolicy(t, "prospectActiveWithin("+threeYears+")"), inputsPolicy(t, "customerActiveWithin("+threeYears+")")
	for _, tc := range tests {
		c := luContact(t, tc.opts...)
		got := [2]bool{holds(t, pp, c, consent.Email, t0), holds(t, pc, c, consent.Email, t0)}
		if diff := cmp.Diff([2]bool{tc.prospect, tc.customer}, got); diff != "" {
			t.Errorf("%s: [prospectActiveWithin, customerActiveWithin] mismatch (-want +got):\n%s", tc.name, diff)
		}
	}
}

// similarPurchaseWithin is similarPurchase bounded in time: the similar
// purchase itself, with the address collected and an opt-out offered, must
// fall within the duration (exactly the duration ago included); a recent
// purchase of something else does not revive an old similar one, though it
// makes purchasedWithin true.
func TestSimilarPurchaseWithin(t *testing.T) {
	const year = "duration('8760h')" // 365 days
	y := days(365)
	noOptOut := purchase("p-2", "kettles", t0.Add(-days(10)))
	noOptOut.OptOutOffered = false
	other := purchase("p-3", "kettles", t0.Add(-days(10)))
	other.Seller = "Other Ltd"
	tests := []struct {
		name            string
		purchases       []consent.Interaction
		similar, within bool // similarPurchaseWithin, purchasedWithin
	}{
		{"nothing bought", nil, false, false},
		{"a similar purchase a day inside", []consent.Interaction{purchase("p-1", "kettles", t0.Add(-y+days(1)))}, true, true},
		{"a similar purchase exactly the duration ago", []consent.Interaction{purchase("p-1", "kettles", t0.Add(-y))}, true, true},
		{"a similar purchase a day outside", []consent.Interaction{purchase("p-1", "kettles", t0.Add(-y-days(1)))}, false, false},
		{"an old similar purchase, a recent other one", []consent.Interaction{purchase("p-1", "kettles", t0.Add(-y-days(1))),
			purchase("p-4", "mowers", t0.Add(-days(1)))}, false, true},
		{"a recent similar purchase without an opt-out", []consent.Interaction{noOptOut}, false, true},
		{"another seller's", []consent.Interaction{other}, false, false},
		{"a purchase after now", []consent.Interaction{purchase("p-1", "kettles", t0.Add(time.Hour))}, false, false},
	}
	ps, pw := inputsPolicy(t, "similarPurchaseWithin("+year+")"), inputsPolicy(t, "purchasedWithin("+year+")")
	for _, tc := range tests {
		c := luContact(t, withPurchases(tc.purchases...))
		got := [2]bool{holds(t, ps, c, consent.Email, t0), holds(t, pw, c, consent.Email, t0)}
		if diff := cmp.Diff([2]bool{tc.similar, tc.within}, got); diff != "" {
			t.Errorf("%s: [similarPurchaseWithin, purchasedWithin] mismatch (-want +got):\n%s", tc.name, diff)
		}
	}
}

// The days of callAttempts and refusedWithin are calendar days in the
// recipient's zone: a call leaves the count at a local midnight, whatever
// its hour, and a daylight-saving change in between (Paris: 29 March and
// 25 October 2026) moves that midnight with the wall clock, where periods
// of 24 hours would be an hour off.
func TestCallDaysAreLocalDates(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	inParis := func(c *consent.Contact) { c.Location = paris }
	callAt := func(s string, o calls.Outcome) contactOpt { return withAttempts(call(at(s), calls.VoiceLive, o)) }
	tests := []struct {
		name string
		cond string
		opt  contactOpt
		at   string
		want bool
	}{
		{"spring forward: 1 March 23:30 CET counts to the end of 30 March", "callAttempts(30) == 1",
			callAt("2026-03-01T23:30:00+01:00", calls.NoAnswer), "2026-03-30T23:59:59.999999999+02:00", true},
		{"spring forward: out at midnight CEST starting 31 March", "callAttempts(30) == 0",
			callAt("2026-03-01T23:30:00+01:00", calls.NoAnswer), "2026-03-31T00:00:00+02:00", true},
		{"fall back: 1 October 00:30 CEST counts to the end of 30 October", "callAttempts(30) == 1",
			callAt("2026-10-01T00:30:00+02:00", calls.NoAnswer), "2026-10-30T23:59:59.999999999+01:00", true},
		{"fall back: out at midnight CET starting 31 October", "callAttempts(30) == 0",
			callAt("2026-10-01T00:30:00+02:00", calls.NoAnswer), "2026-10-31T00:00:00+01:00", true},
		{"two calls on one date leave together, whatever their hours", "callAttempts(30) == 0",
			func(c *consent.Contact) {
				callAt("2026-03-01T00:05:00+01:00", calls.NoAnswer)(c)
				callAt("2026-03-01T23:55:00+01:00", calls.Answered)(c)
			}, "2026-03-31T00:00:00+02:00", true},
		{"a refusal on 1 February 23:30 CET holds to the end of 2 April (CEST)", "refusedWithin(60)",
			callAt("2026-02-01T23:30:00+01:00", calls.Refused), "2026-04-02T23:59:59.999999999+02:00", true},
		{"and is over at midnight CEST starting 3 April", "refusedWithin(60)",
			callAt("2026-02-01T23:30:00+01:00", calls.Refused), "2026-04-03T00:00:00+02:00", false},
		{"a refusal on 1 September (CEST) holds to the end of 31 October (CET)", "refusedWithin(60)",
			callAt("2026-09-01T10:00:00+02:00", calls.Refused), "2026-10-31T23:59:59.999999999+01:00", true},
		{"and is over at midnight CET starting 1 November", "refusedWithin(60)",
			callAt("2026-09-01T10:00:00+02:00", calls.Refused), "2026-11-01T00:00:00+01:00", false},
		{"a call's date is the recipient's: 00:30 in Paris is still the day before in UTC", "callAttempts(1) == 1",
			callAt("2026-03-10T00:30:00+01:00", calls.NoAnswer), "2026-03-10T23:59:00+01:00", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := holds(t, inputsPolicy(t, tc.cond), luContact(t, inParis, tc.opt), consent.VoiceLive, at(tc.at)); got != tc.want {
				t.Errorf("%s at %s = %v, want %v", tc.cond, tc.at, got, tc.want)
			}
		})
	}
}

// TestPublishedForMarketing: publishedForMarketing() holds only for the
// address messaged, when the contact's organisation published that one.
func TestPublishedForMarketing(t *testing.T) {
	p := inputsPolicy(t, "publishedForMarketing()")
	other := address.MustParseEmail("verkoop@voorbeeld-bv.example")
	for _, tc := range []struct {
		name      string
		kind      consent.RecipientKind
		published func(c *consent.Contact) []address.Address
		want      map[consent.Channel]bool
	}{
		{"none published", consent.BusinessGeneric, func(*consent.Contact) []address.Address { return nil },
			map[consent.Channel]bool{consent.Email: false, consent.SMS: false, consent.VoiceLive: false}},
		{"the e-mail address", consent.BusinessGeneric, func(c *consent.Contact) []address.Address { return []address.Address{c.Email} },
			map[consent.Channel]bool{consent.Email: true, consent.SMS: false, consent.VoiceLive: false}},
		{"the number, in another spelling", consent.BusinessNamed, func(*consent.Contact) []address.Address {
			return []address.Address{address.MustParsePhone("+44 (0)7700 900-123", address.Country{})}
		}, map[consent.Channel]bool{consent.Email: false, consent.SMS: true, consent.VoiceLive: true}},
		{"another address of the organisation", consent.BusinessGeneric, func(*consent.Contact) []address.Address { return []address.Address{other} },
			map[consent.Channel]bool{consent.Email: false, consent.SMS: false}},
	} {
		c := newContact(t, "inkoop", "LU", tc.kind, func(c *consent.Contact) { c.PublishedForMarketing = tc.published(c) })
		for ch, want := range tc.want {
			if got := holds(t, p, c, ch, t0); got != want {
				t.Errorf("%s, %v: publishedForMarketing() = %v, want %v", tc.name, ch, got, want)
			}
		}
	}
}

// TestSupportedWithin: support expressed to the sender counts for the
// duration after it, only with the number messaged collected then and an
// opt-out offered; and the search steps to the instant it leaves.
func TestSupportedWithin(t *testing.T) {
	p := inputsPolicy(t, "supportedWithin(duration('8760h'))")
	support := func(at time.Time, seller string, optOut bool) contactOpt {
		return func(c *consent.Contact) {
			c.Relationship.Support = append(c.Relationship.Support, consent.Interaction{ID: "s-" + at.Format("20060102"),
				At: at, Seller: seller, Collected: []address.Address{c.Phone}, OptOutOffered: optOut})
		}
	}
	for _, tc := range []struct {
		name string
		opts []contactOpt
		want bool
	}{
		{"none", nil, false},
		{"364 days ago", []contactOpt{support(t0.Add(-days(364)), sender, true)}, true},
		{"exactly 365 days ago", []contactOpt{support(t0.Add(-days(365)), sender, true)}, true},
		{"366 days ago", []contactOpt{support(t0.Add(-days(366)), sender, true)}, false},
		{"to another entity", []contactOpt{support(t0.Add(-days(10)), "Other Foundation", true)}, false},
		{"without an opt-out offered", []contactOpt{support(t0.Add(-days(10)), sender, false)}, false},
		{"after the message", []contactOpt{support(t0.Add(time.Hour), sender, true)}, false},
		{"an old and a recent one", []contactOpt{support(t0.AddDate(-5, 0, 0), sender, true), support(t0.Add(-days(2)), sender, true)}, true},
	} {
		if got := holds(t, p, luContact(t, tc.opts...), consent.VoiceLive, t0); got != tc.want {
			t.Errorf("%s: supportedWithin(365 days) = %v, want %v", tc.name, got, tc.want)
		}
	}

	const waitSet = `jurisdiction: NZ
title: wait for support to lapse (test only)
channels: [voice_live]
rules:
  - id: NZ_T_RECENT_SUPPORT
    channels: [all]
    effect: defer
    reason: RECENT_SUPPORT
    citation: Fictional Act s. 1
    condition: supportedWithin(duration('720h'))
  - id: NZ_T_ANY
    channels: [all]
    effect: allow
    basis: consent
    reason: ANY
    citation: Fictional Act s. 2
    condition: "true"
`
	wp := deferPolicy(t, waitSet)
	c := newContact(t, "pat", "NZ", consent.Consumer, support(t0.Add(-days(10)), sender, true))
	d, err := decide(wp, c, message(consent.MarketingGeneral, consent.VoiceLive, "", t0))
	if err != nil {
		t.Fatal(err)
	}
	if want := t0.Add(days(20) + time.Nanosecond); d.Verdict != eligibility.Defer || !d.NotBefore.Equal(want) {
		t.Fatalf("Decide = %v, NotBefore %v; want defer until %v", d, d.NotBefore, want)
	}
	if d, _ := decide(wp, c, message(consent.MarketingGeneral, consent.VoiceLive, "", d.NotBefore)); d.Verdict != eligibility.Allow {
		t.Errorf("at NotBefore: %v, want allow", d)
	}
}

// wantInputsCompileError compiles cond as the condition of the inputs test
// set and fails unless one of the compile errors contains want.
func wantInputsCompileError(t *testing.T, cond, want string) {
	t.Helper()
	_, err := eligibility.Compile([]*rules.Set{mustParse(t, "eu.yaml", inputsBase),
		mustParse(t, "gb.yaml", strings.Replace(inputsSet, "%s", cond, 1))}, eligibility.Params{})
	var msgs []string
	for _, e := range errorList(t, err) {
		msgs = append(msgs, e.Error())
	}
	if all := strings.Join(msgs, "\n"); !strings.Contains(all, want) {
		t.Errorf("Compile(%s) errors:\n%s\nwant one containing %q", cond, all, want)
	}
}

// inquiredWithin is the inquiry branch of an existing business
// relationship: an inquiry to the sender, of any category, with or without
// an opt-out offered, within the duration (exactly the duration ago
// included); a purchase is not an inquiry.
func TestInquiredWithin(t *testing.T) {
	const sixMonths = "duration('4344h')" // 181 days
	d := days(181)
	inquiry := func(id string, when time.Time) consent.Interaction {
		return consent.Interaction{ID: id, At: when, Seller: sender, Category: "mowers"}
	}
	other := inquiry("i-3", t0.Add(-days(10)))
	other.Seller = "Other Ltd"
	tests := []struct {
		name      string
		inquiries []consent.Interaction
		purchases []consent.Interaction
		want      bool
	}{
		{"no inquiry", nil, nil, false},
		{"an inquiry a day inside", []consent.Interaction{inquiry("i-1", t0.Add(-d+days(1)))}, nil, true},
		{"an inquiry exactly the duration ago", []consent.Interaction{inquiry("i-1", t0.Add(-d))}, nil, true},
		{"an inquiry a day outside", []consent.Interaction{inquiry("i-1", t0.Add(-d-days(1)))}, nil, false},
		{"an old inquiry, a newer one restarts the clock", []consent.Interaction{inquiry("i-1", t0.Add(-d-days(100))),
			inquiry("i-2", t0.Add(-days(3)))}, nil, true},
		{"another seller's", []consent.Interaction{other}, nil, false},
		{"an inquiry after now", []consent.Interaction{inquiry("i-1", t0.Add(time.Hour))}, nil, false},
		{"a purchase is not an inquiry", nil, []consent.Interaction{purchase("p-1", "kettles", t0.Add(-days(1)))}, false},
	}
	p := inputsPolicy(t, "inquiredWithin("+sixMonths+")")
	for _, tc := range tests {
		c := luContact(t, withPurchases(tc.purchases...), func(c *consent.Contact) {
			c.Relationship.Inquiries = append(c.Relationship.Inquiries, tc.inquiries...)
		})
		if got := holds(t, p, c, consent.Email, t0); got != tc.want {
			t.Errorf("%s: inquiredWithin(%s) = %v, want %v", tc.name, sixMonths, got, tc.want)
		}
	}
}
