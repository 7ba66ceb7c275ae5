package eligibility

import (
	"strings"
	"sync"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/functions"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/interpreter"
	"github.com/sendright/sendright/consent/address"
)

// activation resolves the rule language's variables and functions for
// cel-go, the oracle the compiled closures are checked against. Its
// functions come from the same table ([domainFuncs]) as the closures.
type activation struct {
	st   *evalState
	host map[string]*hostFunc
}

var _ interpreter.FunctionActivation = (*activation)(nil)

// ResolveName implements interpreter.Activation over the request.
func (a *activation) ResolveName(name string) (any, bool) {
	st := a.st
	switch name {
	case varKind:
		return recipientVocab.boxed[st.c.Kind], true
	case varCountry:
		return boxedCountry[st.c.Country.String()], true
	case varPurpose:
		return purposeVocab.boxed[st.m.Purpose], true
	case varChannel:
		return channelVocab.boxed[st.m.Channel], true
	case varCategory:
		return types.String(strings.Clone(st.cat)), true // st.cat aliases the pooled state
	case varRoleRelevant:
		return types.Bool(st.m.RoleRelevant), true
	case varSenderEntity:
		return types.String(st.m.Sender.Entity), true
	case varSenderKind:
		return senderVocab.boxed[st.m.Sender.Kind], true
	case varSenderCountry:
		return boxedCountry[st.m.Sender.Country.String()], true
	case varNow:
		return types.Timestamp{Time: st.m.At}, true
	}
	if h := a.host[name]; h != nil && h.def.variable {
		return h.def.late(h, st, nil), true
	}
	return nil, false
}

// Parent implements interpreter.Activation: there is none.
func (a *activation) Parent() interpreter.Activation { return nil }

// ResolveFunction implements interpreter.FunctionActivation with the
// table's late-bound implementations.
func (a *activation) ResolveFunction(name string) (functions.LateBoundOp, bool) {
	if f := funcByName[name]; f != nil {
		return func(_ string, args ...ref.Val) ref.Val { return f.late(a.st, args) }, true
	}
	if h := a.host[name]; h != nil && !h.def.variable {
		return func(_ string, args ...ref.Val) ref.Val { return h.def.late(h, a.st, args) }, true
	}
	return nil, false
}

// oracle evaluates a compiled rule's condition with cel-go's interpreter.
// Programs are planned once per rule and kept.
func (c *compiled) oracle(st *evalState) (bool, error) {
	prg, err := c.program()
	if err != nil {
		return false, err
	}
	v, _, err := prg.Eval(&activation{st: st, host: c.host})
	if err != nil {
		return false, err
	}
	return bool(v.(types.Bool)), nil
}

var programs sync.Map // *compiled → cel.Program

func (c *compiled) program() (cel.Program, error) {
	if p, ok := programs.Load(c); ok {
		return p.(cel.Program), nil
	}
	env, err := newEnv(c.host)
	if err != nil {
		return nil, err
	}
	prg, err := env.Program(c.checked, cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		return nil, err
	}
	programs.Store(c, prg)
	return prg, nil
}

// boxedCountry holds every country code as a CEL value (the enumerated
// vocabularies hold their own, [enumVocab.boxed]).
var (
	boxedCountry = func() map[string]ref.Val {
		m := map[string]ref.Val{"": types.String("")}
		for _, c := range address.Countries() {
			m[c.String()] = types.String(c.String())
		}
		return m
	}()
)
