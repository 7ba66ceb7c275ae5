// Package scenario loads and runs scenario files: a contact, its records, a
// request and the decision the law, as its source cites it, expects. The format is
// documented in README.md ("Scenario files").
package scenario

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/internal/decode"
	"github.com/sendright/sendright/rules"
)

// MaxFileSize is the largest scenario file read.
const MaxFileSize = 4 << 20

// File is one scenario file.
type File struct {
	// Params are policy parameters the file's scenarios are decided with.
	Params eligibility.Params `json:"params"`
	// Rules are rule files compiled beside the runner's sets for this
	// file's scenarios (a house file, or a test country's set), as paths
	// relative to the scenario file. Optional.
	Rules []string `json:"rules,omitempty"`
	// Scenarios are the file's cases: at least one, each with an id unique
	// in the file.
	Scenarios []Scenario `json:"scenarios"`
}

// Scenario is one case: inputs and the expected decision.
type Scenario struct {
	ID          string `json:"id"`          // unique in the file; required
	Description string `json:"description"` // what the case is, for people
	// Source cites where the case comes from: a statute, a regulator's
	// guidance, a case, or a section of rules/builtin/LAW.md.
	Source string `json:"source,omitempty"`
	// Contact is the contact in its JSON form, decoded only when the
	// scenario is checked, so that a case can expect it not to decode.
	// Required.
	Contact json.RawMessage `json:"contact"`
	Request consent.Message `json:"request"` // the message to decide
	Expect  Expect          `json:"expect"`  // the expected decision
}

// Expect is the expected decision. Verdict, basis and reason are required;
// the other fields are compared when present.
type Expect struct {
	Verdict     eligibility.Verdict `json:"verdict"`               // allow, deny or defer
	Basis       string              `json:"basis"`                 // the basis's text form, e.g. "soft_opt_in"
	Reason      string              `json:"reason"`                // the reason code
	Rule        *string             `json:"rule,omitempty"`        // the deciding rule's id, or "" for none; nil: not compared
	Obligations *[]string           `json:"obligations,omitempty"` // obligation names in declaration order; nil: not compared
	NeedsReview bool                `json:"needs_review"`          // always compared; absent means false
	Evidence    *string             `json:"evidence,omitempty"`    // "kind:id", or "" for none
	// Purpose is the purpose the message is decided under, e.g.
	// "marketing_similar" for a reclassified transactional message; nil:
	// not compared.
	Purpose *string `json:"purpose,omitempty"`
	// Reclassified is why the purpose decided is not the label ("" for
	// none); nil: not compared.
	Reclassified *string `json:"reclassified,omitempty"`
	// NotBefore is the instant a defer names (Decision.NotBefore): required
	// when the verdict expected is defer, so that every defer scenario
	// pins the exact instant; compared when present.
	NotBefore *time.Time `json:"not_before,omitempty"`
	// Error expects Decide (or decoding the contact) to fail.
	Error bool `json:"error"`
	// Origin is where the decision comes from (law, house or override);
	// nil: not compared.
	Origin *eligibility.Origin `json:"origin,omitempty"`
	// Overrides are the ids of the rules whose overrides took effect
	// (Decision.Overrides), in order; [] for none; nil: not compared.
	Overrides *[]string `json:"overrides,omitempty"`
	// Regimes are the regimes the decision applied (Decision.Regimes), in
	// order, each as "JURISDICTION REACH VERDICT" ("FR recipient allow",
	// "CA sender deny"); [] for none; nil: not compared. Checked when the
	// file is decoded: three words, a jurisdiction code, a reach and a
	// verdict of their vocabularies.
	Regimes *[]string `json:"regimes,omitempty"`
	// Jurisdiction is the regime that decided (Decision.Jurisdiction);
	// nil: not compared.
	Jurisdiction *string `json:"jurisdiction,omitempty"`
	// Transfer is the transfer check of the message's route
	// (Decision.Transfer): each hop under each regime, in order, as
	// "HOP REGIME VERDICT BASIS-OR-REASON" with " at_risk" or " review"
	// when marked (eligibility.TransferHop.String), e.g. "esp EU allow
	// adequacy:EU-2023/1795 at_risk"; [] for no check; nil: not compared.
	// Checked when the file is decoded.
	Transfer *[]string `json:"transfer,omitempty"`
	// Route is the route checked (Decision.Transfer.Route), "" for none;
	// nil: not compared.
	Route *string `json:"route,omitempty"`
}

// transferDiffs compares the expected route and transfer hops, when
// given, with the decision's transfer check tr (nil: none made).
func transferDiffs(e *Expect, tr *eligibility.Transfer) []string {
	var hops []string
	route := ""
	if tr != nil {
		route = tr.Route
		for _, h := range tr.Hops {
			hops = append(hops, h.String())
		}
	}
	var diffs []string
	if w, g := strings.Join(deref(e.Transfer), ", "), strings.Join(hops, ", "); e.Transfer != nil && w != g {
		diffs = append(diffs, fmt.Sprintf("transfer: want %q, got %q", w, g))
	}
	if e.Route != nil && *e.Route != route {
		diffs = append(diffs, fmt.Sprintf("route: want %q, got %q", *e.Route, route))
	}
	return diffs
}

// deref returns *p, or nil.
func deref(p *[]string) []string {
	if p == nil {
		return nil
	}
	return *p
}

// checkTransfer checks the expected transfer hops' form.
func checkTransfer(hs []string) error {
	for i, h := range hs {
		f := strings.Fields(h)
		var v eligibility.Verdict
		var reg rules.TransferRegime
		switch {
		case len(f) < 4 || len(f) > 6 || strings.Join(f, " ") != h:
			return fmt.Errorf("expect.transfer[%d] %q: want \"HOP REGIME VERDICT BASIS-OR-REASON\", e.g. \"esp EU allow scc_2021:module_2\"", i, h)
		case reg.UnmarshalText([]byte(f[1])) != nil:
			return fmt.Errorf("expect.transfer[%d] %q: %q is not a transfer regime (EU, UK)", i, h, f[1])
		case v.UnmarshalText([]byte(f[2])) != nil || (v != eligibility.Allow && v != eligibility.Deny):
			return fmt.Errorf("expect.transfer[%d] %q: %q is not allow or deny", i, h, f[2])
		}
		for _, m := range f[4:] {
			if m != "at_risk" && m != "review" {
				return fmt.Errorf("expect.transfer[%d] %q: %q: want at_risk or review after the basis or reason", i, h, m)
			}
		}
	}
	return nil
}

// checkRegimes checks the expected regimes' form.
func checkRegimes(rs []string) error {
	for i, r := range rs {
		f := strings.Fields(r)
		var reach eligibility.RegimeReach
		var v eligibility.Verdict
		switch {
		case len(f) != 3 || strings.Join(f, " ") != r:
			return fmt.Errorf("expect.regimes[%d] %q: want \"JURISDICTION REACH VERDICT\", e.g. \"FR recipient allow\"", i, r)
		case f[0] != "EU" && rules.CountryOf(f[0]) == "":
			return fmt.Errorf("expect.regimes[%d] %q: %q is not a jurisdiction code (FR, US-FL, EU)", i, r, f[0])
		case reach.UnmarshalText([]byte(f[1])) != nil:
			return fmt.Errorf("expect.regimes[%d] %q: %q is not a reach (recipient, region, area_code, number, sender, fallback)", i, r, f[1])
		case v.UnmarshalText([]byte(f[2])) != nil || v == eligibility.Undetermined:
			return fmt.Errorf("expect.regimes[%d] %q: %q is not a verdict (allow, deny, defer)", i, r, f[2])
		}
	}
	return nil
}

// Result is the outcome of one scenario, or of a file that could not be run.
type Result struct {
	File    string // the scenario file's path
	ID      string // the scenario's id; "" when the whole file failed
	Passed  bool   // the decision was as expected
	Problem string // expected vs got, or why the file failed
}

// String formats the result as the runner prints it: file, id and problem.
func (r Result) String() string {
	if r.ID == "" {
		return r.File + ": " + r.Problem
	}
	return r.File + " " + r.ID + ": " + r.Problem
}

// exts are the extensions of scenario files.
var exts = []string{".json", ".yaml", ".yml"}

// Find returns every scenario file under the directories, recursively,
// sorted. A directory that does not exist or holds no scenario file is an
// error.
func Find(dirs ...string) ([]string, error) {
	if len(dirs) == 0 {
		return nil, errors.New("scenario: no directory given")
	}
	var files []string
	for _, dir := range dirs {
		n := len(files)
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && slices.Contains(exts, strings.ToLower(filepath.Ext(path))) {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("scenario: %w", err)
		}
		if len(files) == n {
			return nil, fmt.Errorf("scenario: no scenario files (%s) under %s", strings.Join(exts, ", "), dir)
		}
	}
	slices.Sort(files)
	return slices.Compact(files), nil
}

// Load reads and decodes one scenario file, YAML or JSON. Unknown fields
// are errors.
func Load(path string) (*File, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.Size() > MaxFileSize {
		return nil, fmt.Errorf("larger than %d bytes", MaxFileSize)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Decode(data)
}

// Decode decodes a scenario document (YAML 1.2 or JSON).
func Decode(data []byte) (*File, error) {
	js, err := yamlToJSON(data)
	if err != nil {
		return nil, err
	}
	var f File
	if err := decode.JSON(js, &f); err != nil {
		return nil, err
	}
	if len(f.Scenarios) == 0 {
		return nil, errors.New("no scenarios")
	}
	seen := map[string]bool{}
	for i, s := range f.Scenarios {
		switch {
		case s.ID == "":
			return nil, fmt.Errorf("scenarios[%d]: missing id", i)
		case seen[s.ID]:
			return nil, fmt.Errorf("scenario %s: id used twice", s.ID)
		case s.Expect.Verdict == eligibility.Undetermined:
			return nil, fmt.Errorf("scenario %s: expect.verdict is required (allow, deny or defer)", s.ID)
		case s.Expect.Verdict == eligibility.Defer && s.Expect.NotBefore == nil:
			return nil, fmt.Errorf("scenario %s: expect.not_before is required with verdict defer", s.ID)
		case s.Expect.Reason == "" || s.Expect.Basis == "":
			return nil, fmt.Errorf("scenario %s: expect.basis and expect.reason are required", s.ID)
		case len(s.Contact) == 0:
			return nil, fmt.Errorf("scenario %s: missing contact", s.ID)
		}
		if s.Expect.Regimes != nil {
			if err := checkRegimes(*s.Expect.Regimes); err != nil {
				return nil, fmt.Errorf("scenario %s: %w", s.ID, err)
			}
		}
		if s.Expect.Transfer != nil {
			if err := checkTransfer(*s.Expect.Transfer); err != nil {
				return nil, fmt.Errorf("scenario %s: %w", s.ID, err)
			}
		}
		seen[s.ID] = true
	}
	return &f, nil
}

// Runner runs scenario files against rule sets (the built-ins unless
// given), compiling one policy per distinct set of parameters and rule
// files, or against a policy the caller compiled ([NewPolicyRunner]).
type Runner struct {
	sets     []*rules.Set
	base     *eligibility.Policy // decides files naming neither params nor rules; nil: compile
	policies map[string]*eligibility.Policy
}

// NewPolicyRunner returns a runner deciding with pol: a file naming
// neither params nor rules is decided by pol itself; one that names them by
// pol's rule sets ([eligibility.Policy.Sets]) compiled with the file's rule
// files under the file's params (the parameters pol was compiled with,
// host functions included, do not carry over to such a file).
func NewPolicyRunner(pol *eligibility.Policy) (*Runner, error) {
	if pol == nil {
		return nil, errors.New("scenario: nil policy")
	}
	return &Runner{sets: pol.Sets(), base: pol, policies: map[string]*eligibility.Policy{}}, nil
}

// ReadRules reads and parses rule files, in order.
func ReadRules(paths ...string) ([]*rules.Set, error) {
	sets := make([]*rules.Set, 0, len(paths))
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		s, err := rules.Parse(path, data)
		if err != nil {
			return nil, err
		}
		sets = append(sets, s)
	}
	return sets, nil
}

// NewRunner returns a runner over the given rule sets (nil: the built-ins).
func NewRunner(sets []*rules.Set) (*Runner, error) {
	if sets == nil {
		var err error
		if sets, err = rules.Builtin(); err != nil {
			return nil, err
		}
	}
	return &Runner{sets: sets, policies: map[string]*eligibility.Policy{}}, nil
}

// policy compiles the runner's sets with the rule files named (paths
// relative to dir) under the parameters, once per distinct combination.
func (r *Runner) policy(p eligibility.Params, dir string, files []string) (*eligibility.Policy, error) {
	paths := make([]string, len(files))
	for i, f := range files {
		if filepath.IsAbs(f) {
			return nil, fmt.Errorf("rules[%d]: %q is absolute; give it relative to the scenario file", i, f)
		}
		paths[i] = filepath.Join(dir, filepath.FromSlash(f))
	}
	params, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	if r.base != nil && len(paths) == 0 {
		if zero, err := json.Marshal(eligibility.Params{}); err == nil && string(zero) == string(params) {
			return r.base, nil
		}
	}
	key := string(params) + "\x00" + strings.Join(paths, "\x00")
	if pol, ok := r.policies[key]; ok {
		return pol, nil
	}
	extra, err := ReadRules(paths...)
	if err != nil {
		return nil, err
	}
	pol, err := eligibility.Compile(append(slices.Clone(r.sets), extra...), p)
	if err != nil {
		return nil, err
	}
	r.policies[key] = pol
	return pol, nil
}

// RunFile runs every scenario of one file. A file that cannot be read,
// parsed or compiled yields one failed result.
func (r *Runner) RunFile(path string) []Result {
	f, err := Load(path)
	if err != nil {
		return []Result{{File: path, Problem: "cannot load: " + err.Error()}}
	}
	pol, err := r.policy(f.Params, filepath.Dir(path), f.Rules)
	if err != nil {
		return []Result{{File: path, Problem: "cannot compile the policy: " + err.Error()}}
	}
	out := make([]Result, 0, len(f.Scenarios))
	for _, s := range f.Scenarios {
		res := Result{File: path, ID: s.ID}
		res.Problem = Check(pol, &s)
		res.Passed = res.Problem == ""
		out = append(out, res)
	}
	return out
}

// Check decides one scenario and returns "" when the decision is as
// expected, else what differs (expected vs got).
func Check(pol *eligibility.Policy, s *Scenario) string {
	var c consent.Contact
	if err := decode.JSON(s.Contact, &c); err != nil {
		if s.Expect.Error && s.Expect.Verdict == eligibility.Deny {
			return ""
		}
		return "contact does not decode: " + err.Error()
	}
	d, err := pol.Decide(eligibility.Request{Contact: &c, Message: s.Request})
	var diffs []string
	want := func(field, w, g string) {
		if w != g {
			diffs = append(diffs, fmt.Sprintf("%s: want %q, got %q", field, w, g))
		}
	}
	want("verdict", s.Expect.Verdict.String(), d.Verdict.String())
	want("basis", s.Expect.Basis, d.Basis.String())
	want("reason", s.Expect.Reason, d.Reason)
	if s.Expect.Rule != nil {
		want("rule", *s.Expect.Rule, d.Rule)
	}
	if s.Expect.Obligations != nil {
		want("obligations", strings.Join(*s.Expect.Obligations, ","), strings.Join(d.Obligations.Names(), ","))
	}
	if s.Expect.Evidence != nil {
		got := ""
		if !d.Evidence.IsZero() {
			got = d.Evidence.Kind.String() + ":" + d.Evidence.ID
		}
		want("evidence", *s.Expect.Evidence, got)
	}
	if s.Expect.Purpose != nil {
		got := ""
		if d.Purpose != 0 {
			got = d.Purpose.String()
		}
		want("purpose", *s.Expect.Purpose, got)
	}
	if s.Expect.Reclassified != nil {
		want("reclassified", *s.Expect.Reclassified, d.Reclassified.String())
	}
	if s.Expect.NotBefore != nil && !s.Expect.NotBefore.Equal(d.NotBefore) {
		diffs = append(diffs, fmt.Sprintf("not_before: want %s, got %s", s.Expect.NotBefore.UTC().Format(time.RFC3339Nano),
			d.NotBefore.UTC().Format(time.RFC3339Nano)))
	}
	if s.Expect.Origin != nil {
		want("origin", s.Expect.Origin.String(), d.Origin.String())
	}
	if s.Expect.Overrides != nil {
		var got []string
		for _, o := range d.Overrides {
			got = append(got, o.Rule)
		}
		want("overrides", strings.Join(*s.Expect.Overrides, ","), strings.Join(got, ","))
	}
	if s.Expect.Regimes != nil {
		var got []string
		for _, r := range d.Regimes.List() {
			got = append(got, r.String())
		}
		want("regimes", strings.Join(*s.Expect.Regimes, ", "), strings.Join(got, ", "))
	}
	if s.Expect.Jurisdiction != nil {
		want("jurisdiction", *s.Expect.Jurisdiction, d.Jurisdiction)
	}
	diffs = append(diffs, transferDiffs(&s.Expect, d.Transfer)...)
	if s.Expect.NeedsReview != d.NeedsReview {
		diffs = append(diffs, fmt.Sprintf("needs_review: want %v, got %v", s.Expect.NeedsReview, d.NeedsReview))
	}
	switch {
	case s.Expect.Error && err == nil:
		diffs = append(diffs, "error: want an error, got none")
	case !s.Expect.Error && err != nil:
		diffs = append(diffs, "error: want none, got "+err.Error())
	}
	if len(diffs) == 0 {
		return ""
	}
	return strings.Join(diffs, "; ") + " (decision: " + d.String() + ")"
}

// RunDirs finds and runs every scenario file under dirs against the
// built-in rule sets.
func RunDirs(dirs ...string) ([]Result, error) {
	r, err := NewRunner(nil)
	if err != nil {
		return nil, err
	}
	return r.RunDirs(dirs...)
}

// RunDirs finds and runs every scenario file under dirs, in path order.
func (r *Runner) RunDirs(dirs ...string) ([]Result, error) {
	files, err := Find(dirs...)
	if err != nil {
		return nil, err
	}
	var out []Result
	for _, f := range files {
		out = append(out, r.RunFile(f)...)
	}
	return out, nil
}
