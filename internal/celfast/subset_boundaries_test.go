package celfast_test

// Boundaries of the subset that the random oracle does not reach: unchecked
// and non-boolean expressions, optional list elements, constants, containers,
// binder failures and enum numbers above 63.

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"

	"github.com/sendright/sendright/internal/celfast"
)

func someStates(n int) []oState {
	r := rand.New(rand.NewPCG(7, 11))
	states := make([]oState, n)
	for i := range states {
		states[i] = randState(r)
	}
	for i, e := range enumVocab {
		states[i%n].E = e
	}
	return states
}

func TestUncheckedIsUnsupported(t *testing.T) {
	env := oracleEnv(t)
	for _, text := range []string{"true", "flag", "i < j", "msg.status == 'sent'"} {
		a, iss := env.Parse(text)
		if iss.Err() != nil {
			t.Fatal(iss.Err())
		}
		if _, err := celfast.Compile(a.NativeRep(), oBinder{}); !errors.Is(err, celfast.ErrUnsupported) {
			t.Errorf("%s, parsed only: err = %v, want ErrUnsupported", text, err)
		}
	}
}

func TestNonBoolResultIsUnsupported(t *testing.T) {
	env := oracleEnv(t)
	for _, text := range []string{
		"i", "u", "x", "s", "msg.status", "at", "ttl", "num", "flag ? i : j", "'a'", "1", "2u", "1.5",
		"timestamp('2024-02-29T12:00:00Z')", "duration('1s')", "isEven(i) ? s : t",
	} {
		a, iss := env.Compile(text)
		if iss.Err() != nil {
			t.Fatal(iss.Err())
		}
		if _, err := celfast.Compile(a.NativeRep(), oBinder{}); !errors.Is(err, celfast.ErrUnsupported) {
			t.Errorf("%s: Compile err = %v, want ErrUnsupported", text, err)
		}
		if _, err := celfast.CompileValue(a.NativeRep(), oBinder{}); !errors.Is(err, celfast.ErrUnsupported) {
			t.Errorf("%s: CompileValue err = %v, want ErrUnsupported", text, err)
		}
	}
}

// checkCases runs expressions through the oracle and checks which celfast
// claims.
func checkCases(t *testing.T, o *oracle, cases map[string]bool) {
	t.Helper()
	states := someStates(16)
	for text, claim := range cases {
		a := o.compile(text)
		if a == nil {
			t.Errorf("%s: does not type-check to bool", text)
			continue
		}
		if claimed := o.check(text, a, states); claimed != claim {
			t.Errorf("%s: celfast claimed=%v, want %v", text, claimed, claim)
		}
	}
}

func TestOptionalListElements(t *testing.T) {
	o := &oracle{t: t, env: oracleEnv(t, cel.OptionalTypes())}
	checkCases(t, o, map[string]bool{
		"i in [?optional.of(1)]":                               false,
		"i in [1, ?optional.none()]":                           false,
		"s in [?optional.of('a'), 'b']":                        false,
		"msg.status in [?optional.of('x')]":                    false,
		"i in [1, 2]":                                          true,
		"optional.of(i).hasValue()":                            false,
		"optional.none().orValue(flag)":                        false,
		"msg.status in ['sent', 'bounced']":                    true,
		"[?optional.of(i)] == [i]":                             false,
		"(flag ? optional.of(1) : optional.none()).hasValue()": false,
	})
}

func TestConstantReference(t *testing.T) {
	o := &oracle{t: t, env: oracleEnv(t,
		cel.Constant("LIMIT", cel.IntType, types.Int(3)),
		cel.Constant("NAME", cel.StringType, types.String("sent")))}
	checkCases(t, o, map[string]bool{
		"i < LIMIT":           false,
		"msg.status == NAME":  false,
		"i in [1, 2, LIMIT]":  false,
		"flag || i == LIMIT":  false,
		"flag || i == 3":      true,
		"msg.status < 'sent'": true,
	})
}

func TestContainerResolution(t *testing.T) {
	// In container msg, the identifier status resolves to msg.status.
	o := &oracle{t: t, env: oracleEnv(t, cel.Container("msg"))}
	checkCases(t, o, map[string]bool{
		"status == 'sent'":            true,
		"status in ['draft', 'nope']": true,
		"msg.status != status":        true,
	})
}

// errBinder wraps oBinder: it hides variable "j" and fails on function
// "isEven" with an error that is not ErrUnsupported.
type errBinder struct{ oBinder }

var errHost = errors.New("host failure")

func (b errBinder) Var(name string) (oValue, bool) {
	if name == "j" {
		return oValue{}, false
	}
	return b.oBinder.Var(name)
}

func (errBinder) Call(fn string, args []oValue) (oValue, error) {
	return oValue{}, fmt.Errorf("%s: %w", fn, errHost)
}

func TestBinderFailures(t *testing.T) {
	env := oracleEnv(t)
	compile := func(text string) error {
		a, iss := env.Compile(text)
		if iss.Err() != nil {
			t.Fatal(iss.Err())
		}
		_, err := celfast.Compile(a.NativeRep(), errBinder{})
		return err
	}
	for _, text := range []string{"j > 0", "flag || i < j", "j in [1, 2]"} {
		if err := compile(text); !errors.Is(err, celfast.ErrUnsupported) {
			t.Errorf("%s with j unknown to the binder: err = %v, want ErrUnsupported", text, err)
		}
	}
	// A binder error that is not ErrUnsupported is passed on as it is.
	if err := compile("flag && isEven(i)"); !errors.Is(err, errHost) || errors.Is(err, celfast.ErrUnsupported) {
		t.Errorf("host error: err = %v, want %v", err, errHost)
	}
	if err := compile("flag && i > 0"); err != nil {
		t.Errorf("no host function: %v", err)
	}
}

// bigEnumBinder numbers the vocabulary from 62, so that some members are
// above 63 and do not fit in celfast's membership mask.
type bigEnumBinder struct{ oBinder }

func parseBig(text string) (uint8, bool) {
	n, ok := parseEnum(text)
	return n + 61, ok
}

func (b bigEnumBinder) Var(name string) (oValue, bool) {
	if name != enumVar {
		return b.oBinder.Var(name)
	}
	if f := b.fixed; f != nil {
		v, n := f.E, enumNumber(f)+61
		return oValue{Kind: celfast.String, IsConst: true, Const: v,
			String: func(*oState) string { return v },
			Enum:   &celfast.Enum[oState]{Get: func(*oState) uint8 { return n }, Parse: parseBig}}, true
	}
	return oValue{Kind: celfast.String, String: func(s *oState) string { return s.E },
		Enum: &celfast.Enum[oState]{Get: func(s *oState) uint8 { return enumNumber(s) + 61 }, Parse: parseBig}}, true
}

func TestEnumAbove63(t *testing.T) {
	// draft=62, queued=63, sent=64, bounced=65.
	o := &oracle{t: t, env: oracleEnv(t), bind: func(fixed *oState) celfast.Binder[oState] {
		return bigEnumBinder{oBinder{fixed: fixed}}
	}}
	checkCases(t, o, map[string]bool{
		"msg.status == 'sent'":                true,
		"msg.status != 'bounced'":             true,
		"msg.status == 'queued'":              true,
		"msg.status in ['draft', 'queued']":   true, // 62 and 63 fit in the mask; 64 and 65 must not match
		"msg.status in ['draft', 'nonsense']": true,
		"msg.status in ['sent']":              false,
		"msg.status in ['draft', 'bounced']":  false,
	})
}
