package rules

import (
	"slices"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"github.com/sendright/sendright/consent"
)

// enumVocab is the vocabulary of an enumerated CEL string value.
type enumVocab struct {
	name   string
	values []string
	check  func(string) bool // when values cannot be listed
	hint   string            // what check accepts, for error messages
}

func (v *enumVocab) has(s string) bool {
	if v.check != nil {
		return v.check(s)
	}
	return slices.Contains(v.values, s)
}

func (v *enumVocab) examples() []string {
	if len(v.values) == 0 {
		return []string{v.hint}
	}
	return v.values
}

var (
	purposeVocab   = &enumVocab{name: "purpose", values: consent.PurposeNames()}
	channelVocab   = &enumVocab{name: "channel", values: consent.ChannelNames()}
	recipientVocab = &enumVocab{name: "recipient kind", values: consent.RecipientKindNames()}
	senderVocab    = &enumVocab{name: "sender kind", values: consent.SenderKindNames()}
	defectVocab    = &enumVocab{name: "consent defect", values: defectNames()}
	countryVocab   = &enumVocab{name: "country code", hint: "an ISO 3166-1 alpha-2 code", check: func(s string) bool {
		c, err := consent.ParseCountry(s)
		return err == nil && c.String() == s
	}}
	// request.category is the canonical key of the message's category, so a
	// constant compared with it must be a key too, or it would never match.
	categoryVocab = &enumVocab{name: "canonical category key", hint: "lower case with underscores, as consent.CategoryKey gives",
		check: func(s string) bool { return consent.CategoryKey(s) == s }}
)

func defectNames() []string {
	var out []string
	for d := consent.NoDefect; d <= consent.DefectMinor; d++ {
		out = append(out, d.String())
	}
	return out
}

// Variables of the rule language.
const (
	varKind          = "contact.kind"
	varCountry       = "contact.country"
	varPurpose       = "request.purpose"
	varChannel       = "request.channel"
	varCategory      = "request.category"
	varRoleRelevant  = "request.role_relevant"
	varSenderEntity  = "request.sender.entity"
	varSenderKind    = "request.sender.kind"
	varSenderCountry = "request.sender.country"
	varNow           = "now"
)

var varVocab = map[string]*enumVocab{
	varKind: recipientVocab, varCountry: countryVocab, varPurpose: purposeVocab,
	varChannel: channelVocab, varSenderKind: senderVocab, varSenderCountry: countryVocab,
	varCategory: categoryVocab,
}

// newEnv declares the rule language: typed variables for the contact, the
// request and the instant, and the domain functions of the table
// ([domainFuncs]) and the host's ([Params.Functions]), all late-bound to the
// request being decided. Comprehension macros are left out: list logic
// belongs in domain functions, where it is bounded and typed.
func newEnv(host []Function) (*cel.Env, error) {
	late := cel.LateFunctionBinding()
	s, b := cel.StringType, cel.BoolType
	opts := []cel.EnvOption{
		cel.ClearMacros(),
		cel.Macros(cel.HasMacro),
		cel.DefaultUTCTimeZone(true),
		cel.Variable(varKind, s),
		cel.Variable(varCountry, s),
		cel.Variable(varPurpose, s),
		cel.Variable(varChannel, s),
		cel.Variable(varCategory, s),
		cel.Variable(varRoleRelevant, b),
		cel.Variable(varSenderEntity, s),
		cel.Variable(varSenderKind, s),
		cel.Variable(varSenderCountry, s),
		cel.Variable(varNow, cel.TimestampType),
	}
	for i := range domainFuncs {
		f := &domainFuncs[i]
		var args []*cel.Type
		for _, p := range f.params {
			args = append(args, p.typ)
		}
		opts = append(opts, cel.Function(f.name, cel.Overload(f.name+"_overload", args, f.result.typ, late)))
	}
	for _, f := range host {
		opts = append(opts, cel.Function(f.Name, cel.Overload(f.Name+"_overload", nil, b, late)))
	}
	return cel.NewEnv(opts...)
}

// boxAll boxes names, index for index.
func boxAll(names []string) []ref.Val {
	out := make([]ref.Val, len(names))
	for i, n := range names {
		out[i] = types.String(n)
	}
	return out
}
