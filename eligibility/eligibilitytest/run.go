package eligibilitytest

import (
	"testing"

	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/internal/scenario"
)

// Result is the outcome of one scenario, or of a file that could not be
// run.
type Result struct {
	File    string // the scenario file's path
	ID      string // the scenario's id; "" when the whole file failed
	Passed  bool   // the decision was as expected
	Problem string // what differs (expected vs got), or why the file failed
}

// String formats the result: file, id and problem.
func (r Result) String() string {
	if r.ID == "" {
		return r.File + ": " + r.Problem
	}
	return r.File + " " + r.ID + ": " + r.Problem
}

// RunFiles runs every scenario file (.json, .yaml, .yml) under dirs,
// recursively and in path order, against pol. A file naming neither params
// nor rules is decided by pol itself; one that names them by pol's rule
// sets ([eligibility.Policy.Sets]) compiled with the file's rule files
// (relative to the file) under the file's params — the parameters pol was
// compiled with, host functions included, do not carry over to such a
// file. A directory without scenario files is an error; a file that
// cannot be read, parsed or compiled is one failed result.
func RunFiles(pol *eligibility.Policy, dirs ...string) ([]Result, error) {
	r, err := scenario.NewPolicyRunner(pol)
	if err != nil {
		return nil, err
	}
	res, err := r.RunDirs(dirs...)
	if err != nil {
		return nil, err
	}
	out := make([]Result, len(res))
	for i, x := range res {
		out[i] = Result{File: x.File, ID: x.ID, Passed: x.Passed, Problem: x.Problem}
	}
	return out, nil
}

// Run runs the scenario files under dirs against pol (see [RunFiles]) as
// subtests of t, one per scenario named file/id (one per file that could
// not be run), each failing with what differs.
func Run(t *testing.T, pol *eligibility.Policy, dirs ...string) {
	t.Helper()
	results, err := RunFiles(pol, dirs...)
	if err != nil {
		t.Fatalf("eligibilitytest.Run: %v", err)
	}
	for _, r := range results {
		name := r.File
		if r.ID != "" {
			name += "/" + r.ID
		}
		t.Run(name, func(t *testing.T) {
			if !r.Passed {
				t.Error(r.Problem)
			}
		})
	}
}
