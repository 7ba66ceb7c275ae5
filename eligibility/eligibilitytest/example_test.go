package eligibilitytest_test

import (
	"fmt"
	"log"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/eligibility/eligibilitytest"
	"github.com/sendright/sendright/rules"
)

// shouldSendNewsletter is marketing code under test: it sends the kettle
// newsletter only where the policy allows it.
func shouldSendNewsletter(policy *eligibility.Policy, c *consent.Contact, at time.Time) (eligibility.Decision, bool) {
	m := consent.Message{Purpose: consent.MarketingSimilar, Channel: consent.Email, Category: "kettles", At: at,
		Sender: consent.Sender{Entity: "Maison Exemple SAS", Kind: consent.Company}}
	d, err := policy.Decide(eligibility.Request{Contact: c, Message: m})
	return d, err == nil && d.Verdict == eligibility.Allow
}

// printTB stands in for the *testing.T of a real test: it prints what the
// kit reports.
type printTB struct{}

func (printTB) Helper() {}
func (printTB) Errorf(format string, args ...any) {
	fmt.Println(firstLine(fmt.Sprintf(format, args...)))
}
func (printTB) Fatalf(format string, args ...any) { log.Fatalf(format, args...) }

func firstLine(s string) string {
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}

// A unit test of marketing code: a customer who bought a kettle gets the
// newsletter by the soft opt-in, and one who objected since does not. In a
// test, t is the *testing.T; here a stand-in prints what the kit reports,
// showing it catching the wrong expectation of the second case.
func Example_unitTest() {
	t := printTB{}
	policy, err := eligibility.Default()
	if err != nil {
		log.Fatal(err)
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		log.Fatal(err)
	}
	at := time.Date(2026, 3, 10, 10, 0, 0, 0, paris)
	bought := at.AddDate(0, -4, 0)

	customer := eligibilitytest.Contact(t, eligibilitytest.Purchases(eligibilitytest.Purchase(bought, "kettles")))
	d, send := shouldSendNewsletter(policy, customer, at)
	eligibilitytest.Expect(t, d, eligibilitytest.Want{Verdict: eligibility.Allow, Basis: rules.SoftOptIn})
	fmt.Println("customer:", send)

	objected := eligibilitytest.Contact(t, eligibilitytest.Purchases(eligibilitytest.Purchase(bought, "kettles")),
		eligibilitytest.Records(eligibilitytest.Objection(consent.Email, bought.AddDate(0, 1, 0))))
	d, send = shouldSendNewsletter(policy, objected, at)
	eligibilitytest.Expect(t, d, eligibilitytest.Want{Verdict: eligibility.Allow, Basis: rules.SoftOptIn}) // wrong on purpose
	fmt.Println("objected:", send)
	// Output:
	// customer: true
	// want allow by soft_opt_in, got deny OBJECTION_ON_FILE (rule EU_OBJECTION)
	// objected: false
}

// RunFiles runs a directory of scenario files against a compiled policy;
// in a test, Run(t, policy, dir) reports each scenario as a subtest.
func ExampleRunFiles() {
	policy, err := eligibility.Default()
	if err != nil {
		log.Fatal(err)
	}
	results, err := eligibilitytest.RunFiles(policy, "../testdata/scenarios/gb")
	if err != nil {
		log.Fatal(err)
	}
	failed := 0
	for _, r := range results {
		if !r.Passed {
			failed++
			fmt.Println(r)
		}
	}
	fmt.Println("failed:", failed, "ran more than 100:", len(results) > 100)
	// Output:
	// failed: 0 ran more than 100: true
}
