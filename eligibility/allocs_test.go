package eligibility_test

import (
	"testing"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/eligibility/audience"
)

// TestDecideDoesNotAllocate is the deterministic performance guard: a
// decision on the allow or deny path allocates nothing, so a regression
// fails go test without any timing.
func TestDecideDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	ev := evaluator(t)
	reqs := audience.New(11, consent.MustCountry("FR"), consent.Email, audience.DefaultMix).Requests(64)
	reqs = append(reqs, audience.New(12, consent.MustCountry("GB"), consent.SMS, audience.DefaultMix).Requests(32)...)
	reqs = append(reqs, audience.New(13, consent.MustCountry("DE"), consent.Email, audience.DefaultMix).Requests(4)...)
	// Categories spelt otherwise than their canonical key are compared
	// without allocating too.
	for i, cat := range []string{" Energy-Renovation", "KETTLES", "Toasters\u200b", "home adaptation"} {
		spelt := audience.New(uint64(20+i), consent.MustCountry("FR"), consent.Email, audience.DefaultMix).Requests(4)
		for j := range spelt {
			spelt[j].Category = cat
		}
		reqs = append(reqs, spelt...)
	}
	verdicts := map[eligibility.Verdict]int{}
	for _, req := range reqs {
		d, err := ev.Decide(req)
		if err != nil {
			t.Fatal(err)
		}
		verdicts[d.Verdict]++
		if n := testing.AllocsPerRun(20, func() { _, _ = ev.Decide(req) }); n != 0 {
			t.Errorf("Decide(%s, %v %v) = %v allocates %v times per call, want 0", req.Contact.ID, req.Purpose, req.Channel, d, n)
		}
	}
	if verdicts[eligibility.Allow] == 0 || verdicts[eligibility.Deny] == 0 {
		t.Errorf("verdicts %v: want both allow and deny paths covered", verdicts)
	}
}
