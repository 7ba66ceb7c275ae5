package eligibilitytest

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/internal/decode"
)

// TB is the part of [testing.TB] the kit uses; a *testing.T or
// *testing.B satisfies it.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// Sender is the fictional legal entity the builders default to: the
// sender of messages, the seller of purchases and inquiries, and the
// entity records are given to.
const Sender = "Maison Exemple SAS"

// The default contact: a French consumer in Paris with a fictional e-mail
// address and a number of the range ARCEP reserves for fiction.
const (
	defaultID      = "c-test-1"
	defaultCountry = "FR"
	defaultZone    = "Europe/Paris"
	defaultEmail   = "camille.martin@example.com"
)

// defaultPhones are fictional numbers, by country: ARCEP's range for
// fiction in France, Ofcom's drama range in the United Kingdom.
var defaultPhones = map[string]string{"FR": "+33639980001", "GB": "+447700900001"}

// contactSpec collects what the options ask for; [Contact] builds it.
type contactSpec struct {
	kind          consent.RecipientKind
	country, zone string
	email, phone  string
	phoneSet      bool
	records       []consent.Record
	purchases     []consent.Interaction
	inquiries     []consent.Interaction
	sends         []consent.Send
	edits         []func(*consent.Contact)
}

// A ContactOption changes the contact [Contact] builds.
type ContactOption func(*contactSpec)

// In places the contact in country (ISO 3166-1 alpha-2, e.g. "GB") and
// the IANA time zone zone (e.g. "Europe/London"). Only France and the
// United Kingdom have a default number; elsewhere give one with [Phone].
func In(country, zone string) ContactOption {
	return func(s *contactSpec) { s.country, s.zone = country, zone }
}

// Kind sets whom the address belongs to (default consent.Consumer).
func Kind(k consent.RecipientKind) ContactOption {
	return func(s *contactSpec) { s.kind = k }
}

// Email sets the contact's e-mail address; "" leaves it without one.
func Email(addr string) ContactOption {
	return func(s *contactSpec) { s.email = addr }
}

// Phone sets the contact's number, in E.164 or the national format of the
// contact's country; "" leaves it without one.
func Phone(number string) ContactOption {
	return func(s *contactSpec) { s.phone, s.phoneSet = number, true }
}

// Records adds consent, withdrawal and objection records (see [Grant],
// [Withdrawal], [Objection]). A record without an ID gets "r-1", "r-2", …;
// one without a Subject gets the contact's address on its channel (none
// for every channel); one without a Sender gets [Sender].
func Records(recs ...consent.Record) ContactOption {
	return func(s *contactSpec) { s.records = append(s.records, recs...) }
}

// Purchases adds purchases (see [Purchase]). One without an ID gets "p-1",
// "p-2", …; without a Seller, [Sender]; with Collected nil, the contact's
// e-mail address and number, as collected at the sale.
func Purchases(ps ...consent.Interaction) ContactOption {
	return func(s *contactSpec) { s.purchases = append(s.purchases, ps...) }
}

// Inquiries adds inquiries (see [Inquiry]), completed as [Purchases] are,
// with IDs "i-1", "i-2", ….
func Inquiries(is ...consent.Interaction) ContactOption {
	return func(s *contactSpec) { s.inquiries = append(s.inquiries, is...) }
}

// Sends adds messages the contact was sent (see [Send]): what house caps
// such as sent('all_marketing', 'email', 1) count. One without a Sender
// gets [Sender].
func Sends(ss ...consent.Send) ContactOption {
	return func(s *contactSpec) { s.sends = append(s.sends, ss...) }
}

// EditContact changes the built contact directly, for any field the other
// options do not set; the result is still checked by the decoder.
func EditContact(f func(*consent.Contact)) ContactOption {
	return func(s *contactSpec) { s.edits = append(s.edits, f) }
}

// Contact builds a contact: by default a French consumer (ID "c-test-1",
// zone Europe/Paris) with the e-mail address camille.martin@example.com, a
// fictional mobile number and no records. It fails the test (t.Fatalf)
// and returns nil when the result is one the JSON decoder or
// [consent.Contact.Check] (what every decision checks) would refuse.
func Contact(t TB, opts ...ContactOption) *consent.Contact {
	t.Helper()
	s := contactSpec{kind: consent.Consumer, country: defaultCountry, zone: defaultZone, email: defaultEmail}
	for _, o := range opts {
		o(&s)
	}
	c, err := s.build()
	if err == nil {
		c, err = roundTrip(c)
	}
	if err != nil {
		t.Fatalf("eligibilitytest.Contact: %v", err)
		return nil
	}
	return c
}

// build assembles the contact the spec describes.
func (s *contactSpec) build() (*consent.Contact, error) {
	country, err := address.ParseCountry(s.country)
	if err != nil {
		return nil, err
	}
	if s.zone == "" || s.zone == "Local" {
		return nil, fmt.Errorf("time zone %q: name an IANA zone", s.zone)
	}
	loc, err := time.LoadLocation(s.zone)
	if err != nil {
		return nil, err
	}
	c := &consent.Contact{ID: defaultID, Kind: s.kind, Country: country, Location: loc}
	if s.email != "" {
		if c.Email, err = address.ParseEmail(s.email); err != nil {
			return nil, err
		}
	}
	phone := s.phone
	if !s.phoneSet {
		phone = defaultPhones[country.String()]
	}
	if phone != "" {
		if c.Phone, err = address.ParsePhone(phone, country); err != nil {
			return nil, err
		}
	}
	recs := make([]consent.Record, len(s.records))
	for i, r := range s.records {
		if r.ID == "" {
			r.ID = fmt.Sprintf("r-%d", i+1)
		}
		if r.Subject.IsZero() && r.Channel != consent.AllChannels {
			r.Subject = c.Address(r.Channel)
		}
		if r.Sender == "" {
			r.Sender = Sender
		}
		recs[i] = r
	}
	if err := c.Records.Append(recs...); err != nil {
		return nil, err
	}
	c.Relationship.Purchases = complete(c, s.purchases, "p")
	c.Relationship.Inquiries = complete(c, s.inquiries, "i")
	for _, m := range s.sends {
		if m.Sender == "" {
			m.Sender = Sender
		}
		c.Sent = append(c.Sent, m)
	}
	for _, f := range s.edits {
		f(c)
	}
	return c, nil
}

// complete fills the defaults of interactions (see [Purchases]).
func complete(c *consent.Contact, evs []consent.Interaction, prefix string) []consent.Interaction {
	if len(evs) == 0 {
		return nil
	}
	out := make([]consent.Interaction, len(evs))
	for i, e := range evs {
		if e.ID == "" {
			e.ID = fmt.Sprintf("%s-%d", prefix, i+1)
		}
		if e.Seller == "" {
			e.Seller = Sender
		}
		if e.Collected == nil {
			for _, a := range []address.Address{c.Email, c.Phone} {
				if !a.IsZero() {
					e.Collected = append(e.Collected, a)
				}
			}
		}
		out[i] = e
	}
	return out
}

// roundTrip passes c through its JSON form, the strict decoder and
// [consent.Contact.Check] (what every decision checks), so that the kit
// hands out only contacts the decoder and the policy accept.
func roundTrip(c *consent.Contact) (*consent.Contact, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	var back consent.Contact
	if err := decode.JSON(b, &back); err != nil {
		return nil, err
	}
	if err := back.Check(); err != nil {
		return nil, err
	}
	return &back, nil
}

// Grant returns a consent to marketing_general on ch given at at, by an
// unticked box (the contact builder fills in ID, subject and sender).
func Grant(ch consent.Channel, at time.Time) consent.Record {
	return consent.Record{Purpose: consent.MarketingGeneral, Channel: ch, Status: consent.Granted, At: at,
		Method: consent.UntickedCheckbox}
}

// Withdrawal returns a withdrawal of marketing_general on ch received at at.
func Withdrawal(ch consent.Channel, at time.Time) consent.Record {
	return consent.Record{Purpose: consent.MarketingGeneral, Channel: ch, Status: consent.Withdrawn, At: at}
}

// Objection returns an objection to direct marketing on ch received at at.
func Objection(ch consent.Channel, at time.Time) consent.Record {
	return consent.Record{Purpose: consent.MarketingGeneral, Channel: ch, Status: consent.Objection, At: at}
}

// Purchase returns a sale at at of a product of category, with a way to
// refuse marketing offered when the details were collected (the contact
// builder fills in ID, seller and the addresses collected).
func Purchase(at time.Time, category string) consent.Interaction {
	return consent.Interaction{At: at, Category: category, OptOutOffered: true}
}

// Inquiry returns an inquiry at at about a product of category, with a way
// to refuse marketing offered, completed as [Purchase] is.
func Inquiry(at time.Time, category string) consent.Interaction {
	return consent.Interaction{At: at, Category: category, OptOutOffered: true}
}

// Send returns a marketing_general message sent on ch at at (the contact
// builder fills in the sender).
func Send(ch consent.Channel, at time.Time) consent.Send {
	return consent.Send{At: at, Channel: ch, Purpose: consent.MarketingGeneral}
}

// A MessageOption changes the message [Message] builds.
type MessageOption func(*consent.Message)

// Purpose sets the message's purpose (default consent.MarketingGeneral).
func Purpose(p consent.Purpose) MessageOption {
	return func(m *consent.Message) { m.Purpose = p }
}

// Category sets the product category the message promotes.
func Category(c string) MessageOption {
	return func(m *consent.Message) { m.Category = c }
}

// From sets the sender (default [Sender], a company).
func From(entity string, kind consent.SenderKind) MessageOption {
	return func(m *consent.Message) { m.Sender = consent.Sender{Entity: entity, Kind: kind} }
}

// EditMessage changes the built message directly, for any field the other
// options do not set; the result is still checked by the decoder.
func EditMessage(f func(*consent.Message)) MessageOption {
	return func(m *consent.Message) { f(m) }
}

// Message builds a marketing_general message on ch at at from [Sender], a
// company. It fails the test (t.Fatalf) and returns the zero Message when
// the result is one the JSON decoder or [consent.Message.Check] (what every
// decision checks) would refuse.
func Message(t TB, ch consent.Channel, at time.Time, opts ...MessageOption) consent.Message {
	t.Helper()
	m := consent.Message{Purpose: consent.MarketingGeneral, Channel: ch, At: at,
		Sender: consent.Sender{Entity: Sender, Kind: consent.Company}}
	for _, o := range opts {
		o(&m)
	}
	b, err := json.Marshal(m)
	var back consent.Message
	if err == nil {
		err = decode.JSON(b, &back)
	}
	if err == nil {
		err = back.Check()
	}
	if err != nil {
		t.Fatalf("eligibilitytest.Message: %v", err)
		return consent.Message{}
	}
	return back
}
