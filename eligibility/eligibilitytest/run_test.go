package eligibilitytest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sendright/sendright/eligibility"
	kit "github.com/sendright/sendright/eligibility/eligibilitytest"
	"github.com/sendright/sendright/rules"
)

// houseSet is a test rule set for Luxembourg, which has no built-in set:
// compiled into a policy it is the host's own rules.
const houseSet = "jurisdiction: LU\nextends: EU\ntitle: Test\nchannels: [voice_live]\nrules: []\n"

// liveCall is a scenario decided by the EU baseline's live-call guard
// when a set for Luxembourg is compiled, and by no rule otherwise.
const liveCall = `
scenarios:
  - id: LU-1
    contact: {id: c-1, kind: consumer, country: LU, time_zone: Europe/Luxembourg, phone: "+352621555011", records: []}
    request: {purpose: marketing_general, channel: voice_live, sender: {entity: Exemple SA, kind: company}, at: "2026-09-15T11:00:00+02:00"}
    expect: {verdict: deny, basis: no_legal_basis, reason: LIVE_CALL_NEEDS_NATIONAL_RULE, rule: EU_LIVE_CALL_NEEDS_NATIONAL_RULE}
  - id: LU-2-wrong
    description: a wrong expectation the runner must catch
    contact: {id: c-2, kind: consumer, country: LU, time_zone: Europe/Luxembourg, phone: "+352621555012", records: []}
    request: {purpose: marketing_general, channel: voice_live, sender: {entity: Exemple SA, kind: company}, at: "2026-09-15T11:00:00+02:00"}
    expect: {verdict: allow, basis: consent, reason: CONSENT}
`

// housePolicy compiles the built-in sets with the house set.
func housePolicy(t *testing.T) *eligibility.Policy {
	t.Helper()
	sets, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	house, err := rules.Parse("house.yaml", []byte(houseSet))
	if err != nil {
		t.Fatal(err)
	}
	pol, err := eligibility.Compile(append(sets, house), eligibility.Params{})
	if err != nil {
		t.Fatal(err)
	}
	return pol
}

// TestRunFiles: scenario files run against the policy given, house rules
// included; a wrong expectation fails with what differs; a file naming
// rule files is decided by the policy's sets and those files (a set of a
// jurisdiction the policy has already is a compile error for that file).
func TestRunFiles(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"scenarios/a/lu.yaml":          liveCall,
		"scenarios/b/with_rules.yaml":  "rules: [../../sets/lu.yaml]\n" + liveCall,
		"scenarios/c/broken.yaml":      "scenarios: [\n",
		"scenarios/c/not_a_scenario.x": "ignored",
		"sets/lu.yaml":                 houseSet,
	})
	dir = filepath.Join(dir, "scenarios")
	type got struct {
		File, ID string
		Passed   bool
		Problem  string // up to the first ':' (the kind of problem)
	}
	run := func(pol *eligibility.Policy) []got {
		t.Helper()
		results, err := kit.RunFiles(pol, dir)
		if err != nil {
			t.Fatal(err)
		}
		var out []got
		for _, r := range results {
			p, _, _ := strings.Cut(r.Problem, ":")
			rel, _ := filepath.Rel(dir, r.File)
			out = append(out, got{filepath.ToSlash(rel), r.ID, r.Passed, p})
		}
		return out
	}
	tests := []struct {
		name string
		pol  *eligibility.Policy
		want []got
	}{
		{"house policy", housePolicy(t), []got{
			{"a/lu.yaml", "LU-1", true, ""},
			{"a/lu.yaml", "LU-2-wrong", false, "verdict"},
			{"b/with_rules.yaml", "", false, "cannot compile the policy"}, // LU twice
			{"c/broken.yaml", "", false, "cannot load"},
		}},
		{"built-ins only: the file's rules still apply to its own scenarios", defaultPolicy(t), []got{
			{"a/lu.yaml", "LU-1", false, "reason"},
			{"a/lu.yaml", "LU-2-wrong", false, "verdict"},
			{"b/with_rules.yaml", "LU-1", true, ""},
			{"b/with_rules.yaml", "LU-2-wrong", false, "verdict"},
			{"c/broken.yaml", "", false, "cannot load"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, run(tt.pol)); diff != "" {
				t.Errorf("RunFiles (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRunFilesErrors: no policy, or a directory without scenario files,
// is an error rather than an empty pass.
func TestRunFilesErrors(t *testing.T) {
	empty := t.TempDir()
	if err := os.WriteFile(filepath.Join(empty, "notes.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, run := range map[string]func() ([]kit.Result, error){
		"nil policy":        func() ([]kit.Result, error) { return kit.RunFiles(nil, empty) },
		"no directory":      func() ([]kit.Result, error) { return kit.RunFiles(defaultPolicy(t)) },
		"no scenario files": func() ([]kit.Result, error) { return kit.RunFiles(defaultPolicy(t), empty) },
		"missing directory": func() ([]kit.Result, error) { return kit.RunFiles(defaultPolicy(t), filepath.Join(empty, "none")) },
	} {
		if res, err := run(); err == nil {
			t.Errorf("%s: RunFiles = %v, nil; want an error", name, res)
		}
	}
}

// TestRun: the module's own British scenarios, run by the kit against the
// default policy, one subtest each.
func TestRun(t *testing.T) {
	kit.Run(t, defaultPolicy(t), filepath.Join("..", "testdata", "scenarios", "gb"))
}
