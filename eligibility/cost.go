package eligibility

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/internal/limits"
	"github.com/sendright/sendright/rules"
)

// Cost bounds. Every rule's condition gets a static worst-case cost at
// compile time ([ruleCost]), in cost units: one unit is about one record,
// interaction, attempt or registry lookup examined, or one operator
// applied; a string compared, concatenated or matched costs one unit per
// ten bytes traversed. Inputs are bounded by the contact's documented
// limits (a ledger of 20,000 records, 10,000 entries in each relationship
// list, of attempts and of sends, 1,000 registry lookups), so each domain function
// declares its worst case in terms of them ([work]), and strings by the
// identifier limit (256 bytes) or their vocabulary.

// Budgets of a policy's rules, in cost units (see [Params.RuleBudget] and
// [Params.DecisionBudget]).
const (
	// DefaultRuleBudget is the worst-case cost one rule's condition may
	// have when Params.RuleBudget is zero: about eight times the most
	// costly built-in rule's (120,003 units: hasConsent and
	// consentOnOtherChannel, six passes over a full ledger), so a house
	// rule may ask the ledger dozens of times, not thousands. A test keeps
	// every built-in rule under a quarter of it.
	DefaultRuleBudget = 1_000_000
	// DefaultDecisionBudget is the worst-case cost a jurisdiction's rules
	// may have together when Params.DecisionBudget is zero: about eleven
	// times the most costly built-in jurisdiction's (France, 882,443
	// units). A test keeps every built-in jurisdiction under a quarter of
	// it.
	DefaultDecisionBudget = 10_000_000
	// DefaultFunctionCost is the cost of a host function ([Function]) that
	// declares none: one pass over a full ledger.
	DefaultFunctionCost = 2 * limits.MaxRecords
)

// The input limits the domain functions' costs are stated in.
const (
	costRecords  = 2 * limits.MaxRecords      // a ledger's records
	costEvents   = limits.MaxEvents           // one relationship list, or the attempts
	costLookups  = limits.MaxRegistryChecks   // registry lookups
	costAddrs    = limits.MaxCollected        // published addresses
	costChannels = int64(consent.AllChannels) // the channels, for consentOnOtherChannel (one more than it asks)
)

// work is a domain function's worst case, in terms of the input limits:
// passes over the ledger, over relationship lists or the attempts, over the
// registry lookups and over published addresses, plus a fixed part.
type work struct {
	records, events, lookups, addrs, fixed int64
	// similar: each entry examined (or the call, without events) compares
	// categories, which costs more with the host's similarity groups
	// (see [similarityFactor]).
	similar bool
}

// unitsWith is the work in cost units when a category comparison costs
// sim units more than one.
func (w work) unitsWith(sim int64) int64 {
	u := w.units()
	if w.similar && sim > 0 {
		u = satAdd(u, satMul(max(satMul(w.events, costEvents), 1), sim))
	}
	return u
}

// similarityFactor is what one category comparison may cost beyond its
// unit: the product of the numbers of similarity groups two categories
// belong to, at most the square of the largest number of groups one
// category is in.
func similarityFactor(groups map[string][]string) int64 {
	count := map[string]map[string]bool{}
	var most int64
	for g, members := range groups {
		for _, m := range members {
			k := consent.CategoryKey(m)
			if count[k] == nil {
				count[k] = map[string]bool{}
			}
			count[k][g] = true
			most = max(most, int64(len(count[k])))
		}
	}
	return satMul(most, most)
}

// units is the work in cost units.
func (w work) units() int64 {
	return satAdd(satMul(w.records, costRecords), satMul(w.events, costEvents), satMul(w.lookups, costLookups),
		satMul(w.addrs, costAddrs), w.fixed)
}

// String states the work in terms of the limits, e.g. "1 × records + 1".
func (w work) String() string {
	var parts []string
	for _, t := range [...]struct {
		n    int64
		what string
	}{{w.records, "records"}, {w.events, "events"}, {w.lookups, "lookups"}, {w.addrs, "addresses"}} {
		if t.n != 0 {
			parts = append(parts, strconv.FormatInt(t.n, 10)+" × "+t.what)
		}
	}
	if w.fixed != 0 || len(parts) == 0 {
		parts = append(parts, strconv.FormatInt(w.fixed, 10))
	}
	return strings.Join(parts, " + ")
}

// Work of the domain functions, by kind (see [funcWork]).
var (
	constantWork = work{fixed: 1}
	ledgerWork   = work{records: 1, fixed: 1}
	eventsWork   = work{events: 1, fixed: 1}
	similarWork  = work{events: 1, fixed: 1, similar: true} // a list, comparing each entry's category
)

// costError is a rule over its budget: the estimate, the budget and the
// most costly operation (the caret goes under it).
type costError struct {
	cost, budget int64
	worstName    string
	worstCost    int64
}

func (e *costError) msg() string {
	s := "worst-case cost " + units(e.cost) + " exceeds the rule budget of " + units(e.budget) + " (Params.RuleBudget)"
	if e.worstName != "" {
		s += "; the most costly operation is " + e.worstName + " at " + units(e.worstCost)
	}
	return s
}

// units formats a cost with thousands separators.
func units(n int64) string {
	if n == math.MaxInt64 {
		return "unbounded"
	}
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String() + " units"
}

// estimate is the worst case of a sub-expression: its cost and, for a
// string, its length in bytes; for a list, its number of elements and
// their largest size.
type estimate struct {
	cost, size, elem int64
}

// coster walks a checked condition.
type coster struct {
	a    *ast.AST
	refs map[int64]*ast.ReferenceInfo
	host map[string]*hostFunc
	// windows bounds the work of inWindow(name) beyond its declared unit
	windows func(name string) int64
	// similar is what a category comparison costs beyond its unit
	similar int64
	// the most costly call, by its own cost (its arguments' apart)
	worst     int64
	worstName string
	worstCost int64
}

// ruleCost estimates a checked condition's worst-case cost: every
// operand of && and || evaluated, the costlier branch of ?:, each domain
// function at its declared worst case, each host function at its declared
// cost. It prices the string functions of CEL the compiled subset refuses
// (matches, contains, concatenation, …) too, so that the bound holds for
// the whole language the checker accepts.
func ruleCost(a *ast.AST, host map[string]*hostFunc, windows func(name string) int64, similar int64) (int64, *coster) {
	c := &coster{a: a, refs: a.ReferenceMap(), host: host, windows: windows, similar: similar}
	return c.expr(a.Expr()).cost, c
}

// varSize is the longest value of a variable: its vocabulary's longest
// member, or the identifier limit.
func varSize(name string) int64 {
	if v := varVocab[name]; v != nil && len(v.values) > 0 {
		return longest(v.values)
	}
	switch name {
	case varCountry, varSenderCountry:
		return 2
	}
	return limits.MaxIDLen
}

func longest(vals []string) int64 {
	var n int
	for _, v := range vals {
		n = max(n, len(v))
	}
	return int64(n)
}

// traverse is the cost of traversing n bytes of strings.
func traverse(n int64) int64 { return satAdd(n, 9) / 10 }

func (c *coster) note(id int64, name string, own int64) {
	if own > c.worstCost {
		c.worst, c.worstName, c.worstCost = id, name, own
	}
}

func (c *coster) isString(id int64) bool {
	t := c.a.GetType(id)
	return t != nil && t.Kind() == types.StringKind
}

func (c *coster) expr(e ast.Expr) estimate {
	switch e.Kind() {
	case ast.LiteralKind:
		if s, ok := e.AsLiteral().(types.String); ok {
			return estimate{size: int64(len(s))}
		}
		if b, ok := e.AsLiteral().(types.Bytes); ok {
			return estimate{size: int64(len(b))}
		}
		return estimate{size: 1}
	case ast.IdentKind, ast.SelectKind:
		if r, ok := c.refs[e.ID()]; ok && r.Name != "" {
			if h := c.host[r.Name]; h != nil && h.def.variable {
				own := satAdd(1, h.units())
				c.note(e.ID(), r.Name, own)
				return estimate{cost: own, size: limits.MaxIDLen}
			}
			return estimate{cost: 1, size: varSize(r.Name)}
		}
		return estimate{cost: 1, size: limits.MaxIDLen}
	case ast.ListKind:
		var out estimate
		for _, el := range e.AsList().Elements() {
			x := c.expr(el)
			out.cost = satAdd(out.cost, x.cost, 1)
			out.size++
			out.elem = max(out.elem, x.size)
		}
		return out
	case ast.CallKind:
		return c.call(e)
	}
	// Maps, messages, comprehensions: outside the compiled subset, priced
	// by their parts.
	var out estimate
	out.cost = 1
	ast.PreOrderVisit(e, ast.NewExprVisitor(func(sub ast.Expr) {
		if sub != e {
			out.cost = satAdd(out.cost, 1)
		}
	}))
	return out
}

func (c *coster) call(e ast.Expr) estimate {
	call := e.AsCall()
	fn := call.FunctionName()
	argExprs := call.Args()
	if call.IsMemberFunction() {
		argExprs = append([]ast.Expr{call.Target()}, argExprs...)
	}
	args := make([]estimate, len(argExprs))
	var sum int64
	for i, a := range argExprs {
		args[i] = c.expr(a)
		sum = satAdd(sum, args[i].cost)
	}
	own, size := int64(1), int64(1)
	switch fn {
	case operators.Conditional:
		// Only one branch runs: the condition and the costlier branch.
		sum = satAdd(args[0].cost, max(args[1].cost, args[2].cost))
		size = max(args[1].size, args[2].size)
	case operators.Equals, operators.NotEquals, operators.Less, operators.LessEquals,
		operators.Greater, operators.GreaterEquals:
		if c.isString(argExprs[0].ID()) {
			own = satAdd(own, traverse(min(args[0].size, args[1].size)))
		}
	case operators.In:
		per := int64(1)
		if c.isString(argExprs[0].ID()) {
			per = satAdd(per, traverse(min(args[0].size, args[1].elem)))
		}
		own = satAdd(own, satMul(args[1].size, per))
	case operators.Add:
		if c.isString(e.ID()) || args[0].elem > 0 || args[1].elem > 0 {
			size = satAdd(args[0].size, args[1].size)
			own = satAdd(own, traverse(size))
		}
	case "matches":
		// RE2 runs in time proportional to the input times the pattern.
		own = satAdd(own, traverse(satMul(args[0].size, max(args[1].size, 1))))
	case "contains", "startsWith", "endsWith":
		own = satAdd(own, traverse(satAdd(args[0].size, args[1].size)))
	default:
		if f := funcByName[fn]; f != nil {
			own = satAdd(own, f.work.unitsWith(c.similar))
			if fn == "inWindow" && c.windows != nil && len(argExprs) == 1 && argExprs[0].Kind() == ast.LiteralKind {
				if name, ok := argExprs[0].AsLiteral().(types.String); ok {
					own = satAdd(own, c.windows(string(name)))
				}
			}
			if f.result.vocab != nil {
				size = longest(f.result.vocab.values)
			}
		} else if h := c.host[fn]; h != nil {
			own = satAdd(own, h.units())
			if h.def.result.typ == cel.StringType {
				size = limits.MaxIDLen // assumed: a host's string is priced as an identifier
			}
		}
	}
	c.note(e.ID(), fn, own)
	return estimate{cost: satAdd(sum, own), size: size}
}

// units is a host function's declared cost, or the default.
func (h *hostFunc) units() int64 {
	if h.cost > 0 {
		return h.cost
	}
	return DefaultFunctionCost
}

// satAdd adds non-negative numbers, saturating at math.MaxInt64.
func satAdd(xs ...int64) int64 {
	var s int64
	for _, x := range xs {
		if s > math.MaxInt64-x {
			return math.MaxInt64
		}
		s += x
	}
	return s
}

// satMul multiplies non-negative numbers, saturating at math.MaxInt64.
func satMul(x, y int64) int64 {
	if x != 0 && y > math.MaxInt64/x {
		return math.MaxInt64
	}
	return x * y
}

// windowWork bounds inWindow(name)'s work in any jurisdiction of the
// sets: finding the window among all the sets' windows, then testing the
// spans of the longest window of that name (a country may redefine its
// base's window, so the rule's own chain is not enough).
func windowWork(sets []*rules.Set) func(string) int64 {
	var all int64
	spans := map[string]int64{}
	for _, s := range sets {
		if s == nil {
			continue
		}
		for i := range s.Parameters.Windows {
			w := &s.Parameters.Windows[i]
			all++
			sp, _ := w.Spans()
			spans[w.Name] = max(spans[w.Name], int64(len(sp)))
		}
	}
	return func(name string) int64 { return satAdd(all, spans[name]) }
}

// budgets are a compilation's rule and decision budgets.
func (p Params) budgets() (rule, decision int64) {
	rule, decision = p.RuleBudget, p.DecisionBudget
	if rule <= 0 {
		rule = DefaultRuleBudget
	}
	if decision <= 0 {
		decision = DefaultDecisionBudget
	}
	return rule, decision
}

// Cost returns the worst-case cost of a rule's condition, in cost units
// (see the README's "Cost bounds"), and whether the policy holds a rule
// with that id.
func (p *Policy) Cost(ruleID string) (int64, bool) {
	if p == nil {
		return 0, false
	}
	n, ok := p.costs[ruleID]
	return n, ok
}

// jurisdictionCost is the worst case of a decision at one instant in
// jurisdiction j: every rule evaluated once.
func (j *jurisdiction) cost() (int64, []*compiled) {
	var sum int64
	var all []*compiled
	for _, tier := range j.tiers {
		for _, t := range tier {
			sum = satAdd(sum, t.cost)
			all = append(all, t.compiled)
		}
	}
	return sum, all
}

// decisionCostError describes a jurisdiction over the decision budget,
// naming its three most costly rules.
func decisionCostError(code string, sum, budget int64, all []*compiled) string {
	top := append([]*compiled(nil), all...)
	// a partial selection sort: three at most
	var names []string
	for i := 0; i < len(top) && i < 3; i++ {
		m := i
		for k := i + 1; k < len(top); k++ {
			if top[k].cost > top[m].cost {
				m = k
			}
		}
		top[i], top[m] = top[m], top[i]
		names = append(names, fmt.Sprintf("%s %s", top[i].rule.ID, units(top[i].cost)))
	}
	return fmt.Sprintf("jurisdiction %s: its rules together cost %s in the worst case, over the decision budget of %s (Params.DecisionBudget); the most costly: %s",
		code, units(sum), units(budget), strings.Join(names, ", "))
}
