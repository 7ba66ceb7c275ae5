package eligibility

import (
	"fmt"

	"cel.dev/cel-go/common/ast"

	"github.com/sendright/sendright/internal/holidays"
)

// funcMeta declares, for each domain function of [domainFuncs], the
// language level that introduced it (see [rules.LanguageLevel]; levels 1 to
// 4 are those of the semantics versions "sendright/1" to "sendright/4"
// that introduced their functions) and its worst-case work in terms of the
// input limits (see cost.go). Tests check that every function has an entry
// and pin each name to its level and signature (pinnedFunctions): a
// function added after a release takes the next level, raising
// rules.LanguageLevel, and is pinned.
var funcMeta = map[string]struct {
	since int
	work  work
}{
	// Level 1: the first rule language.
	"hasConsent":                {1, ledgerWork},
	"objected":                  {1, ledgerWork},
	"withdrawn":                 {1, ledgerWork},
	"consentDefect":             {1, ledgerWork},
	"consentOnOtherChannel":     {1, work{records: costChannels - 1, fixed: 1}},
	"similarPurchase":           {1, similarWork},
	"similarPurchaseNoOptOut":   {1, similarWork},
	"similarInquiry":            {1, similarWork},
	"isCustomer":                {1, eventsWork},
	"purchasedWithin":           {1, eventsWork},
	"supportedCharity":          {1, eventsWork},
	"optOutOfferedAtCollection": {1, constantWork},
	"ongoingContract":           {1, similarWork},
	// Level 2: mixed messages and sector bans.
	"similarInquiryNoOptOut": {2, similarWork},
	"inCategory":             {2, work{fixed: 1, similar: true}},
	// Level 3: local time.
	"localHour":    {3, constantWork},
	"localWeekday": {3, constantWork},
	// Level 4: defer rules, windows, calls, registries, activity.
	"consentMethod":           {4, ledgerWork},
	"consentDocumented":       {4, ledgerWork},
	"similarPurchaseWithin":   {4, similarWork},
	"supportedWithin":         {4, eventsWork},
	"publishedForMarketing":   {4, work{addrs: 1, fixed: 1}},
	"inWindow":                {4, constantWork},
	"holiday":                 {4, constantWork},
	"callAttempts":            {4, work{events: 2, fixed: 1}}, // the sender's calls, once per decision, then a count
	"refusedWithin":           {4, work{events: 2, fixed: 1}},
	"registry":                {4, work{lookups: 1, fixed: 1}},
	"consentAfterListing":     {4, work{lookups: 1, records: 1, fixed: 1}},
	"contractWithin":          {4, eventsWork},
	"consentInContract":       {4, work{records: 1, events: 1, fixed: 1}},
	"presumedConsent":         {4, constantWork},
	"unregisteredSenderAlias": {4, constantWork},
	"pushPermitted":           {4, constantWork},
	"prospectActiveWithin":    {4, work{events: 3, fixed: 1}},
	"customerActiveWithin":    {4, work{events: 4, fixed: 1}},
	// Level 5: house rules.
	"sent":     {5, work{events: 2, fixed: 1}}, // the sender's sends, once per decision, then a count
	"ageUnder": {5, constantWork},
	// the ledger once, then the holiday table's dates between the stop and
	// the instant (at most the table: 101 years of holidays)
	"stopBusinessDays": {5, work{records: 1, fixed: stopDaysWork}},
	"inquiredWithin":   {5, eventsWork},
	"mobileMailDomain": {5, work{fixed: 64}}, // a lookup per label of the address's domain
	"fixedLine":        {6, constantWork},
	"callsWithin":      {5, work{events: 2, fixed: 1}}, // the sender's calls, once per decision, then a count
	"sentWithin":       {5, work{events: 2, fixed: 1}},
	// the ledger once (the grant the state names)
	"writtenConsentMissing": {5, ledgerWork},
	// Level 6: partner data (the ledger once, the grant judged and the
	// stops of its collector and chain).
	"indirectConsent":          {6, ledgerWork},
	"partnerInformed":          {6, ledgerWork},
	"indirectConsentAged":      {6, ledgerWork},
	"art14NoticeLate":          {6, ledgerWork},
	"similarPurchaseElsewhere": {6, similarWork},
	// the ledger once (the grant that counts, its instant and terms)
	"consentCurrent": {6, ledgerWork},
	// the ledger twice (the grant that counts, the stops on the other
	// channel) and the refusals at collection
	"revokedOn": {6, work{records: 2, events: 1, fixed: 1}},
}

// checkLevels finds calls of domain functions introduced after level, the
// language level a rule file declares (none when zero).
func checkLevels(a *ast.AST, level int) []constProblem {
	if level <= 0 {
		return nil
	}
	var out []constProblem
	ast.PostOrderVisit(a.Expr(), ast.NewExprVisitor(func(e ast.Expr) {
		if e.Kind() != ast.CallKind {
			return
		}
		if f := funcByName[e.AsCall().FunctionName()]; f != nil && f.since > level {
			out = append(out, constProblem{id: e.ID(), msg: fmt.Sprintf(
				"%s belongs to rule language level %d, and the file declares level %d (language: %d): declare level %d or more",
				f.name, f.since, level, level, f.since)})
		}
	}))
	return out
}

// stopDaysWork bounds the holiday dates stopBusinessDays examines: a
// table's dates in the years it covers (holidays.From to holidays.To), at
// most 32 a year with their substitute days.
const stopDaysWork = (holidays.To - holidays.From + 1) * 32
