package eligibility

import (
	"testing"

	"cel.dev/cel-go/cel"
)

// TestNeedsIndirect: a condition is skipped for contacts without
// provenance only when one of its conjuncts holds for an indirect grant
// alone; a negation, a disjunction or another defect never is.
func TestNeedsIndirect(t *testing.T) {
	env, err := cel.NewEnv()
	if err != nil {
		t.Fatal(err)
	}
	for src, want := range map[string]bool{
		"indirectConsent(request.purpose, request.channel)":                                                 true,
		"hasConsent(request.purpose, request.channel) && indirectConsent(request.purpose, request.channel)": true,
		"contact.kind == 'consumer' && (a || b) && partnerInformed(p, c)":                                   true,
		"indirectConsent(p, c) && !partnerInformed(p, c)":                                                   true,
		"consentDefect(p, c) == 'partner_not_named'":                                                        true,
		"'no_individual_proof' == consentDefect(p, c)":                                                      true,
		"art14NoticeLate(p, c)":                                                                             true,
		"indirectConsentAged(p, c)":                                                                         true,
		"consentDefect(p, c) == 'pre_ticked'":                                                               false,
		"consentDefect(p, c) != 'partner_not_named'":                                                        false,
		"!indirectConsent(p, c)":                                                                            false,
		"indirectConsent(p, c) || hasConsent(p, c)":                                                         false,
		"similarPurchaseElsewhere() && !similarPurchase()":                                                  false,
		"hasConsent(request.purpose, request.channel)":                                                      false,
		"consentDefect(p, c) == x":                                                                          false,
		"request.purpose == 'marketing_general' && contact.kind == 'consumer'":                              false,
	} {
		a, iss := env.Parse(src)
		if iss != nil && iss.Err() != nil {
			t.Fatalf("%s: %v", src, iss.Err())
		}
		if got := needsIndirect(a.NativeRep().Expr()); got != want {
			t.Errorf("needsIndirect(%s) = %v, want %v", src, got, want)
		}
	}
}
