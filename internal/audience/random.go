package audience

import (
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
)

// Random generates requests that exercise every rule, not a realistic mix:
// any recipient kind, purpose and category (including the French sector-ban
// categories), senders A and B, instants around the dates rules change,
// minors, and ledgers of zero to five records of every method, status and
// scope — some at the same instant, some after the message, some naming
// another address. The same seed gives the same requests.
type Random struct {
	rng      *rand.Rand
	country  address.Country
	loc      *time.Location
	channels []consent.Channel
	senders  []consent.Sender
	// categories is Categories(), drawn from for messages and interactions.
	categories []string
	n          int
}

// SenderA returns the company that sends some of [Random]'s messages.
func SenderA() consent.Sender {
	return consent.Sender{Entity: "Maison Exemple SAS", Kind: consent.Company}
}

// SenderB returns the charity that sends the others.
func SenderB() consent.Sender {
	return consent.Sender{Entity: "Exemple Charity", Kind: consent.Charity}
}

// Categories returns the categories [Random] uses, in a new slice; kettles
// and toasters are declared similar by [SimilarityGroups]. Some are spelt
// differently from their canonical key (consent.CategoryKey), as hosts
// spell them.
func Categories() []string {
	return []string{"kettles", "toasters", "energy_renovation", "home_adaptation", "books", "",
		"Energy-Renovation", " home adaptation", "KETTLES", "\u00a0", "energy_renovations"}
}

// SimilarityGroups returns, in a new map, the groups that declare kettles
// and toasters similar, for policies the random requests are decided with.
func SimilarityGroups() map[string][]string {
	return map[string][]string{"small_kitchen_appliances": {"kettles", "toasters"}}
}

// NewRandom returns a generator for contacts in country, on channels.
func NewRandom(seed uint64, country address.Country, loc *time.Location, channels ...consent.Channel) *Random {
	return &Random{rng: rand.New(rand.NewPCG(seed, 0xc0ffee)), country: country, loc: loc, channels: channels,
		senders: []consent.Sender{SenderA(), SenderB()}, categories: Categories()}
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// instant returns one of a few instants around rule changes, or a random one.
func (g *Random) instant() time.Time {
	fixed := []time.Time{
		time.Date(2025, 7, 1, 23, 0, 0, 0, time.UTC), // 2 Jul 2025 01:00 Paris
		time.Date(2025, 7, 1, 21, 59, 59, 0, time.UTC),
		time.Date(2026, 2, 5, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 2, 4, 23, 59, 59, 0, time.UTC),
		time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC),
	}
	if g.rng.IntN(3) == 0 {
		return pick(g.rng, fixed)
	}
	start := time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC)
	return start.Add(time.Duration(g.rng.Int64N(int64(10 * 365 * 24 * time.Hour))))
}

// Next returns the next request.
func (g *Random) Next() eligibility.Request {
	g.n++
	id := strconv.Itoa(g.n)
	r := g.rng
	c := &consent.Contact{
		ID: "r-" + id, Kind: consent.RecipientKind(1 + r.IntN(4)), Country: g.country, Location: g.loc,
		Email: address.MustParseEmail("someone" + id + "@example.org"), Phone: phoneOf(g.country, g.n),
		OptOutOfferedAtCollection: r.IntN(2) == 0,
	}
	at := g.instant()
	if r.IntN(4) == 0 {
		c.BirthDate = time.Date(at.Year()-10-r.IntN(12), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	}
	msg := consent.Message{
		Purpose: consent.Purpose(1 + r.IntN(7)), Channel: pick(r, g.channels), Category: pick(r, g.categories),
		Sender: pick(r, g.senders), At: at, RoleRelevant: r.IntN(2) == 0,
		Content: markers(r),
	}
	g.relationship(c, at)
	var recs []consent.Record
	for i := range r.IntN(6) {
		recs = append(recs, g.record(c, id, i, at))
	}
	if err := c.Records.Append(recs...); err != nil {
		panic(err) // generated records are valid by construction
	}
	return eligibility.Request{Contact: c, Message: msg}
}

// when returns an instant of an event: at the message's instant at, shortly
// after it, or up to six years before.
func (g *Random) when(at time.Time) time.Time {
	r := g.rng
	switch r.IntN(4) {
	case 0:
		return at // the same instant
	case 1:
		return at.Add(time.Duration(r.Int64N(int64(48 * time.Hour)))) // after the message
	}
	return at.Add(-time.Duration(r.Int64N(int64(6 * 365 * 24 * time.Hour))))
}

// relationship gives c up to two interactions and perhaps a contract.
func (g *Random) relationship(c *consent.Contact, at time.Time) {
	r := g.rng
	for i := range r.IntN(3) {
		ev := consent.Interaction{ID: "p" + strconv.Itoa(i), At: g.when(at), Seller: pick(r, g.senders).Entity,
			Category: pick(r, g.categories), Collected: collected(r, c), OptOutOffered: r.IntN(4) != 0}
		// Now and then the person refused marketing at collection.
		ev.Refused = len(ev.Collected) > 0 && r.IntN(8) == 0
		switch r.IntN(3) {
		case 0:
			c.Relationship.Purchases = append(c.Relationship.Purchases, ev)
		case 1:
			c.Relationship.Inquiries = append(c.Relationship.Inquiries, ev)
		default:
			c.Relationship.Support = append(c.Relationship.Support, ev)
		}
	}
	if r.IntN(4) == 0 {
		start := g.when(at)
		k := consent.Contract{ID: "k", Seller: pick(r, g.senders).Entity, Start: start, Category: pick(r, g.categories)}
		if r.IntN(2) == 0 {
			k.End = start.Add(time.Duration(r.Int64N(int64(3 * 365 * 24 * time.Hour))))
		}
		c.Relationship.Contracts = append(c.Relationship.Contracts, k)
	}
}

// record returns the i-th ledger record of c (whose id suffix is id): a
// grant three times in five, else a withdrawal or an objection.
func (g *Random) record(c *consent.Contact, id string, i int, at time.Time) consent.Record {
	r := g.rng
	rec := consent.Record{ID: "rec" + strconv.Itoa(i), Sender: pick(r, g.senders).Entity, At: g.when(at)}
	switch r.IntN(5) {
	case 0, 1, 2:
		rec.Status = consent.Granted
		rec.Purpose = consent.Purpose(2 + r.IntN(6)) // a marketing purpose
		rec.Channel = pick(r, []consent.Channel{consent.Email, consent.SMS, consent.VoiceLive})
		rec.Method = consent.Method(1 + r.IntN(7))
		rec.Subject = c.Address(rec.Channel)
		if rec.Subject.IsZero() || r.IntN(8) == 0 {
			rec.Subject = address.MustParseEmail("old" + id + "@example.org")
		}
		if rec.Method == consent.DoubleOptIn && r.IntN(3) != 0 {
			rec.ConfirmedAt = rec.At.Add(time.Duration(r.Int64N(int64(72 * time.Hour))))
		}
		if r.IntN(2) == 0 {
			rec.ProofRef = "proof-" + id
		}
		rec.Parental = consent.Parental(r.IntN(3))
	case 3:
		rec.Status = consent.Withdrawn
		rec.Purpose = consent.Purpose(2 + r.IntN(7)) // any marketing purpose or all
		rec.Channel = consent.Channel(1 + r.IntN(7))
	default:
		rec.Status = consent.Objection
		rec.Purpose = pick(r, []consent.Purpose{consent.AllMarketing, consent.AllMarketing, consent.MarketingGeneral,
			consent.MarketingSimilar, consent.ConsentRequest, consent.FeedbackRequest, consent.MarketingThirdParty})
		rec.Channel = pick(r, []consent.Channel{consent.AllChannels, consent.Email, consent.SMS})
	}
	return rec
}

// Requests returns the next n requests.
func (g *Random) Requests(n int) []eligibility.Request {
	out := make([]eligibility.Request, n)
	for i := range out {
		out[i] = g.Next()
	}
	return out
}

// markers returns random content markers: each of the three with
// probability 1/4, so that about 42 % of messages carry none. It draws two
// independent masks and clears the second's bits from the first; written
// inline as one expression, the two identical-looking draws read as x &^ x,
// which is always zero, and that is not what is meant.
func markers(r *rand.Rand) consent.Content {
	keep := consent.Content(r.IntN(8))
	drop := consent.Content(r.IntN(8))
	return keep &^ drop
}

// collected picks which addresses of c an interaction collected: none, its
// e-mail address, its number, both, or an older address it no longer uses.
func collected(r *rand.Rand, c *consent.Contact) []address.Address {
	switch r.IntN(6) {
	case 0:
		return nil
	case 1:
		return []address.Address{c.Email}
	case 2:
		return []address.Address{c.Phone}
	case 3:
		return []address.Address{address.MustParseEmail("Old." + c.ID + "@Example.org")}
	}
	return []address.Address{c.Email, c.Phone}
}
