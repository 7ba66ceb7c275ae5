// Command exportscenarios writes every scenario file under the directories
// given as JSON Lines of cases, one scenario a line, for the tests of the
// bindings in other languages (examples/python, examples/node), which read
// no YAML: the policy's configuration, the request and the Go API's
// decision (see internal/abi/cases).
//
//	go run ./examples/embed/exportscenarios eligibility/testdata/scenarios > cases.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	"github.com/sendright/sendright/internal/abi/cases"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: exportscenarios DIR... > cases.jsonl")
		os.Exit(2)
	}
	all, err := cases.All(os.Args[1:]...)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	w := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(w)
	for i := range all {
		if err := enc.Encode(&all[i]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
