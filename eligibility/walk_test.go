package eligibility_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/sendright/sendright/eligibility"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/rules"
)

// Citations of testdata/tiers, by obligation, as an allow rule of LU gets
// them.
var (
	citeBaseSI = "Base Act art. 1 (sender identity)"
	citeBaseOO = "Base Act art. 2 (opt-out)"
	citeIEOO   = "LU Act s. 2 (opt-out)"
	citeIEAD   = "LU Act s. 3 (ad label)"
	citeRuleON = "LU Act s. 4 (objection notice)"
	citeRuleAD = "LU Act s. 3A (ad label, soft opt-in)"
)

// evalCase is one decision on the tier policy and what it must return.
type evalCase struct {
	name    string
	contact *consent.Contact
	msg     *consent.Message
	want    eligibility.Decision
	// obligations, when non-nil, are the obligations the outcome must carry;
	// nil means none.
	obligations []obligationItem
}

func runEvalCases(t *testing.T, p *eligibility.Policy, cases []evalCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decide(p, tc.contact, tc.msg)
			if err != nil {
				t.Fatalf("Decide: %v", err)
			}
			if diff := cmp.Diff(tc.obligations, obligationList(got.Obligations)); diff != "" {
				t.Errorf("obligations (-want +got):\n%s", diff)
			}
			got.Obligations = eligibility.Obligations{}
			want := tc.want
			if want.Purpose == 0 && tc.msg != nil { // not reclassified: decided under its own purpose
				want.Purpose = tc.msg.Purpose
			}
			if diff := cmp.Diff(recipientRegime(want), got, outcomeCmp); diff != "" {
				t.Errorf("outcome (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWalkTiers(t *testing.T) {
	p := tierPolicy(t, eligibility.Params{})
	day := func(d int) time.Time { return ruleAt.AddDate(0, 0, -d) }
	consumer := newContact(t, "ann", "LU", consent.Consumer)
	withConsent := newContact(t, "bob", "LU", consent.Consumer,
		withRecords(t, grant("rec-bob-1", "bob", consent.MarketingGeneral, consent.Email, day(30))))
	// Every allow rule of LU matches this contact for an all_bases
	// marketing_similar message.
	everything := newContact(t, "cay", "LU", consent.BusinessNamed,
		withRecords(t, grant("rec-cay-1", "cay", consent.MarketingSimilar, consent.Email, day(20))),
		withPurchases(purchase("buy-cay-1", "all_bases", day(10))))
	noConsent := newContact(t, "dan", "LU", consent.BusinessNamed,
		withPurchases(purchase("buy-dan-1", "all_bases", day(10))))
	reviewBuyer := newContact(t, "eve", "LU", consent.Consumer,
		withPurchases(purchase("buy-eve-1", "review", day(3))))

	roleRelevant := func(m *consent.Message) *consent.Message { m.RoleRelevant = true; return m }

	runEvalCases(t, p, []evalCase{
		{
			name:    "exempt: a transactional message with no promotional element",
			contact: withConsent,
			msg:     message(consent.Transactional, consent.Email, "", ruleAt),
			want: eligibility.Decision{Verdict: eligibility.Allow, Jurisdiction: "LU", Basis: rules.Transactional,
				Rule: "EU_T_TRANSACTIONAL", Reason: "TRANSACTIONAL", Citation: "Base Act art. 5 (service messages)"},
		},
		{
			name:    "a transactional message promoting a banned category is marketing: the deny decides",
			contact: withConsent,
			msg:     message(consent.Transactional, consent.Email, "banned", ruleAt),
			want: eligibility.Decision{Verdict: eligibility.Deny, Jurisdiction: "LU", Basis: rules.NoLegalBasis, Rule: "EU_T_DENY_BANNED",
				Reason: "BANNED_CATEGORY", Citation: "Base Act art. 4 (banned category)",
				Purpose: consent.MarketingGeneral, Reclassified: eligibility.PromotedCategory},
		},
		{
			name:    "deny beats allow",
			contact: withConsent,
			msg:     message(consent.MarketingGeneral, consent.Email, "banned", ruleAt),
			want: eligibility.Decision{Verdict: eligibility.Deny, Jurisdiction: "LU", Basis: rules.NoLegalBasis, Rule: "EU_T_DENY_BANNED",
				Reason: "BANNED_CATEGORY", Citation: "Base Act art. 4 (banned category)"},
		},
		{
			name:    "allow: consent is the strongest basis, though the base's rule comes last",
			contact: everything,
			msg:     roleRelevant(message(consent.MarketingSimilar, consent.Email, "all_bases", ruleAt)),
			want: eligibility.Decision{Verdict: eligibility.Allow, Jurisdiction: "LU", Basis: rules.Consent, Rule: "EU_T_CONSENT",
				Reason: "CONSENT", Citation: "Base Act art. 3",
				Evidence: eligibility.Evidence{Kind: eligibility.RecordEvidence, ID: "rec-cay-1"}},
			obligations: []obligationItem{{rules.SenderIdentity, citeBaseSI}, {rules.OptOut, citeIEOO}, {rules.AdLabel, citeIEAD}},
		},
		{
			name:    "allow: soft opt-in beats B2B and not personal data",
			contact: noConsent,
			msg:     roleRelevant(message(consent.MarketingSimilar, consent.Email, "all_bases", ruleAt)),
			want: eligibility.Decision{Verdict: eligibility.Allow, Jurisdiction: "LU", Basis: rules.SoftOptIn, Rule: "LU_T_SOFT_OPT_IN",
				Reason: "SOFT_OPT_IN", Citation: "LU Act s. 12",
				Evidence: eligibility.Evidence{Kind: eligibility.PurchaseEvidence, ID: "buy-dan-1"}},
			obligations: []obligationItem{{rules.SenderIdentity, citeBaseSI}, {rules.OptOut, citeIEOO},
				{rules.ObjectionNotice, citeRuleON}, {rules.AdLabel, citeRuleAD}},
		},
		{
			name:    "allow: B2B beats not personal data",
			contact: noConsent,
			msg:     roleRelevant(message(consent.MarketingGeneral, consent.Email, "all_bases", ruleAt)),
			want: eligibility.Decision{Verdict: eligibility.Allow, Jurisdiction: "LU", Basis: rules.B2BOptOut, Rule: "LU_T_B2B",
				Reason: "B2B", Citation: "LU Act s. 11"},
			obligations: []obligationItem{{rules.SenderIdentity, citeBaseSI}, {rules.OptOut, citeIEOO}, {rules.AdLabel, citeIEAD}},
		},
		{
			name:    "allow: not personal data alone",
			contact: newContact(t, "info", "LU", consent.BusinessGeneric),
			msg:     message(consent.MarketingGeneral, consent.Email, "books", ruleAt),
			want: eligibility.Decision{Verdict: eligibility.Allow, Jurisdiction: "LU", Basis: rules.NotPersonalData, Rule: "LU_T_NOT_PERSONAL",
				Reason: "NOT_PERSONAL", Citation: "LU Act s. 10"},
			obligations: []obligationItem{{rules.SenderIdentity, citeBaseSI}, {rules.OptOut, citeIEOO}, {rules.AdLabel, citeIEAD}},
		},
		{
			name:    "needs_review: a clean weaker match wins over a stronger review match",
			contact: reviewBuyer,
			msg:     message(consent.MarketingSimilar, consent.Email, "review", ruleAt),
			want: eligibility.Decision{Verdict: eligibility.Allow, Jurisdiction: "LU", Basis: rules.SoftOptIn, Rule: "LU_T_SOFT_OPT_IN",
				Reason: "SOFT_OPT_IN", Citation: "LU Act s. 12",
				Evidence: eligibility.Evidence{Kind: eligibility.PurchaseEvidence, ID: "buy-eve-1"}},
			obligations: []obligationItem{{rules.SenderIdentity, citeBaseSI}, {rules.OptOut, citeIEOO},
				{rules.ObjectionNotice, citeRuleON}, {rules.AdLabel, citeRuleAD}},
		},
		{
			name:    "needs_review: alone, the strongest review match decides as a deny",
			contact: consumer,
			msg:     message(consent.MarketingGeneral, consent.Email, "review", ruleAt),
			want: eligibility.Decision{Verdict: eligibility.Deny, Jurisdiction: "LU", Basis: rules.NoLegalBasis, Rule: "LU_T_REVIEW_CONSENT",
				Reason: "REVIEW_CONSENT", Citation: "LU Act s. 14", NeedsReview: true},
		},
		{
			name:    "no_basis: the country's rule before the base's",
			contact: consumer,
			msg:     message(consent.MarketingGeneral, consent.Email, "no_basis_both", ruleAt),
			want: eligibility.Decision{Verdict: eligibility.Deny, Jurisdiction: "LU", Basis: rules.NoLegalBasis, Rule: "LU_T_NB_FIRST",
				Reason: "NB_COUNTRY_FIRST", Citation: "LU Act s. 30"},
		},
		{
			name:    "no_basis: the first match in the file",
			contact: consumer,
			msg:     message(consent.MarketingGeneral, consent.Email, "no_basis_country", ruleAt),
			want: eligibility.Decision{Verdict: eligibility.Deny, Jurisdiction: "LU", Basis: rules.NoLegalBasis, Rule: "LU_T_NB_FIRST",
				Reason: "NB_COUNTRY_FIRST", Citation: "LU Act s. 30"},
		},
		{
			name:    "no_basis: the base's rule when the country has none",
			contact: newContact(t, "fay", "MT", consent.Consumer),
			msg:     message(consent.MarketingGeneral, consent.Email, "no_basis_both", ruleAt),
			want: eligibility.Decision{Verdict: eligibility.Deny, Jurisdiction: "MT", Basis: rules.NoLegalBasis, Rule: "EU_T_NB_BASE",
				Reason: "NB_BASE", Citation: "Base Act art. 9"},
		},
		{
			name:    "no_basis: not reached when an allow matched",
			contact: withConsent,
			msg:     message(consent.MarketingGeneral, consent.Email, "no_basis_both", ruleAt),
			want: eligibility.Decision{Verdict: eligibility.Allow, Jurisdiction: "LU", Basis: rules.Consent, Rule: "EU_T_CONSENT",
				Reason: "CONSENT", Citation: "Base Act art. 3",
				Evidence: eligibility.Evidence{Kind: eligibility.RecordEvidence, ID: "rec-bob-1"}},
			obligations: []obligationItem{{rules.SenderIdentity, citeBaseSI}, {rules.OptOut, citeIEOO}, {rules.AdLabel, citeIEAD}},
		},
		{
			name:    "nothing matches: NO_LEGAL_BASIS",
			contact: consumer,
			msg:     message(consent.MarketingGeneral, consent.Email, "books", ruleAt),
			want: eligibility.Decision{Verdict: eligibility.Deny, Jurisdiction: "LU", Basis: rules.NoLegalBasis, Reason: eligibility.ReasonNoLegalBasis,
				Detail: "no rule allows this message"},
		},
		{
			name: "a base allow rule in a country without obligations of its own",
			contact: newContact(t, "gus", "MT", consent.Consumer,
				withRecords(t, grant("rec-gus-1", "gus", consent.MarketingGeneral, consent.Email, day(1)))),
			msg: message(consent.ConsentRequest, consent.Email, "", ruleAt),
			want: eligibility.Decision{Verdict: eligibility.Allow, Jurisdiction: "MT", Basis: rules.Consent, Rule: "EU_T_CONSENT",
				Reason: "CONSENT", Citation: "Base Act art. 3",
				Evidence: eligibility.Evidence{Kind: eligibility.RecordEvidence, ID: "rec-gus-1"}},
			obligations: []obligationItem{{rules.SenderIdentity, citeBaseSI}, {rules.OptOut, citeBaseOO}},
		},
		{
			name:    "SMS is inherited from the base's channels",
			contact: consumer,
			msg:     message(consent.Transactional, consent.SMS, "", ruleAt),
			want: eligibility.Decision{Verdict: eligibility.Allow, Jurisdiction: "LU", Basis: rules.Transactional,
				Rule: "EU_T_TRANSACTIONAL", Reason: "TRANSACTIONAL", Citation: "Base Act art. 5 (service messages)"},
		},
		{
			name:    "NO_RULES",
			contact: newContact(t, "hal", "AT", consent.Consumer),
			msg:     message(consent.Transactional, consent.Email, "", ruleAt),
			want: eligibility.Decision{Verdict: eligibility.Deny, Jurisdiction: "AT", Basis: rules.NoLegalBasis, Reason: eligibility.ReasonNoRules,
				Detail: "no rules for AT"},
		},
		{
			name:    "NO_RULES: the UK alias is GB",
			contact: newContact(t, "ian", "UK", consent.Consumer),
			msg:     message(consent.Transactional, consent.Email, "", ruleAt),
			want: eligibility.Decision{Verdict: eligibility.Deny, Jurisdiction: "GB", Basis: rules.NoLegalBasis, Reason: eligibility.ReasonNoRules,
				Detail: "no rules for GB"},
		},
		{
			name:    "NO_RULES_FOR_CHANNEL: a channel no set lists",
			contact: consumer,
			msg:     message(consent.Transactional, consent.Push, "", ruleAt),
			want: eligibility.Decision{Verdict: eligibility.Deny, Jurisdiction: "LU", Basis: rules.NoLegalBasis, Reason: eligibility.ReasonNoRulesForChannel,
				Detail: "no rules for push messages in LU"},
		},
		{
			name:    "NO_RULES_FOR_CHANNEL: the country narrows the base's channels",
			contact: newContact(t, "jon", "MT", consent.Consumer),
			msg:     message(consent.Transactional, consent.SMS, "", ruleAt),
			want: eligibility.Decision{Verdict: eligibility.Deny, Jurisdiction: "MT", Basis: rules.NoLegalBasis, Reason: eligibility.ReasonNoRulesForChannel,
				Detail: "no rules for sms messages in MT"},
		},
	})
}

func TestWalkValidity(t *testing.T) {
	p := tierPolicy(t, eligibility.Params{})
	c := newContact(t, "kim", "LU", consent.Consumer)
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) // written as 02:00+02:00
	until := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		at      time.Time
		applies bool
	}{
		{"long before valid_from", from.AddDate(-1, 0, 0), false},
		{"just before valid_from", from.Add(-time.Nanosecond), false},
		{"exactly at valid_from", from, true},
		{"exactly at valid_from, in another zone", from.In(paris), true},
		{"inside", from.AddDate(0, 0, 15), true},
		{"just before valid_until", until.Add(-time.Nanosecond), true},
		{"exactly at valid_until", until, false},
		{"after valid_until", until.Add(time.Hour), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decide(p, c, message(consent.MarketingGeneral, consent.Email, "seasonal", tc.at))
			if err != nil {
				t.Fatalf("Decide: %v", err)
			}
			if applied := got.Rule == "LU_T_SEASONAL_BAN"; applied != tc.applies {
				t.Errorf("at %v: rule %q (reason %s), want the seasonal ban applied = %v", tc.at, got.Rule, got.Reason, tc.applies)
			}
			if isAllow(got) {
				t.Errorf("at %v: allowed by %s", tc.at, got.Rule)
			}
		})
	}
}

func TestWalkSimilarityGroups(t *testing.T) {
	groups := eligibility.Params{SimilarityGroups: map[string][]string{
		"small_kitchen_appliances": {"kettles", "toasters"},
		"garden":                   {"mowers", "hoses"},
	}}
	with := tierPolicy(t, groups)
	without := tierPolicy(t, eligibility.Params{})
	c := newContact(t, "lea", "LU", consent.Consumer, withPurchases(
		purchase("buy-lea-1", "kettles", ruleAt.AddDate(0, -2, 0)),
	))
	tests := []struct {
		name     string
		p        *eligibility.Policy
		category string
		want     bool
	}{
		{"same category, no groups", without, "kettles", true},
		{"same category, with groups", with, "kettles", true},
		{"group member, no groups", without, "toasters", false},
		{"group member, with groups", with, "toasters", true},
		{"other group", with, "mowers", false},
		{"in no group", with, "blenders", false},
		{"no category", with, "", false},
		{"same category, other spelling", without, " KETTLES", true},
		{"group member, other spelling", with, "Toasters\u200b", true},
		{"separators only", with, " _-", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decide(tc.p, c, message(consent.MarketingSimilar, consent.Email, tc.category, ruleAt))
			if err != nil {
				t.Fatalf("Decide: %v", err)
			}
			if isAllow(got) != tc.want {
				t.Fatalf("Allowed = %v (rule %q, reason %s), want %v", isAllow(got), got.Rule, got.Reason, tc.want)
			}
			if tc.want {
				want := eligibility.Evidence{Kind: eligibility.PurchaseEvidence, ID: "buy-lea-1"}
				if got.Rule != "LU_T_SOFT_OPT_IN" || got.Evidence != want {
					t.Errorf("rule %s, evidence %+v; want LU_T_SOFT_OPT_IN, %+v", got.Rule, got.Evidence, want)
				}
			}
		})
	}
	// A purchase of the message's group from another seller does not count.
	other := newContact(t, "max", "LU", consent.Consumer, withPurchases(consent.Interaction{
		ID: "buy-max-1", At: ruleAt.AddDate(0, -1, 0), Seller: "other-seller.example", Category: "kettles",
		Collected: contactAddresses, OptOutOffered: true,
	}))
	if got, err := decide(with, other, message(consent.MarketingSimilar, consent.Email, "toasters", ruleAt)); err != nil || isAllow(got) {
		t.Errorf("purchase from another seller: allowed %v by %s, err %v", isAllow(got), got.Rule, err)
	}
}

func TestWalkInvalidInput(t *testing.T) {
	p := tierPolicy(t, eligibility.Params{})
	valid := newContact(t, "ned", "LU", consent.Consumer)
	noEmail := newContact(t, "oli", "LU", consent.Consumer, func(c *consent.Contact) { c.Email = address.Address{} })
	badKind := newContact(t, "pam", "LU", consent.Consumer)
	badKind.Kind = 0
	noZone := newContact(t, "quin", "LU", consent.Consumer)
	noZone.Location = nil

	okMsg := message(consent.MarketingGeneral, consent.Email, "", ruleAt)
	noAt := message(consent.MarketingGeneral, consent.Email, "", time.Time{})
	badPurpose := message(consent.AllMarketing, consent.Email, "", ruleAt)
	badChannel := message(consent.MarketingGeneral, consent.AllChannels, "", ruleAt)
	noSender := message(consent.MarketingGeneral, consent.Email, "", ruleAt)
	noSender.Sender.Entity = ""

	tests := []struct {
		name    string
		c       *consent.Contact
		m       *consent.Message
		want    error
		field   string
		anyZone bool
	}{
		{"nil contact", nil, okMsg, consent.ErrMissing, "contact", false},
		{"message without instant", valid, noAt, consent.ErrMissing, "message.at", false},
		{"message purpose all_marketing", valid, badPurpose, consent.ErrUnknownValue, "message.purpose", false},
		{"message channel all", valid, badChannel, consent.ErrUnknownValue, "message.channel", false},
		{"message without sender", valid, noSender, consent.ErrMissing, "message.sender.entity", false},
		{"contact without kind", badKind, okMsg, consent.ErrUnknownValue, "contact.kind", false},
		{"contact without time zone", noZone, okMsg, consent.ErrMissing, "contact.time_zone", false},
		{"email message to a contact without email", noEmail, okMsg, consent.ErrMissing, "contact.email", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decide(p, tc.c, tc.m)
			if !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want one wrapping %v", err, tc.want)
			}
			var fe *consent.FieldError
			if !errors.As(err, &fe) || fe.Field != tc.field {
				t.Errorf("error %v: want a *consent.FieldError for %s", err, tc.field)
			}
			if errors.Is(err, eligibility.ErrEvaluation) || errors.Is(err, rules.ErrInvalid) {
				t.Errorf("error %v wraps a rules sentinel", err)
			}
			if isAllow(got) || got.Reason != eligibility.ReasonInvalidRequest || got.Basis != rules.NoLegalBasis ||
				got.Rule != "" || got.Obligations.Len() != 0 || got.Detail == "" {
				t.Errorf("outcome %+v: want a deny with reason %s, basis no_legal_basis and a detail",
					got, eligibility.ReasonInvalidRequest)
			}
		})
	}
}

// Decide documents that invalid input returns an error with a deny
// outcome. A Request cannot carry a nil message, but the walk, shared with
// Explain, refuses one like a nil contact rather than panic; the test
// reaches it through the test-only DecideMessage.
func TestWalkNilMessage(t *testing.T) {
	p := tierPolicy(t, eligibility.Params{})
	c := newContact(t, "rae", "LU", consent.Consumer)
	var (
		got      eligibility.Decision
		err      error
		panicked any
	)
	func() {
		defer func() { panicked = recover() }()
		got, err = decide(p, c, nil)
	}()
	if panicked != nil {
		t.Fatalf("Decide(contact, nil) panics: %v", panicked)
	}
	if !errors.Is(err, consent.ErrMissing) || isAllow(got) || got.Reason != eligibility.ReasonInvalidRequest {
		t.Errorf("Decide(contact, nil) = %+v, %v; want INVALID_REQUEST and an error wrapping consent.ErrMissing", got, err)
	}
}

func TestWalkRuntimeError(t *testing.T) {
	p := tierPolicy(t, eligibility.Params{})
	c := newContact(t, "sam", "LU", consent.Consumer,
		withRecords(t, grant("rec-sam-1", "sam", consent.MarketingGeneral, consent.Email, ruleAt.AddDate(0, -1, 0))))
	got, err := decide(p, c, message(consent.MarketingGeneral, consent.Email, "boom", ruleAt))
	if !errors.Is(err, eligibility.ErrEvaluation) {
		t.Fatalf("error %v, want one wrapping ErrEvaluation", err)
	}
	var ee *eligibility.EvalError
	if !errors.As(err, &ee) || ee.Rule != "LU_T_HOST_FAILS" {
		t.Errorf("error %v: want an *EvalError for LU_T_HOST_FAILS", err)
	}
	want := eligibility.Decision{Verdict: eligibility.Deny, Jurisdiction: "LU", Basis: rules.NoLegalBasis, Rule: "LU_T_HOST_FAILS",
		Reason: eligibility.ReasonHostFunctionFailed, Citation: "LU Act s. 21", Detail: err.Error(), Purpose: consent.MarketingGeneral}
	if diff := cmp.Diff(recipientRegime(want), got, outcomeCmp); diff != "" {
		t.Errorf("outcome (-want +got):\n%s", diff)
	}
	// The policy still works afterwards (the pooled state was released).
	if got, err := decide(p, c, message(consent.MarketingGeneral, consent.Email, "books", ruleAt)); err != nil || !isAllow(got) {
		t.Errorf("after a runtime error: %+v, %v", got, err)
	}
}

// Consent evidence and state come from the ledger at the message instant.
func TestWalkLedger(t *testing.T) {
	p := tierPolicy(t, eligibility.Params{})
	grantAt := ruleAt.AddDate(0, -1, 0)
	c := newContact(t, "tia", "LU", consent.Consumer, withRecords(t,
		grant("rec-tia-1", "tia", consent.MarketingGeneral, consent.Email, grantAt),
		grant("rec-tia-2", "tia", consent.MarketingGeneral, consent.SMS, grantAt.Add(time.Hour)),
	))
	tests := []struct {
		name     string
		m        *consent.Message
		allowed  bool
		evidence eligibility.Evidence
	}{
		{"email consent", message(consent.MarketingGeneral, consent.Email, "", ruleAt), true,
			eligibility.Evidence{Kind: eligibility.RecordEvidence, ID: "rec-tia-1"}},
		{"sms consent", message(consent.MarketingGeneral, consent.SMS, "", ruleAt), true,
			eligibility.Evidence{Kind: eligibility.RecordEvidence, ID: "rec-tia-2"}},
		{"before the grant", message(consent.MarketingGeneral, consent.Email, "", grantAt.Add(-time.Second)), false, eligibility.Evidence{}},
		{"third-party marketing is not covered", message(consent.MarketingThirdParty, consent.Email, "", ruleAt), false, eligibility.Evidence{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decide(p, c, tc.m)
			if err != nil {
				t.Fatal(err)
			}
			if isAllow(got) != tc.allowed || got.Evidence != tc.evidence {
				t.Errorf("Allowed %v, evidence %+v (rule %s); want %v, %+v", isAllow(got), got.Evidence, got.Rule, tc.allowed, tc.evidence)
			}
		})
	}
}

// The policy does not change when what it was compiled from (the sets,
// their rules, obligations, channels and parameters, the host's
// parameters) is changed afterwards, nor when what Sets and Rules return
// is: Compile keeps deep copies, and Sets and Rules return copies.
func TestPolicyImmutable(t *testing.T) {
	sets := readSets(t, "tiers/eu.yaml", "tiers/lu.yaml", "tiers/mt.yaml")
	params := eligibility.Params{
		Functions:        []eligibility.Function{failingFunction},
		SimilarityGroups: map[string][]string{"small_kitchen_appliances": {"kettles", "toasters"}},
		EntityAliases:    [][]string{{"Maison Exemple SAS", "SIREN 000000000"}},
	}
	p := mustCompile(t, sets, params)
	requests := []struct {
		c *consent.Contact
		m *consent.Message
	}{
		{newContact(t, "uma", "LU", consent.Consumer), message(consent.MarketingGeneral, consent.Email, "banned", ruleAt)},
		{newContact(t, "ula", "LU", consent.BusinessGeneric), message(consent.MarketingGeneral, consent.Email, "all_bases", ruleAt)},
		{newContact(t, "uri", "LU", consent.Consumer), message(consent.MarketingGeneral, consent.Email, "boom", ruleAt)},
	}
	snapshot := func() (decisions []eligibility.Decision, errs []string, rulesIE []rules.Rule, sets []*rules.Set) {
		for _, r := range requests {
			d, err := decide(p, r.c, r.m)
			decisions = append(decisions, d)
			errs = append(errs, fmt.Sprint(err))
		}
		return decisions, errs, p.Rules("LU"), p.Sets()
	}
	version := p.Version()
	decisions, errs, rulesIE, setsBefore := snapshot()
	if !isAllow(decisions[1]) || decisions[1].Obligations.Len() == 0 {
		t.Fatalf("decision %+v: want an allow with obligations, so that changing them would show", decisions[1])
	}

	// Change everything the caller still holds, and what the policy returned.
	for _, ss := range [][]*rules.Set{sets, p.Sets()} {
		for _, s := range ss {
			s.Title, s.Extends = "changed", ""
			s.Parameters = rules.SetParameters{DigitalConsentAge: 13, MinorConsent: "joint"}
			for i := range s.Channels {
				s.Channels[i] = consent.SMS
			}
			for i := range s.Obligations {
				s.Obligations[i].Citation = "changed"
			}
			for i := range s.Rules {
				r := &s.Rules[i]
				r.ID, r.Reason, r.Citation, r.Condition, r.NeedsReview = "CHANGED", "CHANGED", "changed", "true", true
				r.Effect, r.Basis = rules.Allow, rules.Consent
				for k := range r.Obligations {
					r.Obligations[k].Citation = "changed"
				}
			}
		}
	}
	for _, r := range p.Rules("LU") {
		for k := range r.Obligations {
			r.Obligations[k].Citation = "changed"
		}
	}
	sets[0] = nil
	params.Functions[0] = eligibility.Func("registryFails", "2", func(*consent.Contact, *consent.Message) (bool, error) { return true, nil })
	params.SimilarityGroups["small_kitchen_appliances"][0] = "changed"
	params.SimilarityGroups["changed"] = []string{"books"}
	params.EntityAliases[0][1] = "Changed Ltd"

	if p.Version() != version {
		t.Errorf("Version changed from %s to %s", version, p.Version())
	}
	decisionsAfter, errsAfter, rulesAfter, setsAfter := snapshot()
	if diff := cmp.Diff(decisions, decisionsAfter, outcomeCmp); diff != "" {
		t.Errorf("decisions changed (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(errs, errsAfter); diff != "" {
		t.Errorf("errors changed (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(rulesIE, rulesAfter, cmpopts.IgnoreUnexported(rules.Rule{})); diff != "" {
		t.Errorf("Rules(LU) changed (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(setsBefore, setsAfter, cmpopts.IgnoreUnexported(rules.Set{}, rules.Rule{})); diff != "" {
		t.Errorf("Sets() changed (-before +after):\n%s", diff)
	}
	if !p.Aliases().Same("Maison Exemple SAS", "SIREN 000000000") || p.Aliases().Same("Maison Exemple SAS", "Changed Ltd") {
		t.Error("the policy's entity aliases follow the caller's slice")
	}
}
