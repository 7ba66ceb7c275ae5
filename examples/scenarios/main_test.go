package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRunnerRules: -rules files are compiled beside the built-ins for every
// scenario; without them the built-ins alone decide; a missing or invalid
// file is an error before any scenario runs.
func TestRunnerRules(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	house := write("house.yaml", "jurisdiction: LU\nextends: EU\ntitle: Test\nchannels: [voice_live]\nrules: []\n")
	bad := write("bad.yaml", "jurisdiction: LU\nrules: [\n")
	// A house file: no marketing e-mail on Sundays, in every jurisdiction.
	sunday := write("sunday.yaml", "house: sunday\napplies_to: {jurisdictions: [all], channels: [email]}\nrules:\n"+
		"  - {id: NO_SUNDAY, channels: [all], effect: deny, reason: NO_SUNDAY, citation: House 1, condition: \"localWeekday() == 'sunday'\"}\n"+
		"reasons: {NO_SUNDAY: {en: Not on Sundays., fr: Pas le dimanche., de: Nicht sonntags.}}\n")
	write("s/sunday.yaml", `
scenarios:
  - id: SUNDAY-1
    contact: {id: c-2, kind: consumer, country: FR, time_zone: Europe/Paris, email: a@example.com}
    request: {purpose: marketing_general, channel: email, sender: {entity: Exemple SA, kind: company}, at: "2026-03-08T11:00:00+01:00"}
    expect: {verdict: deny, basis: no_legal_basis, reason: NO_SUNDAY, rule: NO_SUNDAY, origin: house}
`)
	write("s/lu.yaml", `
scenarios:
  - id: LU-1
    contact: {id: c-1, kind: consumer, country: LU, time_zone: Europe/Luxembourg, phone: "+352621555011", records: []}
    request: {purpose: marketing_general, channel: voice_live, sender: {entity: Exemple SA, kind: company}, at: "2026-09-15T11:00:00+02:00"}
    expect: {verdict: deny, basis: no_legal_basis, reason: LIVE_CALL_NEEDS_NATIONAL_RULE, rule: EU_LIVE_CALL_NEEDS_NATIONAL_RULE}
`)
	tests := []struct {
		name    string
		files   []string
		wantErr bool
		passed  []bool
	}{
		{"built-ins only", nil, false, []bool{false, false}},
		{"with the set", []string{house}, false, []bool{true, false}},
		{"with the set and the house file", []string{house, sunday}, false, []bool{true, true}},
		{"missing file", []string{filepath.Join(dir, "none.yaml")}, true, nil},
		{"invalid file", []string{bad}, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := runner(tt.files)
			if (err != nil) != tt.wantErr {
				t.Fatalf("runner(%q) error = %v, want error: %v", tt.files, err, tt.wantErr)
			}
			if err != nil {
				return
			}
			results, err := r.RunDirs(filepath.Join(dir, "s"))
			if err != nil {
				t.Fatal(err)
			}
			var passed []bool
			for _, res := range results {
				passed = append(passed, res.Passed)
			}
			if diff := cmp.Diff(tt.passed, passed); diff != "" {
				t.Errorf("passed (-want +got):\n%s", diff)
			}
		})
	}
}
