package eligibility_test

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

func withSent(ss ...consent.Send) contactOpt {
	return func(c *consent.Contact) { c.Sent = append(c.Sent, ss...) }
}

// sendOf is a message the test sender sent.
func sendOf(at time.Time, p consent.Purpose, ch consent.Channel) consent.Send {
	return consent.Send{At: at, Channel: ch, Purpose: p, Sender: sender}
}

// TestSent: sent(purpose, channel, days) counts the sender's messages for
// the purpose (all_marketing: any marketing purpose) on the channel (all:
// any) in the last days calendar days, up to the instant evaluated.
func TestSent(t *testing.T) {
	mails := withSent(sendOf(t0.Add(-days(6)), consent.MarketingGeneral, consent.Email),
		sendOf(t0.Add(-days(1)), consent.MarketingSimilar, consent.Email),
		sendOf(t0.Add(-time.Hour), consent.MarketingGeneral, consent.Email),
		sendOf(t0.Add(-2*time.Hour), consent.Transactional, consent.Email),
		sendOf(t0.Add(-3*time.Hour), consent.MarketingGeneral, consent.SMS))
	midnight := t0.Truncate(days(1)) // t0 is 12:00 UTC; the contact lives in UTC
	tests := []struct {
		name string
		cond string
		opts []contactOpt
		at   time.Time
		want bool
	}{
		{"none sent", "sent('all_marketing', 'all', 3660) == 0", nil, t0, true},
		{"today: one marketing_general e-mail", "sent('marketing_general', 'email', 1) == 1", []contactOpt{mails}, t0, true},
		{"today: any marketing e-mail", "sent('all_marketing', 'email', 1) == 1", []contactOpt{mails}, t0, true},
		{"today: any marketing message on any channel", "sent('all_marketing', 'all', 1) == 2", []contactOpt{mails}, t0, true},
		{"today: transactional messages are counted apart", "sent('transactional', 'all', 1) == 1", []contactOpt{mails}, t0, true},
		{"two days: yesterday's similar-products e-mail", "sent('all_marketing', 'email', 2) == 2", []contactOpt{mails}, t0, true},
		{"seven days: every marketing e-mail", "sent('all_marketing', 'email', 7) == 3", []contactOpt{mails}, t0, true},
		{"six days: the oldest e-mail's date is six dates back", "sent('all_marketing', 'email', 6) == 2", []contactOpt{mails}, t0, true},
		{"the purpose is exact: similar products only", "sent('marketing_similar', 'all', 7) == 1", []contactOpt{mails}, t0, true},
		{"the channel is exact: SMS only", "sent('all_marketing', 'sms', 7) == 1", []contactOpt{mails}, t0, true},
		{"before the last send it does not count", "sent('all_marketing', 'email', 1) == 0", []contactOpt{mails}, t0.Add(-time.Hour - time.Nanosecond), true},
		{"at the send's instant it counts", "sent('all_marketing', 'email', 1) == 1", []contactOpt{mails}, t0.Add(-time.Hour), true},
		{"the last instant of the day: still counted", "sent('all_marketing', 'email', 1) == 1", []contactOpt{mails}, midnight.Add(days(1) - time.Nanosecond), true},
		{"the next local midnight: a new day", "sent('all_marketing', 'email', 1) == 0", []contactOpt{mails}, midnight.Add(days(1)), true},
		{"another sender's messages do not count", "sent('all_marketing', 'all', 30) == 0",
			[]contactOpt{withSent(consent.Send{At: t0.Add(-time.Hour), Channel: consent.Email, Purpose: consent.MarketingGeneral, Sender: "Other Ltd"})}, t0, true},
		{"the sender's name spelt otherwise counts", "sent('all_marketing', 'all', 30) == 1",
			[]contactOpt{withSent(consent.Send{At: t0.Add(-time.Hour), Channel: consent.Push, Purpose: consent.FeedbackRequest, Sender: "ACME Trading.Example"})}, t0, true},
		{"the message's own purpose and channel, as variables", "sent(request.purpose, request.channel, 1) == 1", []contactOpt{mails}, t0, true},
		{"sends in any order", "sent('marketing_general', 'email', 7) == 2",
			[]contactOpt{withSent(sendOf(t0.Add(-time.Hour), consent.MarketingGeneral, consent.Email),
				sendOf(t0.Add(-days(3)), consent.MarketingGeneral, consent.Email), sendOf(t0.Add(time.Hour), consent.MarketingGeneral, consent.Email))}, t0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := holds(t, inputsPolicy(t, tc.cond), luContact(t, tc.opts...), consent.Email, tc.at); got != tc.want {
				t.Errorf("%s = %v, want %v", tc.cond, got, tc.want)
			}
		})
	}
}

// TestSentCompileErrors: the purpose and channel are constants of their
// vocabularies (the record scopes included) or the request's, and days a
// constant from 1 to 3660.
func TestSentCompileErrors(t *testing.T) {
	for _, tc := range []struct{ cond, want string }{
		{"sent('marketing', 'email', 1) == 0", "marketing"},
		{"sent('all_marketing', 'fax', 1) == 0", "fax"},
		{"sent('all_marketing', 'email', 0) == 0", "days 0"},
		{"sent('all_marketing', 'email', 3661) == 0", "days 3661"},
		{"sent('all_marketing', 'email', localHour()) == 0", "constant"},
		{"sent(request.channel, 'email', 1) == 0", "channel"},
		{"sent('all_marketing', 'email') == 0", "sent"},
	} {
		_, err := eligibility.Compile([]*rules.Set{mustParse(t, "eu.yaml", inputsBase),
			mustParse(t, "gb.yaml", strings.Replace(inputsSet, "%s", tc.cond, 1))}, eligibility.Params{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Compile error %v, want one mentioning %q", tc.cond, err, tc.want)
		}
	}
}

// houseDefer is a test-only set holding house rules of the kinds
// over consent: no marketing e-mail on the recipient's Sunday, at most one
// marketing e-mail a day, at most two marketing messages a day on any
// channel.
const houseDefer = `jurisdiction: FR
title: house caps (test only)
channels: [email, sms]
rules:
  - id: HOUSE_T_SUNDAY
    channels: [email]
    effect: defer
    reason: HOUSE_NO_SUNDAY_EMAIL
    citation: House policy s. 1
    condition: request.purpose != 'transactional' && localWeekday() == 'sunday'
  - id: HOUSE_T_ONE_EMAIL_A_DAY
    channels: [email]
    effect: defer
    reason: HOUSE_ONE_EMAIL_A_DAY
    citation: House policy s. 2
    condition: request.purpose != 'transactional' && sent('all_marketing', 'email', 1) >= 1
  - id: HOUSE_T_TWO_A_DAY
    channels: [all]
    effect: defer
    reason: HOUSE_TWO_A_DAY
    citation: House policy s. 3
    condition: request.purpose != 'transactional' && sent('all_marketing', 'all', 1) >= 2
  - id: HOUSE_T_CONSENT
    channels: [all]
    effect: allow
    basis: consent
    reason: CONSENT
    citation: Fictional Act s. 2
    condition: hasConsent(request.purpose, request.channel)
`

// TestSentDeferNotBefore: a house rule "at most one marketing e-mail a
// day" defers to the recipient's next local midnight, exactly, across
// daylight-saving changes (a 24-hour period from the send would end
// elsewhere) and where the change skips midnight itself; a Sunday rule
// beside it pushes the wait to Monday; decided again at NotBefore the
// message is allowed, a nanosecond before it is deferred.
func TestSentDeferNotBefore(t *testing.T) {
	p := deferPolicy(t, houseDefer)
	santiago := mustLoad("America/Santiago")
	inZone := func(loc *time.Location) contactOpt { return func(c *consent.Contact) { c.Location = loc } }
	for _, tc := range []struct {
		name      string
		loc       *time.Location
		sends     []consent.Send
		ch        consent.Channel
		at        time.Time
		rule      string
		notBefore time.Time
	}{
		{"an e-mail this morning: tonight's midnight", paris,
			[]consent.Send{sendOf(time.Date(2026, 3, 10, 9, 0, 0, 0, paris), consent.MarketingGeneral, consent.Email)},
			consent.Email, time.Date(2026, 3, 10, 15, 0, 0, 0, paris), "HOUSE_T_ONE_EMAIL_A_DAY", time.Date(2026, 3, 11, 0, 0, 0, 0, paris)},
		// Sent at 00:30 CET on Sunday 29 March: the clocks go forward at
		// 02:00, and the day ends 22 h 30 min later, at 00:00 CEST
		// (22:00 UTC); the Sunday rule holds the e-mail until then too.
		{"spring forward: the midnight after a 23-hour day", paris,
			[]consent.Send{sendOf(time.Date(2026, 3, 29, 0, 30, 0, 0, paris), consent.MarketingGeneral, consent.Email)},
			consent.Email, time.Date(2026, 3, 29, 12, 0, 0, 0, paris), "HOUSE_T_SUNDAY", time.Date(2026, 3, 30, 0, 0, 0, 0, paris)},
		// Sent on Saturday 24 October at 23:00 CEST: Sunday's midnight
		// frees the cap, the Sunday rule then holds the e-mail through the
		// 25-hour Sunday to Monday 00:00 CET.
		{"fall back: Saturday's e-mail, then Sunday", paris,
			[]consent.Send{sendOf(time.Date(2026, 10, 24, 23, 0, 0, 0, paris), consent.MarketingSimilar, consent.Email)},
			consent.Email, time.Date(2026, 10, 24, 23, 30, 0, 0, paris), "HOUSE_T_ONE_EMAIL_A_DAY", time.Date(2026, 10, 26, 0, 0, 0, 0, paris)},
		// In Santiago the clocks go from 00:00 to 01:00 on Sunday 6
		// September 2026: the date begins at 01:00 -03. The SMS cap
		// (two a day on any channel) is the only rule of an SMS.
		{"midnight skipped: the date begins at the change", santiago,
			[]consent.Send{sendOf(time.Date(2026, 9, 5, 9, 0, 0, 0, santiago), consent.MarketingGeneral, consent.Email),
				sendOf(time.Date(2026, 9, 5, 10, 0, 0, 0, santiago), consent.FeedbackRequest, consent.SMS)},
			consent.SMS, time.Date(2026, 9, 5, 20, 0, 0, 0, santiago), "HOUSE_T_TWO_A_DAY", time.Date(2026, 9, 6, 4, 0, 0, 0, time.UTC)},
		{"a send later than the instant decided does not count", paris,
			[]consent.Send{sendOf(time.Date(2026, 3, 10, 16, 0, 0, 0, paris), consent.MarketingGeneral, consent.Email),
				sendOf(time.Date(2026, 3, 10, 9, 0, 0, 0, paris), consent.MarketingGeneral, consent.SMS)},
			consent.Email, time.Date(2026, 3, 10, 15, 0, 0, 0, paris), "", time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := grant("g-1", "lea", consent.MarketingGeneral, tc.ch, time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC))
			c := newContact(t, "lea", "FR", consent.Consumer, inZone(tc.loc), withRecords(t, g), withSent(tc.sends...))
			d, err := decide(p, c, message(consent.MarketingGeneral, tc.ch, "", tc.at))
			if err != nil {
				t.Fatal(err)
			}
			type got struct {
				Verdict   eligibility.Verdict
				Rule      string
				NotBefore time.Time
			}
			want := got{eligibility.Defer, tc.rule, tc.notBefore}
			if tc.rule == "" {
				want = got{eligibility.Allow, "HOUSE_T_CONSENT", time.Time{}}
			}
			if diff := cmp.Diff(want, got{d.Verdict, d.Rule, d.NotBefore}); diff != "" {
				t.Fatalf("Decide (-want +got):\n%s\n%v (%s)", diff, d, d.Detail)
			}
			if tc.rule == "" {
				return
			}
			if d, _ := decide(p, c, message(consent.MarketingGeneral, tc.ch, "", tc.notBefore)); d.Verdict != eligibility.Allow {
				t.Errorf("at NotBefore: %v, want allow", d)
			}
			if d, _ := decide(p, c, message(consent.MarketingGeneral, tc.ch, "", tc.notBefore.Add(-time.Nanosecond))); d.Verdict != eligibility.Defer {
				t.Errorf("a nanosecond before NotBefore: %v, want defer", d)
			}
		})
	}
}

// TestSentDeferProperty: over random send histories, zones and instants
// of 2026 (daylight-saving nights included), a message the house caps
// defer is allowed when decided again at NotBefore and still deferred a
// nanosecond before; NotBefore is a local midnight, or the day's first
// instant where the zone skips midnight.
func TestSentDeferProperty(t *testing.T) {
	p := deferPolicy(t, houseDefer)
	zones := []*time.Location{paris, mustLoad("America/Santiago"), mustLoad("Europe/London"), mustLoad("Pacific/Auckland")}
	rng := rand.New(rand.NewPCG(11, 0x5e4d))
	starts := []time.Time{time.Date(2026, 3, 28, 0, 0, 0, 0, time.UTC), time.Date(2026, 9, 4, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 10, 24, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 4, 0, 0, 0, 0, time.UTC)}
	verdicts := map[eligibility.Verdict]int{}
	for i := range 2000 {
		loc := zones[rng.IntN(len(zones))]
		at := starts[rng.IntN(len(starts))].Add(time.Duration(rng.Int64N(int64(72 * time.Hour))))
		ch := []consent.Channel{consent.Email, consent.SMS}[rng.IntN(2)]
		var sends []consent.Send
		for range rng.IntN(5) {
			sends = append(sends, sendOf(at.Add(time.Duration(rng.Int64N(int64(60*time.Hour)))-48*time.Hour),
				[]consent.Purpose{consent.MarketingGeneral, consent.Transactional, consent.FeedbackRequest}[rng.IntN(3)],
				[]consent.Channel{consent.Email, consent.SMS, consent.Push}[rng.IntN(3)]))
		}
		g := grant("g-1", "lea", consent.MarketingGeneral, ch, time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC))
		c := newContact(t, "lea", "FR", consent.Consumer, func(c *consent.Contact) { c.Location = loc }, withRecords(t, g), withSent(sends...))
		d, err := decide(p, c, message(consent.MarketingGeneral, ch, "", at))
		if err != nil {
			t.Fatal(err)
		}
		verdicts[d.Verdict]++
		if d.Verdict != eligibility.Defer {
			continue
		}
		local := d.NotBefore.In(loc)
		if h, m, s := local.Clock(); (h != 0 || m != 0 || s != 0 || local.Nanosecond() != 0) && local.Add(-time.Hour).Day() == local.Day() {
			t.Errorf("case %d: NotBefore %v is not a day's first instant in %v", i, local, loc)
		}
		if again, _ := decide(p, c, message(consent.MarketingGeneral, ch, "", d.NotBefore)); again.Verdict != eligibility.Allow {
			t.Errorf("case %d (%v, %v at %v, sends %v): at NotBefore %v: %v, want allow", i, loc, ch, at, sends, d.NotBefore, again)
		}
		if before, _ := decide(p, c, message(consent.MarketingGeneral, ch, "", d.NotBefore.Add(-time.Nanosecond))); before.Verdict != eligibility.Defer {
			t.Errorf("case %d (%v, %v at %v): a nanosecond before NotBefore %v: %v, want defer", i, loc, ch, at, d.NotBefore, before)
		}
	}
	if verdicts[eligibility.Defer] < 100 || verdicts[eligibility.Allow] < 100 {
		t.Errorf("verdicts %v: want many defers and allows", verdicts)
	}
	t.Logf("verdicts %v", verdicts)
}

// hostWaits is a test-only set whose defer rule reads a host function:
// marketing waits until the welcome e-mail (a transactional send) has
// gone out.
const hostWaits = `jurisdiction: FR
title: welcome first (test only)
channels: [email]
rules:
  - id: FR_T_WELCOME_FIRST
    channels: [all]
    effect: defer
    reason: WELCOME_FIRST
    citation: House policy (test) s. 4
    condition: "!welcomed()"
  - id: FR_T_CONSENT
    channels: [all]
    effect: allow
    basis: consent
    reason: CONSENT
    citation: Fictional Act s. 2
    condition: hasConsent(request.purpose, request.channel)
`

// TestSendsAreSearchEvents: a send is one of the contact's event instants
// the search for NotBefore steps to, so that a host function reading the
// send history is decided again when a send enters it: marketing that
// waits for a welcome e-mail scheduled three hours later is deferred to
// that instant exactly.
func TestSendsAreSearchEvents(t *testing.T) {
	welcomed := eligibility.Func("welcomed", "1", func(c *consent.Contact, m *consent.Message) (bool, error) {
		for _, s := range c.Sent {
			if s.Purpose == consent.Transactional && !s.At.After(m.At) {
				return true, nil
			}
		}
		return false, nil
	})
	p := mustCompile(t, []*rules.Set{mustParse(t, "fr.yaml", hostWaits)}, eligibility.Params{Functions: []eligibility.Function{welcomed}})
	welcome := t0.Add(3*time.Hour + 17*time.Second)
	c := newContact(t, "lea", "FR", consent.Consumer, withRecords(t, grant("g-1", "lea", consent.MarketingGeneral, consent.Email, t0.AddDate(-1, 0, 0))),
		withSent(sendOf(welcome, consent.Transactional, consent.Email)))
	d, err := decide(p, c, message(consent.MarketingGeneral, consent.Email, "", t0))
	if err != nil {
		t.Fatal(err)
	}
	if d.Verdict != eligibility.Defer || d.Rule != "FR_T_WELCOME_FIRST" || !d.NotBefore.Equal(welcome) {
		t.Errorf("Decide = %v (%s), want defer FR_T_WELCOME_FIRST to %v", d, d.Detail, welcome)
	}
}

// TestSentAliases: the sender's declared aliases (Params.EntityAliases)
// count as the sender, as they do for calls and consents; another entity
// does not.
func TestSentAliases(t *testing.T) {
	sets := []*rules.Set{mustParse(t, "eu.yaml", inputsBase),
		mustParse(t, "gb.yaml", strings.Replace(inputsSet, "%s", "sent('all_marketing', 'email', 1) == 1", 1))}
	p := mustCompile(t, sets, eligibility.Params{EntityAliases: [][]string{{sender, "Acme Holdings Example Ltd"}}})
	for _, tc := range []struct {
		from string
		want bool
	}{{"Acme Holdings Example Ltd", true}, {"ACME HOLDINGS EXAMPLE LTD.", true}, {"Acme Other Example Ltd", false}} {
		c := luContact(t, withSent(consent.Send{At: t0.Add(-time.Hour), Channel: consent.Email, Purpose: consent.MarketingGeneral, Sender: tc.from}))
		if got := holds(t, p, c, consent.Email, t0); got != tc.want {
			t.Errorf("a send by %q: counted %v, want %v", tc.from, got, tc.want)
		}
	}
}
