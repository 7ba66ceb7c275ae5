package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExpectOverrides: expect.overrides compares the rules whose
// overrides took effect, in order; a wrong list fails the scenario naming
// both, an absent one is not compared.
func TestExpectOverrides(t *testing.T) {
	dir := t.TempDir()
	house := "house: h\ntitle: Test\noverrides:\n  - {rule: FR_SMS_PROMO_WINDOW, justification: Reviewed, owner: Legal}\n"
	if err := os.WriteFile(filepath.Join(dir, "house.yaml"), []byte(house), 0o644); err != nil {
		t.Fatal(err)
	}
	const head = `rules: [house.yaml]
scenarios:
  - id: S1
    contact: {id: c-1, kind: consumer, country: FR, time_zone: Europe/Paris, phone: "+33639983199", records: [{id: r-1, subject: "+33639983199", purpose: marketing_general, channel: sms, sender: Maison Exemple SAS, status: granted, at: 2025-09-01T10:00:00+02:00, method: unticked_checkbox}]}
    request: {purpose: marketing_general, channel: sms, sender: {entity: Maison Exemple SAS, kind: company}, at: "2026-03-29T20:00:00+02:00"}
    expect: {verdict: allow, basis: consent, reason: CONSENT, origin: override`
	r, err := NewRunner(nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, expect, problem string // problem: "" for a pass
	}{
		{"right", ", overrides: [FR_SMS_PROMO_WINDOW]}", ""},
		{"absent", "}", ""},
		{"none expected", ", overrides: []}", `overrides: want "", got "FR_SMS_PROMO_WINDOW"`},
		{"another rule", ", overrides: [DE_CONSENT_NOT_CONFIRMED]}", `overrides: want "DE_CONSENT_NOT_CONFIRMED", got "FR_SMS_PROMO_WINDOW"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, "s.yaml")
			if err := os.WriteFile(path, []byte(head+tt.expect+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			res := r.RunFile(path)
			if len(res) != 1 {
				t.Fatalf("RunFile = %v, want one result", res)
			}
			switch {
			case tt.problem == "" && !res[0].Passed:
				t.Errorf("failed: %s", res[0].Problem)
			case tt.problem != "" && (res[0].Passed || !strings.Contains(res[0].Problem, tt.problem)):
				t.Errorf("result %+v, want a failure with %q", res[0], tt.problem)
			}
		})
	}
}
