package rules_test

import (
	"errors"
	"strings"
	"testing"
	"time"

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
    effect: exempt
    basis: transactional
    reason: HOST_EXEMPT
    citation: Host policy 1
    condition: "true"
  - id: HOST_ALLOW_ALL
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
	day := func(d int) time.Time { return at.AddDate(0, 0, -d) }
	objection := func(p consent.Purpose) consent.Record {
		return consent.Record{ID: "obj", Purpose: p, Channel: consent.Email, Sender: sender, Status: consent.Objection, At: day(1)}
	}
	withdrawal := consent.Record{ID: "wd", Purpose: consent.MarketingGeneral, Channel: consent.AllChannels, Sender: sender,
		Status: consent.Withdrawn, At: day(1)}
	policies := map[string]*rules.Policy{}
	for _, code := range []string{"FR", "DE", "GB"} {
		host := mustParse(t, "host.yaml", strings.Replace(hostSet, "%s", code, 1))
		policies[code+" host set replacing the built-in one"] = mustCompile(t, append(builtinWithout(t, code), host), rules.Params{})
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
			message(consent.MarketingGeneral, consent.Email, "", at), "EU_OBJECTION", "OBJECTION_ON_FILE"},
		{"withdrawal", "FR", []consent.Record{grant("g", "ann", consent.MarketingGeneral, consent.Email, day(9)), withdrawal},
			message(consent.MarketingGeneral, consent.Email, "", at), "EU_WITHDRAWN", "CONSENT_WITHDRAWN"},
		{"energy-renovation ban", "FR", nil,
			message(consent.MarketingGeneral, consent.Email, "Energy-Renovation", at), "FR_ENERGY_RENOVATION_BAN", "ENERGY_RENOVATION_CANVASSING_BAN"},
		{"transactional message promoting a banned category", "FR", nil,
			message(consent.Transactional, consent.Email, "energy_renovation", at), "FR_ENERGY_RENOVATION_BAN", "ENERGY_RENOVATION_CANVASSING_BAN"},
		{"objection, no built-in set (engine stop)", "DE", []consent.Record{objection(consent.MarketingThirdParty)},
			message(consent.MarketingSimilar, consent.Email, "", at), rules.RuleStopObjection, "OBJECTION_ON_FILE"},
		{"withdrawal, no built-in set (engine stop)", "DE", []consent.Record{withdrawal},
			message(consent.ConsentRequest, consent.Email, "", at), rules.RuleStopWithdrawn, "CONSENT_WITHDRAWN"},
		{"exempt only for transactional, no built-in set", "DE", nil,
			message(consent.MarketingGeneral, consent.Email, "", at), "HOST_ALLOW_ALL", "HOST_ALLOW"},
		{"objection, UK", "GB", []consent.Record{objection(consent.ConsentRequest)},
			message(consent.MarketingGeneral, consent.Email, "", at), "UK_OBJECTION", "OBJECTION_ON_FILE"},
	}
	for pname, p := range policies {
		for _, tt := range tests {
			if !strings.HasPrefix(pname, tt.country) {
				continue
			}
			t.Run(pname+"/"+tt.name, func(t *testing.T) {
				c := newContact(t, "ann", tt.country, consent.Consumer, withRecords(t, tt.recs...))
				got, err := p.Evaluate(c, tt.msg)
				if err != nil {
					t.Fatal(err)
				}
				allowed := tt.wantRule == "HOST_ALLOW_ALL"
				if isAllow(got) != allowed || got.Rule != tt.wantRule || got.Reason != tt.wantReason || got.Citation == "" {
					t.Errorf("Evaluate = allowed %v, %s %s (%q); want allowed %v, %s %s with a citation",
						isAllow(got), got.Rule, got.Reason, got.Citation, allowed, tt.wantRule, tt.wantReason)
				}
			})
		}
	}
	// The host's exempt rule still exempts a transactional message.
	c := newContact(t, "ann", "DE", consent.Consumer, withRecords(t, withdrawal))
	got, err := policies["DE host set replacing the built-in one"].Evaluate(c, message(consent.Transactional, consent.Email, "", at))
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
				_, err := rules.Compile(sets, rules.Params{})
				if !errors.Is(err, rules.ErrInvalid) || !strings.Contains(err.Error(), "cannot be changed") {
					t.Errorf("Compile with %s changed: %v, want a compile error", id, err)
				}
			})
		}
	}
	// Unchanged built-in sets compile; a copy with a reworded citation too.
	sets := builtinWithout(t)
	sets[0].Rules[0].Citation += " (host wording)"
	mustCompile(t, sets, rules.Params{})
}

// The outcome names the purpose decided and why it is not the label.
func TestReclassification(t *testing.T) {
	p, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	c := newContact(t, "ann", "FR", consent.Consumer, withPurchases(purchase("buy", "kettles", at.AddDate(0, -1, 0))))
	with := func(m *consent.Message, f func(m *consent.Message)) *consent.Message { f(m); return m }
	tests := []struct {
		name string
		msg  *consent.Message
		want consent.Purpose
		why  rules.Reclassification
	}{
		{"plain transactional", message(consent.Transactional, consent.Email, "", at), consent.Transactional, rules.NotReclassified},
		{"promotional body", with(message(consent.Transactional, consent.Email, "", at),
			func(m *consent.Message) { m.Content = consent.PromotionalBody }), consent.MarketingGeneral, rules.PromotionalContent},
		{"promoted category similar to a purchase", message(consent.Transactional, consent.Email, "Kettles", at),
			consent.MarketingSimilar, rules.PromotedCategory},
		{"promoted category, no such purchase", message(consent.Transactional, consent.Email, "books", at),
			consent.MarketingGeneral, rules.PromotedCategory},
		{"rating request", with(message(consent.Transactional, consent.Email, "", at),
			func(m *consent.Message) { m.Content = consent.RatingRequest }), consent.FeedbackRequest, rules.RatingRequestContent},
		{"appeal by a company", message(consent.CharitableAppeal, consent.Email, "", at), consent.MarketingGeneral, rules.AppealByNonCharity},
		{"appeal by a charity", with(message(consent.CharitableAppeal, consent.Email, "", at),
			func(m *consent.Message) { m.Sender.Kind = consent.Charity }), consent.CharitableAppeal, rules.NotReclassified},
		{"marketing with markers stays as labelled", with(message(consent.MarketingSimilar, consent.Email, "kettles", at),
			func(m *consent.Message) { m.Content = consent.RatingRequest }), consent.MarketingSimilar, rules.NotReclassified},
	}
	for _, tt := range tests {
		got, err := p.Evaluate(c, tt.msg)
		if err != nil {
			t.Fatal(err)
		}
		if got.Purpose != tt.want || got.Reclassified != tt.why {
			t.Errorf("%s: decided as %v (%v), want %v (%v)", tt.name, got.Purpose, got.Reclassified, tt.want, tt.why)
		}
		if tt.why != rules.NotReclassified && isAllow(got) && got.Basis == rules.Transactional {
			t.Errorf("%s: a reclassified message was exempt", tt.name)
		}
	}
}

// The trace of a reclassified message shows exempt rules as not applicable,
// and an engine stop rule as the deciding step.
func TestTraceReclassifiedAndEngineStop(t *testing.T) {
	p, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	c := newContact(t, "ann", "FR", consent.Consumer)
	m := message(consent.Transactional, consent.Email, "", at)
	m.Content = consent.PromotionalBody
	_, steps, err := p.Trace(c, m)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range steps {
		if s.Rule == "EU_TRANSACTIONAL" {
			found = true
			if s.Result != rules.NotApplicable || s.Decided {
				t.Errorf("EU_TRANSACTIONAL step = %+v, want not_applicable", s)
			}
		}
	}
	if !found {
		t.Error("no EU_TRANSACTIONAL step")
	}
	host := mustParse(t, "host.yaml", strings.Replace(hostSet, "%s", "DE", 1))
	hp := mustCompile(t, append(builtinWithout(t), host), rules.Params{})
	d := newContact(t, "bob", "DE", consent.Consumer, withRecords(t, consent.Record{ID: "obj", Purpose: consent.AllMarketing,
		Channel: consent.AllChannels, Sender: sender, Status: consent.Objection, At: at.AddDate(0, 0, -1)}))
	out, steps, err := hp.Trace(d, message(consent.MarketingGeneral, consent.Email, "", at))
	if err != nil {
		t.Fatal(err)
	}
	last := steps[len(steps)-1]
	if out.Rule != rules.RuleStopObjection || last.Rule != rules.RuleStopObjection || !last.Decided || last.Result != rules.Matched {
		t.Errorf("outcome %s, last step %+v; want %s decided and matched", out.Rule, last, rules.RuleStopObjection)
	}
}
