package eligibility_test

import (
	"strings"
	"testing"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/calls"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

// withContract adds a contract with seller from start to end (zero: open).
func withContract(id, seller string, start, end time.Time) contactOpt {
	return func(c *consent.Contact) {
		c.Relationship.Contracts = append(c.Relationship.Contracts,
			consent.Contract{ID: id, Seller: seller, Category: "energy", Start: start, End: end})
	}
}

// TestContractWithin probes the thirty days after a contract's end one day
// either side and at the limit itself: "ended no more than" includes it.
func TestContractWithin(t *testing.T) {
	long := t0.AddDate(-5, 0, 0)
	tests := []struct {
		name string
		opts []contactOpt
		at   time.Time
		want bool
	}{
		{"no contract", nil, t0, false},
		{"in force, open-ended", []contactOpt{withContract("k-1", sender, long, time.Time{})}, t0, true},
		{"in force, ending tomorrow", []contactOpt{withContract("k-1", sender, long, t0.Add(days(1)))}, t0, true},
		{"ended 29 days ago", []contactOpt{withContract("k-1", sender, long, t0.Add(-days(29)))}, t0, true},
		{"ended exactly 30 days ago: no more than 30", []contactOpt{withContract("k-1", sender, long, t0.Add(-days(30)))}, t0, true},
		{"ended 30 days and a second ago", []contactOpt{withContract("k-1", sender, long, t0.Add(-days(30)-time.Second))}, t0, false},
		{"ended 31 days ago", []contactOpt{withContract("k-1", sender, long, t0.Add(-days(31)))}, t0, false},
		{"any category counts", []contactOpt{func(c *consent.Contact) {
			c.Relationship.Contracts = []consent.Contract{{ID: "k-1", Seller: sender, Category: "insurance", Start: long}}
		}}, t0, true},
		{"starting tomorrow: not yet", []contactOpt{withContract("k-1", sender, t0.Add(days(1)), time.Time{})}, t0, false},
		{"another seller's contract does not count", []contactOpt{withContract("k-1", "Other Ltd", long, time.Time{})}, t0, false},
		{"the sender's name spelt otherwise counts", []contactOpt{withContract("k-1", "ACME Trading.Example", long, time.Time{})}, t0, true},
		{"an old contract and a recent one: the recent one", []contactOpt{withContract("k-1", sender, long, long.AddDate(1, 0, 0)),
			withContract("k-2", sender, long, t0.Add(-days(2)))}, t0, true},
	}
	p := inputsPolicy(t, "contractWithin(30)")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := holds(t, p, luContact(t, tc.opts...), consent.VoiceLive, tc.at); got != tc.want {
				t.Errorf("contractWithin(30) = %v, want %v", got, tc.want)
			}
		})
	}
}

// contractDefer: a cool-off defers, and a call is denied once no contract
// with the sender is in force or ended within 30 days.
const contractDefer = `jurisdiction: LU
title: contract (test only)
channels: [voice_live]
rules:
  - id: LU_T_CONTRACT_OVER
    channels: [all]
    effect: deny
    reason: CONTRACT_OVER
    citation: Fictional Act s. 1
    condition: "!contractWithin(30)"
  - id: LU_T_COOL_OFF
    channels: [all]
    effect: defer
    reason: COOL_OFF
    citation: Fictional Act s. 2
    condition: refusedWithin(60)
  - id: LU_T_CONSENT
    channels: [all]
    effect: allow
    basis: consent
    reason: CONSENT
    citation: Fictional Act s. 3
    condition: hasConsent(request.purpose, request.channel)
`

// TestContractWithinNext: a wait that outlasts the 30 days after a
// contract's end is a deny crossing at the exact first instant past them
// (end + 30 days + 1ns); one that ends before them is a defer.
func TestContractWithinNext(t *testing.T) {
	p := deferPolicy(t, contractDefer)
	refused := withAttempts(call(t0.Add(-days(10)), calls.VoiceLive, calls.Refused))
	// The refusal on 28 February holds the 60 calendar days after its
	// date: deferred to the midnight starting 30 April.
	waitEnd := time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		end    time.Time
		crossT time.Time // zero: deferred to waitEnd
	}{
		{"ended 10 days ago", t0.Add(-days(10)), t0.Add(days(20) + time.Nanosecond)},
		{"ends in 5 days", t0.Add(days(5)), t0.Add(days(35) + time.Nanosecond)},
		{"ends in 21 days: within 30 days of it at the wait's end", t0.Add(days(21)), time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := callable(t, refused, withContract("k-1", sender, t0.AddDate(-2, 0, 0), tc.end))
			d, err := decide(p, c, message(consent.MarketingGeneral, consent.VoiceLive, "", t0))
			if err != nil {
				t.Fatal(err)
			}
			if tc.crossT.IsZero() {
				if d.Verdict != eligibility.Defer || !d.NotBefore.Equal(waitEnd) {
					t.Errorf("Decide = %v, want defer to %v", d, waitEnd)
				}
				return
			}
			if d.Verdict != eligibility.Deny || d.Rule != "LU_T_CONTRACT_OVER" || !d.DeniedFrom.Equal(tc.crossT) ||
				!strings.Contains(d.Detail, "LU_T_COOL_OFF") || d.Basis != rules.NoLegalBasis {
				t.Errorf("Decide = %v (detail %q), want deny by LU_T_CONTRACT_OVER crossing at %v", d, d.Detail, tc.crossT)
			}
		})
	}
}

// TestConsentInContract: only a consent given while a contract with the
// sender was in force, that contract in force or ended no more than 30
// days ago, counts (Italy's RPO, Law 5/2018 art. 1(5)); one given before
// the contract began or after it ended does not, nor one without a
// contract, nor another seller's contract.
func TestConsentInContract(t *testing.T) {
	long := t0.AddDate(-5, 0, 0)
	withGrantAt := func(at time.Time) contactOpt {
		return withRecords(t, grant("g-1", "oliver", consent.MarketingGeneral, consent.Email, at))
	}
	tests := []struct {
		name string
		opts []contactOpt
		want bool
	}{
		{"no consent, contract in force", []contactOpt{withContract("k-1", sender, long, time.Time{})}, false},
		{"consent, no contract", []contactOpt{withGrantAt(long.AddDate(1, 0, 0))}, false},
		{"consent given in a contract in force", []contactOpt{withContract("k-1", sender, long, time.Time{}), withGrantAt(long.AddDate(1, 0, 0))}, true},
		{"consent given at the contract's start", []contactOpt{withContract("k-1", sender, long, time.Time{}), withGrantAt(long)}, true},
		{"consent given a day before the contract", []contactOpt{withContract("k-1", sender, long, time.Time{}), withGrantAt(long.Add(-days(1)))}, false},
		{"consent in a contract ended 29 days ago", []contactOpt{withContract("k-1", sender, long, t0.Add(-days(29))), withGrantAt(long.AddDate(1, 0, 0))}, true},
		{"consent in a contract ended 31 days ago", []contactOpt{withContract("k-1", sender, long, t0.Add(-days(31))), withGrantAt(long.AddDate(1, 0, 0))}, false},
		{"consent after the contract ended", []contactOpt{withContract("k-1", sender, long, t0.Add(-days(20))), withGrantAt(t0.Add(-days(10)))}, false},
		{"consent in an old contract, a later one in force", []contactOpt{withContract("k-1", sender, long, long.AddDate(1, 0, 0)),
			withContract("k-2", sender, t0.AddDate(-1, 0, 0), time.Time{}), withGrantAt(long.AddDate(0, 6, 0))}, false},
		{"consent in another seller's contract", []contactOpt{withContract("k-1", "Other Ltd", long, time.Time{}), withGrantAt(long.AddDate(1, 0, 0))}, false},
	}
	p := inputsPolicy(t, "consentInContract(30)")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := holds(t, p, luContact(t, tc.opts...), consent.Email, t0); got != tc.want {
				t.Errorf("consentInContract(30) = %v, want %v", got, tc.want)
			}
		})
	}
}
