package rules

import (
	"strings"

	"cel.dev/cel-go/common/functions"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/interpreter"
	"github.com/sendright/sendright/consent"
)

// activation resolves the rule language's variables and functions for
// cel-go, for conditions outside the compiled subset (and for the tests that
// check the compiled closures against cel-go).
type activation evalState

var _ interpreter.FunctionActivation = (*activation)(nil)

// ResolveName implements interpreter.Activation over the request.
func (a *activation) ResolveName(name string) (any, bool) {
	st := (*evalState)(a)
	switch name {
	case varKind:
		return boxedRecipient[st.c.Kind-1], true
	case varCountry:
		return boxedCountry[st.c.Country.String()], true
	case varPurpose:
		return boxedPurpose[st.m.Purpose-1], true
	case varChannel:
		return boxedChannel[st.m.Channel-1], true
	case varCategory:
		return types.String(strings.Clone(st.cat)), true // st.cat aliases the pooled state
	case varRoleRelevant:
		return types.Bool(st.m.RoleRelevant), true
	case varSenderEntity:
		return types.String(st.m.Sender.Entity), true
	case varSenderKind:
		return boxedSender[st.m.Sender.Kind-1], true
	case varSenderCountry:
		return boxedCountry[st.m.Sender.Country.String()], true
	case varNow:
		return types.Timestamp{Time: st.m.At}, true
	}
	return nil, false
}

// Parent implements interpreter.Activation: there is none.
func (a *activation) Parent() interpreter.Activation { return nil }

// ResolveFunction implements interpreter.FunctionActivation with the
// state's prebuilt table of domain functions.
func (a *activation) ResolveFunction(name string) (functions.LateBoundOp, bool) {
	f, ok := a.funcs[name]
	return f, ok
}

// newEvalState builds a state with its late-bound function table, once per
// pooled state.
func newEvalState() *evalState {
	st := new(evalState)
	// args2 reads a purpose and an optional channel; text outside the
	// vocabularies is an evaluation error, which denies, never a silent false.
	args2 := func(args []ref.Val) (consent.Purpose, consent.Channel, ref.Val) {
		p, err := consent.ParsePurpose(string(args[0].(types.String)))
		if err != nil || p == consent.AllMarketing {
			return 0, 0, types.NewErr("not a message purpose: %q", clip(string(args[0].(types.String))))
		}
		var ch consent.Channel
		if len(args) > 1 {
			ch, err = consent.ParseChannel(string(args[1].(types.String)))
			if err != nil || ch == consent.AllChannels {
				return 0, 0, types.NewErr("not a message channel: %q", clip(string(args[1].(types.String))))
			}
		}
		return p, ch, nil
	}
	with2 := func(f func(consent.Purpose, consent.Channel) ref.Val) functions.LateBoundOp {
		return func(_ string, args ...ref.Val) ref.Val {
			p, ch, bad := args2(args)
			if bad != nil {
				return bad
			}
			return f(p, ch)
		}
	}
	b := func(f func() bool) functions.LateBoundOp {
		return func(string, ...ref.Val) ref.Val { return types.Bool(f()) }
	}
	st.funcs = map[string]functions.LateBoundOp{
		fnHasConsent: with2(func(p consent.Purpose, ch consent.Channel) ref.Val { return types.Bool(st.hasConsent(p, ch)) }),
		fnObjected:   with2(func(p consent.Purpose, ch consent.Channel) ref.Val { return types.Bool(st.objected(p, ch)) }),
		fnWithdrawn:  with2(func(p consent.Purpose, ch consent.Channel) ref.Val { return types.Bool(st.withdrawn(p, ch)) }),
		fnConsentDefect: with2(func(p consent.Purpose, ch consent.Channel) ref.Val {
			return boxedDefect[st.consentDefect(p, ch)]
		}),
		fnConsentOtherChan: with2(func(p consent.Purpose, _ consent.Channel) ref.Val {
			return types.Bool(st.consentOnOtherChannel(p))
		}),
		fnSimilarPurchase:    b(st.similarPurchase),
		fnSimilarNoOptOut:    b(st.similarPurchaseNoOptOut),
		fnSimilarInquiry:     b(st.similarInquiry),
		fnInquiryNoOptOut:    b(st.similarInquiryNoOptOut),
		fnIsCustomer:         b(st.isCustomer),
		fnOptOutAtCollection: b(st.optOutOfferedAtCollection),
		fnOngoingContract:    b(st.ongoingContract),
		fnInCategory: func(_ string, args ...ref.Val) ref.Val {
			return types.Bool(st.inCategory(string(args[0].(types.String))))
		},
		fnPurchasedWithin: func(_ string, args ...ref.Val) ref.Val {
			return types.Bool(st.purchasedWithin(args[0].(types.Duration).Duration))
		},
		fnSupportedCharity: func(_ string, args ...ref.Val) ref.Val {
			return types.Bool(st.supportedCharity(args[0].(types.Timestamp).Time))
		},
	}
	return st
}
