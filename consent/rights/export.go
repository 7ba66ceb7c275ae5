package rights

import (
	"cmp"
	"iter"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/consent/calls"
)

// ExportSchema is the schema version carried by every [Export]. It changes
// when a field is removed or changes meaning; new fields may be added
// without changing it.
const ExportSchema = "sendright.consent.export/v1"

// Export is what the library holds about one contact, for a reply to a
// right of access (GDPR art. 15) or a portability request (art. 20), in a
// structured, machine-readable form. It is made by [ExportContact].
//
// Every instant is in UTC and every list is present (empty rather than
// null), so that encoding an Export to JSON and decoding it back gives an
// equal value. The host adds what it holds beyond the library (its own
// profile fields, the recipients and the retention periods art. 15 lists).
//
// JSON form (fields in this order; "records" holds [consent.Record]s in their JSON
// form, the relationship lists [consent.Interaction]s and [consent.Contract]s in theirs,
// "attempts" [calls.Attempt]s and "registries" [calls.RegistryCheck]s in theirs).
// For a contact with one e-mail grant and an SMS objection, exported at
// 10:00 in Paris on 10 March 2026:
//
//	{
//	  "schema": "sendright.consent.export/v1",
//	  "contact_id": "c-42",
//	  "exported_at": "2026-03-10T09:00:00Z",
//	  "profile": {"kind": "consumer", "country": "FR", "time_zone": "Europe/Paris",
//	              "email": "lea.martin@example.com"},
//	  "records": [
//	    {"id": "r-1", "subject": "lea.martin@example.com", "purpose": "marketing_general",
//	     "channel": "email", "sender": "Maison Exemple SAS", "status": "granted",
//	     "at": "2025-01-10T09:00:00Z", "method": "unticked_checkbox"},
//	    {"id": "r-2", "purpose": "marketing_general", "channel": "sms",
//	     "sender": "Maison Exemple SAS", "status": "objection", "at": "2025-02-01T09:00:00Z"}
//	  ],
//	  "relationship": {"purchases": [], "inquiries": [], "support": [], "contracts": [], "responses": []},
//	  "attempts": [],
//	  "sent": [],
//	  "registries": [],
//	  "state": [
//	    {"purpose": "marketing_general", "channel": "email", "sender": "Maison Exemple SAS",
//	     "status": "granted", "record_id": "r-1"},
//	    {"purpose": "marketing_general", "channel": "sms", "sender": "Maison Exemple SAS",
//	     "status": "objection", "record_id": "r-2"}
//	  ]
//	}
//
// A state entry may also carry "invalid_grant_id" and "defect" (see
// [ExportedState]).
type Export struct {
	// Schema is [ExportSchema].
	Schema string `json:"schema"`
	// ContactID is the contact's [consent.Contact.ID].
	ContactID string `json:"contact_id"`
	// ExportedAt is the instant the export describes: State is the state
	// then.
	ExportedAt time.Time `json:"exported_at"`
	// Profile is the contact's own data: kind, country, region, time zone,
	// birth date, addresses, push permission, collection instant, job role.
	Profile ExportedProfile `json:"profile"`
	// Records is the complete consent history, every record with every
	// field, in ledger order (time, then grants before withdrawals before
	// objections, then id).
	Records []consent.Record `json:"records"`
	// Relationship is the contact's purchases, inquiries, support and
	// contracts.
	Relationship ExportedRelationship `json:"relationship"`
	// Attempts is the log of attempts to reach the contact
	// ([consent.Contact.Attempts]), instants in UTC; every list is present.
	Attempts []calls.Attempt `json:"attempts"`
	// Sent is the log of messages sent to the contact
	// ([consent.Contact.Sent]), instants in UTC; present, empty when none.
	Sent []consent.Send `json:"sent"`
	// Registries are the lookups of the contact's number in do-not-call
	// registries ([consent.Contact.Registries]), instants in UTC.
	Registries []calls.RegistryCheck `json:"registries"`
	// State is the consent state at ExportedAt for every (purpose, channel,
	// sender) the records speak of, sorted by sender, purpose and channel.
	State []ExportedState `json:"state"`
}

// ExportedProfile is the contact's own data as the library holds it. Empty
// fields are left out of the JSON form.
type ExportedProfile struct {
	Kind     consent.RecipientKind `json:"kind,omitzero"`       // the contact's [consent.Contact.Kind]
	Country  address.Country       `json:"country,omitzero"`    // the contact's [consent.Contact.Country]
	Region   string                `json:"region,omitempty"`    // the contact's [consent.Contact.Region]
	TimeZone string                `json:"time_zone,omitempty"` // IANA name
	// BirthDate is YYYY-MM-DD.
	BirthDate                 string          `json:"birth_date,omitempty"`
	Email                     address.Address `json:"email,omitzero"`                          // the contact's [consent.Contact.Email]
	Phone                     address.Address `json:"phone,omitzero"`                          // the contact's [consent.Contact.Phone]
	Push                      address.Address `json:"push,omitzero"`                           // the contact's [consent.Contact.Push]
	Postal                    address.Address `json:"postal,omitzero"`                         // the contact's [consent.Contact.Postal]
	PushPermitted             bool            `json:"push_permitted,omitempty"`                // see [consent.Contact.PushPermitted]
	CollectedAt               time.Time       `json:"collected_at,omitzero"`                   // see [consent.Contact.CollectedAt], in UTC
	JobRole                   string          `json:"job_role,omitempty"`                      // the contact's [consent.Contact.JobRole]
	OptOutOfferedAtCollection bool            `json:"opt_out_offered_at_collection,omitempty"` // see [consent.Contact.OptOutOfferedAtCollection]
	// PublishedForMarketing is the contact's [consent.Contact.PublishedForMarketing].
	PublishedForMarketing []address.Address `json:"published_for_marketing,omitempty"`
}

// ExportedRelationship is the contact's [consent.Relationship], with instants in
// UTC and every list present.
type ExportedRelationship struct {
	Purchases []consent.Interaction `json:"purchases"` // sales to the contact
	Inquiries []consent.Interaction `json:"inquiries"` // quotes, inquiries, negotiations for a sale
	Support   []consent.Interaction `json:"support"`   // for charities: support or interest expressed
	Contracts []consent.Contract    `json:"contracts"` // agreements with sellers, current or past
	Responses []consent.Interaction `json:"responses"` // contacts coming from the person: clicks, replies
}

// StateStatus is the consent status of one (purpose, channel, sender) in an
// [Export].
type StateStatus string

// Consent statuses of an [ExportedState].
const (
	// StateGranted: a grant that counts as consent is in force.
	StateGranted StateStatus = "granted"
	// StateWithdrawn: a withdrawal of consent is in force.
	StateWithdrawn StateStatus = "withdrawn"
	// StateObjection: an objection to direct marketing is in force.
	StateObjection StateStatus = "objection"
	// StateNone: neither consent nor a withdrawal or objection. A grant that
	// does not count may be on file (see InvalidGrantID).
	StateNone StateStatus = "none"
)

// ExportedState is the consent state of one (purpose, channel, sender) at
// the export instant, as [consent.Ledger.State] answers it.
type ExportedState struct {
	Purpose consent.Purpose `json:"purpose"` // a message purpose, never all_marketing
	Channel consent.Channel `json:"channel"` // a message channel, never all
	Sender  string          `json:"sender"`  // the sender entity, under its first spelling in the history
	Status  StateStatus     `json:"status"`  // what is in force
	// RecordID is the record that decides Status: the grant in force, or
	// the withdrawal or objection in force. Empty for [StateNone].
	RecordID string `json:"record_id,omitempty"`
	// InvalidGrantID is the latest grant in force that does not count as
	// consent, and Defect the reason ("pre_ticked", "unproven", …; see
	// [consent.Defect]). Empty when there is none or a grant counts.
	InvalidGrantID string `json:"invalid_grant_id,omitempty"`
	Defect         string `json:"defect,omitempty"`
}

// Export returns everything the library holds about the contact, for a reply
// to a right of access (GDPR art. 15) or to a portability request (art. 20):
// the profile, the complete consent history, the relationship events, and
// the consent state at at.
//
// The state is given for every (purpose, channel, sender) that appears in a
// record or in a refusal at collection ([consent.Interaction.Refused]: every
// marketing purpose on the channels of the addresses collected, shown as an
// objection with record id "refusal:" followed by the interaction's id, as
// [consent.State.StopID] names it), one sender per entity as [consent.EntityKey] tells them apart (under the
// first spelling in the history); a withdrawal or objection scoped to [consent.AllMarketing] or [consent.AllChannels]
// is expanded to every marketing purpose and every channel it covers. Each
// state is [consent.Contact.State] at at — so a grant counts only for the address
// now on file for its channel — with the zero [consent.MinorRule], that is with no
// age rule: the age of digital consent belongs to the jurisdiction's rule
// set, so a grant that a decision would reject because the person was a
// minor at capture shows here as granted. at should be the instant of the
// request; records dated after it are in the history but do not count in
// the state.
//
// Export does not modify the contact and does not validate it: it reports
// what is held.
func ExportContact(c *consent.Contact, at time.Time) Export {
	e := Export{
		Schema:     ExportSchema,
		ContactID:  c.ID,
		ExportedAt: at.UTC(),
		Profile:    profileOf(c),
		Records:    slices.Collect(c.Records.All()),
		Relationship: ExportedRelationship{
			Purchases: utcInteractions(c.Relationship.Purchases),
			Inquiries: utcInteractions(c.Relationship.Inquiries),
			Support:   utcInteractions(c.Relationship.Support),
			Contracts: utcContracts(c.Relationship.Contracts),
			Responses: utcInteractions(c.Relationship.Responses),
		},
		State: []ExportedState{},
	}
	e.exportInputs(c)
	if e.Records == nil {
		e.Records = []consent.Record{}
	}

	type scope struct {
		sender  string
		purpose consent.Purpose
		channel consent.Channel
	}
	seen := make(map[scope]struct{})
	var names entities
	for i := range e.Records {
		r := &e.Records[i]
		sender := names.add(r.Sender)
		for p := range expandPurpose(r.Purpose) {
			for ch := range expandChannel(r.Channel) {
				seen[scope{sender, p, ch}] = struct{}{}
			}
		}
	}
	rel := &c.Relationship
	for _, evs := range [...][]consent.Interaction{rel.Purchases, rel.Inquiries, rel.Support} {
		for i := range evs {
			if !evs[i].Refused {
				continue
			}
			sender := names.add(evs[i].Seller)
			for p := range expandPurpose(consent.AllMarketing) {
				for ch := range expandChannel(consent.AllChannels) {
					if evs[i].RefusedOn(ch) {
						seen[scope{sender, p, ch}] = struct{}{}
					}
				}
			}
		}
	}
	scopes := slices.SortedFunc(maps.Keys(seen), func(a, b scope) int {
		return cmp.Or(cmp.Compare(a.sender, b.sender), cmp.Compare(a.purpose, b.purpose),
			cmp.Compare(a.channel, b.channel))
	})
	for _, k := range scopes {
		s := c.State(consent.Query{Purpose: k.purpose, Channel: k.channel, Sender: k.sender, At: at})
		x := ExportedState{Purpose: k.purpose, Channel: k.channel, Sender: k.sender, Status: StateNone}
		switch {
		case s.Consented():
			x.Status, x.RecordID = StateGranted, s.GrantID()
		case s.Objected():
			x.Status, x.RecordID = StateObjection, s.StopID()
		case s.Withdrawn():
			x.Status, x.RecordID = StateWithdrawn, s.StopID()
		}
		if id := s.InvalidID(); id != "" {
			x.InvalidGrantID, x.Defect = id, s.Defect.String()
		}
		e.State = append(e.State, x)
	}
	return e
}

// entities collects sender entity names, one per legal entity as
// [consent.EntityKey] tells them apart, each under its first spelling seen,
// trimmed. Names with an empty key name no entity and are left out.
type entities struct {
	byKey map[string]string // entity key → first spelling
	names []string
}

// add returns the first spelling of the entity of name ("" for a name
// with an empty key).
func (e *entities) add(name string) string {
	k := consent.EntityKey(name)
	if k == "" {
		return ""
	}
	if c, ok := e.byKey[k]; ok {
		return c
	}
	if e.byKey == nil {
		e.byKey = make(map[string]string)
	}
	c := strings.TrimSpace(name)
	e.byKey[k] = c
	e.names = append(e.names, c)
	return c
}

// expandPurpose yields the message purposes a record scope stands for:
// itself, or every marketing purpose for [consent.AllMarketing].
func expandPurpose(p consent.Purpose) iter.Seq[consent.Purpose] {
	return func(yield func(consent.Purpose) bool) {
		if p != consent.AllMarketing {
			yield(p)
			return
		}
		for q := consent.Purpose(1); q < consent.AllMarketing; q++ {
			if q.Marketing() && !yield(q) {
				return
			}
		}
	}
}

// expandChannel yields the message channels a record scope stands for:
// itself, or every channel for [consent.AllChannels].
func expandChannel(c consent.Channel) iter.Seq[consent.Channel] {
	return func(yield func(consent.Channel) bool) {
		if c != consent.AllChannels {
			yield(c)
			return
		}
		for d := consent.Email; d < consent.AllChannels; d++ {
			if !yield(d) {
				return
			}
		}
	}
}

// profileOf is the contact's own data as an export shows it.
func profileOf(c *consent.Contact) ExportedProfile {
	p := ExportedProfile{Kind: c.Kind, Country: c.Country, Region: c.Region, Email: c.Email, Phone: c.Phone,
		Push: c.Push, Postal: c.Postal, PushPermitted: c.PushPermitted,
		JobRole: c.JobRole, OptOutOfferedAtCollection: c.OptOutOfferedAtCollection,
		PublishedForMarketing: c.PublishedForMarketing}
	if c.Location != nil {
		p.TimeZone = c.Location.String()
	}
	if !c.BirthDate.IsZero() {
		p.BirthDate = c.BirthDate.Format(time.DateOnly)
	}
	if !c.CollectedAt.IsZero() {
		p.CollectedAt = c.CollectedAt.UTC()
	}
	return p
}

// exportInputs fills in what the host looked up and logged: the
// attempts, the sends and the registry lookups, in UTC.
func (e *Export) exportInputs(c *consent.Contact) {
	e.Attempts = make([]calls.Attempt, len(c.Attempts))
	for i, a := range c.Attempts {
		a.At = a.At.UTC()
		e.Attempts[i] = a
	}
	e.Sent = make([]consent.Send, len(c.Sent))
	for i, s := range c.Sent {
		s.At = s.At.UTC()
		e.Sent[i] = s
	}
	e.Registries = make([]calls.RegistryCheck, len(c.Registries))
	for i, k := range c.Registries {
		k.CheckedAt = k.CheckedAt.UTC()
		if !k.ListedSince.IsZero() {
			k.ListedSince = k.ListedSince.UTC()
		}
		e.Registries[i] = k
	}
}

func utcInteractions(in []consent.Interaction) []consent.Interaction {
	out := make([]consent.Interaction, len(in))
	for i, e := range in {
		e.At = e.At.UTC()
		out[i] = e
	}
	return out
}

func utcContracts(in []consent.Contract) []consent.Contract {
	out := make([]consent.Contract, len(in))
	for i, k := range in {
		k.Start, k.End = k.Start.UTC(), k.End.UTC()
		out[i] = k
	}
	return out
}

// UnmarshalJSON decodes an export strictly, like every decoder of this
// package: keys match exactly and appear once, unknown keys are errors, and
// the records are validated as [consent.Record.UnmarshalJSON] validates them.
func (e *Export) UnmarshalJSON(b []byte) error {
	type plain Export
	var p plain
	if err := strictJSON(b, &p); err != nil {
		return err
	}
	*e = Export(p)
	return nil
}

// UnmarshalJSON decodes an exported profile strictly, like
// [Export.UnmarshalJSON].
func (p *ExportedProfile) UnmarshalJSON(b []byte) error {
	type plain ExportedProfile
	var v plain
	if err := strictJSON(b, &v); err != nil {
		return err
	}
	*p = ExportedProfile(v)
	return nil
}

// UnmarshalJSON decodes an exported relationship strictly, like
// [Export.UnmarshalJSON].
func (r *ExportedRelationship) UnmarshalJSON(b []byte) error {
	type plain ExportedRelationship
	var v plain
	if err := strictJSON(b, &v); err != nil {
		return err
	}
	*r = ExportedRelationship(v)
	return nil
}

// UnmarshalJSON decodes an exported state strictly, like
// [Export.UnmarshalJSON].
func (s *ExportedState) UnmarshalJSON(b []byte) error {
	type plain ExportedState
	var v plain
	if err := strictJSON(b, &v); err != nil {
		return err
	}
	*s = ExportedState(v)
	return nil
}
