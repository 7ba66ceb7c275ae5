package consent

import (
	"encoding/json"
	"strconv"
	"time"
)

// Contact is one recipient as the host knows it: who they are, where they
// live, how they can be reached, their relationship with the sender and
// their consent history.
//
// A Contact holds parsed, validated values — a checked [Country], a loaded
// time zone, normalised addresses — so that deciding about it never parses.
// Contacts decoded from JSON are normalised and validated; a contact built
// in Go should be passed through [Contact.Normalize] once.
type Contact struct {
	// ID is the host's identifier for the contact. Required.
	ID string
	// Kind says whom the address or number belongs to. Required: the
	// library never guesses it from an address.
	Kind RecipientKind
	// Country is where the recipient is: it selects the rule set.
	Country Country
	// Location is the recipient's IANA time zone.
	Location *time.Location
	// BirthDate is the date of birth (only its date counts), zero when
	// unknown. An unknown birth date is treated as an adult's: hosts that
	// market to minors must record it.
	BirthDate time.Time
	// Email and Phone are the address and E.164 number messages go to, and
	// that grants must name.
	Email string
	Phone string
	// JobRole is the recipient's function, for business recipients.
	JobRole string
	// OptOutOfferedAtCollection records that when the address or number
	// was collected the person was informed and offered a free, simple way
	// to object (CNIL's condition for B2B prospection).
	OptOutOfferedAtCollection bool
	// Relationship is what the contact did with senders: purchases,
	// inquiries, support and contracts.
	Relationship Relationship
	// Records is the contact's consent history.
	Records Ledger
}

// Relationship is what the contact did with senders: the facts the soft
// opt-in and the customer exceptions rest on.
type Relationship struct {
	Purchases []Interaction // sales to the contact
	Inquiries []Interaction // quotes, inquiries, negotiations for a sale
	Support   []Interaction // for charities: support or interest expressed
	Contracts []Contract    // agreements with sellers, current or past
}

// Interaction is one purchase, inquiry or expression of support.
type Interaction struct {
	ID       string    `json:"id"`                 // the event's id, named as a decision's evidence
	At       time.Time `json:"at"`                 // when it happened; events after the message instant do not count
	Seller   string    `json:"seller"`             // the legal entity dealt with
	Category string    `json:"category,omitempty"` // product category, compared for "similar products"
	// Collected lists the channels whose address or number was obtained
	// from the contact in the course of this interaction: email for the
	// e-mail address, sms (or a voice channel) for the phone number. The
	// soft opt-in covers only what was collected at the sale.
	Collected []Channel `json:"collected,omitempty"`
	// OptOutOffered: a free, simple way to refuse marketing was offered
	// when the details were collected.
	OptOutOffered bool `json:"opt_out_offered,omitempty"`
}

// Contract is an agreement in force between Start and End (End zero: open).
type Contract struct {
	ID       string    `json:"id"`                 // the contract's id, named as a decision's evidence
	Seller   string    `json:"seller"`             // the legal entity contracted with
	Category string    `json:"category,omitempty"` // product category, compared for "similar products"
	Start    time.Time `json:"start"`              // when it comes into force
	End      time.Time `json:"end,omitzero"`       // when it ends (exclusive); zero while open-ended
}

// ActiveAt reports whether the contract is in force at t.
func (c *Contract) ActiveAt(t time.Time) bool {
	return !t.Before(c.Start) && (c.End.IsZero() || t.Before(c.End))
}

// MaxRelationshipEvents bounds each relationship list, like [MaxRecords].
const MaxRelationshipEvents = 10_000

// Address returns the normalised address messages on ch go to: the e-mail
// address for [Email], the number for SMS and calls, "" otherwise.
func (c *Contact) Address(ch Channel) string {
	switch ch {
	case Email:
		return c.Email
	case SMS, VoiceLive, VoiceAutomated:
		return c.Phone
	}
	return ""
}

// State answers a consent query for this contact, filling the address,
// birth date and time zone from the contact.
func (c *Contact) State(q Query) State {
	q.Address = c.Address(q.Channel)
	q.BirthDate = c.BirthDate
	q.Location = c.Location
	return c.Records.State(q)
}

// Normalize validates every field and puts addresses in canonical form
// (e-mail per [NormalizeEmail]; phone numbers in E.164, or in the national
// format of the contact's country per [NormalizePhoneIn]). It is the
// expensive check, meant to run once when a contact is loaded; JSON
// decoding calls it.
func (c *Contact) Normalize() error {
	if c.Email != "" {
		e, err := NormalizeEmail(c.Email)
		if err != nil {
			return prefix("email", err)
		}
		c.Email = e
	}
	if c.Phone != "" {
		p, err := NormalizePhoneIn(c.Phone, c.Country)
		if err != nil {
			return prefix("phone", err)
		}
		c.Phone = p
	}
	if !c.BirthDate.IsZero() {
		y, m, d := c.BirthDate.Date()
		c.BirthDate = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	return c.Check()
}

// Check verifies the invariants a decision relies on, cheaply and without
// allocating on success: required fields present, enumerations valid,
// relationship events complete. It does not re-parse addresses; see
// [Contact.Normalize].
func (c *Contact) Check() error {
	switch {
	case c.ID == "":
		return missing("contact.id")
	case !c.Kind.Valid():
		return enumErr("contact.kind", c.Kind.String())
	case c.Country.IsZero():
		return missing("contact.country")
	case c.Location == nil:
		return missing("contact.time_zone")
	case !c.BirthDate.IsZero() && (c.BirthDate.Year() < 1900 || c.BirthDate.Year() > 9999):
		return invalid("contact.birth_date", "year outside 1900-9999")
	}
	r := &c.Relationship
	if err := checkEvents("purchases", r.Purchases); err != nil {
		return err
	}
	if err := checkEvents("inquiries", r.Inquiries); err != nil {
		return err
	}
	if err := checkEvents("support", r.Support); err != nil {
		return err
	}
	if len(r.Contracts) > MaxRelationshipEvents {
		return &FieldError{Field: "contact.relationship.contracts", Err: ErrTooLarge}
	}
	for i := range r.Contracts {
		if err := r.Contracts[i].check(); err != nil {
			return prefix("contact.relationship.contracts["+strconv.Itoa(i)+"]", err)
		}
	}
	return nil
}

func checkEvents(name string, evs []Interaction) error {
	if len(evs) > MaxRelationshipEvents {
		return &FieldError{Field: "contact.relationship." + name, Err: ErrTooLarge}
	}
	for i := range evs {
		if err := evs[i].check(); err != nil {
			return prefix("contact.relationship."+name+"["+strconv.Itoa(i)+"]", err)
		}
	}
	return nil
}

func (e *Interaction) check() error {
	switch {
	case e.ID == "":
		return missing("id")
	case e.At.IsZero():
		return missing("at")
	case e.Seller == "":
		return missing("seller")
	case len(e.ID) > MaxIDLen || len(e.Seller) > MaxIDLen || len(e.Category) > MaxIDLen || len(e.Collected) > int(AllChannels):
		return &FieldError{Err: ErrTooLarge}
	}
	for _, ch := range e.Collected {
		if !ch.Valid() || ch == AllChannels {
			return enumErr("collected", ch.String())
		}
	}
	return nil
}

// CollectedFor reports whether the address or number used on ch was
// collected in this interaction. An SMS and a call use the same number.
func (e *Interaction) CollectedFor(ch Channel) bool {
	for _, c := range e.Collected {
		if c == ch || (c != Email && ch != Email && c.usesPhone() && ch.usesPhone()) {
			return true
		}
	}
	return false
}

func (c Channel) usesPhone() bool { return c == SMS || c == VoiceLive || c == VoiceAutomated }

func (k *Contract) check() error {
	switch {
	case k.ID == "":
		return missing("id")
	case k.Seller == "":
		return missing("seller")
	case k.Start.IsZero():
		return missing("start")
	case !k.End.IsZero() && k.End.Before(k.Start):
		return invalid("end", "contract ends before it starts")
	}
	return nil
}

// contactJSON is the wire form of a Contact.
type contactJSON struct {
	ID                        string        `json:"id"`
	Kind                      RecipientKind `json:"kind"`
	Country                   Country       `json:"country"`
	TimeZone                  string        `json:"time_zone"`
	BirthDate                 string        `json:"birth_date,omitempty"`
	Email                     string        `json:"email,omitempty"`
	Phone                     string        `json:"phone,omitempty"`
	JobRole                   string        `json:"job_role,omitempty"`
	OptOutOfferedAtCollection bool          `json:"opt_out_offered_at_collection,omitempty"`
	Relationship              struct {
		Purchases []Interaction `json:"purchases,omitempty"`
		Inquiries []Interaction `json:"inquiries,omitempty"`
		Support   []Interaction `json:"support,omitempty"`
		Contracts []Contract    `json:"contracts,omitempty"`
	} `json:"relationship,omitzero"`
	Records Ledger `json:"records"`
}

// MarshalJSON encodes the contact; the time zone as its IANA name and the
// birth date as YYYY-MM-DD.
func (c Contact) MarshalJSON() ([]byte, error) {
	j := contactJSON{ID: c.ID, Kind: c.Kind, Country: c.Country, Email: c.Email, Phone: c.Phone,
		JobRole: c.JobRole, OptOutOfferedAtCollection: c.OptOutOfferedAtCollection, Records: c.Records}
	if c.Location != nil {
		j.TimeZone = c.Location.String()
	}
	if !c.BirthDate.IsZero() {
		j.BirthDate = c.BirthDate.Format(time.DateOnly)
	}
	j.Relationship.Purchases = c.Relationship.Purchases
	j.Relationship.Inquiries = c.Relationship.Inquiries
	j.Relationship.Support = c.Relationship.Support
	j.Relationship.Contracts = c.Relationship.Contracts
	return json.Marshal(j)
}

// UnmarshalJSON decodes, validates and normalises a contact. Unknown fields,
// unknown enumeration values, an unknown country or time zone and malformed
// addresses are [*FieldError]s.
func (c *Contact) UnmarshalJSON(b []byte) error {
	// kind and country are decoded as text so that an error names the field.
	var w struct {
		contactJSON
		Kind    string `json:"kind"`
		Country string `json:"country"`
	}
	if err := strictJSON(b, &w); err != nil {
		return err
	}
	j := w.contactJSON
	var err error
	if j.Kind, err = parseField("contact.kind", w.Kind, ParseRecipientKind); err != nil {
		return err
	}
	if j.Country, err = parseField("contact.country", w.Country, ParseCountry); err != nil {
		return err
	}
	n := Contact{ID: j.ID, Kind: j.Kind, Country: j.Country, Email: j.Email, Phone: j.Phone,
		JobRole: j.JobRole, OptOutOfferedAtCollection: j.OptOutOfferedAtCollection, Records: j.Records}
	n.Relationship = Relationship{Purchases: j.Relationship.Purchases, Inquiries: j.Relationship.Inquiries,
		Support: j.Relationship.Support, Contracts: j.Relationship.Contracts}
	loc, err := LoadLocation(j.TimeZone)
	if err != nil {
		return err
	}
	n.Location = loc
	if j.BirthDate != "" {
		d, err := time.Parse(time.DateOnly, j.BirthDate)
		if err != nil {
			return invalid("contact.birth_date", "not a date (YYYY-MM-DD)")
		}
		n.BirthDate = d
	}
	if err := n.Normalize(); err != nil {
		return err
	}
	*c = n
	return nil
}

// LoadLocation loads an IANA time zone by name, refusing "" and "Local",
// whose meaning depends on the machine.
func LoadLocation(name string) (*time.Location, error) {
	if name == "" {
		return nil, missing("contact.time_zone")
	}
	if name == "Local" || len(name) > 64 {
		return nil, invalid("contact.time_zone", "not an IANA time zone name")
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, invalid("contact.time_zone", "unknown IANA time zone")
	}
	return loc, nil
}

// Sender is the organisation a message is sent by.
type Sender struct {
	// Entity is the sender's legal entity; consent and the soft opt-in are
	// per entity.
	Entity string `json:"entity"`
	// Kind is whether the sender is a company or a charity.
	Kind SenderKind `json:"kind"`
	// Country is the sender's country, which rules read as
	// request.sender.country. Optional: zero (read as "") when not given.
	Country Country `json:"country,omitzero"`
}

// Message is the send being decided: what it is for, how it travels, what
// it promotes, who sends it and when.
type Message struct {
	// Purpose is why the message is sent; [AllMarketing] is a record scope
	// and is refused here.
	Purpose Purpose `json:"purpose"`
	// Channel is the medium; [AllChannels] is a record scope and is
	// refused here.
	Channel Channel `json:"channel"`
	// Category is the product category promoted, compared with purchase
	// categories for "similar products" and with sector bans (for example
	// "energy_renovation", "home_adaptation").
	Category string `json:"category,omitempty"`
	// Sender is who sends the message; consent, relationship events and
	// objections are matched against its Entity.
	Sender Sender `json:"sender"`
	// At is the instant of the send. Required: the library never reads the
	// clock, so decisions are reproducible.
	At time.Time `json:"at"`
	// RoleRelevant is the host's statement that the message relates to a
	// business recipient's job. The library never infers it; false means
	// no B2B opt-out rule can apply.
	RoleRelevant bool `json:"role_relevant,omitempty"`
}

// Check verifies the message cheaply and without allocating on success.
func (m *Message) Check() error {
	switch {
	case !m.Purpose.Valid() || m.Purpose == AllMarketing:
		return enumErr("message.purpose", m.Purpose.String())
	case !m.Channel.Valid() || m.Channel == AllChannels:
		return enumErr("message.channel", m.Channel.String())
	case m.Sender.Entity == "":
		return missing("message.sender.entity")
	case !m.Sender.Kind.Valid():
		return enumErr("message.sender.kind", m.Sender.Kind.String())
	case m.At.IsZero():
		return missing("message.at")
	case len(m.Category) > MaxIDLen || len(m.Sender.Entity) > MaxIDLen:
		return &FieldError{Field: "message", Err: ErrTooLarge}
	}
	return nil
}

// UnmarshalJSON decodes a message strictly: unknown fields and unknown
// enumeration values are [*FieldError]s naming the field. A missing "at"
// decodes to the zero instant, which deciding then rejects.
func (m *Message) UnmarshalJSON(b []byte) error {
	var w struct {
		Purpose  string    `json:"purpose"`
		Channel  string    `json:"channel"`
		Category string    `json:"category"`
		At       time.Time `json:"at"`
		Role     bool      `json:"role_relevant"`
		Sender   struct {
			Entity  string `json:"entity"`
			Kind    string `json:"kind"`
			Country string `json:"country"`
		} `json:"sender"`
	}
	if err := strictJSON(b, &w); err != nil {
		return err
	}
	n := Message{Category: w.Category, At: w.At, RoleRelevant: w.Role, Sender: Sender{Entity: w.Sender.Entity}}
	var err error
	if n.Purpose, err = parseField("message.purpose", w.Purpose, ParsePurpose); err != nil {
		return err
	}
	if n.Channel, err = parseField("message.channel", w.Channel, ParseChannel); err != nil {
		return err
	}
	if n.Sender.Kind, err = parseField("message.sender.kind", w.Sender.Kind, ParseSenderKind); err != nil {
		return err
	}
	if w.Sender.Country != "" {
		if n.Sender.Country, err = parseField("message.sender.country", w.Sender.Country, ParseCountry); err != nil {
			return err
		}
	}
	*m = n
	return nil
}
