// Package cases writes the project's scenario files as JSON Lines of cases
// for the tests of the bindings in other languages (examples/python,
// examples/node), which have no YAML reader: each case holds the policy's
// configuration in the JSON form of abi.Config, the request in the JSON form
// of eligibility.Request, and the decision the Go API gives it, so that a
// binding checks its decisions are identical to the Go API's.
package cases

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/internal/abi"
	"github.com/sendright/sendright/internal/decode"
	"github.com/sendright/sendright/internal/scenario"
	"github.com/sendright/sendright/rules"
)

// Case is one scenario as a binding decides it.
type Case struct {
	File string `json:"file"` // the scenario file
	ID   string `json:"id"`   // the scenario's id
	// Config is the policy the scenario is decided with, the built-in sets
	// and the file's rule files and parameters (abi.Config).
	Config json.RawMessage `json:"config"`
	// Request is the request, the JSON form of eligibility.Request.
	Request json.RawMessage `json:"request"`
	// Decision is the Go API's decision on the request decoded with
	// eligibility.Request's UnmarshalJSON and decided with
	// eligibility.Policy.Decide; null when the request does not decode.
	Decision *eligibility.Decision `json:"decision"`
	// Error is the Go API's error (decoding or deciding), "" for none.
	Error string `json:"error,omitempty"`
}

// All returns the cases of every scenario file under dirs, in path order.
// It checks that the request's JSON form gives the decision the scenario
// runner gives: a difference is an error.
func All(dirs ...string) ([]Case, error) {
	files, err := scenario.Find(dirs...)
	if err != nil {
		return nil, err
	}
	builtin, err := rules.Builtin()
	if err != nil {
		return nil, err
	}
	var out []Case
	for _, path := range files {
		cs, err := fileCases(builtin, path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, cs...)
	}
	return out, nil
}

// fileCases returns the cases of one scenario file.
func fileCases(builtin []*rules.Set, path string) ([]Case, error) {
	f, err := scenario.Load(path)
	if err != nil {
		return nil, err
	}
	cfg := abi.Config{Params: f.Params}
	sets := slices.Clone(builtin)
	for _, name := range f.Rules {
		text, err := os.ReadFile(filepath.Join(filepath.Dir(path), filepath.FromSlash(name)))
		if err != nil {
			return nil, err
		}
		s, err := rules.Parse(name, text)
		if err != nil {
			return nil, err
		}
		sets = append(sets, s)
		cfg.Rules = append(cfg.Rules, abi.RuleFile{Name: name, Text: string(text)})
	}
	pol, err := eligibility.Compile(sets, f.Params)
	if err != nil {
		return nil, err
	}
	config, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	out := make([]Case, 0, len(f.Scenarios))
	for _, s := range f.Scenarios {
		c, err := oneCase(pol, &s)
		if err != nil {
			return nil, fmt.Errorf("scenario %s: %w", s.ID, err)
		}
		c.File, c.ID, c.Config = filepath.ToSlash(path), s.ID, config
		out = append(out, c)
	}
	return out, nil
}

// oneCase writes the request of s and decides it through its JSON form.
func oneCase(pol *eligibility.Policy, s *scenario.Scenario) (Case, error) {
	msg, err := json.Marshal(&s.Request)
	if err != nil {
		return Case{}, err
	}
	req, err := json.Marshal(struct {
		Contact json.RawMessage `json:"contact"`
		Message json.RawMessage `json:"message"`
	}{s.Contact, msg})
	if err != nil {
		return Case{}, err
	}
	c := Case{Request: req}
	var r eligibility.Request
	if err := r.UnmarshalJSON(req); err != nil {
		c.Error = err.Error()
		return c, checkUndecodable(s)
	}
	d, err := pol.Decide(r)
	c.Decision = &d
	if err != nil {
		c.Error = err.Error()
	}
	return c, checkAsRunner(pol, s, d, err)
}

// checkUndecodable checks that the scenario runner does not decode the
// contact either.
func checkUndecodable(s *scenario.Scenario) error {
	var ct consent.Contact
	if decode.JSON(s.Contact, &ct) == nil {
		return fmt.Errorf("the request's JSON form does not decode, the scenario's contact does")
	}
	return nil
}

// checkAsRunner checks that d and err are what the scenario runner's own
// decoding gives.
func checkAsRunner(pol *eligibility.Policy, s *scenario.Scenario, d eligibility.Decision, err error) error {
	var ct consent.Contact
	if derr := decode.JSON(s.Contact, &ct); derr != nil {
		return fmt.Errorf("the request's JSON form decodes, the scenario's contact does not: %v", derr)
	}
	want, werr := pol.Decide(eligibility.Request{Contact: &ct, Message: s.Request})
	gotJSON, _ := json.Marshal(d)
	wantJSON, _ := json.Marshal(want)
	if string(gotJSON) != string(wantJSON) || (err == nil) != (werr == nil) {
		return fmt.Errorf("the request's JSON form gives %v (error %v), the scenario %v (error %v)", d, err, want, werr)
	}
	return nil
}
