package celfast_test

// Differential tests: random CEL expressions over a typed state are
// compiled by celfast and by cel-go; whenever celfast claims an expression
// (Compile succeeds), its closure must give cel-go's result on the same
// inputs, and cel-go must not fail on those inputs.

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"

	"github.com/sendright/sendright/internal/celfast"
)

// oState is the host state of the differential tests.
type oState struct {
	Flag      bool
	I, J      int64
	U         uint64
	X, Y      float64
	S, T      string
	E         string // always a member of enumVocab
	At, Until time.Time
	TTL       time.Duration
}

func (s *oState) String() string {
	return fmt.Sprintf("{flag:%v i:%d j:%d u:%d x:%v y:%v s:%q t:%q msg.status:%q at:%s until:%s ttl:%v}",
		s.Flag, s.I, s.J, s.U, s.X, s.Y, s.S, s.T, s.E,
		s.At.Format(time.RFC3339Nano), s.Until.Format(time.RFC3339Nano), int64(s.TTL))
}

// activation returns the cel-go variables of s.
func (s *oState) activation() map[string]any {
	return map[string]any{
		"flag": s.Flag, "i": s.I, "j": s.J, "u": s.U, "x": s.X, "y": s.Y,
		"s": s.S, "t": s.T, enumVar: s.E, "at": s.At, "until": s.Until, "ttl": s.TTL,
		"num": s.I,
	}
}

// enumVar is the enumerated string variable; its dotted name makes the
// checker resolve a select expression to a variable.
const enumVar = "msg.status"

var enumVocab = []string{"draft", "queued", "sent", "bounced"}

// parseEnum maps the vocabulary to 1..n.
func parseEnum(text string) (uint8, bool) {
	for i, v := range enumVocab {
		if v == text {
			return uint8(i + 1), true
		}
	}
	return 0, false
}

func enumNumber(s *oState) uint8 {
	n, ok := parseEnum(s.E)
	if !ok {
		panic("state enum " + strconv.Quote(s.E) + " outside the vocabulary")
	}
	return n
}

type oValue = celfast.Value[oState]

// oBinder exposes oState. When fixed is set, flag, i and msg.status are compile-time
// constants taken from it (as rules.binder fixes purpose and kind), so that
// the constant-folding paths run on the same inputs.
type oBinder struct{ fixed *oState }

func (b oBinder) Var(name string) (oValue, bool) {
	if f := b.fixed; f != nil {
		switch name {
		case "flag":
			v := f.Flag
			return oValue{Kind: celfast.Bool, IsConst: true, Const: v, Bool: func(*oState) bool { return v }}, true
		case "i":
			v := f.I
			return oValue{Kind: celfast.Int, IsConst: true, Const: v, Int: func(*oState) int64 { return v }}, true
		case enumVar:
			v, n := f.E, enumNumber(f)
			return oValue{Kind: celfast.String, IsConst: true, Const: v,
				String: func(*oState) string { return v },
				Enum:   &celfast.Enum[oState]{Get: func(*oState) uint8 { return n }, Parse: parseEnum}}, true
		}
	}
	switch name {
	case "flag":
		return oValue{Kind: celfast.Bool, Bool: func(s *oState) bool { return s.Flag }}, true
	case "i":
		return oValue{Kind: celfast.Int, Int: func(s *oState) int64 { return s.I }}, true
	case "j":
		return oValue{Kind: celfast.Int, Int: func(s *oState) int64 { return s.J }}, true
	case "u":
		return oValue{Kind: celfast.Uint, Uint: func(s *oState) uint64 { return s.U }}, true
	case "x":
		return oValue{Kind: celfast.Double, Double: func(s *oState) float64 { return s.X }}, true
	case "y":
		return oValue{Kind: celfast.Double, Double: func(s *oState) float64 { return s.Y }}, true
	case "s":
		return oValue{Kind: celfast.String, String: func(s *oState) string { return s.S }}, true
	case "t":
		return oValue{Kind: celfast.String, String: func(s *oState) string { return s.T }}, true
	case enumVar:
		return oValue{Kind: celfast.String, String: func(s *oState) string { return s.E },
			Enum: &celfast.Enum[oState]{Get: enumNumber, Parse: parseEnum}}, true
	case "at":
		return oValue{Kind: celfast.Timestamp, Time: func(s *oState) time.Time { return s.At }}, true
	case "until":
		return oValue{Kind: celfast.Timestamp, Time: func(s *oState) time.Time { return s.Until }}, true
	case "ttl":
		return oValue{Kind: celfast.Duration, Dur: func(s *oState) time.Duration { return s.TTL }}, true
	case "num": // declared dyn; the binder knows it holds an int
		return oValue{Kind: celfast.Int, Int: func(s *oState) int64 { return s.I }}, true
	}
	return oValue{}, false
}

func isEven(n int64) bool { return n%2 == 0 }

func (oBinder) Call(fn string, args []oValue) (oValue, error) {
	if fn == "isEven" && len(args) == 1 && args[0].Kind == celfast.Int {
		f := args[0].Int
		return oValue{Kind: celfast.Bool, Bool: func(s *oState) bool { return isEven(f(s)) }}, nil
	}
	return oValue{}, fmt.Errorf("%w: function %s", celfast.ErrUnsupported, fn)
}

func oracleEnv(t testing.TB, extra ...cel.EnvOption) *cel.Env {
	t.Helper()
	env, err := cel.NewEnv(append([]cel.EnvOption{
		cel.CrossTypeNumericComparisons(true), // so that 1 < 1.5 type-checks
		cel.Variable("flag", cel.BoolType),
		cel.Variable("i", cel.IntType),
		cel.Variable("j", cel.IntType),
		cel.Variable("u", cel.UintType),
		cel.Variable("x", cel.DoubleType),
		cel.Variable("y", cel.DoubleType),
		cel.Variable("s", cel.StringType),
		cel.Variable("t", cel.StringType),
		cel.Variable(enumVar, cel.StringType),
		cel.Variable("at", cel.TimestampType),
		cel.Variable("until", cel.TimestampType),
		cel.Variable("ttl", cel.DurationType),
		cel.Variable("num", cel.DynType),
		cel.Function("isEven", cel.Overload("isEven_int", []*cel.Type{cel.IntType}, cel.BoolType,
			cel.UnaryBinding(func(v ref.Val) ref.Val { return types.Bool(isEven(int64(v.(types.Int)))) }))),
	}, extra...)...)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// Value pools shared by the literal generator and the state generator, so
// that equality and membership are often true.
var (
	intPool    = []int64{0, 1, -1, 2, 7, -8, 1000, math.MaxInt64, math.MinInt64}
	uintPool   = []uint64{0, 1, 2, 7, 1000, math.MaxUint64}
	doublePool = []float64{0, math.Copysign(0, -1), 1, 1.5, -2.5, 1e308, math.MaxFloat64, math.SmallestNonzeroFloat64, -1e-300}
	stringPool = []string{"", "a", "abc", "ab", "B", "é", "e\u0301", "日本", "\U0001F600", "a\x00", " ", "draft", "Draft", "sent", "zzz"}
	timePool   = []string{
		"1970-01-01T00:00:00Z", "2024-02-29T12:00:00Z", "2024-02-29T13:00:00+01:00", "2024-02-29T12:00:00.000000001Z",
		"0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2000-01-01T00:00:00-23:59",
	}
	badTimePool = []string{
		"not a time", "9999-12-31T23:59:60Z", "2024-02-30T00:00:00Z", "0000-01-01T00:00:00Z", "10000-01-01T00:00:00Z",
		"2024-02-29", "2024-02-29T12:00:00", "2024-02-29 12:00:00Z", "2024-02-29T12:00:00+24:00", "", "2024-02-29t12:00:00z",
	}
	durPool    = []string{"0s", "1s", "-1s", "1h30m", "1.5s", "1ns", "2562047h", "-2562047h", "9223372036854775807ns", "-9223372036854775808ns", "90m"}
	badDurPool = []string{"bad", "1d", "2562048h", "9223372036854775808ns", "", "1", "--1s"}
)

func mustTime(s string) time.Time {
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return v
}

func mustDur(s string) time.Duration {
	v, err := time.ParseDuration(s)
	if err != nil {
		panic(err)
	}
	return v
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// randState draws a variable assignment, mostly from the pools.
func randState(r *rand.Rand) oState {
	rInt := func() int64 {
		if r.IntN(4) == 0 {
			return r.Int64N(21) - 10
		}
		return pick(r, intPool)
	}
	rDouble := func() float64 {
		switch r.IntN(8) {
		case 0:
			return math.NaN()
		case 1:
			return math.Inf(1)
		case 2:
			return math.Inf(-1)
		case 3:
			return float64(r.IntN(7)) - 3
		}
		return pick(r, doublePool)
	}
	rTime := func() time.Time {
		switch r.IntN(4) {
		case 0:
			return time.Unix(r.Int64N(4e9)-1e9, r.Int64N(1e9)).UTC()
		case 1: // same instants in another zone
			return mustTime(pick(r, timePool)).In(time.FixedZone("X", 5*3600))
		}
		return mustTime(pick(r, timePool))
	}
	rDur := func() time.Duration {
		if r.IntN(4) == 0 {
			return time.Duration(r.Int64N(7)-3) * time.Second
		}
		return mustDur(pick(r, durPool))
	}
	return oState{
		Flag: r.IntN(2) == 0,
		I:    rInt(), J: rInt(),
		U: func() uint64 {
			if r.IntN(4) == 0 {
				return r.Uint64N(8)
			}
			return pick(r, uintPool)
		}(),
		X: rDouble(), Y: rDouble(),
		S: pick(r, stringPool), T: pick(r, stringPool), E: pick(r, enumVocab),
		At: rTime(), Until: rTime(), TTL: rDur(),
	}
}

type gkind int

const (
	gBool gkind = iota
	gInt
	gUint
	gDouble
	gString
	gTime
	gDur
	nKinds
)

// exprGen generates expression text of a requested CEL type. Most nodes
// are in celfast's subset; with probability unsup a node is a construct
// outside it.
type exprGen struct {
	r     *rand.Rand
	unsup float64
}

func (g *exprGen) chance(p float64) bool { return g.r.Float64() < p }

func (g *exprGen) lit(k gkind) string {
	r := g.r
	switch k {
	case gBool:
		return pick(r, []string{"true", "false"})
	case gInt:
		return strconv.FormatInt(pick(r, intPool), 10)
	case gUint:
		return strconv.FormatUint(pick(r, uintPool), 10) + "u"
	case gDouble:
		v := pick(r, doublePool)
		s := strconv.FormatFloat(v, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eE") {
			s += ".0"
		}
		if math.Signbit(v) && v == 0 {
			s = "-0.0"
		}
		return s
	case gString:
		if g.chance(0.3) {
			return strconv.Quote(pick(r, enumVocab))
		}
		return strconv.Quote(pick(r, stringPool))
	case gTime:
		if g.chance(0.12) {
			return "timestamp(" + strconv.Quote(pick(r, badTimePool)) + ")"
		}
		return "timestamp('" + pick(r, timePool) + "')"
	case gDur:
		if g.chance(0.12) {
			return "duration(" + strconv.Quote(pick(r, badDurPool)) + ")"
		}
		return "duration('" + pick(r, durPool) + "')"
	}
	panic(k)
}

func (g *exprGen) leaf(k gkind) string {
	if k == gBool && g.chance(0.4) {
		return g.compare(0) // an atomic comparison of leaves
	}
	if g.chance(0.45) {
		return g.lit(k)
	}
	r := g.r
	switch k {
	case gBool:
		return "flag"
	case gInt:
		return pick(r, []string{"i", "j"})
	case gUint:
		return "u"
	case gDouble:
		return pick(r, []string{"x", "y"})
	case gString:
		return pick(r, []string{"s", "t", enumVar, enumVar})
	case gTime:
		return pick(r, []string{"at", "until"})
	case gDur:
		return "ttl"
	}
	panic(k)
}

func (g *exprGen) gen(k gkind, depth int) string {
	if depth <= 0 || g.chance(0.15) {
		return g.leaf(k)
	}
	if g.chance(g.unsup) {
		return g.unsupported(k, depth-1)
	}
	d := depth - 1
	if k != gBool {
		switch {
		case g.chance(0.4):
			return "(" + g.gen(gBool, d) + " ? " + g.gen(k, d) + " : " + g.gen(k, d) + ")"
		case k == gTime && g.chance(0.2):
			return "timestamp(" + g.gen(gTime, d) + ")"
		case k == gDur && g.chance(0.2):
			return "duration(" + g.gen(gDur, d) + ")"
		}
		return g.leaf(k)
	}
	switch n := g.r.IntN(20); {
	case n < 4:
		return "(" + g.gen(gBool, d) + " && " + g.gen(gBool, d) + ")"
	case n < 8:
		return "(" + g.gen(gBool, d) + " || " + g.gen(gBool, d) + ")"
	case n < 9:
		return "!" + g.gen(gBool, d)
	case n < 14:
		return g.compare(d)
	case n < 16:
		return "(" + g.gen(gBool, d) + " ? " + g.gen(gBool, d) + " : " + g.gen(gBool, d) + ")"
	case n < 19:
		return g.in(d)
	default:
		return "isEven(" + g.gen(gInt, d) + ")"
	}
}

func (g *exprGen) operand(k gkind, d int) string {
	if k == gString && g.chance(0.4) {
		return enumVar
	}
	return g.gen(k, d)
}

func (g *exprGen) compare(d int) string {
	k := gkind(g.r.IntN(int(nKinds)))
	op := pick(g.r, []string{"==", "!=", "<", "<=", ">", ">="})
	a, b := g.operand(k, d), g.operand(k, d)
	if g.chance(0.5) {
		a, b = b, a
	}
	return "(" + a + " " + op + " " + b + ")"
}

// in generates `x in [constants]`, sometimes with elements or kinds that
// celfast does not fold (variables, mixed kinds, doubles, timestamps).
func (g *exprGen) in(d int) string {
	k := pick(g.r, []gkind{gBool, gInt, gUint, gString, gString, gString, gDur, gDouble, gTime})
	n := g.r.IntN(6)
	elems := make([]string, n)
	for i := range elems {
		switch {
		case g.chance(0.04):
			elems[i] = g.leaf(k) // maybe a variable
		case g.chance(0.03):
			elems[i] = g.lit(gkind(g.r.IntN(int(nKinds)))) // maybe another kind
		case g.chance(0.05):
			elems[i] = "(true ? " + g.lit(k) + " : " + g.lit(k) + ")" // folds to a constant
		default:
			elems[i] = g.lit(k)
		}
	}
	return "(" + g.operand(k, d) + " in [" + strings.Join(elems, ", ") + "])"
}

// unsupported returns a construct outside the subset, of type k when it
// type-checks at all.
func (g *exprGen) unsupported(k gkind, d int) string {
	x := func(k gkind) string { return g.gen(k, d) }
	f := func(format string, args ...gkind) string {
		s := make([]any, len(args))
		for i, a := range args {
			s[i] = x(a)
		}
		return fmt.Sprintf(format, s...)
	}
	r := g.r
	switch k {
	case gBool:
		return pick(r, []func() string{
			func() string { return f("%s.startsWith(%s)", gString, gString) },
			func() string { return f("%s.endsWith(%s)", gString, gString) },
			func() string { return f("%s.contains(%s)", gString, gString) },
			func() string { return f("%s.matches(%s)", gString, gString) },
			func() string { return f("has({'a': %s}.a)", gInt) },
			func() string { return f("([%s, %s] == [%s])", gInt, gInt, gInt) },
			func() string { return f("({'a': %s} == {'a': %s})", gInt, gInt) },
			func() string { return f("(%s < %s)", gInt, gDouble) },
			func() string { return f("(%s >= %s)", gUint, gInt) },
			func() string { return f("(%s == %s)", gInt, gUint) },
			func() string { return f("(%s in [%s, %s])", gInt, gDouble, gUint) },
			func() string { return f("(%s in {%s: true})", gString, gString) },
			func() string { return f("[%s, %s].exists(v, v > %s)", gInt, gInt, gInt) },
			func() string { return f("(dyn(%s) == dyn(%s))", gInt, gDouble) },
			func() string { return f("(type(%s) == int)", gInt) },
			func() string { return f("bool(%s)", gString) },
			func() string { return "(b'a' < b'b')" },
			func() string { return "(null == null)" },
			func() string { return f("[%s][0]", gBool) },
		})()
	case gInt:
		return pick(r, []func() string{
			func() string { return f("(%s + %s)", gInt, gInt) },
			func() string { return f("(%s - %s)", gInt, gInt) },
			func() string { return f("(%s * %s)", gInt, gInt) },
			func() string { return f("(%s / %s)", gInt, gInt) },
			func() string { return f("(%s %% %s)", gInt, gInt) },
			func() string { return f("-%s", gInt) },
			func() string { return f("size(%s)", gString) },
			func() string { return f("int(%s)", gDouble) },
			func() string { return f("int(%s)", gUint) },
			func() string { return f("int(%s)", gString) },
			func() string { return f("int(%s)", gTime) },
			func() string { return f("[%s, %s][%s]", gInt, gInt, gInt) },
			func() string { return f("%s.getFullYear()", gTime) },
		})()
	case gUint:
		return pick(r, []func() string{
			func() string { return f("(%s + %s)", gUint, gUint) },
			func() string { return f("(%s - %s)", gUint, gUint) },
			func() string { return f("(%s * %s)", gUint, gUint) },
			func() string { return f("(%s / %s)", gUint, gUint) },
			func() string { return f("(%s %% %s)", gUint, gUint) },
			func() string { return f("uint(%s)", gInt) },
			func() string { return f("uint(%s)", gDouble) },
		})()
	case gDouble:
		return pick(r, []func() string{
			func() string { return f("(%s + %s)", gDouble, gDouble) },
			func() string { return f("(%s - %s)", gDouble, gDouble) },
			func() string { return f("(%s * %s)", gDouble, gDouble) },
			func() string { return f("(%s / %s)", gDouble, gDouble) },
			func() string { return f("-%s", gDouble) },
			func() string { return f("double(%s)", gInt) },
			func() string { return f("double(%s)", gString) },
			func() string { return "double('NaN')" },
		})()
	case gString:
		return pick(r, []func() string{
			func() string { return f("(%s + %s)", gString, gString) },
			func() string { return f("string(%s)", gInt) },
			func() string { return f("string(%s)", gDouble) },
			func() string { return f("string(%s)", gTime) },
			func() string { return f("{'k': %s}['k']", gString) },
		})()
	case gTime:
		return pick(r, []func() string{
			func() string { return f("(%s + %s)", gTime, gDur) },
			func() string { return f("(%s - %s)", gTime, gDur) },
			func() string { return f("timestamp(%s)", gInt) },
			func() string { return f("timestamp(%s)", gString) },
		})()
	case gDur:
		return pick(r, []func() string{
			func() string { return f("(%s + %s)", gDur, gDur) },
			func() string { return f("(%s - %s)", gTime, gTime) },
			func() string { return f("duration(%s)", gString) },
		})()
	}
	panic(k)
}

// oracleStats counts what the differential checks saw.
type oracleStats struct {
	exprs, claimedExprs     int
	pairs, claimed, unsupp  int
	constFolded, fixedPairs int
	celErrorsOnUnsupported  int
	claimedTrue             int // claimed pairs whose result is true
}

// oracle compiles text with both implementations and compares them on
// every state. It reports whether celfast claimed the expression.
type oracle struct {
	t     *testing.T
	env   *cel.Env
	stats oracleStats
	fails int
	// bind returns the binder, fixing some variables to the values of
	// fixed when it is not nil; oBinder when unset.
	bind func(fixed *oState) celfast.Binder[oState]
}

func (o *oracle) binder(fixed *oState) celfast.Binder[oState] {
	if o.bind != nil {
		return o.bind(fixed)
	}
	return oBinder{fixed: fixed}
}

const maxReportedFailures = 25

func (o *oracle) failf(format string, args ...any) {
	o.t.Helper()
	o.fails++
	if o.fails <= maxReportedFailures {
		o.t.Errorf(format, args...)
	}
}

// compile returns the checked AST, or nil when text does not type-check
// to bool.
func (o *oracle) compile(text string) *cel.Ast {
	a, iss := o.env.Compile(text)
	if iss.Err() != nil || !a.OutputType().IsExactType(cel.BoolType) {
		return nil
	}
	return a
}

func (o *oracle) check(text string, a *cel.Ast, states []oState) (claimed bool) {
	t := o.t
	t.Helper()
	prg, err := o.env.Program(a)
	if err != nil {
		t.Fatalf("%s: cel-go program: %v", text, err)
	}
	fast, ferr := celfast.CompileValue(a.NativeRep(), o.binder(nil))
	if ferr != nil && !errors.Is(ferr, celfast.ErrUnsupported) {
		o.failf("%s: celfast error is not ErrUnsupported: %v", text, ferr)
	}
	o.stats.exprs++
	if ferr == nil {
		o.stats.claimedExprs++
	}
	for i := range states {
		st := &states[i]
		out, _, evalErr := prg.Eval(st.activation())
		o.stats.pairs++
		if ferr != nil {
			o.stats.unsupp++
			if evalErr != nil {
				o.stats.celErrorsOnUnsupported++
			}
		} else {
			o.stats.claimed++
			got := fast.Bool(st)
			if got {
				o.stats.claimedTrue++
			}
			if fast.IsConst {
				o.stats.constFolded++
				if c, ok := fast.Const.(bool); !ok || c != got {
					o.failf("%s: constant %v but closure gives %v", text, fast.Const, got)
				}
			}
			switch want, ok := out.(types.Bool); {
			case evalErr != nil:
				o.failf("celfast claims an expression cel-go fails on:\n  expr:  %s\n  state: %v\n  cel-go: %v\n  celfast: %v", text, st, evalErr, got)
			case !ok:
				o.failf("%s: cel-go result %v (%T) is not a bool", text, out, out)
			case bool(want) != got:
				o.failf("disagreement:\n  expr:  %s\n  state: %v\n  cel-go: %v\n  celfast: %v", text, st, bool(want), got)
			}
		}
		// The same expression with flag, i and msg.status fixed to this state's values.
		fixed, err := celfast.CompileValue(a.NativeRep(), o.binder(st))
		switch {
		case err != nil && !errors.Is(err, celfast.ErrUnsupported):
			o.failf("%s (fixed): celfast error is not ErrUnsupported: %v", text, err)
		case err == nil:
			o.stats.fixedPairs++
			got := fixed.Bool(st)
			if fixed.IsConst {
				if c, ok := fixed.Const.(bool); !ok || c != got {
					o.failf("%s (fixed): constant %v but closure gives %v", text, fixed.Const, got)
				}
			}
			want, ok := out.(types.Bool)
			switch {
			case evalErr != nil:
				o.failf("celfast (fixed flag, i, msg.status) claims an expression cel-go fails on:\n  expr:  %s\n  state: %v\n  cel-go: %v\n  celfast: %v", text, st, evalErr, got)
			case !ok || bool(want) != got:
				o.failf("disagreement (fixed flag, i, msg.status):\n  expr:  %s\n  state: %v\n  cel-go: %v\n  celfast: %v", text, st, out, got)
			}
		}
	}
	return ferr == nil
}

const (
	oracleSeed1, oracleSeed2 = 20240229, 0x5e9d
	oracleExprs              = 1250 // expressions
	oracleStatesPerExpr      = 16   // states per expression: 20 000 pairs
)

func TestOracleRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(oracleSeed1, oracleSeed2))
	o := &oracle{t: t, env: oracleEnv(t)}
	g := &exprGen{r: r, unsup: 0.04}
	rejected := 0
	for o.stats.exprs < oracleExprs {
		text := g.gen(gBool, 2+r.IntN(4))
		a := o.compile(text)
		if a == nil {
			rejected++
			continue
		}
		states := make([]oState, oracleStatesPerExpr)
		for i := range states {
			states[i] = randState(r)
		}
		o.check(text, a, states)
		if o.fails > maxReportedFailures {
			t.Fatalf("too many failures")
		}
	}
	s := o.stats
	t.Logf("expressions: %d tried (%d rejected by the type checker), %d claimed by celfast (%.1f%%), %d unsupported",
		s.exprs, rejected, s.claimedExprs, 100*float64(s.claimedExprs)/float64(s.exprs), s.exprs-s.claimedExprs)
	t.Logf("pairs: %d (expression, state); %d claimed (%d true, %d folded to a constant), %d unsupported (cel-go failed on %d of those); %d claimed with flag, i, msg.status fixed",
		s.pairs, s.claimed, s.claimedTrue, s.constFolded, s.unsupp, s.celErrorsOnUnsupported, s.fixedPairs)
	if tf := float64(s.claimedTrue) / float64(s.claimed); tf < 0.2 || tf > 0.8 {
		t.Errorf("claimed results are %.0f%% true: the generator is degenerate", 100*tf)
	}
	if s.pairs < 20000 {
		t.Errorf("only %d pairs", s.pairs)
	}
	if frac := float64(s.claimed) / float64(s.pairs); frac < 0.3 {
		t.Errorf("celfast claimed only %.1f%% of the pairs; the generator should mostly produce the subset", 100*frac)
	}
}

// TestOracleCases checks hand-picked expressions against cel-go on random
// states, and whether celfast claims them.
func TestOracleCases(t *testing.T) {
	const (
		claim = true
		fall  = false
	)
	cases := []struct {
		expr  string
		claim bool
	}{
		// Errors that CEL's commutative logic absorbs: celfast leaves them to cel-go.
		{"false && (1/0 == 1)", fall},
		{"(1/0 == 1) && false", fall},
		{"true || timestamp('bad') == timestamp('bad')", fall},
		{"timestamp('bad') == timestamp('bad') || true", fall},
		{"flag || i + 1 > i", fall},
		{"flag ? true : 1/0 == 0", fall},
		// Invalid and out-of-range literals.
		{"timestamp('not a time') < at", fall},
		{"timestamp('9999-12-31T23:59:60Z') == at", fall},
		{"timestamp('10000-01-01T00:00:00Z') > at", fall},
		{"timestamp('0000-01-01T00:00:00Z') < at", fall},
		{"duration('2562048h') > ttl", fall},
		{"duration('1d') > ttl", fall},
		{"!(duration('bad') == ttl)", fall},
		{"flag && timestamp('2024-02-30T00:00:00Z') == at", fall},
		// Edges of the timestamp and duration ranges.
		{"timestamp('0001-01-01T00:00:00Z') <= at", claim},
		{"timestamp('9999-12-31T23:59:59.999999999Z') >= at", claim},
		{"timestamp('2024-02-29T13:00:00+01:00') == timestamp('2024-02-29T12:00:00Z')", claim},
		{"timestamp(at) == at", claim},
		{"duration('-9223372036854775808ns') <= ttl", claim},
		{"duration('9223372036854775807ns') >= ttl", claim},
		{"duration(ttl) == ttl", claim},
		{"ttl in [duration('1s'), duration('-1s'), duration('0s')]", claim},
		// NaN, zeros and infinities.
		{"x == x", claim},
		{"x != x", claim},
		{"x < y || x >= y", claim},
		{"x <= y", claim},
		{"-0.0 == 0.0", claim},
		{"x == 0.0", claim},
		{"x > 1.7976931348623157e308", claim},
		{"x in [1.0, 2.0]", fall},
		// Enumerated string.
		{"msg.status == 'draft'", claim},
		{"'sent' == msg.status", claim},
		{"msg.status != 'nonsense'", claim},
		{"msg.status == ''", claim},
		{"msg.status in ['draft', 'sent', 'nonsense', '']", claim},
		{"msg.status in []", claim},
		{"msg.status < 'queued'", claim},
		{"msg.status == s", claim},
		{"(flag ? msg.status : 'draft') == 'draft'", claim},
		{"(true ? msg.status : s) == 'sent'", claim},
		// Other strings.
		{"s < t", claim},
		{"s == 'é'", claim},
		{"s in ['', 'a', 'b', 'c', 'd', 'e']", claim},
		{"s in ['', 'a']", claim},
		{"s in [t]", fall},
		{"s in ['a', 1]", fall},
		// Integers.
		{"i < j", claim},
		{"i == -9223372036854775808", claim},
		{"u >= 18446744073709551615u", claim},
		{"i in [1, 2, 3]", claim},
		{"u in [1u, 2u]", claim},
		{"i in [1, 2u]", fall},
		{"isEven(i)", claim},
		{"isEven(flag ? i : j)", claim},
		{"(flag ? i : j) > 0", claim},
		{"false < flag", claim},
		{"flag in [true]", claim},
		// Cross-type and heterogeneous comparisons.
		{"1 < 1.5", fall},
		{"i < x", fall},
		{"u > i", fall},
		{"dyn(1) == dyn(1u)", fall},
		{"1 in [1.0, 2u]", fall},
		// Other unsupported constructs.
		{"size(s) == 0", fall},
		{"s.startsWith(t)", fall},
		{"has({'a': 1}.a)", fall},
		{"[1, 2] == [1, 2]", fall},
		{"int(x) == i", fall},
		{"string(i) == s", fall},
		{"i + j > 0", fall},
		{"-i < 0", fall},
		{"i % j == 0", fall},
		{"at - ttl < at", fall},
		{"type(i) == int", fall},
		{"b'a' < b'b'", fall},
		{"null == null", fall},
		{"[flag][0]", fall},
		{"[1].exists(v, v == i)", fall},
		// A dyn variable that the binder knows to be an int: celfast must
		// still refuse cross-type operations on it.
		{"num == i", claim},
		{"num < 2", claim},
		{"num in [1, 2]", claim},
		{"num == 1u", fall},
		{"num == 1.0", fall},
		{"num < 1.5", fall},
		{"num >= 0u", fall},
		{"num in [1u, 2u]", fall},
		{"num in [1.0]", fall},
		{"(flag ? num : 1u) == 1u", fall},
	}
	r := rand.New(rand.NewPCG(1, 2))
	states := make([]oState, 32)
	for i := range states {
		states[i] = randState(r)
	}
	// Make sure the interesting doubles and every enum member appear.
	for i, x := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), math.MaxFloat64} {
		states[i].X, states[len(states)-1-i].Y = x, x
	}
	for i, e := range enumVocab {
		states[i].E = e
	}
	o := &oracle{t: t, env: oracleEnv(t)}
	for _, c := range cases {
		a := o.compile(c.expr)
		if a == nil {
			t.Errorf("%s: does not type-check to bool", c.expr)
			continue
		}
		if claimed := o.check(c.expr, a, states); claimed != c.claim {
			t.Errorf("%s: celfast claimed=%v, want %v", c.expr, claimed, c.claim)
		}
	}
	t.Logf("%d cases × %d states: %d claimed pairs, %d unsupported pairs (cel-go failed on %d)",
		len(cases), len(states), o.stats.claimed, o.stats.unsupp, o.stats.celErrorsOnUnsupported)
}
