package eligibility_test

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

var (
	paris = mustLoad("Europe/Paris")
	at    = time.Date(2026, 3, 10, 10, 0, 0, 0, paris)
	shop  = consent.Sender{Entity: "Maison Exemple SAS", Kind: consent.Company}
)

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func evaluator(t testing.TB) *eligibility.Policy {
	t.Helper()
	p, err := eligibility.Default()
	if err != nil {
		t.Fatalf("eligibility.Default() failed: %v", err)
	}
	return p
}

// frConsumer returns a French consumer with a valid email consent to shop.
func frConsumer(t testing.TB) *consent.Contact {
	t.Helper()
	c := &consent.Contact{ID: "c-1", Kind: consent.Consumer, Country: address.MustCountry("FR"), Location: paris,
		Email: address.MustParseEmail("lea.martin@example.com"), Phone: address.MustParsePhone("06 39 98 00 01", address.MustCountry("FR"))}
	if err := c.Records.Append(consent.Record{ID: "g-1", Subject: c.Email, Purpose: consent.MarketingGeneral,
		Channel: consent.Email, Sender: shop.Entity, Status: consent.Granted, At: at.AddDate(-1, 0, 0),
		Method: consent.UntickedCheckbox}); err != nil {
		t.Fatal(err)
	}
	return c
}

func email(p consent.Purpose) consent.Message {
	return consent.Message{Purpose: p, Channel: consent.Email, Sender: shop, At: at}
}

func TestDecideAllowsOnConsent(t *testing.T) {
	ev := evaluator(t)
	d, err := ev.Decide(eligibility.Request{Contact: frConsumer(t), Message: email(consent.MarketingGeneral)})
	if err != nil {
		t.Fatalf("Decide() error = %v", err)
	}
	want := eligibility.Decision{
		Verdict: eligibility.Allow, Basis: rules.Consent, Rule: "EU_CONSENT", Reason: "CONSENT",
		Citation: d.Citation, Evidence: eligibility.Evidence{Kind: eligibility.RecordEvidence, ID: "g-1"},
		Purpose: consent.MarketingGeneral, Jurisdiction: "FR", At: at, PolicyVersion: ev.Version(),
	}
	if diff := cmp.Diff(recipientRegime(want), d, cmp.Comparer(func(a, b eligibility.Obligations) bool { return true })); diff != "" {
		t.Errorf("Decide() mismatch (-want +got):\n%s", diff)
	}
	if got := d.Obligations.Names(); !cmp.Equal(got, []string{"sender_identity", "opt_out", "ad_label"}) {
		t.Errorf("Obligations = %v, want [sender_identity opt_out ad_label]", got)
	}
	if d.Citation == "" {
		t.Error("Citation is empty")
	}
}

func TestZeroValuesDoNotSend(t *testing.T) {
	var d eligibility.Decision
	if d.Verdict == eligibility.Allow {
		t.Error("the zero Decision allows")
	}
	if eligibility.Undetermined == eligibility.Allow {
		t.Error("the zero Verdict is Allow")
	}
}

func TestDecideMalformedInput(t *testing.T) {
	ev := evaluator(t)
	valid := func() eligibility.Request {
		return eligibility.Request{Contact: frConsumer(t), Message: email(consent.MarketingGeneral)}
	}
	tests := []struct {
		name   string
		mutate func(*eligibility.Request)
		want   error
	}{
		{"nil contact", func(r *eligibility.Request) { r.Contact = nil }, consent.ErrMissing},
		{"zero instant", func(r *eligibility.Request) { r.At = time.Time{} }, consent.ErrMissing},
		{"zero purpose", func(r *eligibility.Request) { r.Purpose = 0 }, consent.ErrUnknownValue},
		{"unknown purpose", func(r *eligibility.Request) { r.Purpose = 99 }, consent.ErrUnknownValue},
		{"record scope as purpose", func(r *eligibility.Request) { r.Purpose = consent.AllMarketing }, consent.ErrUnknownValue},
		{"unknown channel", func(r *eligibility.Request) { r.Channel = 42 }, consent.ErrUnknownValue},
		{"all channels", func(r *eligibility.Request) { r.Channel = consent.AllChannels }, consent.ErrUnknownValue},
		{"no sender entity", func(r *eligibility.Request) { r.Sender.Entity = "" }, consent.ErrMissing},
		{"unknown sender kind", func(r *eligibility.Request) { r.Sender.Kind = 7 }, consent.ErrUnknownValue},
		{"unknown recipient kind", func(r *eligibility.Request) { r.Contact.Kind = 9 }, consent.ErrUnknownValue},
		{"zero country", func(r *eligibility.Request) { r.Contact.Country = address.Country{} }, consent.ErrMissing},
		{"no time zone", func(r *eligibility.Request) { r.Contact.Location = nil }, consent.ErrMissing},
		{"no contact id", func(r *eligibility.Request) { r.Contact.ID = "" }, consent.ErrMissing},
		{"impossible birth date", func(r *eligibility.Request) { r.Contact.BirthDate = time.Date(1200, 1, 1, 0, 0, 0, 0, time.UTC) }, consent.ErrInvalid},
		{"purchase without seller", func(r *eligibility.Request) {
			r.Contact.Relationship.Purchases = []consent.Interaction{{ID: "p", At: at}}
		}, consent.ErrMissing},
		{"purchase without time", func(r *eligibility.Request) {
			r.Contact.Relationship.Purchases = []consent.Interaction{{ID: "p", Seller: shop.Entity}}
		}, consent.ErrMissing},
		{"contract ending before it starts", func(r *eligibility.Request) {
			r.Contact.Relationship.Contracts = []consent.Contract{{ID: "k", Seller: shop.Entity, Start: at, End: at.AddDate(0, 0, -1)}}
		}, consent.ErrInvalid},
		{"email to a contact without address", func(r *eligibility.Request) { r.Contact.Email = address.Address{} }, consent.ErrMissing},
		{"sms to a contact without number", func(r *eligibility.Request) {
			r.Contact.Phone = address.Address{}
			r.Channel = consent.SMS
		}, consent.ErrMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := valid()
			tt.mutate(&req)
			d, err := ev.Decide(req)
			if !errors.Is(err, tt.want) {
				t.Errorf("Decide() error = %v, want errors.Is %v", err, tt.want)
			}
			var fe *consent.FieldError
			if !errors.As(err, &fe) {
				t.Errorf("Decide() error %T is not a *consent.FieldError", err)
			}
			if d.Verdict != eligibility.Deny || d.Reason != eligibility.ReasonInvalidRequest || d.Detail == "" {
				t.Errorf("Decide() = %v (detail %q), want Deny INVALID_REQUEST with a detail", d, d.Detail)
			}
		})
	}
}

func TestDecideWithoutPolicy(t *testing.T) {
	for _, ev := range []*eligibility.Policy{nil, new(eligibility.Policy)} {
		d, err := ev.Decide(eligibility.Request{Contact: frConsumer(t), Message: email(consent.MarketingGeneral)})
		if !errors.Is(err, eligibility.ErrEvaluation) || !errors.Is(err, eligibility.ErrNoPolicy) || d.Verdict != eligibility.Deny {
			t.Errorf("(%#v).Decide() = %v, %v; want Deny, ErrEvaluation and ErrNoPolicy", ev, d, err)
		}
	}
}

const failingSet = `
jurisdiction: FR
title: a rule that fails at run time
channels: [email]
rules:
  - id: BROKEN
    channels: [all]
    effect: allow
    basis: consent
    reason: BROKEN
    citation: test
    condition: |
      !registryFails()
`

// registryFails is a host function that fails, with the message's
// category (which may be personal data) in its error.
var registryFails = eligibility.Func("registryFails", "1",
	func(_ *consent.Contact, m *consent.Message) (bool, error) {
		return false, fmt.Errorf("registry lookup for %s failed", m.Category)
	})

// panics is a host function that panics.
var panics = eligibility.Func("registryFails", "1",
	func(*consent.Contact, *consent.Message) (bool, error) { panic("registry client bug") })

// A host function that fails or panics denies, whatever the rule's
// condition would have made of its result.
func TestDecideRuntimeErrorDenies(t *testing.T) {
	for _, f := range []eligibility.Function{registryFails, panics} {
		testHostFailureDenies(t, f)
	}
}

func testHostFailureDenies(t *testing.T, f eligibility.Function) {
	s, err := rules.Parse("broken.yaml", []byte(failingSet))
	if err != nil {
		t.Fatal(err)
	}
	p, err := eligibility.Compile([]*rules.Set{s}, eligibility.Params{Functions: []eligibility.Function{f}})
	if err != nil {
		t.Fatal(err)
	}
	d, err := p.Decide(eligibility.Request{Contact: frConsumer(t), Message: email(consent.MarketingGeneral)})
	var ee *eligibility.EvalError
	if !errors.As(err, &ee) || ee.Rule != "BROKEN" || ee.Function != "registryFails" {
		t.Errorf("Decide() error = %v, want a *eligibility.EvalError for BROKEN naming registryFails", err)
	}
	if d.Verdict != eligibility.Deny || d.Reason != eligibility.ReasonHostFunctionFailed || d.Rule != "BROKEN" {
		t.Errorf("Decide() = %v, want Deny HOST_FUNCTION_FAILED by BROKEN", d)
	}
}

func TestDecideIsPure(t *testing.T) {
	ev := evaluator(t)
	c := frConsumer(t)
	before, err := c.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	req := eligibility.Request{Contact: c, Message: email(consent.MarketingSimilar)}
	d1, err1 := ev.Decide(req)
	d2, err2 := ev.Decide(req)
	if err1 != nil || err2 != nil {
		t.Fatalf("Decide() errors: %v, %v", err1, err2)
	}
	if diff := cmp.Diff(d1, d2, cmp.AllowUnexported(eligibility.Obligations{})); diff != "" {
		t.Errorf("two decisions of one request differ (-first +second):\n%s", diff)
	}
	after, _ := c.MarshalJSON()
	if string(before) != string(after) {
		t.Errorf("Decide modified the contact:\nbefore %s\nafter  %s", before, after)
	}
}

// TestConcurrentDecideWithPolicySwap decides from many goroutines while the
// host swaps in newly compiled policies through an atomic.Pointer, as the
// package documentation recommends. Run with -race.
func TestConcurrentDecideWithPolicySwap(t *testing.T) {
	var current atomic.Pointer[eligibility.Policy]
	current.Store(evaluator(t))
	sets, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	c := frConsumer(t)
	stop := make(chan struct{})
	var swaps sync.WaitGroup
	swaps.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			p, err := eligibility.Compile(sets, eligibility.Params{SimilarityGroups: map[string][]string{"g": {"a", "b"}}})
			if err != nil {
				t.Error(err)
				return
			}
			current.Store(p)
		}
	})
	var workers sync.WaitGroup
	for g := range 8 {
		workers.Go(func() {
			for i := range 300 {
				p := consent.MarketingGeneral
				if (g+i)%2 == 1 {
					p = consent.MarketingThirdParty
				}
				d, err := current.Load().Decide(eligibility.Request{Contact: c, Message: email(p)})
				if err != nil {
					t.Error(err)
					return
				}
				if want := p == consent.MarketingGeneral; (d.Verdict == eligibility.Allow) != want {
					t.Errorf("purpose %v: verdict %v", p, d.Verdict)
					return
				}
			}
		})
	}
	workers.Wait()
	close(stop)
	swaps.Wait()
}
