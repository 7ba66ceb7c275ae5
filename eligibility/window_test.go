package eligibility_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

// windowSets are test-only sets: e-mail only inside a night window on
// Sundays (its edges fall in the daylight-saving hours of Paris and
// London), SMS only inside call hours closed on public holidays.
func windowSets(t testing.TB) []*rules.Set {
	const set = `jurisdiction: CODE
title: windows (test only)
channels: [email, sms]
parameters:
  windows:
    - name: calls
      days: [mon, tue, wed, thu, fri]
      hours: ["10:00-13:00", "14:00-20:00"]
      holidays: closed
    - name: night
      days: [sun]
      hours: ["@HOURS@"]
rules:
  - id: CODE_TEST_CALL_HOURS
    channels: [sms]
    effect: defer
    reason: OUTSIDE_CALL_HOURS
    citation: Fictional Act s. 6
    condition: request.channel == 'sms' && !inWindow('calls')
  - id: CODE_TEST_NIGHT
    channels: [email]
    effect: defer
    reason: OUTSIDE_NIGHT
    citation: Fictional Act s. 7
    condition: request.channel == 'email' && !inWindow('night')
  - id: CODE_TEST_ANY
    channels: [all]
    effect: allow
    basis: consent
    reason: ANY
    citation: Fictional Act s. 2
    condition: "true"
`
	fill := func(code, hours string) string {
		return strings.NewReplacer("CODE", code, "@HOURS@", hours).Replace(set)
	}
	return []*rules.Set{mustParse(t, "fr.yaml", fill("FR", "02:30-03:30")), mustParse(t, "gb.yaml", fill("GB", "01:30-02:30"))}
}

// inWindow's NotBefore is the exact opening instant: across weekends and
// public holidays (national and regional), and on the daylight-saving
// nights of 2026 an edge inside the spring-forward gap opens at the first
// instant after it, and on the fall-back night the first occurrence of the
// edge counts (the repeated hour is inside or outside again by the wall
// clock).
func TestInWindowNotBefore(t *testing.T) {
	p := mustCompile(t, windowSets(t), eligibility.Params{})
	moved := mustCompile(t, windowSets(t), eligibility.Params{Holidays: []eligibility.HolidayOverride{
		{Place: "FR", Date: "2026-05-15"}, {Place: "FR", Date: "2026-05-14", Remove: true}}})
	london := mustLoad("Europe/London")
	utc := func(mo time.Month, d, h, mi int) time.Time { return time.Date(2026, mo, d, h, mi, 0, 0, time.UTC) }
	for _, tc := range []struct {
		name    string
		p       *eligibility.Policy
		country string
		region  string
		loc     *time.Location
		ch      consent.Channel
		at      time.Time
		want    time.Time // zero: allowed now
	}{
		{"call hours: inside", p, "FR", "", paris, consent.SMS, utc(3, 10, 9, 0), time.Time{}},
		{"call hours: lunch", p, "FR", "", paris, consent.SMS, utc(3, 10, 12, 0), utc(3, 10, 13, 0)},
		{"call hours: Friday evening to Monday", p, "FR", "", paris, consent.SMS, utc(3, 13, 19, 0), utc(3, 16, 9, 0)},
		{"call hours: across the spring-forward weekend", p, "FR", "", paris, consent.SMS, utc(3, 27, 19, 0), utc(3, 30, 8, 0)},
		{"call hours: across the fall-back weekend", p, "FR", "", paris, consent.SMS, utc(10, 23, 18, 0), utc(10, 26, 9, 0)},
		{"call hours: Ascension Thursday closed", p, "FR", "", paris, consent.SMS, utc(5, 13, 18, 30), utc(5, 15, 8, 0)},
		{"call hours: a host's extra holiday and a removed one", moved, "FR", "", paris, consent.SMS, utc(5, 13, 18, 30), utc(5, 14, 8, 0)},
		{"call hours: Good Friday is no holiday in Paris", p, "FR", "FR-75", paris, consent.SMS, utc(4, 2, 18, 30), utc(4, 3, 8, 0)},
		{"call hours: Good Friday and Easter Monday in Moselle", p, "FR", "FR-57", paris, consent.SMS, utc(4, 2, 18, 30), utc(4, 7, 8, 0)},
		{"call hours: St Andrew's Day is no holiday in England", p, "GB", "GB-ENG", london, consent.SMS, utc(11, 27, 20, 30), utc(11, 30, 10, 0)},
		{"call hours: St Andrew's Day in Scotland", p, "GB", "GB-SCT", london, consent.SMS, utc(11, 27, 20, 30), utc(12, 1, 10, 0)},
		// Paris: 02:00 CET → 03:00 CEST at 01:00 UTC on 29 March; 03:00
		// CEST → 02:00 CET at 01:00 UTC on 25 October.
		{"Paris spring forward: 02:30 is skipped, opens at 03:00 CEST", p, "FR", "", paris, consent.Email, utc(3, 28, 12, 0), utc(3, 29, 1, 0)},
		{"Paris spring forward: a nanosecond before the gap", p, "FR", "", paris, consent.Email, utc(3, 29, 1, 0).Add(-1), utc(3, 29, 1, 0)},
		{"Paris spring forward: inside after the gap", p, "FR", "", paris, consent.Email, utc(3, 29, 1, 15), time.Time{}},
		{"Paris spring forward: closes at 03:30 CEST", p, "FR", "", paris, consent.Email, utc(3, 29, 1, 30), utc(4, 5, 0, 30)},
		{"Paris fall back: opens at the first 02:30", p, "FR", "", paris, consent.Email, utc(10, 24, 12, 0), utc(10, 25, 0, 30)},
		{"Paris fall back: the repeated 02:00-02:30 is outside", p, "FR", "", paris, consent.Email, utc(10, 25, 1, 10), utc(10, 25, 1, 30)},
		{"Paris fall back: the second 02:30 is inside", p, "FR", "", paris, consent.Email, utc(10, 25, 1, 30), time.Time{}},
		{"Paris fall back: closes at 03:30 CET", p, "FR", "", paris, consent.Email, utc(10, 25, 2, 30), utc(11, 1, 1, 30)},
		// London: 01:00 GMT → 02:00 BST at 01:00 UTC on 29 March; 02:00
		// BST → 01:00 GMT at 01:00 UTC on 25 October.
		{"London spring forward: 01:30 is skipped, opens at 02:00 BST", p, "GB", "", london, consent.Email, utc(3, 28, 12, 0), utc(3, 29, 1, 0)},
		{"London spring forward: closes at 02:30 BST", p, "GB", "", london, consent.Email, utc(3, 29, 1, 30), utc(4, 5, 0, 30)},
		{"London fall back: opens at the first 01:30", p, "GB", "", london, consent.Email, utc(10, 24, 12, 0), utc(10, 25, 0, 30)},
		{"London fall back: the repeated 01:00-01:30 is outside", p, "GB", "", london, consent.Email, utc(10, 25, 1, 0), utc(10, 25, 1, 30)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newContact(t, "lea", tc.country, consent.Consumer, func(c *consent.Contact) { c.Location, c.Region = tc.loc, tc.region })
			if tc.country == "FR" { // a French number: a UK one would bring the UK's set
				withPhone("+33639980123")(c)
			}
			d, err := decide(tc.p, c, message(consent.MarketingGeneral, tc.ch, "", tc.at))
			if err != nil {
				t.Fatal(err)
			}
			type got struct {
				Verdict   eligibility.Verdict
				NotBefore time.Time
			}
			want := got{eligibility.Allow, time.Time{}}
			if !tc.want.IsZero() {
				want = got{eligibility.Defer, tc.want}
			}
			if diff := cmp.Diff(want, got{d.Verdict, d.NotBefore}); diff != "" {
				t.Fatalf("Decide at %v: %v (-want +got):\n%s", tc.at, d, diff)
			}
			if tc.want.IsZero() {
				return
			}
			// Decided again at NotBefore: allowed; a nanosecond and a
			// minute before: not.
			if again, _ := decide(tc.p, c, message(consent.MarketingGeneral, tc.ch, "", d.NotBefore)); again.Verdict != eligibility.Allow {
				t.Errorf("at NotBefore %v: %v, want allow", d.NotBefore, again)
			}
			for _, before := range []time.Duration{time.Nanosecond, time.Minute} {
				if at := d.NotBefore.Add(-before); !at.Before(tc.at) {
					if early, _ := decide(tc.p, c, message(consent.MarketingGeneral, tc.ch, "", at)); early.Verdict == eligibility.Allow {
						t.Errorf("%v before NotBefore: %v, want not allowed", before, early)
					}
				}
			}
		})
	}
}

// holiday() is true on the recipient's local date's public holidays.
func TestHolidayFunction(t *testing.T) {
	const src = `jurisdiction: FR
title: holidays (test only)
channels: [email]
rules:
  - id: FR_TEST_HOLIDAY
    channels: [all]
    effect: deny
    reason: HOLIDAY
    citation: Fictional Act s. 8
    condition: holiday()
  - id: FR_TEST_ANY
    channels: [all]
    effect: allow
    basis: consent
    reason: ANY
    citation: Fictional Act s. 2
    condition: "true"
`
	p := mustCompile(t, []*rules.Set{mustParse(t, "fr.yaml", src)}, eligibility.Params{})
	for _, tc := range []struct {
		name    string
		region  string
		at      time.Time
		holiday bool
	}{
		{"14 July", "", time.Date(2026, 7, 14, 12, 0, 0, 0, time.UTC), true},
		{"13 July", "", time.Date(2026, 7, 13, 12, 0, 0, 0, time.UTC), false},
		{"14 July starts at local midnight (22:00 UTC the day before)", "", time.Date(2026, 7, 13, 22, 0, 0, 0, time.UTC), true},
		{"26 December in Paris", "FR-75", time.Date(2026, 12, 26, 12, 0, 0, 0, time.UTC), false},
		{"26 December in Bas-Rhin", "FR-67", time.Date(2026, 12, 26, 12, 0, 0, 0, time.UTC), true},
		{"a year the tables do not cover: treated as a holiday", "", time.Date(2150, 3, 3, 12, 0, 0, 0, time.UTC), true},
		// The overseas departments' abolition days (Décret n° 83-1003).
		{"20 December in La Réunion", "FR-974", time.Date(2027, 12, 20, 8, 0, 0, 0, time.UTC), true},
		{"20 December in La Réunion, by its ISO region code", "FR-RE", time.Date(2027, 12, 20, 8, 0, 0, 0, time.UTC), true},
		{"20 December in Paris", "FR-75", time.Date(2027, 12, 20, 8, 0, 0, 0, time.UTC), false},
		{"27 May in Guadeloupe", "FR-971", time.Date(2027, 5, 27, 12, 0, 0, 0, time.UTC), true},
		{"27 May in Martinique", "FR-972", time.Date(2027, 5, 27, 12, 0, 0, 0, time.UTC), false},
		{"10 June in Guyane", "FR-973", time.Date(2027, 6, 10, 12, 0, 0, 0, time.UTC), true},
		{"27 April in Mayotte", "FR-976", time.Date(2027, 4, 27, 8, 0, 0, 0, time.UTC), true},
		// Overseas collectivities: holidays unknown, every day closed.
		{"an ordinary Tuesday in New Caledonia", "FR-NC", time.Date(2027, 12, 21, 12, 0, 0, 0, time.UTC), true},
		{"an ordinary Tuesday in Saint-Pierre-et-Miquelon, by INSEE number", "FR-975", time.Date(2027, 12, 21, 12, 0, 0, 0, time.UTC), true},
	} {
		c := newContact(t, "lea", "FR", consent.Consumer, func(c *consent.Contact) { c.Location, c.Region = paris, tc.region })
		d, err := decide(p, c, message(consent.MarketingGeneral, consent.Email, "", tc.at))
		if err != nil {
			t.Fatal(err)
		}
		if got := d.Rule == "FR_TEST_HOLIDAY"; got != tc.holiday {
			t.Errorf("%s: %v, want holiday %v", tc.name, d, tc.holiday)
		}
	}
	// A host's override cannot open a region whose holidays are unknown,
	// and the country's removals do not reach it.
	opened := mustCompile(t, []*rules.Set{mustParse(t, "fr.yaml", src)}, eligibility.Params{Holidays: []eligibility.HolidayOverride{
		{Place: "FR-NC", Date: "2027-12-21", Remove: true}, {Place: "FR", Date: "2027-12-21", Remove: true}}})
	c := newContact(t, "lea", "FR", consent.Consumer, func(c *consent.Contact) { c.Location, c.Region = paris, "FR-NC" })
	if d, err := decide(opened, c, message(consent.MarketingGeneral, consent.Email, "", time.Date(2027, 12, 21, 12, 0, 0, 0, time.UTC))); err != nil ||
		d.Rule != "FR_TEST_HOLIDAY" {
		t.Errorf("FR-NC with a removal override: %v, %v; want holiday", d, err)
	}
}

// Windows are checked as data and inWindow's argument at compile time;
// a jurisdiction whose rules read holidays needs a table.
func TestWindowErrors(t *testing.T) {
	base := `jurisdiction: FR
title: t
channels: [email]
parameters:
  windows:
%s
rules:
  - id: FR_TEST_W
    channels: [all]
    effect: defer
    reason: W
    citation: Fictional Act s. 1
    condition: %s
  - id: FR_TEST_ANY
    channels: [all]
    effect: allow
    basis: consent
    reason: ANY
    citation: Fictional Act s. 2
    condition: "true"
`
	good := "    - {name: w, days: [mon], hours: [\"10:00-12:00\"]}"
	for _, tc := range []struct {
		name, windows, cond, want string
	}{
		{"unknown window", good, "\"!inWindow('x')\"", `no window "x"`},
		{"non-constant name", good, "\"!inWindow(request.category)\"", "constant window name"},
		{"bad hours", "    - {name: w, days: [mon], hours: [\"12:00-10:00\"]}", "\"!inWindow('w')\"", "HH:MM-HH:MM"},
		{"overlapping hours", "    - {name: w, days: [mon], hours: [\"10:00-12:00\", \"11:00-13:00\"]}", "\"!inWindow('w')\"", "overlapping"},
		{"bad day", "    - {name: w, days: [lun], hours: [\"10:00-12:00\"]}", "\"!inWindow('w')\"", "day \"lun\""},
		{"no days", "    - {name: w, days: [], hours: [\"10:00-12:00\"]}", "\"!inWindow('w')\"", "no days"},
		{"bad holidays", "    - {name: w, days: [mon], hours: [\"10:00-12:00\"], holidays: shut}", "\"!inWindow('w')\"", "want closed, national or open"},
		{"twice", good + "\n" + good, "\"!inWindow('w')\"", "defined twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(strings.Replace(base, "%s", tc.windows, 1), "%s", tc.cond, 1)
			s := mustParse(t, "w.yaml", src)
			_, err := eligibility.Compile([]*rules.Set{s}, eligibility.Params{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Compile: %v, want an error containing %q", err, tc.want)
			}
		})
	}
	noTable := strings.Replace(strings.Replace(base, "FR", "IS", -1), "%s", good, 1)
	noTable = strings.Replace(noTable, "%s", "holiday()", 1)
	if _, err := eligibility.Compile([]*rules.Set{mustParse(t, "is.yaml", noTable)}, eligibility.Params{}); err == nil ||
		!strings.Contains(err.Error(), "no public holiday table for IS") {
		t.Errorf("Compile with holiday() and no table: %v, want an error", err)
	}
	withDates := eligibility.Params{Holidays: []eligibility.HolidayOverride{{Place: "IS", Date: "2026-06-17"}}}
	if _, err := eligibility.Compile([]*rules.Set{mustParse(t, "is.yaml", noTable)}, withDates); err != nil {
		t.Errorf("Compile with the host's dates: %v", err)
	}
	for _, o := range []eligibility.HolidayOverride{{Place: "XX", Date: "2026-01-01"}, {Place: "FR-", Date: "2026-01-01"},
		{Place: "FR", Date: "2026-13-01"}, {Place: "fr", Date: "2026-01-01"}} {
		if _, err := eligibility.Compile(nil, eligibility.Params{Holidays: []eligibility.HolidayOverride{o}}); err == nil {
			t.Errorf("Compile with holiday override %+v: no error", o)
		}
	}
}

// Holiday overrides are part of the policy version.
func TestHolidayOverridesChangeVersion(t *testing.T) {
	a := mustCompile(t, windowSets(t), eligibility.Params{})
	b := mustCompile(t, windowSets(t), eligibility.Params{Holidays: []eligibility.HolidayOverride{{Place: "FR", Date: "2026-05-15"}}})
	if a.Version() == b.Version() {
		t.Error("a holiday override does not change the policy version")
	}
}
