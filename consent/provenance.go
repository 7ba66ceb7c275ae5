package consent

import (
	"slices"
	"strconv"
	"time"

	"github.com/sendright/sendright/internal/canon"
	"github.com/sendright/sendright/internal/enum"
)

// Provenance says where a grant came from when another company collected
// it: who collected it, the chain of entities it came through, how the
// sender was designated to the person at collection, how the partner
// consent was asked, the proof kept, and when the sender obtained the data
// and told the person (GDPR art. 14). It is what a sender relying on
// consent it did not collect must be able to show (GDPR art. 7(1); EDPB
// Guidelines 05/2020 ¶65; CNIL, "La prospection vers les particuliers:
// quelles règles pour transmettre des données à des partenaires ?", 28
// December 2018).
//
// A grant whose Collector is another legal entity than its
// [Record.Sender] (compared as every sender is, by [EntityKey] and the
// policy's [Aliases], by the collector's name or its identifier) is
// indirect consent, and counts only when nothing in its provenance is a
// defect ([Defect]: [DefectObjectionPropagated],
// [DefectOnwardTransfer], [DefectPartnerNotNamed],
// [DefectPartnerCategoryOnly], [DefectSenderAddedLater],
// [DefectInvalidPartnerConsent], [DefectNoIndividualProof]). A grant
// without provenance, or whose collector is the sender, is direct
// consent, judged as before.
//
// Only a grant carries provenance. A record shares its Provenance with
// its copies (a ledger's records, [Ledger.All]): never modify one after
// giving it to a [Record] in a ledger.
//
// Bounds: a chain of at most 16 entities, a partner list of at most 1,000
// entries; an entity name or identifier is at most 256 bytes, a list
// version, category text or proof reference at most 2,048.
type Provenance struct {
	// Collector is the legal entity that collected the consent from the
	// person: its name and, when known, its legal identifier. Required.
	Collector Party `json:"collector"`
	// Chain lists the entities the data passed through before reaching
	// the sender, in order, the collector first (collector, broker, …).
	// Empty: the collector gave the data to the sender directly. A chain
	// of more than one entity is an onward transfer
	// ([DefectOnwardTransfer]): a partner may not pass the data on to its
	// own partners without a new consent (CNIL, 28 December 2018).
	Chain []Party `json:"chain,omitempty"`
	// Partners is how the recipients of the data were designated to the
	// person at collection: a named list, or only a category.
	Partners Partners `json:"partners,omitzero"`
	// Separate records that the partner consent was a separate choice
	// (its own box, not bundled with consent to the collector's own
	// marketing or with the terms of a service): consent to a transfer
	// is specific to it (GDPR art. 4(11), 7(2); CNIL, 28 December 2018).
	// A grant collected by another entity without it is not consent
	// ([DefectInvalidPartnerConsent]).
	Separate bool `json:"separate,omitempty"`
	// Bundled records that accepting the partners' offers was bundled with
	// something else, such as entering a contest ("JE PARTICIPE"
	// accepting offers too): no free consent (GDPR art. 7(4); CNIL
	// Tagadamedia 2023, Caloga SAN-2025-002).
	Bundled bool `json:"bundled,omitempty"`
	// AsymmetricChoice records a deceptive interface: accepting was a
	// prominent button, refusing a small link (CNIL Tagadamedia 2023,
	// Foriou SAN-2024-003).
	AsymmetricChoice bool `json:"asymmetric_choice,omitempty"`
	// IndividualProof points at the stored proof of this person's own
	// submission (the form as filled in, time, origin), not a template
	// form: without it the consent cannot be demonstrated
	// ([DefectNoIndividualProof]; CNIL EDF SAN-2022-021).
	IndividualProof string `json:"individual_proof,omitempty"`
	// ObtainedAt is when the sender obtained the data. Zero: unknown,
	// read as the grant's instant (the earliest it could be), which is
	// the conservative reading of the one-month limit of GDPR art.
	// 14(3)(a).
	ObtainedAt time.Time `json:"obtained_at,omitzero"`
	// NoticeSentAt is when the sender gave the person the information of
	// GDPR art. 14 (the source of the data included); zero when not sent.
	NoticeSentAt time.Time `json:"notice_sent_at,omitzero"`
}

// Party is a legal entity of a grant's provenance: its name and its
// legal identifier (SIREN, KBO/BCE number, Companies House number, …).
type Party struct {
	// Entity is the entity's name, compared by [EntityKey]. Required.
	Entity string `json:"entity"`
	// ID is its legal identifier, compared by [EntityKey] too; hosts
	// declare it as an alias of the name ([Aliases]) where they use
	// both. A party with the sender's name and an identifier the aliases
	// do not give the sender is another legal person, a namesake (when
	// the host declared aliases for the sender).
	ID string `json:"id,omitempty"`
}

// Partners is how the recipients of a partner consent were designated at
// collection: a list naming them (shown inline or through a link on the
// collection form), or only a category ("our partners", "selected third
// parties").
type Partners struct {
	// Version identifies the list shown at collection.
	Version string `json:"version,omitempty"`
	// Shown is how the list was presented on the collection form. Zero:
	// not recorded, read as not shown, so no entry names the sender at
	// collection ([DefectPartnerNotNamed]).
	Shown ListShown `json:"shown,omitzero"`
	// Entries are the partners the list names, each by entity and legal
	// identifier, with when it was added when that was after the list was
	// first published.
	Entries []Partner `json:"entries,omitempty"`
	// Category is the text designating the recipients when no list named
	// them ("partenaires (ameublement, voyage)", "selected third
	// parties"). Consent to a category of recipients does not name the
	// sender ([DefectPartnerCategoryOnly]; pending before the CJEU,
	// C-317/25 Groupe Canal+).
	Category string `json:"category,omitempty"`
}

// Partner is one entry of a partner list.
type Partner struct {
	// Entity is the partner's name. Required.
	Entity string `json:"entity"`
	// ID is its legal identifier. Required: a list names a partner so the
	// person can identify it (CNIL, 28 December 2018; GDPR art. 4(11)).
	ID string `json:"id"`
	// AddedAt is when the entry was added to the list; zero when it was
	// on the list from the start. An entry added after the grant was
	// given was not shown to the person ([DefectSenderAddedLater]).
	AddedAt time.Time `json:"added_at,omitzero"`
}

// ListShown is how a partner list was presented at collection.
type ListShown uint8

// How a partner list was presented. Do not reorder.
const (
	// ShownInline: the list was on the collection form itself.
	ShownInline ListShown = iota + 1
	// ShownLink: the form linked to the list.
	ShownLink
)

var listShownNames = enum.New[ListShown]("consent", "list shown", "", "inline", "link")

// String returns the text form, e.g. "inline".
func (s ListShown) String() string { return listShownNames.String(s) }

// MarshalText implements encoding.TextMarshaler; an undefined value is an
// error.
func (s ListShown) MarshalText() ([]byte, error) { return listShownNames.Marshal(s) }

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an
// error.
func (s *ListShown) UnmarshalText(b []byte) error { return listShownNames.Unmarshal(s, b) }

// Limits of a provenance.
const (
	maxChain   = 16
	maxEntries = 1000
)

// UnmarshalJSON decodes a provenance strictly: keys must match the field
// names exactly and appear once; unknown keys are errors. It is checked
// with the record holding it.
func (p *Provenance) UnmarshalJSON(b []byte) error {
	type plain Provenance
	var v plain
	if err := strictJSON(b, &v); err != nil {
		return err
	}
	*p = Provenance(v)
	return nil
}

// UnmarshalJSON decodes a party strictly, like [Provenance.UnmarshalJSON].
func (p *Party) UnmarshalJSON(b []byte) error {
	type plain Party
	var v plain
	if err := strictJSON(b, &v); err != nil {
		return err
	}
	*p = Party(v)
	return nil
}

// UnmarshalJSON decodes a partner list strictly, like
// [Provenance.UnmarshalJSON].
func (p *Partners) UnmarshalJSON(b []byte) error {
	type plain Partners
	var v plain
	if err := strictJSON(b, &v); err != nil {
		return err
	}
	*p = Partners(v)
	return nil
}

// UnmarshalJSON decodes a partner list entry strictly, like
// [Provenance.UnmarshalJSON].
func (p *Partner) UnmarshalJSON(b []byte) error {
	type plain Partner
	var v plain
	if err := strictJSON(b, &v); err != nil {
		return err
	}
	*p = Partner(v)
	return nil
}

// checkEntity validates an entity name (required) or identifier.
func checkEntity(field, s string, required bool) error {
	switch {
	case s == "" && required:
		return missing(field)
	case s == "":
		return nil
	case len(s) > maxIDLen:
		return &FieldError{Field: field, Err: ErrTooLarge}
	case !canon.HasEntityKey(s):
		return invalid(field, "no letter, digit or symbol: names no entity")
	}
	return nil
}

// normalized validates p, the provenance of a grant given at, and returns
// a copy with its times in UTC (the caller's is never modified).
func (p *Provenance) normalized(at time.Time) (*Provenance, error) {
	n := *p
	if err := checkEntity("provenance.collector.entity", n.Collector.Entity, true); err != nil {
		return nil, err
	}
	if err := checkEntity("provenance.collector.id", n.Collector.ID, false); err != nil {
		return nil, err
	}
	if len(n.Chain) > maxChain {
		return nil, &FieldError{Field: "provenance.chain", Err: ErrTooLarge}
	}
	for i, c := range n.Chain {
		f := "provenance.chain[" + strconv.Itoa(i) + "]"
		if err := checkEntity(f+".entity", c.Entity, true); err != nil {
			return nil, err
		}
		if err := checkEntity(f+".id", c.ID, false); err != nil {
			return nil, err
		}
	}
	if len(n.Chain) > 0 && !sameParty(nil, n.Chain[0], n.Collector.Entity, n.Collector.ID) {
		return nil, invalid("provenance.chain[0]", "the chain starts with the collector")
	}
	l := &n.Partners
	switch {
	case len(l.Version) > maxTextLen:
		return nil, &FieldError{Field: "provenance.partners.version", Err: ErrTooLarge}
	case len(l.Category) > maxTextLen:
		return nil, &FieldError{Field: "provenance.partners.category", Err: ErrTooLarge}
	case l.Shown != 0 && !listShownNames.Valid(l.Shown):
		return nil, enumErr("provenance.partners.shown", l.Shown.String())
	case len(l.Entries) > maxEntries:
		return nil, &FieldError{Field: "provenance.partners.entries", Err: ErrTooLarge}
	case l.Shown != 0 && len(l.Entries) == 0:
		return nil, missing("provenance.partners.entries")
	case len(n.IndividualProof) > maxTextLen:
		return nil, &FieldError{Field: "provenance.individual_proof", Err: ErrTooLarge}
	case !n.ObtainedAt.IsZero() && !yearOK(n.ObtainedAt):
		return nil, invalid("provenance.obtained_at", "year outside 1900-9999 (UTC)")
	case !n.ObtainedAt.IsZero() && n.ObtainedAt.Before(at):
		return nil, invalid("provenance.obtained_at", "before the grant was given: the sender obtains the data after their collection")
	case !n.NoticeSentAt.IsZero() && !yearOK(n.NoticeSentAt):
		return nil, invalid("provenance.notice_sent_at", "year outside 1900-9999 (UTC)")
	case !n.NoticeSentAt.IsZero() && n.NoticeSentAt.Before(n.obtained(at)):
		return nil, invalid("provenance.notice_sent_at", "before the sender obtained the data")
	}
	l.Entries = listOrNil(l.Entries)
	for i := range l.Entries {
		e := &l.Entries[i]
		f := "provenance.partners.entries[" + strconv.Itoa(i) + "]"
		if err := checkEntity(f+".entity", e.Entity, true); err != nil {
			return nil, err
		}
		if err := checkEntity(f+".id", e.ID, true); err != nil {
			return nil, err
		}
		if !e.AddedAt.IsZero() {
			if !yearOK(e.AddedAt) {
				return nil, invalid(f+".added_at", "year outside 1900-9999 (UTC)")
			}
			e.AddedAt = e.AddedAt.UTC()
		}
	}
	n.Chain = listOrNil(n.Chain)
	if !n.ObtainedAt.IsZero() {
		n.ObtainedAt = n.ObtainedAt.UTC()
	}
	if !n.NoticeSentAt.IsZero() {
		n.NoticeSentAt = n.NoticeSentAt.UTC()
	}
	return &n, nil
}

// listOrNil returns a copy of s, or nil when s is empty: the JSON form
// leaves an empty list out, so a record written and read back has none
// either, and is the same record (FuzzRecordJSON).
func listOrNil[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return slices.Clone(s)
}

// obtained is when the sender obtained the data of a grant given at: the
// recorded instant, or the grant's when none is recorded.
func (p *Provenance) obtained(at time.Time) time.Time {
	if p.ObtainedAt.IsZero() {
		return at
	}
	return p.ObtainedAt
}

// names reports whether the list names the sender with an entry added no
// later than at (the instant the person was told).
func (l *Partners) names(a *Aliases, sender string, at time.Time) bool {
	for i := range l.Entries {
		e := &l.Entries[i]
		if !e.AddedAt.After(at) && sameParty(a, Party{e.Entity, e.ID}, sender, "") {
			return true
		}
	}
	return false
}

// sameParty reports whether party names the entity name or identifier.
// A party whose legal identifier is not among the declared aliases of the
// entity name (id empty) is another legal person, whatever its name: a
// namesake company (identifiers are declared as aliases of the name where
// hosts use both, see [Party]).
func sameParty(a *Aliases, party Party, name, id string) bool {
	if party.ID != "" && id == "" && a.declares(name) && !a.Same(party.ID, name) {
		return false
	}
	for _, x := range [2]string{party.Entity, party.ID} {
		if x == "" {
			continue
		}
		if a.Same(x, name) || (id != "" && a.Same(x, id)) {
			return true
		}
	}
	return false
}

// indirect reports whether a grant to sender carrying p was collected by
// another legal entity.
func (p *Provenance) indirect(a *Aliases, sender string) bool {
	return p != nil && !sameParty(a, p.Collector, sender, "")
}

// equal reports whether p and q hold the same provenance.
func (p *Provenance) equal(q *Provenance) bool {
	switch {
	case p == q:
		return true
	case p == nil || q == nil:
		return false
	}
	return p.Collector == q.Collector && slices.Equal(p.Chain, q.Chain) &&
		p.Partners.Version == q.Partners.Version && p.Partners.Shown == q.Partners.Shown &&
		p.Partners.Category == q.Partners.Category &&
		slices.EqualFunc(p.Partners.Entries, q.Partners.Entries, func(x, y Partner) bool {
			return x.Entity == y.Entity && x.ID == y.ID && x.AddedAt.Equal(y.AddedAt)
		}) &&
		p.Separate == q.Separate && p.Bundled == q.Bundled && p.AsymmetricChoice == q.AsymmetricChoice &&
		p.IndividualProof == q.IndividualProof && p.ObtainedAt.Equal(q.ObtainedAt) && p.NoticeSentAt.Equal(q.NoticeSentAt)
}

// partnerDefect judges the provenance of grant r, given to the query's
// sender, when another entity collected it; the ledger l is read for
// objections made to the collector or a member of the chain. Defects come
// in the order the checks are documented in [Defect].
func (l *Ledger) partnerDefect(r *Record, q *Query, memo *propagation) Defect {
	p := r.Provenance
	if !p.indirect(q.Aliases, r.Sender) {
		return NoDefect
	}
	if memo.stopAt(l, p, q).Compare(r.At) >= 0 {
		return DefectObjectionPropagated
	}
	if len(p.Chain) > 1 {
		return DefectOnwardTransfer
	}
	named, added := false, time.Time{}
	if p.Partners.Shown != 0 {
		for i := range p.Partners.Entries {
			e := &p.Partners.Entries[i]
			if sameParty(q.Aliases, Party{e.Entity, e.ID}, r.Sender, "") {
				if !named || e.AddedAt.Before(added) {
					added = e.AddedAt
				}
				named = true
			}
		}
	}
	switch {
	case named && added.After(r.At):
		return DefectSenderAddedLater
	case !named && p.Partners.Category != "":
		return DefectPartnerCategoryOnly
	case !named:
		return DefectPartnerNotNamed
	case !p.Separate || p.Bundled || p.AsymmetricChoice:
		return DefectInvalidPartnerConsent
	case p.IndividualProof == "":
		return DefectNoIndividualProof
	}
	return NoDefect
}

// propagation remembers, within one [Ledger.State], the latest stop made
// to the parties of the last provenance looked at, so that the grants of
// one collector cost one pass over the ledger.
type propagation struct {
	p   *Provenance
	at  time.Time // the latest stop found; zero: none
	set bool
}

// stopAt returns the instant of the latest objection, or withdrawal
// covering partners' offers, made to the collector of p or to a member of
// its chain, for the query's channel, up to the query instant; the zero
// time when none. An objection made to the collector about its partners'
// use binds the partners too (CNIL, 28 December 2018; compare CJEU C-129/21
// Proximus on passing a withdrawal along the chain).
func (m *propagation) stopAt(l *Ledger, p *Provenance, q *Query) time.Time {
	if m.set && (m.p == p || m.p.sameParties(p)) {
		return m.at
	}
	var at time.Time
	for i := range l.records {
		s := &l.records[i]
		if s.At.After(q.At) {
			break
		}
		if !s.Status.stops() || !s.reaches(q.Channel) || !stopCovers(s.Status, s.Purpose, MarketingThirdParty) {
			continue
		}
		if p.byParty(q.Aliases, s.Sender) {
			at = s.At
		}
	}
	*m = propagation{p: p, at: at, set: true}
	return at
}

// byParty reports whether name is the collector or a member of the chain.
func (p *Provenance) byParty(a *Aliases, name string) bool {
	if sameParty(a, p.Collector, name, "") {
		return true
	}
	for _, c := range p.Chain {
		if sameParty(a, c, name, "") {
			return true
		}
	}
	return false
}

// sameParties reports whether p and q name the same collector and chain.
func (p *Provenance) sameParties(q *Provenance) bool {
	return p.Collector == q.Collector && slices.Equal(p.Chain, q.Chain)
}
