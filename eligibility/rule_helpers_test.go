package eligibility_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/rules"
)

// sender is the fictional legal entity every test message is sent by.
const sender = "acme-trading.example"

// mustParse parses src as file or fails the test.
func mustParse(t testing.TB, file, src string) *rules.Set {
	t.Helper()
	s, err := rules.Parse(file, []byte(src))
	if err != nil {
		t.Fatalf("Parse(%s): %v", file, err)
	}
	return s
}

// readSets parses testdata files.
func readSets(t testing.TB, names ...string) []*rules.Set {
	t.Helper()
	var out []*rules.Set
	for _, n := range names {
		path := filepath.Join("testdata", n)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		s, err := rules.Parse(path, data)
		if err != nil {
			t.Fatalf("Parse(%s): %v", path, err)
		}
		out = append(out, s)
	}
	return out
}

// mustCompile compiles sets or fails the test.
func mustCompile(t testing.TB, sets []*rules.Set, params eligibility.Params) *eligibility.Policy {
	t.Helper()
	p, err := eligibility.Compile(sets, params)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return p
}

// tierPolicy compiles the purpose-written sets under testdata/tiers: an EU
// base and two countries (LU extends it, MT extends it and narrows the
// channels).
func tierPolicy(t testing.TB, params eligibility.Params) *eligibility.Policy {
	t.Helper()
	params.Functions = append(params.Functions, failingFunction)
	return mustCompile(t, readSets(t, "tiers/eu.yaml", "tiers/lu.yaml", "tiers/mt.yaml"), params)
}

// errorList extracts the ErrorList from err, failing the test when err is
// not one or does not wrap rules.ErrInvalid.
func errorList(t testing.TB, err error) rules.ErrorList {
	t.Helper()
	if err == nil {
		t.Fatal("got no error, want one")
	}
	if !errors.Is(err, rules.ErrInvalid) {
		t.Errorf("error %v does not wrap rules.ErrInvalid", err)
	}
	var list rules.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error %T (%v) is not a rules.ErrorList", err, err)
	}
	if len(list) == 0 {
		t.Fatal("empty ErrorList returned as an error")
	}
	var first *rules.Error
	if !errors.As(err, &first) || first != list[0] {
		t.Errorf("errors.As(*rules.Error) = %v, want the first entry %v", first, list[0])
	}
	return list
}

// posOf returns the 1-based line and column (in characters) of the first
// occurrence of tok in src.
func posOf(t testing.TB, src, tok string) (line, col int) {
	t.Helper()
	i := strings.Index(src, tok)
	if i < 0 {
		t.Fatalf("%q not in source", tok)
	}
	if strings.Contains(src[i+1:], tok) {
		t.Fatalf("%q occurs more than once in source", tok)
	}
	before := src[:i]
	line = strings.Count(before, "\n") + 1
	col = utf8.RuneCountInString(before[strings.LastIndex(before, "\n")+1:]) + 1
	return line, col
}

// ruleAt is a fixed, fictional instant.
var ruleAt = time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC)

// contactOpt changes a test contact.
type contactOpt func(*consent.Contact)

// newContact builds a valid contact in country with kind, normalised.
func newContact(t testing.TB, id, country string, kind consent.RecipientKind, opts ...contactOpt) *consent.Contact {
	t.Helper()
	c := &consent.Contact{
		ID:       id,
		Kind:     kind,
		Country:  address.MustCountry(country),
		Location: time.UTC,
		Email:    address.MustParseEmail(id + "@example.com"),
		Phone:    address.MustParsePhone("+44 7700 900123", address.Country{}),
		Push:     address.MustParsePush("push:com.example.shop/" + id),
		Postal:   address.MustParsePostal([]string{id, "1 Example Street"}, address.MustCountry(country)),
	}
	for _, o := range opts {
		o(c)
	}
	rel := &c.Relationship
	for _, evs := range [][]consent.Interaction{rel.Purchases, rel.Inquiries, rel.Support} {
		for i := range evs {
			if len(evs[i].Collected) == 1 && evs[i].Collected[0].IsZero() {
				evs[i].Collected = []address.Address{c.Email, c.Phone}
			}
		}
	}
	if err := c.Check(); err != nil {
		t.Fatalf("contact %s: %v", id, err)
	}
	return c
}

// withRecords puts recs in the contact's ledger.
func withRecords(t testing.TB, recs ...consent.Record) contactOpt {
	return func(c *consent.Contact) {
		l, err := consent.NewLedger(recs...)
		if err != nil {
			t.Fatalf("NewLedger: %v", err)
		}
		c.Records = *l
	}
}

// withPurchases adds purchases.
func withPurchases(ps ...consent.Interaction) contactOpt {
	return func(c *consent.Contact) { c.Relationship.Purchases = append(c.Relationship.Purchases, ps...) }
}

// grant is a valid consent record of the contact with the given id.
func grant(id, contactID string, p consent.Purpose, ch consent.Channel, when time.Time) consent.Record {
	subject := address.MustParseEmail(contactID + "@example.com")
	if ch == consent.SMS {
		subject = address.MustParsePhone("+447700900123", address.Country{})
	}
	return consent.Record{ID: id, Subject: subject, Purpose: p, Channel: ch, Sender: sender,
		Status: consent.Granted, At: when, Method: consent.UntickedCheckbox}
}

// purchase is a purchase from the test sender that supports a soft opt-in.
func purchase(id, category string, when time.Time) consent.Interaction {
	return consent.Interaction{ID: id, At: when, Seller: sender, Category: category,
		Collected: contactAddresses, OptOutOffered: true}
}

// contactAddresses, as an interaction's Collected, stands for the e-mail
// address and the number of the contact newContact builds: it replaces it.
var contactAddresses = []address.Address{{}}

// message is a valid message from the test sender.
func message(p consent.Purpose, ch consent.Channel, category string, when time.Time) *consent.Message {
	return &consent.Message{Purpose: p, Channel: ch, Category: category,
		Sender: consent.Sender{Entity: sender, Kind: consent.Company}, At: when}
}

// obligationList flattens obligations for comparison.
type obligationItem struct {
	Obligation rules.Obligation
	Citation   string
}

func obligationList(o eligibility.Obligations) []obligationItem {
	var out []obligationItem
	for ob, c := range o.All() {
		out = append(out, obligationItem{ob, c})
	}
	return out
}

// outcomeCmp compares decisions, including their obligations and
// citations, but not the instant and policy version they carry.
var outcomeCmp = cmp.Options{
	cmp.Comparer(func(a, b eligibility.Obligations) bool { return cmp.Equal(obligationList(a), obligationList(b)) }),
	cmpopts.IgnoreFields(eligibility.Decision{}, "At", "PolicyVersion"),
}

// isAllow reports whether d allows the send.
func isAllow(d eligibility.Decision) bool { return d.Verdict == eligibility.Allow }

// failingFunction is a host function that always fails: the tier tests'
// rule LU_T_HOST_FAILS calls it, so that a run-time failure denies.
var failingFunction = eligibility.Func("registryFails", "1",
	func(*consent.Contact, *consent.Message) (bool, error) {
		return false, errors.New("registry unavailable")
	})

// decide decides the contact and the message through [eligibility.Policy.Decide];
// a nil message, which a Request cannot carry, goes to the walk directly.
func decide(p *eligibility.Policy, c *consent.Contact, m *consent.Message) (eligibility.Decision, error) {
	if m == nil {
		return p.DecideMessage(c, nil)
	}
	return p.Decide(eligibility.Request{Contact: c, Message: *m})
}

// trace decides the contact and the message through
// [eligibility.Policy.Explain] and returns the decision and the trace.
func trace(p *eligibility.Policy, c *consent.Contact, m *consent.Message) (eligibility.Decision, []eligibility.Step, error) {
	a, err := p.Explain(eligibility.Request{Contact: c, Message: *m}, nil)
	return a.Decision, a.Trace, err
}

// recipientRegime returns d with, when it lists none, the one regime a
// decision on a contact's country's rules lists: its jurisdiction,
// reached by the recipient, with its verdict.
func recipientRegime(d eligibility.Decision) eligibility.Decision {
	noRules := d.Reason == eligibility.ReasonNoRules || d.Reason == eligibility.ReasonNoRulesForChannel
	if d.Regimes.Len() == 0 && d.Jurisdiction != "" && !noRules {
		d.Regimes[0] = eligibility.Regime{Jurisdiction: d.Jurisdiction, Reach: eligibility.ByRecipient, Verdict: d.Verdict}
	}
	return d
}
