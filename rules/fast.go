package rules

import (
	"fmt"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/internal/celfast"
)

// binder compiles the rule language's variables and domain functions into
// closures that read the request directly: no boxing, no activation. A
// binder may fix the message purpose and the recipient kind, so that a
// condition is specialised to them: comparisons with them fold to
// constants and so do the conjunctions they decide.
type binder struct {
	purpose consent.Purpose       // 0: not fixed
	kind    consent.RecipientKind // 0: not fixed
	host    map[string]*hostFunc  // the host's functions, by name
}

// fixedEnum is an enumerated variable whose value is known at compile time.
func fixedEnum(vocab string, names []string, n uint8, parse func(string) (uint8, bool)) cval {
	text := names[n]
	return cval{Kind: celfast.String, IsConst: true, Const: text,
		String: func(*evalState) string { return text },
		Enum:   &celfast.Enum[evalState]{Name: vocab, Get: func(*evalState) uint8 { return n }, Parse: parse}}
}

type cval = celfast.Value[evalState]

func enumVar(vocab string, names []string, get func(*evalState) uint8, parse func(string) (uint8, bool)) cval {
	return cval{Kind: celfast.String,
		String: func(s *evalState) string { return names[get(s)] },
		Enum:   &celfast.Enum[evalState]{Name: vocab, Get: get, Parse: parse}}
}

// parser adapts a consent Parse function to an enum parser.
func parser[T ~uint8](parse func(string) (T, error), max T) func(string) (uint8, bool) {
	return func(s string) (uint8, bool) {
		v, err := parse(s)
		return uint8(v), err == nil && v < max
	}
}

// names returns the text of every value of an enum, indexed by number.
func names(list []string) []string { return append([]string{""}, list...) }

var (
	purposeText   = names(consent.PurposeNames())
	channelText   = names(consent.ChannelNames())
	recipientText = names(consent.RecipientKindNames())
	senderText    = names(consent.SenderKindNames())
	defectText    = defectNames()

	parsePurpose   = parser(consent.ParsePurpose, consent.AllMarketing)
	parseChannel   = parser(consent.ParseChannel, consent.AllChannels)
	parseRecipient = parser(consent.ParseRecipientKind, consent.SoleTrader+1)
	parseSender    = parser(consent.ParseSenderKind, consent.Charity+1)
)

func parseDefect(s string) (uint8, bool) {
	for i, n := range defectText {
		if n == s {
			return uint8(i), true
		}
	}
	return 0, false
}

// Var implements celfast.Binder for the rule language's variables.
func (b binder) Var(name string) (cval, bool) {
	switch {
	case name == varKind && b.kind != 0:
		return fixedEnum(recipientVocab.name, recipientText, uint8(b.kind), parseRecipient), true
	case name == varPurpose && b.purpose != 0:
		return fixedEnum(purposeVocab.name, purposeText, uint8(b.purpose), parsePurpose), true
	}
	switch name {
	case varKind:
		return enumVar(recipientVocab.name, recipientText, func(s *evalState) uint8 { return uint8(s.c.Kind) }, parseRecipient), true
	case varPurpose:
		return enumVar(purposeVocab.name, purposeText, func(s *evalState) uint8 { return uint8(s.m.Purpose) }, parsePurpose), true
	case varChannel:
		return enumVar(channelVocab.name, channelText, func(s *evalState) uint8 { return uint8(s.m.Channel) }, parseChannel), true
	case varSenderKind:
		return enumVar(senderVocab.name, senderText, func(s *evalState) uint8 { return uint8(s.m.Sender.Kind) }, parseSender), true
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
		return cval{Kind: celfast.Timestamp, Time: func(s *evalState) time.Time { return s.m.At }}, true
	}
	return cval{}, false
}

// enumArg compiles an argument that must be a member of an enumeration:
// a constant is parsed once here; an enumerated variable is read by number.
func enumArg(v cval, vocab *enumVocab, parse func(string) (uint8, bool)) (func(*evalState) uint8, error) {
	switch {
	case v.Enum != nil && v.Enum.Name != vocab.name:
		return nil, fmt.Errorf("%w: a %s where a %s is expected", celfast.ErrUnsupported, v.Enum.Name, vocab.name)
	case v.IsConst && v.Kind == celfast.String:
		n, ok := parse(v.Const.(string))
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
		return f.bind(args)
	}
	if f := b.host[fn]; f != nil {
		return cval{Kind: celfast.Bool, Bool: f.call}, nil
	}
	return cval{}, fmt.Errorf("%w: function %s", celfast.ErrUnsupported, fn)
}
