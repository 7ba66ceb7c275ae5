package eligibility_test

import (
	"path/filepath"
	"testing"

	"github.com/sendright/sendright/internal/scenario"
)

// TestScenarios runs every scenario file under testdata/scenarios: the legal
// behaviour of the built-in rules, each case citing its public source
// (rules/builtin/LAW.md explains them).
func TestScenarios(t *testing.T) {
	files, err := scenario.Find(filepath.Join("testdata", "scenarios"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := scenario.NewRunner(nil)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		for _, res := range r.RunFile(f) {
			n++
			name := filepath.ToSlash(f) + "/" + res.ID
			t.Run(name, func(t *testing.T) {
				if !res.Passed {
					t.Error(res.Problem)
				}
			})
		}
	}
	if n == 0 {
		t.Fatal("no scenarios ran")
	}
}

// TestEveryRuleHasAScenario: each built-in rule is the deciding rule of at
// least one scenario, so no rule goes untested when the rules change.
func TestEveryRuleHasAScenario(t *testing.T) {
	files, err := scenario.Find(filepath.Join("testdata", "scenarios"))
	if err != nil {
		t.Fatal(err)
	}
	decides := map[string]bool{}
	for _, f := range files {
		file, err := scenario.Load(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range file.Scenarios {
			if s.Expect.Rule != nil {
				decides[*s.Expect.Rule] = true
			}
		}
	}
	p := evaluator(t)
	for _, s := range p.Sets() {
		for _, r := range s.Rules {
			if !decides[r.ID] {
				t.Errorf("no scenario expects rule %s (%s) to decide", r.ID, s.File)
			}
		}
	}
}
