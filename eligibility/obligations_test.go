package eligibility_test

import (
	"encoding/json"
	"testing"

	"github.com/sendright/sendright/eligibility"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/rules"
)

// softOptInObligations returns the obligations of a soft opt-in decision
// under testdata/tiers: all four, from the base, the country and the rule.
func softOptInObligations(t *testing.T) eligibility.Obligations {
	t.Helper()
	p := tierPolicy(t, eligibility.Params{})
	c := newContact(t, "vic", "LU", consent.Consumer, withPurchases(purchase("buy-vic-1", "kettles", ruleAt.AddDate(0, -1, 0))))
	o, err := decide(p, c, message(consent.MarketingSimilar, consent.Email, "kettles", ruleAt))
	if err != nil || !isAllow(o) || o.Rule != "LU_T_SOFT_OPT_IN" {
		t.Fatalf("Decide: %+v, %v; want an allow by LU_T_SOFT_OPT_IN", o, err)
	}
	return o.Obligations
}

func TestObligations(t *testing.T) {
	o := softOptInObligations(t)
	if o.Len() != 4 {
		t.Errorf("Len() = %d, want 4", o.Len())
	}
	wantCites := map[rules.Obligation]string{
		rules.SenderIdentity:  citeBaseSI,
		rules.OptOut:          citeIEOO,
		rules.ObjectionNotice: citeRuleON,
		rules.AdLabel:         citeRuleAD,
	}
	for ob, cite := range wantCites {
		if !o.Has(ob) {
			t.Errorf("Has(%v) = false", ob)
		}
		if got := o.Citation(ob); got != cite {
			t.Errorf("Citation(%v) = %q, want %q", ob, got, cite)
		}
	}
	for _, ob := range []rules.Obligation{"", rules.ProofRetention, rules.CommercialCallPrefix, "list_unsubscribe", "Opt-Out"} {
		if o.Has(ob) || o.Citation(ob) != "" {
			t.Errorf("Has(%q) = %v, Citation(%q) = %q; want false, \"\"", ob, o.Has(ob), ob, o.Citation(ob))
		}
	}
	want := []obligationItem{
		{rules.SenderIdentity, citeBaseSI}, {rules.OptOut, citeIEOO},
		{rules.ObjectionNotice, citeRuleON}, {rules.AdLabel, citeRuleAD},
	}
	if diff := cmp.Diff(want, obligationList(o)); diff != "" {
		t.Errorf("All() (-want +got):\n%s", diff)
	}
	// All stops when the consumer does.
	n := 0
	for range o.All() {
		n++
		break
	}
	if n != 1 {
		t.Errorf("All() yielded %d after break", n)
	}
	if diff := cmp.Diff([]string{"sender_identity", "opt_out", "objection_notice", "ad_label"}, o.Names()); diff != "" {
		t.Errorf("Names() (-want +got):\n%s", diff)
	}
	if got := o.String(); got != "[sender_identity opt_out objection_notice ad_label]" {
		t.Errorf("String() = %q", got)
	}

	b, err := json.Marshal(o)
	if err != nil {
		t.Fatalf("MarshalJSON: %v", err)
	}
	var decoded []struct {
		Obligation string `json:"obligation"`
		Citation   string `json:"citation"`
	}
	if err := json.Unmarshal(b, &decoded); err != nil {
		t.Fatalf("MarshalJSON produced %s: %v", b, err)
	}
	wantJSON := []struct {
		Obligation string `json:"obligation"`
		Citation   string `json:"citation"`
	}{
		{"sender_identity", citeBaseSI}, {"opt_out", citeIEOO},
		{"objection_notice", citeRuleON}, {"ad_label", citeRuleAD},
	}
	if diff := cmp.Diff(wantJSON, decoded); diff != "" {
		t.Errorf("MarshalJSON (-want +got):\n%s", diff)
	}

	// Obligations inside an Outcome marshal the same way.
	var wrapped struct{ Obligations eligibility.Obligations }
	wrapped.Obligations = o
	wb, err := json.Marshal(wrapped)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"Obligations":` + string(b) + `}`; string(wb) != want {
		t.Errorf("in a struct: %s, want %s", wb, want)
	}

	// A copy is the same value.
	cp := o
	if diff := cmp.Diff(obligationList(o), obligationList(cp)); diff != "" {
		t.Errorf("copy differs:\n%s", diff)
	}
}

// A second decision does not change the obligations of the first: they
// belong to the compiled policy, not to the evaluation.
func TestObligationsStable(t *testing.T) {
	p := tierPolicy(t, eligibility.Params{})
	c := newContact(t, "wes", "LU", consent.Consumer, withPurchases(purchase("buy-wes-1", "kettles", ruleAt.AddDate(0, -1, 0))))
	first, err := decide(p, c, message(consent.MarketingSimilar, consent.Email, "kettles", ruleAt))
	if err != nil {
		t.Fatal(err)
	}
	before := obligationList(first.Obligations)
	for range 3 {
		if _, err := decide(p, c, message(consent.MarketingGeneral, consent.Email, "all_bases", ruleAt)); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(before, obligationList(first.Obligations)); diff != "" {
		t.Errorf("obligations changed (-before +after):\n%s", diff)
	}
}

func TestObligationsZero(t *testing.T) {
	var o eligibility.Obligations
	if o.Len() != 0 || o.Names() != nil {
		t.Errorf("zero Obligations: Len %d, Names %v", o.Len(), o.Names())
	}
	for _, ob := range append(rules.BuiltinObligations(), "", "list_unsubscribe") {
		if o.Has(ob) || o.Citation(ob) != "" {
			t.Errorf("zero Obligations: Has(%v) = %v, Citation %q", ob, o.Has(ob), o.Citation(ob))
		}
	}
	for ob := range o.All() {
		t.Errorf("zero Obligations: All yielded %v", ob)
	}
	if o.String() != "[]" {
		t.Errorf("zero Obligations: String() = %q, want []", o.String())
	}
	b, err := json.Marshal(o)
	if err != nil || string(b) != "[]" {
		t.Errorf("zero Obligations: MarshalJSON = %s, %v; want []", b, err)
	}

	// A deny outcome carries the zero value.
	p := tierPolicy(t, eligibility.Params{})
	d, err := decide(p, newContact(t, "xia", "LU", consent.Consumer), message(consent.MarketingGeneral, consent.Email, "banned", ruleAt))
	if err != nil || isAllow(d) {
		t.Fatalf("want a deny: %+v, %v", d, err)
	}
	if b, _ := json.Marshal(d.Obligations); d.Obligations.Len() != 0 || string(b) != "[]" {
		t.Errorf("deny: obligations %s", b)
	}
}

// The built-in French soft opt-in carries the French citations, not the
// EU baseline's, where both name the obligation.
func TestObligationsBuiltinFR(t *testing.T) {
	p, err := eligibility.Default()
	if err != nil {
		t.Fatal(err)
	}
	c := newContact(t, "yan", "FR", consent.Consumer, withPurchases(purchase("buy-yan-1", "kettles", ruleAt.AddDate(0, -1, 0))))
	o, err := decide(p, c, message(consent.MarketingSimilar, consent.Email, "kettles", ruleAt))
	if err != nil || !isAllow(o) || o.Rule != "FR_SOFT_OPT_IN" {
		t.Fatalf("want an allow by FR_SOFT_OPT_IN: %+v, %v", o, err)
	}
	var fr, eu *rules.Set
	sets, _ := rules.Builtin()
	for _, s := range sets {
		switch s.Jurisdiction {
		case "FR":
			fr = s
		case "EU":
			eu = s
		}
	}
	want := map[rules.Obligation]string{}
	for _, refs := range [][]rules.ObligationRef{eu.Obligations, fr.Obligations} {
		for _, r := range refs {
			want[r.Obligation] = r.Citation
		}
	}
	for _, r := range fr.Rules {
		if r.ID == "FR_SOFT_OPT_IN" {
			for _, ref := range r.Obligations {
				want[ref.Obligation] = ref.Citation
			}
		}
	}
	got := map[rules.Obligation]string{}
	for ob, c := range o.Obligations.All() {
		got[ob] = c
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("obligations (-want +got):\n%s", diff)
	}
}
