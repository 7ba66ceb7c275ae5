package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFileRules: a scenario file's rules are compiled beside the runner's
// sets, found relative to the file; a missing, absolute or invalid one fails
// the file with a problem that names it.
func TestFileRules(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("sets/lu.yaml", "jurisdiction: LU\nextends: EU\ntitle: Test\nchannels: [voice_live]\nrules: []\n")
	write("sets/bad.yaml", "jurisdiction: LU\nextends: EU\nrules: [\n")
	const scenario = `
scenarios:
  - id: S1
    contact: {id: c-1, kind: consumer, country: LU, time_zone: Europe/Luxembourg, phone: "+352621555011", records: []}
    request: {purpose: marketing_general, channel: voice_live, sender: {entity: Exemple SA, kind: company}, at: "2026-09-15T11:00:00+02:00"}
    expect: {verdict: deny, basis: no_legal_basis, reason: LIVE_CALL_NEEDS_NATIONAL_RULE, rule: EU_LIVE_CALL_NEEDS_NATIONAL_RULE}
`
	r, err := NewRunner(nil)
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		ID      string
		Passed  bool
		Problem string
	}
	run := func(path string) []got {
		var out []got
		for _, res := range r.RunFile(path) {
			p := res.Problem
			if i := strings.Index(p, ":"); i >= 0 && !res.Passed {
				p = p[:i] // the kind of problem, not the OS's wording
			}
			out = append(out, got{res.ID, res.Passed, p})
		}
		return out
	}
	tests := []struct {
		name, file, rules string
		want              []got
	}{
		{"relative to the file", "a/s.yaml", "[../sets/lu.yaml]", []got{{"S1", true, ""}}},
		{"without the set LU has no rules", "b/s.yaml", "[]", []got{{"S1", false, "reason"}}},
		{"missing file", "c/s.yaml", "[../sets/none.yaml]", []got{{"", false, "cannot compile the policy"}}},
		{"invalid set", "d/s.yaml", "[../sets/bad.yaml]", []got{{"", false, "cannot compile the policy"}}},
		{"absolute path", "e/s.yaml", "[" + filepath.ToSlash(filepath.Join(dir, "sets", "lu.yaml")) + "]", []got{{"", false, "cannot compile the policy"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := write(tt.file, "rules: "+tt.rules+"\n"+scenario)
			if diff := cmp.Diff(tt.want, run(p)); diff != "" {
				t.Errorf("results (-want +got):\n%s", diff)
			}
		})
	}
}
