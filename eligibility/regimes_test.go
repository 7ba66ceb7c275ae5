package eligibility_test

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/consent/calls"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

// regimePolicy compiles the purpose-written sets under testdata/regimes:
// a test "PR" with two subdivisions (PR-FL: SMS only, a narrower window,
// area codes 305 and 786; PR-OK: a category ban, area code 405), a test
// "JM" reaching its senders' messages (consent, a weekday window, a
// registry of its numbers, a ban from 2026-03-11), and a test EU
// baseline reaching the senders of AT (which has a set of its own) and
// PT (which has none).
func regimePolicy(t testing.TB, params eligibility.Params) *eligibility.Policy {
	t.Helper()
	return mustCompile(t, readSets(t, "regimes/pr.yaml", "regimes/pr-fl.yaml", "regimes/pr-ok.yaml", "regimes/jm.yaml",
		"regimes/eu.yaml", "regimes/at.yaml"), params)
}

// regimeAt is a Tuesday, 10:00 UTC; the test contacts live in UTC.
var regimeAt = time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)

// regimeContact is a consumer of country (and region, "" for none) with
// the given number, who consented to marketing e-mail and SMS from the
// test sender, and to its live calls.
func regimeContact(t testing.TB, country, region, phone string) *consent.Contact {
	t.Helper()
	num := address.MustParsePhone(phone, address.Country{})
	mail := address.MustParseEmail("r-" + strings.ToLower(country) + "@example.com")
	l, err := consent.NewLedger(
		consent.Record{ID: "g-sms", Subject: num, Purpose: consent.MarketingGeneral, Channel: consent.SMS, Sender: sender,
			Status: consent.Granted, At: regimeAt.AddDate(0, -1, 0), Method: consent.UntickedCheckbox},
		consent.Record{ID: "g-call", Subject: num, Purpose: consent.MarketingGeneral, Channel: consent.VoiceLive, Sender: sender,
			Status: consent.Granted, At: regimeAt.AddDate(0, -1, 0), Method: consent.UntickedCheckbox},
		consent.Record{ID: "g-mail", Subject: mail, Purpose: consent.MarketingGeneral, Channel: consent.Email, Sender: sender,
			Status: consent.Granted, At: regimeAt.AddDate(0, -1, 0), Method: consent.UntickedCheckbox})
	if err != nil {
		t.Fatal(err)
	}
	c := &consent.Contact{ID: "r-1", Kind: consent.Consumer, Country: address.MustCountry(country), Region: region,
		Location: time.UTC, Email: mail, Phone: num, Records: *l}
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	return c
}

// regimeCase is one message to decide and the decision expected.
type regimeCase struct {
	name                   string
	country, region, phone string
	from                   string // the sender's country; "" none
	ch                     consent.Channel
	category               string
	at                     time.Time
	noConsent              bool // drop the contact's consent records
	verdict                eligibility.Verdict
	reason, rule, decider  string
	notBefore              time.Time
	regimes                []string // "CODE reach verdict"
}

func (tc regimeCase) request(t testing.TB) eligibility.Request {
	c := regimeContact(t, tc.country, tc.region, tc.phone)
	if tc.noConsent {
		c.Records = consent.Ledger{}
	}
	at := tc.at
	if at.IsZero() {
		at = regimeAt
	}
	m := message(consent.MarketingGeneral, tc.ch, tc.category, at)
	if tc.from != "" {
		m.Sender.Country = address.MustCountry(tc.from)
	}
	return eligibility.Request{Contact: c, Message: *m}
}

func regimeStrings(rs eligibility.Regimes) []string {
	var out []string
	for _, r := range rs.List() {
		out = append(out, r.String())
	}
	return out
}

// TestRegimeSelection: which regimes a message gets, and the strictest
// answer: the declared region's set and the one the area code presumes
// replace their country's, a subdivision without rules for the channel
// leaves it to the country, a sender's country's reach adds its set, and
// the strictest answer wins, naming the regime that decided.
func TestRegimeSelection(t *testing.T) {
	p := regimePolicy(t, eligibility.Params{})
	evening := time.Date(2026, 3, 10, 20, 30, 0, 0, time.UTC)
	early := time.Date(2026, 3, 10, 8, 30, 0, 0, time.UTC)
	for _, tc := range []regimeCase{
		{name: "country alone", country: "PR", phone: "+1 212 555 0101", ch: consent.SMS,
			verdict: eligibility.Allow, reason: "CONSENT", decider: "PR", regimes: []string{"PR recipient allow"}},
		{name: "declared region", country: "PR", region: "PR-FL", phone: "+1 212 555 0101", ch: consent.SMS, at: evening,
			verdict: eligibility.Defer, rule: "PR_FL_T_SMS_WINDOW", decider: "PR-FL", notBefore: time.Date(2026, 3, 11, 8, 0, 0, 0, time.UTC),
			regimes: []string{"PR-FL region defer"}},
		{name: "area code, no region", country: "PR", phone: "+1 305 555 0101", ch: consent.SMS, at: evening,
			verdict: eligibility.Defer, rule: "PR_FL_T_SMS_WINDOW", decider: "PR-FL", regimes: []string{"PR-FL area_code defer"},
			notBefore: time.Date(2026, 3, 11, 8, 0, 0, 0, time.UTC)},
		{name: "area code beside a region without a set", country: "PR", region: "PR-NY", phone: "+1 786 555 0101", ch: consent.SMS,
			at: evening, verdict: eligibility.Defer, rule: "PR_FL_T_SMS_WINDOW", decider: "PR-FL", regimes: []string{"PR-FL area_code defer"},
			notBefore: time.Date(2026, 3, 11, 8, 0, 0, 0, time.UTC)},
		{name: "declared region and another's area code: both", country: "PR", region: "PR-OK", phone: "+1 305 555 0101",
			ch: consent.SMS, category: "energy_renovation", verdict: eligibility.Deny, rule: "PR_OK_T_BAN", decider: "PR-OK",
			regimes: []string{"PR-OK region deny", "PR-FL area_code allow"}},
		{name: "declared region and another's area code: the later wait", country: "PR", region: "PR-OK", phone: "+1 305 555 0101",
			ch: consent.SMS, at: evening, verdict: eligibility.Defer, rule: "PR_FL_T_SMS_WINDOW", decider: "PR-FL",
			notBefore: time.Date(2026, 3, 11, 8, 0, 0, 0, time.UTC), regimes: []string{"PR-OK region allow", "PR-FL area_code defer"}},
		{name: "the area code of another country's contact presumes nothing", country: "JM", phone: "+1 305 555 0101",
			ch: consent.Email, verdict: eligibility.Allow, reason: "CONSENT", decider: "JM", regimes: []string{"JM recipient allow"}},
		{name: "a subdivision without the channel leaves it to its country", country: "PR", region: "PR-FL", phone: "+1 305 555 0101",
			ch: consent.Email, noConsent: true, verdict: eligibility.Allow, reason: "OPT_OUT_REGIME", decider: "PR",
			regimes: []string{"PR recipient allow"}},
		{name: "sender reach: the stricter sender's law denies", country: "PR", phone: "+1 212 555 0101", from: "JM",
			ch: consent.Email, noConsent: true, verdict: eligibility.Deny, reason: "NO_LEGAL_BASIS", decider: "JM",
			regimes: []string{"PR recipient allow", "JM sender deny"}},
		{name: "sender reach: both allow, the recipient's decides", country: "PR", phone: "+1 212 555 0101", from: "JM",
			ch: consent.Email, verdict: eligibility.Allow, reason: "OPT_OUT_REGIME", decider: "PR",
			regimes: []string{"PR recipient allow", "JM sender allow"}},
		{name: "sender reach: the sender's registry is not consulted for a foreign number", country: "PR", phone: "+1 212 555 0101",
			from: "JM", ch: consent.SMS, verdict: eligibility.Allow, reason: "CONSENT", decider: "PR",
			regimes: []string{"PR recipient allow", "JM sender allow"}},
		{name: "a number of another country's plan cannot be on the recipient's registry", country: "JM", phone: "+1 416 555 0101",
			ch: consent.SMS, verdict: eligibility.Allow, reason: "CONSENT", decider: "JM", regimes: []string{"JM recipient allow"}},
		{name: "the number's country: a Jamaican number brings its set, registry included", country: "PR", phone: "+1 876 555 0101",
			ch: consent.SMS, verdict: eligibility.Deny, rule: "JM_T_REGISTRY", decider: "JM", regimes: []string{"PR recipient allow", "JM number deny"}},
		{name: "the number's country: not for e-mail", country: "PR", phone: "+1 876 555 0101",
			ch: consent.Email, verdict: eligibility.Allow, reason: "OPT_OUT_REGIME", decider: "PR", regimes: []string{"PR recipient allow"}},
		{name: "the registry of the recipient's own country is consulted", country: "JM", phone: "+1 876 555 0101",
			ch: consent.SMS, verdict: eligibility.Deny, rule: "JM_T_REGISTRY", decider: "JM", regimes: []string{"JM recipient deny"}},
		{name: "sender reach: the sender's window defers", country: "PR", phone: "+1 212 555 0101", from: "JM", ch: consent.SMS,
			at: early, verdict: eligibility.Defer, rule: "JM_T_SMS_WINDOW", decider: "JM", notBefore: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC),
			regimes: []string{"PR recipient allow", "JM sender defer"}},
		{name: "two waits: the later, checked again with the other", country: "PR", phone: "+1 305 555 0101", from: "JM",
			ch: consent.SMS, at: evening, verdict: eligibility.Defer, rule: "JM_T_SMS_WINDOW", decider: "JM",
			notBefore: time.Date(2026, 3, 11, 9, 0, 0, 0, time.UTC), regimes: []string{"PR-FL area_code defer", "JM sender allow"}},
		{name: "a wait crossing into another regime's deny", country: "PR", phone: "+1 305 555 0101", from: "JM",
			ch: consent.SMS, category: "energy_renovation", at: evening, verdict: eligibility.Deny, rule: "JM_T_BAN", decider: "JM",
			regimes: []string{"PR-FL area_code defer", "JM sender allow"}},
		{name: "GDPR art. 3(1): a member state's own set", country: "PR", phone: "+1 212 555 0101", from: "AT", ch: consent.Email,
			verdict: eligibility.Allow, reason: "OPT_OUT_REGIME", decider: "PR", regimes: []string{"PR recipient allow", "AT sender allow"}},
		{name: "GDPR art. 3(1): the baseline for a member state without one", country: "PR", phone: "+1 212 555 0101", from: "PT",
			ch: consent.Email, noConsent: true, verdict: eligibility.Deny, reason: "NO_LEGAL_BASIS", decider: "EU",
			regimes: []string{"PR recipient allow", "EU sender deny"}},
		{name: "a sender of the recipient's country: one regime", country: "JM", phone: "+1 416 555 0101", from: "JM",
			ch: consent.Email, verdict: eligibility.Allow, reason: "CONSENT", decider: "JM", regimes: []string{"JM recipient allow"}},
		{name: "a reach limited to other channels adds nothing", country: "PR", phone: "+1 212 555 0101", from: "JM",
			ch: consent.VoiceLive, verdict: eligibility.Allow, reason: "CONSENT", decider: "PR", regimes: []string{"PR recipient allow"}},
		{name: "a sender without reach adds nothing", country: "JM", phone: "+1 416 555 0101", from: "PR",
			ch: consent.Email, verdict: eligibility.Allow, reason: "CONSENT", decider: "JM", regimes: []string{"JM recipient allow"}},
		{name: "no rules for the country", country: "BR", phone: "+55 11 5555 0101", from: "AT", ch: consent.Email,
			verdict: eligibility.Deny, reason: eligibility.ReasonNoRules, decider: "BR"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := tc.request(t)
			d, err := p.Decide(req)
			if err != nil {
				t.Fatal(err)
			}
			checkRegimeDecision(t, d, tc)
			a, err := p.Explain(req, nil)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(d, a.Decision); diff != "" {
				t.Errorf("Explain's decision differs (-decide +explain):\n%s", diff)
			}
			checkRegimeTrace(t, a, d)
		})
	}
}

func checkRegimeDecision(t *testing.T, d eligibility.Decision, tc regimeCase) {
	t.Helper()
	if d.Verdict != tc.verdict || (tc.reason != "" && d.Reason != tc.reason) || (tc.rule != "" && d.Rule != tc.rule) ||
		d.Jurisdiction != tc.decider || !d.NotBefore.Equal(tc.notBefore) {
		t.Errorf("decision %v (jurisdiction %s, not before %v), want %v %s %s by %s not before %v", d, d.Jurisdiction, d.NotBefore,
			tc.verdict, tc.reason, tc.rule, tc.decider, tc.notBefore)
	}
	if diff := cmp.Diff(tc.regimes, regimeStrings(d.Regimes)); diff != "" {
		t.Errorf("regimes (-want +got):\n%s", diff)
	}
}

// checkRegimeTrace: the trace lists each regime's walk in regime order,
// every step labelled with its regime, and marks one deciding step (in
// the deciding regime) when a rule decided.
func checkRegimeTrace(t *testing.T, a eligibility.Audit, d eligibility.Decision) {
	t.Helper()
	var order []string
	decided := 0
	for _, s := range a.Trace {
		if len(order) == 0 || order[len(order)-1] != s.Jurisdiction {
			order = append(order, s.Jurisdiction)
		}
		if s.Decided {
			decided++
			if s.Jurisdiction != d.Jurisdiction || s.Rule != d.Rule {
				t.Errorf("step %s of %s marked decided; the decision is %s's %s", s.Rule, s.Jurisdiction, d.Jurisdiction, d.Rule)
			}
		}
	}
	if diff := cmp.Diff(d.Regimes.Codes(), order); diff != "" {
		t.Errorf("trace's regimes (-decision +trace):\n%s", diff)
	}
	if want := 0; d.Rule != "" && d.DeniedFrom.IsZero() && d.Reason != eligibility.ReasonDeferHorizon {
		want = 1
		if decided != want {
			t.Errorf("%d steps decided, want %d", decided, want)
		}
	}
}

// TestRegimeCrossing: a wait for one regime that crosses into another's
// deny ends in that deny, at the instant, naming the rule waited for.
func TestRegimeCrossing(t *testing.T) {
	p := regimePolicy(t, eligibility.Params{})
	req := regimeCase{country: "PR", phone: "+1 305 555 0101", from: "JM", ch: consent.SMS, category: "energy_renovation",
		at: time.Date(2026, 3, 10, 20, 30, 0, 0, time.UTC)}.request(t)
	d, err := p.Decide(req)
	if err != nil {
		t.Fatal(err)
	}
	if d.Verdict != eligibility.Deny || d.Rule != "JM_T_BAN" || !d.DeniedFrom.Equal(time.Date(2026, 3, 11, 8, 0, 0, 0, time.UTC)) ||
		!strings.Contains(d.Detail, "PR_FL_T_SMS_WINDOW") {
		t.Errorf("decision %v, detail %q: want JM_T_BAN's deny from 2026-03-11T08:00Z, waiting for PR_FL_T_SMS_WINDOW", d, d.Detail)
	}
}

// TestRegimeObligations: the obligations of every allowing regime are
// merged, each with its own citation, the deciding regime's first.
func TestRegimeObligations(t *testing.T) {
	p := regimePolicy(t, eligibility.Params{})
	d, err := p.Decide(regimeCase{country: "PR", phone: "+1 212 555 0101", from: "JM", ch: consent.Email}.request(t))
	if err != nil {
		t.Fatal(err)
	}
	want := []obligationItem{{rules.SenderIdentity, "Test Federal Act s. 1"}, {rules.OptOut, "Test Messages Act s. 11"}}
	if diff := cmp.Diff(want, obligationList(d.Obligations)); diff != "" {
		t.Errorf("obligations (-want +got):\n%s", diff)
	}
	if !d.Obligations.Has(rules.OptOut) || d.Obligations.Len() != 2 || d.Obligations.Citation(rules.OptOut) != "Test Messages Act s. 11" {
		t.Errorf("obligations %v: Has, Len or Citation disagree with All", d.Obligations)
	}
	// JSON round trip: the regimes and the obligations come back.
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var back eligibility.Decision
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(d, back); diff != "" {
		t.Errorf("JSON round trip (-decided +read back):\n%s\n%s", diff, b)
	}
	if !strings.Contains(string(b), `"regimes":[{"jurisdiction":"PR","reach":"recipient","verdict":"allow"},{"jurisdiction":"JM","reach":"sender","verdict":"allow"}]`) {
		t.Errorf("JSON %s: want the regimes listed", b)
	}
}

// TestObligationsMerge: the same obligation imposed by two regimes is
// cited by both, once each.
func TestObligationsMerge(t *testing.T) {
	p := regimePolicy(t, eligibility.Params{})
	d, err := p.Decide(regimeCase{country: "JM", phone: "+1 416 555 0101", from: "PT", ch: consent.Email}.request(t))
	if err != nil {
		t.Fatal(err)
	}
	want := []obligationItem{{rules.OptOut, "Test Messages Act s. 11; Test Directive art. 13"}}
	if diff := cmp.Diff(want, obligationList(d.Obligations)); diff != "" {
		t.Errorf("obligations (-want +got):\n%s", diff)
	}
}

// TestRegimesJSON: the regimes' JSON form decodes strictly.
func TestRegimesJSON(t *testing.T) {
	var rs eligibility.Regimes
	good := `[{"jurisdiction":"PR-FL","reach":"area_code","verdict":"defer"},{"jurisdiction":"EU","reach":"sender","verdict":"allow"}]`
	if err := json.Unmarshal([]byte(good), &rs); err != nil || rs.Len() != 2 || rs[0].Reach != eligibility.ByAreaCode {
		t.Fatalf("Unmarshal(%s) = %v, %v", good, rs, err)
	}
	for _, bad := range []string{
		`[{"jurisdiction":"US","reach":"recipient"}]`,
		`[{"jurisdiction":"US","reach":"nearby","verdict":"allow"}]`,
		`[{"jurisdiction":"","reach":"recipient","verdict":"allow"}]`,
		`[{"jurisdiction":"usa","reach":"recipient","verdict":"allow"}]`,
		`[{"jurisdiction":"US","reach":"recipient","verdict":"allow","Verdict":"deny"}]`,
		`[{"jurisdiction":"US","reach":"recipient","verdict":"allow"},{"jurisdiction":"US","reach":"sender","verdict":"allow"}]`,
		`[{"jurisdiction":"US","reach":"recipient","verdict":"allow","extra":1}]`,
		`[{},{},{},{},{}]`,
		`{"jurisdiction":"US"}`,
	} {
		var rs eligibility.Regimes
		err := json.Unmarshal([]byte(bad), &rs)
		var fe *consent.FieldError
		if err == nil || (!errors.As(err, &fe) && !strings.Contains(err.Error(), "cannot unmarshal")) {
			t.Errorf("Unmarshal(%s) = %v, want a typed error", bad, err)
		}
	}
	if b, _ := json.Marshal(eligibility.Regimes{}); string(b) != "[]" {
		t.Errorf("empty regimes marshal as %s", b)
	}
}

// TestFallback: a country without rules is a deny naming it, unless the
// host names a fallback set, which the decision then lists; a fallback
// that names no set does not compile.
func TestFallback(t *testing.T) {
	req := regimeCase{country: "BR", phone: "+55 11 5555 0101", ch: consent.Email}.request(t)
	d, err := regimePolicy(t, eligibility.Params{}).Decide(req)
	if err != nil || d.Verdict != eligibility.Deny || d.Reason != eligibility.ReasonNoRules || d.Detail != "no rules for BR" ||
		d.Regimes.Len() != 0 {
		t.Errorf("without a fallback: %v (%q), %v: want NO_RULES naming BR", d, d.Detail, err)
	}
	fb := regimePolicy(t, eligibility.Params{Fallback: "EU"})
	d, err = fb.Decide(req)
	if err != nil || d.Verdict != eligibility.Allow || d.Jurisdiction != "EU" ||
		!cmp.Equal(regimeStrings(d.Regimes), []string{"EU fallback allow"}) {
		t.Errorf("with the EU fallback: %v by %s %v, %v", d, d.Jurisdiction, d.Regimes.List(), err)
	}
	// The fallback is the recipient's regime; a sender's reach still adds.
	req.Sender.Country = address.MustCountry("JM")
	req.Contact.Records = consent.Ledger{}
	d, _ = fb.Decide(req)
	if d.Verdict != eligibility.Deny || !cmp.Equal(regimeStrings(d.Regimes), []string{"EU fallback deny", "JM sender deny"}) {
		t.Errorf("fallback and sender: %v %v", d, d.Regimes.List())
	}
	if fb.Version() == regimePolicy(t, eligibility.Params{}).Version() {
		t.Error("the fallback does not change the policy version")
	}
	_, err = eligibility.Compile(readSets(t, "regimes/pr.yaml", "regimes/eu.yaml"), eligibility.Params{Fallback: "PR-FL"})
	list := errorList(t, err)
	if len(list) != 1 || !strings.Contains(list[0].Msg, `fallback "PR-FL": no rule set of the policy has this jurisdiction`) {
		t.Errorf("errors %v, want one naming the fallback", list)
	}
}

// TestSenderReachLimit: a sender country that would bring more sets than
// a decision holds does not compile.
func TestSenderReachLimit(t *testing.T) {
	sets := readSets(t, "regimes/pr.yaml", "regimes/jm.yaml", "regimes/eu.yaml")
	for _, s := range sets {
		s.Reach = rules.Reach{Senders: []address.Country{address.MustCountry("JM")}, Citation: "Test"}
	}
	_, err := eligibility.Compile(sets, eligibility.Params{})
	list := errorList(t, err)
	if len(list) != 1 || !strings.Contains(list[0].Msg, "senders of JM would bring more than 2 sets") {
		t.Errorf("errors %v", list)
	}
}

// TestRegimesDeferAgain: whatever the instant, a decision several regimes
// defer allows when decided again at its NotBefore, and a decision of
// several regimes is never laxer than each regime alone.
func TestRegimesDeferAgain(t *testing.T) {
	p := regimePolicy(t, eligibility.Params{})
	r := rand.New(rand.NewPCG(7, 13))
	start := time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)
	defers := 0
	for i := range 400 {
		tc := regimeCase{country: "PR", phone: []string{"+1 305 555 0101", "+1 212 555 0101", "+1 405 555 0101"}[i%3],
			from: []string{"JM", "PT", ""}[i%2*r.IntN(2)], ch: consent.SMS,
			at: start.Add(time.Duration(r.IntN(7*24*60)) * time.Minute)}
		if i%5 == 0 {
			tc.region = "PR-OK"
		}
		req := tc.request(t)
		d, err := p.Decide(req)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range d.Regimes.List() {
			if g.Verdict == eligibility.Deny && d.Verdict != eligibility.Deny {
				t.Errorf("%s: %v although %s denies", tc.at, d, g.Jurisdiction)
			}
		}
		if d.Verdict != eligibility.Defer {
			continue
		}
		defers++
		req.At = d.NotBefore
		again, err := p.Decide(req)
		if err != nil || again.Verdict != eligibility.Allow {
			t.Errorf("%s %v: deferred to %s, decided again then: %v, %v", tc.at, tc.from, d.NotBefore, again, err)
		}
	}
	if defers < 40 {
		t.Errorf("only %d defers: the property is barely tested", defers)
	}
}

// TestForeignRegistry: a regime reached through the sender consults its
// registries for a number of its own country (a French sender's Bloctel,
// for a French number of a contact abroad), never for another country's.
func TestForeignRegistry(t *testing.T) {
	sets, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	p := mustCompile(t, sets, eligibility.Params{})
	fr := address.MustCountry("FR")
	for _, tc := range []struct {
		name, phone string
		want        string // the deciding rule, or "" for an allow
	}{
		{"a French number abroad: Bloctel is consulted", "+33 6 55 50 10 10", "FR_BLOCTEL_UNCHECKED"},
		{"a British number: Bloctel is not", "+44 7700 900123", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			num := address.MustParsePhone(tc.phone, address.Country{})
			at := time.Date(2026, 3, 10, 11, 0, 0, 0, time.UTC)
			l, err := consent.NewLedger(consent.Record{ID: "g-1", Subject: num, Purpose: consent.MarketingGeneral,
				Channel: consent.VoiceLive, Sender: sender, Status: consent.Granted, At: at.AddDate(0, -1, 0), Method: consent.UntickedCheckbox})
			if err != nil {
				t.Fatal(err)
			}
			c := &consent.Contact{ID: "c-gb", Kind: consent.Consumer, Country: address.MustCountry("GB"), Location: time.UTC,
				Phone: num, Records: *l, Registries: []calls.RegistryCheck{{Registry: calls.TPS, Number: num, CheckedAt: at.AddDate(0, 0, -1)}}}
			m := message(consent.MarketingGeneral, consent.VoiceLive, "", at)
			m.Sender.Country = fr
			d, err := p.Decide(eligibility.Request{Contact: c, Message: *m})
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if d.Verdict != eligibility.Allow {
				got = d.Rule
			}
			if got != tc.want {
				t.Errorf("decision %v %v, want rule %q", d, d.Regimes.List(), tc.want)
			}
		})
	}
}

// TestAreaCodesOfTheSubdivisionsCountry: a subdivision presumes only
// numbers of its own country's plan; an area code of another country (a
// Canadian 416 in a US state's set), or one naming no country (toll-free
// 800), does not compile, so that one number never brings two presumptions
// (see MaxRegimes).
func TestAreaCodesOfTheSubdivisionsCountry(t *testing.T) {
	sets := readSets(t, "regimes/pr.yaml", "regimes/jm.yaml", "regimes/eu.yaml", "regimes/at.yaml")
	for code, want := range map[string]string{
		"305": "",
		"416": "area code 416 is of CA's numbering plan, not PR's",
		"800": "area code 800 names no country",
		"876": "area code 876 is of JM's numbering plan, not PR's",
	} {
		sub := mustParse(t, "pr-xx.yaml", "jurisdiction: PR-XX\nextends: PR\ntitle: test\nparameters:\n  area_codes: ["+code+"]\nrules:\n"+
			"  - {id: PR_XX_T_BAN, channels: [sms], effect: deny, reason: STATE_BAN, citation: Test State Act s. 3, condition: \"inCategory('pensions')\"}\n")
		_, err := eligibility.Compile(append(slices.Clone(sets), sub), eligibility.Params{})
		switch {
		case want == "" && err != nil:
			t.Errorf("area code %s: %v", code, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("area code %s: error %v, want one saying %q", code, err, want)
		}
	}
}
