package consent

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/consent/calls"
	"github.com/sendright/sendright/internal/canon"
	"github.com/sendright/sendright/internal/limits"
)

// Contact is one recipient as the host knows it: who they are, where they
// live, how they can be reached, their relationship with the sender and
// their consent history.
//
// A Contact holds parsed, validated values — a checked [address.Country], a loaded
// time zone, parsed [address.Address]es — so that deciding about it never parses,
// and no spelling of an address can change a decision. Contacts decoded from
// JSON are validated; every decision checks a contact ([Contact.Check]), and
// a host that builds contacts in Go can call Check once on load to find
// mistakes early.
type Contact struct {
	// ID is the host's identifier for the contact. Required.
	ID string
	// Kind says whom the address or number belongs to. Required: the
	// library never guesses it from an address.
	Kind RecipientKind
	// Country is where the recipient is: it selects the rule set.
	Country address.Country
	// Region is the subdivision of Country the recipient is in, as an ISO
	// 3166-2 code ("FR-57", "GB-SCT", "US-FL"), or empty when unknown: it
	// selects regional public holidays (Alsace-Moselle's, Scotland's) and a
	// subdivision's rule set (a US state's). It must begin with the
	// contact's country code; for the United States, Canada and Australia
	// it must be one of their ISO 3166-2 codes.
	Region string
	// Location is the recipient's IANA time zone, loaded with
	// time.LoadLocation("Europe/Paris"). Required, and never [time.Local]
	// (what time.LoadLocation("Local") returns): its meaning depends on the
	// machine, so the same contact would be decided differently on two
	// servers, and it cannot be written to JSON. Note that
	// time.LoadLocation("") is UTC: a host whose zone column may be empty
	// must refuse the empty name itself.
	Location *time.Location
	// BirthDate is the date of birth (only its date, in its own zone,
	// counts), zero when unknown. An unknown birth date is treated as an adult's: hosts that
	// market to minors must record it.
	BirthDate time.Time
	// Email and Phone are the address and number messages go to, and that
	// grants must name (compared as by [address.Address.Same]). The zero Address:
	// none.
	Email address.Address
	Phone address.Address
	// Push is the application installation push notifications go to
	// ([address.ParsePush]), and Postal the postal address letters go to
	// ([address.ParsePostal]); grants on those channels must name them
	// (Record.Subject), as e-mail and phone grants name theirs. The zero
	// Address: none, and a message on that channel is refused as missing
	// its address.
	Push   address.Address
	Postal address.Address
	// PushPermitted is the operating system's notification permission for
	// the application of Push, as the host last saw it: false when denied
	// or unknown.
	PushPermitted bool
	// CollectedAt is when the contact's details were collected by the
	// organisation holding them; zero when unknown. French prospection is
	// bounded by it (the CNIL's three years from collection or from the
	// prospect's last contact: the rule language's prospectActiveWithin).
	CollectedAt time.Time
	// JobRole is the recipient's function, for business recipients.
	JobRole string
	// OptOutOfferedAtCollection records that when the address or number
	// was collected the person was informed and offered a free, simple way
	// to object (CNIL's condition for B2B prospection).
	OptOutOfferedAtCollection bool
	// PublishedForMarketing lists the e-mail addresses and phone numbers
	// the organisation the contact belongs to published itself for
	// receiving commercial, charitable or idealistic messages: an address
	// its website or a directory entry gives for offers, not one that
	// merely appears there (a contact person's address on the website was
	// not published for that purpose). Dutch law lets a legal person's
	// address published for that purpose be messaged without consent
	// (Telecommunicatiewet art. 11.7); the rule language reads it as
	// publishedForMarketing(). It is the host's statement, never inferred
	// from an address, and only an organisation publishes one: a contact
	// of another kind than [BusinessNamed] or [BusinessGeneric] listing an
	// address here is an error. At most 32 addresses, each an e-mail
	// address or a phone number.
	PublishedForMarketing []address.Address
	// Relationship is what the contact did with senders: purchases,
	// inquiries, support and contracts.
	Relationship Relationship
	// Records is the contact's consent history.
	Records Ledger
	// Attempts is the history of calls to the contact, by any sender, as
	// the host logged it (frequency caps and cool-offs; package
	// consent/calls). Only calls are counted: an attempt on another
	// channel is an error. At most 10,000.
	Attempts []calls.Attempt
	// Sent is the history of messages sent to the contact, by any sender,
	// as the host logged it (JSON "sent"): what house rules on the
	// frequency of messages count (the rule language's sent(purpose,
	// channel, days)). In any order; sends after the instant decided do not
	// count. At most 10,000 ([Send]).
	Sent []Send
	// Registries are the host's lookups of the contact's number in
	// do-not-call registries (package consent/calls). Only a lookup of
	// the contact's own number (Phone) counts. At most 1,000.
	Registries []calls.RegistryCheck
}

// Relationship is what the contact did with senders: the facts the soft
// opt-in and the customer exceptions rest on. Each list holds at most
// 10,000 entries, like a ledger's grants ([Ledger]); a longer one is a
// [*FieldError] wrapping [ErrTooLarge].
type Relationship struct {
	Purchases []Interaction // sales to the contact
	Inquiries []Interaction // quotes, inquiries, negotiations for a sale
	Support   []Interaction // for charities: support or interest expressed
	Contracts []Contract    // agreements with sellers, current or past
	// Responses are contacts coming from the person to a sender outside a
	// purchase or an inquiry: a click in a message, a reply, a call back.
	// An open of a message is not one, and neither is anything the sender
	// did (its own mailings never restart the clock): the CNIL's
	// prospection periods count from the last contact coming from the
	// person. A response is never a refusal at collection (Refused must be
	// false): an objection is a record.
	Responses []Interaction
}

// Interaction is one purchase, inquiry or expression of support.
//
// JSON form, where "collected" lists addresses and numbers (a channel name
// there is an error: the field listed channels before it listed addresses):
//
//	{"id": "p-1", "at": "2025-11-03T13:12:00Z", "seller": "Maison Exemple SAS",
//	 "category": "kettles", "collected": ["lea@example.com", "+33639980001"],
//	 "opt_out_offered": true}
//
// Decoded inside a [Contact], phone numbers may be in the national format of
// the contact's country; decoded alone, they must be in E.164 form.
type Interaction struct {
	ID       string    `json:"id"`                 // the event's id, named as a decision's evidence
	At       time.Time `json:"at"`                 // when it happened; events after the message instant do not count
	Seller   string    `json:"seller"`             // the legal entity dealt with, compared by [EntityKey]
	Category string    `json:"category,omitempty"` // product category, compared for "similar products"
	// Collected lists the addresses obtained from the contact in the
	// course of this interaction: e-mail addresses and phone numbers, and
	// postal or push addresses where a refusal at collection was given on
	// them ([Interaction.RefusedOn]). The soft opt-in
	// covers only a message to one of them (CPCE L34-5 al. 4, "coordonnées
	// électroniques … recueillies"; ePD art. 13(2); PECR reg. 22(3)): an
	// address given later, or elsewhere, was not collected at the sale.
	Collected []address.Address `json:"collected,omitempty"`
	// OptOutOffered: a free, simple way to refuse marketing was offered
	// when the details were collected.
	OptOutOffered bool `json:"opt_out_offered,omitempty"`
	// Refused records that the person refused marketing when the details
	// were collected (ePD art. 13(2): "the opportunity to object … at the
	// time of their collection"). It is an objection to Seller, dated At,
	// to every marketing purpose on the channels of the addresses
	// collected ([Interaction.RefusedOn]): e-mail for an e-mail address,
	// SMS and calls for a number, push for a push address, post for a
	// postal address.
	// [Contact.State] and a rights export (package consent/rights) show
	// it as an objection whose record id is "refusal:" followed by ID
	// ([State.StopID]; [State.RefusalID] gives ID itself).
	Refused bool `json:"refused,omitempty"`
}

// Contract is an agreement in force from Start until End, exclusive (End
// zero: open-ended).
type Contract struct {
	ID       string    `json:"id"`                 // the contract's id, named as a decision's evidence
	Seller   string    `json:"seller"`             // the legal entity contracted with, compared by [EntityKey]
	Category string    `json:"category,omitempty"` // product category, compared for "similar products"
	Start    time.Time `json:"start"`              // when it comes into force
	End      time.Time `json:"end,omitzero"`       // when it ends (exclusive); zero while open-ended
}

// maxRelationshipEvents bounds each relationship list (see [Relationship]).
const maxRelationshipEvents = limits.MaxEvents

// Address returns the address messages on ch go to: the e-mail address for
// [Email], the number for SMS and calls, the push address for [Push], the
// postal address for [Post], the zero Address otherwise.
func (c *Contact) Address(ch Channel) address.Address {
	switch ch {
	case Email:
		return c.Email
	case SMS, VoiceLive, VoiceAutomated:
		return c.Phone
	case Push:
		return c.Push
	case Post:
		return c.Postal
	}
	return address.Address{}
}

// State answers a consent query for this contact, filling the address,
// birth date and time zone from the contact. Besides the records, it reads
// the refusals at collection of the relationship ([Interaction.Refused]):
// a refusal is an objection at the interaction's instant, in force unless
// a later grant that counts, or a later record, decides. It does not
// allocate.
func (c *Contact) State(q Query) State {
	q.Address = c.Address(q.Channel)
	q.BirthDate = c.BirthDate
	q.Location = c.Location
	s := c.Records.State(q)
	if !q.Purpose.Marketing() {
		return s
	}
	r := &c.Relationship
	for _, evs := range [...][]Interaction{r.Purchases, r.Inquiries, r.Support} {
		for i := range evs {
			e := &evs[i]
			if !e.At.After(q.At) && e.RefusedOn(q.Channel) && q.Aliases.Same(e.Seller, q.Sender) {
				s.refuse(e)
			}
		}
	}
	return s
}

// LastStop returns the latest stop covering q — a withdrawal or an
// objection in the ledger, or a refusal at collection — dated no later
// than q.At, whether or not a later grant lifted it, with the id of its
// record or interaction and whether it is a refusal; the zero time when
// there is none. Rules compare it with a grant on another channel: in the
// United States a revocation by any medium ends the consent to robocalls
// and robotexts given before it (47 CFR 64.1200(a)(10); FCC 24-24), even
// when a later grant on the medium revoked lifts the stop there. It does
// not allocate.
func (c *Contact) LastStop(q Query) (at time.Time, id string, refusal bool) {
	at, id = c.Records.lastStop(&q)
	if !q.Purpose.Marketing() {
		return at, id, false
	}
	r := &c.Relationship
	for _, evs := range [...][]Interaction{r.Purchases, r.Inquiries, r.Support} {
		for i := range evs {
			e := &evs[i]
			if !e.At.After(q.At) && e.At.After(at) && e.RefusedOn(q.Channel) && q.Aliases.Same(e.Seller, q.Sender) {
				at, id, refusal = e.At, e.ID, true
			}
		}
	}
	return at, id, refusal
}

// RefusedOn reports whether the interaction is a refusal at collection
// ([Interaction.Refused]) covering ch: a refusal covers the channels of
// the addresses collected, whatever their kind — e-mail for an e-mail
// address, SMS and calls for a number, push for a push address, post for
// a postal address (GDPR art. 21(2)-(3): an objection to direct marketing
// stops it on every means the details collected allow).
func (e *Interaction) RefusedOn(ch Channel) bool {
	if !e.Refused {
		return false
	}
	want := channelKind(ch)
	for i := range e.Collected {
		if k := e.Collected[i].Kind(); k != 0 && k == want {
			return true
		}
	}
	return false
}

// channelKind is the kind of address messages on ch go to (0 for none).
func channelKind(ch Channel) address.Kind {
	switch ch {
	case Email:
		return address.Email
	case SMS, VoiceLive, VoiceAutomated:
		return address.Phone
	case Push:
		return address.Push
	case Post:
		return address.Postal
	}
	return 0
}

// Check verifies the invariants a decision relies on, cheaply and without
// allocating on success: required fields present, enumerations valid, a
// time zone that is not [time.Local], relationship events complete.
// Addresses are parsed [address.Address] values already and are not
// re-parsed. Check never changes c: a birth date's time of day and zone are
// ignored wherever it is read (only its date, in its own zone, counts).
// Every error is a [*FieldError].
func (c *Contact) Check() error {
	switch {
	case c.ID == "":
		return missing("contact.id")
	case !c.Kind.valid():
		return enumErr("contact.kind", c.Kind.String())
	case c.Country.IsZero():
		return missing("contact.country")
	case c.Location == nil:
		return missing("contact.time_zone")
	case c.Location == time.Local:
		return invalid("contact.time_zone", "time.Local depends on the machine: load an IANA zone with time.LoadLocation")
	case c.Region != "" && !regionOf(c.Country, c.Region):
		return invalid("contact.region", "want an ISO 3166-2 subdivision code of the contact's country, e.g. FR-57")
	case !c.BirthDate.IsZero() && (c.BirthDate.Year() < 1900 || c.BirthDate.Year() > 9999):
		return invalid("contact.birth_date", "year outside 1900-9999")
	}
	// Each address's kind, read in place: Check runs for every decision,
	// and a table of the four addresses copied them all.
	for _, a := range [...]struct {
		field     string
		got, want address.Kind
	}{{"contact.email", c.Email.Kind(), address.Email}, {"contact.phone", c.Phone.Kind(), address.Phone},
		{"contact.push", c.Push.Kind(), address.Push}, {"contact.postal", c.Postal.Kind(), address.Postal}} {
		if a.got != 0 && a.got != a.want {
			return invalid(a.field, "not a "+a.want.String()+" address")
		}
	}
	if err := c.checkPublished(); err != nil {
		return err
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
	if err := checkEvents("responses", r.Responses); err != nil {
		return err
	}
	for i := range r.Responses {
		if r.Responses[i].Refused {
			return invalid("contact.relationship.responses["+strconv.Itoa(i)+"].refused",
				"a response is no refusal at collection: record an objection")
		}
	}
	if len(r.Contracts) > maxRelationshipEvents {
		return &FieldError{Field: "contact.relationship.contracts", Err: ErrTooLarge}
	}
	for i := range r.Contracts {
		if err := r.Contracts[i].check(); err != nil {
			return prefix("contact.relationship.contracts["+strconv.Itoa(i)+"]", err)
		}
	}
	if len(c.Attempts) > maxRelationshipEvents {
		return &FieldError{Field: "contact.attempts", Err: ErrTooLarge}
	}
	for i := range c.Attempts {
		if err := c.Attempts[i].Validate(); err != nil {
			return prefix("contact.attempts["+strconv.Itoa(i)+"]", err)
		}
	}
	if err := checkSends(c.Sent); err != nil {
		return err
	}
	if len(c.Registries) > maxRegistryChecks {
		return &FieldError{Field: "contact.registries", Err: ErrTooLarge}
	}
	for i := range c.Registries {
		if err := c.Registries[i].Validate(); err != nil {
			return prefix("contact.registries["+strconv.Itoa(i)+"]", err)
		}
	}
	return nil
}

// checkPublished verifies [Contact.PublishedForMarketing]: only an
// organisation's, at most maxCollected, each an e-mail address or a phone
// number.
func (c *Contact) checkPublished() error {
	const field = "contact.published_for_marketing"
	switch {
	case len(c.PublishedForMarketing) == 0:
		return nil
	case c.Kind != BusinessNamed && c.Kind != BusinessGeneric:
		return invalid(field, "only an organisation publishes an address for receiving marketing: the contact's kind must be business_named or business_generic")
	case len(c.PublishedForMarketing) > maxCollected:
		return &FieldError{Field: field, Err: ErrTooLarge}
	}
	for i, a := range c.PublishedForMarketing {
		f := field + "[" + strconv.Itoa(i) + "]"
		switch {
		case a.IsZero():
			return missing(f)
		case a.Kind() != address.Email && a.Kind() != address.Phone:
			return invalid(f, "not an e-mail address or a phone number")
		}
	}
	return nil
}

// maxRegistryChecks bounds [Contact.Registries].
const maxRegistryChecks = limits.MaxRegistryChecks

func checkEvents(name string, evs []Interaction) error {
	if len(evs) > maxRelationshipEvents {
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
	case len(e.ID) > maxIDLen || len(e.Seller) > maxIDLen || len(e.Category) > maxIDLen || len(e.Collected) > maxCollected:
		return &FieldError{Err: ErrTooLarge}
	case e.Refused && len(e.Collected) == 0:
		return invalid("collected", "a refusal at collection must list the addresses collected: they give its channels")
	}
	for i := range e.Collected {
		if e.Collected[i].IsZero() {
			return missing("collected[" + strconv.Itoa(i) + "]")
		}
	}
	return nil
}

// maxCollected bounds [Interaction.Collected].
const maxCollected = limits.MaxCollected

// refusalRecordID is the id under which a refusal at collection
// ([Interaction.Refused]) appears as an objection, in [State.StopID] and
// so in a rights export (package consent/rights): derived from the
// interaction's id, so the same on every run.
func refusalRecordID(interactionID string) string { return "refusal:" + interactionID }

// interactionJSON is the wire form of an Interaction, whose addresses are
// parsed with the country of the contact holding it.
type interactionJSON struct {
	ID            string    `json:"id"`
	At            time.Time `json:"at"`
	Seller        string    `json:"seller"`
	Category      string    `json:"category"`
	Collected     []string  `json:"collected"`
	OptOutOffered bool      `json:"opt_out_offered"`
	Refused       bool      `json:"refused"`
}

// interaction parses the addresses of w: phone numbers in the national
// format of p's country, or E.164 for the zero Country. A channel name, the
// form "collected" had before it listed addresses, is an error saying so.
// With arena, the addresses collected are appended to it, and the
// interaction's list is the part of it they take.
func (w *interactionJSON) interaction(p *addrParser, arena *[]address.Address) (Interaction, error) {
	e := Interaction{ID: w.ID, At: w.At, Seller: w.Seller, Category: w.Category,
		OptOutOffered: w.OptOutOffered, Refused: w.Refused}
	if len(w.Collected) > maxCollected {
		return Interaction{}, &FieldError{Field: "collected", Err: ErrTooLarge}
	}
	out, start := &e.Collected, 0
	if arena != nil {
		out, start = arena, len(*arena)
	}
	for i, s := range w.Collected {
		field := func() string { return "collected[" + strconv.Itoa(i) + "]" } // on error only
		if _, ok := channelNames.Lookup(s); ok {
			return Interaction{}, &FieldError{Field: field(), Err: ErrInvalid,
				Msg: "a channel name: collected lists the e-mail addresses and phone numbers collected, not channels"}
		}
		a, err := p.parse(s)
		if err != nil {
			return Interaction{}, prefix(field(), err)
		}
		*out = append(*out, a)
	}
	if arena != nil && len(*arena) > start {
		// A list of the arena's, clipped: appending to it never writes
		// over the next interaction's.
		e.Collected = (*arena)[start:len(*arena):len(*arena)]
	}
	return e, nil
}

// UnmarshalJSON decodes an interaction strictly. Its phone numbers must be
// in E.164 form: inside a [Contact], they are read in the contact's national
// format too. A channel name in "collected" (which listed channels before
// it listed addresses) is a [*FieldError] wrapping [ErrInvalid] that says
// so.
func (e *Interaction) UnmarshalJSON(b []byte) error {
	var w interactionJSON
	if err := decodeWire(b, &w, readInteraction); err != nil {
		return err
	}
	n, err := w.interaction(&addrParser{}, nil)
	if err != nil {
		return err
	}
	*e = n
	return nil
}

// isCall reports whether c is a telephone call, live or automated.
func (c Channel) isCall() bool { return c == VoiceLive || c == VoiceAutomated }

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
	ID                        string            `json:"id"`
	Kind                      RecipientKind     `json:"kind"`
	Country                   address.Country   `json:"country"`
	Region                    string            `json:"region,omitempty"`
	TimeZone                  string            `json:"time_zone"`
	BirthDate                 string            `json:"birth_date,omitempty"`
	Email                     address.Address   `json:"email,omitzero"`
	Phone                     address.Address   `json:"phone,omitzero"`
	Push                      address.Address   `json:"push,omitzero"`
	Postal                    address.Address   `json:"postal,omitzero"`
	PushPermitted             bool              `json:"push_permitted,omitempty"`
	CollectedAt               time.Time         `json:"collected_at,omitzero"`
	JobRole                   string            `json:"job_role,omitempty"`
	OptOutOfferedAtCollection bool              `json:"opt_out_offered_at_collection,omitempty"`
	PublishedForMarketing     []address.Address `json:"published_for_marketing,omitempty"`
	Relationship              struct {
		Purchases []Interaction `json:"purchases,omitempty"`
		Inquiries []Interaction `json:"inquiries,omitempty"`
		Support   []Interaction `json:"support,omitempty"`
		Contracts []Contract    `json:"contracts,omitempty"`
		Responses []Interaction `json:"responses,omitempty"`
	} `json:"relationship,omitzero"`
	Records    Ledger                `json:"records"`
	Attempts   []calls.Attempt       `json:"attempts,omitempty"`
	Sent       []Send                `json:"sent,omitempty"`
	Registries []calls.RegistryCheck `json:"registries,omitempty"`
}

// MarshalJSON encodes the contact; the time zone as its IANA name and the
// birth date as YYYY-MM-DD.
func (c Contact) MarshalJSON() ([]byte, error) {
	j := contactJSON{ID: c.ID, Kind: c.Kind, Country: c.Country, Region: c.Region, Email: c.Email, Phone: c.Phone,
		Push: c.Push, Postal: c.Postal, PushPermitted: c.PushPermitted, CollectedAt: c.CollectedAt,
		JobRole: c.JobRole, OptOutOfferedAtCollection: c.OptOutOfferedAtCollection,
		PublishedForMarketing: c.PublishedForMarketing, Records: c.Records,
		Attempts: c.Attempts, Sent: c.Sent, Registries: c.Registries}
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
	j.Relationship.Responses = c.Relationship.Responses
	return json.Marshal(j)
}

// contactIn is the JSON form a [Contact] is decoded from (see wire.go, its
// decoder). Kind, country and addresses are decoded as text so that an
// error names the field, and so that phone numbers (the contact's own,
// those of its records and those collected) are read with its country.
type contactIn struct {
	ID                        string           `json:"id"`
	Kind                      string           `json:"kind"`
	Country                   string           `json:"country"`
	Region                    string           `json:"region"`
	TimeZone                  string           `json:"time_zone"`
	BirthDate                 string           `json:"birth_date"`
	Email                     string           `json:"email"`
	Phone                     string           `json:"phone"`
	Push                      string           `json:"push"`
	Postal                    string           `json:"postal"`
	PushPermitted             bool             `json:"push_permitted"`
	CollectedAt               time.Time        `json:"collected_at"`
	JobRole                   string           `json:"job_role"`
	OptOutOfferedAtCollection bool             `json:"opt_out_offered_at_collection"`
	PublishedForMarketing     []string         `json:"published_for_marketing"`
	Relationship              relationshipJSON `json:"relationship"`
	Records                   []recordJSON     `json:"records"`
	Attempts                  []calls.Attempt  `json:"attempts"`
	Sent                      []Send           `json:"sent"`
	Registries                []registryJSON   `json:"registries"`
}

// UnmarshalJSON decodes, validates and normalises a contact. Unknown fields,
// unknown enumeration values, an unknown country or time zone and malformed
// addresses are [*FieldError]s.
func (c *Contact) UnmarshalJSON(b []byte) error {
	w := getWire()
	defer w.release()
	w.scratch = true // the mirror is converted before w is released
	j := &w.contact
	if err := decodeWireWith(w, b, j, readContact); err != nil {
		return err
	}
	var n Contact
	if err := j.contact(w, nil, &n); err != nil {
		return err
	}
	*c = n
	return nil
}

// contact converts the mirror j, decoded by w, into a validated contact
// in *n, which holds anything on an error. With st, the contact's lists
// are built in st's storage (the contact a [ContactDecoder] lends);
// without, they are new arrays.
func (j *contactIn) contact(w *wire, st *lentStore, n *Contact) error {
	*n = Contact{ID: j.ID, Region: strings.ToUpper(j.Region), JobRole: j.JobRole, OptOutOfferedAtCollection: j.OptOutOfferedAtCollection,
		PushPermitted: j.PushPermitted, CollectedAt: j.CollectedAt, Attempts: j.Attempts, Sent: j.Sent}
	if st != nil {
		// The mirror's lists of attempts and sends were decoded into st's
		// storage (see lentStore.attemptsFresh).
		if n.Attempts != nil {
			n.Attempts = kept(&st.attempts, n.Attempts)
		}
		if n.Sent != nil {
			n.Sent = kept(&st.sent, n.Sent)
		}
	}
	var err error
	if n.Kind, err = parseEnum("contact.kind", j.Kind, &recipientNames); err != nil {
		return err
	}
	if n.Country, err = w.country(j.Country); err != nil {
		return err
	}
	if err := n.decodeAddresses(j.Email, j.Phone, j.Push, j.Postal); err != nil {
		return err
	}
	if n.Registries, err = decodeRegistries(j.Registries, n.Country, st); err != nil {
		return err
	}
	if n.PublishedForMarketing, err = decodePublished(j.PublishedForMarketing, n.Country, st); err != nil {
		return err
	}
	p := &addrParser{country: n.Country}
	// The contact's own addresses, which its grants and purchases mostly
	// name: address.Parse gives for their texts what ParseEmail and
	// ParsePhone gave, but for an e-mail address it would read as a push
	// address.
	if !n.Email.IsZero() && !strings.HasPrefix(strings.TrimSpace(j.Email), "push:") {
		p.remember(j.Email, n.Email)
	}
	if !n.Phone.IsZero() {
		p.remember(j.Phone, n.Phone)
	}
	if n.Relationship, err = j.Relationship.relationship(p, st); err != nil {
		return err
	}
	if len(j.Records) > 0 {
		if err := n.Records.decodeRecords(j.Records, p, w, st); err != nil {
			var fe *FieldError
			if asErr(err, &fe) {
				return fe
			}
			return &FieldError{Field: "records", Err: err}
		}
	}
	loc, err := w.zone(j.TimeZone)
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
	return n.Check()
}

// relationshipJSON is the JSON form of a [Relationship], whose
// interactions' addresses are read with the contact's country.
type relationshipJSON struct {
	Purchases []interactionJSON `json:"purchases"`
	Inquiries []interactionJSON `json:"inquiries"`
	Support   []interactionJSON `json:"support"`
	Contracts []Contract        `json:"contracts"`
	Responses []interactionJSON `json:"responses"`
}

// relationship decodes the interactions of r, reading phone numbers with
// p's country.
// With st, the lists are built in st's storage.
func (r *relationshipJSON) relationship(p *addrParser, st *lentStore) (Relationship, error) {
	var out Relationship
	var collected *[]address.Address
	var keep lentEvents
	if st != nil {
		keep = lentEvents{&st.purchases, &st.inquiries, &st.support, &st.responses}
		collected = &st.collected
		*collected = (*collected)[:0]
	}
	var err error
	if out.Purchases, err = events("purchases", r.Purchases, p, collected, keep.purchases); err != nil {
		return Relationship{}, err
	}
	if out.Inquiries, err = events("inquiries", r.Inquiries, p, collected, keep.inquiries); err != nil {
		return Relationship{}, err
	}
	if out.Support, err = events("support", r.Support, p, collected, keep.support); err != nil {
		return Relationship{}, err
	}
	if out.Responses, err = events("responses", r.Responses, p, collected, keep.responses); err != nil {
		return Relationship{}, err
	}
	out.Contracts = r.Contracts
	if st != nil && out.Contracts != nil {
		out.Contracts = kept(&st.contracts, out.Contracts)
	}
	return out, nil
}

// lentEvents is the lent storage of a relationship's lists of
// interactions; nil pointers for none.
type lentEvents struct{ purchases, inquiries, support, responses *[]Interaction }

// events decodes the list of interactions named name (purchases, …): nil
// when empty, and built in *keep's storage with keep (see lentList).
func events(name string, in []interactionJSON, p *addrParser, collected *[]address.Address,
	keep *[]Interaction) ([]Interaction, error) {
	if len(in) > maxRelationshipEvents {
		return nil, &FieldError{Field: "contact.relationship." + name, Err: ErrTooLarge}
	}
	var out []Interaction
	if keep != nil {
		out = (*keep)[:0]
	}
	for i := range in {
		e, err := in[i].interaction(p, collected)
		if err != nil {
			return nil, prefix("contact.relationship."+name+"["+strconv.Itoa(i)+"]", err)
		}
		out = append(out, e)
	}
	if keep != nil {
		out = lentList(keep, out)
	}
	return out, nil
}

// decodeAddresses parses the contact's addresses from their JSON text,
// phone numbers with its country.
func (n *Contact) decodeAddresses(email, phone, push, postal string) error {
	var err error
	if email != "" {
		if n.Email, err = address.ParseEmail(email); err != nil {
			return prefix("contact.email", err)
		}
	}
	if phone != "" {
		if n.Phone, err = address.ParsePhone(phone, n.Country); err != nil {
			return prefix("contact.phone", err)
		}
	}
	if push != "" {
		if n.Push, err = address.ParsePush(push); err != nil {
			return prefix("contact.push", err)
		}
	}
	if postal != "" {
		// Text without a line break would be read as a phone number or an
		// e-mail address, and its error would name that kind.
		if strings.ContainsAny(postal, "\n\r") {
			n.Postal, err = address.Parse(postal, n.Country)
		}
		if err != nil || n.Postal.Kind() != address.Postal {
			if err == nil {
				err = invalid("", "not a postal address: lines and a country code, separated by line breaks")
			}
			return prefix("contact.postal", err)
		}
	}
	return nil
}

// decodeRegistries reads a contact's registry lookups, numbers with its
// country.
// With st, the list is built in st's storage.
func decodeRegistries(ws []registryJSON, country address.Country, st *lentStore) ([]calls.RegistryCheck, error) {
	if len(ws) > maxRegistryChecks {
		return nil, &FieldError{Field: "contact.registries", Err: ErrTooLarge}
	}
	var out []calls.RegistryCheck
	if st != nil {
		out = st.registries[:0]
	}
	for i := range ws {
		rc, err := ws[i].check(country)
		if err != nil {
			return nil, prefix("contact.registries["+strconv.Itoa(i)+"]", err)
		}
		out = append(out, rc)
	}
	if st != nil {
		out = lentList(&st.registries, out)
	}
	return out, nil
}

// decodePublished reads a contact's published addresses, numbers with its
// country; [Contact.Check] then validates them with the contact's kind.
// With st, the list is built in st's storage.
func decodePublished(ss []string, country address.Country, st *lentStore) ([]address.Address, error) {
	const field = "contact.published_for_marketing"
	if len(ss) > maxCollected {
		return nil, &FieldError{Field: field, Err: ErrTooLarge}
	}
	var out []address.Address
	if st != nil {
		out = st.published[:0]
	}
	for i, s := range ss {
		a, err := address.Parse(s, country)
		if err != nil {
			return nil, prefix(field+"["+strconv.Itoa(i)+"]", err)
		}
		out = append(out, a)
	}
	if st != nil {
		out = lentList(&st.published, out)
	}
	return out, nil
}

// registryJSON is the JSON form of a [calls.RegistryCheck] inside a contact,
// whose number is read with the contact's country.
type registryJSON struct {
	Registry    calls.Registry `json:"registry"`
	Number      string         `json:"number"`
	Listed      bool           `json:"listed"`
	ListedSince time.Time      `json:"listed_since"`
	CheckedAt   time.Time      `json:"checked_at"`
}

// check parses the number and validates the check.
func (w *registryJSON) check(country address.Country) (calls.RegistryCheck, error) {
	c := calls.RegistryCheck{Registry: w.Registry, Listed: w.Listed, ListedSince: w.ListedSince, CheckedAt: w.CheckedAt}
	if w.Number != "" {
		a, err := calls.ParseNumber(w.Registry, w.Number, country)
		if err != nil {
			return calls.RegistryCheck{}, prefix("number", err)
		}
		c.Number = a
	}
	return c, c.Validate()
}

// loadLocation loads the IANA time zone a contact's JSON names, refusing
// "" (which time.LoadLocation reads as UTC: a missing zone) and "Local"
// (whose meaning depends on the machine), and bounding the name's length
// before time.LoadLocation reads the zone database with it. A zone is
// loaded once per name per process and shared by every contact naming it
// (see [zoneCache]).
func loadLocation(name string) (*time.Location, error) {
	if name == "" {
		return nil, missing("contact.time_zone")
	}
	if name == "Local" || len(name) > 64 {
		return nil, invalid("contact.time_zone", "not an IANA time zone name")
	}
	if loc, ok := zones.load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, invalid("contact.time_zone", "unknown IANA time zone")
	}
	return zones.store(name, loc), nil
}

// zones is the process's cache of loaded time zones.
var zones zoneCache

// zoneCache maps zone names to the zones loaded with them, so that decoding
// a contact neither re-reads the zone database (tens of microseconds) nor
// keeps a private copy of its zone (kilobytes per contact). A
// [*time.Location] is immutable once loaded and safe for concurrent use.
// Only names time.LoadLocation accepted are kept, so hostile input naming
// many distinct invalid zones adds nothing; the valid names are the zone
// database's files, a finite set, and the cache stops growing at
// maxCachedZones all the same (a zone beyond it is loaded, not kept).
type zoneCache struct {
	m sync.Map // zone name → *time.Location
	n atomic.Int32
}

// maxCachedZones bounds [zoneCache]: the zone database has about 600
// names, aliases included.
const maxCachedZones = 4096

// load returns the zone cached under name.
func (z *zoneCache) load(name string) (any, bool) { return z.m.Load(name) }

// store caches loc under name unless the cache is full, and returns the
// zone every contact naming it shares.
func (z *zoneCache) store(name string, loc *time.Location) *time.Location {
	if z.n.Load() >= maxCachedZones {
		return loc
	}
	shared, loaded := z.m.LoadOrStore(name, loc)
	if !loaded {
		z.n.Add(1)
	}
	return shared.(*time.Location)
}

// Sender is the organisation a message is sent by.
type Sender struct {
	// Entity is the sender's legal entity; consent and the soft opt-in are
	// per entity. It is compared by [EntityKey] ("ACME S.A.S." is "Acme
	// SAS") and through the policy's [Aliases].
	Entity string `json:"entity"`
	// Kind is whether the sender is a company or a charity.
	Kind SenderKind `json:"kind,omitzero"`
	// Country is the sender's country, which rules read as
	// request.sender.country. Optional: zero (read as "") when not given.
	Country address.Country `json:"country,omitzero"`
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
	// "energy_renovation", "home_adaptation"), by [CategoryKey]. Whatever
	// the purpose, it names goods or services promoted: it makes a
	// [CharitableAppeal] marketing, and a transactional message too where
	// the rule set reads mixed messages as marketing (leave it empty for an
	// appeal for a cause).
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
	// PresumedConsent is the host's statement that a business recipient
	// may be presumed to consent to this live call: a concrete interest of
	// the called business in the offer, shown by circumstances known before
	// the call (German UWG §7(2) Nr. 1, "mutmaßliche Einwilligung"; existing
	// business relations are the typical case), not a general relevance to
	// its trade. The library never infers it, and it never counts for a
	// consumer. Only a live call ([VoiceLive]) may carry it: on any other
	// channel it is a [*FieldError] ("message.presumed_consent").
	PresumedConsent bool `json:"presumed_consent,omitempty"`
	// Content marks what the message contains beyond its label: a
	// promotional body or subject line, a rating request. The jurisdiction's
	// rule set decides what a marked transactional message is: in the EU,
	// France, Belgium and the UK it is marketing, and so is a consent or
	// feedback request with a promotional marker; a charity's appeal with
	// one is marketing everywhere. A rating request carries a feedback
	// request: a withdrawal or objection covering feedback requests stops
	// the message whatever its purpose. The host sets the markers from the
	// message itself, never from its purpose label.
	Content Content `json:"content,omitzero"`
	// SMSSender is the alphanumeric sender ID an SMS shows instead of a
	// number, and whether the host confirmed it registered in the alias
	// register of the recipient's country (Spain: the CNMC's, Orden
	// TDF/149/2025 art. 8). Zero for an SMS sent from a number. Only an
	// SMS may carry one: on any other channel it is a [*FieldError]
	// ("message.sms_sender").
	SMSSender SMSSender `json:"sms_sender,omitzero"`
	// Route names the processing route the message's data travel (the
	// sender's e-mail service, SMS gateway or print house and their
	// sub-processors), one the policy declares: each of its hops is checked
	// against the transfer law of the regimes reaching the message (GDPR
	// ch. V, UK GDPR ch. 5). Empty: the route the policy marks as the
	// default for the channel, if any. Letters, digits and _ . : -, at most
	// 128 bytes; a route the policy does not declare is an error and a
	// deny.
	Route string `json:"route,omitempty"`
}

// maxRouteLen bounds a message's route name (rules.MaxRouteName).
const maxRouteLen = 128

// validRoute reports whether s has the form of a route's name: letters,
// digits and _ . : -, not starting with a symbol, at most maxRouteLen
// bytes.
func validRoute(s string) bool {
	if len(s) > maxRouteLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case i > 0 && (c == '_' || c == '.' || c == ':' || c == '-'):
		default:
			return false
		}
	}
	return true
}

// Check verifies the message cheaply and without allocating on success.
func (m *Message) Check() error {
	switch {
	case !m.Purpose.valid() || m.Purpose == AllMarketing:
		return enumErr("message.purpose", m.Purpose.String())
	case !m.Channel.valid() || m.Channel == AllChannels:
		return enumErr("message.channel", m.Channel.String())
	case m.Sender.Entity == "":
		return missing("message.sender.entity")
	case !m.Sender.Kind.valid():
		return enumErr("message.sender.kind", m.Sender.Kind.String())
	case m.At.IsZero():
		return missing("message.at")
	case len(m.Category) > maxIDLen || len(m.Sender.Entity) > maxIDLen:
		return &FieldError{Field: "message", Err: ErrTooLarge}
	case !canon.HasEntityKey(m.Sender.Entity):
		return invalid("message.sender.entity", "no letter, digit or symbol: names no entity")
	case !m.Content.valid():
		return enumErr("message.content", m.Content.String())
	case m.PresumedConsent && m.Channel != VoiceLive:
		return invalid("message.presumed_consent", "only a live call may rest on presumed consent")
	case !validRoute(m.Route):
		return invalid("message.route", "want a route's name: letters, digits and _ . : -, at most 128 bytes")
	}
	return m.SMSSender.check(m.Channel)
}

// UnmarshalJSON decodes a message strictly: unknown fields and unknown
// enumeration values are [*FieldError]s naming the field. A missing "at"
// decodes to the zero instant, which deciding then rejects.
func (m *Message) UnmarshalJSON(b []byte) error {
	var w messageJSON
	if !w.readPlain(b) {
		w = messageJSON{}
		if err := strictJSON(b, &w); err != nil {
			return err
		}
	}
	n := Message{Category: w.Category, At: w.At, RoleRelevant: w.Role, PresumedConsent: w.Presumed, Content: w.Content,
		SMSSender: w.SMS, Route: w.Route, Sender: Sender{Entity: w.Sender.Entity}}
	var err error
	if n.Purpose, err = parseField("message.purpose", w.Purpose, purposeNames.Parse); err != nil {
		return err
	}
	if n.Channel, err = parseField("message.channel", w.Channel, channelNames.Parse); err != nil {
		return err
	}
	if n.Sender.Kind, err = parseField("message.sender.kind", w.Sender.Kind, senderNames.Parse); err != nil {
		return err
	}
	if w.Sender.Country != "" {
		if n.Sender.Country, err = parseField("message.sender.country", w.Sender.Country, address.ParseCountry); err != nil {
			return err
		}
	}
	*m = n
	return nil
}

// messageJSON is the JSON mirror of a message.
type messageJSON struct {
	Purpose  string     `json:"purpose"`
	Channel  string     `json:"channel"`
	Category string     `json:"category"`
	At       time.Time  `json:"at"`
	Role     bool       `json:"role_relevant"`
	Presumed bool       `json:"presumed_consent"`
	Content  Content    `json:"content"`
	SMS      SMSSender  `json:"sms_sender"`
	Route    string     `json:"route"`
	Sender   senderJSON `json:"sender"`
}

// senderJSON is the JSON mirror of a message's sender.
type senderJSON struct {
	Entity  string `json:"entity"`
	Kind    string `json:"kind"`
	Country string `json:"country"`
}

// readPlain decodes b into j with the fast reading of the contact form's
// decoder alone (see [wire]): it reports false, leaving j to be reset,
// for anything but the plainest JSON, which strictJSON then decodes (and
// refuses with its error, if it does). What it accepts, strictJSON would
// have decoded the same (FuzzMessageJSON checks both).
func (j *messageJSON) readPlain(b []byte) bool {
	if len(b) > MaxJSONSize {
		return false
	}
	w := getWire()
	defer w.release()
	w.fast, w.b, w.i, w.open = true, b, 0, false
	w.nstrs, w.nopts = 0, 0
	return j.read(w) == nil && w.end() == nil
}

// read decodes a message's mirror in the fast reading; a null message,
// an SMS sender ID (rare) and any value the fast reading does not take end
// it.
func (j *messageJSON) read(w *wire) error {
	if w.fast && w.peek() == 'n' {
		return errFast
	}
	return w.members(func(name []byte) (uint, error) {
		switch string(name) {
		case "purpose":
			return 0, w.word(&j.Purpose)
		case "channel":
			return 1, w.word(&j.Channel)
		case "category":
			return 2, w.word(&j.Category)
		case "at":
			return 3, w.instant(&j.At)
		case "role_relevant":
			return 4, w.boolean(&j.Role)
		case "presumed_consent":
			return 5, w.boolean(&j.Presumed)
		case "content":
			return 6, w.raw(&j.Content)
		case "sms_sender":
			return 7, errFast // rare: left to the strict reading
		case "route":
			return 8, w.word(&j.Route)
		case "sender":
			return 9, j.Sender.read(w)
		}
		return 0, w.unknown()
	})
}

// read decodes a sender's mirror; null leaves it zero.
func (s *senderJSON) read(w *wire) error {
	return w.members(func(name []byte) (uint, error) {
		switch string(name) {
		case "entity":
			return 0, w.word(&s.Entity)
		case "kind":
			return 1, w.word(&s.Kind)
		case "country":
			return 2, w.word(&s.Country)
		}
		return 0, w.unknown()
	})
}

// regionOf reports whether region has the form of an ISO 3166-2 code of
// the country: its alpha-2 code, a hyphen, and one to three upper-case
// letters or digits; for a country whose subdivisions select law (see
// subdivisions), one of its codes.
func regionOf(country address.Country, region string) bool {
	code := country.String()
	if len(region) < 4 || len(region) > 6 || region[:2] != code || region[2] != '-' {
		return false
	}
	for _, r := range region[3:] {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return false
		}
	}
	if known, ok := subdivisions[code]; ok {
		return slices.Contains(known, region[3:])
	}
	return true
}

// subdivisions are the ISO 3166-2 subdivision codes (after the hyphen)
// of the countries whose subdivisions select law (a state's or a
// province's rule set): a region of these countries must be one of them,
// as a country must be an assigned code. Other countries' regions are
// checked for their form only.
var subdivisions = map[string][]string{
	// ISO 3166-2:US: the 50 states, the District of Columbia and the
	// outlying areas.
	"US": {"AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA",
		"ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR",
		"PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC", "AS", "GU", "MP", "PR", "UM",
		"VI"},
	// ISO 3166-2:CA: the ten provinces and three territories.
	"CA": {"AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"},
	// ISO 3166-2:AU: the six states and two mainland territories.
	"AU": {"ACT", "NSW", "NT", "QLD", "SA", "TAS", "VIC", "WA"},
}
