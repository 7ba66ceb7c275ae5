package eligibility_test

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

// houseSet is a GB house rule set with one deny rule HOUSE_X of the
// condition cond, and the file's language declaration when lang is set.
func houseSet(t testing.TB, lang, cond string) *rules.Set {
	t.Helper()
	src := "jurisdiction: GB\ntitle: House\n" + lang + "channels: [email, sms]\nrules:\n  - id: HOUSE_X\n    channels: [all]\n" +
		"    effect: deny\n    reason: HOUSE_STOP\n    citation: House policy 1\n    condition: |\n      " +
		strings.ReplaceAll(cond, "\n", "\n      ") + "\n"
	return mustParse(t, "house.yaml", src)
}

// compileErrors compiles sets and returns the errors, failing the test
// when it compiles.
func compileErrors(t testing.TB, sets []*rules.Set, params eligibility.Params) rules.ErrorList {
	t.Helper()
	_, err := eligibility.Compile(sets, params)
	var list rules.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("Compile error %v, want a rules.ErrorList", err)
	}
	return list
}

// repeat joins n copies of s with sep.
func repeat(s, sep string, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = s
	}
	return strings.Join(parts, sep)
}

// blockList is a host function over a large host-declared list: it
// declares the cost of scanning five million entries.
var blockList = func() eligibility.Function {
	f := eligibility.Func("blockedSender", "1", func(*consent.Contact, *consent.Message) (bool, error) { return false, nil })
	f.Cost = 5_000_000
	return f
}()

// Hostile rules that fit the file-size limits (a condition is at most
// 100,000 characters) are refused by the cost check, which states the
// estimate and the budget with a caret under the most costly operation:
// the refusal is the cost check's, before the compiled subset refuses the
// string functions, and no decision ever runs them.
func TestCostRefusesHostileRules(t *testing.T) {
	tests := []struct {
		name   string
		cond   string
		params eligibility.Params
		col    int    // of the caret
		want   string // the error message
	}{
		{
			name: "a long pattern",
			cond: "request.sender.entity.matches('" + strings.Repeat("(a|b)", 19_000) + "')",
			col:  36,
			want: "worst-case cost 2,432,002 units exceeds the rule budget of 1,000,000 units (Params.RuleBudget); the most costly operation is matches at 2,432,001 units",
		},
		{
			name: "a pattern built at run time from nested concatenations",
			cond: "request.sender.entity.matches(" + repeat("request.category", " + ", 200) + ")",
			col:  36,
			want: "worst-case cost 1,825,735 units exceeds the rule budget of 1,000,000 units (Params.RuleBudget); the most costly operation is matches at 1,310,721 units",
		},
		{
			name: "nested concatenations",
			cond: "(" + repeat("request.sender.entity", " + ", 240) + ").contains(" + repeat("request.sender.entity", " + ", 240) + ")",
			col:  5775,
			want: "worst-case cost 1,494,091 units exceeds the rule budget of 1,000,000 units (Params.RuleBudget); the most costly operation is contains at 12,289 units",
		},
		{
			name:   "a condition over a large host-declared list",
			cond:   "blockedSender()",
			params: eligibility.Params{Functions: []eligibility.Function{blockList}},
			col:    20,
			want:   "worst-case cost 5,000,001 units exceeds the rule budget of 1,000,000 units (Params.RuleBudget); the most costly operation is blockedSender at 5,000,001 units",
		},
		{
			name: "the ledger asked a hundred times",
			cond: repeat("hasConsent('marketing_general', 'email')", " || ", 100),
			col:  17,
			want: "worst-case cost 2,000,299 units exceeds the rule budget of 1,000,000 units (Params.RuleBudget); the most costly operation is hasConsent at 20,002 units",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			list := compileErrors(t, []*rules.Set{houseSet(t, "", tc.cond)}, tc.params)
			var got []string
			for _, e := range list {
				got = append(got, fmt.Sprintf("%s %s %d:%d %s", e.File, e.Rule, e.Line, e.Column, e.Msg))
			}
			want := []string{fmt.Sprintf("house.yaml HOUSE_X 11:%d %s", tc.col, tc.want)}
			if diff := gocmp.Diff(want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if !strings.Contains(list.Error(), tc.want) {
				t.Errorf("Error() = %.300q, want the estimate in it", list.Error())
			}
		})
	}
}

// A condition over a large list literal costs one comparison per element:
// it compiles under the default budget, decides like any rule, and is
// refused, with its estimate, under a budget below its cost.
func TestCostOfALargeListLiteral(t *testing.T) {
	var hours []string
	for i := range 12_000 {
		hours = append(hours, strconv.Itoa(i+24)) // no hour matches but the last
	}
	hours = append(hours, strconv.Itoa(ruleAt.Hour()))
	cond := "localHour() in [" + strings.Join(hours, ", ") + "]"
	set := houseSet(t, "", cond)
	p := mustCompile(t, []*rules.Set{set}, eligibility.Params{})
	cost, ok := p.Cost("HOUSE_X")
	if !ok || cost != 24_005 {
		t.Errorf("Cost(HOUSE_X) = %d, %v; want 24,005 (two units per element, the call, the operator)", cost, ok)
	}
	c := newContact(t, "c-list", "GB", consent.Consumer)
	d, err := decide(p, c, message(consent.MarketingGeneral, consent.Email, "books", ruleAt))
	if err != nil || d.Verdict != eligibility.Deny || d.Rule != "HOUSE_X" {
		t.Errorf("Decide = %v %s, %v; want a deny by HOUSE_X", d.Verdict, d.Rule, err)
	}
	list := compileErrors(t, []*rules.Set{set}, eligibility.Params{RuleBudget: 20_000})
	if len(list) != 1 || !strings.Contains(list[0].Msg, "worst-case cost 24,005 units exceeds the rule budget of 20,000 units") ||
		!strings.Contains(list[0].Msg, "the most costly operation is @in at 12,002 units") {
		t.Errorf("errors under a budget of 20,000 = %v, want the estimate", list)
	}
}

// A rule exactly at the budget compiles; one unit less refuses it.
func TestCostExactlyAtTheBudget(t *testing.T) {
	set := houseSet(t, "", "hasConsent('marketing_general', 'email') && !similarPurchase() && callAttempts(30) > 2")
	p := mustCompile(t, []*rules.Set{set}, eligibility.Params{})
	cost, ok := p.Cost("HOUSE_X")
	// A call costs its work and one unit: 20,002 for hasConsent (a pass
	// over the ledger), 10,002 for similarPurchase (over the purchases),
	// 20,002 for callAttempts (twice over the attempts); one unit per
	// operator, nothing for a constant.
	if want := int64(50_010); !ok || cost != want {
		t.Fatalf("Cost(HOUSE_X) = %d, %v; want %d", cost, ok, want)
	}
	if _, err := eligibility.Compile([]*rules.Set{set}, eligibility.Params{RuleBudget: cost}); err != nil {
		t.Errorf("Compile with the budget at the rule's cost: %v", err)
	}
	list := compileErrors(t, []*rules.Set{set}, eligibility.Params{RuleBudget: cost - 1})
	if len(list) != 1 || list[0].Rule != "HOUSE_X" ||
		list[0].Msg != "worst-case cost 50,010 units exceeds the rule budget of 50,009 units (Params.RuleBudget); the most costly operation is hasConsent at 20,002 units" {
		t.Errorf("errors one unit under = %v", list)
	}
}

// A host function or variable without a declared cost is priced as one
// pass over a full ledger; a declared cost is used as it is; a negative
// one is refused.
func TestCostOfHostFunctions(t *testing.T) {
	f := blockList
	f.Cost = 0
	tier := eligibility.Variable("tier", "1", func(*consent.Contact, *consent.Message) (string, error) { return "gold", nil })
	score := eligibility.Func1("score", "1", func(_ *consent.Contact, _ *consent.Message, k string) (int64, error) { return 1, nil })
	score.Cost = 300
	p := mustCompile(t, []*rules.Set{houseSet(t, "", "blockedSender() || tier == 'lead' || score('x') > 3")},
		eligibility.Params{Functions: []eligibility.Function{f, tier, score}})
	// Each default function 20,001 units (20,000 and the call's or the
	// read's one), score 301 and its comparison 1, the == of two strings
	// (one of a single byte) 2, the two ||s 2.
	want := int64(2*(eligibility.DefaultFunctionCost+1) + 301 + 1 + 2 + 2)
	if cost, _ := p.Cost("HOUSE_X"); cost != want {
		t.Errorf("Cost(HOUSE_X) = %d, want %d", cost, want)
	}
	if _, ok := p.Cost("NO_SUCH_RULE"); ok {
		t.Error("Cost(NO_SUCH_RULE) found a rule")
	}
	f.Cost = -1
	list := compileErrors(t, []*rules.Set{houseSet(t, "", "blockedSender()")}, eligibility.Params{Functions: []eligibility.Function{f}})
	if len(list) != 1 || list[0].Msg != "function blockedSender: a negative cost" {
		t.Errorf("errors = %v, want a negative cost", list)
	}
}

// Every built-in rule and jurisdiction fits a quarter of the default
// budgets; the largest are logged.
func TestBuiltinCostsFitTheBudgets(t *testing.T) {
	p, err := eligibility.Default()
	if err != nil {
		t.Fatal(err)
	}
	var maxRule, maxSum int64
	var maxID, maxCode string
	for _, code := range p.Jurisdictions() {
		var sum int64
		for _, r := range p.Rules(code) {
			n, ok := p.Cost(r.ID)
			if !ok || n < 0 {
				t.Errorf("Cost(%s) = %d, %v", r.ID, n, ok)
			}
			if n > maxRule {
				maxRule, maxID = n, r.ID
			}
			sum += n
		}
		if sum > maxSum {
			maxSum, maxCode = sum, code
		}
	}
	t.Logf("most costly built-in rule: %s, %d units; jurisdiction: %s, %d units", maxID, maxRule, maxCode, maxSum)
	if maxRule*4 > eligibility.DefaultRuleBudget {
		t.Errorf("built-in rule %s costs %d, over a quarter of DefaultRuleBudget", maxID, maxRule)
	}
	if maxSum*4 > eligibility.DefaultDecisionBudget {
		t.Errorf("built-in jurisdiction %s costs %d, over a quarter of DefaultDecisionBudget", maxCode, maxSum)
	}
}

// A jurisdiction whose rules together exceed the decision budget does not
// compile; the error names it, its estimate and its most costly rules.
func TestCostDecisionBudget(t *testing.T) {
	sets, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var gb []*rules.Set
	for _, s := range sets {
		if s.Jurisdiction == "GB" {
			gb = append(gb, s)
		}
	}
	p := mustCompile(t, gb, eligibility.Params{})
	var sum int64
	for _, r := range p.Rules("GB") {
		n, _ := p.Cost(r.ID)
		sum += n
	}
	if _, err := eligibility.Compile(gb, eligibility.Params{DecisionBudget: sum}); err != nil {
		t.Errorf("Compile with the decision budget at GB's cost: %v", err)
	}
	list := compileErrors(t, gb, eligibility.Params{DecisionBudget: sum - 1})
	want := fmt.Sprintf("jurisdiction GB: its rules together cost %s units in the worst case, over the decision budget of %s units (Params.DecisionBudget); the most costly: ",
		thousands(sum), thousands(sum-1))
	if len(list) != 1 || !strings.HasPrefix(list[0].Msg, want) || list[0].File != gb[0].File {
		t.Errorf("errors = %v, want one starting %q", list, want)
	}
}

// thousands formats n with thousands separators.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// The rule language has no string operation that could build a regular
// expression or grow a string at run time: CEL's string functions
// type-check but do not compile, so decisions only compare strings of
// bounded length (identifiers of at most 256 bytes and constants).
func TestStringFunctionsAreOutsideTheLanguage(t *testing.T) {
	for _, cond := range []string{
		"request.sender.entity.matches('^a')",
		"matches(request.sender.entity, '^a')",
		"request.sender.entity.contains('a')",
		"request.sender.entity.startsWith('a')",
		"request.sender.entity.endsWith('a')",
		"size(request.sender.entity) > 3",
		"request.sender.entity + 'x' == 'ax'",
		"string(localHour()) == '9'",
	} {
		list := compileErrors(t, []*rules.Set{houseSet(t, "", cond)}, eligibility.Params{})
		if len(list) != 1 || !strings.HasPrefix(list[0].Msg, "outside the rule language") {
			t.Errorf("%s: errors %v, want one outside the rule language", cond, list)
		}
	}
}

// A rule file may declare the language level it was written for: a level
// above the library's does not compile, naming both; a call of a function
// introduced after the declared level does not compile, naming its level;
// at or above its level it compiles.
func TestLanguageLevels(t *testing.T) {
	tests := []struct {
		name, lang, cond string
		want             []string // "line:col message"
	}{
		{name: "a newer level than the library's", lang: "language: 7\n", cond: "localHour() < 8",
			want: []string{"3:1 language 7: the file is written for rule language level 7, and this library implements levels 1 to 6: upgrade the library"}},
		{name: "a negative level", lang: "language: -1\n", cond: "localHour() < 8",
			want: []string{"3:1 language -1: want a level from 1 to 6"}},
		{name: "a level-6 function in a level-5 file", lang: "language: 5\n", cond: "indirectConsent('marketing_general', 'email')",
			want: []string{"12:22 indirectConsent belongs to rule language level 6, and the file declares level 5 (language: 5): declare level 6 or more"}},
		{name: "a function newer than the declared level", lang: "language: 2\n", cond: "inCategory('pensions') && localHour() < 8",
			want: []string{"12:42 localHour belongs to rule language level 3, and the file declares level 2 (language: 2): declare level 3 or more"}},
		{name: "the function's own level", lang: "language: 3\n", cond: "inCategory('pensions') && localHour() < 8"},
		{name: "the library's level", lang: "language: 5\n", cond: "callAttempts(30) > 2 || sent('all_marketing', 'email', 1) > 0"},
		{name: "a level-5 function in a level-4 file", lang: "language: 4\n", cond: "sent('all_marketing', 'email', 1) > 0",
			want: []string{"12:11 sent belongs to rule language level 5, and the file declares level 4 (language: 4): declare level 5 or more"}},
		{name: "no declaration", cond: "callAttempts(30) > 2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := eligibility.Compile([]*rules.Set{houseSet(t, tc.lang, tc.cond)}, eligibility.Params{})
			var got []string
			var list rules.ErrorList
			if errors.As(err, &list) {
				for _, e := range list {
					got = append(got, fmt.Sprintf("%d:%d %s", e.Line, e.Column, e.Msg))
				}
			} else if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			if diff := gocmp.Diff(tc.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

// A rule near the budget decides over a contact at the limits: 35 passes
// over a ledger of 10,000 grants (the grant limit), each for a purpose and
// channel no grant of the ledger covers, so that no call short-circuits
// the others and none is answered from the previous call's memo. The
// decision completes (the test's timeout is the bound); the time per unit
// is logged, never asserted.
func TestCostNearTheBudgetDecides(t *testing.T) {
	var calls []string
	for p := consent.Transactional; p < consent.AllMarketing; p++ {
		for ch := consent.Email; ch < consent.AllChannels; ch++ {
			// E-mail calls: the grants, general marketing on e-mail, cover
			// several purposes, which would hold and end the ||.
			if ch != consent.Email {
				calls = append(calls, fmt.Sprintf("hasConsent('%v', '%v')", p, ch))
			}
		}
	}
	p := mustCompile(t, []*rules.Set{houseSet(t, "", strings.Join(calls, " || "))}, eligibility.Params{})
	cost, _ := p.Cost("HOUSE_X")
	if want := int64(len(calls))*20_002 + int64(len(calls)-1); cost != want || cost > eligibility.DefaultRuleBudget {
		t.Fatalf("Cost(HOUSE_X) = %d, want %d, within the default budget", cost, want)
	}
	recs := make([]consent.Record, 10_000)
	for i := range recs {
		recs[i] = grant("g-"+strconv.Itoa(i), "c-full", consent.MarketingGeneral, consent.Email, ruleAt.Add(-time.Duration(i+1)*time.Minute))
	}
	c := newContact(t, "c-full", "GB", consent.Consumer, withRecords(t, recs...))
	m := message(consent.MarketingGeneral, consent.Email, "books", ruleAt)
	start := time.Now()
	d, err := decide(p, c, m)
	elapsed := time.Since(start)
	if err != nil || d.Rule == "HOUSE_X" {
		t.Errorf("Decide = %v %s, %v; want a decision HOUSE_X does not make", d.Verdict, d.Rule, err)
	}
	t.Logf("%d units estimated, %v for the decision (%.2f ns a unit)", cost, elapsed, float64(elapsed.Nanoseconds())/float64(cost))
}

// inWindow costs its unit, a look among every window of the policy's sets
// and a test of each span of the longest window of its name.
func TestCostOfAWindow(t *testing.T) {
	src := `jurisdiction: GB
title: House
channels: [email, sms]
parameters:
  windows:
    - name: mornings
      days: [mon, tue, wed, thu, fri]
      hours: ["08:00-09:00", "10:00-11:00", "12:00-13:00"]
    - name: evenings
      days: [sat]
      hours: ["18:00-20:00"]
rules:
  - id: HOUSE_X
    channels: [all]
    effect: defer
    reason: HOUSE_HOURS
    citation: House policy 1
    condition: "!inWindow('mornings')"
`
	p := mustCompile(t, []*rules.Set{mustParse(t, "house.yaml", src)}, eligibility.Params{})
	// 1 for the call, 1 declared, 2 windows, 3 spans, 1 for the !.
	if cost, _ := p.Cost("HOUSE_X"); cost != 8 {
		t.Errorf("Cost(HOUSE_X) = %d, want 8", cost)
	}
}

// The host's similarity groups price category comparisons: a function
// comparing each purchase's category costs the product of the numbers of
// groups two categories belong to more per purchase, so a category put in
// three hundred groups makes similarPurchase() cost more than any budget.
func TestCostOfSimilarityGroups(t *testing.T) {
	set := houseSet(t, "", "similarPurchase()")
	one := eligibility.Params{SimilarityGroups: map[string][]string{"kitchen": {"kettles", "toasters"}}}
	p := mustCompile(t, []*rules.Set{set}, one)
	// 10,002 for the call, and a group's comparison for each of the
	// 10,000 purchases.
	if cost, _ := p.Cost("HOUSE_X"); cost != 20_002 {
		t.Errorf("Cost(HOUSE_X) with one group = %d, want 20,002", cost)
	}
	many := eligibility.Params{SimilarityGroups: map[string][]string{}}
	for i := range 300 {
		many.SimilarityGroups["kitchen_"+strconv.Itoa(i)] = []string{"kettles", "toasters"}
	}
	list := compileErrors(t, []*rules.Set{set}, many)
	want := "worst-case cost 900,010,002 units exceeds the rule budget of 1,000,000 units (Params.RuleBudget); the most costly operation is similarPurchase at 900,010,002 units"
	if len(list) != 1 || list[0].Msg != want {
		t.Errorf("errors with 300 groups = %v, want %q", list, want)
	}
}
