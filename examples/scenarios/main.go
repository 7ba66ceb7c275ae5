// Command scenarios runs every scenario file (.json, .yaml, .yml) under the
// directories given, recursively, against the built-in rule sets. It prints
// one line per failing scenario, expected vs got, then "N passed, N failed",
// and exits 1 on any failure.
//
//	go run ./examples/scenarios eligibility/testdata/scenarios
package main

import (
	"fmt"
	"os"

	"github.com/sendright/sendright/internal/scenario"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: scenarios DIR...")
		os.Exit(2)
	}
	results, err := scenario.RunDirs(os.Args[1:]...)
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
