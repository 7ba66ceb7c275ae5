// Package audience generates deterministic synthetic audiences for the
// module's benchmarks, tests and the examples/opa-compare harness: the same
// seed gives the same requests. [New] draws a realistic mix of contacts
// ([DefaultMix]); [NewRandom] draws requests that exercise every rule. It is
// a test fixture, internal so that it is not API; nothing in it is mutable
// from outside: every value is returned fresh by a function.
package audience

import (
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
)

// Mix is the share, in percent, of each kind of contact in an audience.
// The remainder up to 100 has no basis at all.
type Mix struct {
	Consent    int // consumers with a valid consent for the channel
	SoftOptIn  int // customers with a similar purchase and an opt-out offered
	B2BNamed   int // named business addresses, informed at collection
	B2BGeneric int // generic role addresses
	Objection  int // customers who objected to marketing
}

// DefaultMix returns the documented realistic mix: 35 % consent, 20 % soft
// opt-in customers, 10 % named and 10 % generic business addresses, 10 %
// objections, 15 % with no basis.
func DefaultMix() Mix {
	return Mix{Consent: 35, SoftOptIn: 20, B2BNamed: 10, B2BGeneric: 10, Objection: 10}
}

// Sender returns the entity every message of [New] comes from.
func Sender() consent.Sender {
	return consent.Sender{Entity: "Maison Exemple SAS", Kind: consent.Company}
}

// At returns the instant of every message of [New].
func At() time.Time { return time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC) }

// Generator makes requests for one country and channel.
type Generator struct {
	rng     *rand.Rand
	mix     Mix
	country address.Country
	channel consent.Channel
	loc     *time.Location
	n       int
}

// New returns a generator seeded with seed.
func New(seed uint64, country address.Country, ch consent.Channel, mix Mix) *Generator {
	return &Generator{rng: rand.New(rand.NewPCG(seed, 0x5e4d)), mix: mix, country: country, channel: ch, loc: time.UTC}
}

// Next returns the next request. Each call builds a new contact.
func (g *Generator) Next() eligibility.Request {
	g.n++
	id := strconv.Itoa(g.n)
	c := &consent.Contact{ID: "c-" + id, Kind: consent.Consumer, Country: g.country, Location: g.loc,
		Email: address.MustParseEmail("person" + id + "@example.com"), Phone: phoneOf(g.country, g.n)}
	purpose := consent.MarketingSimilar
	if g.rng.IntN(2) == 0 {
		purpose = consent.MarketingGeneral
	}
	roll := g.rng.IntN(100)
	m := g.mix
	switch {
	case roll < m.Consent:
		g.grant(c, g.channel)
	case roll < m.Consent+m.SoftOptIn:
		g.purchase(c)
		purpose = consent.MarketingSimilar
	case roll < m.Consent+m.SoftOptIn+m.B2BNamed:
		c.Kind = consent.BusinessNamed
		c.OptOutOfferedAtCollection = true
		c.CollectedAt = At().AddDate(0, -6, 0) // within the CNIL's three years
	case roll < m.Consent+m.SoftOptIn+m.B2BNamed+m.B2BGeneric:
		c.Kind = consent.BusinessGeneric
	case roll < m.Consent+m.SoftOptIn+m.B2BNamed+m.B2BGeneric+m.Objection:
		g.purchase(c)
		g.grant(c, g.channel)
		if err := c.Records.Append(consent.Record{ID: "o-" + id, Purpose: consent.AllMarketing,
			Channel: consent.AllChannels, Sender: Sender().Entity, Status: consent.Objection, At: At().AddDate(0, 0, -3)}); err != nil {
			panic(err)
		}
	default:
		if g.rng.IntN(2) == 0 { // consent for another channel only
			other := consent.SMS
			if g.channel == consent.SMS {
				other = consent.Email
			}
			g.grant(c, other)
		}
	}
	return eligibility.Request{Contact: c, Message: consent.Message{Purpose: purpose, Channel: g.channel,
		Category: "kettles", Sender: Sender(), At: At(), RoleRelevant: c.Kind == consent.BusinessNamed || c.Kind == consent.BusinessGeneric}}
}

// Requests returns the next n requests.
func (g *Generator) Requests(n int) []eligibility.Request {
	out := make([]eligibility.Request, n)
	for i := range out {
		out[i] = g.Next()
	}
	return out
}

func (g *Generator) grant(c *consent.Contact, ch consent.Channel) {
	subject := c.Email
	if ch != consent.Email {
		subject = c.Phone
	}
	captured := At().AddDate(0, -g.rng.IntN(36)-1, 0)
	err := c.Records.Append(consent.Record{ID: "g-" + c.ID + "-" + ch.String(), Subject: subject,
		Purpose: consent.MarketingGeneral, Channel: ch, Sender: Sender().Entity, Status: consent.Granted,
		At: captured, Method: consent.DoubleOptIn, ConfirmedAt: captured.Add(time.Hour)})
	if err != nil {
		panic(err) // generated records are valid by construction
	}
}

func (g *Generator) purchase(c *consent.Contact) {
	c.Relationship.Purchases = append(c.Relationship.Purchases, consent.Interaction{
		ID: "p-" + c.ID, At: At().AddDate(0, -g.rng.IntN(24)-1, 0), Seller: Sender().Entity,
		Category: "kettles", Collected: []address.Address{c.Email, c.Phone}, OptOutOffered: true})
}

// phoneOf returns a fictional mobile number of country c's numbering
// plan, the n-th of 10,000, so that a contact's number is of its own
// country (a number of another country brings that country's law: see
// [address.Address.NumberCountry]): ARCEP's range for fiction in France,
// Ofcom's drama range in the United Kingdom, a 555 exchange in North
// America, unassigned-looking mobile ranges elsewhere. A country without
// one gets a French number.
func phoneOf(c address.Country, n int) address.Address {
	f, ok := fictionalPhones[c.String()]
	if !ok {
		f = fictionalPhones["FR"]
	}
	return address.MustParsePhone(f[0]+pad(n%10000)+f[1], address.Country{})
}

// fictionalPhones are phoneOf's numbers by country: the digits before and
// after the four that number the contact.
var fictionalPhones = map[string][2]string{
	"FR": {"+3363998", ""}, "GB": {"+4477009", "0"}, "BE": {"+32470", "00"}, "DE": {"+491555", "00"},
	"IT": {"+39355", "00"}, "ES": {"+34655", "00"}, "NL": {"+3165", "000"}, "IE": {"+35387", "000"},
	"US": {"+1202555", ""}, "CA": {"+1416555", ""}, "AU": {"+6149157", ""},
}

func pad(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 4 {
		s = "0" + s
	}
	return s
}
