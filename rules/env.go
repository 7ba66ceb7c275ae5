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

// Domain functions of the rule language; see the package documentation.
const (
	fnHasConsent         = "hasConsent"
	fnObjected           = "objected"
	fnWithdrawn          = "withdrawn"
	fnConsentDefect      = "consentDefect"
	fnConsentOtherChan   = "consentOnOtherChannel"
	fnSimilarPurchase    = "similarPurchase"
	fnSimilarNoOptOut    = "similarPurchaseNoOptOut"
	fnSimilarInquiry     = "similarInquiry"
	fnInquiryNoOptOut    = "similarInquiryNoOptOut"
	fnIsCustomer         = "isCustomer"
	fnPurchasedWithin    = "purchasedWithin"
	fnSupportedCharity   = "supportedCharity"
	fnOptOutAtCollection = "optOutOfferedAtCollection"
	fnOngoingContract    = "ongoingContract"
	fnInCategory         = "inCategory"
)

var funcArgVocab = map[string][]*enumVocab{
	fnHasConsent:       {purposeVocab, channelVocab},
	fnObjected:         {purposeVocab, channelVocab},
	fnWithdrawn:        {purposeVocab, channelVocab},
	fnConsentDefect:    {purposeVocab, channelVocab},
	fnConsentOtherChan: {purposeVocab},
}

var funcResultVocab = map[string]*enumVocab{fnConsentDefect: defectVocab}

// newEnv declares the rule language: typed variables for the contact, the
// request and the instant, and the domain functions, all late-bound to the
// request being decided. Comprehension macros are left out: list logic
// belongs in domain functions, where it is bounded and typed.
func newEnv() (*cel.Env, error) {
	late := cel.LateFunctionBinding()
	s, b := cel.StringType, cel.BoolType
	fn := func(name string, args []*cel.Type, result *cel.Type) cel.EnvOption {
		return cel.Function(name, cel.Overload(name+"_overload", args, result, late))
	}
	return cel.NewEnv(
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
		fn(fnHasConsent, []*cel.Type{s, s}, b),
		fn(fnObjected, []*cel.Type{s, s}, b),
		fn(fnWithdrawn, []*cel.Type{s, s}, b),
		fn(fnConsentDefect, []*cel.Type{s, s}, s),
		fn(fnConsentOtherChan, []*cel.Type{s}, b),
		fn(fnSimilarPurchase, nil, b),
		fn(fnSimilarNoOptOut, nil, b),
		fn(fnSimilarInquiry, nil, b),
		fn(fnInquiryNoOptOut, nil, b),
		fn(fnIsCustomer, nil, b),
		fn(fnPurchasedWithin, []*cel.Type{cel.DurationType}, b),
		fn(fnSupportedCharity, []*cel.Type{cel.TimestampType}, b),
		fn(fnOptOutAtCollection, nil, b),
		fn(fnOngoingContract, nil, b),
		fn(fnInCategory, []*cel.Type{s}, b),
	)
}

// Boxed CEL values of every enumerated value, made once so that resolving a
// variable does not allocate.
var (
	boxedPurpose   = boxAll(consent.PurposeNames())
	boxedChannel   = boxAll(consent.ChannelNames())
	boxedRecipient = boxAll(consent.RecipientKindNames())
	boxedSender    = boxAll(consent.SenderKindNames())
	boxedDefect    = boxAll(defectNames())
	boxedCountry   = func() map[string]ref.Val {
		m := map[string]ref.Val{"": types.String("")}
		for _, c := range consent.Countries() {
			m[c.String()] = types.String(c.String())
		}
		return m
	}()
)

// boxAll boxes names so that index i holds the value of enum i+1.
func boxAll(names []string) []ref.Val {
	out := make([]ref.Val, len(names))
	for i, n := range names {
		out[i] = types.String(n)
	}
	return out
}
