package eligibility_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

// stopDaysSet is a host set for a country without built-in rules (New
// Zealand, given two holidays by the host) that tells a stop inside a
// 10-business-day window from one past it, and holds an e-mail back until
// the third business day after an SMS objection.
const stopDaysSet = `jurisdiction: NZ
title: stop windows
channels: [email, sms]
rules:
  - id: NZ_T_PAST
    channels: [all]
    effect: deny
    reason: PAST
    citation: Fictional Act s. 1
    condition: stopBusinessDays(request.purpose, request.channel) > 10
  - id: NZ_T_INSIDE
    channels: [all]
    effect: deny
    reason: INSIDE
    citation: Fictional Act s. 1
    condition: stopBusinessDays(request.purpose, request.channel) >= 0
  - id: NZ_T_WAIT
    channels: [email]
    effect: defer
    reason: WAIT
    citation: Fictional Act s. 2
    condition: stopBusinessDays('marketing_general', 'sms') in [0, 1, 2]
  - id: NZ_T_ANY
    channels: [all]
    effect: allow
    basis: consent
    reason: ANY
    citation: Fictional Act s. 3
    condition: "true"
`

// stopBusinessDays counts business days in the recipient's zone, weekends
// and holidays left out, from the first stop in force; its change
// points are local midnights, so a defer on it ends at the exact one.
func TestStopBusinessDays(t *testing.T) {
	// Two holidays the host adds (16 February and 26 November 2026); the
	// country has no table of its own.
	p := mustCompile(t, []*rules.Set{mustParse(t, "stops.yaml", stopDaysSet)}, eligibility.Params{
		Holidays: []eligibility.HolidayOverride{{Place: "NZ", Date: "2026-02-16"}, {Place: "NZ", Date: "2026-11-26"}}})
	ny := mustLoad("America/New_York")
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, ny) }
	stop := func(id string, st consent.Status, ch consent.Channel, when time.Time) consent.Record {
		return consent.Record{ID: id, Purpose: consent.MarketingGeneral, Channel: ch, Sender: sender, Status: st, At: when}
	}
	tests := []struct {
		name string
		recs []consent.Record
		ch   consent.Channel
		at   time.Time
		want houseOutcome
	}{
		{"no stop", nil, consent.Email, at(2026, 3, 18, 10), houseOutcome{Verdict: eligibility.Allow, Rule: "NZ_T_ANY", Reason: "ANY"}},
		{"unsubscribed Monday, the same day", []consent.Record{stop("o-1", consent.Objection, consent.Email, at(2026, 3, 2, 9))},
			consent.Email, at(2026, 3, 2, 17), houseOutcome{Verdict: eligibility.Deny, Rule: "NZ_T_INSIDE", Reason: "INSIDE"}},
		{"the 10th business day, 16 March, late evening", []consent.Record{stop("o-1", consent.Objection, consent.Email, at(2026, 3, 2, 9))},
			consent.Email, at(2026, 3, 16, 23), houseOutcome{Verdict: eligibility.Deny, Rule: "NZ_T_INSIDE", Reason: "INSIDE"}},
		{"US02: Wednesday 18 March, past the 16 March deadline", []consent.Record{stop("o-1", consent.Objection, consent.Email, at(2026, 3, 2, 9))},
			consent.Email, at(2026, 3, 18, 10), houseOutcome{Verdict: eligibility.Deny, Rule: "NZ_T_PAST", Reason: "PAST"}},
		{"past from New York's midnight, 04:00 UTC", []consent.Record{stop("o-1", consent.Objection, consent.Email, at(2026, 3, 2, 9))},
			consent.Email, at(2026, 3, 17, 0), houseOutcome{Verdict: eligibility.Deny, Rule: "NZ_T_PAST", Reason: "PAST"}},
		{"a later stop does not restart the count", []consent.Record{stop("w-1", consent.Withdrawn, consent.Email, at(2026, 3, 2, 9)),
			stop("o-2", consent.Objection, consent.Email, at(2026, 3, 16, 9))},
			consent.Email, at(2026, 3, 17, 9), houseOutcome{Verdict: eligibility.Deny, Rule: "NZ_T_PAST", Reason: "PAST"}},
		{"a holiday (16 February) moves the deadline to Monday 23 February", []consent.Record{stop("o-1", consent.Objection, consent.Email, at(2026, 2, 6, 9))},
			consent.Email, at(2026, 2, 23, 12), houseOutcome{Verdict: eligibility.Deny, Rule: "NZ_T_INSIDE", Reason: "INSIDE"}},
		{"that holiday: past on the 24th", []consent.Record{stop("o-1", consent.Objection, consent.Email, at(2026, 2, 6, 9))},
			consent.Email, at(2026, 2, 24, 12), houseOutcome{Verdict: eligibility.Deny, Rule: "NZ_T_PAST", Reason: "PAST"}},
		{"an SMS objection holds e-mail back to the third business day after it, across a holiday on Thursday 26 November",
			[]consent.Record{stop("o-s", consent.Objection, consent.SMS, at(2026, 11, 24, 15))},
			consent.Email, at(2026, 11, 25, 10), houseOutcome{eligibility.Defer, "NZ_T_WAIT", eligibility.FromLaw, "WAIT", at(2026, 11, 30, 0)}},
		{"on that day", []consent.Record{stop("o-s", consent.Objection, consent.SMS, at(2026, 11, 24, 15))},
			consent.Email, at(2026, 11, 30, 0), houseOutcome{Verdict: eligibility.Allow, Rule: "NZ_T_ANY", Reason: "ANY"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newContact(t, "ann", "NZ", consent.Consumer, withRecords(t, tt.recs...), func(c *consent.Contact) { c.Location = ny })
			d, err := decide(p, c, message(consent.MarketingGeneral, tt.ch, "", tt.at))
			if err != nil {
				t.Fatal(err)
			}
			got := outcomeOf(d)
			if !got.NotBefore.IsZero() {
				got.NotBefore = got.NotBefore.In(ny)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("decision (-want +got):\n%s", diff)
			}
			if d.Rule == "NZ_T_PAST" || d.Rule == "NZ_T_INSIDE" {
				if d.Evidence.ID == "" {
					t.Errorf("evidence %+v, want the stop", d.Evidence)
				}
			}
		})
	}
}

// A country without a holiday table cannot call stopBusinessDays.
func TestStopBusinessDaysNeedsHolidays(t *testing.T) {
	set := mustParse(t, "xx.yaml", "jurisdiction: NZ\ntitle: t\nchannels: [email]\nrules:\n"+
		"  - {id: NZ_T, channels: [all], effect: deny, reason: R, citation: C, condition: \"stopBusinessDays(request.purpose, request.channel) > 5\"}\n")
	if _, err := eligibility.Compile([]*rules.Set{set}, eligibility.Params{}); err == nil {
		t.Fatal("Compile: no error, want no public holiday table for NZ")
	}
}
