package eligibility_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/internal/audience"
	"github.com/sendright/sendright/rules"
)

// groupsOf numbers similarity groups the way the policy does.
func groupsOf(groups map[string][]string) map[string][]int {
	out := map[string][]int{}
	i := 0
	for _, g := range []string{"small_kitchen_appliances"} {
		for _, m := range groups[g] {
			out[consent.CategoryKey(m)] = append(out[consent.CategoryKey(m)], i)
		}
		i++
	}
	return out
}

func randomPolicy(t testing.TB) *eligibility.Policy {
	t.Helper()
	sets, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	p, err := eligibility.Compile(sets, eligibility.Params{SimilarityGroups: audience.SimilarityGroups()})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestReferenceAgrees checks the hand-written reference against the
// evaluator on 100 000 random French requests, so that benchmark ratios
// compare the same policy.
func TestReferenceAgrees(t *testing.T) {
	n := 100_000
	if testing.Short() {
		n = 10_000
	}
	ev := randomPolicy(t)
	ref := newReference(groupsOf(audience.SimilarityGroups()))
	gen := audience.NewRandom(7, address.MustCountry("FR"), paris, consent.Email, consent.SMS)
	seen := map[string]int{}
	for i := range n {
		req := gen.Next()
		d, _ := ev.Decide(req)
		got := refDecision{Verdict: d.Verdict, Basis: d.Basis, Rule: d.Rule, Reason: d.Reason, NeedsReview: d.NeedsReview,
			Purpose: d.Purpose}
		want := ref.decide(&req)
		if diff := cmp.Diff(want, got); diff != "" {
			js, _ := req.Contact.MarshalJSON()
			t.Fatalf("request %d: evaluator and reference disagree (-reference +evaluator):\n%s\ncontact %s\nmessage %+v", i, diff, js, req.Message)
		}
		seen[d.Reason]++
	}
	// Every French rule for e-mail or SMS must have been reached, or the
	// agreement proves little. (The reference and the generator cover
	// e-mail and SMS; the scenarios cover the other channels.)
	p := ev
	for _, r := range p.Rules("FR") {
		if !r.Governs(consent.Email) && !r.Governs(consent.SMS) {
			continue // the random requests are e-mails and texts
		}
		if seen[r.Reason] == 0 {
			t.Errorf("no random request reached reason %s (rule %s)", r.Reason, r.ID)
		}
	}
	t.Logf("reasons reached: %v", seen)
}
