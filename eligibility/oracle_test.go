package eligibility_test

import (
	"testing"
	"time"

	"github.com/sendright/sendright/eligibility"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/internal/audience"
	"github.com/sendright/sendright/rules"
)

// TestClosuresAgreeWithCEL evaluates every built-in rule on random French,
// Belgian and British requests with the compiled closures (general and
// specialised) and with cel-go's interpreter, which must agree.
func TestClosuresAgreeWithCEL(t *testing.T) {
	sets, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	p, err := eligibility.Compile(sets, eligibility.Params{SimilarityGroups: audience.SimilarityGroups()})
	if err != nil {
		t.Fatal(err)
	}
	n := 7000
	if testing.Short() {
		n = 1000
	}
	total := 0
	for _, country := range []string{"FR", "BE", "GB", "IT"} {
		gen := audience.NewRandom(31, address.MustCountry(country), time.UTC, consent.Email, consent.SMS)
		for i := range n {
			req := gen.Next()
			bad, evaluated := p.OracleMismatches(req.Contact, &req.Message)
			total += evaluated
			if len(bad) > 0 {
				js, _ := req.Contact.MarshalJSON()
				t.Fatalf("%s request %d: %v\ncontact %s\nmessage %+v", country, i, bad, js, req.Message)
			}
		}
	}
	t.Logf("%d rule evaluations compared", total)
}
