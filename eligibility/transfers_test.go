package eligibility_test

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

// transferContact is a French customer whose soft opt-in allows a
// newsletter e-mail from a French sender.
func transferContact(country string) *consent.Contact {
	zone := map[string]string{"FR": "Europe/Paris", "GB": "Europe/London", "US": "America/New_York"}[country]
	loc, _ := time.LoadLocation(zone)
	email := address.MustParseEmail("camille@example.com")
	phone := address.MustParsePhone("+33 6 55 55 01 01", address.MustCountry("FR"))
	grant := func(id string, subject address.Address, ch consent.Channel) consent.Record {
		return consent.Record{ID: id, Subject: subject, Purpose: consent.MarketingGeneral, Channel: ch,
			Sender: "Maison Exemple SAS", Status: consent.Granted, At: time.Date(2020, 1, 10, 10, 0, 0, 0, time.UTC),
			Method: consent.DoubleOptIn, ConfirmedAt: time.Date(2020, 1, 10, 10, 5, 0, 0, time.UTC), Source: "web-form", WordingVersion: "v1"}
	}
	l, err := consent.NewLedger(grant("g-1", email, consent.Email), grant("g-2", phone, consent.SMS))
	if err != nil {
		panic(err)
	}
	return &consent.Contact{ID: "c-1", Kind: consent.Consumer, Country: address.MustCountry(country), Location: loc,
		Email: email, Phone: phone, Records: *l}
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// transferPolicy compiles the built-in sets with routes and settings.
func transferPolicy(t testing.TB, routes string, tp eligibility.TransferParams) *eligibility.Policy {
	t.Helper()
	rs, err := rules.ParseRoutes("routes.yaml", []byte(routes))
	if err != nil {
		t.Fatal(err)
	}
	sets, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	p, err := eligibility.Compile(sets, eligibility.Params{Routes: rs, Transfers: tp})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// hopLines summarises a transfer's hops (TransferHop.String).
func hopLines(tr *eligibility.Transfer) []string {
	if tr == nil {
		return nil
	}
	var out []string
	for _, h := range tr.Hops {
		out = append(out, h.String())
	}
	return out
}

const usESP = `routes:
  - name: esp
    default_for: [email]
    hops:
      - id: esp
        entity: Example Mail Inc.
        role: processor
        processing: [US]
        mechanisms:
%s
`

func TestTransferCascade(t *testing.T) {
	dpf := "          - {kind: dpf, framework: eu_us, status: active, covered: non_hr, checked_at: 2026-11-07}\n"
	dpfInactive := "          - {kind: dpf, framework: eu_us, status: inactive, covered: non_hr, checked_at: 2026-10-10}\n"
	dpfUK := "          - {kind: dpf, framework: uk_extension, status: active, covered: non_hr, checked_at: 2023-09-20}\n"
	scc := "          - {kind: scc_2021, module: 2, signed_at: 2024-05-01, tia: {ref: TIA-1, assessed_at: 2025-11-01, next_review_at: 2026-11-01}}\n"
	sccNoTIA := "          - {kind: scc_2021, module: 2, signed_at: 2024-05-01}\n"
	legacy := "          - {kind: scc_legacy, version: \"2010\", signed_at: 2019-03-01, tia: {ref: TIA-0, assessed_at: 2020-09-01, next_review_at: 2027-09-01}}\n"
	derog := "          - {kind: derogation_49, letter: a, evidence_ref: EV-1, one_off: true}\n"
	derogRoutine := "          - {kind: derogation_49, letter: b}\n"
	derogNoEvidence := "          - {kind: derogation_49, letter: a, one_off: true}\n"
	idta := "          - {kind: uk_idta, signed_at: 2023-02-01, tia: {ref: TRA-1, assessed_at: 2023-02-01, next_review_at: 2027-02-01}}\n"
	tests := []struct {
		name       string
		mechanisms string
		country    string // recipient and sender
		at         time.Time
		tp         eligibility.TransferParams
		verdict    eligibility.Verdict
		reason     string
		rule       string
		review     bool
		hops       []string
		oblig      bool // transfer obligations expected
	}{
		{"T01 DPF active, checked 3 days before", dpf, "FR", day("2026-11-10"), eligibility.TransferParams{},
			eligibility.Allow, "CONSENT", "EU_CONSENT", false, []string{"esp EU allow adequacy:EU-2023/1795 at_risk"}, true},
		{"T02 no mechanism", "          []\n", "FR", day("2026-11-10"), eligibility.TransferParams{},
			eligibility.Deny, "TRANSFER_NO_MECHANISM", "EU_TRANSFERS", false, []string{"esp EU deny TRANSFER_NO_MECHANISM"}, false},
		{"T03 DPF inactive, SCC with a current TIA", dpfInactive + scc, "FR", day("2026-10-15"), eligibility.TransferParams{},
			eligibility.Allow, "CONSENT", "EU_CONSENT", false, []string{"esp EU allow scc_2021:module_2"}, true},
		{"T04 the TIA past its review date", dpfInactive + scc, "FR", day("2026-12-01"), eligibility.TransferParams{},
			eligibility.Deny, "TIA_STALE", "EU_SCC_2021", true, []string{"esp EU deny TIA_STALE review"}, false},
		{"SCC without a TIA", sccNoTIA, "FR", day("2026-12-01"), eligibility.TransferParams{},
			eligibility.Deny, "TIA_MISSING", "EU_SCC_2021", true, []string{"esp EU deny TIA_MISSING review"}, false},
		{"T05 a derogation for routine sends", derogRoutine, "FR", day("2026-11-10"), eligibility.TransferParams{},
			eligibility.Deny, "DEROGATION_NOT_FOR_ROUTINE_TRANSFERS", "EU_DEROGATION_49", false, []string{"esp EU deny DEROGATION_NOT_FOR_ROUTINE_TRANSFERS"}, false},
		{"a documented one-off: for review", derog, "FR", day("2026-11-10"), eligibility.TransferParams{},
			eligibility.Deny, "DEROGATION_NOT_FOR_ROUTINE_TRANSFERS", "EU_DEROGATION_49", true, []string{"esp EU deny DEROGATION_NOT_FOR_ROUTINE_TRANSFERS review"}, false},
		{"a documented one-off, strict policy", derog, "FR", day("2026-11-10"), eligibility.TransferParams{StrictDerogations: true},
			eligibility.Deny, "DEROGATION_NOT_FOR_ROUTINE_TRANSFERS", "EU_DEROGATION_49", false, []string{"esp EU deny DEROGATION_NOT_FOR_ROUTINE_TRANSFERS"}, false},
		{"a one-off without evidence", derogNoEvidence, "FR", day("2026-11-10"), eligibility.TransferParams{},
			eligibility.Deny, "DEROGATION_NOT_FOR_ROUTINE_TRANSFERS", "EU_DEROGATION_49", false, []string{"esp EU deny DEROGATION_NOT_FOR_ROUTINE_TRANSFERS"}, false},
		{"T06 UK sender, EU-US listing only", dpf, "GB", day("2026-11-10"), eligibility.TransferParams{},
			eligibility.Deny, "DPF_FRAMEWORK_MISMATCH", "UK_ADEQ_US_UKEXT", false, []string{"esp UK deny DPF_FRAMEWORK_MISMATCH"}, false},
		{"T07 UK extension the day before it", dpfUK, "GB", time.Date(2023, 10, 11, 12, 0, 0, 0, time.UTC), eligibility.TransferParams{},
			eligibility.Deny, "TRANSFER_NO_MECHANISM", "UK_TRANSFERS", false, []string{"esp UK deny TRANSFER_NO_MECHANISM"}, false},
		{"T07 UK extension from 12 October 2023", dpfUK, "GB", time.Date(2023, 10, 12, 12, 0, 0, 0, time.UTC), eligibility.TransferParams{},
			eligibility.Allow, "CONSENT", "UK_CONSENT", false, []string{"esp UK allow adequacy:UK-SI-2023/1028 at_risk"}, true},
		{"UK sender on the IDTA", idta, "GB", day("2026-11-10"), eligibility.TransferParams{},
			eligibility.Allow, "CONSENT", "UK_CONSENT", false, []string{"esp UK allow uk_idta"}, true},
		{"UK sender on the EU clauses alone", scc, "GB", day("2026-10-10"), eligibility.TransferParams{},
			eligibility.Deny, "TRANSFER_NO_MECHANISM", "UK_TRANSFERS", false, []string{"esp UK deny TRANSFER_NO_MECHANISM"}, false},
		{"T12 the 2010 clauses in 2026", legacy, "FR", day("2026-03-01"), eligibility.TransferParams{},
			eligibility.Deny, "SCC_REPEALED_VERSION", "EU_SCC_LEGACY", false, []string{"esp EU deny SCC_REPEALED_VERSION"}, false},
		{"the 2010 clauses before their cut-off", legacy, "FR", day("2022-12-26"), eligibility.TransferParams{},
			eligibility.Allow, "CONSENT", "EU_CONSENT", false, []string{"esp EU allow scc_legacy:2010"}, true},
		{"T13 DPF switched off, SCC fallback", dpf + scc, "FR", day("2026-10-15"), eligibility.TransferParams{DisableDPF: true},
			eligibility.Allow, "CONSENT", "EU_CONSENT", false, []string{"esp EU allow scc_2021:module_2"}, true},
		{"T13 DPF switched off, no fallback", dpf, "FR", day("2026-11-10"), eligibility.TransferParams{DisableDPF: true},
			eligibility.Deny, "DPF_DISABLED_BY_POLICY", "EU_ADEQ_US_DPF", false, []string{"esp EU deny DPF_DISABLED_BY_POLICY"}, false},
		{"T14 DPF checked 120 days before", dpf, "FR", day("2027-03-07"), eligibility.TransferParams{},
			eligibility.Deny, "DPF_STATUS_STALE", "EU_ADEQ_US_DPF", true, []string{"esp EU deny DPF_STATUS_STALE review"}, false},
		{"DPF checked after the send", dpf, "FR", day("2026-11-06"), eligibility.TransferParams{},
			eligibility.Deny, "DPF_STATUS_STALE", "EU_ADEQ_US_DPF", true, []string{"esp EU deny DPF_STATUS_STALE review"}, false},
		{"a US recipient of a US sender: no regime", "          []\n", "US", day("2026-11-10"), eligibility.TransferParams{},
			eligibility.Allow, "", "", false, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := transferPolicy(t, strings.Replace(usESP, "%s\n", tt.mechanisms, 1), tt.tp)
			c := transferContact(tt.country)
			m := consent.Message{Purpose: consent.MarketingGeneral, Channel: consent.Email,
				Sender: consent.Sender{Entity: "Maison Exemple SAS", Kind: consent.Company, Country: address.MustCountry(tt.country)}, At: tt.at}
			d, err := p.Decide(eligibility.Request{Contact: c, Message: m})
			if err != nil {
				t.Fatal(err)
			}
			if d.Verdict != tt.verdict || d.NeedsReview != tt.review || (tt.reason != "" && d.Reason != tt.reason) || (tt.rule != "" && d.Rule != tt.rule) {
				t.Errorf("decision %v (%s): want %v %s %s review %v", d, d.Detail, tt.verdict, tt.rule, tt.reason, tt.review)
			}
			if diff := cmp.Diff(tt.hops, hopLines(d.Transfer)); diff != "" {
				t.Errorf("hops (-want +got):\n%s", diff)
			}
			if got := d.Obligations.Has(rules.TransferNotice) && d.Obligations.Has(rules.TransferRecord); got != tt.oblig {
				t.Errorf("transfer obligations %v, want %v: %v", got, tt.oblig, d.Obligations)
			}
		})
	}
}

// A transfer deny's Detail names the hop (id, entity, regime), what failed
// and that nothing else covers the hop: what the host must add.
func TestTransferDenyDetail(t *testing.T) {
	for _, tt := range []struct {
		mechanisms string
		tp         eligibility.TransferParams
		detail     string
	}{
		{"          - {kind: dpf, framework: eu_us, status: active, covered: non_hr, checked_at: 2026-11-07}\n",
			eligibility.TransferParams{DisableDPF: true},
			"hop esp (Example Mail Inc.), EU transfers: the policy no longer relies on the Data Privacy Framework; no other mechanism covers the transfer to US"},
		{"          - {kind: scc_2021, module: 2, signed_at: 2024-05-01}\n", eligibility.TransferParams{},
			"hop esp (Example Mail Inc.), EU transfers: scc_2021:module_2 without a transfer impact assessment made by the send; no other mechanism covers the transfer to US"},
		{"          - {kind: scc_2021, module: 1, signed_at: 2024-05-01, tia: {ref: TIA-1, assessed_at: 2025-11-01, next_review_at: 2027-11-01}}\n",
			eligibility.TransferParams{},
			"hop esp (Example Mail Inc.), EU transfers: the 2021 clauses' module 1 (controller to controller) do not fit the hop, a controller to processor transfer (module 2); no other mechanism covers the transfer to US"},
		{"          - {kind: derogation_49, letter: b}\n", eligibility.TransferParams{},
			"hop esp (Example Mail Inc.), EU transfers: an art. 49(1)(b) derogation is not a basis for routine transfers; no other mechanism covers the transfer to US"},
		{"          []\n", eligibility.TransferParams{},
			"hop esp (Example Mail Inc.), EU transfers: no adequacy, safeguard or derogation covers the transfer to US"},
	} {
		p := transferPolicy(t, strings.Replace(usESP, "%s\n", tt.mechanisms, 1), tt.tp)
		d, err := p.Decide(eligibility.Request{Contact: transferContact("FR"), Message: consent.Message{
			Purpose: consent.MarketingGeneral, Channel: consent.Email, At: day("2026-11-10"),
			Sender: consent.Sender{Entity: "Maison Exemple SAS", Kind: consent.Company, Country: address.MustCountry("FR")}}})
		if err != nil || d.Verdict != eligibility.Deny || d.Detail != tt.detail {
			t.Errorf("%s: %v %v\ndetail %q\nwant   %q", strings.TrimSpace(tt.mechanisms), d, err, d.Detail, tt.detail)
		}
	}
}

func TestTransferRouteResolution(t *testing.T) {
	const routes = `routes:
  - name: esp
    default_for: [email]
    hops:
      - {id: esp, entity: Example Mail SAS, role: processor, processing: [FR]}
  - name: sms
    hops:
      - {id: gw, entity: Example SMS SAS, role: processor, processing: [DE]}
`
	p := transferPolicy(t, routes, eligibility.TransferParams{})
	c := transferContact("FR")
	msg := func(ch consent.Channel, route string) consent.Message {
		return consent.Message{Purpose: consent.MarketingGeneral, Channel: ch, Route: route,
			Sender: consent.Sender{Entity: "Maison Exemple SAS", Kind: consent.Company, Country: address.MustCountry("FR")},
			At:     time.Date(2026, 11, 10, 11, 0, 0, 0, time.UTC)}
	}
	d, err := p.Decide(eligibility.Request{Contact: c, Message: msg(consent.Email, "")})
	if err != nil || d.Verdict != eligibility.Allow || d.Transfer == nil || d.Transfer.Route != "esp" {
		t.Errorf("e-mail by the default route: %v %v %+v", d, err, d.Transfer)
	}
	if d.Obligations.Has(rules.TransferNotice) {
		t.Errorf("a route inside the EEA: transfer obligations %v", d.Obligations)
	}
	d, err = p.Decide(eligibility.Request{Contact: c, Message: msg(consent.SMS, "")})
	if err != nil || d.Verdict != eligibility.Deny || d.Reason != eligibility.ReasonRouteNotNamed || d.Rule != eligibility.RuleRoutes {
		t.Errorf("SMS naming no route, no default: %v %v", d, err)
	}
	d, err = p.Decide(eligibility.Request{Contact: c, Message: msg(consent.SMS, "sms")})
	if err != nil || d.Verdict != eligibility.Allow || d.Transfer.Route != "sms" {
		t.Errorf("SMS naming its route: %v %v", d, err)
	}
	d, err = p.Decide(eligibility.Request{Contact: c, Message: msg(consent.SMS, "nope")})
	if !errors.Is(err, eligibility.ErrUnknownRoute) || d.Verdict != eligibility.Deny || d.Reason != eligibility.ReasonRouteUnknown {
		t.Errorf("an unknown route: %v %v", d, err)
	}
	var fe *consent.FieldError
	if !errors.As(err, &fe) || fe.Field != "message.route" {
		t.Errorf("an unknown route: error %v, want a FieldError on message.route", err)
	}
	// A policy without routes: no check, but a named route is unknown.
	def, err := eligibility.Default()
	if err != nil {
		t.Fatal(err)
	}
	d, err = def.Decide(eligibility.Request{Contact: c, Message: msg(consent.Email, "")})
	if err != nil || d.Verdict != eligibility.Allow || d.Transfer != nil {
		t.Errorf("no routes: %v %v %v", d, err, d.Transfer)
	}
	if _, err = def.Decide(eligibility.Request{Contact: c, Message: msg(consent.Email, "esp")}); !errors.Is(err, eligibility.ErrUnknownRoute) {
		t.Errorf("no routes, a route named: %v", err)
	}
}

func TestTransferCompileErrors(t *testing.T) {
	sets, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	us := address.MustCountry("US")
	_, err = eligibility.Compile(sets, eligibility.Params{Routes: []rules.Route{{Name: "r", Hops: []rules.Hop{
		{ID: "a", Entity: "A Inc", Role: rules.Processor, Processing: []address.Country{us}, From: "b"},
		{ID: "b", Entity: "B Inc", Role: rules.Processor, Processing: []address.Country{us}, From: "a"},
	}}}})
	if err == nil || !strings.Contains(err.Error(), "routes: route r: hop a: its from chain is a cycle") {
		t.Errorf("a cycle: %v", err)
	}
	_, err = eligibility.Compile(sets, eligibility.Params{Transfers: eligibility.TransferParams{DPFCheckMaxAgeDays: 400}})
	if err == nil || !strings.Contains(err.Error(), "dpf_check_max_age_days") {
		t.Errorf("a check age of 400 days: %v", err)
	}
}

// The decision's JSON form carries the transfer, and reads back strictly.
func TestTransferDecisionJSON(t *testing.T) {
	p := transferPolicy(t, strings.Replace(usESP, "%s\n",
		"          - {kind: dpf, framework: eu_us, status: active, covered: non_hr, checked_at: 2026-11-07}\n", 1), eligibility.TransferParams{})
	c := transferContact("FR")
	d, err := p.Decide(eligibility.Request{Contact: c, Message: consent.Message{Purpose: consent.MarketingGeneral, Channel: consent.Email,
		Sender: consent.Sender{Entity: "Maison Exemple SAS", Kind: consent.Company, Country: address.MustCountry("FR")}, At: day("2026-11-10")}})
	if err != nil || d.Transfer == nil {
		t.Fatal(d, err)
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var back eligibility.Decision
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if diff := cmp.Diff(d, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	bad := strings.Replace(string(b), `"at_risk":true,"from"`, `"at_risk":true,"At_Risk":true,"from"`, 1)
	if bad == string(b) {
		t.Fatalf("no at_risk in %s", b)
	}
	if err := json.Unmarshal([]byte(bad), &back); err == nil {
		t.Error("a case variant of a transfer key decoded")
	}
}

// Explain's audit carries what Decide gives: on an allow each hop's basis
// and the transfer obligations, on a deny the hop and what it lacks; the
// audited request records the route named, and the audit reads back.
func TestTransferExplain(t *testing.T) {
	const routes = `routes:
  - name: esp
    hops:
      - id: esp
        entity: Example Mail Inc.
        role: processor
        processing: [US]
        mechanisms:
          - {kind: scc_2021, module: 2, signed_at: 2021-07-01, tia: {ref: TIA-1, assessed_at: 2021-07-01, next_review_at: 2027-01-01}}
      - {id: analytics, entity: Example Analytics Ltd, role: subprocessor, processing: [GB], from: esp}
  - name: bare
    hops:
      - {id: gw, entity: Example SMS Inc., role: processor, processing: [US]}
`
	p := transferPolicy(t, routes, eligibility.TransferParams{})
	for _, tt := range []struct {
		route   string
		verdict eligibility.Verdict
		hops    []string
		detail  string // a deny's Detail
	}{
		{"esp", eligibility.Allow, []string{"esp EU allow scc_2021:module_2", "analytics EU allow adequacy:EU-2021/1772"}, ""},
		{"bare", eligibility.Deny, []string{"gw EU deny TRANSFER_NO_MECHANISM"},
			"hop gw (Example SMS Inc.), EU transfers: no adequacy, safeguard or derogation covers the transfer to US"},
	} {
		req := eligibility.Request{Ref: "send-1", Contact: transferContact("FR"), Message: consent.Message{
			Purpose: consent.MarketingGeneral, Channel: consent.Email, Route: tt.route, At: day("2026-11-10"),
			Sender: consent.Sender{Entity: "Maison Exemple SAS", Kind: consent.Company, Country: address.MustCountry("FR")}}}
		d, err := p.Decide(req)
		if err != nil {
			t.Fatal(err)
		}
		a, err := p.Explain(req, nil)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(d, a.Decision); diff != "" {
			t.Errorf("%s: Explain's decision differs from Decide's (-decide +explain):\n%s", tt.route, diff)
		}
		if a.Decision.Verdict != tt.verdict || a.Decision.Transfer == nil || a.Request.Route != tt.route {
			t.Fatalf("%s: %v, transfer %+v, audited route %q", tt.route, a.Decision, a.Decision.Transfer, a.Request.Route)
		}
		if diff := cmp.Diff(tt.hops, hopLines(a.Decision.Transfer)); diff != "" {
			t.Errorf("%s: hops (-want +got):\n%s", tt.route, diff)
		}
		notice := a.Decision.Obligations.Has(rules.TransferNotice) && a.Decision.Obligations.Has(rules.TransferRecord)
		if notice != (tt.verdict == eligibility.Allow) || a.Decision.Detail != tt.detail {
			t.Errorf("%s: transfer obligations %v, detail %q, want %q", tt.route, a.Decision.Obligations, a.Decision.Detail, tt.detail)
		}
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		var back eligibility.Audit
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%s: %v\n%s", tt.route, err, b)
		}
		if diff := cmp.Diff(a, back, cmpopts.EquateEmpty(), cmpopts.EquateComparable(address.Country{})); diff != "" {
			t.Errorf("%s: the audit's round trip (-want +got):\n%s", tt.route, diff)
		}
	}
}

// benchRoutes is a route of two hops, at every instant of the audience's
// messages: a US e-mail service on the 2021 clauses with an assessment to
// review in 2099, and its UK analytics sub-processor under the UK's
// adequacy decision (to 27 December 2031).
const benchRoutes = `routes:
  - name: esp
    default_for: [email, sms]
    hops:
      - id: esp
        entity: Example Mail Inc.
        role: processor
        processing: [US]
        mechanisms:
          - {kind: scc_2021, module: 2, signed_at: 2021-07-01, tia: {ref: TIA-1, assessed_at: 2021-07-01, next_review_at: 2099-01-01}}
      - {id: analytics, entity: Example Analytics Ltd, role: subprocessor, processing: [GB], from: esp}
`

// TestDecideWithRouteDoesNotAllocate: the transfer check is a lookup, on
// the allow, deny and defer paths alike.
func TestDecideWithRouteDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	p := transferPolicy(t, benchRoutes, eligibility.TransferParams{})
	reqs := mixRequests(consent.Email)[:96]
	verdicts := map[string]int{}
	for _, req := range reqs {
		d, err := p.Decide(req)
		if err != nil {
			t.Fatal(err)
		}
		verdicts[d.Verdict.String()+" "+strings.Join(hopLines(d.Transfer), ",")]++
		if n := testing.AllocsPerRun(20, func() { _, _ = p.Decide(req) }); n != 0 {
			t.Errorf("Decide(%s) = %v allocates %v times per call, want 0", req.Contact.ID, d, n)
		}
	}
	if verdicts["allow esp EU allow scc_2021:module_2,analytics EU allow adequacy:EU-2021/1772"] == 0 || verdicts["deny "] == 0 {
		t.Errorf("verdicts %v: want allows through the route and denies", verdicts)
	}
	// A route whose transfer denies.
	deny := transferPolicy(t, strings.Replace(usESP, "%s\n", "          []\n", 1), eligibility.TransferParams{})
	for _, req := range reqs[:16] {
		d, _ := deny.Decide(req)
		if n := testing.AllocsPerRun(20, func() { _, _ = deny.Decide(req) }); n != 0 {
			t.Errorf("Decide(%s) = %v allocates %v times per call, want 0", req.Contact.ID, d, n)
		}
	}
}

// BenchmarkRoute measures the transfer check: the French e-mail mix of
// BenchmarkDecide decided by the reference (French law by hand), by the
// built-in policy, and by the built-in policy with a route of two hops
// (benchRoutes) checked for every allowed message, in the same run:
//
//	go test -run '^$' -bench Route -benchmem ./eligibility
//
// The ratio route / reference is the target of at most 3.
func BenchmarkRoute(b *testing.B) {
	reqs := mixRequests(consent.Email)
	b.Run("reference", func(b *testing.B) {
		ref := newReference(nil)
		b.ReportAllocs()
		cpu := processCPU()
		defer func() { b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op") }()
		i := 0
		for b.Loop() {
			ref.decide(&reqs[i%len(reqs)])
			i++
		}
	})
	for _, bc := range []struct {
		name   string
		policy func() *eligibility.Policy
	}{{"no-route", func() *eligibility.Policy { return evaluator(b) }},
		{"route", func() *eligibility.Policy { return transferPolicy(b, benchRoutes, eligibility.TransferParams{}) }}} {
		b.Run(bc.name, func(b *testing.B) {
			p := bc.policy()
			b.ReportAllocs()
			cpu := processCPU()
			defer func() { b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op") }()
			i := 0
			for b.Loop() {
				if _, err := p.Decide(reqs[i%len(reqs)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// TestTransferChecksInLawGuide: the legal guide has a section for each of
// the transfer check's own rule ids (rules' law test checks the sections'
// sources, from its own list of these ids).
func TestTransferChecksInLawGuide(t *testing.T) {
	law, err := os.ReadFile("../rules/builtin/LAW.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{eligibility.RuleRoutes, eligibility.RuleEUTransfers, eligibility.RuleUKTransfers} {
		if !strings.Contains(string(law), "\n### "+id+"\n") {
			t.Errorf("rules/builtin/LAW.md has no section %q", "### "+id)
		}
	}
}
