package eligibility

import (
	"slices"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/internal/enum"
)

// enumVocab is the vocabulary of an enumerated CEL string value. The
// enumerated ones are derived from the types' own names ([vocabOf]), so a
// vocabulary is listed once, where its type is declared.
type enumVocab struct {
	name   string
	values []string          // the members' text forms, in value order
	text   []string          // text[v] is value v's text form, "" for no member
	member []bool            // member[v] reports whether v is a member
	boxed  []ref.Val         // boxed[v] is text[v] as a CEL value, made once: resolving does not allocate
	check  func(string) bool // when values cannot be listed
	hint   string            // what check accepts, for error messages
}

// vocabOf derives the vocabulary of T's members below limit (0: all of
// them) from T's own names. limit leaves out the record scopes
// (AllMarketing, AllChannels), which are no message's purpose or channel.
func vocabOf[T enum.Vocabulary](name string, limit T) *enumVocab {
	vals, text := enum.Members(limit)
	return indexed(name, vals, text)
}

// textVocab is the vocabulary of a type whose value is its index in text
// (time.Weekday).
func textVocab(name string, text ...string) *enumVocab {
	vals := make([]uint8, len(text))
	for i := range vals {
		vals[i] = uint8(i)
	}
	return indexed(name, vals, text)
}

func indexed[T ~uint8](name string, vals []T, values []string) *enumVocab {
	v := &enumVocab{name: name, values: values}
	n := int(vals[len(vals)-1]) + 1
	v.text, v.member, v.boxed = make([]string, n), make([]bool, n), make([]ref.Val, n)
	for i, x := range vals {
		v.text[x], v.member[x] = values[i], true
	}
	for i, t := range v.text {
		v.boxed[i] = types.String(t)
	}
	return v
}

// parse returns the member whose text form is s.
func (v *enumVocab) parse(s string) (uint8, bool) {
	for i, t := range v.text {
		if t == s && v.member[i] {
			return uint8(i), true
		}
	}
	return 0, false
}

func (v *enumVocab) has(s string) bool {
	if v.check != nil {
		return v.check(s)
	}
	return slices.Contains(v.values, s)
}

// The vocabularies of the rule language.
var (
	purposeVocab   = vocabOf("purpose", consent.AllMarketing)
	channelVocab   = vocabOf("channel", consent.AllChannels)
	recipientVocab = vocabOf[consent.RecipientKind]("recipient kind", 0)
	senderVocab    = vocabOf[consent.SenderKind]("sender kind", 0)
	defectVocab    = vocabOf[consent.Defect]("consent defect", 0)
	methodVocab    = vocabOf[consent.Method]("consent method", 0)
	// the elements of a written agreement: writtenConsentMissing never
	// names consent.Indefinite, so comparing it with 'indefinite' is an
	// error, not a rule that never matches
	termVocab    = vocabOf("written consent term", consent.Indefinite)
	weekdayVocab = textVocab("weekday", "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
	countryVocab = &enumVocab{name: "country code", hint: "an ISO 3166-1 alpha-2 code", check: func(s string) bool {
		c, err := address.ParseCountry(s)
		return err == nil && c.String() == s
	}}
	// request.category is the canonical key of the message's category, so a
	// constant compared with it must be a key too, or it would never match.
	categoryVocab = &enumVocab{name: "canonical category key", hint: "lower case with underscores, as consent.CategoryKey gives",
		check: func(s string) bool { return consent.CategoryKey(s) == s }}
)

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
func newEnv(host map[string]*hostFunc) (*cel.Env, error) {
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
	opts = append(opts, hostOptions(host)...)
	return cel.NewEnv(opts...)
}
