// Package abi is the JSON interface that the C shared library and the
// WebAssembly module of examples/embed export to hosts written in other
// languages. It is pure Go, so it is tested without cgo, and it decides with
// the Go API itself — [eligibility.Compile], [eligibility.Policy.Decide]
// (a batch calls it on every core, line by line) and
// [eligibility.Policy.Explain] — and its JSON forms: a request in, a
// decision or an audit out. Nothing of the law or of the engine is
// implemented twice.
//
// Every entry point takes bytes and returns one JSON document, never an
// error value and never a panic: an error is the member
//
//	"error": {"code": "INVALID_REQUEST", "message": "...", "field": "contact.country"}
//
// with a code of the [Code] constants, and an entry point that decides
// returns a Deny beside it ("decision" or "audit"), never an allow. A panic
// in an entry point is recovered into an [CodeInternal] error with a deny.
//
// A compiled policy lives in a table of handles, safe for concurrent use:
// [Compile] returns a handle, [Release] removes it, and a handle released
// or never issued is an [CodeUnknownHandle] error with a deny. Handles are
// never reused, so a host that uses one after releasing it gets the error,
// never another policy's decision.
package abi

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/internal/decode"
	"github.com/sendright/sendright/rules"
)

// Version is the version of this interface: the entry points, their JSON
// forms and their error codes. It changes when a host would have to.
const Version = 1

// Code is the type of an error: hosts switch on it, never on the message.
type Code string

// Error codes.
const (
	// CodeInvalidConfig: the configuration given to Compile is not its
	// JSON form (see [Config]).
	CodeInvalidConfig Code = "INVALID_CONFIG"
	// CodeInvalidRules: a rule file does not parse, or the policy does
	// not compile; the message lists every problem.
	CodeInvalidRules Code = "INVALID_RULES"
	// CodeInvalidRequest: a request is not the JSON form of
	// [eligibility.Request], or is malformed (Decide's
	// [consent.FieldError]s); an empty line of a batch is one too.
	CodeInvalidRequest Code = "INVALID_REQUEST"
	// CodeTooLarge: an input is over its bound (see [MaxBatchSize],
	// [MaxBatchLines] and
	// the bounds of the Go API's decoders).
	CodeTooLarge Code = "TOO_LARGE"
	// CodeEvaluation: a rule failed at run time ([eligibility.EvalError]).
	CodeEvaluation Code = "EVALUATION_ERROR"
	// CodeUnknownHandle: the handle was released, or never issued.
	CodeUnknownHandle Code = "UNKNOWN_HANDLE"
	// CodeTooManyHandles: [MaxHandles] policies are held; release one.
	CodeTooManyHandles Code = "TOO_MANY_HANDLES"
	// CodeInternal: a panic, recovered; a defect of the library.
	CodeInternal Code = "INTERNAL"
)

// Bounds on the inputs beyond those of the Go API's decoders, which apply
// as they are: a request (a line of a batch) is at most
// consent.MaxJSONSize bytes of contact plus its envelope, a contact nests
// at most 16 deep, a rule file is at most rules.MaxFileSize bytes.
const (
	// MaxBatchSize bounds, in bytes, the JSON Lines of one batch: split a
	// larger audience into several calls.
	MaxBatchSize = 256 << 20
	// MaxBatchLines bounds the lines of one batch, and so its result
	// (about half a kilobyte a line).
	MaxBatchLines = 100_000
	// MaxHandles bounds the policies held at once, so that a host that
	// forgets to release cannot exhaust memory unnoticed.
	MaxHandles = 1024
)

// maxHandles is MaxHandles, lowered by tests.
var maxHandles = MaxHandles

// Error is the "error" member of a result.
type Error struct {
	Code    Code   `json:"code"`
	Message string `json:"message"`
	// Field is the path of the member at fault in a request or a
	// configuration ("contact.records[2].status"), when known.
	Field string `json:"field,omitempty"`
}

// Error implements error.
func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

// Config is the JSON form of what Compile compiles:
//
//	{"builtin": ["FR", "GB"],
//	 "rules": [{"name": "house/acme.yaml", "text": "house: acme\n..."}],
//	 "params": {"similarity_groups": {...}}}
//
// Every member is optional: {} compiles every built-in set with no
// parameters, the policy [eligibility.Default] returns.
type Config struct {
	// Builtin lists the jurisdictions of the built-in sets to compile (a
	// set's base, "EU", comes with it); absent or null: every one.
	Builtin *[]string `json:"builtin,omitempty"`
	// Rules are rule files compiled beside them, in order: house files,
	// or sets of jurisdictions of the host's own, as rules.Parse reads
	// them. Name is the file's name in errors.
	Rules []RuleFile `json:"rules,omitempty"`
	// Params are the policy parameters, in their JSON form (host
	// functions cannot cross the interface).
	Params eligibility.Params `json:"params,omitzero"`
}

// RuleFile is one rule file of a [Config]: its name and its YAML text.
type RuleFile struct {
	Name string `json:"name"`
	Text string `json:"text"`
}

// handles is the table of compiled policies.
var handles = struct {
	sync.RWMutex
	next uint64
	pols map[uint64]*eligibility.Policy
}{pols: map[uint64]*eligibility.Policy{}}

// policy returns the policy of handle h, or nil.
func policy(h uint64) *eligibility.Policy {
	handles.RLock()
	defer handles.RUnlock()
	return handles.pols[h]
}

// compiled is the result of Compile.
type compiled struct {
	Handle        uint64   `json:"handle"`
	PolicyVersion string   `json:"policy_version"`
	Jurisdictions []string `json:"jurisdictions"`
}

// Compile compiles the [Config] in config and returns
// {"handle": 1, "policy_version": "...", "jurisdictions": ["BE", ...]}, or
// {"error": ...}. The handle is a positive integer below 2^53.
func Compile(config []byte) (out []byte) {
	defer recovered(&out, nil)
	pol, e := compile(config)
	if e != nil {
		return marshal(struct {
			Error *Error `json:"error"`
		}{e})
	}
	handles.Lock()
	if len(handles.pols) >= maxHandles {
		handles.Unlock()
		return marshal(struct {
			Error *Error `json:"error"`
		}{&Error{Code: CodeTooManyHandles, Message: strconv.Itoa(MaxHandles) + " policies held: release one first"}})
	}
	handles.next++
	h := handles.next
	handles.pols[h] = pol
	handles.Unlock()
	return marshal(compiled{Handle: h, PolicyVersion: pol.Version(), Jurisdictions: pol.Jurisdictions()})
}

// compile decodes config and compiles its policy.
func compile(config []byte) (*eligibility.Policy, *Error) {
	var c Config
	if len(config) == 0 {
		config = []byte("{}")
	}
	if err := decode.JSON(config, &c); err != nil {
		return nil, errorOf(CodeInvalidConfig, err)
	}
	sets, err := rules.Builtin()
	if err != nil {
		return nil, &Error{Code: CodeInternal, Message: err.Error()}
	}
	if c.Builtin != nil {
		if sets, err = selectSets(sets, *c.Builtin); err != nil {
			return nil, &Error{Code: CodeInvalidConfig, Field: "builtin", Message: err.Error()}
		}
	}
	for i, f := range c.Rules {
		s, err := rules.Parse(f.Name, []byte(f.Text))
		if err != nil {
			return nil, &Error{Code: CodeInvalidRules, Field: "rules[" + strconv.Itoa(i) + "]", Message: err.Error()}
		}
		sets = append(sets, s)
	}
	pol, err := eligibility.Compile(sets, c.Params)
	if err != nil {
		return nil, &Error{Code: CodeInvalidRules, Message: err.Error()}
	}
	return pol, nil
}

// selectSets keeps the built-in sets of the jurisdictions named and the
// sets they extend.
func selectSets(all []*rules.Set, names []string) ([]*rules.Set, error) {
	by := map[string]*rules.Set{}
	for _, s := range all {
		by[s.Jurisdiction] = s
	}
	keep := map[string]bool{}
	for _, n := range names {
		s, ok := by[n]
		if !ok {
			return nil, fmt.Errorf("no built-in set for %q", n)
		}
		for ; s != nil && !keep[s.Jurisdiction]; s = by[s.Extends] {
			keep[s.Jurisdiction] = true
		}
	}
	return slices.DeleteFunc(all, func(s *rules.Set) bool { return !keep[s.Jurisdiction] }), nil
}

// Release releases handle h: {"released": h}, or an [CodeUnknownHandle]
// error when h is not held. Decisions in progress on h finish.
func Release(h uint64) (out []byte) {
	defer recovered(&out, nil)
	handles.Lock()
	_, ok := handles.pols[h]
	delete(handles.pols, h)
	handles.Unlock()
	if !ok {
		return marshal(struct {
			Error *Error `json:"error"`
		}{unknownHandle(h)})
	}
	return marshal(struct {
		Released uint64 `json:"released"`
	}{h})
}

// Info returns {"abi": 1, "semantics": "sendright/N", "module": "..."}: the
// interface's [Version], [eligibility.SemanticsVersion] and the module's
// version as built ("(devel)" in a development build).
func Info() (out []byte) {
	defer recovered(&out, nil)
	mod := "(unknown)"
	if bi, ok := debug.ReadBuildInfo(); ok {
		mod = bi.Main.Version
		for _, d := range bi.Deps {
			if d.Path == "github.com/sendright/sendright" {
				mod = d.Version
			}
		}
	}
	return marshal(struct {
		ABI       int    `json:"abi"`
		Semantics string `json:"semantics"`
		Module    string `json:"module"`
	}{Version, eligibility.SemanticsVersion, mod})
}

func unknownHandle(h uint64) *Error {
	return &Error{Code: CodeUnknownHandle, Message: "no policy has handle " + strconv.FormatUint(h, 10) + " (released, or never issued)"}
}

// errorOf describes err under code, with the field a
// [consent.FieldError] names; too-large inputs are [CodeTooLarge].
func errorOf(code Code, err error) *Error {
	e := &Error{Code: code, Message: err.Error()}
	var fe *consent.FieldError
	if errors.As(err, &fe) {
		e.Field = fe.Field
	}
	var ee *eligibility.EvalError
	switch {
	case errors.Is(err, consent.ErrTooLarge):
		e.Code = CodeTooLarge
	case errors.As(err, &ee):
		e.Code = CodeEvaluation
	}
	return e
}

// marshal encodes v, which never fails for the types of this package.
func marshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // recovered by the entry point
	}
	return b
}

// internalDeny is the decision of a call that panicked: made without the
// engine, which failed.
var internalDeny = eligibility.Decision{Verdict: eligibility.Deny, Basis: rules.NoLegalBasis,
	Reason: eligibility.ReasonEvaluationError, Detail: "internal error"}

// result is the result of Decide: the decision, a Deny whenever Error is
// set.
type result struct {
	Decision *eligibility.Decision `json:"decision"`
	Error    *Error                `json:"error,omitempty"`
}

// recovered turns a panic of an entry point into an [CodeInternal] error;
// deny, when not nil, writes the result of an entry point that decides,
// with a deny beside the error.
func recovered(out *[]byte, deny func(e *Error) []byte) {
	v := recover()
	if v == nil {
		return
	}
	e := &Error{Code: CodeInternal, Message: fmt.Sprint("panic: ", v)}
	defer func() {
		if recover() != nil { // the result could not be written either
			*out = []byte(internalError)
			if deny != nil {
				*out = []byte(internalDenyJSON)
			}
		}
	}()
	if deny != nil {
		*out = deny(e)
		return
	}
	*out = marshal(struct {
		Error *Error `json:"error"`
	}{e})
}

// The results of a call whose panic could not be described.
const (
	internalError    = `{"error":{"code":"INTERNAL","message":"panic"}}`
	internalDenyJSON = `{"line":0,"decision":{"verdict":"deny","basis":"no_legal_basis","origin":"law","reason":"EVALUATION_ERROR",` +
		`"detail":"internal error","obligations":[],"at":"0001-01-01T00:00:00Z","policy_version":""},` +
		`"error":{"code":"INTERNAL","message":"panic"}}` + "\n"
)
