package eligibility_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

// hostObligationSet is a set whose allow rule carries a built-in and a
// host obligation, beside the set's own.
const hostObligationSet = `jurisdiction: FR
title: host obligations
channels: [email]
obligations:
  - obligation: sender_identity
    citation: Fictional Act s. 1
  - obligation: list_unsubscribe
    citation: House policy E-3; RFC 8058
rules:
  - id: HOST_DENY
    channels: [all]
    effect: deny
    reason: HOUSE_DENY
    citation: House policy 1
    condition: request.category == 'wine'
  - id: HOST_ALLOW
    channels: [all]
    effect: allow
    basis: consent
    reason: HOUSE_ALLOW
    citation: House policy 2
    condition: "true"
    obligations:
      - obligation: brand_footer
        citation: House policy B-1
      - obligation: opt_out
        citation: Fictional Act s. 2
`

var hostObligations = []eligibility.HostObligation{
	{Name: "brand_footer", Description: "the brand's legal footer"},
	{Name: "list_unsubscribe", Description: "a List-Unsubscribe header with a one-click URL"},
}

// A host obligation named by a set or a rule is part of an allow's
// obligations, like a built-in one: Has, Citation, All, Names, String,
// JSON and go-cmp all see it.
func TestHostObligations(t *testing.T) {
	p := mustCompile(t, []*rules.Set{mustParse(t, "host.yaml", hostObligationSet)}, eligibility.Params{Obligations: hostObligations})
	c := newContact(t, "lea", "FR", consent.Consumer)
	d, err := decide(p, c, message(consent.MarketingGeneral, consent.Email, "books", ruleAt))
	if err != nil || d.Verdict != eligibility.Allow {
		t.Fatalf("Decide = %v, %v; want an allow", d, err)
	}
	o := d.Obligations
	want := []obligationItem{
		{rules.SenderIdentity, "Fictional Act s. 1"}, {rules.OptOut, "Fictional Act s. 2"},
		{"brand_footer", "House policy B-1"}, {"list_unsubscribe", "House policy E-3; RFC 8058"},
	}
	if diff := cmp.Diff(want, obligationList(o)); diff != "" {
		t.Errorf("All() (-want +got):\n%s", diff)
	}
	for _, w := range want {
		if !o.Has(w.Obligation) || o.Citation(w.Obligation) != w.Citation {
			t.Errorf("Has(%s) = %v, Citation = %q; want true, %q", w.Obligation, o.Has(w.Obligation), o.Citation(w.Obligation), w.Citation)
		}
	}
	for _, ob := range []rules.Obligation{rules.AdLabel, "list_unsubscrib", ""} {
		if o.Has(ob) || o.Citation(ob) != "" {
			t.Errorf("Has(%q) = true", ob)
		}
	}
	if o.Len() != 4 || o.String() != "[sender_identity opt_out brand_footer list_unsubscribe]" {
		t.Errorf("Len %d, String %s", o.Len(), o)
	}

	// JSON round trip, strict; the decoded value equals the policy's.
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `{"obligation":"list_unsubscribe","citation":"House policy E-3; RFC 8058"}`) {
		t.Errorf("JSON %s: want the host obligation by name", b)
	}
	var back eligibility.Decision
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
	if diff := cmp.Diff(d, back); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}
	// go-cmp compares by name and citation, whatever the bits.
	other := o
	if err := json.Unmarshal([]byte(`[{"obligation":"list_unsubscribe","citation":"House policy E-3; RFC 8058"},
		{"obligation":"brand_footer","citation":"House policy B-1"},{"obligation":"opt_out","citation":"Fictional Act s. 2"},
		{"obligation":"sender_identity","citation":"Fictional Act s. 1"}]`), &other); err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(o, other) {
		t.Errorf("%v and %v in another order compare unequal", o, other)
	}
	if err := json.Unmarshal([]byte(`[{"obligation":"brand_footer","citation":"House policy B-2"}]`), &other); err != nil || cmp.Equal(o, other) {
		t.Errorf("other obligations compare equal (%v)", err)
	}
	for _, bad := range []string{
		`[{"obligation":"List-Unsubscribe","citation":"x"}]`,
		`[{"obligation":"","citation":"x"}]`,
		`[{"citation":"x"}]`,
		`[{"obligation":"list_unsubscribe","citation":"x","Citation":"y"}]`,
		`[{"obligation":"list_unsubscribe","obligation":"opt_out","citation":"x"}]`,
	} {
		var x eligibility.Obligations
		if err := json.Unmarshal([]byte(bad), &x); err == nil {
			t.Errorf("Unmarshal(%s) = %v, want an error", bad, x)
		}
	}

	// A deny carries none.
	d, err = decide(p, c, message(consent.MarketingGeneral, consent.Email, "wine", ruleAt))
	if err != nil || d.Verdict != eligibility.Deny || d.Obligations.Len() != 0 {
		t.Errorf("Decide(wine) = %v, %v; want a deny without obligations", d, err)
	}
}

// Compile refuses an obligation neither built-in nor declared, at its
// place, with the nearest name suggested, and a bad declaration.
func TestHostObligationErrors(t *testing.T) {
	for _, tc := range []struct {
		name      string
		src       string
		declared  []eligibility.HostObligation
		mentions  []string
		rule      string
		line, col int
	}{
		{"set level, undeclared", hostObligationSet, hostObligations[:1],
			[]string{"list_unsubscribe", "Params.Obligations"}, "", 7, 5},
		{"rule level, undeclared", hostObligationSet, hostObligations[1:],
			[]string{"brand_footer"}, "HOST_ALLOW", 16, 5},
		{"misspelt", strings.Replace(hostObligationSet, "obligation: list_unsubscribe", "obligation: list_unsubscrib", 1), hostObligations,
			[]string{"list_unsubscrib", `did you mean "list_unsubscribe"`}, "", 7, 5},
		{"misspelt built-in", strings.Replace(hostObligationSet, "obligation: opt_out", "obligation: opt_in", 1), hostObligations,
			[]string{"opt_in", "want one of", "opt_out", "list_unsubscribe"}, "HOST_ALLOW", 16, 5},
		{"declared as built-in", hostObligationSet, append(hostObligations, eligibility.HostObligation{Name: rules.OptOut}),
			[]string{"opt_out: a built-in obligation"}, "", 0, 0},
		{"declared twice", hostObligationSet, append(hostObligations, hostObligations[0]),
			[]string{"brand_footer: declared twice"}, "", 0, 0},
		{"malformed", hostObligationSet, append(hostObligations, eligibility.HostObligation{Name: "List-Unsubscribe"}),
			[]string{"want lower case letters"}, "", 0, 0},
	} {
		_, err := eligibility.Compile([]*rules.Set{mustParse(t, "host.yaml", tc.src)}, eligibility.Params{Obligations: tc.declared})
		list := errorList(t, err)
		if len(list) != 1 {
			t.Errorf("%s: errors %v, want one", tc.name, list)
			continue
		}
		e := list[0]
		for _, m := range tc.mentions {
			if !strings.Contains(e.Error(), m) {
				t.Errorf("%s: error %q does not mention %q", tc.name, e, m)
			}
		}
		if e.Rule != tc.rule || e.Line != tc.line || e.Column != tc.col {
			t.Errorf("%s: error at rule %q %d:%d, want %q %d:%d", tc.name, e.Rule, e.Line, e.Column, tc.rule, tc.line, tc.col)
		}
	}
	// A house file's obligations are resolved the same way.
	house := mustParse(t, "house.yaml", `house: acme
title: house
applies_to:
  jurisdictions: [all]
obligations:
  - obligation: list_unsubscrib
    citation: House policy E-3
rules: []
`)
	builtin, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	_, err = eligibility.Compile(append(builtin, house), eligibility.Params{Obligations: hostObligations})
	if list := errorList(t, err); len(list) != 1 || list[0].File != "house.yaml" || list[0].Line != 6 ||
		!strings.Contains(list[0].Msg, `did you mean "list_unsubscribe"`) {
		t.Errorf("house file with a misspelt obligation: %v", list)
	}
	house.Obligations[0].Obligation = "list_unsubscribe"
	if _, err := eligibility.Compile(append(builtin, house), eligibility.Params{Obligations: hostObligations}); err != nil {
		t.Errorf("house file with a declared obligation: %v", err)
	}
	// A malformed name in a file is refused when it is parsed.
	if _, err := rules.Parse("host.yaml", []byte(strings.Replace(hostObligationSet, "obligation: brand_footer", "obligation: Brand-Footer", 1))); !errors.Is(err, rules.ErrInvalid) {
		t.Errorf("Parse with a malformed obligation: err = %v, want ErrInvalid", err)
	}
}

// The host's obligations are part of the policy version, even unused.
func TestHostObligationVersion(t *testing.T) {
	set := hostFnSet(t, "false", "true")
	version := func(obs ...eligibility.HostObligation) string {
		return mustCompile(t, []*rules.Set{set}, eligibility.Params{Obligations: obs}).Version()
	}
	base := version()
	one := version(hostObligations[0])
	described := version(eligibility.HostObligation{Name: hostObligations[0].Name, Description: "changed"})
	if base == one || one == described || base == described {
		t.Errorf("versions %s, %s, %s: want the host's obligations in the version", base, one, described)
	}
}

// TestDecideDoesNotAllocateHostObligations: an allow with host obligations
// allocates nothing.
func TestDecideDoesNotAllocateHostObligations(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	p := mustCompile(t, []*rules.Set{mustParse(t, "host.yaml", hostObligationSet)}, eligibility.Params{Obligations: hostObligations})
	req := eligibility.Request{Contact: newContact(t, "lea", "FR", consent.Consumer), Message: *message(consent.MarketingGeneral, consent.Email, "books", ruleAt)}
	if d, _ := p.Decide(req); !d.Obligations.Has("list_unsubscribe") {
		t.Fatalf("Decide = %v, want the host obligation", d)
	}
	if n := testing.AllocsPerRun(50, func() { _, _ = p.Decide(req) }); n != 0 {
		t.Errorf("Decide allocates %v times per call, want 0", n)
	}
}

// Params read from JSON carry the host's obligations, strictly.
func TestHostObligationParamsJSON(t *testing.T) {
	var p eligibility.Params
	if err := json.Unmarshal([]byte(`{"obligations":[{"name":"list_unsubscribe","description":"a header"}]}`), &p); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]eligibility.HostObligation{{Name: "list_unsubscribe", Description: "a header"}}, p.Obligations); diff != "" {
		t.Errorf("Params.Obligations (-want +got):\n%s", diff)
	}
	for _, bad := range []string{
		`{"obligations":[{"name":"list_unsubscribe","Name":"x"}]}`,
		`{"obligations":[{"name":"list_unsubscribe","name":"opt_out"}]}`,
		`{"obligations":[{"name":"List-Unsubscribe"}]}`,
		`{"obligations":[{"name":"list_unsubscribe","citation":"x"}]}`,
	} {
		var q eligibility.Params
		if err := json.Unmarshal([]byte(bad), &q); err == nil {
			t.Errorf("Unmarshal(%s) = %+v, want an error", bad, q)
		}
	}
}
