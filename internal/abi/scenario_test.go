package abi_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sendright/sendright/internal/abi"
	"github.com/sendright/sendright/internal/abi/cases"
)

// result is a result of Decide or a line of Batch, with the decision kept
// as generic JSON for diffs.
type result struct {
	Line     int        `json:"line"`
	Decision any        `json:"decision"`
	Error    *abi.Error `json:"error"`
}

// TestScenarios decides every scenario of the project through the
// interface, one by one and in one batch per policy, and checks the
// decisions are the Go API's, as the bindings' tests do.
func TestScenarios(t *testing.T) {
	all, err := cases.All("../../eligibility/testdata/scenarios")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 100 {
		t.Fatalf("%d cases: the scenarios were not found", len(all))
	}
	byConfig := map[string][]cases.Case{}
	var configs []string
	for _, c := range all {
		k := string(c.Config)
		if byConfig[k] == nil {
			configs = append(configs, k)
		}
		byConfig[k] = append(byConfig[k], c)
	}
	errored := 0
	for _, config := range configs {
		var compiled struct {
			Handle uint64     `json:"handle"`
			Error  *abi.Error `json:"error"`
		}
		if err := json.Unmarshal(abi.Compile([]byte(config)), &compiled); err != nil || compiled.Error != nil {
			t.Fatalf("Compile(%.200s): %v %+v", config, err, compiled.Error)
		}
		cs := byConfig[config]
		var batch bytes.Buffer
		for _, c := range cs {
			batch.Write(c.Request)
			batch.WriteByte('\n')
			var got result
			if err := json.Unmarshal(abi.Decide(compiled.Handle, c.Request), &got); err != nil {
				t.Fatal(err)
			}
			check(t, c, got)
			if c.Error != "" {
				errored++
			}
		}
		lines := bytes.Split(bytes.TrimSuffix(abi.Batch(compiled.Handle, batch.Bytes()), []byte("\n")), []byte("\n"))
		if len(lines) != len(cs) {
			t.Fatalf("Batch: %d lines for %d requests", len(lines), len(cs))
		}
		for i, l := range lines {
			var got result
			if err := json.Unmarshal(l, &got); err != nil {
				t.Fatal(err)
			}
			if got.Line != i+1 {
				t.Errorf("Batch line %d numbered %d", i+1, got.Line)
			}
			check(t, cs[i], got)
		}
		abi.Release(compiled.Handle)
	}
	if errored == 0 {
		t.Error("no scenario expects an error: the malformed cases were not exported")
	}
}

// check compares a result with the Go API's decision of the case.
func check(t *testing.T, c cases.Case, got result) {
	t.Helper()
	switch {
	case c.Error != "" && got.Error == nil:
		t.Errorf("%s %s: no error, the Go API's: %s", c.File, c.ID, c.Error)
	case c.Error == "" && got.Error != nil:
		t.Errorf("%s %s: error %+v, the Go API gives none", c.File, c.ID, got.Error)
	}
	d, _ := got.Decision.(map[string]any)
	if got.Error != nil && (d == nil || d["verdict"] != "deny") {
		t.Errorf("%s %s: error %+v without a deny: %v", c.File, c.ID, got.Error, got.Decision)
	}
	if c.Decision == nil { // the request does not decode: no Go decision to compare
		if !strings.Contains(d["detail"].(string), got.Error.Message) {
			t.Errorf("%s %s: detail %q does not give the error %q", c.File, c.ID, d["detail"], got.Error.Message)
		}
		return
	}
	want, err := json.Marshal(c.Decision)
	if err != nil {
		t.Fatal(err)
	}
	var w any
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(w, got.Decision); diff != "" {
		t.Errorf("%s %s: decision differs from the Go API's (-go +abi):\n%s", c.File, c.ID, diff)
	}
}
