package eligibility_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
)

// The case: a contact built in Go with an unnormalised spelling of
// the address a grant names is allowed on that grant.
func TestGoBuiltContactSpelling(t *testing.T) {
	c := &consent.Contact{ID: "c-1", Kind: consent.Consumer, Country: address.MustCountry("FR"), Location: paris,
		Email: address.MustParseEmail("Lea@Example.COM ")}
	if err := c.Records.Append(consent.Record{ID: "g-1", Subject: address.MustParseEmail("lea@example.com"),
		Purpose: consent.MarketingGeneral, Channel: consent.Email, Sender: shop.Entity, Status: consent.Granted,
		At: at.AddDate(-1, 0, 0), Method: consent.UntickedCheckbox}); err != nil {
		t.Fatal(err)
	}
	d, err := evaluator(t).Decide(eligibility.Request{Contact: c, Message: consent.Message{
		Purpose: consent.MarketingGeneral, Channel: consent.Email, Sender: shop, At: at}})
	if err != nil || d.Verdict != eligibility.Allow || d.Evidence != (eligibility.Evidence{Kind: eligibility.RecordEvidence, ID: "g-1"}) {
		t.Errorf("Decide() = %v, %v; want allow on grant g-1", d, err)
	}
}

// spelling is one way of writing a contact's addresses: the contact's own,
// the grants' subjects and the addresses collected at a purchase are each
// parsed from the text given, with the contact's country.
type spelling struct {
	name                         string
	email, grantEmail, seenEmail string
	phone, grantPhone, seenPhone string
}

// TestAddressSpellingsDecideAlike: a Go-built contact decides exactly like
// its canonical form, whatever the spelling of its addresses (case,
// surrounding space, NFD, IDNA Unicode or ASCII, national or E.164 phone
// formats), in France, Belgium and the United Kingdom, on consent, the soft
// opt-in and a refusal at collection.
func TestAddressSpellingsDecideAlike(t *testing.T) {
	type country struct {
		code string
		loc  *time.Location
		// canonical forms, then national spellings of the number
		email, phone string
		national     []string
	}
	countries := []country{
		{"FR", paris, "josé.martin@xn--exmple-cua.example", "+33639980001",
			[]string{"06 39 98 00 01", "06.39.98.00.01", "0033 6 39 98 00 01", "+33 (0)6 39 98 00 01"}},
		{"BE", mustLoad("Europe/Brussels"), "josé.martin@xn--exmple-cua.example", "+32460000001",
			[]string{"0460 00 00 01", "0460 00.00.01", "0032 460 00 00 01", "+32 (0)460 00 00 01"}},
		{"GB", mustLoad("Europe/London"), "josé.martin@xn--exmple-cua.example", "+447700900123",
			[]string{"07700 900123", "07700-900-123", "0044 7700 900123", "+44 (0)7700 900123"}},
	}
	ev := evaluator(t)
	for _, cn := range countries {
		spellings := []spelling{{"canonical", cn.email, cn.email, cn.email, cn.phone, cn.phone, cn.phone}}
		emails := []string{"JOSÉ.Martin@Exämple.Example", " josé.martin@EXÄMPLE.example\t", "jose\u0301.martin@exa\u0308mple.example",
			"JOSE\u0301.MARTIN@XN--EXMPLE-CUA.EXAMPLE", "josé.martin@xn--exmple-cua.example"}
		for i, e := range emails {
			n := cn.national[i%len(cn.national)]
			spellings = append(spellings,
				spelling{"contact " + e + " " + n, e, cn.email, cn.email, n, cn.phone, cn.phone},
				spelling{"records " + e + " " + n, cn.email, e, cn.email, cn.phone, n, cn.phone},
				spelling{"collected " + e + " " + n, cn.email, cn.email, e, cn.phone, cn.phone, n},
				spelling{"all " + e + " " + n, e, emails[(i+1)%len(emails)], emails[(i+2)%len(emails)],
					n, cn.national[(i+1)%len(cn.national)], cn.national[(i+2)%len(cn.national)]})
		}
		decide := func(sp spelling) []eligibility.Decision {
			var out []eligibility.Decision
			for _, refused := range []bool{false, true} {
				for _, grant := range []bool{false, true} {
					c := spelledContact(t, cn.code, cn.loc, sp, grant, refused)
					for _, ch := range []consent.Channel{consent.Email, consent.SMS} {
						for _, p := range []consent.Purpose{consent.MarketingGeneral, consent.MarketingSimilar} {
							d, err := ev.Decide(eligibility.Request{Contact: c, Message: consent.Message{Purpose: p,
								Channel: ch, Category: "kettles", Sender: shop, At: at}})
							if err != nil {
								t.Fatalf("%s %s: Decide() error = %v", cn.code, sp.name, err)
							}
							out = append(out, d)
						}
					}
				}
			}
			return out
		}
		want := decide(spellings[0])
		for _, sp := range spellings[1:] {
			obligations := cmp.Comparer(func(a, b eligibility.Obligations) bool { return cmp.Equal(a.Names(), b.Names()) })
			if diff := cmp.Diff(want, decide(sp), obligations); diff != "" {
				t.Errorf("%s, %s: decisions differ from the canonical spelling (-canonical +spelt):\n%s", cn.code, sp.name, diff)
			}
		}
		// The canonical decisions cover consent, the soft opt-in and the refusal.
		seen := map[string]bool{}
		for _, d := range want {
			seen[d.Reason] = true
		}
		for _, r := range []string{"CONSENT", "SOFT_OPT_IN", "OBJECTION_ON_FILE"} {
			if !seen[r] {
				t.Errorf("%s: no canonical decision with reason %s: the test does not reach it (%v)", cn.code, r, seen)
			}
		}
	}
}

// spelledContact builds a consumer of country whose addresses are spelt as
// sp says: an e-mail and SMS grant to shop (when grant), and a kettle
// purchase from shop at which both addresses were collected with an opt-out
// offered (refused at collection when refused).
func spelledContact(t *testing.T, code string, loc *time.Location, sp spelling, grant, refused bool) *consent.Contact {
	t.Helper()
	country := address.MustCountry(code)
	parse := func(s string) address.Address {
		a, err := address.Parse(s, country)
		if err != nil {
			t.Fatalf("%s: address.Parse(%q, %s): %v", sp.name, s, code, err)
		}
		return a
	}
	c := &consent.Contact{ID: "c-" + code, Kind: consent.Consumer, Country: country, Location: loc,
		Email: parse(sp.email), Phone: parse(sp.phone),
		Relationship: consent.Relationship{Purchases: []consent.Interaction{{ID: "p-1", At: at.AddDate(0, -3, 0),
			Seller: shop.Entity, Category: "kettles", Collected: []address.Address{parse(sp.seenEmail), parse(sp.seenPhone)},
			OptOutOffered: true, Refused: refused}}},
	}
	if grant {
		// Granted before the purchase, so a refusal at the purchase prevails.
		err := c.Records.Append(
			consent.Record{ID: "g-email", Subject: parse(sp.grantEmail), Purpose: consent.MarketingGeneral,
				Channel: consent.Email, Sender: shop.Entity, Status: consent.Granted, At: at.AddDate(-1, 0, 0),
				Method: consent.SignedForm},
			consent.Record{ID: "g-sms", Subject: parse(sp.grantPhone), Purpose: consent.MarketingGeneral,
				Channel: consent.SMS, Sender: shop.Entity, Status: consent.Granted, At: at.AddDate(-1, 0, 0),
				Method: consent.SignedForm})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	return c
}

// A refusal at collection denies without allocating, like any objection.
func TestRefusalDecisionDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	e := "josé.martin@xn--exmple-cua.example"
	c := spelledContact(t, "FR", paris, spelling{"canonical", e, e, e, "+33639980001", "+33639980001", "+33639980001"}, true, true)
	ev := evaluator(t)
	req := eligibility.Request{Contact: c, Message: consent.Message{Purpose: consent.MarketingSimilar,
		Channel: consent.SMS, Category: "kettles", Sender: shop, At: at}}
	d, err := ev.Decide(req)
	if err != nil || d.Reason != "OBJECTION_ON_FILE" || d.Evidence != (eligibility.Evidence{Kind: eligibility.RefusalEvidence, ID: "p-1"}) {
		t.Fatalf("Decide() = %v, %v; want a denial on the refusal p-1", d, err)
	}
	if n := testing.AllocsPerRun(50, func() { _, _ = ev.Decide(req) }); n != 0 {
		t.Errorf("Decide() on a refusal allocates %v times per call, want 0", n)
	}
}
