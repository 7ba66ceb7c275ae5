// Package eligibilitytest is a test kit for code that sends marketing
// messages: builders for contacts, records, interactions and messages with
// fictional defaults, an assertion that explains a wrong decision in the
// words of the domain, and a runner for scenario files against any compiled
// [eligibility.Policy], house rules included.
//
// Builders go through the same decoder as JSON input: a value a builder
// returns is one the strict decoder accepts, and a builder given something
// the decoder would refuse fails the test instead.
//
//	c := eligibilitytest.Contact(t,
//		eligibilitytest.Purchases(eligibilitytest.Purchase(bought, "kettles")))
//	m := eligibilitytest.Message(t, consent.Email, at, eligibilitytest.Purpose(consent.MarketingSimilar))
//	d, err := policy.Decide(eligibility.Request{Contact: c, Message: m})
//	eligibilitytest.Expect(t, d, eligibilitytest.Want{Verdict: eligibility.Allow, Basis: rules.SoftOptIn})
//
// A mismatch reads, for example,
//
//	want allow by soft_opt_in, got deny OBJECTION_ON_FILE (rule EU_OBJECTION)
//
// followed by a go-cmp diff (-want +got) of the fields compared.
//
// [Run] executes scenario files (the format documented in the module's
// README, "Scenario files") as one subtest each.
package eligibilitytest
