package eligibility

import (
	"fmt"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/internal/celfast"
)

// binder compiles the rule language's variables and domain functions into
// closures that read the request directly: no boxing, no activation. A
// binder may fix the message purpose, the recipient kind and the channel,
// so that a condition is specialised to them: comparisons with them fold to
// constants and so do the conjunctions they decide.
type binder struct {
	purpose consent.Purpose       // 0: not fixed
	kind    consent.RecipientKind // 0: not fixed
	channel consent.Channel       // 0: not fixed
	host    map[string]*hostFunc  // the host's functions, by name
	// nexts, when not nil, collects the change points of the clocked
	// calls compiled (see [nextFn]).
	nexts *[]nextFn
}

// fixedEnum is an enumerated variable whose value is known at compile time.
func fixedEnum(v *enumVocab, n uint8) cval {
	text := v.text[n]
	return cval{Kind: celfast.String, IsConst: true, Const: text,
		String: func(*evalState) string { return text },
		Enum:   &celfast.Enum[evalState]{Name: v.name, Get: func(*evalState) uint8 { return n }, Parse: v.parse}}
}

type cval = celfast.Value[evalState]

func enumVar(v *enumVocab, get func(*evalState) uint8) cval {
	text := v.text
	return cval{Kind: celfast.String,
		String: func(s *evalState) string { return text[get(s)] },
		Enum:   &celfast.Enum[evalState]{Name: v.name, Get: get, Parse: v.parse}}
}

// Var implements celfast.Binder for the rule language's variables.
func (b binder) Var(name string) (cval, bool) {
	switch {
	case name == varKind && b.kind != 0:
		return fixedEnum(recipientVocab, uint8(b.kind)), true
	case name == varPurpose && b.purpose != 0:
		return fixedEnum(purposeVocab, uint8(b.purpose)), true
	case name == varChannel && b.channel != 0:
		return fixedEnum(channelVocab, uint8(b.channel)), true
	}
	switch name {
	case varKind:
		return enumVar(recipientVocab, func(s *evalState) uint8 { return uint8(s.c.Kind) }), true
	case varPurpose:
		return enumVar(purposeVocab, func(s *evalState) uint8 { return uint8(s.m.Purpose) }), true
	case varChannel:
		return enumVar(channelVocab, func(s *evalState) uint8 { return uint8(s.m.Channel) }), true
	case varSenderKind:
		return enumVar(senderVocab, func(s *evalState) uint8 { return uint8(s.m.Sender.Kind) }), true
	case varCountry:
		return cval{Kind: celfast.String, String: func(s *evalState) string { return s.c.Country.String() }}, true
	case varSenderCountry:
		return cval{Kind: celfast.String, String: func(s *evalState) string { return s.m.Sender.Country.String() }}, true
	case varCategory:
		return cval{Kind: celfast.String, String: func(s *evalState) string { return s.cat }}, true
	case varSenderEntity:
		return cval{Kind: celfast.String, String: func(s *evalState) string { return s.m.Sender.Entity }}, true
	case varRoleRelevant:
		return cval{Kind: celfast.Bool, Bool: func(s *evalState) bool { return s.m.RoleRelevant }}, true
	case varNow:
		return cval{Kind: celfast.Timestamp, Time: func(s *evalState) time.Time { return s.now }}, true
	}
	if h := b.host[name]; h != nil && h.def.variable {
		v, err := h.def.bind(h, nil)
		return v, err == nil
	}
	return cval{}, false
}

// enumArg compiles an argument that must be a member of an enumeration:
// a constant is parsed once here; an enumerated variable is read by number.
func enumArg(v cval, vocab *enumVocab) (func(*evalState) uint8, error) {
	switch {
	case v.Enum != nil && v.Enum.Name != vocab.name:
		return nil, fmt.Errorf("%w: a %s where a %s is expected", celfast.ErrUnsupported, v.Enum.Name, vocab.name)
	case v.IsConst && v.Kind == celfast.String:
		n, ok := vocab.parse(v.Const.(string))
		if !ok {
			return nil, fmt.Errorf("%w: %q", celfast.ErrUnsupported, v.Const)
		}
		return func(*evalState) uint8 { return n }, nil
	case v.Enum != nil:
		return v.Enum.Get, nil
	}
	return nil, fmt.Errorf("%w: a non-enumerated argument", celfast.ErrUnsupported)
}

// Call implements celfast.Binder for the domain functions of the table and
// the host's. An argument outside its vocabulary, or of another
// vocabulary, is an error: the condition does not compile.
func (b binder) Call(fn string, args []cval) (cval, error) {
	if f := funcByName[fn]; f != nil {
		if f.next != nil && b.nexts != nil {
			n, err := f.next(args)
			if err != nil {
				return cval{}, err
			}
			*b.nexts = append(*b.nexts, n)
		}
		return f.bind(args)
	}
	if h := b.host[fn]; h != nil && !h.def.variable {
		return h.def.bind(h, args)
	}
	return cval{}, fmt.Errorf("%w: function %s", celfast.ErrUnsupported, fn)
}
