package celfast_test

// The CEL conformance suite (cel.dev/expr, tests/simple) run against cel-go
// and against celfast: whenever celfast claims a conformance expression,
// its result must be the expected value, and the expected result must not
// be an error.

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"cel.dev/expr"
	"cel.dev/expr/conformance/test"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	// Message types used inside Any values of the test files.
	_ "cel.dev/expr/conformance/proto2"
	_ "cel.dev/expr/conformance/proto3"

	"github.com/sendright/sendright/internal/celfast"
)

var conformanceFiles = []string{"logic", "comparisons", "timestamps", "string", "basic", "conversions"}

// exprModuleDir returns the directory of the cel.dev/expr module, which
// holds the conformance test data.
func exprModuleDir(t *testing.T) string {
	t.Helper()
	// go test puts its own GOROOT/bin first on the test's PATH, so this is
	// the go command running the test (runtime.GOROOT is deprecated).
	gocmd, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("conformance data unavailable: no go command: %v", err)
	}
	out, err := exec.Command(gocmd, "list", "-m", "-f", "{{.Dir}}", "cel.dev/expr").Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = strings.TrimSpace(string(ee.Stderr))
		}
		t.Skipf("conformance data unavailable: `go list -m cel.dev/expr` failed: %v %s", err, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "tests", "simple", "testdata")); err != nil {
		t.Skipf("conformance data unavailable: %v", err)
	}
	return dir
}

func loadSimpleFile(t *testing.T, path string) *test.SimpleTestFile {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f test.SimpleTestFile
	if err := (prototext.UnmarshalOptions{DiscardUnknown: false}).Unmarshal(data, &f); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return &f
}

// conformanceStats counts one file's tests.
type conformanceStats struct {
	tests, run, skipped, claimed, claimedConst, unsupported, errorsExpected int
}

func TestConformance(t *testing.T) {
	dir := exprModuleDir(t)
	skipSeen := map[string]bool{}
	divergenceSeen := map[string]bool{}
	var total conformanceStats
	reasons := map[string]int{}
	for _, name := range conformanceFiles {
		file := loadSimpleFile(t, filepath.Join(dir, "tests", "simple", "testdata", name+".textproto"))
		var st conformanceStats
		t.Run(name, func(t *testing.T) {
			keys := map[string]bool{}
			for _, sec := range file.GetSection() {
				t.Run(sec.GetName(), func(t *testing.T) {
					for _, tc := range sec.GetTest() {
						key := name + "/" + sec.GetName() + "/" + tc.GetName()
						if keys[key] {
							t.Errorf("duplicate test key %s", key)
						}
						keys[key] = true
						st.tests++
						t.Run(tc.GetName(), func(t *testing.T) {
							reason := conformanceSkipReason(tc)
							listed, ok := conformanceSkips[key]
							if reason != "" || ok {
								skipSeen[key] = true
							}
							switch {
							case reason != "" && !ok:
								t.Errorf("skipped but not in conformanceSkips; add:\n\t%q: %q,", key, reason)
								return
							case reason != "" && listed != reason:
								t.Errorf("skip reason %q, but conformanceSkips says %q", reason, listed)
								return
							case ok && reason == "":
								t.Errorf("listed in conformanceSkips (%q) but runnable; remove the entry", listed)
								return
							case ok:
								st.skipped++
								reasons[reason]++
								t.Skip(reason)
							}
							st.run++
							divergence, diverges := celGoDivergences[key]
							if diverges {
								divergenceSeen[key] = true
							}
							runConformanceTest(t, tc, &st, divergence, diverges)
						})
					}
				})
			}
		})
		t.Logf("%-11s %3d tests: %3d run, %3d skipped; celfast claimed %3d (%d folded to constants), left %3d to cel-go (%d of them expect an error)",
			name, st.tests, st.run, st.skipped, st.claimed, st.claimedConst, st.unsupported, st.errorsExpected)
		total.tests += st.tests
		total.run += st.run
		total.skipped += st.skipped
		total.claimed += st.claimed
		total.unsupported += st.unsupported
	}
	t.Logf("total       %3d tests: %3d run, %3d skipped; celfast claimed %3d, left %3d to cel-go",
		total.tests, total.run, total.skipped, total.claimed, total.unsupported)
	var rs []string
	for r, n := range reasons {
		rs = append(rs, fmt.Sprintf("%4d  %s", n, r))
	}
	sort.Strings(rs)
	t.Logf("skip reasons:\n%s", strings.Join(rs, "\n"))
	if t.Failed() {
		return // a stale-entry report would only add noise
	}
	for key := range conformanceSkips {
		if !skipSeen[key] {
			t.Errorf("conformanceSkips entry %q matches no skipped test; remove it", key)
		}
	}
	for key := range celGoDivergences {
		if !divergenceSeen[key] {
			t.Errorf("celGoDivergences entry %q matches no test; remove it", key)
		}
	}
}

// conformanceSkipReason returns why a test cannot run here, or "".
func conformanceSkipReason(tc *test.SimpleTest) string {
	switch {
	case tc.GetDisableCheck():
		return "disable_check: celfast needs a checked AST"
	case tc.GetCheckOnly():
		return "check_only: no evaluation"
	case tc.GetContainer() != "":
		return "needs container " + tc.GetContainer()
	case tc.GetLocale() != "":
		return "needs locale " + tc.GetLocale()
	}
	for _, d := range tc.GetTypeEnv() {
		id := d.GetIdent()
		if id == nil {
			return "type_env: function declaration " + d.GetName()
		}
		if _, ok := primitiveCELType(id.GetType()); !ok {
			return fmt.Sprintf("type_env: %s has non-primitive type %s", d.GetName(), typeName(id.GetType()))
		}
	}
	names := make([]string, 0, len(tc.GetBindings()))
	for n := range tc.GetBindings() {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		v := tc.GetBindings()[n].GetValue()
		if v == nil {
			return "binding " + n + ": not a value"
		}
		if _, ok := primitiveGo(v); !ok {
			return fmt.Sprintf("binding %s: non-primitive value %s", n, valueKindName(v))
		}
	}
	switch m := tc.GetResultMatcher().(type) {
	case *test.SimpleTest_Value:
		if why := unsupportedExpected(m.Value); why != "" {
			return "expected value: " + why
		}
	case *test.SimpleTest_EvalError, *test.SimpleTest_AnyEvalErrors:
	case nil:
		return "no result matcher"
	default:
		return fmt.Sprintf("result matcher %T", m)
	}
	if strings.Contains(tc.GetExpr(), "TestAllTypes") {
		return "needs proto message type TestAllTypes"
	}
	return ""
}

func oneLine(m interface{ String() string }) string {
	return strings.Join(strings.Fields(m.String()), " ")
}

// typeName formats a declared type deterministically (unlike prototext).
func typeName(t *expr.Type) string {
	switch k := t.GetTypeKind().(type) {
	case *expr.Type_Primitive:
		return strings.ToLower(k.Primitive.String())
	case *expr.Type_Null:
		return "null_type"
	case *expr.Type_Dyn:
		return "dyn"
	case *expr.Type_MessageType:
		return k.MessageType
	case *expr.Type_WellKnown:
		return strings.ToLower(k.WellKnown.String())
	case *expr.Type_Wrapper:
		return "wrapper(" + strings.ToLower(k.Wrapper.String()) + ")"
	case *expr.Type_ListType_:
		return "list(" + typeName(k.ListType.GetElemType()) + ")"
	case *expr.Type_MapType_:
		return "map(" + typeName(k.MapType.GetKeyType()) + ", " + typeName(k.MapType.GetValueType()) + ")"
	}
	return fmt.Sprintf("%T", t.GetTypeKind())
}

func primitiveCELType(t *expr.Type) (*cel.Type, bool) {
	p, ok := t.GetTypeKind().(*expr.Type_Primitive)
	if !ok {
		return nil, false
	}
	switch p.Primitive {
	case expr.Type_BOOL:
		return cel.BoolType, true
	case expr.Type_INT64:
		return cel.IntType, true
	case expr.Type_UINT64:
		return cel.UintType, true
	case expr.Type_DOUBLE:
		return cel.DoubleType, true
	case expr.Type_STRING:
		return cel.StringType, true
	case expr.Type_BYTES:
		return cel.BytesType, true
	}
	return nil, false
}

// primitiveGo returns the Go value of a primitive expr.Value.
func primitiveGo(v *expr.Value) (any, bool) {
	switch k := v.GetKind().(type) {
	case *expr.Value_BoolValue:
		return k.BoolValue, true
	case *expr.Value_Int64Value:
		return k.Int64Value, true
	case *expr.Value_Uint64Value:
		return k.Uint64Value, true
	case *expr.Value_DoubleValue:
		return k.DoubleValue, true
	case *expr.Value_StringValue:
		return k.StringValue, true
	case *expr.Value_BytesValue:
		return k.BytesValue, true
	}
	return nil, false
}

func valueKindName(v *expr.Value) string {
	switch k := v.GetKind().(type) {
	case *expr.Value_ObjectValue:
		return "object " + k.ObjectValue.GetTypeUrl()
	case *expr.Value_EnumValue:
		return "enum " + k.EnumValue.GetType()
	case nil:
		return "unset"
	}
	return strings.TrimPrefix(fmt.Sprintf("%T", v.GetKind()), "*expr.Value_")
}

// unsupportedExpected says why an expected value cannot be compared here:
// proto messages other than Timestamp and Duration, and enums.
func unsupportedExpected(v *expr.Value) string {
	switch k := v.GetKind().(type) {
	case *expr.Value_ObjectValue:
		switch k.ObjectValue.GetTypeUrl() {
		case "type.googleapis.com/google.protobuf.Timestamp", "type.googleapis.com/google.protobuf.Duration":
			return ""
		}
		return "proto message " + k.ObjectValue.GetTypeUrl()
	case *expr.Value_EnumValue:
		return "enum " + k.EnumValue.GetType()
	case *expr.Value_ListValue:
		for _, e := range k.ListValue.GetValues() {
			if why := unsupportedExpected(e); why != "" {
				return why
			}
		}
	case *expr.Value_MapValue:
		for _, e := range k.MapValue.GetEntries() {
			if _, ok := primitiveGo(e.GetKey()); !ok {
				return "map key " + valueKindName(e.GetKey())
			}
			if why := unsupportedExpected(e.GetValue()); why != "" {
				return why
			}
		}
	case nil:
		return "unset value"
	}
	return ""
}

// matchValue reports how got differs from want, or nil. Types must match
// exactly (1 is not 1u); NaN matches NaN.
func matchValue(got ref.Val, want *expr.Value) error {
	if types.IsError(got) || types.IsUnknown(got) {
		return fmt.Errorf("got %v, want %s", got, oneLine(want))
	}
	mismatch := func() error { return fmt.Errorf("got %v (%s), want %s", got, got.Type(), oneLine(want)) }
	switch k := want.GetKind().(type) {
	case *expr.Value_NullValue:
		if got.Type() != types.NullType {
			return mismatch()
		}
	case *expr.Value_BoolValue:
		if g, ok := got.(types.Bool); !ok || bool(g) != k.BoolValue {
			return mismatch()
		}
	case *expr.Value_Int64Value:
		if g, ok := got.(types.Int); !ok || int64(g) != k.Int64Value {
			return mismatch()
		}
	case *expr.Value_Uint64Value:
		if g, ok := got.(types.Uint); !ok || uint64(g) != k.Uint64Value {
			return mismatch()
		}
	case *expr.Value_DoubleValue:
		g, ok := got.(types.Double)
		if !ok || !(float64(g) == k.DoubleValue || math.IsNaN(float64(g)) && math.IsNaN(k.DoubleValue)) {
			return mismatch()
		}
	case *expr.Value_StringValue:
		if g, ok := got.(types.String); !ok || string(g) != k.StringValue {
			return mismatch()
		}
	case *expr.Value_BytesValue:
		if g, ok := got.(types.Bytes); !ok || !bytes.Equal(g, k.BytesValue) {
			return mismatch()
		}
	case *expr.Value_TypeValue:
		if g, ok := got.(ref.Type); !ok || g.TypeName() != k.TypeValue {
			return mismatch()
		}
	case *expr.Value_ListValue:
		l, ok := got.(traits.Lister)
		if !ok || got.Type() != types.ListType {
			return mismatch()
		}
		want := k.ListValue.GetValues()
		if n := int(l.Size().(types.Int)); n != len(want) {
			return fmt.Errorf("list of %d elements, want %d: %w", n, len(want), mismatch())
		}
		for i, w := range want {
			if err := matchValue(l.Get(types.Int(i)), w); err != nil {
				return fmt.Errorf("[%d]: %w", i, err)
			}
		}
	case *expr.Value_MapValue:
		m, ok := got.(traits.Mapper)
		if !ok || got.Type() != types.MapType {
			return mismatch()
		}
		want := k.MapValue.GetEntries()
		if n := int(m.Size().(types.Int)); n != len(want) {
			return fmt.Errorf("map of %d entries, want %d: %w", n, len(want), mismatch())
		}
		for _, e := range want {
			key, _ := primitiveGo(e.GetKey())
			v, found := m.Find(types.DefaultTypeAdapter.NativeToValue(key))
			if !found {
				return fmt.Errorf("key %v missing: %w", key, mismatch())
			}
			if err := matchValue(v, e.GetValue()); err != nil {
				return fmt.Errorf("[%v]: %w", key, err)
			}
		}
	case *expr.Value_ObjectValue:
		msg, err := k.ObjectValue.UnmarshalNew()
		if err != nil {
			return err
		}
		switch w := msg.(type) {
		case *timestamppb.Timestamp:
			if g, ok := got.(types.Timestamp); !ok || !g.Time.Equal(w.AsTime()) {
				return mismatch()
			}
		case *durationpb.Duration:
			if g, ok := got.(types.Duration); !ok || g.Duration != w.AsDuration() {
				return mismatch()
			}
		default:
			return fmt.Errorf("cannot compare with %T", msg)
		}
	default:
		return fmt.Errorf("cannot compare with %s", oneLine(want))
	}
	return nil
}

// confState is the host state of conformance tests: the bindings by name.
type confState = map[string]any

type confValue = celfast.Value[confState]

// confBinder exposes the bound primitive variables of one test.
type confBinder struct{ kinds map[string]celfast.Kind }

func (b confBinder) Var(name string) (confValue, bool) {
	k, ok := b.kinds[name]
	if !ok {
		return confValue{}, false
	}
	v := confValue{Kind: k}
	switch k {
	case celfast.Bool:
		v.Bool = func(s *confState) bool { return (*s)[name].(bool) }
	case celfast.Int:
		v.Int = func(s *confState) int64 { return (*s)[name].(int64) }
	case celfast.Uint:
		v.Uint = func(s *confState) uint64 { return (*s)[name].(uint64) }
	case celfast.Double:
		v.Double = func(s *confState) float64 { return (*s)[name].(float64) }
	case celfast.String:
		v.String = func(s *confState) string { return (*s)[name].(string) }
	default:
		return confValue{}, false
	}
	return v, true
}

func (confBinder) Call(fn string, _ []confValue) (confValue, error) {
	return confValue{}, fmt.Errorf("%w: function %s", celfast.ErrUnsupported, fn)
}

func kindOf(t *expr.Type) (celfast.Kind, bool) {
	switch t.GetPrimitive() {
	case expr.Type_BOOL:
		return celfast.Bool, true
	case expr.Type_INT64:
		return celfast.Int, true
	case expr.Type_UINT64:
		return celfast.Uint, true
	case expr.Type_DOUBLE:
		return celfast.Double, true
	case expr.Type_STRING:
		return celfast.String, true
	}
	return 0, false
}

func runConformanceTest(t *testing.T, tc *test.SimpleTest, st *conformanceStats, divergence string, diverges bool) {
	opts := []cel.EnvOption{cel.CrossTypeNumericComparisons(true)}
	kinds := map[string]celfast.Kind{}
	for _, d := range tc.GetTypeEnv() {
		typ, _ := primitiveCELType(d.GetIdent().GetType())
		opts = append(opts, cel.Variable(d.GetName(), typ))
		if _, bound := tc.GetBindings()[d.GetName()]; bound {
			if k, ok := kindOf(d.GetIdent().GetType()); ok {
				kinds[d.GetName()] = k
			}
		}
	}
	if tc.GetDisableMacros() {
		opts = append(opts, cel.ClearMacros())
	}
	env, err := cel.NewEnv(opts...)
	if err != nil {
		t.Fatalf("env: %v", err)
	}
	state := confState{}
	for n, b := range tc.GetBindings() {
		state[n], _ = primitiveGo(b.GetValue())
	}
	var wantValue *expr.Value
	wantError := false
	switch m := tc.GetResultMatcher().(type) {
	case *test.SimpleTest_Value:
		wantValue = m.Value
	default:
		wantError = true
	}

	a, iss := env.Compile(tc.GetExpr())
	if iss.Err() != nil {
		if !diverges {
			t.Fatalf("cel-go does not compile %q: %v", tc.GetExpr(), iss.Err())
		}
		t.Skipf("known cel-go divergence: %s", divergence)
	}

	// (a) cel-go against the expected result.
	prg, err := env.Program(a)
	if err != nil {
		t.Fatalf("cel-go program: %v", err)
	}
	out, _, evalErr := prg.Eval(map[string]any(state))
	var celGoErr error
	switch {
	case wantError && evalErr == nil:
		celGoErr = fmt.Errorf("cel-go: %q = %v, want an error", tc.GetExpr(), out)
	case !wantError && evalErr != nil:
		celGoErr = fmt.Errorf("cel-go: %q fails: %v, want %s", tc.GetExpr(), evalErr, oneLine(wantValue))
	case !wantError:
		if err := matchValue(out, wantValue); err != nil {
			celGoErr = fmt.Errorf("cel-go: %q: %v", tc.GetExpr(), err)
		}
	}
	switch {
	case celGoErr != nil && !diverges:
		t.Error(celGoErr)
	case celGoErr == nil && diverges:
		t.Errorf("listed in celGoDivergences (%s) but cel-go agrees with the suite; remove the entry", divergence)
	case diverges:
		t.Logf("known cel-go divergence (%s): %v", divergence, celGoErr)
	}

	// (b) celfast against the expected result.
	if wantError {
		st.errorsExpected++
	}
	fast, err := celfast.CompileValue(a.NativeRep(), confBinder{kinds: kinds})
	if err != nil {
		if !errors.Is(err, celfast.ErrUnsupported) {
			t.Errorf("celfast error is not ErrUnsupported: %v", err)
		}
		st.unsupported++
		return
	}
	st.claimed++
	if fast.IsConst {
		st.claimedConst++
	}
	got := fast.Bool(&state)
	switch {
	case wantError:
		t.Errorf("celfast claims %q (= %v), but CEL's result is an error: %s", tc.GetExpr(), got, oneLine(tc.GetEvalError()))
	case fast.IsConst && fast.Const != any(got):
		t.Errorf("celfast: %q folds to %v but its closure gives %v", tc.GetExpr(), fast.Const, got)
	default:
		if err := matchValue(types.Bool(got), wantValue); err != nil {
			t.Errorf("celfast disagrees with the conformance suite: %q: %v", tc.GetExpr(), err)
		}
	}
}

// celGoDivergences lists tests on which cel-go v0.33.2, in this plain
// environment, does not produce the suite's result. Only the cel-go half
// is excused; celfast is still checked against the suite.
var celGoDivergences = map[string]string{}
