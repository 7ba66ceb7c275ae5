package eligibility_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/eligibility/eligibilitytest"
	"github.com/sendright/sendright/internal/audience"
	"github.com/sendright/sendright/rules"
)

// overrideFile parses a house file of overrides: body is its overrides:
// list, from line 6.
func overrideFile(t testing.TB, body string) *rules.Set {
	t.Helper()
	return overrideFileRules(t, "[]", body)
}

// overrideFileRules is overrideFile with the house's own rules, given as
// a YAML list on one line.
func overrideFileRules(t testing.TB, rs, body string) *rules.Set {
	t.Helper()
	s, err := rules.Parse("overrides.yaml", []byte("house: test_overrides\ntitle: Overrides of the test\n"+
		"applies_to: {jurisdictions: [all]}\nrules: "+rs+"\noverrides:\n"+body))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// compileWith compiles the built-in sets with extra sets.
func compileWith(t testing.TB, extra ...*rules.Set) (*eligibility.Policy, error) {
	t.Helper()
	sets, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return eligibility.Compile(append(sets, extra...), eligibility.Params{})
}

// smsWindowOverride is the override of the French operators' SMS window.
const smsWindowOverride = `  - rule: FR_SMS_PROMO_WINDOW
    justification: "Our counsel reviewed the operators' charter (memo 2026-11)"
    owner: "Legal, Exemple SAS"
`

// Every override that may not be: each a compile error at the override's
// item, naming its rule; the legitimate ones compile.
func TestOverrideCompileErrors(t *testing.T) {
	tests := []struct {
		name  string
		rules string // the house file's own rules, on one line; "" for none
		body  string
		want  []*rules.Error // Msg is matched as a prefix
	}{
		{name: "the operators' SMS window", body: smsWindowOverride},
		{name: "a needs_review deny, a date of uncertain start, a self-regulatory call window",
			body: `  - {rule: DE_CONSENT_NOT_CONFIRMED, justification: "proof of consent by signed form reviewed", owner: Legal}
  - {rule: ES_SMS_ALIAS_START_DATE_UNCLEAR, justification: "counsel reads the start as 15 September", owner: Legal}
  - {rule: ES_OPERATOR_CODE_CALL_WINDOW, justification: "we are no signatory of the code", owner: Legal}
`},
		{name: "unknown rule, with the nearest id suggested",
			body: "  - {rule: FR_SMS_PROMO_WINDOWS, justification: memo, owner: Legal}\n",
			want: []*rules.Error{{Rule: "FR_SMS_PROMO_WINDOWS", Line: 6, Column: 5, Field: "overrides[0].rule",
				Msg: `override of FR_SMS_PROMO_WINDOWS: no rule FR_SMS_PROMO_WINDOWS in the policy: did you mean "FR_SMS_PROMO_WINDOW"?`}}},
		{name: "a statutory rule",
			body: "  - {rule: FR_CALL_WINDOW, justification: memo, owner: Legal}\n",
			want: []*rules.Error{{Rule: "FR_CALL_WINDOW", Line: 6, Column: 5, Field: "overrides[0].rule",
				Msg: "override of FR_CALL_WINDOW: the rule is statutory"}}},
		{name: "the objection rule, the withdrawal rule, the engine's stops, a refusal's cool-off",
			body: `  - {rule: EU_OBJECTION, justification: memo, owner: Legal}
  - {rule: EU_WITHDRAWN, justification: memo, owner: Legal}
  - {rule: STOP_OBJECTION, justification: memo, owner: Legal}
  - {rule: STOP_WITHDRAWN, justification: memo, owner: Legal}
  - {rule: FR_CALL_REFUSAL_COOL_OFF, justification: memo, owner: Legal}
`,
			want: []*rules.Error{
				{Rule: "EU_OBJECTION", Line: 6, Column: 5, Field: "overrides[0].rule", Msg: "override of EU_OBJECTION: a stop in force"},
				{Rule: "EU_WITHDRAWN", Line: 7, Column: 5, Field: "overrides[1].rule", Msg: "override of EU_WITHDRAWN: a stop in force"},
				{Rule: "STOP_OBJECTION", Line: 8, Column: 5, Field: "overrides[2].rule", Msg: "override of STOP_OBJECTION: a stop in force"},
				{Rule: "STOP_WITHDRAWN", Line: 9, Column: 5, Field: "overrides[3].rule", Msg: "override of STOP_WITHDRAWN: a stop in force"},
				{Rule: "FR_CALL_REFUSAL_COOL_OFF", Line: 10, Column: 5, Field: "overrides[4].rule", Msg: "override of FR_CALL_REFUSAL_COOL_OFF: a stop in force"},
			}},
		{name: "sector bans, even those marked needs_review",
			body: `  - {rule: FR_HOME_ADAPTATION_BAN, justification: memo, owner: Legal}
  - {rule: UK_PENSIONS_CALL_CALLER_REVIEW, justification: memo, owner: Legal}
  - {rule: FR_CANVASSING_BAN_START_DATE, justification: memo, owner: Legal}
`,
			want: []*rules.Error{
				{Rule: "FR_HOME_ADAPTATION_BAN", Line: 6, Column: 5, Field: "overrides[0].rule", Msg: "override of FR_HOME_ADAPTATION_BAN: a statutory ban"},
				{Rule: "UK_PENSIONS_CALL_CALLER_REVIEW", Line: 7, Column: 5, Field: "overrides[1].rule", Msg: "override of UK_PENSIONS_CALL_CALLER_REVIEW: a statutory ban"},
				{Rule: "FR_CANVASSING_BAN_START_DATE", Line: 8, Column: 5, Field: "overrides[2].rule", Msg: "override of FR_CANVASSING_BAN_START_DATE: a statutory ban"},
			}},
		{name: "a no_basis rule, which allows nothing when lifted",
			body: "  - {rule: NL_CALL_FORMER_CUSTOMER_PERIOD_EXPIRED, justification: memo, owner: Legal}\n",
			want: []*rules.Error{{Rule: "NL_CALL_FORMER_CUSTOMER_PERIOD_EXPIRED", Line: 6, Column: 5, Field: "overrides[0].rule",
				Msg: "override of NL_CALL_FORMER_CUSTOMER_PERIOD_EXPIRED: a no_basis rule only names why no rule allowed"}}},
		{name: "the same rule twice",
			body: smsWindowOverride + smsWindowOverride,
			want: []*rules.Error{{Rule: "FR_SMS_PROMO_WINDOW", Line: 9, Column: 5, Field: "overrides[1]",
				Msg: "override of FR_SMS_PROMO_WINDOW given twice"}}},
		{name: "a house rule",
			rules: `[{id: TEST_HOUSE_RULE, channels: [email], effect: deny, reason: OBJECTION_ON_FILE, citation: House charter 1, condition: "true"}]`,
			body:  "  - {rule: TEST_HOUSE_RULE, justification: memo, owner: Legal}\n",
			want: []*rules.Error{{Rule: "TEST_HOUSE_RULE", Line: 6, Column: 5, Field: "overrides[0].rule",
				Msg: "override of TEST_HOUSE_RULE: a house rule (overrides.yaml) is changed in its file, not overridden"}}},
		{name: "no justification, no owner, no rule",
			body: `  - {rule: FR_SMS_PROMO_WINDOW, justification: "  ", owner: Legal}
  - {rule: DE_CONSENT_NOT_CONFIRMED, justification: memo}
  - {justification: memo, owner: Legal}
`,
			want: []*rules.Error{
				{Rule: "FR_SMS_PROMO_WINDOW", Line: 6, Column: 5, Field: "overrides[0]", Msg: "override of FR_SMS_PROMO_WINDOW: missing justification"},
				{Rule: "DE_CONSENT_NOT_CONFIRMED", Line: 7, Column: 5, Field: "overrides[1]", Msg: "override of DE_CONSENT_NOT_CONFIRMED: missing owner"},
				{Line: 8, Column: 5, Field: "overrides[2]", Msg: "override: missing rule"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := tt.rules
			if rs == "" {
				rs = "[]"
			}
			pol, err := compileWith(t, overrideFileRules(t, rs, tt.body))
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Compile: %v, want a policy", err)
				}
				if pol.Version() == "" {
					t.Fatal("a policy without a version")
				}
				return
			}
			var list rules.ErrorList
			if !asErrorList(err, &list) {
				t.Fatalf("Compile: %v, want a rules.ErrorList", err)
			}
			for _, e := range list {
				if e.File != "overrides.yaml" {
					t.Errorf("error %v: file %q, want overrides.yaml", e, e.File)
				}
			}
			prefix := gocmp.Comparer(func(got, want string) bool {
				return got == want || got != "" && want != "" && (strings.HasPrefix(got, want) || strings.HasPrefix(want, got))
			})
			if diff := gocmp.Diff(tt.want, []*rules.Error(list), cmpopts.IgnoreFields(rules.Error{}, "File"),
				gocmp.FilterPath(func(p gocmp.Path) bool { return p.Last().String() == ".Msg" }, prefix)); diff != "" {
				t.Errorf("Compile errors (-want +got):\n%s\n%v", diff, err)
			}
		})
	}
}

// asErrorList reports whether err is a rules.ErrorList, and sets it.
func asErrorList(err error, list *rules.ErrorList) bool {
	l, ok := err.(rules.ErrorList)
	*list = l
	return ok && len(l) > 0
}

// An override of a rule whose condition reads an objection or a
// withdrawal, or whose reason is a stop's, is refused even when the
// rule is marked needs_review; a needs_review allow rule may be
// overridden, a self-regulatory one needing no review may not.
func TestOverrideMarkedStops(t *testing.T) {
	set := func(rs string) *rules.Set {
		s, err := rules.Parse("mc.yaml", []byte(`jurisdiction: MC
extends: EU
title: Test
channels: [email]
rules:
`+rs))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	override := overrideFile(t, "  - {rule: MC_X, justification: memo, owner: Legal}\n")
	tests := []struct {
		name, rule, want string
	}{
		{"reads objected", "effect: deny\n    reason: MC_X\n    condition: objected('marketing_general', 'email')\n    needs_review: true", "a stop in force"},
		{"reads withdrawn", "effect: deny\n    reason: MC_X\n    condition: withdrawn(request.purpose, request.channel)\n    self_regulatory: true", "a stop in force"},
		{"a stop's reason", "effect: deny\n    reason: CONSENT_WITHDRAWN\n    condition: 'true'\n    needs_review: true", "a stop in force"},
		{"a sector ban marked needs_review", "effect: deny\n    reason: MC_X\n    condition: inCategory('pensions')\n    needs_review: true", "a statutory ban"},
		{"a self-regulatory allow needing no review", "effect: allow\n    basis: consent\n    reason: MC_X\n    condition: 'true'\n    self_regulatory: true", "an allow rule that needs no review"},
		{"a needs_review allow", "effect: allow\n    basis: consent\n    reason: MC_X\n    condition: 'true'\n    needs_review: true", ""},
		{"a needs_review exempt", "effect: exempt\n    basis: transactional\n    reason: MC_X\n    condition: 'true'\n    needs_review: true", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := compileWith(t, set("  - id: MC_X\n    channels: [email]\n    citation: test\n    "+tt.rule+"\n"), override)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Compile: %v, want a policy", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), "override of MC_X: "+tt.want)):
				t.Fatalf("Compile: %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// frenchSMS is a consumer in Paris who consented to marketing SMS, and a
// marketing SMS to them on a Sunday evening.
func frenchSMS(t testing.TB, recs ...consent.Record) eligibility.Request {
	t.Helper()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	sunday := time.Date(2026, 3, 29, 20, 0, 0, 0, paris)
	recs = append([]consent.Record{eligibilitytest.Grant(consent.SMS, sunday.AddDate(0, -1, 0))}, recs...)
	c := eligibilitytest.Contact(t, eligibilitytest.Records(recs...))
	return eligibility.Request{Contact: c, Message: eligibilitytest.Message(t, consent.SMS, sunday)}
}

// The French operators' SMS window lifted: a Sunday evening SMS is
// allowed, resting on the override, which the decision, its text, its
// JSON and the trace record; without it the SMS waits for Monday; an
// objection still denies.
func TestOverrideSMSWindow(t *testing.T) {
	law, err := compileWith(t)
	if err != nil {
		t.Fatal(err)
	}
	relaxed, err := compileWith(t, overrideFile(t, smsWindowOverride))
	if err != nil {
		t.Fatal(err)
	}
	if law.Version() == relaxed.Version() {
		t.Error("the override did not change the policy version")
	}
	req := frenchSMS(t)
	without, err := law.Decide(req)
	if err != nil {
		t.Fatal(err)
	}
	if without.Verdict != eligibility.Defer || without.Rule != "FR_SMS_PROMO_WINDOW" || without.Overrides != nil {
		t.Fatalf("without the override: %v, want a defer by FR_SMS_PROMO_WINDOW", without)
	}
	got, err := relaxed.Decide(req)
	if err != nil {
		t.Fatal(err)
	}
	applied := eligibility.AppliedOverride{Rule: "FR_SMS_PROMO_WINDOW", Owner: "Legal, Exemple SAS",
		Justification: "Our counsel reviewed the operators' charter (memo 2026-11)", File: "overrides.yaml"}
	want := without
	want.Verdict, want.NotBefore, want.Rule, want.Reason, want.Citation = eligibility.Allow, time.Time{}, "EU_CONSENT", "CONSENT", got.Citation
	want.Origin, want.Overrides, want.PolicyVersion = eligibility.FromOverride, []eligibility.AppliedOverride{applied}, relaxed.Version()
	want.Regimes[0].Verdict = eligibility.Allow
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("with the override (-want +got):\n%s", diff)
	}
	if s := got.String(); !strings.Contains(s, "override of FR_SMS_PROMO_WINDOW by Legal, Exemple SAS") {
		t.Errorf("String() = %q, want the override named", s)
	}
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	var back eligibility.Decision
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := gocmp.Diff(got, back); diff != "" {
		t.Errorf("JSON round trip (-decided +read back):\n%s\n%s", diff, b)
	}
	if err := json.Unmarshal([]byte(strings.Replace(string(b), `"owner"`, `"Owner"`, 1)), &back); err == nil {
		t.Errorf("a decision with an override key in another case decoded")
	}

	audit, err := relaxed.Explain(req, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := gocmp.Diff(got, audit.Decision); diff != "" {
		t.Errorf("Explain's decision differs from Decide's (-decide +explain):\n%s", diff)
	}
	var step *eligibility.Step
	for i := range audit.Trace {
		if audit.Trace[i].Rule == "FR_SMS_PROMO_WINDOW" {
			step = &audit.Trace[i]
		}
	}
	wantStep := &eligibility.Step{Jurisdiction: "FR", Rule: "FR_SMS_PROMO_WINDOW", Effect: rules.Defer, Result: eligibility.Matched,
		SelfRegulatory: true, Override: &applied, Lifted: true}
	if diff := gocmp.Diff(wantStep, step); diff != "" {
		t.Errorf("the trace's step of the lifted rule (-want +got):\n%s", diff)
	}
	ab, err := json.Marshal(audit)
	if err != nil {
		t.Fatal(err)
	}
	var backAudit eligibility.Audit
	if err := json.Unmarshal(ab, &backAudit); err != nil {
		t.Fatal(err)
	}
	if diff := gocmp.Diff(audit.Trace, backAudit.Trace); diff != "" || !gocmp.Equal(audit.Decision, backAudit.Decision) {
		t.Errorf("the audit's JSON round trip (trace: -explained +read back):\n%s", diff)
	}

	// An objection still denies, override or not.
	objected := frenchSMS(t, eligibilitytest.Objection(consent.SMS, req.At.AddDate(0, 0, -1)))
	for _, pol := range []*eligibility.Policy{law, relaxed} {
		d, err := pol.Decide(objected)
		if err != nil {
			t.Fatal(err)
		}
		if d.Verdict != eligibility.Deny || d.Reason != "OBJECTION_ON_FILE" || d.Overrides != nil || d.Origin != eligibility.FromLaw {
			t.Errorf("an objection: %v (origin %v, overrides %v), want a deny OBJECTION_ON_FILE by the law", d, d.Origin, d.Overrides)
		}
	}
	// In the window, the override does not take effect: the decision is
	// the law's, and records none.
	monday := req
	monday.At = req.At.Add(14 * time.Hour)
	d1, err1 := law.Decide(monday)
	d2, err2 := relaxed.Decide(monday)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	d1.PolicyVersion = d2.PolicyVersion
	if diff := gocmp.Diff(d1, d2); diff != "" || d2.Verdict != eligibility.Allow {
		t.Errorf("in the window, with and without the override (-law +relaxed):\n%s", diff)
	}
}

// A needs_review deny lifted (Germany's confirmed-consent rule): a
// consent by an unticked box allows, resting on the override.
func TestOverrideNeedsReviewDeny(t *testing.T) {
	relaxed, err := compileWith(t, overrideFile(t,
		"  - {rule: DE_CONSENT_NOT_CONFIRMED, justification: \"proof of consent kept otherwise (memo 7)\", owner: DPO}\n"))
	if err != nil {
		t.Fatal(err)
	}
	law, err := compileWith(t)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	c := eligibilitytest.Contact(t, eligibilitytest.In("DE", "Europe/Berlin"), eligibilitytest.Records(eligibilitytest.Grant(consent.Email, at.AddDate(0, -1, 0))))
	req := eligibility.Request{Contact: c, Message: eligibilitytest.Message(t, consent.Email, at)}
	without, err := law.Decide(req)
	if err != nil {
		t.Fatal(err)
	}
	if without.Verdict != eligibility.Deny || without.Rule != "DE_CONSENT_NOT_CONFIRMED" {
		t.Fatalf("without the override: %v, want a deny by DE_CONSENT_NOT_CONFIRMED", without)
	}
	got, err := relaxed.Decide(req)
	if err != nil {
		t.Fatal(err)
	}
	want := []eligibility.AppliedOverride{{Rule: "DE_CONSENT_NOT_CONFIRMED", Owner: "DPO",
		Justification: "proof of consent kept otherwise (memo 7)", File: "overrides.yaml"}}
	if got.Verdict != eligibility.Allow || got.Origin != eligibility.FromOverride || !gocmp.Equal(got.Overrides, want) {
		t.Errorf("with the override: %v (origin %v, overrides %v), want an allow resting on %v", got, got.Origin, got.Overrides, want)
	}
}

// A needs_review allow rule overridden allows without review; not
// overridden, it denies with NeedsReview.
func TestOverrideNeedsReviewAllow(t *testing.T) {
	const base = `jurisdiction: MC
extends: EU
title: Test
channels: [email]
rules:
  - id: MC_REVIEWED_ALLOW
    channels: [email]
    effect: allow
    basis: legitimate_interest
    reason: MC_REVIEWED_ALLOW
    citation: test
    condition: request.purpose == 'marketing_general'
    needs_review: true
`
	parse := func(text string) *rules.Set {
		s, err := rules.Parse("mc.yaml", []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	law, err := compileWith(t, parse(base))
	if err != nil {
		t.Fatal(err)
	}
	relaxed, err := compileWith(t, parse(base), overrideFile(t, "  - {rule: MC_REVIEWED_ALLOW, justification: reviewed, owner: Legal}\n"))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	c := eligibilitytest.Contact(t, eligibilitytest.In("MC", "Europe/Monaco"))
	req := eligibility.Request{Contact: c, Message: eligibilitytest.Message(t, consent.Email, at)}
	without, err := law.Decide(req)
	if err != nil {
		t.Fatal(err)
	}
	if without.Verdict != eligibility.Deny || !without.NeedsReview || without.Rule != "MC_REVIEWED_ALLOW" {
		t.Fatalf("without the override: %v, want a deny needing review by MC_REVIEWED_ALLOW", without)
	}
	got, err := relaxed.Decide(req)
	if err != nil {
		t.Fatal(err)
	}
	want := without
	want.Verdict, want.Basis, want.NeedsReview, want.Origin = eligibility.Allow, rules.LegitimateInterest, false, eligibility.FromOverride
	want.Overrides = []eligibility.AppliedOverride{{Rule: "MC_REVIEWED_ALLOW", Owner: "Legal", Justification: "reviewed", File: "overrides.yaml"}}
	want.Obligations, want.PolicyVersion = got.Obligations, got.PolicyVersion
	want.Regimes[0].Verdict = eligibility.Allow
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("with the override (-want +got):\n%s", diff)
	}
}

// A decision resting on an override allocates nothing: its Overrides is
// built at compile time.
func TestDecideDoesNotAllocateOverride(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	relaxed, err := compileWith(t, overrideFile(t, smsWindowOverride))
	if err != nil {
		t.Fatal(err)
	}
	req := frenchSMS(t)
	d, err := relaxed.Decide(req)
	if err != nil || len(d.Overrides) != 1 {
		t.Fatalf("Decide = %v, %v: want an allow resting on the override", d, err)
	}
	if n := testing.AllocsPerRun(50, func() { _, _ = relaxed.Decide(req) }); n != 0 {
		t.Errorf("Decide with an override taking effect allocates %v times per call, want 0", n)
	}
	req.At = req.At.Add(14 * time.Hour) // Monday morning: the override does not take effect
	if n := testing.AllocsPerRun(50, func() { _, _ = relaxed.Decide(req) }); n != 0 {
		t.Errorf("Decide with an override not taking effect allocates %v times per call, want 0", n)
	}
	// A wait the override shortens: a call in Spain at 07:00 waits for
	// the statutory 09:00, not the operators' code's 10:00.
	codeLifted, err := compileWith(t, overrideFile(t, allOverrides))
	if err != nil {
		t.Fatal(err)
	}
	madrid, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 10, 7, 0, 0, 0, madrid)
	c := eligibilitytest.Contact(t, eligibilitytest.In("ES", "Europe/Madrid"), eligibilitytest.Phone("+34600000001"),
		eligibilitytest.Records(eligibilitytest.Grant(consent.VoiceLive, at.AddDate(0, -1, 0))))
	call := eligibility.Request{Contact: c, Message: eligibilitytest.Message(t, consent.VoiceLive, at)}
	d, err = codeLifted.Decide(call)
	if err != nil || d.Verdict != eligibility.Defer || !d.NotBefore.Equal(time.Date(2026, 3, 10, 9, 0, 0, 0, madrid)) ||
		d.Origin != eligibility.FromOverride || len(d.Overrides) != 1 || d.Overrides[0].Rule != "ES_OPERATOR_CODE_CALL_WINDOW" {
		t.Fatalf("Decide(call at 07:00) = %v, %v (origin %v): want a defer to 09:00 resting on the override of ES_OPERATOR_CODE_CALL_WINDOW", d, err, d.Origin)
	}
	if n := testing.AllocsPerRun(50, func() { _, _ = codeLifted.Decide(call) }); n != 0 {
		t.Errorf("Decide with a wait an override shortens allocates %v times per call, want 0", n)
	}
}

// allOverrides overrides every built-in rule an override may relax.
const allOverrides = smsWindowOverride + `  - {rule: DE_CONSENT_NOT_CONFIRMED, justification: "proof of consent kept otherwise", owner: DPO}
  - {rule: ES_SMS_ALIAS_START_DATE_UNCLEAR, justification: "counsel reads the start as 15 September", owner: Legal}
  - {rule: ES_OPERATOR_CODE_CALL_WINDOW, justification: "we are no signatory of the code", owner: Legal}
`

// Property, over random requests in the countries with overridable
// rules: a policy with overrides decides exactly as the same policy
// without them unless an override took effect (and then the decision
// names it); it never allows or defers a request that the policy without
// them denies by a rule no override may relax (a stop in force, a
// statutory or sector ban, a missing basis); and what it allows that the
// other does not rests on an override (origin override).
func TestOverrideProperty(t *testing.T) {
	law, err := eligibility.Compile(mustBuiltin(t), eligibility.Params{SimilarityGroups: audience.SimilarityGroups()})
	if err != nil {
		t.Fatal(err)
	}
	relaxed, err := eligibility.Compile(append(mustBuiltin(t), overrideFile(t, allOverrides)),
		eligibility.Params{SimilarityGroups: audience.SimilarityGroups()})
	if err != nil {
		t.Fatal(err)
	}
	overridden := map[string]bool{"FR_SMS_PROMO_WINDOW": true, "DE_CONSENT_NOT_CONFIRMED": true,
		"ES_SMS_ALIAS_START_DATE_UNCLEAR": true, "ES_OPERATOR_CODE_CALL_WINDOW": true}
	n := 1500
	if testing.Short() {
		n = 300
	}
	took := 0
	for _, g := range []struct {
		country, zone string
		channels      []consent.Channel
	}{
		{"FR", "Europe/Paris", []consent.Channel{consent.SMS, consent.Email, consent.VoiceLive}},
		{"DE", "Europe/Berlin", []consent.Channel{consent.Email, consent.SMS}},
		{"ES", "Europe/Madrid", []consent.Channel{consent.SMS, consent.VoiceLive, consent.VoiceAutomated}},
		{"GB", "Europe/London", []consent.Channel{consent.SMS, consent.VoiceLive}},
	} {
		loc, err := time.LoadLocation(g.zone)
		if err != nil {
			t.Fatal(err)
		}
		for _, req := range audience.NewRandom(uint64(len(g.country)*31+int(g.country[0])), address.MustCountry(g.country), loc, g.channels...).Requests(n) {
			a, errA := law.Decide(req)
			b, errB := relaxed.Decide(req)
			if (errA == nil) != (errB == nil) {
				t.Fatalf("%s: errors differ: %v, %v", req.Contact.ID, errA, errB)
			}
			if len(b.Overrides) == 0 {
				a.PolicyVersion = b.PolicyVersion
				if diff := gocmp.Diff(a, b); diff != "" {
					t.Errorf("%s %s: no override took effect, yet the decisions differ (-law +relaxed):\n%s", g.country, req.Contact.ID, diff)
				}
				continue
			}
			took++
			for _, o := range b.Overrides {
				if !overridden[o.Rule] {
					t.Errorf("%s: override of %s recorded, not declared", req.Contact.ID, o.Rule)
				}
			}
			// A deny crossed into while waiting (DeniedFrom) is not in
			// force at the message instant: an override that removes the
			// wait may rightly allow the message now.
			if a.Verdict == eligibility.Deny && a.DeniedFrom.IsZero() && !overridden[a.Rule] && b.Verdict != eligibility.Deny {
				t.Errorf("%s %s: the law denies %v (a rule no override relaxes), the relaxed policy %v", g.country, req.Contact.ID, a, b)
			}
			if b.Verdict == eligibility.Allow && a.Verdict != eligibility.Allow && b.Origin != eligibility.FromOverride {
				t.Errorf("%s %s: allowed %v where the law gives %v, with origin %v, want override", g.country, req.Contact.ID, b, a, b.Origin)
			}
			if a.DeniedFrom.IsZero() && (a.Reason == "OBJECTION_ON_FILE" || a.Reason == "CONSENT_WITHDRAWN") {
				t.Errorf("%s %s: a stop %v, yet overrides took effect: %v", g.country, req.Contact.ID, a, b)
			}
		}
	}
	if took == 0 {
		t.Error("no override took effect in any request: the property was not exercised")
	}
	t.Logf("%d decisions rested on an override", took)
}

// Overrides are declared in house files only: a jurisdiction's set
// declaring one is a compile error at its overrides: key.
func TestOverrideOnlyInHouseFiles(t *testing.T) {
	s, err := rules.Parse("mc.yaml", []byte(`jurisdiction: MC
extends: EU
title: Test
rules: []
overrides:
  - {rule: FR_SMS_PROMO_WINDOW, justification: memo, owner: Legal}
`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = compileWith(t, s)
	want := "rules: mc.yaml:5:1: overrides are declared in a house file (house:), not in a jurisdiction's rule set"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Compile: %v, want %q", err, want)
	}
}

// BenchmarkDecideOverride: a decision resting on an override (the Sunday
// evening SMS, allowed) against the same request under the law alone,
// which searches for Monday 08:00.
func BenchmarkDecideOverride(b *testing.B) {
	law, err := compileWith(b)
	if err != nil {
		b.Fatal(err)
	}
	relaxed, err := compileWith(b, overrideFile(b, smsWindowOverride))
	if err != nil {
		b.Fatal(err)
	}
	req := frenchSMS(b)
	for _, c := range []struct {
		name string
		p    *eligibility.Policy
	}{{"law-defer", law}, {"override-allow", relaxed}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = c.p.Decide(req)
			}
		})
	}
}
