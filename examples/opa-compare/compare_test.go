package opacompare_test

import (
	"context"
	"encoding/json"
	"flag"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
	opacompare "github.com/sendright/sendright/examples/opa-compare"
	"github.com/sendright/sendright/internal/audience"
	"github.com/sendright/sendright/rules"
)

// similarityGroups is given to both engines: kettles and toasters are
// similar products, as the random requests expect.
var similarityGroups = audience.SimilarityGroups()

var agreeN = flag.Int("agree.n", 20_000, "random French requests TestAgreement decides with both engines")

func sendright(tb testing.TB) *eligibility.Policy {
	tb.Helper()
	sets, err := rules.Builtin()
	if err != nil {
		tb.Fatal(err)
	}
	p, err := eligibility.Compile(sets, eligibility.Params{SimilarityGroups: similarityGroups})
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func prepared(tb testing.TB) rego.PreparedEvalQuery {
	tb.Helper()
	q, err := opacompare.Prepare(context.Background(), similarityGroups)
	if err != nil {
		tb.Fatal(err)
	}
	return q
}

// cases are the benchmark cases: a realistic French audience on each channel.
var cases = []struct {
	name string
	ch   consent.Channel
}{{"email-mix", consent.Email}, {"sms-mix", consent.SMS}}

// BenchmarkSendright decides the realistic mix with sendright's evaluator.
func BenchmarkSendright(b *testing.B) {
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			ev := sendright(b)
			reqs := audience.New(1, address.MustCountry("FR"), bc.ch, audience.DefaultMix()).Requests(4096)
			allowed, i := 0, 0
			b.ReportAllocs()
			for b.Loop() {
				d, err := ev.Decide(reqs[i%len(reqs)])
				if err != nil {
					b.Fatal(err)
				}
				if d.Verdict == eligibility.Allow {
					allowed++
				}
				i++
			}
			if i >= 100 && allowed == 0 {
				b.Fatal("no request was allowed: the mix is broken")
			}
		})
	}
}

// BenchmarkOPA decides the same requests with the Rego policy: each
// iteration converts the typed request into OPA's input document and
// evaluates the prepared query, as a host using OPA as a library would.
func BenchmarkOPA(b *testing.B) {
	ctx := context.Background()
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			pq := prepared(b)
			reqs := audience.New(1, address.MustCountry("FR"), bc.ch, audience.DefaultMix()).Requests(4096)
			allowed, i := 0, 0
			b.ReportAllocs()
			for b.Loop() {
				input, err := opacompare.Input(&reqs[i%len(reqs)])
				if err != nil {
					b.Fatal(err)
				}
				rs, err := pq.Eval(ctx, rego.EvalInput(input))
				if err != nil {
					b.Fatal(err)
				}
				if rs[0].Expressions[0].Value.(map[string]any)["verdict"] == "allow" {
					allowed++
				}
				i++
			}
			if i >= 100 && allowed == 0 {
				b.Fatal("no request was allowed: the mix is broken")
			}
		})
	}
}

// BenchmarkOPAFloor is the fixed cost of one OPA call on the same input:
// the same conversion and a prepared query that only reads one input field.
// It is not a decision; it shows how much of BenchmarkOPA no Rego rewrite
// could remove.
func BenchmarkOPAFloor(b *testing.B) {
	ctx := context.Background()
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			pq, err := rego.New(rego.Query("input.message.purpose")).PrepareForEval(ctx)
			if err != nil {
				b.Fatal(err)
			}
			reqs := audience.New(1, address.MustCountry("FR"), bc.ch, audience.DefaultMix()).Requests(4096)
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				input, err := opacompare.Input(&reqs[i%len(reqs)])
				if err != nil {
					b.Fatal(err)
				}
				if _, err := pq.Eval(ctx, rego.EvalInput(input)); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// TestAgreement decides random French requests that reach every rule with
// both engines and requires the same verdict, basis, rule, reason and
// review flag. The first disagreement fails the test with its input.
func TestAgreement(t *testing.T) {
	ctx := context.Background()
	ev, pq := sendright(t), prepared(t)
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	gen := audience.NewRandom(7, address.MustCountry("FR"), paris, consent.Email, consent.SMS)
	seen := map[string]int{}
	for i := range *agreeN {
		req := gen.Next()
		want := fromSendright(ev, req)
		got, err := opacompare.Decide(ctx, pq, &req)
		if err != nil {
			t.Fatalf("request %d: %v\n%s", i, err, describe(req))
		}
		if got != want {
			t.Fatalf("request %d: the engines disagree\nsendright %+v\nOPA       %+v\n%s", i, want, got, describe(req))
		}
		seen[want.Reason]++
	}
	// Every French rule must have been reached, or the agreement proves little.
	for _, r := range ev.Rules("FR") {
		if seen[r.Reason] == 0 {
			t.Errorf("no random request reached reason %s (rule %s)", r.Reason, r.ID)
		}
	}
	t.Logf("%d requests agree; reasons reached: %v", *agreeN, seen)
}

// TestAgreementEdges covers what the random requests never produce:
// malformed requests, other countries and channels, sender names that
// differ in case and space, an hour that changes the local date.
func TestAgreementEdges(t *testing.T) {
	ctx := context.Background()
	ev, pq := sendright(t), prepared(t)
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	base := func() eligibility.Request {
		c := &consent.Contact{ID: "e-1", Kind: consent.Consumer, Country: address.MustCountry("FR"), Location: paris,
			Email: address.MustParseEmail("lea@example.com"), Phone: address.MustParsePhone("+33639980001", address.Country{})}
		return eligibility.Request{Contact: c, Message: consent.Message{Purpose: consent.MarketingSimilar,
			Channel: consent.Email, Category: "kettles", Sender: audience.Sender(), At: at}}
	}
	add := func(r consent.Record) func(*eligibility.Request) {
		return func(req *eligibility.Request) {
			if err := req.Contact.Records.Append(r); err != nil {
				t.Fatal(err)
			}
		}
	}
	emailGrant := func(at time.Time, purpose consent.Purpose) consent.Record {
		return consent.Record{ID: "g", Subject: address.MustParseEmail("Lea@example.com"), Purpose: purpose, Channel: consent.Email,
			Sender: audience.Sender().Entity, Status: consent.Granted, At: at, Method: consent.SignedForm}
	}
	purchase := func(r *eligibility.Request) {
		r.Contact.Relationship.Purchases = []consent.Interaction{{ID: "p", At: at.AddDate(0, -1, 0),
			Seller: audience.Sender().Entity, Category: "toasters", Collected: []address.Address{r.Contact.Email, r.Contact.Phone}, OptOutOffered: true}}
	}
	const invalid = eligibility.ReasonInvalidRequest
	edges := []struct {
		name   string
		reason string // what sendright answers, so that each edge is known to reach its path
		edit   func(*eligibility.Request)
	}{
		{"nil contact", invalid, func(r *eligibility.Request) { r.Contact = nil }},
		{"no contact id", invalid, func(r *eligibility.Request) { r.Contact.ID = "" }},
		{"invalid kind", invalid, func(r *eligibility.Request) { r.Contact.Kind = 9 }},
		{"no time zone", invalid, func(r *eligibility.Request) { r.Contact.Location = nil }},
		{"birth year 1850", invalid, func(r *eligibility.Request) { r.Contact.BirthDate = time.Date(1850, 1, 1, 0, 0, 0, 0, time.UTC) }},
		{"country without rules", eligibility.ReasonNoRules, func(r *eligibility.Request) { r.Contact.Country = address.MustCountry("DE") }},
		{"push channel", eligibility.ReasonNoRulesForChannel, func(r *eligibility.Request) { r.Message.Channel = consent.Push }},
		{"no email", invalid, func(r *eligibility.Request) { r.Contact.Email = address.Address{} }},
		{"no phone on sms", invalid, func(r *eligibility.Request) { r.Contact.Phone = address.Address{}; r.Message.Channel = consent.SMS }},
		{"all_marketing purpose", invalid, func(r *eligibility.Request) { r.Message.Purpose = consent.AllMarketing }},
		{"no sender", invalid, func(r *eligibility.Request) { r.Message.Sender.Entity = "" }},
		{"zero instant", invalid, func(r *eligibility.Request) { r.Message.At = time.Time{} }},
		{"category of 300 bytes", invalid, func(r *eligibility.Request) { r.Message.Category = strings.Repeat("x", 300) }},
		{"category of 100 two-byte runes", "NO_CONSENT", func(r *eligibility.Request) { r.Message.Category = strings.Repeat("é", 100) }},
		{"category of 200 two-byte runes", invalid, func(r *eligibility.Request) { r.Message.Category = strings.Repeat("é", 200) }},
		{"purchase without id", invalid, func(r *eligibility.Request) {
			r.Contact.Relationship.Purchases = []consent.Interaction{{At: at, Seller: "x"}}
		}},
		{"inquiry without seller", invalid, func(r *eligibility.Request) {
			r.Contact.Relationship.Inquiries = []consent.Interaction{{ID: "i", At: at}}
		}},
		{"contract ending before it starts", invalid, func(r *eligibility.Request) {
			r.Contact.Relationship.Contracts = []consent.Contract{{ID: "k", Seller: "x", Start: at, End: at.Add(-time.Hour)}}
		}},
		{"soft opt-in, similar product", "SOFT_OPT_IN", purchase},
		{"soft opt-in, named business address", "SOFT_OPT_IN", func(r *eligibility.Request) {
			purchase(r)
			r.Contact.Kind = consent.BusinessNamed
		}},
		{"purchase from the sender written in other case and space", "SOFT_OPT_IN", func(r *eligibility.Request) {
			purchase(r)
			r.Contact.Relationship.Purchases[0].Seller = "  MAISON exemple sas "
		}},
		{"objection to the sender written in other case", "OBJECTION_ON_FILE", add(consent.Record{ID: "o",
			Purpose: consent.MarketingGeneral, Channel: consent.Email, Sender: "maison exemple sas",
			Status: consent.Objection, At: at.AddDate(0, 0, -1)})},
		{"objection to a sender whose name differs by a dotted İ", "NO_CONSENT", add(consent.Record{ID: "o",
			Purpose: consent.MarketingGeneral, Channel: consent.Email, Sender: "Maİson Exemple SAS",
			Status: consent.Objection, At: at.AddDate(0, 0, -1)})},
		{"objection to a sender whose name differs by a dotless ı", "NO_CONSENT", add(consent.Record{ID: "o",
			Purpose: consent.MarketingGeneral, Channel: consent.Email, Sender: "maıson exemple sas",
			Status: consent.Objection, At: at.AddDate(0, 0, -1)})},
		{"objection to a sender written with ſ and the Kelvin sign", "OBJECTION_ON_FILE", func(r *eligibility.Request) {
			r.Message.Sender.Entity = "Maison Exemple SAS Kettle"
			add(consent.Record{ID: "o", Purpose: consent.MarketingGeneral, Channel: consent.Email,
				Sender: "maiſon exemple sas \u212Aettle", Status: consent.Objection, At: at.AddDate(0, 0, -1)})(r)
		}},
		{"objection to a sender both written with a dotted İ, in other case", "OBJECTION_ON_FILE", func(r *eligibility.Request) {
			r.Message.Sender.Entity = "MAİSON Exemple SAS"
			add(consent.Record{ID: "o", Purpose: consent.MarketingGeneral, Channel: consent.Email,
				Sender: " maİson exemple sas", Status: consent.Objection, At: at.AddDate(0, 0, -1)})(r)
		}},
		{"withdrawal of general marketing stops third-party offers", "CONSENT_WITHDRAWN", func(r *eligibility.Request) {
			r.Message.Purpose = consent.MarketingThirdParty
			add(emailGrant(at.AddDate(0, -2, 0), consent.MarketingThirdParty))(r)
			add(consent.Record{ID: "w", Purpose: consent.MarketingGeneral, Channel: consent.Email,
				Sender: audience.Sender().Entity, Status: consent.Withdrawn, At: at.AddDate(0, -1, 0)})(r)
		}},
		{"withdrawal of third-party offers leaves general marketing", "CONSENT", func(r *eligibility.Request) {
			r.Message.Purpose = consent.MarketingGeneral
			add(emailGrant(at.AddDate(0, -2, 0), consent.MarketingGeneral))(r)
			add(consent.Record{ID: "w", Purpose: consent.MarketingThirdParty, Channel: consent.AllChannels,
				Sender: audience.Sender().Entity, Status: consent.Withdrawn, At: at.AddDate(0, -1, 0)})(r)
		}},
		{"15 on the local date in Paris", "CONSENT", func(r *eligibility.Request) {
			r.Contact.BirthDate = time.Date(2011, 3, 10, 0, 0, 0, 0, time.UTC)
			// 9 March 2026 23:30 UTC is 10 March 00:30 in Paris: 15 there.
			add(emailGrant(time.Date(2026, 3, 9, 23, 30, 0, 0, time.UTC), consent.MarketingGeneral))(r)
		}},
		{"14 on the local date in Paris", "MINOR_WITHOUT_PARENTAL_CONSENT", func(r *eligibility.Request) {
			r.Contact.BirthDate = time.Date(2011, 3, 10, 0, 0, 0, 0, time.UTC)
			add(emailGrant(time.Date(2026, 3, 9, 22, 30, 0, 0, time.UTC), consent.MarketingGeneral))(r)
		}},
		{"15 on the local date in an unnamed fixed zone", "CONSENT", func(r *eligibility.Request) {
			r.Contact.Location = time.FixedZone("", 3*3600) // 21:30 UTC is 00:30 there
			r.Contact.BirthDate = time.Date(2011, 3, 10, 0, 0, 0, 0, time.UTC)
			add(emailGrant(time.Date(2026, 3, 9, 21, 30, 0, 0, time.UTC), consent.MarketingGeneral))(r)
		}},
		{"14 on the local date in a named fixed zone", "MINOR_WITHOUT_PARENTAL_CONSENT", func(r *eligibility.Request) {
			r.Contact.Location = time.FixedZone("CEST", 2*3600) // 21:30 UTC is 23:30 there
			r.Contact.BirthDate = time.Date(2011, 3, 10, 0, 0, 0, 0, time.UTC)
			add(emailGrant(time.Date(2026, 3, 9, 21, 30, 0, 0, time.UTC), consent.MarketingGeneral))(r)
		}},
		{"energy renovation", "ENERGY_RENOVATION_CANVASSING_BAN", func(r *eligibility.Request) {
			r.Message.Category = "energy_renovation"
		}},
		{"energy renovation with a contract for it", "NO_CONSENT", func(r *eligibility.Request) {
			r.Message.Category = "energy_renovation"
			r.Contact.Relationship.Contracts = []consent.Contract{{ID: "k", Seller: audience.Sender().Entity,
				Category: "energy_renovation", Start: at.AddDate(-1, 0, 0)}}
		}},
		{"energy renovation with a contract for another category", "ENERGY_RENOVATION_CANVASSING_BAN", func(r *eligibility.Request) {
			r.Message.Category = "energy_renovation"
			r.Contact.Relationship.Contracts = []consent.Contract{{ID: "k", Seller: audience.Sender().Entity,
				Category: "kettles", Start: at.AddDate(-1, 0, 0)}}
		}},
		{"energy renovation on 1 July 2025 (start date disputed)", "CANVASSING_BAN_START_DATE_UNCLEAR", func(r *eligibility.Request) {
			r.Message.Category = "energy_renovation"
			r.Message.At = time.Date(2025, 7, 1, 21, 59, 59, 0, time.UTC)
		}},
		{"energy renovation on 30 June 2025", "NO_CONSENT", func(r *eligibility.Request) {
			r.Message.Category = "energy_renovation"
			r.Message.At = time.Date(2025, 6, 30, 21, 59, 59, 0, time.UTC)
		}},
		{"home adaptation", "HOME_ADAPTATION_CANVASSING_BAN", func(r *eligibility.Request) {
			r.Message.Category = "home_adaptation"
		}},
	}
	for _, e := range edges {
		t.Run(e.name, func(t *testing.T) {
			req := base()
			e.edit(&req)
			want := fromSendright(ev, req)
			got, err := opacompare.Decide(ctx, pq, &req)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Fatalf("the engines disagree\nsendright %+v\nOPA       %+v\n%s", want, got, describe(req))
			}
			if want.Reason != e.reason {
				t.Errorf("sendright answered %s, the edge was written to reach %s", want.Reason, e.reason)
			}
		})
	}
}

func fromSendright(ev *eligibility.Policy, req eligibility.Request) opacompare.Decision {
	d, _ := ev.Decide(req) // a malformed request is a Deny with an error: compare the Deny
	return opacompare.Decision{Verdict: d.Verdict.String(), Basis: d.Basis.String(), Rule: d.Rule,
		Reason: d.Reason, NeedsReview: d.NeedsReview}
}

// describe prints a request for a failure message: the contact as JSON, the
// message, and the Rego input.
func describe(req eligibility.Request) string {
	s := "contact: <nil>"
	if req.Contact != nil {
		js, _ := req.Contact.MarshalJSON()
		s = "contact: " + string(js)
	}
	s += "\nmessage: " + strconv.Quote(req.Message.Category) + " " + req.Message.Purpose.String() + " " +
		req.Message.Channel.String() + " " + req.Message.Sender.Entity + " " + req.Message.At.Format(time.RFC3339Nano) +
		" role_relevant=" + strconv.FormatBool(req.Message.RoleRelevant)
	if in, err := opacompare.Input(&req); err == nil {
		js, _ := json.Marshal(in)
		s += "\nrego input: " + string(js)
	}
	return s
}
