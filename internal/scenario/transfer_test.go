package scenario

import (
	"strings"
	"testing"
)

// transferScenario routes a consented e-mail through a US processor with
// no mechanism: the transfer check denies it.
const transferScenario = `params:
  routes:
    - name: esp
      default_for: [email]
      hops:
        - {id: esp, entity: Example Mail Inc., role: processor, processing: [US]}
  transfers: {dpf_check_max_age_days: 20}
scenarios:
  - id: TRANSFER-01
    description: a US processor without a mechanism
    source: GDPR art. 44
    contact:
      id: c-1
      kind: consumer
      country: FR
      time_zone: Europe/Paris
      email: lea.martin@example.com
      records:
        - {id: g-1, subject: lea.martin@example.com, purpose: marketing_general, channel: email,
           sender: Maison Exemple SAS, status: granted, at: 2025-01-10T09:00:00Z, method: signed_form}
    request:
      purpose: marketing_general
      channel: email
      sender: {entity: Maison Exemple SAS, kind: company}
      at: 2026-03-10T10:00:00Z
    expect:
      verdict: deny
      basis: no_legal_basis
      reason: TRANSFER_NO_MECHANISM
      rule: EU_TRANSFERS
      route: esp
      transfer: [esp EU deny TRANSFER_NO_MECHANISM]
`

// TestTransferExpectations: a file's routes and transfer settings are
// policy parameters, and the expected route and hops are compared exactly;
// an expectation of the wrong form does not load.
func TestTransferExpectations(t *testing.T) {
	f, err := Decode([]byte(transferScenario))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Params.Routes) != 1 || f.Params.Transfers.DPFCheckMaxAgeDays != 20 {
		t.Fatalf("params: %+v", f.Params)
	}
	if p := check(t, f); p != "" {
		t.Fatalf("the valid scenario fails: %s", p)
	}
	for _, c := range []struct{ old, new, problem string }{
		{"route: esp\n", "route: other\n", `route: want "other", got "esp"`},
		{"[esp EU deny TRANSFER_NO_MECHANISM]", "[esp EU deny TRANSFER_NO_MECHANISM, esp UK deny TRANSFER_NO_MECHANISM]", "transfer: want"},
		{"[esp EU deny TRANSFER_NO_MECHANISM]", "[]", `transfer: want "", got "esp EU deny TRANSFER_NO_MECHANISM"`},
	} {
		f, err := Decode([]byte(strings.Replace(transferScenario, c.old, c.new, 1)))
		if err != nil {
			t.Fatal(err)
		}
		if p := check(t, f); !strings.Contains(p, c.problem) {
			t.Errorf("%s -> %s: problem %q, want %q", c.old, c.new, p, c.problem)
		}
	}
	for _, bad := range []string{"[esp EU deny]", "[esp FR deny TRANSFER_NO_MECHANISM]", "[esp EU defer X]", "[esp EU deny X maybe]"} {
		if _, err := Decode([]byte(strings.Replace(transferScenario, "[esp EU deny TRANSFER_NO_MECHANISM]", bad, 1))); err == nil {
			t.Errorf("transfer: %s loaded", bad)
		}
	}
	if _, err := Decode([]byte(strings.Replace(transferScenario, "dpf_check_max_age_days", "DPF_check_max_age_days", 1))); err == nil {
		t.Error("a case variant of a transfers key loaded")
	}
}
