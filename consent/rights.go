package consent

import (
	"bytes"
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file holds the data-rights operations around consent: access and
// portability ([Contact.Export], GDPR arts. 15 and 20) and erasure that does
// not forget an objection ([Contact.Erase], [SuppressionList], GDPR art. 17
// with arts. 21 and 17(3)(e)).

// ExportSchema is the schema version carried by every [Export]. It changes
// when a field is removed or changes meaning; new fields may be added
// without changing it.
const ExportSchema = "sendright.consent.export/v1"

// Export is what the library holds about one contact, for a reply to a
// right of access (GDPR art. 15) or a portability request (art. 20), in a
// structured, machine-readable form. It is made by [Contact.Export].
//
// Every instant is in UTC and every list is present (empty rather than
// null), so that encoding an Export to JSON and decoding it back gives an
// equal value. The host adds what it holds beyond the library (its own
// profile fields, the recipients and the retention periods art. 15 lists).
//
// JSON form (fields in this order; "records" holds [Record]s in their JSON
// form, the relationship lists [Interaction]s and [Contract]s in theirs).
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
//	  "relationship": {"purchases": [], "inquiries": [], "support": [], "contracts": []},
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
	// ContactID is the contact's [Contact.ID].
	ContactID string `json:"contact_id"`
	// ExportedAt is the instant the export describes: State is the state
	// then.
	ExportedAt time.Time `json:"exported_at"`
	// Profile is the contact's own data: kind, country, time zone, birth
	// date, addresses, job role.
	Profile ExportedProfile `json:"profile"`
	// Records is the complete consent history, every record with every
	// field, in ledger order (time, then grants before withdrawals before
	// objections, then id).
	Records []Record `json:"records"`
	// Relationship is the contact's purchases, inquiries, support and
	// contracts.
	Relationship ExportedRelationship `json:"relationship"`
	// State is the consent state at ExportedAt for every (purpose, channel,
	// sender) the records speak of, sorted by sender, purpose and channel.
	State []ExportedState `json:"state"`
}

// ExportedProfile is the contact's own data as the library holds it. Empty
// fields are left out of the JSON form.
type ExportedProfile struct {
	Kind     RecipientKind `json:"kind,omitzero"`       // the contact's [Contact.Kind]
	Country  Country       `json:"country,omitzero"`    // the contact's [Contact.Country]
	TimeZone string        `json:"time_zone,omitempty"` // IANA name
	// BirthDate is YYYY-MM-DD.
	BirthDate                 string  `json:"birth_date,omitempty"`
	Email                     Address `json:"email,omitzero"`                          // the contact's [Contact.Email]
	Phone                     Address `json:"phone,omitzero"`                          // the contact's [Contact.Phone]
	JobRole                   string  `json:"job_role,omitempty"`                      // the contact's [Contact.JobRole]
	OptOutOfferedAtCollection bool    `json:"opt_out_offered_at_collection,omitempty"` // see [Contact.OptOutOfferedAtCollection]
}

// ExportedRelationship is the contact's [Relationship], with instants in
// UTC and every list present.
type ExportedRelationship struct {
	Purchases []Interaction `json:"purchases"` // sales to the contact
	Inquiries []Interaction `json:"inquiries"` // quotes, inquiries, negotiations for a sale
	Support   []Interaction `json:"support"`   // for charities: support or interest expressed
	Contracts []Contract    `json:"contracts"` // agreements with sellers, current or past
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
// the export instant, as [Ledger.State] answers it.
type ExportedState struct {
	Purpose Purpose     `json:"purpose"` // a message purpose, never all_marketing
	Channel Channel     `json:"channel"` // a message channel, never all
	Sender  string      `json:"sender"`  // the sender entity, under its first spelling in the history
	Status  StateStatus `json:"status"`  // what is in force
	// RecordID is the record that decides Status: the grant in force, or
	// the withdrawal or objection in force. Empty for [StateNone].
	RecordID string `json:"record_id,omitempty"`
	// InvalidGrantID is the latest grant in force that does not count as
	// consent, and Defect the reason ("pre_ticked", "unproven", …; see
	// [Defect]). Empty when there is none or a grant counts.
	InvalidGrantID string `json:"invalid_grant_id,omitempty"`
	Defect         string `json:"defect,omitempty"`
}

// Export returns everything the library holds about the contact, for a reply
// to a right of access (GDPR art. 15) or to a portability request (art. 20):
// the profile, the complete consent history, the relationship events, and
// the consent state at at.
//
// The state is given for every (purpose, channel, sender) that appears in a
// record or in a refusal at collection ([Interaction.Refused]: every
// marketing purpose on the channels of the addresses collected, shown as an
// objection with record id [RefusalRecordID]), one sender per entity as [EntityKey] tells them apart (under the
// first spelling in the history); a withdrawal or objection scoped to [AllMarketing] or [AllChannels]
// is expanded to every marketing purpose and every channel it covers. Each
// state is [Contact.State] at at — so a grant counts only for the address
// now on file for its channel — with the zero [MinorRule], that is with no
// age rule: the age of digital consent belongs to the jurisdiction's rule
// set, so a grant that a decision would reject because the person was a
// minor at capture shows here as granted. at should be the instant of the
// request; records dated after it are in the history but do not count in
// the state.
//
// Export does not modify the contact and does not validate it: it reports
// what is held.
func (c *Contact) Export(at time.Time) Export {
	e := Export{
		Schema:     ExportSchema,
		ContactID:  c.ID,
		ExportedAt: at.UTC(),
		Profile: ExportedProfile{Kind: c.Kind, Country: c.Country, Email: c.Email, Phone: c.Phone,
			JobRole: c.JobRole, OptOutOfferedAtCollection: c.OptOutOfferedAtCollection},
		Records: c.Records.Records(),
		Relationship: ExportedRelationship{
			Purchases: utcInteractions(c.Relationship.Purchases),
			Inquiries: utcInteractions(c.Relationship.Inquiries),
			Support:   utcInteractions(c.Relationship.Support),
			Contracts: utcContracts(c.Relationship.Contracts),
		},
		State: []ExportedState{},
	}
	if c.Location != nil {
		e.Profile.TimeZone = c.Location.String()
	}
	if !c.BirthDate.IsZero() {
		e.Profile.BirthDate = c.BirthDate.Format(time.DateOnly)
	}
	if e.Records == nil {
		e.Records = []Record{}
	}

	type scope struct {
		sender  string
		purpose Purpose
		channel Channel
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
	for _, evs := range [...][]Interaction{rel.Purchases, rel.Inquiries, rel.Support} {
		for i := range evs {
			if !evs[i].Refused {
				continue
			}
			sender := names.add(evs[i].Seller)
			for p := range expandPurpose(AllMarketing) {
				for ch := range expandChannel(AllChannels) {
					if evs[i].refusedOn(ch) {
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
		s := c.State(Query{Purpose: k.purpose, Channel: k.channel, Sender: k.sender, At: at})
		x := ExportedState{Purpose: k.purpose, Channel: k.channel, Sender: k.sender, Status: StateNone}
		switch {
		case s.Consented():
			x.Status, x.RecordID = StateGranted, s.GrantID()
		case s.Objected():
			x.Status, x.RecordID = StateObjection, s.SuppressionID()
		case s.Withdrawn():
			x.Status, x.RecordID = StateWithdrawn, s.SuppressionID()
		}
		if id := s.InvalidID(); id != "" {
			x.InvalidGrantID, x.Defect = id, s.Defect.String()
		}
		e.State = append(e.State, x)
	}
	return e
}

// entities collects sender entity names, one per legal entity as
// [EntityKey] tells them apart, each under its first spelling seen,
// trimmed. Names with an empty key name no entity and are left out.
type entities struct {
	byKey map[string]string // entity key → first spelling
	names []string
}

// add returns the first spelling of the entity of name ("" for a name
// with an empty key).
func (e *entities) add(name string) string {
	k := EntityKey(name)
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
// itself, or every marketing purpose for [AllMarketing].
func expandPurpose(p Purpose) iter.Seq[Purpose] {
	return func(yield func(Purpose) bool) {
		if p != AllMarketing {
			yield(p)
			return
		}
		for q := Purpose(1); q < AllMarketing; q++ {
			if q.Marketing() && !yield(q) {
				return
			}
		}
	}
}

// expandChannel yields the message channels a record scope stands for:
// itself, or every channel for [AllChannels].
func expandChannel(c Channel) iter.Seq[Channel] {
	return func(yield func(Channel) bool) {
		if c != AllChannels {
			yield(c)
			return
		}
		for d := Email; d < AllChannels; d++ {
			if !yield(d) {
				return
			}
		}
	}
}

func utcInteractions(in []Interaction) []Interaction {
	out := make([]Interaction, len(in))
	for i, e := range in {
		e.At = e.At.UTC()
		out[i] = e
	}
	return out
}

func utcContracts(in []Contract) []Contract {
	out := make([]Contract, len(in))
	for i, k := range in {
		k.Start, k.End = k.Start.UTC(), k.End.UTC()
		out[i] = k
	}
	return out
}

// MinKeyLen is the shortest key a [Keyring] accepts, in bytes: the output
// size of SHA-256, below which HMAC-SHA256 is weaker than it can be.
const MinKeyLen = 32

// Keyring holds the host's secret keys for suppression-list digests, by key
// version. New suppressions use the current version; matching tries every
// version the keyring holds, so the current key can rotate without dropping
// suppressions made under older ones.
//
// An HMAC cannot be recomputed under a new key without the address it was
// made from, which erasure has deleted: a suppression list cannot be
// re-keyed. Keep every old key version in the keyring for as long as any
// suppression made under it is kept ([SuppressionList.KeyVersions] lists
// them); a version dropped from the keyring silently stops matching.
//
// The keys must come from the host's secret store, be random (at least
// [MinKeyLen] bytes from a CSPRNG) and never be stored beside the list: with
// the key, each digest can be tested against candidate addresses.
//
// A Keyring never shows its keys: fmt (every verb), String and JSON print
// only the versions. It is immutable, so safe for concurrent use.
type Keyring struct {
	current uint32
	keys    map[uint32][]byte
}

// NewKeyring returns a keyring holding a copy of keys, with current as the
// version new suppressions use. Versions start at 1; every key must be at
// least [MinKeyLen] bytes; current must be one of the versions. Errors are
// [*FieldError]s wrapping [ErrMissing] or [ErrInvalid] and name versions,
// never keys.
func NewKeyring(current uint32, keys map[uint32][]byte) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, &FieldError{Field: "keyring", Err: ErrMissing, Msg: "no keys"}
	}
	k := &Keyring{current: current, keys: make(map[uint32][]byte, len(keys))}
	for _, v := range slices.Sorted(maps.Keys(keys)) {
		key := keys[v]
		switch {
		case v == 0:
			return nil, invalid("keyring", "key version 0: versions start at 1")
		case len(key) < MinKeyLen:
			return nil, invalid("keyring["+strconv.FormatUint(uint64(v), 10)+"]",
				"key shorter than "+strconv.Itoa(MinKeyLen)+" bytes")
		}
		k.keys[v] = bytes.Clone(key)
	}
	if _, ok := k.keys[current]; !ok {
		return nil, invalid("keyring.current", "no key for the current version")
	}
	return k, nil
}

// Current returns the key version new suppressions use (0 for the zero
// Keyring, which holds no key).
func (k *Keyring) Current() uint32 {
	if k == nil {
		return 0
	}
	return k.current
}

// Versions returns the key versions held, in increasing order.
func (k *Keyring) Versions() []uint32 {
	if k == nil {
		return nil
	}
	return slices.Sorted(maps.Keys(k.keys))
}

// String returns the versions, never a key: "consent.Keyring{current: 2,
// versions: [1 2]}".
func (k Keyring) String() string {
	return fmt.Sprintf("consent.Keyring{current: %d, versions: %v}", k.current, k.Versions())
}

// GoString is String, so that %#v shows no key either.
func (k Keyring) GoString() string { return k.String() }

// Format prints [Keyring.String] for every verb, so that no verb (%x, %d,
// %+v, …) reaches the keys.
func (k Keyring) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, k.String()) }

// MarshalJSON encodes the versions only:
// {"current_version":2,"key_versions":[1,2]}.
func (k Keyring) MarshalJSON() ([]byte, error) {
	v := k.Versions()
	if v == nil {
		v = []uint32{}
	}
	return json.Marshal(struct {
		Current  uint32   `json:"current_version"`
		Versions []uint32 `json:"key_versions"`
	}{k.current, v})
}

// UnmarshalJSON always fails: keys are never read from JSON, since the JSON
// form holds none. Use [NewKeyring] with keys from the host's secret store.
func (k *Keyring) UnmarshalJSON([]byte) error {
	return invalid("keyring", "a keyring is not decoded from JSON: use NewKeyring")
}

// Digest returns the hex HMAC-SHA256, under key version, that a
// [Suppression] holds for a (of kind a.Kind()): the value to index a large
// suppression list by. See [Suppression.HMAC] for what is digested. The
// error is a [*FieldError] that never repeats the address.
func (k *Keyring) Digest(version uint32, a Address) (string, error) {
	if a.IsZero() {
		return "", missing("address")
	}
	sum, ok := k.sum(version, a.Key())
	if !ok {
		return "", invalid("keyring", "no key for version "+strconv.FormatUint(uint64(version), 10))
	}
	return hex.EncodeToString(sum[:]), nil
}

// Sum returns the current key version and the hex HMAC-SHA256 of data
// under it: a keyed digest for audit records, which a dictionary of
// addresses cannot reverse as it could a plain hash. A nil Keyring gives
// (0, "").
func (k *Keyring) Sum(data []byte) (version uint32, mac string) {
	if k == nil {
		return 0, ""
	}
	out, ok := k.sum(k.current, string(data))
	if !ok {
		return 0, ""
	}
	return k.current, hex.EncodeToString(out[:])
}

// sum is HMAC-SHA256 of form under version.
func (k *Keyring) sum(version uint32, form string) (out [sha256.Size]byte, ok bool) {
	if k == nil {
		return out, false
	}
	key, ok := k.keys[version]
	if !ok {
		return out, false
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(form))
	m.Sum(out[:0])
	return out, true
}

// AddressKind says whether a [Suppression] stands for an e-mail address or a
// phone number.
type AddressKind string

// Kinds of address.
const (
	AddressEmail AddressKind = "email" // an e-mail address
	AddressPhone AddressKind = "phone" // a phone number
)

// Valid reports whether k is [AddressEmail] or [AddressPhone].
func (k AddressKind) Valid() bool { return k == AddressEmail || k == AddressPhone }

// MarshalText implements encoding.TextMarshaler; an invalid kind is an error.
func (k AddressKind) MarshalText() ([]byte, error) {
	if !k.Valid() {
		return nil, &UnknownValueError{Type: "address kind", Value: string(k)}
	}
	return []byte(k), nil
}

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an error.
func (k *AddressKind) UnmarshalText(b []byte) error {
	v := AddressKind(b)
	if !v.Valid() {
		return &UnknownValueError{Type: "address kind", Value: string(b)}
	}
	*k = v
	return nil
}

// SuppressionSource is the [Record.Source] of the objections
// [Suppression.Objection] makes.
const SuppressionSource = "suppression list"

// Suppression is the minimal entry kept after a contact is erased so that
// their objection outlives their data (GDPR art. 17(3)(e) and art. 21(3):
// a person who objected must not be marketed to again when their address
// comes back in a later import). It holds no address, no plain hash and no
// contact id: only a keyed digest of the address, the sender the person had
// dealings with, the scope and the instant.
//
// JSON form:
//
//	{"key_version": 1, "hmac": "5a62c810aa21f61f405772b71b52470fb17903d38c5588be72c3b8efe5533e24",
//	 "kind": "email", "sender": "Maison Exemple SAS", "purpose": "all_marketing",
//	 "channel": "all", "at": "2026-03-10T09:00:00Z"}
type Suppression struct {
	// KeyVersion is the [Keyring] version HMAC was computed under.
	KeyVersion uint32 `json:"key_version"`
	// HMAC is the lower-case hex HMAC-SHA256, under the key of KeyVersion,
	// of the address's [Address.Key]: for an e-mail address its canonical
	// form with the local part also lower-cased (then NFC), because mailbox
	// providers ignore its case and a missed match would mean marketing to
	// a person who objected; for a phone number the E.164 number.
	HMAC string `json:"hmac"`
	// Kind is whether HMAC stands for an e-mail address or a number.
	Kind AddressKind `json:"kind"`
	// Sender is the legal entity the suppression binds.
	Sender string `json:"sender"`
	// Purpose and Channel are the scope; [Contact.Erase] always uses
	// [AllMarketing] and [AllChannels].
	Purpose Purpose `json:"purpose"`
	Channel Channel `json:"channel"`
	// At is the erasure instant, in UTC.
	At time.Time `json:"at"`
}

// Validate reports the first problem with s as a [*FieldError].
func (s Suppression) Validate() error {
	switch {
	case s.KeyVersion == 0:
		return missing("key_version")
	case len(s.HMAC) != 2*sha256.Size || strings.Trim(s.HMAC, "0123456789abcdef") != "":
		return invalid("hmac", "not 64 lower-case hex digits")
	case !s.Kind.Valid():
		return enumErr("kind", string(s.Kind))
	case s.Sender == "":
		return missing("sender")
	case len(s.Sender) > MaxIDLen:
		return &FieldError{Field: "sender", Err: ErrTooLarge}
	case !s.Purpose.Valid() || s.Purpose == Transactional:
		return enumErr("purpose", s.Purpose.String())
	case !s.Channel.Valid():
		return enumErr("channel", s.Channel.String())
	case s.At.IsZero():
		return missing("at")
	}
	return nil
}

// UnmarshalJSON decodes and validates a suppression, rejecting unknown
// fields; At is put in UTC.
func (s *Suppression) UnmarshalJSON(b []byte) error {
	type plain Suppression
	var p plain
	if err := strictJSON(b, &p); err != nil {
		return err
	}
	n := Suppression(p)
	if err := n.Validate(); err != nil {
		return err
	}
	n.At = n.At.UTC()
	*s = n
	return nil
}

// Objection returns the record a host appends to the ledger of a contact
// whose address matched s: an objection ([Objection]) by s.Sender to all
// marketing ([AllMarketing]) on all channels ([AllChannels]), from source
// [SuppressionSource], at at (the instant of the import). Whatever the scope
// of s, the objection covers everything: the conservative reading. It names
// no subject, so it applies whatever address the new contact uses.
func (s Suppression) Objection(id string, at time.Time) Record {
	return Record{ID: id, Purpose: AllMarketing, Channel: AllChannels, Sender: s.Sender,
		Status: Objection, At: at, Source: SuppressionSource}
}

// SuppressionList is the suppressions a host keeps after erasures. Its JSON
// form is an array of [Suppression]s.
type SuppressionList []Suppression

// Match reports the first suppression, in list order, for a: the address of
// a contact being imported. It is compared by its [Address.Key], so
// "Lea@EXAMPLE.com", the IDNA Unicode form of a domain or a national phone
// number match the suppression made from any spelling of the same address.
// Its HMAC is compared under every key version
// that the keyring holds and the list uses; suppressions made under a
// version missing from kr never match. The zero Address matches nothing.
//
// One address has one suppression per sender: a host importing a contact
// for a given sender, or for several, should use [SuppressionList.MatchAll]
// and append the [Suppression.Objection] of each match. Match is linear in
// the list; large lists are best indexed by [Keyring.Digest].
func (l SuppressionList) Match(a Address, kr *Keyring) (Suppression, bool) {
	var found Suppression
	ok := false
	l.match(a, kr, func(s Suppression) bool {
		found, ok = s, true
		return false
	})
	return found, ok
}

// MatchAll returns every suppression for a, in list order, compared as by
// [SuppressionList.Match]; nil when none.
func (l SuppressionList) MatchAll(a Address, kr *Keyring) []Suppression {
	var out []Suppression
	l.match(a, kr, func(s Suppression) bool {
		out = append(out, s)
		return true
	})
	return out
}

func (l SuppressionList) match(a Address, kr *Keyring, yield func(Suppression) bool) {
	if len(l) == 0 || kr == nil || a.IsZero() {
		return
	}
	kind, form := a.Kind(), a.Key()
	type digest struct {
		sum [sha256.Size]byte
		ok  bool
	}
	sums := make(map[uint32]digest, len(kr.keys))
	var got [sha256.Size]byte
	for _, s := range l {
		if s.Kind != kind || len(s.HMAC) != 2*sha256.Size {
			continue
		}
		d, seen := sums[s.KeyVersion]
		if !seen {
			d.sum, d.ok = kr.sum(s.KeyVersion, form)
			sums[s.KeyVersion] = d
		}
		if !d.ok {
			continue
		}
		if _, err := hex.Decode(got[:], []byte(s.HMAC)); err != nil {
			continue
		}
		if hmac.Equal(got[:], d.sum[:]) && !yield(s) {
			return
		}
	}
}

// KeyVersions returns the key versions the list's suppressions were made
// under, in increasing order: the versions a [Keyring] must keep for the
// list to go on matching.
func (l SuppressionList) KeyVersions() []uint32 {
	seen := make(map[uint32]struct{})
	for _, s := range l {
		seen[s.KeyVersion] = struct{}{}
	}
	return slices.Sorted(maps.Keys(seen))
}

// Erasure is what survives the erasure of a contact ([Contact.Erase]).
type Erasure struct {
	// Ledger is a new ledger holding only the records the host must keep
	// by law — the proof of consent (GDPR art. 7(1); for example five years
	// for telephone consent in Germany and under the US Telemarketing
	// Sales Rule), of a withdrawal or of an objection — and nothing else.
	// Those records still name the address they concern: store them apart
	// from marketing data, restrict access, and delete them when the
	// retention period ends.
	Ledger *Ledger `json:"ledger"`
	// Suppressions are the entries to add to the host's suppression list.
	Suppressions SuppressionList `json:"suppressions"`
}

// Erase computes what the host keeps when it erases the contact (GDPR art.
// 17) without forgetting that the person objected (art. 21(3); the
// suppression is kept under art. 17(3)(e) and, for the UK, on the ICO's
// guidance that a suppression list is how an objection is respected):
//
//   - a new [Ledger] holding the records retain keeps (none when retain is
//     nil), the proof the host is required to retain;
//   - one [Suppression] per address and per sender: every e-mail address and
//     number the contact had (its Email and Phone, every record subject and
//     every address collected in its relationship), by [Address.Key], for
//     every sender entity named by a record or a relationship event (one per
//     entity as [EntityKey] tells them apart, under its first spelling; the
//     objection a match yields, [Suppression.Objection], binds every
//     spelling of that entity, since records compare senders by key), under
//     the keyring's current key version, scoped to all marketing on all
//     channels, dated at.
//
// Suppressions are made whatever the records say, since an erasure request
// is also, at the least, a request not to be marketed to. A contact without
// any sender yields no suppression.
//
// Erase does not modify the contact: the host deletes it, and every copy,
// itself. It fails, with a [*FieldError], when kr holds no key or at is
// zero.
func (c *Contact) Erase(kr *Keyring, retain func(Record) bool, at time.Time) (Erasure, error) {
	switch {
	case c == nil:
		return Erasure{}, missing("contact")
	case kr == nil || len(kr.keys) == 0:
		return Erasure{}, &FieldError{Field: "keyring", Err: ErrMissing, Msg: "no keys: use NewKeyring"}
	case at.IsZero():
		return Erasure{}, missing("at")
	}

	type address struct {
		kind AddressKind
		form string
	}
	addresses := make(map[address]struct{})
	add := func(a Address) {
		if !a.IsZero() {
			addresses[address{a.Kind(), a.Key()}] = struct{}{}
		}
	}
	add(c.Email)
	add(c.Phone)
	var senders entities
	var kept []Record
	for _, r := range c.Records.Records() {
		add(r.Subject)
		senders.add(r.Sender)
		if retain != nil && retain(r) {
			kept = append(kept, r)
		}
	}
	rel := &c.Relationship
	for _, list := range [...][]Interaction{rel.Purchases, rel.Inquiries, rel.Support} {
		for _, e := range list {
			senders.add(e.Seller)
			for _, a := range e.Collected {
				add(a)
			}
		}
	}
	for _, k := range rel.Contracts {
		senders.add(k.Seller)
	}

	ledger, err := NewLedger(kept...)
	if err != nil {
		return Erasure{}, err
	}
	out := Erasure{Ledger: ledger, Suppressions: SuppressionList{}}
	at = at.UTC()
	for a := range addresses {
		sum, _ := kr.sum(kr.current, a.form)
		h := hex.EncodeToString(sum[:])
		for _, s := range senders.names {
			if s == "" {
				continue
			}
			out.Suppressions = append(out.Suppressions, Suppression{KeyVersion: kr.current, HMAC: h,
				Kind: a.kind, Sender: s, Purpose: AllMarketing, Channel: AllChannels, At: at})
		}
	}
	slices.SortFunc(out.Suppressions, func(a, b Suppression) int {
		return cmp.Or(cmp.Compare(a.Sender, b.Sender), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.HMAC, b.HMAC))
	})
	return out, nil
}

// UnmarshalJSON decodes an export strictly, like every decoder of this
// package: keys match exactly and appear once, unknown keys are errors, and
// the records are validated as [Record.UnmarshalJSON] validates them.
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

// UnmarshalJSON decodes an erasure strictly, like [Export.UnmarshalJSON]:
// a key given twice (a second "ledger" would drop the kept records) or in
// another case is an error.
func (e *Erasure) UnmarshalJSON(b []byte) error {
	type plain Erasure
	var v plain
	if err := strictJSON(b, &v); err != nil {
		return err
	}
	*e = Erasure(v)
	return nil
}
