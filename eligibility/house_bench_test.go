package eligibility_test

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/calls"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/eligibility/eligibilitytest"
	"github.com/sendright/sendright/internal/audience"
)

// housePolicy is the built-in policy with the house file
// testdata/house/send_caps.yaml: house rules of the kinds the issue
// names, over the recipient's local time and the send and call histories,
// in every jurisdiction — no marketing e-mail on the recipient's Sunday
// (CAPS_NO_SUNDAY_EMAIL), at most one marketing e-mail a day
// (CAPS_ONE_EMAIL_A_DAY), at most one call a day (CAPS_ONE_CALL_A_DAY).
func housePolicy(t testing.TB) *eligibility.Policy {
	t.Helper()
	return houseFilesPolicy(t, "send_caps.yaml")
}

// houseEmailRequests are the e-mail mix's requests (mixRequests) for
// recipients in Paris, sent at instants spread over a week from Tuesday 10
// March 2026 (a Sunday among them), each contact with a history of zero to
// three messages of the sender (marketing or transactional, by e-mail or
// SMS) in the hours and days before: the Sunday rule, the daily cap or
// neither holds the e-mail back.
func houseEmailRequests() []eligibility.Request {
	reqs := mixRequests(consent.Email)
	purposes := []consent.Purpose{consent.MarketingGeneral, consent.Transactional, consent.MarketingSimilar}
	channels := []consent.Channel{consent.Email, consent.SMS, consent.Email, consent.Email}
	for i := range reqs {
		c := *reqs[i].Contact
		c.Location = paris
		reqs[i].At = audience.At().Add(time.Duration(i%7)*24*time.Hour + time.Duration(i%5)*3*time.Hour)
		c.Sent = nil
		for k := range i % 4 {
			c.Sent = append(c.Sent, consent.Send{At: reqs[i].At.Add(-time.Duration(k*17+1) * time.Hour),
				Channel: channels[(i+k)%len(channels)], Purpose: purposes[(i+k)%len(purposes)], Sender: audience.Sender().Entity})
		}
		reqs[i].Contact = &c
	}
	return reqs
}

// houseVoiceRequests are the calls of voiceMix(seed, n), every other one
// to a contact the sender already called an hour before: the house's
// one-call-a-day rule holds those back to the next local midnight (and
// the law's windows, caps and registries then decide).
func houseVoiceRequests(seed uint64, n int) []eligibility.Request {
	reqs := voiceMix(seed, n)
	for i := range reqs {
		if i%2 == 1 {
			continue
		}
		c := *reqs[i].Contact
		c.Attempts = append(slices.Clone(c.Attempts), calls.Attempt{At: reqs[i].At.Add(-time.Hour), Channel: calls.VoiceLive,
			Sender: reqs[i].Sender.Entity, Outcome: calls.NoAnswer})
		reqs[i].Contact = &c
	}
	return reqs
}

// decideHouse decides as housePolicy does, for e-mail: the law (decide),
// then for an allowed marketing e-mail the house rules by hand — on the
// recipient's Sunday, or after a marketing e-mail of the sender on the
// same local date, it waits for the next local midnight, again until
// neither holds.
func (rf *reference) decideHouse(req *eligibility.Request) refDecision {
	d := rf.decide(req)
	m := &req.Message
	if d.Verdict != eligibility.Allow || m.Channel != consent.Email || m.Purpose == consent.Transactional {
		return d
	}
	loc := req.Contact.Location
	rule := ""
	t := m.At
	for range 400 {
		sunday := t.In(loc).Weekday() == time.Sunday
		capped := refSentToday(req.Contact, m.Sender.Entity, t) >= 1
		if !sunday && !capped {
			break
		}
		if rule == "" {
			rule = "CAPS_ONE_EMAIL_A_DAY"
			if sunday {
				rule = "CAPS_NO_SUNDAY_EMAIL"
			}
		}
		y, mo, dd := t.In(loc).Date()
		t = time.Date(y, mo, dd+1, 0, 0, 0, 0, loc)
	}
	if rule != "" {
		d.Verdict, d.Rule, d.Reason, d.NeedsReview, d.NotBefore = eligibility.Defer, rule, rule, false, t
	}
	return d
}

// refSentToday counts the sender's marketing e-mails sent at or before t
// on t's local date.
func refSentToday(c *consent.Contact, sender string, t time.Time) int {
	y, mo, dd := t.In(c.Location).Date()
	n := 0
	for i := range c.Sent {
		s := &c.Sent[i]
		if sy, smo, sdd := s.At.In(c.Location).Date(); sy == y && smo == mo && sdd == dd && !s.At.After(t) &&
			s.Channel == consent.Email && s.Purpose.Marketing() && consent.SameEntity(s.Sender, sender) {
			n++
		}
	}
	return n
}

// TestHouseReferenceAgrees: the hand-written house rules agree with the
// policy on every request of the house benchmark, which reaches allows,
// denies and both rules' defers, so that the benchmark's ratio compares
// the same decisions; the defers name the house as their origin, and the
// house file's reasons have their texts.
func TestHouseReferenceAgrees(t *testing.T) {
	p := housePolicy(t)
	ref := newReference(nil)
	seen := map[string]int{}
	for i, req := range houseEmailRequests() {
		d, err := p.Decide(req)
		if err != nil {
			t.Fatal(err)
		}
		got := refDecision{Verdict: d.Verdict, Basis: d.Basis, Rule: d.Rule, Reason: d.Reason, NeedsReview: d.NeedsReview,
			Purpose: d.Purpose, NotBefore: d.NotBefore}
		want := ref.decideHouse(&req)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("request %d (%s at %v): reference and policy differ (-reference +policy):\n%s", i, req.Contact.ID, req.At, diff)
		}
		if wantOrigin := d.Verdict == eligibility.Defer; wantOrigin != (d.Origin == eligibility.FromHouse) {
			t.Errorf("request %d: %v %s with origin %v: a house defer, and only it, is from the house", i, d.Verdict, d.Rule, d.Origin)
		}
		seen[d.Verdict.String()+" "+d.Rule]++
	}
	eligibilitytest.CheckReasons(t, p)
	for _, rule := range []string{"defer CAPS_NO_SUNDAY_EMAIL", "defer CAPS_ONE_EMAIL_A_DAY"} {
		if seen[rule] == 0 {
			t.Errorf("no request decided %s: %v", rule, seen)
		}
	}
	if seen["allow EU_CONSENT"] == 0 {
		t.Errorf("no request allowed on consent: %v", seen)
	}
	t.Logf("%v", seen)
}
