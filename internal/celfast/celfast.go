// Package celfast compiles checked CEL expressions into typed Go closures
// over a host state type S, for the subset of CEL that rule conditions use:
// boolean logic, comparisons and equality of same-typed primitives,
// membership in a constant list, the conditional operator, timestamp and
// duration literals, variables and host functions supplied by a Binder.
//
// Within that subset no operation can fail at run time, so the closures
// return plain values, and short-circuit evaluation gives exactly CEL's
// commutative && and || results. Anything outside the subset — arithmetic,
// which can overflow; field selection, has(), macros, maps, bytes, null,
// cross-type numeric comparison — is reported by Compile as an [*Error]
// naming the sub-expression at fault, so that the caller can reject the
// expression with its position.
package celfast

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/overloads"
	"cel.dev/cel-go/common/types"
)

// Kind is the CEL type of a compiled value.
type Kind uint8

// Kinds.
const (
	Bool      Kind = iota + 1 // a bool, read through Value.Bool
	Int                       // an int64, read through Value.Int
	Uint                      // a uint64, read through Value.Uint
	Double                    // a float64, read through Value.Double
	String                    // a string, read through Value.String
	Timestamp                 // a time.Time, read through Value.Time
	Duration                  // a time.Duration, read through Value.Dur
)

var kindNames = [...]string{"", "bool", "int", "uint", "double", "string", "timestamp", "duration"}

// String returns the CEL name of the kind, e.g. "timestamp".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "invalid"
}

// Value is a compiled sub-expression of kind Kind. The field matching Kind
// is set; Const holds the value of a constant expression.
type Value[S any] struct {
	Kind   Kind                   // the CEL type, which says which closure is set
	Bool   func(*S) bool          // set when Kind is Bool
	Int    func(*S) int64         // set when Kind is Int
	Uint   func(*S) uint64        // set when Kind is Uint
	Double func(*S) float64       // set when Kind is Double
	String func(*S) string        // set when Kind is String
	Time   func(*S) time.Time     // set when Kind is Timestamp
	Dur    func(*S) time.Duration // set when Kind is Duration

	IsConst bool // the expression is constant: Const holds its value, and the closure returns it
	Const   any  // bool, int64, uint64, float64, string, time.Time or time.Duration

	// Enum, when set on a String value, reads it as a small integer; string
	// constants compared with it are folded into integers at compile time.
	Enum *Enum[S]
}

// Enum reads an enumerated string value by number.
type Enum[S any] struct {
	Name  string                     // the vocabulary, so a binder can refuse another one's numbers
	Get   func(*S) uint8             // the value's number in the vocabulary
	Parse func(string) (uint8, bool) // text → number; false when not a member
}

// Binder supplies variables and host functions.
type Binder[S any] interface {
	// Var returns the compiled accessor of a declared variable.
	Var(name string) (Value[S], bool)
	// Call compiles a call to a host function. It returns ErrUnsupported
	// (possibly wrapped) for a function it does not implement natively.
	Call(function string, args []Value[S]) (Value[S], error)
}

// ErrUnsupported reports an expression outside the compiled subset.
var ErrUnsupported = errors.New("celfast: unsupported expression")

// Error is an expression outside the compiled subset. ID is the id of the
// innermost sub-expression at fault in the checked AST, so that a caller can
// turn it into a source position (ast.SourceInfo.GetStartLocation). It
// wraps [ErrUnsupported].
type Error struct {
	ID  int64 // the sub-expression at fault
	Err error // the problem; wraps ErrUnsupported
}

// Error implements error.
func (e *Error) Error() string { return e.Err.Error() }

// Unwrap returns the problem, which wraps [ErrUnsupported].
func (e *Error) Unwrap() error { return e.Err }

// Reason is the problem in words, without the package prefix.
func (e *Error) Reason() string {
	return strings.TrimPrefix(strings.TrimPrefix(e.Err.Error(), ErrUnsupported.Error()), ": ")
}

func unsupported(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrUnsupported}, args...)...)
}

// Compile compiles a checked boolean expression. It fails with
// ErrUnsupported when any part is outside the subset.
func Compile[S any](a *ast.AST, b Binder[S]) (func(*S) bool, error) {
	v, err := CompileValue(a, b)
	if err != nil {
		return nil, err
	}
	return v.Bool, nil
}

// CompileValue is like Compile but returns the Value, so that callers can
// see when the expression folded to a constant (for example because the
// binder fixed some variables).
func CompileValue[S any](a *ast.AST, b Binder[S]) (Value[S], error) {
	if !a.IsChecked() {
		return Value[S]{}, unsupported("expression is not type-checked")
	}
	c := &compiler[S]{refs: a.ReferenceMap(), b: b}
	v, err := c.expr(a.Expr())
	if err != nil {
		return Value[S]{}, err
	}
	if v.Kind != Bool {
		return Value[S]{}, unsupported("result is %v, not bool", v.Kind)
	}
	return v, nil
}

type compiler[S any] struct {
	refs map[int64]*ast.ReferenceInfo
	b    Binder[S]
}

// constant returns a constant Value of the Go value x.
func constant[S any](x any) (Value[S], error) {
	v := Value[S]{IsConst: true, Const: x}
	switch x := x.(type) {
	case bool:
		v.Kind, v.Bool = Bool, func(*S) bool { return x }
	case int64:
		v.Kind, v.Int = Int, func(*S) int64 { return x }
	case uint64:
		v.Kind, v.Uint = Uint, func(*S) uint64 { return x }
	case float64:
		v.Kind, v.Double = Double, func(*S) float64 { return x }
	case string:
		v.Kind, v.String = String, func(*S) string { return x }
	case time.Time:
		v.Kind, v.Time = Timestamp, func(*S) time.Time { return x }
	case time.Duration:
		v.Kind, v.Dur = Duration, func(*S) time.Duration { return x }
	default:
		return v, unsupported("constant of type %T", x)
	}
	return v, nil
}

// expr compiles e; an error not yet attributed to a sub-expression is
// attributed to e, so the innermost failing expression is named.
func (c *compiler[S]) expr(e ast.Expr) (Value[S], error) {
	v, err := c.expr1(e)
	if err != nil {
		// A binder's own error (not ErrUnsupported) is passed on as it is.
		if _, ok := err.(*Error); !ok && errors.Is(err, ErrUnsupported) {
			err = &Error{ID: e.ID(), Err: err}
		}
	}
	return v, err
}

func (c *compiler[S]) expr1(e ast.Expr) (Value[S], error) {
	switch e.Kind() {
	case ast.LiteralKind:
		switch l := e.AsLiteral().(type) {
		case types.Bool:
			return constant[S](bool(l))
		case types.Int:
			return constant[S](int64(l))
		case types.Uint:
			return constant[S](uint64(l))
		case types.Double:
			return constant[S](float64(l))
		case types.String:
			return constant[S](string(l))
		}
		return Value[S]{}, unsupported("literal of type %v", e.AsLiteral().Type())
	case ast.IdentKind, ast.SelectKind:
		if e.Kind() == ast.SelectKind && e.AsSelect().IsTestOnly() {
			return Value[S]{}, unsupported("has()")
		}
		ref, ok := c.refs[e.ID()]
		if !ok || ref.Value != nil || ref.Name == "" {
			return Value[S]{}, unsupported("field selection or constant reference")
		}
		v, ok := c.b.Var(ref.Name)
		if !ok {
			return Value[S]{}, unsupported("variable %s", ref.Name)
		}
		return v, nil
	case ast.CallKind:
		return c.call(e)
	}
	return Value[S]{}, unsupported("%v expression", e.Kind())
}

func (c *compiler[S]) call(e ast.Expr) (Value[S], error) {
	call := e.AsCall()
	fn := call.FunctionName()
	if call.IsMemberFunction() {
		return Value[S]{}, unsupported("member call %s", fn)
	}
	argExprs := call.Args()
	if fn == operators.In {
		return c.in(argExprs[0], argExprs[1])
	}
	args := make([]Value[S], len(argExprs))
	for i, a := range argExprs {
		v, err := c.expr(a)
		if err != nil {
			return Value[S]{}, err
		}
		args[i] = v
	}
	switch fn {
	case operators.LogicalAnd, operators.LogicalOr:
		return logical(fn == operators.LogicalAnd, args[0], args[1])
	case operators.LogicalNot:
		if args[0].Kind != Bool {
			return Value[S]{}, unsupported("! on %v", args[0].Kind)
		}
		if args[0].IsConst {
			return constant[S](!args[0].Const.(bool))
		}
		x := args[0].Bool
		return Value[S]{Kind: Bool, Bool: func(s *S) bool { return !x(s) }}, nil
	case operators.Equals, operators.NotEquals:
		v, err := equal(args[0], args[1])
		if err != nil || fn == operators.Equals {
			return v, err
		}
		if v.IsConst {
			return constant[S](!v.Const.(bool))
		}
		x := v.Bool
		return Value[S]{Kind: Bool, Bool: func(s *S) bool { return !x(s) }}, nil
	case operators.Less, operators.LessEquals, operators.Greater, operators.GreaterEquals:
		return order(fn, args[0], args[1])
	case operators.Conditional:
		return conditional(args[0], args[1], args[2])
	case overloads.TypeConvertTimestamp, overloads.TypeConvertDuration:
		return convert(fn, args)
	}
	return c.b.Call(fn, args)
}

// logical compiles && and ||, folding constants. Without errors in the
// subset, short-circuit evaluation equals CEL's commutative semantics.
func logical[S any](and bool, a, b Value[S]) (Value[S], error) {
	if a.Kind != Bool || b.Kind != Bool {
		return Value[S]{}, unsupported("logical operator on %v, %v", a.Kind, b.Kind)
	}
	// A constant operand either decides the result or drops out.
	for _, p := range [2][2]Value[S]{{a, b}, {b, a}} {
		if k := p[0]; k.IsConst {
			if k.Const.(bool) != and { // false && x, true || x
				return constant[S](!and)
			}
			return p[1], nil
		}
	}
	x, y := a.Bool, b.Bool
	if and {
		return Value[S]{Kind: Bool, Bool: func(s *S) bool { return x(s) && y(s) }}, nil
	}
	return Value[S]{Kind: Bool, Bool: func(s *S) bool { return x(s) || y(s) }}, nil
}

// equal compiles ==. Operands must have one kind; an enum compared with a
// string constant compares numbers.
func equal[S any](a, b Value[S]) (Value[S], error) {
	if a.Kind != b.Kind {
		return Value[S]{}, unsupported("== between %v and %v", a.Kind, b.Kind)
	}
	if a.IsConst && b.IsConst {
		eq := a.Const == b.Const
		if a.Kind == Timestamp {
			eq = a.Const.(time.Time).Equal(b.Const.(time.Time))
		}
		return constant[S](eq)
	}
	if a.IsConst {
		a, b = b, a
	}
	if a.Kind == String && a.Enum != nil && b.IsConst {
		n, ok := a.Enum.Parse(b.Const.(string))
		if !ok {
			return constant[S](false) // the enum never holds that text
		}
		get := a.Enum.Get
		return Value[S]{Kind: Bool, Bool: func(s *S) bool { return get(s) == n }}, nil
	}
	var f func(*S) bool
	switch a.Kind {
	case Bool:
		f = same(a.Bool, b.Bool)
	case Int:
		f = same(a.Int, b.Int)
	case Uint:
		f = same(a.Uint, b.Uint)
	case Double:
		f = same(a.Double, b.Double) // NaN != NaN, as in CEL
	case String:
		f = same(a.String, b.String)
	case Timestamp:
		x, y := a.Time, b.Time
		f = func(s *S) bool { return x(s).Equal(y(s)) }
	case Duration:
		f = same(a.Dur, b.Dur)
	default:
		return Value[S]{}, unsupported("== on %v", a.Kind)
	}
	return Value[S]{Kind: Bool, Bool: f}, nil
}

// same compiles x == y for a comparable kind.
func same[S any, T comparable](x, y func(*S) T) func(*S) bool {
	return func(s *S) bool { return x(s) == y(s) }
}

// order compiles <, <=, > and >= on operands of one ordered kind.
func order[S any](op string, a, b Value[S]) (Value[S], error) {
	if a.Kind != b.Kind {
		return Value[S]{}, unsupported("%s between %v and %v", op, a.Kind, b.Kind)
	}
	var cmp func(*S) int // -1, 0, 1; 2 when unordered (NaN)
	switch a.Kind {
	case Bool:
		x, y := a.Bool, b.Bool
		cmp = func(s *S) int { return compareBool(x(s), y(s)) }
	case Int:
		cmp = ordered(a.Int, b.Int)
	case Uint:
		cmp = ordered(a.Uint, b.Uint)
	case Double:
		cmp = ordered(a.Double, b.Double)
	case String:
		cmp = ordered(a.String, b.String)
	case Timestamp:
		x, y := a.Time, b.Time
		cmp = func(s *S) int { return x(s).Compare(y(s)) }
	case Duration:
		cmp = ordered(a.Dur, b.Dur)
	default:
		return Value[S]{}, unsupported("%s on %v", op, a.Kind)
	}
	var f func(*S) bool
	switch op {
	case operators.Less:
		f = func(s *S) bool { return cmp(s) == -1 }
	case operators.LessEquals:
		f = func(s *S) bool { c := cmp(s); return c == -1 || c == 0 }
	case operators.Greater:
		f = func(s *S) bool { return cmp(s) == 1 }
	default:
		f = func(s *S) bool { c := cmp(s); return c == 1 || c == 0 }
	}
	if a.IsConst && b.IsConst {
		var zero S
		return constant[S](f(&zero))
	}
	return Value[S]{Kind: Bool, Bool: f}, nil
}

func compareBool(x, y bool) int {
	switch {
	case x == y:
		return 0
	case !x:
		return -1
	}
	return 1
}

// ordered compiles the comparison of two values of an ordered kind.
func ordered[S any, T int64 | uint64 | float64 | string | time.Duration](x, y func(*S) T) func(*S) int {
	return func(s *S) int { return compareOrdered(x(s), y(s)) }
}

// compareOrdered is cmp.Compare without its NaN ordering: CEL comparisons
// involving NaN are false.
func compareOrdered[T int64 | uint64 | float64 | string | time.Duration](x, y T) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	case x == y:
		return 0
	}
	return 2
}

// in compiles membership in a list literal of constants of the left
// operand's kind.
func (c *compiler[S]) in(left, right ast.Expr) (Value[S], error) {
	if right.Kind() != ast.ListKind {
		return Value[S]{}, unsupported("in on a non-literal list")
	}
	l, err := c.expr(left)
	if err != nil {
		return Value[S]{}, err
	}
	list := right.AsList()
	if len(list.OptionalIndices()) > 0 {
		return Value[S]{}, unsupported("optional list elements")
	}
	var elems []any
	for _, el := range list.Elements() {
		v, err := c.expr(el)
		if err != nil {
			return Value[S]{}, err
		}
		if !v.IsConst || v.Kind != l.Kind || v.Kind == Timestamp || v.Kind == Double {
			return Value[S]{}, unsupported("in: list of non-constant or mixed elements")
		}
		elems = append(elems, v.Const)
	}
	if l.IsConst {
		for _, x := range elems {
			if x == l.Const {
				return constant[S](true)
			}
		}
		return constant[S](false)
	}
	if l.Kind == String && l.Enum != nil {
		var mask uint64
		for _, x := range elems {
			if n, ok := l.Enum.Parse(x.(string)); ok && n < 64 {
				mask |= 1 << n
			} else if ok {
				return Value[S]{}, unsupported("enum value above 63")
			}
		}
		get := l.Enum.Get
		return Value[S]{Kind: Bool, Bool: func(s *S) bool { return mask&(1<<get(s)) != 0 }}, nil
	}
	switch l.Kind {
	case String:
		set := make(map[string]struct{}, len(elems))
		for _, x := range elems {
			set[x.(string)] = struct{}{}
		}
		get := l.String
		if len(elems) <= 4 { // a short list is faster scanned than hashed
			strs := make([]string, 0, len(elems))
			for x := range set {
				strs = append(strs, x)
			}
			return Value[S]{Kind: Bool, Bool: func(s *S) bool {
				v := get(s)
				for _, x := range strs {
					if v == x {
						return true
					}
				}
				return false
			}}, nil
		}
		return Value[S]{Kind: Bool, Bool: func(s *S) bool { _, ok := set[get(s)]; return ok }}, nil
	case Int:
		return inList(l.Int, elems), nil
	case Uint:
		return inList(l.Uint, elems), nil
	case Bool:
		return inList(l.Bool, elems), nil
	case Duration:
		return inList(l.Dur, elems), nil
	}
	return Value[S]{}, unsupported("in on %v", l.Kind)
}

// inList tests membership of a typed value in constant elements.
func inList[S any, T comparable](get func(*S) T, elems []any) Value[S] {
	typed := make([]T, len(elems))
	for i, x := range elems {
		typed[i] = x.(T)
	}
	return Value[S]{Kind: Bool, Bool: func(s *S) bool {
		v := get(s)
		for _, x := range typed {
			if v == x {
				return true
			}
		}
		return false
	}}
}

// conditional compiles c ? a : b.
func conditional[S any](c, a, b Value[S]) (Value[S], error) {
	if c.Kind != Bool || a.Kind != b.Kind {
		return Value[S]{}, unsupported("?: with %v condition and %v, %v branches", c.Kind, a.Kind, b.Kind)
	}
	if c.IsConst {
		if c.Const.(bool) {
			return a, nil
		}
		return b, nil
	}
	cond := c.Bool
	v := Value[S]{Kind: a.Kind}
	switch a.Kind {
	case Bool:
		v.Bool = choose(cond, a.Bool, b.Bool)
	case Int:
		v.Int = choose(cond, a.Int, b.Int)
	case Uint:
		v.Uint = choose(cond, a.Uint, b.Uint)
	case Double:
		v.Double = choose(cond, a.Double, b.Double)
	case String:
		v.String = choose(cond, a.String, b.String)
	case Timestamp:
		v.Time = choose(cond, a.Time, b.Time)
	case Duration:
		v.Dur = choose(cond, a.Dur, b.Dur)
	default:
		return Value[S]{}, unsupported("?: of %v", a.Kind)
	}
	return v, nil
}

// choose is cond ? x : y, evaluating only the branch taken.
func choose[S, T any](cond func(*S) bool, x, y func(*S) T) func(*S) T {
	return func(s *S) T {
		if cond(s) {
			return x(s)
		}
		return y(s)
	}
}

// convert folds timestamp('…') and duration('…') of a constant string with
// cel-go's own conversion, so that validity and range checks are CEL's. A
// conversion that would fail at run time is left to cel-go.
func convert[S any](fn string, args []Value[S]) (Value[S], error) {
	if len(args) != 1 || !args[0].IsConst || args[0].Kind != String {
		if len(args) == 1 && args[0].Kind == Timestamp && fn == overloads.TypeConvertTimestamp {
			return args[0], nil
		}
		if len(args) == 1 && args[0].Kind == Duration && fn == overloads.TypeConvertDuration {
			return args[0], nil
		}
		return Value[S]{}, unsupported("%s of a non-constant", fn)
	}
	target := types.TimestampType
	if fn == overloads.TypeConvertDuration {
		target = types.DurationType
	}
	out := types.String(args[0].Const.(string)).ConvertToType(target)
	switch v := out.(type) {
	case types.Timestamp:
		return constant[S](v.Time)
	case types.Duration:
		return constant[S](v.Duration)
	}
	return Value[S]{}, unsupported("%s of an invalid literal", fn)
}
