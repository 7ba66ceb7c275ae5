package eligibility

import (
	"fmt"
	"strings"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/internal/celfast"
)

// The domain functions of the rule language are declared once, in
// [domainFuncs]: name, signature (the parameter and result descriptors,
// which carry the vocabularies), implementation and one line of
// documentation. From that table come the CEL declarations ([newEnv]), the
// compiled closures ([binder.Call]), the compile-time vocabulary checks
// ([checkConstants]), cel-go's late-bound functions for the differential
// tests, and the documented function table (the documentation of package
// rules and the README, checked by tests). Adding a function is one entry;
// a new argument or result type is one descriptor.

// funcDef is one domain function, type-erased for the table.
type funcDef struct {
	name   string
	doc    string      // one line: what it returns
	params []paramInfo // in order
	result paramInfo
	// bind compiles a call whose arguments are compiled already.
	bind func(args []cval) (cval, error)
	// late evaluates a call on cel-go's values, for the oracle tests; a bad
	// argument is a CEL error value.
	late func(st *evalState, args []ref.Val) ref.Val
	// timing says how the value depends on the instant evaluated; every
	// entry declares it (a test checks).
	timing timing
	// next, for a clocked function, binds a call's arguments into its
	// change-point function (see [nextFn]).
	next func(args []cval) (nextFn, error)
	// work and since are the function's worst case and the language level
	// that introduced it, declared in [funcMeta].
	work  work
	since int
}

// nextFn is a call's change points: the earliest instant strictly after
// `after` at which its value may change, or the zero time when it never
// does (beyond the change points the search adds itself: rule validity
// dates and the contact's event instants). Early is safe — the search
// evaluates again and finds nothing changed — late is a bug: the search
// would step over the instant the send becomes lawful.
type nextFn func(st *evalState, after time.Time) time.Time

// timing is how a domain function's value depends on the instant being
// evaluated (evalState.now).
type timing uint8

const (
	untimed    timing = iota // not declared: the table test fails
	timeFree                 // does not read the instant
	eventTimed               // compares the instant only with the contact's event instants, which the search adds
	clocked                  // reads the clock: declares next
)

// free marks a function whose value does not depend on the instant.
func free(f funcDef) funcDef { f.timing = timeFree; return f }

// byEvents marks a function whose value changes only at the contact's
// event instants (records, interactions, contracts, responses, the
// collection, attempts, registry lookups), which the search adds as change
// points for every jurisdiction. Birthdays are not among them: a minor's
// age is taken when the consent was captured, not at the instant decided.
func byEvents(f funcDef) funcDef { f.timing = eventTimed; return f }

// after0 gives a function without arguments its change points.
func after0(f funcDef, next func(*evalState, time.Time) time.Time) funcDef {
	f.timing = clocked
	f.next = func([]cval) (nextFn, error) { return next, nil }
	return f
}

// after1 gives a function of one argument its change points, which may
// depend on the argument.
func after1[A any](f funcDef, a param[A], next func(*evalState, A, time.Time) time.Time) funcDef {
	f.timing = clocked
	f.next = func(args []cval) (nextFn, error) {
		x, err := a.bind(args[0])
		if err != nil {
			return nil, err
		}
		return func(s *evalState, after time.Time) time.Time { return next(s, x(s), after) }, nil
	}
	return f
}

// after2 gives a function of two arguments its change points, which may
// depend on the arguments.
func after2[A, B any](f funcDef, a param[A], b param[B], next func(*evalState, A, B, time.Time) time.Time) funcDef {
	f.timing = clocked
	f.next = func(args []cval) (nextFn, error) {
		x, err := a.bind(args[0])
		if err != nil {
			return nil, err
		}
		y, err := b.bind(args[1])
		if err != nil {
			return nil, err
		}
		return func(s *evalState, after time.Time) time.Time { return next(s, x(s), y(s), after) }, nil
	}
	return f
}

// after3 gives a function of three arguments its change points, which may
// depend on the arguments.
func after3[A, B, C any](f funcDef, a param[A], b param[B], c param[C], next func(*evalState, A, B, C, time.Time) time.Time) funcDef {
	f.timing = clocked
	f.next = func(args []cval) (nextFn, error) {
		x, err := a.bind(args[0])
		if err != nil {
			return nil, err
		}
		y, err := b.bind(args[1])
		if err != nil {
			return nil, err
		}
		z, err := c.bind(args[2])
		if err != nil {
			return nil, err
		}
		return func(s *evalState, after time.Time) time.Time { return next(s, x(s), y(s), z(s), after) }, nil
	}
	return f
}

// paramInfo is what the declarations, the checks and the docs need of a
// parameter or result type.
type paramInfo struct {
	name  string     // in the documentation, e.g. "purpose"
	typ   *cel.Type  // its CEL type
	vocab *enumVocab // its values must be members of this; nil: any
}

// signature is the function as the documentation shows it, e.g.
// "hasConsent(purpose, channel) bool".
func (f *funcDef) signature() string {
	var ps []string
	for _, p := range f.params {
		ps = append(ps, p.name)
	}
	return f.name + "(" + strings.Join(ps, ", ") + ") " + f.result.name
}

// param is an argument type: how a compiled argument is read as a T, and
// how cel-go's value is.
type param[T any] struct {
	paramInfo
	bind func(cval) (func(*evalState) T, error)
	from func(ref.Val) (T, error)
}

// result is a result type: how a T-valued closure becomes a compiled value,
// and how a T is boxed for cel-go.
type result[T any] struct {
	paramInfo
	wrap func(func(*evalState) T) cval
	box  func(T) ref.Val
}

// enumParam is an argument that must be a member of a consent vocabulary:
// a constant is parsed at compile time, an enumerated variable of the same
// vocabulary is read by number; anything else is a compile error.
func enumParam[T ~uint8](name string, v *enumVocab) param[T] {
	return param[T]{
		paramInfo: paramInfo{name: name, typ: cel.StringType, vocab: v},
		bind: func(a cval) (func(*evalState) T, error) {
			get, err := enumArg(a, v)
			if err != nil {
				return nil, err
			}
			return func(s *evalState) T { return T(get(s)) }, nil
		},
		from: func(a ref.Val) (T, error) {
			s, _ := a.(types.String)
			n, ok := v.parse(string(s))
			if !ok {
				return 0, fmt.Errorf("not a %s: %q", v.name, clip(string(s)))
			}
			return T(n), nil
		},
	}
}

// kindParam is an argument of a CEL primitive kind with no vocabulary.
func kindParam[T any](name string, typ *cel.Type, k celfast.Kind, get func(cval) func(*evalState) T,
	from func(ref.Val) T) param[T] {
	return param[T]{
		paramInfo: paramInfo{name: name, typ: typ},
		bind: func(a cval) (func(*evalState) T, error) {
			if a.Kind != k {
				return nil, fmt.Errorf("%w: a %v where a %s is expected", celfast.ErrUnsupported, a.Kind, name)
			}
			return get(a), nil
		},
		from: func(a ref.Val) (T, error) { return from(a), nil },
	}
}

// Argument types.
var (
	purposeParam = enumParam[consent.Purpose]("purpose", purposeVocab)
	channelParam = enumParam[consent.Channel]("channel", channelVocab)
	// scopePurposeParam and scopeChannelParam also take the record scopes
	// all_marketing and all, which count the sends of every marketing
	// purpose and on every channel.
	scopePurposeParam = enumParam[consent.Purpose]("purpose", vocabOf[consent.Purpose]("purpose", 0))
	scopeChannelParam = enumParam[consent.Channel]("channel", vocabOf[consent.Channel]("channel", 0))
	categoryParam     = kindParam("category", cel.StringType, celfast.String,
		func(a cval) func(*evalState) string { return a.String },
		func(a ref.Val) string { return string(a.(types.String)) })
	durationParam = kindParam("duration", cel.DurationType, celfast.Duration,
		func(a cval) func(*evalState) time.Duration { return a.Dur },
		func(a ref.Val) time.Duration { return a.(types.Duration).Duration })
	windowParam = kindParam("window", cel.StringType, celfast.String,
		func(a cval) func(*evalState) string { return a.String },
		func(a ref.Val) string { return string(a.(types.String)) })
	timestampParam = kindParam("timestamp", cel.TimestampType, celfast.Timestamp,
		func(a cval) func(*evalState) time.Time { return a.Time },
		func(a ref.Val) time.Time { return a.(types.Timestamp).Time })
)

// Result types.
var (
	boolResult = result[bool]{
		paramInfo: paramInfo{name: "bool", typ: cel.BoolType},
		wrap:      func(f func(*evalState) bool) cval { return cval{Kind: celfast.Bool, Bool: f} },
		box:       func(b bool) ref.Val { return types.Bool(b) },
	}
	intResult = result[int64]{
		paramInfo: paramInfo{name: "int", typ: cel.IntType},
		wrap:      func(f func(*evalState) int64) cval { return cval{Kind: celfast.Int, Int: f} },
		box:       func(n int64) ref.Val { return types.Int(n) },
	}
	defectResult  = enumResult[consent.Defect]("consent defect", defectVocab)
	methodResult  = enumResult[consent.Method]("consent method", methodVocab)
	termResult    = enumResult[consent.Term]("written consent term", termVocab)
	weekdayResult = enumResult[time.Weekday]("weekday", weekdayVocab)
)

// enumResult is a result that is a member of a vocabulary: rules compare it
// with constants of that vocabulary, which compile to numbers.
func enumResult[T ~uint8 | ~int](name string, v *enumVocab) result[T] {
	return result[T]{
		paramInfo: paramInfo{name: name, typ: cel.StringType, vocab: v},
		wrap: func(f func(*evalState) T) cval {
			return enumVar(v, func(s *evalState) uint8 { return uint8(f(s)) })
		},
		box: func(x T) ref.Val { return v.boxed[x] },
	}
}

// The declarations below read a constant argument once, when the call is
// bound: a constant's closure returns its value whatever the state
// (celfast.Value.IsConst), so it is called with none, and the call's
// closure passes the value on without calling it for every decision.

// fn0 declares a function without arguments.
func fn0[R any](name string, r result[R], impl func(*evalState) R, doc string) funcDef {
	return funcDef{name: name, doc: doc, result: r.paramInfo,
		bind: func([]cval) (cval, error) { return r.wrap(impl), nil },
		late: func(st *evalState, _ []ref.Val) ref.Val { return r.box(impl(st)) }}
}

// fn1 declares a function of one argument.
func fn1[A, R any](name string, a param[A], r result[R], impl func(*evalState, A) R, doc string) funcDef {
	return funcDef{name: name, doc: doc, params: []paramInfo{a.paramInfo}, result: r.paramInfo,
		bind: func(args []cval) (cval, error) {
			x, err := a.bind(args[0])
			if err != nil {
				return cval{}, err
			}
			if args[0].IsConst {
				cx := x(nil)
				return r.wrap(func(s *evalState) R { return impl(s, cx) }), nil
			}
			return r.wrap(func(s *evalState) R { return impl(s, x(s)) }), nil
		},
		late: func(st *evalState, args []ref.Val) ref.Val {
			x, err := a.from(args[0])
			if err != nil {
				return types.NewErr("%v", err)
			}
			return r.box(impl(st, x))
		}}
}

// fn2 declares a function of two arguments.
func fn2[A, B, R any](name string, a param[A], b param[B], r result[R], impl func(*evalState, A, B) R, doc string) funcDef {
	return funcDef{name: name, doc: doc, params: []paramInfo{a.paramInfo, b.paramInfo}, result: r.paramInfo,
		bind: func(args []cval) (cval, error) {
			x, err := a.bind(args[0])
			if err != nil {
				return cval{}, err
			}
			y, err := b.bind(args[1])
			if err != nil {
				return cval{}, err
			}
			if args[0].IsConst && args[1].IsConst {
				cx, cy := x(nil), y(nil)
				return r.wrap(func(s *evalState) R { return impl(s, cx, cy) }), nil
			}
			return r.wrap(func(s *evalState) R { return impl(s, x(s), y(s)) }), nil
		},
		late: func(st *evalState, args []ref.Val) ref.Val {
			x, err := a.from(args[0])
			if err != nil {
				return types.NewErr("%v", err)
			}
			y, err := b.from(args[1])
			if err != nil {
				return types.NewErr("%v", err)
			}
			return r.box(impl(st, x, y))
		}}
}

// fn3 declares a function of three arguments.
func fn3[A, B, C, R any](name string, a param[A], b param[B], c param[C], r result[R], impl func(*evalState, A, B, C) R, doc string) funcDef {
	return funcDef{name: name, doc: doc, params: []paramInfo{a.paramInfo, b.paramInfo, c.paramInfo}, result: r.paramInfo,
		bind: func(args []cval) (cval, error) {
			x, err := a.bind(args[0])
			if err != nil {
				return cval{}, err
			}
			y, err := b.bind(args[1])
			if err != nil {
				return cval{}, err
			}
			z, err := c.bind(args[2])
			if err != nil {
				return cval{}, err
			}
			if args[0].IsConst && args[1].IsConst && args[2].IsConst {
				cx, cy, cz := x(nil), y(nil), z(nil)
				return r.wrap(func(s *evalState) R { return impl(s, cx, cy, cz) }), nil
			}
			return r.wrap(func(s *evalState) R { return impl(s, x(s), y(s), z(s)) }), nil
		},
		late: func(st *evalState, args []ref.Val) ref.Val {
			x, err := a.from(args[0])
			if err != nil {
				return types.NewErr("%v", err)
			}
			y, err := b.from(args[1])
			if err != nil {
				return types.NewErr("%v", err)
			}
			z, err := c.from(args[2])
			if err != nil {
				return types.NewErr("%v", err)
			}
			return r.box(impl(st, x, y, z))
		}}
}

// inCategoryDef binds a call of inCategory with a constant, the sector
// bans' form, to the constant's canonical key, computed once, so that
// no decision canonicalises it again.
func inCategoryDef(f funcDef) funcDef {
	general := f.bind
	f.bind = func(args []cval) (cval, error) {
		if a := args[0]; a.IsConst && a.Kind == celfast.String {
			key := consent.CategoryKey(a.Const.(string))
			return boolResult.wrap(func(s *evalState) bool { return s.similarKey(key) }), nil
		}
		return general(args)
	}
	return f
}

// domainFuncs is the rule language's function table, in documentation
// order.
var domainFuncs = []funcDef{
	byEvents(fn2("hasConsent", purposeParam, channelParam, boolResult, (*evalState).hasConsent,
		"a grant that counts is in force for the purpose (with coverage), the channel and the sender entity, for the address messaged")),
	byEvents(fn2("objected", purposeParam, channelParam, boolResult, (*evalState).objected,
		"an objection covering the purpose and channel is in force, or marketing was refused at collection")),
	byEvents(fn2("withdrawn", purposeParam, channelParam, boolResult, (*evalState).withdrawn,
		"a withdrawal covering the purpose and channel is in force")),
	after2(fn2("stopBusinessDays", purposeParam, channelParam, intResult, (*evalState).stopBusinessDays,
		"the number of business days (Monday to Friday, less the public holidays of the recipient's holiday table) from the earliest withdrawal or objection in force for the purpose and channel (as withdrawn and objected match them) to the instant evaluated, on local dates in the recipient's time zone (the dates after the stop's, up to and including the instant's); -1 when none is in force"),
		purposeParam, channelParam, (*evalState).stopBusinessDaysNext),
	byEvents(fn2("consentDefect", purposeParam, channelParam, defectResult, (*evalState).consentDefect,
		"why the grant on file does not count: 'pre_ticked', 'method_unknown', 'unproven', 'unconfirmed', 'minor', or the empty string when none")),
	byEvents(fn2("consentMethod", purposeParam, channelParam, methodResult, (*evalState).consentMethod,
		"how the grant that counts (as hasConsent) was captured: 'unticked_checkbox', 'double_opt_in', 'signed_form', 'recorded_verbal' or 'imported'; the empty string when none counts")),
	byEvents(fn2("consentDocumented", purposeParam, channelParam, boolResult, (*evalState).consentDocumented,
		"the grant that counts (as hasConsent) records where it was captured (source), the wording shown (wording_version) and its stored proof (proof_ref)")),
	byEvents(fn1("consentOnOtherChannel", purposeParam, boolResult, (*evalState).consentOnOtherChannel,
		"a grant that counts exists for the purpose on another channel only")),
	byEvents(fn0("similarPurchase", boolResult, (*evalState).similarPurchase,
		"a purchase from the sender entity, in the message's category or a similarity group with it, where the address or number messaged was collected with an opt-out offered")),
	byEvents(fn0("similarPurchaseNoOptOut", boolResult, (*evalState).similarPurchaseNoOptOut,
		"as similarPurchase, but no opt-out was offered at collection")),
	byEvents(fn0("similarInquiry", boolResult, (*evalState).similarInquiry,
		"as similarPurchase, for an inquiry or quote (UK negotiations)")),
	byEvents(fn0("similarInquiryNoOptOut", boolResult, (*evalState).similarInquiryNoOptOut,
		"as similarInquiry, but no opt-out was offered at collection")),
	byEvents(fn0("isCustomer", boolResult, (*evalState).isCustomer,
		"any purchase from the sender entity")),
	after1(fn1("purchasedWithin", durationParam, boolResult, (*evalState).purchasedWithin,
		"a purchase from the sender entity within the duration before the message"), durationParam, (*evalState).purchaseLeaves),
	after1(fn1("similarPurchaseWithin", durationParam, boolResult, (*evalState).similarPurchaseWithin,
		"as similarPurchase, the purchase within the duration before the message (a soft opt-in bounded in time)"), durationParam, (*evalState).purchaseLeaves),
	byEvents(fn1("supportedCharity", timestampParam, boolResult, (*evalState).supportedCharity,
		"support or interest expressed to the sending charity since the instant, the address or number collected then, opt-out offered")),
	after1(fn1("supportedWithin", durationParam, boolResult, (*evalState).supportedWithin,
		"as supportedCharity, for support expressed within the duration before the message"), durationParam, (*evalState).supportLeaves),
	free(fn0("optOutOfferedAtCollection", boolResult, (*evalState).optOutOfferedAtCollection,
		"the contact was informed and offered an objection when the address was collected")),
	free(fn0("publishedForMarketing", boolResult, (*evalState).publishedForMarketing,
		"the address or number messaged is one the contact's organisation published itself for receiving marketing (contact published_for_marketing; Dutch legal persons)")),
	free(inCategoryDef(fn1("inCategory", categoryParam, boolResult, (*evalState).inCategory,
		"the message's category is this one or in a similarity group with it (sector bans); a constant must be a sector category or a similarity-group member"))),
	byEvents(fn0("ongoingContract", boolResult, (*evalState).ongoingContract,
		"a contract with the sender entity is in force for the message's category or one in a similarity group with it")),
	after0(fn0("localHour", intResult, (*evalState).localHour,
		"the hour (0 to 23) of the message instant in the recipient's time zone"), (*evalState).nextLocalHour),
	after0(fn0("localWeekday", weekdayResult, (*evalState).localWeekday,
		"the day of the week of the message instant in the recipient's time zone: 'monday' … 'sunday'"), (*evalState).nextLocalDay),
	after1(fn1("inWindow", windowParam, boolResult, (*evalState).inWindow,
		"the message instant is inside the named window of the set's parameters, in the recipient's time zone (a constant naming a window of the rule's set or its bases)"),
		windowParam, (*evalState).nextWindow),
	after0(fn0("holiday", boolResult, (*evalState).holiday,
		"the message instant's date, in the recipient's time zone, is a public holiday where the recipient is (country, or region when given)"),
		(*evalState).nextLocalDay),
	after1(fn1("callAttempts", daysParam, intResult, (*evalState).callAttempts,
		"the number of calls (voice_live or voice_automated attempts) by the sender entity, up to the instant evaluated, in the period of days calendar days ending with its date in the recipient's time zone (today and the days-1 dates before it; a call leaves at a local midnight, whatever its hour); days is a constant from 1 to 3660"),
		daysParam, (*evalState).callAttemptsNext),
	after1(fn1("refusedWithin", daysParam, boolResult, (*evalState).refusedWithin,
		"a call by the sender entity, up to the instant evaluated, during which the person refused (attempt outcome 'refused'), whose date is less than days calendar days before today in the recipient's time zone: it holds until the end of the days-th date after the refusal's (the refusal's own date not counted)"),
		daysParam, (*evalState).refusedWithinNext),
	after3(fn3("sent", scopePurposeParam, scopeChannelParam, daysParam, intResult, (*evalState).sent,
		"the number of messages sent by the sender entity (contact sent) for the purpose ('all_marketing': any marketing purpose) on the channel ('all': any), up to the instant evaluated, in the period of days calendar days ending with its date in the recipient's time zone, counted as callAttempts counts calls; days is a constant from 1 to 3660"),
		scopePurposeParam, scopeChannelParam, daysParam, (*evalState).sentNext),
	after1(fn1("ageUnder", yearsParam, boolResult, (*evalState).ageUnder,
		"the recipient's age in whole years on the local date of the instant evaluated, from the contact's birth date, is below years (a constant from 1 to 150); false when the birth date is unknown, which the contact's documentation treats as an adult's"),
		yearsParam, (*evalState).ageUnderNext),
	after1(fn1("registry", registryParam, regStatusResult, (*evalState).registryStatus,
		"the contact's number (in a registry listing them, the e-mail or postal address messaged) in the registry, by the latest lookup no older than its max_age_days: 'listed' (registration in effect after effective_after_days), 'clear', or 'unchecked' (no lookup that counts); the name must be declared by the set's parameters.registries or those of the sets it extends"),
		registryParam, (*evalState).registryNext),
	after1(fn1("consentAfterListing", registryParam, boolResult, (*evalState).consentAfterListing,
		"the contact's number is listed in the registry (registry(name) is 'listed') and a grant that counts for the message's purpose and channel (as hasConsent) was given after the registration; false when the registration date is unknown"),
		registryParam, (*evalState).registryNext),
	after1(fn1("contractWithin", daysParam, boolResult, (*evalState).contractWithin,
		"a contract with the sender entity, of any category, is in force, or ended no more than days (24-hour periods) before the instant evaluated; days is a constant from 1 to 3660"),
		daysParam, (*evalState).contractWithinNext),
	after1(fn1("consentInContract", daysParam, boolResult, (*evalState).consentInContract,
		"a grant that counts for the message's purpose and channel (as hasConsent) was given while a contract with the sender entity was in force, and that contract is in force or ended no more than days (24-hour periods) before the instant evaluated; days is a constant from 1 to 3660"),
		daysParam, (*evalState).contractWithinNext),
	free(fn0("presumedConsent", boolResult, (*evalState).presumedConsent,
		"the host states that the recipient may be presumed to consent to the live call (message presumed_consent); never for a consumer")),
	free(fn0("unregisteredSenderAlias", boolResult, (*evalState).unregisteredSenderAlias,
		"the message is an SMS sent under an alphanumeric sender ID (message.sms_sender.alias) that the host did not confirm registered in the alias register of the recipient's country")),
	free(fn0("mobileMailDomain", boolResult, (*evalState).mobileMailDomain,
		"the contact's e-mail address is at one of the host's mobile mail domains (Params.MobileMailDomains, e.g. the FCC's list of wireless domain names) or a subdomain of one; false without a list")),
	free(fn0("fixedLine", boolResult, (*evalState).fixedLine,
		"the contact's phone number is a geographic fixed line by its numbering plan (known for Irish numbers: +353 and a geographic area code; mobiles and non-geographic numbers are not); false when the plan does not tell")),
	free(fn0("pushPermitted", boolResult, (*evalState).pushPermitted,
		"the operating system's notification permission for the contact's push address, as the host last saw it")),
	after1(fn1("prospectActiveWithin", durationParam, boolResult, (*evalState).prospectActiveWithin,
		"the contact's details were collected (collected_at), or the person last made contact with the sender entity (a response, an inquiry or a purchase), less than the duration before the instant evaluated; false when none is known"),
		durationParam, (*evalState).activityNext),
	after1(fn1("customerActiveWithin", durationParam, boolResult, (*evalState).customerActiveWithin,
		"a contract with the sender entity is in force, or the last purchase from it, end of a contract with it, response or inquiry to it is less than the duration before the instant evaluated"),
		durationParam, (*evalState).activityNext),
	after1(fn1("inquiredWithin", durationParam, boolResult, (*evalState).inquiredWithin,
		"an inquiry or application to the sender entity within the duration before the message"), durationParam, (*evalState).inquiryLeaves),
	after1(fn1("callsWithin", durationParam, intResult, (*evalState).callsWithin,
		"the number of calls (voice_live or voice_automated attempts) by the sender entity no more than the duration before the instant evaluated, up to it: a rolling period, whatever the local dates"),
		durationParam, (*evalState).callsWithinNext),
	after3(fn3("sentWithin", scopePurposeParam, scopeChannelParam, durationParam, intResult, (*evalState).sentWithin,
		"the number of messages sent by the sender entity (contact sent) for the purpose ('all_marketing': any marketing purpose) on the channel ('all': any) no more than the duration before the instant evaluated, up to it: a rolling period, as callsWithin"),
		scopePurposeParam, scopeChannelParam, durationParam, (*evalState).sentWithinNext),
	byEvents(fn2("indirectConsent", purposeParam, channelParam, boolResult, (*evalState).indirectConsent,
		"the grant judged for the purpose and channel (the one hasConsent counts, or else the one consentDefect judges) was collected by another legal entity than the sender: partner, co-registration or purchased data (record provenance)")),
	byEvents(fn2("partnerInformed", purposeParam, channelParam, boolResult, (*evalState).partnerInformed,
		"that indirect grant records that the collector designated the recipients (a partner list or a category) and offered a free opt-out from the transfer (record opt_out_offered)")),
	after2(fn2("indirectConsentAged", purposeParam, channelParam, boolResult, (*evalState).indirectConsentAged,
		"the grant that counts (as hasConsent) is indirect and was given more than the set's max_indirect_consent_age_months (calendar months, UTC) before the instant evaluated; false where no set of the chain declares one"),
		purposeParam, channelParam, (*evalState).indirectConsentAgedNext),
	after2(fn2("art14NoticeLate", purposeParam, channelParam, boolResult, (*evalState).art14NoticeLate,
		"the grant that counts (as hasConsent) is indirect, the sender obtained the data (provenance obtained_at, else the grant's instant) more than one calendar month (UTC) before the instant evaluated, and no notice of GDPR art. 14 was sent by then (provenance notice_sent_at)"),
		purposeParam, channelParam, (*evalState).art14NoticeLateNext),
	byEvents(fn0("similarPurchaseElsewhere", boolResult, (*evalState).similarPurchaseElsewhere,
		"a purchase from another legal entity than the sender (an affiliate, a partner), in the message's category or a similarity group with it: a soft opt-in that is that entity's, never the sender's")),
	byEvents(fn2("writtenConsentMissing", purposeParam, channelParam, termResult, (*evalState).writtenConsentMissing,
		"the first element of a written agreement the grant that counts (as hasConsent) lacks: 'signature' (a signed_form grant is signed), 'automated_means' or 'not_purchase_condition' (record terms); the empty string when it has them all or none counts")),
	after3(fn3("consentCurrent", purposeParam, channelParam, durationParam, boolResult, (*evalState).consentCurrent,
		"a grant that counts (as hasConsent) was given no more than the duration before the instant evaluated, or records that it was expressed to be for an indefinite period (record term 'indefinite'): a consent that has not lapsed with age"),
		purposeParam, channelParam, durationParam, (*evalState).consentCurrentNext),
	byEvents(fn3("revokedOn", purposeParam, channelParam, channelParam, boolResult, (*evalState).revokedOn,
		"the grant that counts for the purpose on the first channel (as hasConsent) was given no later than the latest withdrawal, objection or refusal at collection for the purpose on the second channel, lifted since or not: a revocation by another medium (United States, FCC 24-24)")),
}

// funcByName indexes domainFuncs.
var funcByName = func() map[string]*funcDef {
	m := make(map[string]*funcDef, len(domainFuncs))
	for i := range domainFuncs {
		f := &domainFuncs[i]
		f.work, f.since = funcMeta[f.name].work, funcMeta[f.name].since
		m[f.name] = f
	}
	return m
}()

// localHour is the hour of the instant evaluated where the recipient is.
func (st *evalState) localHour() int64 { return int64(st.zone.clock(st.now, st.c.Location).sec / 3600) }

// localWeekday is the weekday of the instant evaluated where the recipient
// is.
func (st *evalState) localWeekday() time.Weekday {
	return st.zone.clock(st.now, st.c.Location).weekday()
}

// nextLocalHour is localHour's next change: the next local hour boundary.
func (st *evalState) nextLocalHour(after time.Time) time.Time {
	return st.zone.nextLocal(after, st.c.Location, hourEdges[:])
}

// nextLocalDay is the next local midnight, where the local date (and so
// the weekday and a holiday) changes.
func (st *evalState) nextLocalDay(after time.Time) time.Time {
	return st.zone.nextLocal(after, st.c.Location, nil)
}

// purchaseLeaves is purchasedWithin(d)'s change points: the instants at
// which a purchase from the sender leaves the last d, one nanosecond after
// its instant plus d (its entry is an event
// instant the search adds).
func (st *evalState) purchaseLeaves(d time.Duration, after time.Time) time.Time {
	var next time.Time
	for i := range st.c.Relationship.Purchases {
		e := &st.c.Relationship.Purchases[i]
		if t := e.At.Add(d + time.Nanosecond); t.After(after) && st.sender.Match(e.Seller) {
			next = earliest(next, t)
		}
	}
	return next
}

// inquiryLeaves is inquiredWithin(d)'s change points: the instants at
// which an inquiry to the sender leaves the last d, one nanosecond after
// its instant plus d (its entry is an event instant the search adds).
func (st *evalState) inquiryLeaves(d time.Duration, after time.Time) time.Time {
	var next time.Time
	for i := range st.c.Relationship.Inquiries {
		e := &st.c.Relationship.Inquiries[i]
		if t := e.At.Add(d + time.Nanosecond); t.After(after) && st.sender.Match(e.Seller) {
			next = earliest(next, t)
		}
	}
	return next
}

// supportLeaves is supportedWithin(d)'s change points: the instants at
// which an expression of support for the sender leaves the last d, one
// nanosecond after its instant plus d (its entry is an event instant the
// search adds).
func (st *evalState) supportLeaves(d time.Duration, after time.Time) time.Time {
	var next time.Time
	for i := range st.c.Relationship.Support {
		e := &st.c.Relationship.Support[i]
		if t := e.At.Add(d + time.Nanosecond); t.After(after) && st.sender.Match(e.Seller) {
			next = earliest(next, t)
		}
	}
	return next
}

// unregisteredSenderAlias reports an SMS sent under an alphanumeric sender
// ID the host did not confirm registered (Spain: the CNMC's Alias
// Register, Orden TDF/149/2025 art. 8).
func (st *evalState) unregisteredSenderAlias() bool {
	return st.m.SMSSender.Alias != "" && !st.m.SMSSender.Registered
}
