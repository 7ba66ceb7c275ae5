package eligibility_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/consent/rights"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/internal/audience"
	"github.com/sendright/sendright/rules"
)

func keyring(t *testing.T) *rights.Keyring {
	t.Helper()
	kr, err := rights.NewKeyring(1, map[uint32][]byte{1: []byte(strings.Repeat("k", 32))})
	if err != nil {
		t.Fatal(err)
	}
	return kr
}

// TestExplainAgreesWithDecide: the audit's decision is Decide's; the trace
// marks exactly the deciding rule, which matched; the audit survives a JSON
// round trip; and it carries no personal data.
func TestExplainAgreesWithDecide(t *testing.T) {
	ev := randomPolicy(t)
	kr := keyring(t)
	gen := audience.NewRandom(21, address.MustCountry("FR"), paris, consent.Email, consent.SMS)
	for i := range 800 {
		req := gen.Next()
		d, derr := ev.Decide(req)
		a, err := ev.Explain(req, kr)
		if (err == nil) != (derr == nil) {
			t.Fatalf("request %d: Explain error %v, Decide error %v", i, err, derr)
		}
		if diff := cmp.Diff(d, a.Decision, cmp.AllowUnexported(eligibility.Obligations{})); diff != "" {
			t.Fatalf("request %d: Explain's decision differs from Decide's (-Decide +Explain):\n%s", i, diff)
		}
		decided := 0
		for _, s := range a.Trace {
			if s.Decided {
				decided++
				if s.Result != eligibility.Matched {
					t.Fatalf("request %d: deciding rule %s has result %s", i, s.Rule, s.Result)
				}
			}
		}
		if want := 0; d.Rule != "" {
			want = 1
			if decided != want {
				t.Fatalf("request %d: %d steps marked as deciding, want %d (rule %s)", i, decided, want, d.Rule)
			}
		}
		js, err := json.Marshal(a)
		if err != nil {
			t.Fatalf("request %d: json.Marshal(audit) = %v", i, err)
		}
		for _, secret := range []string{req.Contact.Email.String(), req.Contact.Email.Key(), req.Contact.Phone.String(), req.Contact.ID} {
			if secret != "" && strings.Contains(string(js), secret) {
				t.Fatalf("request %d: the audit contains personal data %q:\n%s", i, secret, js)
			}
		}
		var back eligibility.Audit
		if err := json.Unmarshal(js, &back); err != nil {
			t.Fatalf("request %d: reading the audit back: %v", i, err)
		}
		if diff := cmp.Diff(a, back, cmpopts.EquateEmpty(), cmpopts.EquateComparable(address.Country{}),
			cmp.Comparer(func(x, y eligibility.Obligations) bool {
				return cmp.Equal(x.Names(), y.Names()) && x.String() == y.String()
			})); diff != "" {
			t.Fatalf("request %d: audit JSON round trip (-before +after):\n%s", i, diff)
		}
		if a.Request.Digest == "" || a.Request.KeyVersion != 1 {
			t.Fatalf("request %d: no keyed digest: %+v", i, a.Request)
		}
	}
}

func TestExplainWithoutKeyHasNoDigest(t *testing.T) {
	ev := evaluator(t)
	a, err := ev.Explain(eligibility.Request{Contact: frConsumer(t), Message: email(consent.MarketingGeneral)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.Request.Digest != "" || a.Schema != eligibility.AuditSchema || len(a.Trace) == 0 {
		t.Errorf("audit = %+v, want no digest, the schema and a trace", a)
	}
}

// TestExplainIsOneWalk: Explain records its trace during the walk that
// decides, so a host function the deciding rule calls runs once, not once
// for the decision and again for the trace.
func TestExplainIsOneWalk(t *testing.T) {
	calls := 0
	counted := eligibility.Func("onRegistry", "1",
		func(*consent.Contact, *consent.Message) (bool, error) { calls++; return true, nil })
	s, err := rules.Parse("registry.yaml", []byte(strings.Replace(failingSet, "!registryFails()", "onRegistry()", 1)))
	if err != nil {
		t.Fatal(err)
	}
	p, err := eligibility.Compile([]*rules.Set{s}, eligibility.Params{Functions: []eligibility.Function{counted}})
	if err != nil {
		t.Fatal(err)
	}
	ev := p
	a, err := ev.Explain(eligibility.Request{Contact: frConsumer(t), Message: email(consent.MarketingGeneral)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Errorf("Explain called the rule's function %d times, want 1", calls)
	}
	// The built-in bans and stops for France come first, then the rule.
	last := a.Trace[len(a.Trace)-1]
	if last.Rule != "BROKEN" || !last.Decided || last.Result != eligibility.Matched || a.Decision.Verdict != eligibility.Allow {
		t.Errorf("Explain = %v, trace %+v; want BROKEN deciding, matched", a.Decision, a.Trace)
	}
}

// TestAuditOfMalformedRequest: Explain denies a malformed request with an
// error, and its audit still has a JSON form that reads back the same, a
// value out of its type's range left out (a log or store of audits must
// not lose the audit of exactly the requests that went wrong).
func TestAuditOfMalformedRequest(t *testing.T) {
	ev := evaluator(t)
	msg := email(consent.MarketingGeneral)
	withMsg := func(f func(*consent.Message)) eligibility.Request {
		m := msg
		f(&m)
		return eligibility.Request{Contact: frConsumer(t), Message: m}
	}
	co := consent.Sender{Kind: consent.Company}
	withContact := func(f func(*consent.Contact)) eligibility.Request {
		c := frConsumer(t)
		f(c)
		return eligibility.Request{Contact: c, Message: msg}
	}
	for _, tc := range []struct {
		name string
		req  eligibility.Request
		want eligibility.AuditedRequest // its members a test can name; counts and sender entity aside
	}{
		{"no contact", eligibility.Request{Message: msg},
			eligibility.AuditedRequest{Sender: co, Purpose: msg.Purpose, Channel: msg.Channel}},
		{"no message", eligibility.Request{Contact: frConsumer(t)},
			eligibility.AuditedRequest{RecipientKind: consent.Consumer, Country: address.MustCountry("FR")}},
		{"purpose out of range", withMsg(func(m *consent.Message) { m.Purpose = 200 }),
			eligibility.AuditedRequest{Sender: co, RecipientKind: consent.Consumer, Country: address.MustCountry("FR"), Channel: msg.Channel}},
		{"channel out of range", withMsg(func(m *consent.Message) { m.Channel = 200 }),
			eligibility.AuditedRequest{Sender: co, RecipientKind: consent.Consumer, Country: address.MustCountry("FR"), Purpose: msg.Purpose}},
		{"sender kind out of range", withMsg(func(m *consent.Message) { m.Sender.Kind = 200 }),
			eligibility.AuditedRequest{RecipientKind: consent.Consumer, Country: address.MustCountry("FR"), Purpose: msg.Purpose, Channel: msg.Channel}},
		{"unknown content marker", withMsg(func(m *consent.Message) { m.Content = 1 << 7 }),
			eligibility.AuditedRequest{Sender: co, RecipientKind: consent.Consumer, Country: address.MustCountry("FR"), Purpose: msg.Purpose, Channel: msg.Channel}},
		{"recipient kind out of range", withContact(func(c *consent.Contact) { c.Kind = 200 }),
			eligibility.AuditedRequest{Sender: co, Country: address.MustCountry("FR"), Purpose: msg.Purpose, Channel: msg.Channel}},
		{"no country", withContact(func(c *consent.Contact) { c.Country = address.Country{} }),
			eligibility.AuditedRequest{Sender: co, RecipientKind: consent.Consumer, Purpose: msg.Purpose, Channel: msg.Channel}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := ev.Explain(tc.req, keyring(t))
			if err == nil || a.Decision.Verdict != eligibility.Deny {
				t.Fatalf("Explain = %v, %v: want a deny and an error", a.Decision.Verdict, err)
			}
			got := a.Request
			got.Sender.Entity, got.Records = "", 0
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateComparable(address.Country{})); diff != "" {
				t.Errorf("audited request (-want +got):\n%s", diff)
			}
			js, err := json.Marshal(a)
			if err != nil {
				t.Fatalf("json.Marshal(audit) = %v", err)
			}
			var back eligibility.Audit
			if err := json.Unmarshal(js, &back); err != nil {
				t.Fatalf("reading the audit back: %v\n%s", err, js)
			}
			if diff := cmp.Diff(a, back, cmpopts.EquateEmpty(), cmpopts.EquateComparable(address.Country{}),
				cmp.Comparer(func(x, y eligibility.Obligations) bool { return x.String() == y.String() })); diff != "" {
				t.Errorf("audit JSON round trip (-before +after):\n%s", diff)
			}
		})
	}
}
