package eligibility_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sendright/sendright/eligibility"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/rules"
)

// quietHours is a host set that denies marketing outside 08:00–20:00 and on
// Sundays in the recipient's time zone, and otherwise allows it.
const quietHours = `jurisdiction: FR
title: quiet hours
channels: [email]
rules:
  - id: FR_QUIET_HOURS
    channels: [all]
    effect: deny
    reason: QUIET_HOURS
    citation: Fictional Act s. 1
    condition: localHour() < 8 || localHour() >= 20 || localWeekday() == 'sunday'
  - id: FR_ANY
    channels: [all]
    effect: allow
    basis: consent
    reason: ANY
    citation: Fictional Act s. 2
    condition: "true"
`

// localHour and localWeekday read the message instant in the recipient's
// time zone, not in UTC.
func TestLocalTimeFunctions(t *testing.T) {
	p := mustCompile(t, []*rules.Set{mustParse(t, "quiet.yaml", quietHours)}, eligibility.Params{})
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	for _, tc := range []struct {
		name   string
		at     time.Time
		denied bool
	}{
		{"Tuesday 09:30 in Paris", time.Date(2026, 3, 10, 8, 30, 0, 0, time.UTC), false},
		{"Tuesday 07:30 in Paris, 06:30 UTC", time.Date(2026, 3, 10, 6, 30, 0, 0, time.UTC), true},
		{"Tuesday 20:30 in Paris, 19:30 UTC", time.Date(2026, 3, 10, 19, 30, 0, 0, time.UTC), true},
		{"Sunday 00:30 in Paris, Saturday 23:30 UTC", time.Date(2026, 3, 14, 23, 30, 0, 0, time.UTC), true},
		{"Saturday 19:30 in Paris", time.Date(2026, 3, 14, 18, 30, 0, 0, time.UTC), false},
	} {
		c := newContact(t, "lea", "FR", consent.Consumer, func(c *consent.Contact) { c.Location = paris })
		out, err := decide(p, c, message(consent.MarketingGeneral, consent.Email, "", tc.at))
		if err != nil {
			t.Fatal(err)
		}
		if got := out.Rule == "FR_QUIET_HOURS"; got != tc.denied || isAllow(out) == tc.denied {
			t.Errorf("%s: Decide = %s %v, want denied %v", tc.name, out.Rule, isAllow(out), tc.denied)
		}
	}
}

// A host function is called through the same table as the built-in ones;
// its failure or panic denies; a bad declaration fails compilation.
func TestHostFunctions(t *testing.T) {
	set := strings.Replace(quietHours, "localHour() < 8 || localHour() >= 20 || localWeekday() == 'sunday'", "onRegistry()", 1)
	registered := func(on bool, err error, panics bool) eligibility.Function {
		return eligibility.Func("onRegistry", "1", func(*consent.Contact, *consent.Message) (bool, error) {
			if panics {
				panic("bug")
			}
			return on, err
		})
	}
	c := newContact(t, "lea", "FR", consent.Consumer)
	m := message(consent.MarketingGeneral, consent.Email, "", ruleAt)
	for _, tc := range []struct {
		name    string
		f       eligibility.Function
		allowed bool
		rule    string
		evalErr bool
	}{
		{"not on the registry", registered(false, nil, false), true, "FR_ANY", false},
		{"on the registry", registered(true, nil, false), false, "FR_QUIET_HOURS", false},
		{"lookup failed", registered(false, errors.New("timeout"), false), false, "FR_QUIET_HOURS", true},
		{"panicked", registered(false, nil, true), false, "FR_QUIET_HOURS", true},
	} {
		p := mustCompile(t, []*rules.Set{mustParse(t, "host.yaml", set)}, eligibility.Params{Functions: []eligibility.Function{tc.f}})
		out, err := decide(p, c, m)
		if isAllow(out) != tc.allowed || out.Rule != tc.rule || errors.Is(err, eligibility.ErrEvaluation) != tc.evalErr {
			t.Errorf("%s: Decide = %+v, %v; want allowed %v by %s, evaluation error %v", tc.name, out, err, tc.allowed, tc.rule, tc.evalErr)
		}
	}
	// The function's version is part of the policy's.
	v1 := mustCompile(t, []*rules.Set{mustParse(t, "host.yaml", set)}, eligibility.Params{Functions: []eligibility.Function{registered(false, nil, false)}})
	f2 := registered(false, nil, false)
	f2.Version = "2"
	v2 := mustCompile(t, []*rules.Set{mustParse(t, "host.yaml", set)}, eligibility.Params{Functions: []eligibility.Function{f2}})
	if v1.Version() == v2.Version() {
		t.Error("a host function's version does not change the policy version")
	}
	for _, bad := range [][]eligibility.Function{
		{eligibility.Func("hasConsent", "1", func(*consent.Contact, *consent.Message) (bool, error) { return true, nil })},
		{eligibility.Func("on registry", "1", func(*consent.Contact, *consent.Message) (bool, error) { return true, nil })},
		{{Name: "onRegistry"}},
		{registered(false, nil, false), registered(false, nil, false)},
	} {
		if _, err := eligibility.Compile([]*rules.Set{mustParse(t, "host.yaml", set)}, eligibility.Params{Functions: bad}); !errors.Is(err, rules.ErrInvalid) {
			t.Errorf("Compile with functions %v: err = %v, want ErrInvalid", bad[0].Name, err)
		}
	}
	// Without the function the condition does not compile.
	if _, err := eligibility.Compile([]*rules.Set{mustParse(t, "host.yaml", set)}, eligibility.Params{}); !errors.Is(err, rules.ErrInvalid) {
		t.Errorf("Compile without the host function: err = %v, want ErrInvalid", err)
	}
}

// A constant compared with localWeekday() must be a weekday.
func TestLocalWeekdayVocabulary(t *testing.T) {
	set := strings.Replace(quietHours, "'sunday'", "'sundae'", 1)
	_, err := eligibility.Compile([]*rules.Set{mustParse(t, "quiet.yaml", set)}, eligibility.Params{})
	var e *rules.Error
	if !errors.As(err, &e) || e.Line != 10 || !strings.Contains(e.Msg, "not a weekday") {
		t.Errorf("Compile = %v, want a positioned weekday vocabulary error", err)
	}
}
