package eligibilitytest_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sendright/sendright/eligibility"
	kit "github.com/sendright/sendright/eligibility/eligibilitytest"
	"github.com/sendright/sendright/rules"
)

// TestCheckReasons: the check passes a house file translated into every
// shipped language and reports one that lacks a language or copies the
// English text.
func TestCheckReasons(t *testing.T) {
	const head = "house: acme\napplies_to: {jurisdictions: [all]}\nrules: []\nreasons:\n"
	tests := []struct {
		name    string
		reasons string
		want    []string
	}{
		{"translated", "  ACME_A: {en: Not on Sundays., fr: Pas le dimanche., de: Nicht sonntags.}\n", nil},
		{"missing and copied", "  ACME_A: {en: Not on Sundays., fr: Not on Sundays.}\n  ACME_B: {en: Quiet hours., de: Ruhezeit., nl: Rusttijd.}\n", []string{
			"acme.yaml: reason ACME_A: the fr text is the English one",
			"acme.yaml: reason ACME_A has no de text",
			"acme.yaml: reason ACME_B has no fr text",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sets, err := rules.Builtin()
			if err != nil {
				t.Fatal(err)
			}
			house, err := rules.Parse("acme.yaml", []byte(head+tt.reasons))
			if err != nil {
				t.Fatal(err)
			}
			pol, err := eligibility.Compile(append(sets, house), eligibility.Params{})
			if err != nil {
				t.Fatal(err)
			}
			var ft fakeTB
			kit.CheckReasons(&ft, pol)
			if diff := cmp.Diff(tt.want, ft.errors); diff != "" {
				t.Errorf("reports (-want +got):\n%s", diff)
			}
		})
	}
}
