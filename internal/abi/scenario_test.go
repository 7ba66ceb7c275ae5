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

// TestAppendScenarios writes the decision of every scenario of the project
// by hand, as a batch does, and with encoding/json: the bytes are the
// same.
func TestAppendScenarios(t *testing.T) {
	all, err := cases.All("../../eligibility/testdata/scenarios")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i, c := range all {
		if c.Decision == nil {
			continue
		}
		n++
		if diff := cmp.Diff(string(abi.MarshalLine(i, c.Decision)), string(abi.AppendLine(i, c.Decision))); diff != "" {
			t.Errorf("%s %s: the decision written by hand differs from encoding/json (-json +hand):\n%s", c.File, c.ID, diff)
		}
	}
	if n < 100 {
		t.Fatalf("%d decisions: the scenarios were not found", n)
	}
}

// TestScenariosCampaign decides every scenario of the project in the
// campaign form, one campaign per policy and message, and checks the
// decisions are the Go API's.
func TestScenariosCampaign(t *testing.T) {
	all, err := cases.All("../../eligibility/testdata/scenarios")
	if err != nil {
		t.Fatal(err)
	}
	type group struct {
		config, message string
		cases           []cases.Case
		contacts        bytes.Buffer
	}
	var groups []*group
	by := map[[2]string]*group{}
	for _, c := range all {
		var r struct {
			Contact json.RawMessage `json:"contact"`
			Message json.RawMessage `json:"message"`
		}
		if c.Decision == nil || json.Unmarshal(c.Request, &r) != nil || r.Contact == nil || r.Message == nil {
			continue // the request does not decode: no contact to send alone
		}
		k := [2]string{string(c.Config), string(r.Message)}
		g := by[k]
		if g == nil {
			g = &group{config: k[0], message: k[1]}
			by[k] = g
			groups = append(groups, g)
		}
		g.cases = append(g.cases, c)
		g.contacts.Write(r.Contact)
		g.contacts.WriteByte('\n')
	}
	handles := map[string]uint64{}
	n := 0
	for _, g := range groups {
		h, ok := handles[g.config]
		if !ok {
			var compiled struct {
				Handle uint64     `json:"handle"`
				Error  *abi.Error `json:"error"`
			}
			if err := json.Unmarshal(abi.Compile([]byte(g.config)), &compiled); err != nil || compiled.Error != nil {
				t.Fatalf("Compile(%.200s): %v %+v", g.config, err, compiled.Error)
			}
			h, handles[g.config] = compiled.Handle, compiled.Handle
			defer abi.Release(h)
		}
		out := abi.Campaign(h, 1, append([]byte(`{"message": `+g.message+"}\n"), g.contacts.Bytes()...))
		lines := bytes.Split(bytes.TrimSuffix(out, []byte("\n")), []byte("\n"))
		if len(lines) != len(g.cases) {
			t.Fatalf("Campaign: %d lines for %d contacts: %.300s", len(lines), len(g.cases), out)
		}
		for i, l := range lines {
			var got result
			if err := json.Unmarshal(l, &got); err != nil {
				t.Fatal(err)
			}
			c := g.cases[i]
			if got.Line != i+1 {
				t.Errorf("%s %s: line %d numbered %d", c.File, c.ID, i+1, got.Line)
			}
			if c.Error != "" && got.Error == nil && bytes.Contains(c.Request, []byte(`"ref"`)) {
				continue // the request's ref was at fault: a campaign has none
			}
			check(t, c, got)
			n++
		}
	}
	if n < 100 {
		t.Fatalf("%d scenarios decided as campaigns", n)
	}
}
