package scenario

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

// TestPolicyRunner: a file naming neither params nor rules is decided by
// the policy given (its house set included); one naming params by that
// policy's sets recompiled under them, the house set still there.
func TestPolicyRunner(t *testing.T) {
	if _, err := NewPolicyRunner(nil); err == nil {
		t.Error("NewPolicyRunner(nil) = nil error, want one")
	}
	sets, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	house, err := rules.Parse("house.yaml", []byte("jurisdiction: LU\nextends: EU\ntitle: Test\nchannels: [voice_live]\nrules: []\n"))
	if err != nil {
		t.Fatal(err)
	}
	pol, err := eligibility.Compile(append(sets, house), eligibility.Params{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewPolicyRunner(pol)
	if err != nil {
		t.Fatal(err)
	}
	const scenario = `
scenarios:
  - id: S1
    contact: {id: c-1, kind: consumer, country: LU, time_zone: Europe/Luxembourg, phone: "+352621555011", records: []}
    request: {purpose: marketing_general, channel: voice_live, sender: {entity: Exemple SA, kind: company}, at: "2026-09-15T11:00:00+02:00"}
    expect: {verdict: deny, basis: no_legal_basis, reason: LIVE_CALL_NEEDS_NATIONAL_RULE, rule: EU_LIVE_CALL_NEEDS_NATIONAL_RULE}
`
	dir := t.TempDir()
	tests := []struct {
		name, head string
		compiled   int // policies the runner compiled after the file
	}{
		{"no params: the policy given", "", 0},
		{"empty params: the policy given", "params: {}\n", 0},
		{"params: its sets recompiled", "params: {similarity_groups: {small_kitchen_appliances: [kettles, toasters]}}\n", 1},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, dir, string(rune('a'+i))+".yaml", tt.head+scenario)
			var got []string
			for _, res := range r.RunFile(p) {
				if !res.Passed {
					got = append(got, res.String())
				}
			}
			if diff := cmp.Diff([]string(nil), got); diff != "" {
				t.Errorf("failures (-want +got):\n%s", diff)
			}
			if len(r.policies) != tt.compiled {
				t.Errorf("policies compiled = %d, want %d", len(r.policies), tt.compiled)
			}
		})
	}
}

// writeFile writes text to dir/name and returns the path.
func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
