// Command scenarios runs every scenario file (.json, .yaml, .yml) under the
// directories given, recursively, against the built-in rule sets. It prints
// one line per failing scenario, expected vs got, then "N passed, N failed",
// and exits 1 on any failure.
//
//	go run ./examples/scenarios eligibility/testdata/scenarios
//
// With -rules (repeatable), the rule files named (a platform's house rules)
// are compiled beside the built-in sets for every scenario, as a file's own
// rules: key does for that file:
//
//	go run ./examples/scenarios -rules house.yaml -rules brand.yaml scenarios/
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/sendright/sendright/internal/scenario"
	"github.com/sendright/sendright/rules"
)

func main() {
	var ruleFiles []string
	flag.Func("rules", "a rule file compiled beside the built-in sets (repeatable)", func(path string) error {
		if path == "" {
			return errors.New("empty path")
		}
		ruleFiles = append(ruleFiles, path)
		return nil
	})
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: scenarios [-rules FILE]... DIR...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() < 1 {
		flag.Usage()
		os.Exit(2)
	}
	r, err := runner(ruleFiles)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	results, err := r.RunDirs(flag.Args()...)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	passed, failed := 0, 0
	for _, r := range results {
		if r.Passed {
			passed++
			continue
		}
		failed++
		fmt.Println("FAIL", r)
	}
	fmt.Printf("%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		os.Exit(1)
	}
}

// runner returns a runner over the built-in sets and the rule files named.
func runner(files []string) (*scenario.Runner, error) {
	sets, err := rules.Builtin()
	if err != nil {
		return nil, err
	}
	extra, err := scenario.ReadRules(files...)
	if err != nil {
		return nil, err
	}
	sets = append(sets, extra...)
	return scenario.NewRunner(sets)
}
