package eligibility

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/sendright/sendright/rules"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/internal/celfast"
	"github.com/sendright/sendright/internal/decode"
)

// SemanticsVersion is the version of the library's own meaning of rules:
// the CEL environment, the domain functions and the evaluation order. It is
// part of every [Policy.Version], so a library change that could change a
// decision changes the version even when no rule file did.
const SemanticsVersion = "sendright/6"

// Params are the host's policy parameters, compiled into the policy and
// part of its version.
type Params struct {
	// SimilarityGroups declares which product categories count as similar
	// for the soft opt-in, beyond equal categories: a purchase in one member
	// of a group makes the others "similar products", e.g.
	// {"small_kitchen_appliances": {"kettles", "toasters"}}.
	SimilarityGroups map[string][]string `json:"similarity_groups,omitempty" yaml:"similarity_groups,omitempty"`
	// EntityAliases declares, group by group, the names of one legal
	// person: several spellings or trading names, or a stable identifier
	// such as a company number, used as sender entity in records,
	// interactions, contracts or messages, e.g. {{"Maison Exemple SAS",
	// "SIREN 000000000"}}. Every sender comparison of the policy treats
	// the names of a group as one sender (see consent.Aliases). Names
	// are compared by consent.EntityKey, so spelling variants need no
	// group. Never group affiliates: consent and the soft opt-in do not
	// travel within a group of companies. A name in two groups is an
	// error.
	EntityAliases [][]string `json:"entity_aliases,omitempty" yaml:"entity_aliases,omitempty"`
	// Holidays adjust the public holiday tables (see the rule language's
	// holiday() and windows closed on holidays): add a date a collective
	// agreement or a local custom makes a holiday, or remove one. They
	// apply in order; a country's apply to its regions too. A region whose
	// holidays the library does not know (the French overseas
	// collectivities) stays closed every day whatever they say.
	Holidays []HolidayOverride `json:"holidays,omitempty" yaml:"holidays,omitempty"`
	// Functions are the host's own functions and variables, callable from
	// its rules' conditions (see [Function], made by [Func], [Func1],
	// [Func2] and [Variable]). Their names, versions and signatures are
	// part of the policy's version.
	Functions []Function `json:"-" yaml:"-"`
	// Fallback names the set applied, as the recipient's regime, to a
	// recipient in a country the policy has no rules for (e.g. "EU": the
	// EU baseline), instead of the deny NO_RULES; the decision lists it
	// with reach "fallback" ([Decision.Regimes]). Empty: no fallback, the
	// default: a country without rules is never silently allowed. A name
	// that is no set of the policy does not compile.
	Fallback string `json:"fallback,omitempty" yaml:"fallback,omitempty"`
	// RuleBudget is the most one rule's condition may cost in the worst
	// case, in cost units (see the README's "Cost bounds" and
	// [Policy.Cost]); a rule over it does not compile, and its error
	// states the estimate. Zero means [DefaultRuleBudget].
	RuleBudget int64 `json:"rule_budget,omitempty" yaml:"rule_budget,omitempty"`
	// DecisionBudget is the most a jurisdiction's rules may cost together
	// in the worst case — a decision at one instant evaluates each at most
	// once —, in cost units; a policy over it does not compile. Zero means
	// [DefaultDecisionBudget].
	DecisionBudget int64 `json:"decision_budget,omitempty" yaml:"decision_budget,omitempty"`
	// Obligations are the host's own obligations (see [HostObligation]),
	// which its rule files may name beside the built-in ones. Their names
	// and descriptions are part of the policy's version.
	Obligations []HostObligation `json:"obligations,omitempty" yaml:"obligations,omitempty"`
	// MobileMailDomains are the e-mail domains of wireless services, such as
	// the FCC's list of wireless domain names for the United States (47 CFR
	// 64.3100: a commercial e-mail to a subscriber's wireless address needs
	// express prior authorisation). An e-mail address at one of them, or at
	// a subdomain of one, is a mobile address for the rule language's
	// mobileMailDomain(). Names are compared in lower case; the list is
	// part of the policy's version. Without a list no address is one: the
	// host keeps the list current.
	MobileMailDomains []string `json:"mobile_mail_domains,omitempty" yaml:"mobile_mail_domains,omitempty"`
	// Routes are the host's processing routes (see [rules.Route], and
	// [rules.ParseRoutes] for route files): where a message's personal
	// data travel, hop by hop, and the transfer mechanism of each. With
	// routes, every message reached by the EU or the UK GDPR (its sender's
	// or its recipient's country in the EEA or the UK) is checked against
	// the transfer law of each regime (GDPR ch. V, UK GDPR ch. 5) on the
	// route it names ([consent.Message.Route]) or the default route of its
	// channel; a message naming none, on a channel without a default, is
	// denied ROUTE_NOT_NAMED. Without routes no transfer check is made.
	// Routes are checked as [rules.CheckRoutes] does; they are part of the
	// policy's version.
	Routes []rules.Route `json:"routes,omitempty" yaml:"routes,omitempty"`
	// Transfers are the settings of the transfer check: the DPF kill
	// switch, the age of a DPF listing check, derogations (see
	// [TransferParams]).
	Transfers TransferParams `json:"transfers,omitzero" yaml:"transfers,omitempty"`
	// IndirectConsentAge replaces, by jurisdiction code ("GB"), the set's
	// max_indirect_consent_age_months: how old, in calendar months, a
	// consent another company collected may be before the rule
	// language's indirectConsentAged holds (the United Kingdom's set
	// says six, the ICO's 2013 rule of thumb, and flags an older one for
	// review). 1 to 120; a code the policy has no set for, or whose set
	// chain declares no such age, does not compile. Part of the policy's
	// version.
	IndirectConsentAge map[string]int `json:"max_indirect_consent_age_months,omitempty" yaml:"max_indirect_consent_age_months,omitempty"`
}

// UnmarshalJSON decodes parameters strictly, like every decoder of the
// module: keys (group names included) match exactly and appear once, and
// unknown keys are errors, so that a second "similarity_groups" or a
// "Similarity_Groups" cannot silently replace the first.
func (p *Params) UnmarshalJSON(b []byte) error {
	type plain Params
	var v plain
	if err := decode.JSON(b, &v); err != nil {
		return err
	}
	*p = Params(v)
	return nil
}

// Policy is a compiled set of rule sets: immutable, safe for concurrent use
// by any number of goroutines, and identified by [Policy.Version]. Hosts
// share a *Policy and, to change rules, compile a new one and swap it in
// through an atomic.Pointer[Policy] (see the package documentation). A nil
// or zero Policy denies every request with an error wrapping [ErrNoPolicy].
type Policy struct {
	version string
	sets    []*rules.Set
	byCode  [26 * 26]*jurisdiction
	noRules [26 * 26]string // "no rules for XX", built once
	// subs are, by country, its subdivisions' sets (jurisdiction: US-FL),
	// sorted by code; areaCodes the subdivision presumed by each NANP
	// area code (hasAreaCodes: any).
	subs         [26 * 26][]*jurisdiction
	areaCodes    [1000]*jurisdiction
	hasAreaCodes bool
	// senders are, by sender country, the sets reaching its senders'
	// messages (see [rules.Reach]), in the order of their codes.
	senders [26 * 26][maxSenderRegimes]senderRef
	// fallback is the set of Params.Fallback; nil: none.
	fallback *jurisdiction
	// all are every jurisdiction compiled, by code, countries,
	// subdivisions and the EU baseline.
	all     map[string]*jurisdiction
	groups  map[string][]int
	aliases *consent.Aliases    // Params.EntityAliases
	mobile  map[string]struct{} // Params.MobileMailDomains, in normal form; nil: none
	codes   []string
	costs   map[string]int64 // the rules' worst-case costs, by id
	// houseReasons are the texts of the house files' own reason codes.
	houseReasons map[string]*houseReason
	// transfers are the compiled routes (Params.Routes); nil: none.
	transfers *transferIndex
	// hostFuncs: the policy declares host functions or variables, whose
	// evaluation may fail at run time (a window name is checked when the
	// policy compiles; the domain functions do not fail).
	hostFuncs bool
}

// Aliases returns the entity aliases the policy compares senders with
// (Params.EntityAliases); never nil.
func (p *Policy) Aliases() *consent.Aliases { return p.aliases }

// jurisdiction is one country's effective rules: its set's and its bases'.
type jurisdiction struct {
	code    string
	country string // the country of code: "US" for "US-FL"; "" for the EU baseline
	// callingCode is the country's calling code, "" when unknown (see
	// [jurisdiction.domestic]).
	callingCode string
	minors      consent.MinorRule
	// art14 are the notices a consent another company collected
	// calls for in this jurisdiction (GDPR or UK GDPR art. 14); nil
	// outside both.
	art14 []rules.ObligationRef
	// indirectAge is the age in months past which a consent another
	// company collected reads as aged (indirectConsentAged); 0: none.
	indirectAge int
	channels    [consent.AllChannels]bool
	noChannel   [consent.AllChannels]string
	tiers       tiers // in evaluation order, unspecialised
	// spec holds the tiers specialised to each channel of the jurisdiction,
	// message purpose and recipient kind: only the rules that name the
	// channel, less those that cannot match, as residual closures, so a
	// decision walks only the rules that can apply. Nil for a channel the
	// jurisdiction has no rules for.
	spec [consent.AllChannels][consent.AllMarketing][consent.SoleTrader + 1]*tiers
	// direct holds spec's tiers without the rules that hold only for a
	// grant another company collected ([compiled.indirectOnly]), for a
	// contact none of whose records carries a provenance: the same
	// pointer as spec's where there are none.
	direct [consent.AllChannels][consent.AllMarketing][consent.SoleTrader + 1]*tiers
	// mixedAsMarketing: a transactional message with content markers or a
	// promoted category is decided as marketing (parameter mixed_messages).
	mixedAsMarketing bool
	// primaryPurpose, by channel: mixed messages are read by their primary
	// purpose (parameter primary_purpose_channels).
	primaryPurpose [consent.AllChannels]bool
	// registries are the delays of the registries the set chain declares
	// (parameter registries), by registry.
	registries [lastRegistry + 1]regParams
	// inquiries, by channel: an allow rule for the channel counts
	// inquiries for the soft opt-in (similarInquiry), so a promoted
	// category similar to an inquiry makes a reclassified message
	// similar-products marketing.
	inquiries [consent.AllChannels]bool
	// ruledStops, by channel: the deny tier holds unbounded rules for the
	// channel that deny exactly what the engine's stop rules would
	// (objected / withdrawn for the message's purpose and channel), so the
	// engine need not ask again.
	ruledStops [consent.AllChannels]bool
	// bounds are the validity dates of the jurisdiction's rules, sorted
	// and unique; nexts, beside spec, the change points of the clocked
	// function calls of the rules each specialised table holds, the defer
	// rules' apart: the search's change points besides the contact's
	// events.
	bounds []time.Time
	nexts  [consent.AllChannels][consent.AllMarketing][consent.SoleTrader + 1][]nextFn
	// windows are the named windows of the set chain (see [rules.Window]),
	// a country's replacing its base's of the same name.
	windows []window
	// holidays are the public holidays of the country and its regions.
	holidays holidayTables
	// houseObligations, by channel, are the obligations of the house
	// files applied here, added to every allow of the channel.
	houseObligations [consent.AllChannels][]rules.ObligationRef
	obligations      []rules.Obligation // the policy's obligations, by bit ([Obligations])
}

// tiers are a jurisdiction's rules by effect, each tier in evaluation
// order; [evaluationOrder] is the order of the tiers.
type tiers [rules.Defer + 1][]tierRule

// evaluationOrder is the order in which the tiers are walked.
var evaluationOrder = [...]rules.Effect{rules.Exempt, rules.Deny, rules.Defer, rules.Allow, rules.NoBasis}

// compiled is one rule with its program, shared by every jurisdiction that
// includes it.
type compiled struct {
	rule        *rules.Rule
	origin      Origin                // of the rule: its file's
	override    *override             // the host's override of the rule; nil: none
	checked     *cel.Ast              // the checked condition, for specialisation and the oracle tests
	fast        func(*evalState) bool // the compiled closure
	host        map[string]*hostFunc  // the host's functions, for specialisation
	from, until time.Time
	bounded     bool // has a validity interval
	// usesChannel: the condition reads request.channel, so its
	// specialisation depends on the channel too.
	usesChannel bool
	// indirectOnly: the condition can hold only for a grant another
	// company collected (see needsIndirect); a contact none of whose
	// records carries a provenance skips it.
	indirectOnly bool
	fromAt       instant // from and until as comparable instants
	untilAt      instant
	nexts        []nextFn // the change points of its clocked function calls
	holiday      bool     // calls holiday()
	// cost is the condition's worst case, in cost units.
	cost int64
	// waitDetail is, for a defer rule, the Detail of a wait for it that
	// crosses into a deny, built once so that such a decision allocates
	// nothing (the instant is the decision's DeniedFrom).
	waitDetail string
}

// waitDetail is the Detail of a wait for defer rule r that crosses into a
// deny; empty for other rules.
func waitDetail(r *rules.Rule) string {
	if r.Effect != rules.Defer {
		return ""
	}
	return "waiting for " + r.ID + " to pass crosses into this decision's rule at denied_from, before the message may be sent"
}

// instant is a time as (seconds, nanoseconds) since the Unix epoch: two
// integer comparisons instead of time.Time's, on the hot path.
type instant struct{ sec, nsec int64 }

func instantOf(t time.Time) instant { return instant{t.Unix(), int64(t.Nanosecond())} }

func (a instant) before(b instant) bool { return a.sec < b.sec || (a.sec == b.sec && a.nsec < b.nsec) }

// activeFor reports whether the rule applies at the instant t.
func (c *compiled) activeFor(t instant) bool {
	return !c.bounded || ((c.from.IsZero() || !t.before(c.fromAt)) && (c.until.IsZero() || t.before(c.untilAt)))
}

// tierRule is a compiled rule as one jurisdiction applies it: with that
// jurisdiction's obligations.
type tierRule struct {
	// test is the condition specialised for this place in the table;
	// always marks a condition that folded to true.
	test func(*evalState) bool
	*compiled
	// obl are an allow rule's obligations (nil in the other tiers), kept
	// aside so that the tiers walked for every decision stay small.
	obl    *allowObligations
	always bool
	// bounded and indirectOnly are copies of the compiled rule's: eval
	// reads them beside test, and passes over a rule that cannot hold
	// without loading *compiled.
	bounded, indirectOnly bool
	// plain: none of bounded, indirectOnly and always; eval's checks
	// before the condition are then all false ([evalState.try]).
	plain bool
}

// newTierRule places compiled rule k in a tier, its condition not yet
// specialised.
func newTierRule(k *compiled) tierRule {
	return tierRule{test: k.fast, compiled: k, bounded: k.bounded, indirectOnly: k.indirectOnly}
}

// allowObligations are the obligations of an allow by one rule.
type allowObligations struct {
	obligations Obligations
	// indirect are obligations with the GDPR art. 14 notices a sender
	// owes when the grant it relies on was collected by another company:
	// an allow on consent in a set on the EU baseline or the UK's uses
	// them instead when the judged grant is indirect (see
	// [evalState.allowObligations]); zero when they add nothing.
	indirect Obligations
}

// Version identifies the policy's behaviour: a SHA-256 over every rule
// field, every set and host parameter and [SemanticsVersion], independent of
// file formatting. Decisions carry it, so an audit can tell which policy
// made them.
func (p *Policy) Version() string { return p.version }

// Jurisdictions returns the codes of the countries and subdivisions
// ("US-FL") the policy has rules for, sorted.
func (p *Policy) Jurisdictions() []string { return slices.Clone(p.codes) }

// Rules returns the rules applied to a jurisdiction — a country ("FR"),
// a subdivision ("US-FL") or the EU baseline when the policy applies it
// alone ("EU") —, in evaluation order (tier by tier, the jurisdiction's
// own before its base's), or nil when the policy has no rules for it.
func (p *Policy) Rules(jurisdiction string) []rules.Rule {
	j := p.all[jurisdiction]
	if j == nil {
		c, err := address.ParseCountry(jurisdiction)
		if err != nil {
			return nil
		}
		j = p.lookup(c)
	}
	if j == nil {
		return nil
	}
	var out []rules.Rule
	for _, effect := range evaluationOrder {
		for _, r := range j.tiers[effect] {
			c := *r.rule
			c.Obligations = slices.Clone(c.Obligations)
			c.Channels = slices.Clone(c.Channels)
			out = append(out, c)
		}
	}
	return out
}

// Sets returns copies of the rule sets the policy was compiled from.
func (p *Policy) Sets() []*rules.Set { return cloneSets(p.sets) }

func index(code string) int { return int(code[0]-'A')*26 + int(code[1]-'A') }

func (p *Policy) lookup(c address.Country) *jurisdiction {
	code := c.String()
	if len(code) != 2 {
		return nil
	}
	return p.byCode[index(code)]
}

// Compile checks and compiles rule sets into a [Policy]. Every condition is
// parsed and type-checked once, here: it must be a boolean CEL expression
// over the declared variables and functions (see the documentation of
// package rules, the rule language), and string constants compared with an
// enumerated variable must be members of its vocabulary, so a misspelt
// purpose is an error, not a rule that never matches. The sets are checked
// as data first ([rules.Check]).
//
// Errors are a [rules.ErrorList]; each [*rules.Error] names the file, the
// rule and the line and column.
func Compile(sets []*rules.Set, params Params) (*Policy, error) {
	c, err := newCompiler(sets, params)
	switch {
	case err != nil:
		return nil, err
	case len(c.errs) > 0:
		// The host's functions are wrong, so no condition can be
		// compiled; the sets and parameters can still be checked.
		c.errs = append(c.errs, rules.Check(c.sets)...)
		c.checkParams()
		return nil, c.errs.Err()
	}
	// Rules are compiled even when a set is wrong, so that one compilation
	// reports every problem.
	c.checkInvariants()
	c.errs = append(c.errs, rules.Check(c.sets)...)
	c.compileRules()
	c.checkHouseReasons()
	c.checkParams()
	c.checkOverrides()
	if len(c.errs) > 0 {
		return nil, c.errs.Err()
	}
	c.indexSets()
	c.injectInvariants()
	if len(c.errs) > 0 {
		return nil, c.errs.Err()
	}
	c.attachOverrides()
	return c.policy()
}

// compiler is the state of one compilation, phase by phase: the sets by
// jurisdiction, each rule compiled once, the built-in deny rules the
// host's sets left out, and every problem found, with its position.
type compiler struct {
	sets        []*rules.Set // the caller's, cloned
	params      Params
	env         *cel.Env
	host        map[string]*hostFunc
	categories  map[string]bool // the canonical keys inCategory may name
	invariants  map[string][]*builtinRule
	errs        rules.ErrorList
	windowCost  func(name string) int64 // inWindow's work, beyond its unit (see windowWork)
	similarCost int64                   // a category comparison's, beyond its unit (see similarityFactor)

	byJ         map[string]*rules.Set     // indexSets: the sets by jurisdiction, once they are known good
	houses      []*rules.Set              // indexSets: the house files, by name
	comp        map[*rules.Rule]*compiled // compileRules: the sets' rules
	aliases     *consent.Aliases          // checkParams: Params.EntityAliases
	mobile      map[string]struct{}       // checkParams: Params.MobileMailDomains
	obligations []rules.Obligation        // checkParams: the built-in obligations and the host's, by bit
	injected    map[*rules.Rule]*compiled // injectInvariants: built-in rules added
	injectedBy  map[string][]*rules.Rule  // and the jurisdictions they were added to
	specs       map[specKey]specialised   // policy: the conditions specialised, shared
}

// newCompiler checks the host's functions and builds the CEL environment.
func newCompiler(sets []*rules.Set, params Params) (*compiler, error) {
	c := &compiler{sets: cloneSets(sets), params: params, comp: map[*rules.Rule]*compiled{},
		injected: map[*rules.Rule]*compiled{}, injectedBy: map[string][]*rules.Rule{}}
	narrowHouseChannels(c.sets)
	host, problems := hostFuncs(params.Functions)
	for _, p := range problems {
		c.errs = append(c.errs, &rules.Error{Msg: p})
	}
	if len(problems) > 0 {
		return c, nil
	}
	env, err := newEnv(host)
	if err != nil {
		return nil, fmt.Errorf("eligibility: building the CEL environment: %w", err)
	}
	c.env, c.host = env, host
	// The categories inCategory may name: the documented sector constants
	// and whatever the host's similarity groups declare. A misspelt category
	// would silently disable a ban. Categories compare by canonical key.
	c.categories = map[string]bool{}
	for _, cat := range rules.SectorCategories() {
		c.categories[consent.CategoryKey(cat)] = true
	}
	for _, members := range params.SimilarityGroups {
		for _, m := range members {
			c.categories[consent.CategoryKey(m)] = true
		}
	}
	if c.invariants, err = builtinDeny(); err != nil {
		return nil, fmt.Errorf("eligibility: reading the built-in sets: %w", err)
	}
	return c, nil
}

// bad reports a problem in a set or, when r is not nil, in one of its rules.
func (c *compiler) bad(s *rules.Set, r *rules.Rule, format string, args ...any) {
	e := &rules.Error{File: s.File, Msg: fmt.Sprintf(format, args...)}
	if r != nil {
		pos := r.Position()
		e.Rule, e.Line, e.Column = r.ID, pos.Line, pos.Column
	}
	c.errs = append(c.errs, e)
}

// checkInvariants reports the host's rules that redefine a built-in stop
// or statutory ban: those cannot be changed or replaced.
func (c *compiler) checkInvariants() {
	for _, s := range c.sets {
		if s == nil {
			continue
		}
		for i := range s.Rules {
			r := &s.Rules[i]
			if b := builtinByID(c.invariants, r.ID); b != nil && !sameInvariant(r, b.rule) {
				c.bad(s, r, "rule %s is a stop or statutory ban of the built-in rules (%s): it cannot be changed or replaced", r.ID, b.set.File)
			}
		}
	}
}

// indexSets indexes the sets by jurisdiction, which [rules.Check] found
// well formed and unique.
func (c *compiler) indexSets() {
	c.byJ = make(map[string]*rules.Set, len(c.sets))
	for _, s := range c.sets {
		if s.House != "" {
			c.houses = append(c.houses, s)
			continue
		}
		c.byJ[s.Jurisdiction] = s
	}
	// House files apply in the order of their names, whatever the order
	// they were given in, so that the version fixes which house rule
	// reports first.
	slices.SortFunc(c.houses, func(a, b *rules.Set) int { return strings.Compare(a.House, b.House) })
}

// compileRules compiles every rule of every set whose fields are well
// formed, once.
func (c *compiler) compileRules() {
	for _, s := range c.sets {
		if s == nil {
			continue
		}
		for i := range s.Rules {
			r := &s.Rules[i]
			if r.Check() != nil { // rules.Check reported it
				continue
			}
			if k := c.compileRule(s, r); k != nil {
				if s.House != "" {
					k.origin = FromHouse
				}
				c.comp[r] = k
			}
		}
	}
}

// checkParams checks the similarity groups and the entity aliases.
func (c *compiler) checkParams() {
	for g, members := range c.params.SimilarityGroups {
		if g == "" || len(members) == 0 {
			c.errs = append(c.errs, &rules.Error{Msg: fmt.Sprintf("similarity group %q: needs a name and members", clip(g))})
		}
		for _, m := range members {
			if consent.CategoryKey(m) == "" {
				c.errs = append(c.errs, &rules.Error{Msg: fmt.Sprintf("similarity group %q: a blank member", clip(g))})
			}
		}
	}
	for i, o := range c.params.Holidays {
		if err := o.check(); err != nil {
			c.errs = append(c.errs, &rules.Error{Msg: fmt.Sprintf("holidays[%d]: %v", i, err)})
		}
	}
	c.checkFallback()
	aliases, err := consent.NewAliases(c.params.EntityAliases...)
	if err != nil {
		c.errs = append(c.errs, &rules.Error{Msg: "entity_aliases: " + err.Error()})
	}
	c.aliases = aliases
	c.checkMobileDomains()
	c.checkObligations()
	c.checkTransfers()
	c.checkIndirectAge()
}

// checkIndirectAge checks Params.IndirectConsentAge: each code a set of
// the policy whose chain declares max_indirect_consent_age_months, each
// age 1 to 120 months.
func (c *compiler) checkIndirectAge() {
	if len(c.params.IndirectConsentAge) == 0 {
		return
	}
	byJ := make(map[string]*rules.Set, len(c.sets)) // the sets are not indexed yet
	for _, s := range c.sets {
		if s.House == "" {
			byJ[s.Jurisdiction] = s
		}
	}
	for _, code := range slices.Sorted(maps.Keys(c.params.IndirectConsentAge)) {
		m := c.params.IndirectConsentAge[code]
		declared := false
		for s, n := byJ[code], 0; s != nil && n <= len(byJ); s, n = byJ[s.Extends], n+1 { // n bounds a cycle Check reports
			if s.Parameters.MaxIndirectConsentAgeMonths != 0 {
				declared = true
			}
			if s.Extends == "" {
				break
			}
		}
		switch {
		case m < 1 || m > rules.MaxIndirectConsentAgeMonths:
			c.errs = append(c.errs, &rules.Error{Msg: fmt.Sprintf("max_indirect_consent_age_months %s: %d: want 1 to %d", clip(code), m, rules.MaxIndirectConsentAgeMonths)})
		case !declared:
			c.errs = append(c.errs, &rules.Error{Msg: fmt.Sprintf("max_indirect_consent_age_months %s: no set of the policy for it declares max_indirect_consent_age_months", clip(code))})
		}
	}
}

// injectInvariants compiles, once each, the built-in deny rules a
// jurisdiction's sets left out.
func (c *compiler) injectInvariants() {
	for _, code := range slices.Sorted(maps.Keys(c.byJ)) {
		if code == "EU" {
			continue
		}
		have := map[string]bool{}
		for b := c.byJ[code]; b != nil; b = c.byJ[b.Extends] {
			for i := range b.Rules {
				have[b.Rules[i].ID] = true
			}
			if b.Extends == "" {
				break
			}
		}
		for _, b := range c.invariants[code] {
			if have[b.rule.ID] {
				continue
			}
			if c.injected[b.rule] == nil {
				k := c.compileRule(b.set, b.rule)
				if k == nil {
					continue
				}
				c.injected[b.rule] = k
			}
			c.injectedBy[code] = append(c.injectedBy[code], b.rule)
		}
	}
}

// policy builds the policy: each jurisdiction's tiers, specialised, the
// category groups and the version.
func (c *compiler) policy() (*Policy, error) {
	p := &Policy{sets: slices.Clone(c.sets), groups: map[string][]int{}, aliases: c.aliases, mobile: c.mobile,
		costs: make(map[string]int64, len(c.comp)+len(c.injected)), houseReasons: houseReasons(c.houses)}
	for _, m := range []map[*rules.Rule]*compiled{c.comp, c.injected} {
		for r, k := range m {
			p.costs[r.ID] = k.cost
		}
	}
	p.hostFuncs = len(c.host) > 0
	_, decisionBudget := c.params.budgets()
	var over rules.ErrorList
	c.specs = map[specKey]specialised{}
	p.all = map[string]*jurisdiction{}
	for _, code := range c.compiledCodes() {
		j := c.jurisdiction(code)
		if j.needsHolidays() && j.holidays.national == nil {
			return nil, rules.ErrorList{{Msg: "no public holiday table for " + cmp.Or(j.country, code) +
				": its rules read holidays; add its dates with Params.Holidays"}}.Err()
		}
		if sum, all := j.cost(); sum > decisionBudget {
			over = append(over, &rules.Error{File: c.byJ[code].File, Msg: decisionCostError(code, sum, decisionBudget, all)})
		}
		p.all[code] = j
		switch {
		case code == "EU":
			continue
		case rules.IsSubdivision(code):
			p.subs[index(j.country)] = append(p.subs[index(j.country)], j)
			for _, n := range c.byJ[code].Parameters.AreaCodes {
				if err := areaCodeOf(n, j.country); err != "" {
					over = append(over, &rules.Error{File: c.byJ[code].File, Msg: "parameters.area_codes: " + err})
					continue
				}
				p.areaCodes[n], p.hasAreaCodes = j, true
			}
		default:
			p.byCode[index(code)] = j
		}
		p.codes = append(p.codes, code)
	}
	if len(over) > 0 {
		return nil, over.Err()
	}
	if err := c.reach(p); err != nil {
		return nil, err
	}
	for _, country := range address.Countries() {
		p.noRules[index(country.String())] = "no rules for " + country.String()
	}
	for gi, g := range slices.Sorted(maps.Keys(c.params.SimilarityGroups)) {
		for _, m := range c.params.SimilarityGroups[g] {
			k := consent.CategoryKey(m) // keys of stored categories, computed once
			if !slices.Contains(p.groups[k], gi) {
				p.groups[k] = append(p.groups[k], gi)
			}
		}
	}
	canon := make(map[*rules.Rule]string, len(c.comp)+len(c.injected))
	for _, m := range []map[*rules.Rule]*compiled{c.comp, c.injected} {
		for r, k := range m {
			if text, err := cel.AstToString(k.checked); err == nil {
				canon[r] = text
			} else {
				canon[r] = strings.TrimSpace(r.Condition)
			}
		}
	}
	var err error
	if p.transfers, err = c.transfers(); err != nil {
		return nil, err
	}
	p.version, err = version(c.sets, c.params, canon, c.injectedBy)
	if err != nil {
		return nil, fmt.Errorf("eligibility: computing the policy version: %w", err)
	}
	return p, nil
}

// jurisdiction builds one country's effective rules: its set's and its
// bases', with their parameters, channels and obligations.
func (c *compiler) jurisdiction(code string) *jurisdiction {
	j := &jurisdiction{code: code, country: rules.CountryOf(code), minors: consent.MinorRule{Age: 16}, mixedAsMarketing: true}
	if c, err := address.ParseCountry(j.country); err == nil {
		j.callingCode = address.CallingCode(c)
	}
	j.obligations = c.obligations
	chain := []*rules.Set{c.byJ[code]}
	for b := chain[0]; b.Extends != ""; {
		b = c.byJ[b.Extends]
		chain = append(chain, b)
	}
	j.registries, j.art14 = registryParams(chain), art14Notices(code, chain)
	var obl Obligations
	for i := len(chain) - 1; i >= 0; i-- { // base first, so the country's citations win
		b := chain[i]
		obl = obl.with(c.obligations, b.Obligations)
		if b.Parameters.DigitalConsentAge != 0 {
			j.minors.Age = b.Parameters.DigitalConsentAge
		}
		if b.Parameters.MinorConsent != "" {
			j.minors.Joint = b.Parameters.MinorConsent == "joint"
		}
		if m := b.Parameters.MaxIndirectConsentAgeMonths; m != 0 {
			j.indirectAge = m
		}
		if b.Parameters.MixedMessages != "" {
			j.mixedAsMarketing = b.Parameters.MixedMessages == rules.MixedAsMarketing
		}
		if len(b.Parameters.PrimaryPurposeChannels) > 0 {
			j.primaryPurpose = [consent.AllChannels]bool{}
			for _, ch := range b.Parameters.PrimaryPurposeChannels {
				j.primaryPurpose[ch] = true
			}
		}
		if len(b.Channels) > 0 {
			j.channels = [consent.AllChannels]bool{}
			for _, ch := range b.Channels {
				j.channels[ch] = true
			}
		}
	}
	if m, ok := c.params.IndirectConsentAge[code]; ok && j.indirectAge != 0 {
		j.indirectAge = m
	}
	for ch := consent.Email; ch < consent.AllChannels; ch++ {
		j.noChannel[ch] = "no rules for " + ch.String() + " messages in " + code
	}
	// Built-in stops and statutory bans the host's sets left out come
	// first: no rule of the host's can run before them.
	for _, r := range c.injectedBy[code] {
		k := c.injected[r]
		j.tiers[rules.Deny] = append(j.tiers[rules.Deny], newTierRule(k))
	}
	for _, b := range chain { // the country's rules before its base's, tier by tier
		for i := range b.Rules {
			k := c.comp[&b.Rules[i]]
			t := newTierRule(k)
			if k.rule.Effect == rules.Allow {
				o := obl.with(c.obligations, k.rule.Obligations)
				t.obl = &allowObligations{obligations: o, indirect: j.indirectObligations(t.rule, o)}
			}
			j.tiers[k.rule.Effect] = append(j.tiers[k.rule.Effect], t)
		}
	}
	houses := c.applyHouses(j)
	for ch := consent.Email; ch < consent.AllChannels; ch++ {
		if !j.channels[ch] {
			continue
		}
		j.ruledStops[ch] = hasStopRules(j.tiers[rules.Deny], ch)
		j.inquiries[ch] = slices.ContainsFunc(j.tiers[rules.Allow], func(t tierRule) bool {
			return t.rule.Governs(ch) && strings.Contains(t.rule.Condition, "similarInquiry()")
		})
	}
	j.windows = append(compileWindows(chain), compileWindows(houses)...)
	j.holidays = holidayTablesFor(cmp.Or(j.country, code), c.params.Holidays)
	j.changePoints()
	j.specialise(c.specs)
	return j
}

// changePoints collects the validity dates of the jurisdiction's rules,
// change points of the search (the clocked calls' are collected by
// [jurisdiction.specialise], for each table).
func (j *jurisdiction) changePoints() {
	for _, tier := range j.tiers {
		for _, t := range tier {
			for _, b := range [...]time.Time{t.from, t.until} {
				if !b.IsZero() {
					j.bounds = append(j.bounds, b)
				}
			}
		}
	}
	slices.SortFunc(j.bounds, time.Time.Compare)
	j.bounds = slices.CompactFunc(j.bounds, time.Time.Equal)
}

// sortByRank orders allow rules by the precedence of their basis, keeping
// file order among equals, so that evaluation can stop at the first clean
// match.
func sortByRank(rs []tierRule) {
	slices.SortStableFunc(rs, func(a, b tierRule) int { return a.rule.Basis.Rank() - b.rule.Basis.Rank() })
}

// cloneSets deep-copies rule sets, so that a compiled policy owns its data.
// What stays shared, the positions Parse recorded, is unexported and
// never written after Parse.
func cloneSets(sets []*rules.Set) []*rules.Set {
	out := make([]*rules.Set, len(sets))
	for i, s := range sets {
		if s == nil {
			continue
		}
		c := *s
		c.Channels = slices.Clone(s.Channels)
		c.Obligations = slices.Clone(s.Obligations)
		c.Parameters.Windows = slices.Clone(s.Parameters.Windows)
		for j := range c.Parameters.Windows {
			w := &c.Parameters.Windows[j]
			w.Days, w.Hours = slices.Clone(w.Days), slices.Clone(w.Hours)
		}
		c.Rules = slices.Clone(s.Rules)
		c.Overrides = slices.Clone(s.Overrides)
		for j := range c.Rules {
			c.Rules[j].Obligations = slices.Clone(c.Rules[j].Obligations)
			c.Rules[j].Channels = slices.Clone(c.Rules[j].Channels)
		}
		c.Parameters.Registries = slices.Clone(s.Parameters.Registries)
		c.Parameters.AreaCodes = slices.Clone(s.Parameters.AreaCodes)
		c.Reach.Senders, c.Reach.Channels = slices.Clone(s.Reach.Senders), slices.Clone(s.Reach.Channels)
		c.AppliesTo.Jurisdictions = slices.Clone(s.AppliesTo.Jurisdictions)
		c.AppliesTo.Channels = slices.Clone(s.AppliesTo.Channels)
		if s.Reasons != nil {
			c.Reasons = make(map[string]map[string]string, len(s.Reasons))
			for code, texts := range s.Reasons {
				c.Reasons[code] = maps.Clone(texts)
			}
		}
		out[i] = &c
	}
	return out
}

// specKey names one specialisation of a rule's condition: to a purpose
// and recipient kind and, when the condition reads it, a channel (0
// otherwise, so that one closure serves every channel).
type specKey struct {
	rule    *compiled
	channel consent.Channel
	purpose consent.Purpose
	kind    consent.RecipientKind
}

// specialised is a condition specialised: its closure, or never (it
// cannot match) or always (it folded to true).
type specialised struct {
	test          func(*evalState) bool
	never, always bool
	general       bool // specialising failed: keep the general closure
}

// specialise builds j.spec: for each channel of the jurisdiction, purpose
// and recipient kind, the rules that name the channel, each recompiled
// with those fixed. Specialisations are shared through cache, across
// channels (for conditions that do not read the channel) and
// jurisdictions (for rules of a common base).
func (j *jurisdiction) specialise(cache map[specKey]specialised) {
	for ch := consent.Email; ch < consent.AllChannels; ch++ {
		if !j.channels[ch] {
			continue
		}
		for p := consent.Transactional; p < consent.AllMarketing; p++ {
			for k := consent.Consumer; k <= consent.SoleTrader; k++ {
				ts := new(tiers)
				for effect, list := range j.tiers {
					if rules.Effect(effect) == rules.Exempt && p != consent.Transactional {
						continue // exempt rules apply to transactional messages only
					}
					for _, t := range list {
						if !t.rule.Governs(ch) {
							continue // written for other channels
						}
						sp := specialiseRule(cache, t.compiled, ch, p, k)
						switch {
						case sp.never:
							continue // cannot match this channel, purpose and kind
						case !sp.general:
							t.test, t.always = sp.test, sp.always
						}
						if rules.Effect(effect) == rules.Allow {
							var o Obligations // a house allow rule has none of its own yet
							if t.obl != nil {
								o = t.obl.obligations
							}
							o = withMissing(j.obligations, o, j.houseObligations[ch])
							t.obl = &allowObligations{obligations: o, indirect: j.indirectObligations(t.rule, o)}
						}
						t.plain = !t.bounded && !t.indirectOnly && !t.always
						ts[effect] = append(ts[effect], t)
					}
				}
				sortByRank(ts[rules.Allow])
				j.spec[ch][p][k], j.direct[ch][p][k] = ts, withoutIndirect(ts)
				// The change points of the rules that can match here; the
				// defer rules' own are the search's ([evalState.search]).
				for effect, list := range ts {
					if rules.Effect(effect) == rules.Defer {
						continue
					}
					for _, t := range list {
						j.nexts[ch][p][k] = append(j.nexts[ch][p][k], t.nexts...)
					}
				}
			}
		}
	}
}

// withoutIndirect returns ts without its indirect-only rules, or ts when
// it has none.
func withoutIndirect(ts *tiers) *tiers {
	var out *tiers
	for effect, list := range ts {
		if slices.ContainsFunc(list, func(t tierRule) bool { return t.indirectOnly }) {
			if out == nil {
				c := *ts
				out = &c
			}
			out[effect] = slices.DeleteFunc(slices.Clone(list), func(t tierRule) bool { return t.indirectOnly })
		}
	}
	if out == nil {
		return ts
	}
	return out
}

// specialiseRule compiles k's condition with the channel (if it reads
// it), the purpose and the recipient kind fixed, once per policy.
func specialiseRule(cache map[specKey]specialised, k *compiled, ch consent.Channel, p consent.Purpose, kind consent.RecipientKind) specialised {
	key := specKey{rule: k, purpose: p, kind: kind}
	b := binder{purpose: p, kind: kind, host: k.host}
	if k.usesChannel {
		key.channel, b.channel = ch, ch
	}
	if sp, ok := cache[key]; ok {
		return sp
	}
	var sp specialised
	v, err := celfast.CompileValue[evalState](k.checked.NativeRep(), b)
	switch {
	case err != nil:
		sp.general = true // specialising is an optimisation
	case v.IsConst && !v.Const.(bool):
		sp.never = true
	default:
		sp.test, sp.always = v.Bool, v.IsConst
	}
	cache[key] = sp
	return sp
}

// compileRule parses and checks one rule's condition and compiles it to
// closures. A condition outside the compiled subset is an error at the
// position of the sub-expression at fault; nil means errors were reported.
func (cp *compiler) compileRule(s *rules.Set, r *rules.Rule) *compiled {
	pos := condMap{r}
	// fail reports a problem at a span of the condition: its position in
	// the file, and the condition's line with a caret under the span.
	fail := func(sp span, msg string, want []string) {
		l, c := pos.at(sp.line, sp.col)
		cp.errs = append(cp.errs, &rules.Error{File: s.File, Rule: r.ID, Line: l, Column: c, Msg: msg,
			Snippet: snippet(r.Condition, sp), Want: want})
	}
	checked, iss := cp.env.Compile(r.Condition)
	if iss != nil && iss.Err() != nil {
		// The checker names the expression at fault: its span comes from
		// the parsed condition (the parser's own errors have a position
		// only).
		var info *ast.SourceInfo
		if parsed, piss := cp.env.Parse(r.Condition); piss == nil || piss.Err() == nil {
			info = parsed.NativeRep().SourceInfo()
		}
		for _, e := range iss.Errors() {
			sp, ok := exprSpan(info, r.Condition, e.ExprID)
			if start := info.GetStartLocation(e.ExprID); !ok || start.Line() != e.Location.Line() || start.Column() != e.Location.Column() {
				sp = span{line: e.Location.Line(), col: e.Location.Column(), width: 1}
			}
			fail(sp, e.Message, nil)
		}
		return nil
	}
	if !checked.OutputType().IsExactType(cel.BoolType) {
		fail(wholeFirstLine(r.Condition), "condition must evaluate to bool but got "+checked.OutputType().String(), nil)
		return nil
	}
	native := checked.NativeRep()
	at := func(id int64) span {
		if sp, ok := exprSpan(native.SourceInfo(), r.Condition, id); ok {
			return sp
		}
		return wholeFirstLine(r.Condition)
	}
	problems := checkConstants(native, cp.categories, cp.declared(s))
	problems = append(problems, checkWindows(native, cp.windowsOf(s))...)
	problems = append(problems, checkLevels(native, s.Language)...)
	for _, p := range problems {
		fail(at(p.id), p.msg, p.want)
	}
	if len(problems) > 0 {
		return nil
	}
	ruleBudget, _ := cp.params.budgets()
	if cp.windowCost == nil {
		cp.windowCost, cp.similarCost = windowWork(cp.sets), similarityFactor(cp.params.SimilarityGroups)
	}
	cost, ce := ruleCost(native, cp.host, cp.windowCost, cp.similarCost)
	if cost > ruleBudget {
		e := &costError{cost: cost, budget: ruleBudget, worstName: ce.worstName, worstCost: ce.worstCost}
		fail(at(ce.worst), e.msg(), nil)
		return nil
	}
	var nexts []nextFn
	fast, err := celfast.Compile[evalState](native, binder{host: cp.host, nexts: &nexts})
	if err != nil {
		sp, msg := wholeFirstLine(r.Condition), err.Error()
		var ce *celfast.Error
		if errors.As(err, &ce) {
			sp, msg = at(ce.ID), ce.Reason()
		}
		fail(sp, "outside the rule language: "+msg, nil)
		return nil
	}
	return &compiled{rule: r, checked: checked, fast: fast, host: cp.host, from: r.ValidFrom, until: r.ValidUntil,
		bounded:     !r.ValidFrom.IsZero() || !r.ValidUntil.IsZero(),
		usesChannel: readsVar(native, varChannel), indirectOnly: needsIndirect(native.Expr()),
		fromAt: instantOf(r.ValidFrom), untilAt: instantOf(r.ValidUntil), nexts: append(nexts, nowPoints(native)...),
		holiday: callsHoliday(native), waitDetail: waitDetail(r), cost: cost}
}

// condMap maps positions in a rule's condition, as CEL gives them, to
// positions in the rule file, through the positions Parse recorded for
// each character of the condition.
type condMap struct{ r *rules.Rule }

// at maps CEL's 1-based line and 0-based column.
func (p condMap) at(line, col int) (int, int) {
	pos := p.r.ConditionPosition(line, col)
	return pos.Line, pos.Column
}

// constProblem is a constant of a condition at fault: the expression's
// id, the message and, for a value outside a vocabulary, every value
// allowed.
type constProblem struct {
	id   int64
	msg  string
	want []string
}

// chainNames are the names a rule set and the sets it extends declare for
// a function's constant argument, e.g. the registries registry(name) may
// take.
type chainNames struct {
	what, param string // for messages: "registry", "registries"
	names       map[string]bool
}

// declared lists, for set s, the names each function with chain-declared
// constants may take: the set's own and those of the sets it extends.
func (cp *compiler) declared(s *rules.Set) map[string]chainNames {
	regs := map[string]bool{}
	seen := map[*rules.Set]bool{}
	for b := s; b != nil && !seen[b]; {
		seen[b] = true
		for _, r := range b.Parameters.Registries {
			regs[r.Name.String()] = true
		}
		if b.Extends == "" {
			break
		}
		var next *rules.Set
		for _, t := range cp.sets {
			if t != nil && t.Jurisdiction == b.Extends {
				next = t
			}
		}
		b = next
	}
	regNames := chainNames{what: "registry", param: "registries", names: regs}
	return map[string]chainNames{"registry": regNames, "consentAfterListing": regNames}
}

// checkConstants finds string constants that are compared with, or passed
// as, an enumerated value but are not in its vocabulary.
func checkConstants(a *ast.AST, categories map[string]bool, declared map[string]chainNames) []constProblem {
	var out []constProblem
	refs := a.ReferenceMap()
	vocabOf := func(e ast.Expr) *enumVocab {
		switch e.Kind() {
		case ast.IdentKind, ast.SelectKind:
			if ref, ok := refs[e.ID()]; ok {
				return varVocab[ref.Name]
			}
		case ast.CallKind:
			if f := funcByName[e.AsCall().FunctionName()]; f != nil {
				return f.result.vocab
			}
		}
		return nil
	}
	check := func(v *enumVocab, e ast.Expr) {
		if p, bad := vocabProblem(v, e); bad {
			out = append(out, p)
		}
	}
	ast.PostOrderVisit(a.Expr(), ast.NewExprVisitor(func(e ast.Expr) {
		if e.Kind() != ast.CallKind {
			return
		}
		call := e.AsCall()
		args := call.Args()
		switch fn := call.FunctionName(); fn {
		case "_==_", "_!=_":
			check(vocabOf(args[0]), args[1])
			check(vocabOf(args[1]), args[0])
		case "inCategory":
			if len(args) == 1 && args[0].Kind() == ast.LiteralKind {
				if s, ok := args[0].AsLiteral().(types.String); ok && !categories[consent.CategoryKey(string(s))] {
					all := slices.Sorted(maps.Keys(categories))
					out = append(out, constProblem{args[0].ID(), fmt.Sprintf(
						"%q is neither a sector category nor in a similarity group of the policy", clip(string(s))) +
						didYouMean(consent.CategoryKey(string(s)), all), all})
				}
			}
		case "@in":
			if v := vocabOf(args[0]); v != nil && args[1].Kind() == ast.ListKind {
				for _, el := range args[1].AsList().Elements() {
					check(v, el)
				}
			}
		default:
			f := funcByName[fn]
			if f == nil {
				return
			}
			if d, ok := declared[fn]; ok && len(args) == 1 && args[0].Kind() == ast.LiteralKind {
				if s, ok := args[0].AsLiteral().(types.String); ok && !d.names[string(s)] {
					all := slices.Sorted(maps.Keys(d.names))
					msg := fmt.Sprintf("%s %q is not declared by the rule set or the sets it extends (parameters.%s)",
						d.what, clip(string(s)), d.param)
					if len(all) > 0 {
						msg += didYouMean(string(s), all)
					}
					out = append(out, constProblem{args[0].ID(), msg, all})
				}
			}
			for i, p := range f.params {
				v := p.vocab
				if i >= len(args) || v == nil {
					continue
				}
				check(v, args[i])
				// An enumerated variable passed where another vocabulary is
				// expected type-checks (both are strings) but is a mistake;
				// by name: sent's scope purpose takes request.purpose.
				if got := vocabOf(args[i]); got != nil && got.name != v.name {
					out = append(out, constProblem{args[i].ID(), fmt.Sprintf("argument %d of %s must be a %s, not a %s",
						i+1, fn, v.name, got.name), nil})
				}
			}
		}
	}))
	return out
}

// vocabProblem reports whether e is a string constant outside vocabulary v
// (nil: none), and the problem: the nearest value suggested, every value
// in its want.
func vocabProblem(v *enumVocab, e ast.Expr) (constProblem, bool) {
	if v == nil || e.Kind() != ast.LiteralKind {
		return constProblem{}, false
	}
	s, ok := e.AsLiteral().(types.String)
	switch {
	case !ok || v.has(string(s)):
		return constProblem{}, false
	case len(v.values) == 0: // a vocabulary checked, not listed
		return constProblem{e.ID(), fmt.Sprintf("%q is not a %s (want %s)", clip(string(s)), v.name, v.hint), nil}, true
	}
	return constProblem{e.ID(), fmt.Sprintf("%q is not a %s", clip(string(s)), v.name) +
		didYouMean(string(s), v.values), slices.Clone(v.values)}, true
}

// version hashes everything that can change a decision.
func version(sets []*rules.Set, params Params, canon map[*rules.Rule]string, injected map[string][]*rules.Rule) (_ string, err error) {
	sorted := slices.SortedFunc(slices.Values(sets), bySetName)
	type hashedRule struct {
		ID, Effect, Basis, Reason, Citation, Condition, Note string
		Channels                                             []string
		Obligations                                          []rules.ObligationRef
		NeedsReview, SelfRegulatory                          bool
		ValidFrom, ValidUntil                                string
	}
	type hashedSet struct {
		Jurisdiction, Extends, Title string
		Channels                     []string
		Parameters                   rules.SetParameters
		Obligations                  []rules.ObligationRef
		Rules                        []hashedRule
		Overrides                    []rules.Override `json:",omitempty"`
		House                        *hashedHouse     `json:",omitempty"`
		Reach                        *rules.Reach     `json:",omitempty"`
	}
	ts := versionTime
	hashed := func(r *rules.Rule) hashedRule {
		return hashedRule{ID: r.ID, Effect: r.Effect.String(), Basis: basisText(r.Basis),
			Reason: r.Reason, Citation: r.Citation, Condition: canon[r], Note: strings.Join(strings.Fields(r.Note), " "),
			Channels: channelNames(r.Channels), Obligations: r.Obligations, NeedsReview: r.NeedsReview,
			SelfRegulatory: r.SelfRegulatory, ValidFrom: ts(r.ValidFrom), ValidUntil: ts(r.ValidUntil)}
	}
	doc := struct {
		Semantics       string
		Params          map[string][]string
		Aliases         [][]string `json:",omitempty"` // by entity key, so spelling variants hash alike
		Sets            []hashedSet
		Injected        map[string][]hashedRule // built-in deny rules added to host sets
		Functions       map[string]string       `json:",omitempty"` // the host's functions: name → version and signature
		Holidays        []HolidayOverride       `json:",omitempty"`
		HostObligations []HostObligation        `json:",omitempty"`
		Fallback        string                  `json:",omitempty"`
		MobileDomains   []string                `json:",omitempty"`
		Routes          []rules.Route           `json:",omitempty"`
		Transfers       TransferParams          `json:",omitzero"`
		TransferLaws    []*rules.TransferLaw    `json:",omitempty"` // with routes only
		IndirectAge     map[string]int          `json:",omitempty"`
	}{IndirectAge: params.IndirectConsentAge, Routes: params.Routes, Transfers: params.Transfers, Fallback: params.Fallback, HostObligations: params.Obligations, Holidays: params.Holidays, Semantics: SemanticsVersion, Params: map[string][]string{},
		Injected: map[string][]hashedRule{}, Functions: hostVersions(params.Functions), MobileDomains: mobileDomainsOf(params.MobileMailDomains)}
	for g, m := range params.SimilarityGroups {
		doc.Params[g] = slices.Sorted(slices.Values(m))
	}
	if doc.TransferLaws, err = transferLawsOf(params); err != nil {
		return "", err
	}
	doc.Aliases = aliasKeys(params.EntityAliases)
	for _, s := range sorted {
		h := hashedSet{Jurisdiction: s.Jurisdiction, Extends: s.Extends, Title: s.Title,
			Parameters: s.Parameters, Obligations: s.Obligations, Overrides: s.Overrides}
		h.Channels, h.House = channelNames(s.Channels), houseHash(s)
		if !s.Reach.IsZero() {
			r := s.Reach
			h.Reach = &r
		}
		for i := range s.Rules {
			h.Rules = append(h.Rules, hashed(&s.Rules[i]))
		}
		doc.Sets = append(doc.Sets, h)
	}
	for code, rs := range injected {
		for _, r := range rs {
			doc.Injected[code] = append(doc.Injected[code], hashed(r))
		}
	}
	b, err := json.Marshal(doc) // map keys are sorted by encoding/json
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16]), nil
}

// aliasKeys returns the groups of entity aliases by entity key, sorted,
// each with more than one key, so that spelling variants hash alike.
func aliasKeys(groups [][]string) [][]string {
	var out [][]string
	for _, g := range groups {
		var keys []string
		for _, name := range g {
			keys = append(keys, consent.EntityKey(name))
		}
		slices.Sort(keys)
		if keys = slices.Compact(keys); len(keys) > 1 {
			out = append(out, keys)
		}
	}
	slices.SortFunc(out, slices.Compare)
	return out
}

// transferLawsOf returns the transfer law tables a policy with params
// applies: the built-in ones when it declares routes, none otherwise.
func transferLawsOf(params Params) ([]*rules.TransferLaw, error) {
	if len(params.Routes) == 0 {
		return nil, nil
	}
	return rules.BuiltinTransfers()
}

// versionTime is an instant's text in the policy version: RFC 3339 in
// UTC, "" for the zero instant.
func versionTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// channelNames returns the text forms of channels, for hashing.
func channelNames(chs []consent.Channel) []string {
	var out []string
	for _, c := range chs {
		out = append(out, c.String())
	}
	return out
}

func basisText(b rules.Basis) string {
	if b == 0 {
		return ""
	}
	return b.String()
}

// readsVar reports whether a checked condition reads the variable name.
func readsVar(a *ast.AST, name string) bool {
	for _, ref := range a.ReferenceMap() {
		if ref.Name == name {
			return true
		}
	}
	return false
}

// hasStopRules reports whether deny rules for channel ch already stop every
// message on it the engine's stop rules would: unbounded, never needing
// review, with the conditions objected(request.purpose, request.channel)
// and withdrawn(request.purpose, request.channel).
func hasStopRules(deny []tierRule, ch consent.Channel) bool {
	var obj, wd bool
	for _, t := range deny {
		r := t.rule
		if t.bounded || r.NeedsReview || !r.Governs(ch) {
			continue
		}
		switch strings.Join(strings.Fields(r.Condition), " ") {
		case "objected(request.purpose, request.channel)":
			obj = true
		case "withdrawn(request.purpose, request.channel)":
			wd = true
		}
	}
	return obj && wd
}

// clip shortens a value quoted in an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
