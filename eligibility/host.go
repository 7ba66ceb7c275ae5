package eligibility

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/internal/celfast"
)

// HostValue is a type a host function's arguments and result, or a host
// variable, may take: bool, int64, string, time.Duration or time.Time,
// which are CEL's bool, int, string, duration and timestamp. A rule passes
// a constant or any expression of the matching type as an argument, and
// compares a result with constants and other values of its type.
type HostValue interface {
	bool | int64 | string | time.Duration | time.Time
}

// Function is a host's own function or variable of the rule language,
// made by [Func], [Func1], [Func2] or [Variable] and declared in
// [Params.Functions]. It is registered at compile time beside the built-in
// functions, with a typed signature, and compiles to the same closures: a
// call costs no allocation beyond what the host's code does.
//
// The Go function must be pure and safe for concurrent use: it must not
// keep or modify the contact or the message, do I/O or block; Decide
// calls no other host code. Whatever it needs from outside (a lookup, a
// segment, a score) the host decides beforehand and puts in what it
// passes, or in the function's own immutable data.
//
// Timing: when a defer rule holds a message back, Decide evaluates the
// rules again at later instants, passing each as the message's At. It
// assumes that a host function's value changes only at the instants where
// something the rules read changes (the contact's events, validity dates,
// the built-in functions' change points): a host function that reads the
// clock itself makes NotBefore inexact.
//
// Failure: an error or a panic in the Go function is a deny, never an
// allow, with reason [ReasonHostFunctionFailed] and an [*EvalError]
// naming the function (never its input, its error text or the panic's
// value), whatever the condition would have made of its result. Decide
// calls a host function only when a condition needs its value: a call
// that cannot change the condition (x || true) is never made, and one
// after a false operand of && is skipped, as CEL allows.
type Function struct {
	// Name is how rules call it: an identifier (letters, digits,
	// underscores), neither a built-in function or variable of the rule
	// language nor a CEL keyword or standard function.
	Name string
	// Version identifies the Go function's behaviour; it is part of the
	// policy's version, with the name and signature, so a changed function
	// changes the version.
	Version string
	// Cost is the Go function's worst-case work in cost units (see the
	// README's "Cost bounds"): about one unit per record or list entry it
	// examines, e.g. the length of a list it scans. A rule calling it is
	// priced with it against the policy's budgets. Zero means
	// [DefaultFunctionCost], one pass over a full ledger.
	Cost int64

	def *hostDef // set by the constructors; nil: Compile refuses it
}

// hostDef is a host function's typed signature and implementation,
// type-erased like the built-in table's [funcDef].
type hostDef struct {
	variable bool        // written bare, without parentheses
	missing  bool        // made with a nil Go function
	params   []paramInfo // in order
	result   paramInfo
	// bind compiles a call whose arguments are compiled already.
	bind func(h *hostFunc, args []cval) (cval, error)
	// late evaluates a call on cel-go's values, for the oracle tests.
	late func(h *hostFunc, st *evalState, args []ref.Val) ref.Val
}

// Func declares a host function of no argument, called in rules as
// name(). f answers it for one decision; see [Function] for what f may do.
func Func[R HostValue](name, version string, f func(c *consent.Contact, m *consent.Message) (R, error)) Function {
	return Function{Name: name, Version: version, def: &hostDef{missing: f == nil,
		result: resultInfo[R](),
		bind: func(h *hostFunc, _ []cval) (cval, error) {
			return wrapHost(func(st *evalState) (r R) {
				defer h.recover(st)
				r, err := f(st.c, &st.m)
				if err != nil {
					h.fail(st, h.errored)
				}
				return r
			}), nil
		},
		late: func(h *hostFunc, st *evalState, _ []ref.Val) ref.Val {
			return lateHost(h, st, func() (R, error) { return f(st.c, &st.m) })
		},
	}}
}

// Variable declares a host variable, written bare in rules (name, not
// name()): f answers it for one decision, as for [Func].
func Variable[R HostValue](name, version string, f func(c *consent.Contact, m *consent.Message) (R, error)) Function {
	v := Func(name, version, f)
	v.def.variable = true
	return v
}

// Func1 declares a host function of one argument, called in rules as
// name(a).
func Func1[A, R HostValue](name, version string, f func(c *consent.Contact, m *consent.Message, a A) (R, error)) Function {
	return Function{Name: name, Version: version, def: &hostDef{missing: f == nil,
		params: []paramInfo{argInfo[A]()},
		result: resultInfo[R](),
		bind: func(h *hostFunc, args []cval) (cval, error) {
			x, err := hostArg[A](args[0])
			if err != nil {
				return cval{}, err
			}
			return wrapHost(func(st *evalState) (r R) {
				defer h.recover(st)
				r, err := f(st.c, &st.m, x(st))
				if err != nil {
					h.fail(st, h.errored)
				}
				return r
			}), nil
		},
		late: func(h *hostFunc, st *evalState, args []ref.Val) ref.Val {
			x, ok := args[0].Value().(A)
			if !ok {
				return types.NewErr("%s: bad argument", h.name)
			}
			return lateHost(h, st, func() (R, error) { return f(st.c, &st.m, x) })
		},
	}}
}

// Func2 declares a host function of two arguments, called in rules as
// name(a, b).
func Func2[A, B, R HostValue](name, version string, f func(c *consent.Contact, m *consent.Message, a A, b B) (R, error)) Function {
	return Function{Name: name, Version: version, def: &hostDef{missing: f == nil,
		params: []paramInfo{argInfo[A](), argInfo[B]()},
		result: resultInfo[R](),
		bind: func(h *hostFunc, args []cval) (cval, error) {
			x, err := hostArg[A](args[0])
			if err != nil {
				return cval{}, err
			}
			y, err := hostArg[B](args[1])
			if err != nil {
				return cval{}, err
			}
			return wrapHost(func(st *evalState) (r R) {
				defer h.recover(st)
				r, err := f(st.c, &st.m, x(st), y(st))
				if err != nil {
					h.fail(st, h.errored)
				}
				return r
			}), nil
		},
		late: func(h *hostFunc, st *evalState, args []ref.Val) ref.Val {
			x, ok1 := args[0].Value().(A)
			y, ok2 := args[1].Value().(B)
			if !ok1 || !ok2 {
				return types.NewErr("%s: bad argument", h.name)
			}
			return lateHost(h, st, func() (R, error) { return f(st.c, &st.m, x, y) })
		},
	}}
}

// kindInfo maps a Go type of the host API to its CEL type.
func kindInfo(x any) (celfast.Kind, *cel.Type, string) {
	switch x.(type) {
	case bool:
		return celfast.Bool, cel.BoolType, "bool"
	case int64:
		return celfast.Int, cel.IntType, "int"
	case string:
		return celfast.String, cel.StringType, "string"
	case time.Duration:
		return celfast.Duration, cel.DurationType, "duration"
	case time.Time:
		return celfast.Timestamp, cel.TimestampType, "timestamp"
	}
	panic(fmt.Sprintf("eligibility: no CEL type for %T", x)) // unreachable: the constraints list the types
}

func resultInfo[R HostValue]() paramInfo {
	var zero R
	_, typ, name := kindInfo(zero)
	return paramInfo{name: name, typ: typ}
}

func argInfo[A HostValue]() paramInfo {
	var zero A
	_, typ, name := kindInfo(zero)
	return paramInfo{name: name, typ: typ}
}

// hostArg reads a compiled argument as an A. The CEL checker has matched
// the argument's type with the declaration already.
func hostArg[A HostValue](v cval) (func(*evalState) A, error) {
	var zero A
	k, _, name := kindInfo(zero)
	if v.Kind != k {
		return nil, fmt.Errorf("%w: a %v where a %s is expected", celfast.ErrUnsupported, v.Kind, name)
	}
	var g any
	switch k {
	case celfast.Bool:
		g = v.Bool
	case celfast.Int:
		g = v.Int
	case celfast.String:
		g = v.String
	case celfast.Duration:
		g = v.Dur
	case celfast.Timestamp:
		g = v.Time
	}
	return g.(func(*evalState) A), nil
}

// wrapHost makes a compiled value of a host closure.
func wrapHost[R HostValue](f func(*evalState) R) cval {
	switch g := any(f).(type) {
	case func(*evalState) bool:
		return cval{Kind: celfast.Bool, Bool: g}
	case func(*evalState) int64:
		return cval{Kind: celfast.Int, Int: g}
	case func(*evalState) string:
		return cval{Kind: celfast.String, String: g}
	case func(*evalState) time.Duration:
		return cval{Kind: celfast.Duration, Dur: g}
	case func(*evalState) time.Time:
		return cval{Kind: celfast.Timestamp, Time: g}
	}
	panic("eligibility: unreachable")
}

// lateHost calls a host function for cel-go; a failure is a CEL error.
func lateHost[R HostValue](h *hostFunc, st *evalState, call func() (R, error)) ref.Val {
	r := func() (r R) {
		defer h.recover(st)
		r, err := call()
		if err != nil {
			h.fail(st, h.errored)
		}
		return r
	}()
	if msg := st.err; msg != "" {
		st.err, st.errFunc = "", ""
		return types.NewErr("%s", msg)
	}
	return types.DefaultTypeAdapter.NativeToValue(r)
}

// hostFunc is a host function as compiled into one policy.
type hostFunc struct {
	name, version     string
	def               *hostDef
	errored, panicked string // the evaluation errors' messages: its name, never its input
	cost              int64  // Function.Cost
}

// recover, deferred, turns a panic of the host's code into a failure.
func (h *hostFunc) recover(st *evalState) {
	if recover() != nil {
		h.fail(st, h.panicked)
	}
}

// fail records the first failure of the decision's condition.
func (h *hostFunc) fail(st *evalState, msg string) {
	if st.err == "" {
		st.err, st.errFunc = msg, h.name
	}
}

// signature is the declaration as errors and the policy version show it,
// e.g. "tier() string" or "variable vip bool".
func (h *hostFunc) signature() string {
	if h.def.variable {
		return "variable " + h.name + " " + h.def.result.name
	}
	var ps []string
	for _, p := range h.def.params {
		ps = append(ps, p.name)
	}
	return h.name + "(" + strings.Join(ps, ", ") + ") " + h.def.result.name
}

// hostVersions maps each host function's name to its version and
// signature, for the policy version; nil when there are none.
func hostVersions(fs []Function) map[string]string {
	var m map[string]string
	for _, f := range fs {
		if m == nil {
			m = map[string]string{}
		}
		h := hostFunc{name: f.Name, def: f.def}
		m[f.Name] = f.Version + " " + h.signature()
	}
	return m
}

// reservedNames are the identifiers a host function or variable may not
// take: the rule language's variables (and the roots of its dotted ones)
// and CEL's keywords.
var reservedNames = []string{"contact", "request", varNow,
	"true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if",
	"import", "let", "loop", "package", "namespace", "return", "var", "void", "while"}

// celStandard are the names of CEL's standard functions and macros.
var celStandard = func() map[string]bool {
	env, err := cel.NewEnv()
	if err != nil {
		panic(err)
	}
	m := map[string]bool{"has": true, "all": true, "exists": true, "exists_one": true, "map": true, "filter": true}
	for name := range env.Functions() {
		m[name] = true
	}
	return m
}()

// hostFuncs checks and indexes the host's functions and variables.
func hostFuncs(fs []Function) (map[string]*hostFunc, []string) {
	var problems []string
	m := map[string]*hostFunc{}
	for _, f := range fs {
		switch {
		case !identifier.MatchString(f.Name):
			problems = append(problems, fmt.Sprintf("function %q: want an identifier", clip(f.Name)))
		case funcByName[f.Name] != nil:
			problems = append(problems, fmt.Sprintf("function %s: a built-in function of the rule language", f.Name))
		case slices.Contains(reservedNames, f.Name):
			problems = append(problems, fmt.Sprintf("function %s: a reserved name of the rule language", f.Name))
		case celStandard[f.Name]:
			problems = append(problems, fmt.Sprintf("function %s: a standard function of CEL", f.Name))
		case m[f.Name] != nil:
			problems = append(problems, fmt.Sprintf("function %s: declared twice", f.Name))
		case f.def == nil:
			problems = append(problems, fmt.Sprintf("function %s: not made by eligibility.Func, Func1, Func2 or Variable", f.Name))
		case f.def.missing:
			problems = append(problems, fmt.Sprintf("function %s: no Go function", f.Name))
		case f.Cost < 0:
			problems = append(problems, fmt.Sprintf("function %s: a negative cost", f.Name))
		default:
			m[f.Name] = &hostFunc{name: f.Name, version: f.Version, def: f.def, cost: f.Cost,
				errored:  "host function " + f.Name + " returned an error",
				panicked: "host function " + f.Name + " panicked"}
		}
	}
	return m, problems
}

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// hostOptions declares the host's functions and variables to CEL.
func hostOptions(host map[string]*hostFunc) []cel.EnvOption {
	var opts []cel.EnvOption
	for _, name := range slices.Sorted(maps.Keys(host)) {
		h := host[name]
		if h.def.variable {
			opts = append(opts, cel.Variable(name, h.def.result.typ))
			continue
		}
		var args []*cel.Type
		for _, p := range h.def.params {
			args = append(args, p.typ)
		}
		opts = append(opts, cel.Function(name, cel.Overload(name+"_overload", args, h.def.result.typ, cel.LateFunctionBinding())))
	}
	return opts
}
