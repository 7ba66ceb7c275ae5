package eligibility_test

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sendright/sendright/eligibility"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/rules"
)

// hostSet is a host's own rule set for a country, without extends: EU,
// with an exempt rule, an allow rule and a no-basis rule that would let
// everything through.
const hostSet = `jurisdiction: %s
title: Host rules (fictional)
channels: [email, sms]
rules:
  - id: HOST_EXEMPT_ALL
    channels: [all]
    effect: exempt
    basis: transactional
    reason: HOST_EXEMPT
    citation: Host policy 1
    condition: "true"
  - id: HOST_ALLOW_ALL
    channels: [all]
    effect: allow
    basis: consent
    reason: HOST_ALLOW
    citation: Host policy 2
    condition: "true"
`

func builtinWithout(t *testing.T, drop ...string) []*rules.Set {
	t.Helper()
	sets, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var out []*rules.Set
	for _, s := range sets {
		keep := true
		for _, d := range drop {
			keep = keep && s.Jurisdiction != d
		}
		if keep {
			out = append(out, s)
		}
	}
	return out
}

// TestStopsAndBansAreInvariants: no host rule set — without extends: EU,
// with an exempt or allow rule whose condition is true, replacing the
// built-in set of its country — lifts an objection, a withdrawal or the
// French energy-renovation ban; only a transactional message is exempt.
func TestStopsAndBansAreInvariants(t *testing.T) {
	day := func(d int) time.Time { return ruleAt.AddDate(0, 0, -d) }
	objection := func(p consent.Purpose) consent.Record {
		return consent.Record{ID: "obj", Purpose: p, Channel: consent.Email, Sender: sender, Status: consent.Objection, At: day(1)}
	}
	withdrawal := consent.Record{ID: "wd", Purpose: consent.MarketingGeneral, Channel: consent.AllChannels, Sender: sender,
		Status: consent.Withdrawn, At: day(1)}
	policies := map[string]*eligibility.Policy{}
	for _, code := range []string{"FR", "AT", "GB"} {
		host := mustParse(t, "host.yaml", strings.Replace(hostSet, "%s", code, 1))
		policies[code+" host set replacing the built-in one"] = mustCompile(t, append(builtinWithout(t, code), host), eligibility.Params{})
	}
	tests := []struct {
		name       string
		country    string
		recs       []consent.Record
		msg        *consent.Message
		wantRule   string
		wantReason string
	}{
		{"narrow objection, general marketing", "FR", []consent.Record{grant("g", "ann", consent.MarketingGeneral, consent.Email, day(9)), objection(consent.FeedbackRequest)},
			message(consent.MarketingGeneral, consent.Email, "", ruleAt), "EU_OBJECTION", "OBJECTION_ON_FILE"},
		{"withdrawal", "FR", []consent.Record{grant("g", "ann", consent.MarketingGeneral, consent.Email, day(9)), withdrawal},
			message(consent.MarketingGeneral, consent.Email, "", ruleAt), "EU_WITHDRAWN", "CONSENT_WITHDRAWN"},
		{"energy-renovation ban", "FR", nil,
			message(consent.MarketingGeneral, consent.Email, "Energy-Renovation", ruleAt), "FR_ENERGY_RENOVATION_BAN", "ENERGY_RENOVATION_CANVASSING_BAN"},
		{"transactional message promoting a banned category", "FR", nil,
			message(consent.Transactional, consent.Email, "energy_renovation", ruleAt), "FR_ENERGY_RENOVATION_BAN", "ENERGY_RENOVATION_CANVASSING_BAN"},
		{"objection, no built-in set (engine stop)", "AT", []consent.Record{objection(consent.MarketingThirdParty)},
			message(consent.MarketingSimilar, consent.Email, "", ruleAt), eligibility.RuleStopObjection, "OBJECTION_ON_FILE"},
		{"withdrawal, no built-in set (engine stop)", "AT", []consent.Record{withdrawal},
			message(consent.ConsentRequest, consent.Email, "", ruleAt), eligibility.RuleStopWithdrawn, "CONSENT_WITHDRAWN"},
		{"exempt only for transactional, no built-in set", "AT", nil,
			message(consent.MarketingGeneral, consent.Email, "", ruleAt), "HOST_ALLOW_ALL", "HOST_ALLOW"},
		{"objection, UK", "GB", []consent.Record{objection(consent.ConsentRequest)},
			message(consent.MarketingGeneral, consent.Email, "", ruleAt), "UK_OBJECTION", "OBJECTION_ON_FILE"},
	}
	for pname, p := range policies {
		for _, tt := range tests {
			if !strings.HasPrefix(pname, tt.country) {
				continue
			}
			t.Run(pname+"/"+tt.name, func(t *testing.T) {
				c := newContact(t, "ann", tt.country, consent.Consumer, withRecords(t, tt.recs...))
				got, err := decide(p, c, tt.msg)
				if err != nil {
					t.Fatal(err)
				}
				allowed := tt.wantRule == "HOST_ALLOW_ALL"
				if isAllow(got) != allowed || got.Rule != tt.wantRule || got.Reason != tt.wantReason || got.Citation == "" {
					t.Errorf("Decide = allowed %v, %s %s (%q); want allowed %v, %s %s with a citation",
						isAllow(got), got.Rule, got.Reason, got.Citation, allowed, tt.wantRule, tt.wantReason)
				}
			})
		}
	}
	// The host's exempt rule still exempts a transactional message.
	c := newContact(t, "ann", "AT", consent.Consumer, withRecords(t, withdrawal))
	got, err := decide(policies["AT host set replacing the built-in one"], c, message(consent.Transactional, consent.Email, "", ruleAt))
	if err != nil || !isAllow(got) || got.Rule != "HOST_EXEMPT_ALL" {
		t.Errorf("transactional message: %+v, %v; want allowed by HOST_EXEMPT_ALL", got, err)
	}
}

// A host cannot redefine a built-in stop or ban: the same id with another
// condition, validity or effect is a compile error.
func TestBuiltinInvariantsCannotBeChanged(t *testing.T) {
	for name, mod := range map[string]func(r *rules.Rule){
		"condition false":  func(r *rules.Rule) { r.Condition = "false" },
		"narrower purpose": func(r *rules.Rule) { r.Condition = "objected('consent_request', request.channel)" },
		"expired":          func(r *rules.Rule) { r.ValidUntil = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC) },
		"review only":      func(r *rules.Rule) { r.NeedsReview = true },
	} {
		for _, id := range []string{"EU_OBJECTION", "FR_ENERGY_RENOVATION_BAN", "UK_WITHDRAWN"} {
			t.Run(name+"/"+id, func(t *testing.T) {
				sets := builtinWithout(t)
				for _, s := range sets {
					for i := range s.Rules {
						if s.Rules[i].ID == id {
							mod(&s.Rules[i])
						}
					}
				}
				_, err := eligibility.Compile(sets, eligibility.Params{})
				if !errors.Is(err, rules.ErrInvalid) || !strings.Contains(err.Error(), "cannot be changed") {
					t.Errorf("Compile with %s changed: %v, want a compile error", id, err)
				}
			})
		}
	}
	// Unchanged built-in sets compile; a copy with a reworded citation too.
	sets := builtinWithout(t)
	sets[0].Rules[0].Citation += " (host wording)"
	mustCompile(t, sets, eligibility.Params{})
}

// The outcome names the purpose decided and why it is not the label.
func TestReclassification(t *testing.T) {
	p, err := eligibility.Default()
	if err != nil {
		t.Fatal(err)
	}
	c := newContact(t, "ann", "FR", consent.Consumer, withPurchases(purchase("buy", "kettles", ruleAt.AddDate(0, -1, 0))))
	with := func(m *consent.Message, f func(m *consent.Message)) *consent.Message { f(m); return m }
	tests := []struct {
		name string
		msg  *consent.Message
		want consent.Purpose
		why  eligibility.Reclassification
	}{
		{"plain transactional", message(consent.Transactional, consent.Email, "", ruleAt), consent.Transactional, eligibility.NotReclassified},
		{"promotional body", with(message(consent.Transactional, consent.Email, "", ruleAt),
			func(m *consent.Message) { m.Content = consent.PromotionalBody }), consent.MarketingGeneral, eligibility.PromotionalContent},
		{"promoted category similar to a purchase", message(consent.Transactional, consent.Email, "Kettles", ruleAt),
			consent.MarketingSimilar, eligibility.PromotedCategory},
		{"promoted category, no such purchase", message(consent.Transactional, consent.Email, "books", ruleAt),
			consent.MarketingGeneral, eligibility.PromotedCategory},
		{"rating request", with(message(consent.Transactional, consent.Email, "", ruleAt),
			func(m *consent.Message) { m.Content = consent.RatingRequest }), consent.FeedbackRequest, eligibility.RatingRequestContent},
		{"appeal by a company", message(consent.CharitableAppeal, consent.Email, "", ruleAt), consent.MarketingGeneral, eligibility.AppealByNonCharity},
		{"appeal by a charity", with(message(consent.CharitableAppeal, consent.Email, "", ruleAt),
			func(m *consent.Message) { m.Sender.Kind = consent.Charity }), consent.CharitableAppeal, eligibility.NotReclassified},
		{"marketing with markers stays as labelled", with(message(consent.MarketingSimilar, consent.Email, "kettles", ruleAt),
			func(m *consent.Message) { m.Content = consent.RatingRequest }), consent.MarketingSimilar, eligibility.NotReclassified},
		// A charity's appeal that promotes goods or services is commercial.
		{"appeal by a charity promoting a category", with(message(consent.CharitableAppeal, consent.Email, "Kettles", ruleAt),
			func(m *consent.Message) { m.Sender.Kind = consent.Charity }), consent.MarketingSimilar, eligibility.PromotedCategory},
		{"appeal by a charity with a promotional body", with(message(consent.CharitableAppeal, consent.Email, "", ruleAt),
			func(m *consent.Message) { m.Sender.Kind, m.Content = consent.Charity, consent.PromotionalBody }),
			consent.MarketingGeneral, eligibility.PromotionalContent},
		{"appeal by a charity with a rating request", with(message(consent.CharitableAppeal, consent.Email, "", ruleAt),
			func(m *consent.Message) { m.Sender.Kind, m.Content = consent.Charity, consent.RatingRequest }),
			consent.CharitableAppeal, eligibility.NotReclassified},
		// Consent and feedback requests carrying a promotion are marketing.
		{"consent request with a promotional subject", with(message(consent.ConsentRequest, consent.Email, "", ruleAt),
			func(m *consent.Message) { m.Content = consent.PromotionalSubject }), consent.MarketingGeneral, eligibility.PromotionalContent},
		{"feedback request with a promotional body, similar category", with(message(consent.FeedbackRequest, consent.Email, "kettles", ruleAt),
			func(m *consent.Message) { m.Content = consent.PromotionalBody | consent.RatingRequest }),
			consent.MarketingSimilar, eligibility.PromotionalContent},
		{"consent request naming a category, no marker", message(consent.ConsentRequest, consent.Email, "kettles", ruleAt),
			consent.ConsentRequest, eligibility.NotReclassified},
		{"feedback request naming a category, no marker", message(consent.FeedbackRequest, consent.Email, "kettles", ruleAt),
			consent.FeedbackRequest, eligibility.NotReclassified},
	}
	for _, tt := range tests {
		got, err := decide(p, c, tt.msg)
		if err != nil {
			t.Fatal(err)
		}
		if got.Purpose != tt.want || got.Reclassified != tt.why {
			t.Errorf("%s: decided as %v (%v), want %v (%v)", tt.name, got.Purpose, got.Reclassified, tt.want, tt.why)
		}
		if tt.why != eligibility.NotReclassified && isAllow(got) && got.Basis == rules.Transactional {
			t.Errorf("%s: a reclassified message was exempt", tt.name)
		}
	}
}

// The trace of a reclassified message shows exempt rules as not applicable,
// and an engine stop rule as the deciding step.
func TestTraceReclassifiedAndEngineStop(t *testing.T) {
	p, err := eligibility.Default()
	if err != nil {
		t.Fatal(err)
	}
	c := newContact(t, "ann", "FR", consent.Consumer)
	m := message(consent.Transactional, consent.Email, "", ruleAt)
	m.Content = consent.PromotionalBody
	_, steps, err := trace(p, c, m)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range steps {
		if s.Rule == "EU_TRANSACTIONAL" {
			found = true
			if s.Result != eligibility.NotApplicable || s.Decided {
				t.Errorf("EU_TRANSACTIONAL step = %+v, want not_applicable", s)
			}
		}
	}
	if !found {
		t.Error("no EU_TRANSACTIONAL step")
	}
	host := mustParse(t, "host.yaml", strings.Replace(hostSet, "%s", "AT", 1))
	hp := mustCompile(t, append(builtinWithout(t), host), eligibility.Params{})
	d := newContact(t, "bob", "AT", consent.Consumer, withRecords(t, consent.Record{ID: "obj", Purpose: consent.AllMarketing,
		Channel: consent.AllChannels, Sender: sender, Status: consent.Objection, At: ruleAt.AddDate(0, 0, -1)}))
	out, steps, err := trace(hp, d, message(consent.MarketingGeneral, consent.Email, "", ruleAt))
	if err != nil {
		t.Fatal(err)
	}
	last := steps[len(steps)-1]
	if out.Rule != eligibility.RuleStopObjection || last.Rule != eligibility.RuleStopObjection || !last.Decided || last.Result != eligibility.Matched {
		t.Errorf("outcome %s, last step %+v; want %s decided and matched", out.Rule, last, eligibility.RuleStopObjection)
	}
}

// A promoted category similar to an inquiry makes a reclassified message
// similar-products marketing only where the set's soft opt-in counts
// inquiries (GB: negotiations for a sale, PECR reg. 22(3)); FR and BE count
// purchases only.
func TestReclassificationInquiry(t *testing.T) {
	p, err := eligibility.Default()
	if err != nil {
		t.Fatal(err)
	}
	inquiry := consent.Interaction{ID: "q", At: ruleAt.AddDate(0, -1, 0), Seller: sender, Category: "kitchens",
		Collected: contactAddresses, OptOutOffered: true}
	for _, tt := range []struct {
		country string
		want    consent.Purpose
	}{{"GB", consent.MarketingSimilar}, {"FR", consent.MarketingGeneral}, {"BE", consent.MarketingGeneral}} {
		c := newContact(t, "ann", tt.country, consent.Consumer, func(c *consent.Contact) {
			c.Relationship.Inquiries = append(c.Relationship.Inquiries, inquiry)
		})
		got, err := decide(p, c, message(consent.Transactional, consent.Email, "Kitchens", ruleAt))
		if err != nil {
			t.Fatal(err)
		}
		if got.Purpose != tt.want || got.Reclassified != eligibility.PromotedCategory {
			t.Errorf("%s: decided as %v (%v), want %v (promoted_category)", tt.country, got.Purpose, got.Reclassified, tt.want)
		}
		if allowed := tt.country == "GB"; isAllow(got) != allowed {
			t.Errorf("%s: allowed %v (%s), want %v", tt.country, isAllow(got), got.Rule, allowed)
		}
	}
}

// The stops of every purpose a message's content carries apply, in every
// set: a rating request travelling with a promotion, or labelled general
// marketing, is stopped by a withdrawal scoped to feedback requests, even
// in a host set with no stop rule and an exempt rule for everything.
func TestContentCarriedStops(t *testing.T) {
	p, err := eligibility.Default()
	if err != nil {
		t.Fatal(err)
	}
	host := mustParse(t, "host.yaml", strings.Replace(hostSet, "%s", "AT", 1))
	hp := mustCompile(t, append(builtinWithout(t, "AT"), host), eligibility.Params{})
	earlier := ruleAt.AddDate(0, 0, -1)
	general := grant("g", "ann", consent.MarketingGeneral, consent.Email, ruleAt.AddDate(0, -2, 0))
	stop := func(st consent.Status) consent.Record {
		return consent.Record{ID: "stop", Purpose: consent.FeedbackRequest, Channel: consent.Email, Sender: sender, Status: st, At: earlier}
	}
	msg := func(p consent.Purpose, content consent.Content, category string) *consent.Message {
		m := message(p, consent.Email, category, ruleAt)
		m.Content = content
		return m
	}
	tests := []struct {
		name     string
		policy   *eligibility.Policy
		country  string
		stop     consent.Status
		msg      *consent.Message
		wantRule string // "" for an allow
	}{
		{"FR rating request with a promotion", p, "FR", consent.Withdrawn,
			msg(consent.Transactional, consent.RatingRequest|consent.PromotionalBody, ""), eligibility.RuleStopWithdrawn},
		{"BE general marketing with a rating request", p, "BE", consent.Withdrawn,
			msg(consent.MarketingGeneral, consent.RatingRequest, ""), eligibility.RuleStopWithdrawn},
		{"GB rating request with a category", p, "GB", consent.Withdrawn,
			msg(consent.Transactional, consent.RatingRequest, "tea"), eligibility.RuleStopWithdrawn},
		{"host set: consent request with a rating request", hp, "AT", consent.Withdrawn,
			msg(consent.ConsentRequest, consent.RatingRequest, ""), eligibility.RuleStopWithdrawn},
		{"FR plain rating request (the set's own rule)", p, "FR", consent.Withdrawn,
			msg(consent.Transactional, consent.RatingRequest, ""), "EU_WITHDRAWN"},
		{"FR general marketing without a rating request", p, "FR", consent.Withdrawn,
			msg(consent.MarketingGeneral, consent.PromotionalBody, ""), ""},
		{"host set: general marketing with a rating request", hp, "AT", consent.Withdrawn,
			msg(consent.MarketingGeneral, consent.RatingRequest, ""), eligibility.RuleStopWithdrawn},
		{"host set: transactional with a rating request", hp, "AT", consent.Withdrawn,
			msg(consent.Transactional, consent.RatingRequest, ""), eligibility.RuleStopWithdrawn},
		{"host set: transactional with a rating request, objection", hp, "AT", consent.Objection,
			msg(consent.Transactional, consent.RatingRequest, ""), eligibility.RuleStopObjection},
		{"host set: transactional without a rating request", hp, "AT", consent.Withdrawn,
			msg(consent.Transactional, 0, ""), "HOST_EXEMPT_ALL"},
	}
	for _, tt := range tests {
		c := newContact(t, "ann", tt.country, consent.Consumer, withRecords(t, general, stop(tt.stop)))
		got, err := decide(tt.policy, c, tt.msg)
		if err != nil {
			t.Fatal(err)
		}
		wantAllowed := tt.wantRule == "" || tt.wantRule == "HOST_EXEMPT_ALL"
		if isAllow(got) != wantAllowed || (tt.wantRule != "" && got.Rule != tt.wantRule) {
			t.Errorf("%s: allowed %v by %s (%s), want allowed %v by %q", tt.name, isAllow(got), got.Rule, got.Reason, wantAllowed, tt.wantRule)
		}
		if got.Rule == eligibility.RuleStopWithdrawn && got.Evidence != (eligibility.Evidence{Kind: eligibility.RecordEvidence, ID: "stop"}) {
			t.Errorf("%s: evidence %+v, want the withdrawal", tt.name, got.Evidence)
		}
	}
}

// A host allow rule for consent requests does not cover a consent request
// that promotes: it is decided as marketing.
func TestHostConsentRequestRuleSkipsPromotion(t *testing.T) {
	host := mustParse(t, "host.yaml", `jurisdiction: AT
title: Host rules (fictional)
channels: [email]
rules:
  - id: HOST_ALLOW_CONSENT_REQUEST
    channels: [all]
    effect: allow
    basis: consent
    reason: HOST_CONSENT_REQUEST
    citation: Host policy 3
    condition: "request.purpose == 'consent_request'"
`)
	hp := mustCompile(t, append(builtinWithout(t, "AT"), host), eligibility.Params{})
	c := newContact(t, "ann", "AT", consent.Consumer)
	for _, tt := range []struct {
		content consent.Content
		allowed bool
	}{{0, true}, {consent.PromotionalBody, false}, {consent.PromotionalSubject, false}} {
		m := message(consent.ConsentRequest, consent.Email, "", ruleAt)
		m.Content = tt.content
		got, err := decide(hp, c, m)
		if err != nil {
			t.Fatal(err)
		}
		if isAllow(got) != tt.allowed {
			t.Errorf("consent request with %v: allowed %v (%s, decided as %v), want %v", tt.content, isAllow(got), got.Rule, got.Purpose, tt.allowed)
		}
	}
}

// TestEngineStopsInLawGuide: the legal guide of the built-in rules has a
// section for each of the engine's stop rules (rules' law test checks the
// sections' sources, from its own list of these ids).
func TestEngineStopsInLawGuide(t *testing.T) {
	law, err := os.ReadFile("../rules/builtin/LAW.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{eligibility.RuleStopObjection, eligibility.RuleStopWithdrawn} {
		if !strings.Contains(string(law), "\n### "+id+"\n") {
			t.Errorf("rules/builtin/LAW.md has no section %q", "### "+id)
		}
	}
}
