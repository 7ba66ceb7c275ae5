package consent

import (
	"cmp"
	"encoding/json"
	"errors"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/sendright/sendright/internal/strictjson"
)

// MaxRecords bounds a [Ledger], so that a hostile import cannot exhaust
// memory: at most MaxRecords grants, and at most 2×MaxRecords records in
// all. Withdrawals and objections are still accepted when the grants are at
// their limit, so a full ledger can always record a stop. Appending or
// decoding past a limit fails with [ErrTooLarge].
const MaxRecords = 10_000

// Ledger is the append-only consent history of one contact, kept in time
// order. It answers what the state of a (purpose, channel, sender) was at an
// instant, and merges histories from several sources without ever losing a
// withdrawal or an objection.
//
// The zero Ledger is empty and ready to use. A Ledger is not safe for
// concurrent mutation: like a map, it may be read by many goroutines at once
// (State, All, Len, MarshalJSON) as long as none of them appends or merges.
// Hosts that update a contact while decisions run should build the new
// ledger on a copy ([Ledger.Clone]) and swap it in.
type Ledger struct {
	records []Record // sorted by At, then Status, then ID
}

// NewLedger returns a ledger holding recs, or the first validation error.
func NewLedger(recs ...Record) (*Ledger, error) {
	l := new(Ledger)
	if err := l.Append(recs...); err != nil {
		return nil, err
	}
	return l, nil
}

// Len returns the number of records.
func (l *Ledger) Len() int {
	if l == nil {
		return 0
	}
	return len(l.records)
}

// All returns the records in time order. At one instant grants come before
// withdrawals and objections, the order in which they take effect.
func (l *Ledger) All() iter.Seq[Record] {
	return func(yield func(Record) bool) {
		if l == nil {
			return
		}
		for _, r := range l.records {
			if !yield(r) {
				return
			}
		}
	}
}

// Records returns a copy of the records in time order.
func (l *Ledger) Records() []Record {
	if l == nil {
		return nil
	}
	return slices.Clone(l.records)
}

// Clone returns an independent copy of l.
func (l *Ledger) Clone() *Ledger {
	if l == nil {
		return new(Ledger)
	}
	return &Ledger{records: slices.Clone(l.records)}
}

// Append validates and adds records. It is all or nothing: on any error the
// ledger is unchanged. A record whose id is already present is ignored when
// its content is identical (appending is idempotent) and is a
// [*ConflictError] when it differs: the ledger never chooses silently.
func (l *Ledger) Append(recs ...Record) error {
	if len(recs) == 0 {
		return nil
	}
	byID := make(map[string]int, len(l.records)+len(recs))
	for i := range l.records {
		byID[l.records[i].ID] = i
	}
	add := make([]Record, 0, len(recs))
	for i, r := range recs {
		n, err := r.normalized()
		if err != nil {
			return prefix("records["+strconv.Itoa(i)+"]", err)
		}
		if j, ok := byID[n.ID]; ok {
			var prev Record
			if j < len(l.records) {
				prev = l.records[j]
			} else {
				prev = add[j-len(l.records)]
			}
			if prev != n {
				return &ConflictError{ID: n.ID}
			}
			continue
		}
		byID[n.ID] = len(l.records) + len(add)
		add = append(add, n)
	}
	grants := 0
	for _, rs := range [2][]Record{l.records, add} {
		for i := range rs {
			if rs[i].Status == Granted {
				grants++
			}
		}
	}
	switch {
	case grants > MaxRecords:
		return &FieldError{Field: "records", Err: ErrTooLarge,
			Msg: "more than " + strconv.Itoa(MaxRecords) + " grants in one ledger"}
	case len(l.records)+len(add) > 2*MaxRecords:
		return &FieldError{Field: "records", Err: ErrTooLarge,
			Msg: "more than " + strconv.Itoa(2*MaxRecords) + " records in one ledger"}
	}
	merged := append(slices.Clip(l.records), add...)
	slices.SortStableFunc(merged, compareRecords)
	l.records = merged
	return nil
}

// Merge adds every record of other to l with the rules of [Ledger.Append].
// Merging is commutative, associative and idempotent, and keeps every
// withdrawal and objection of both histories.
func (l *Ledger) Merge(other *Ledger) error {
	if other == nil {
		return nil
	}
	return l.Append(other.records...)
}

func compareRecords(a, b Record) int {
	if c := a.At.Compare(b.At); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Status, b.Status); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// MarshalJSON encodes the ledger as a JSON array of records in time order.
func (l Ledger) MarshalJSON() ([]byte, error) {
	if l.records == nil {
		return []byte("[]"), nil
	}
	return json.Marshal(l.records)
}

// UnmarshalJSON decodes a JSON array of records, validating each one. It
// fails with [ErrTooLarge] past the limits of [MaxRecords]. Phone number
// subjects must be in E.164 form: a national number needs the contact's
// country (see [Contact]).
func (l *Ledger) UnmarshalJSON(b []byte) error { return l.decodeJSON(b, Country{}) }

// decodeJSON decodes a ledger whose phone number subjects may be in the
// national format of country.
func (l *Ledger) decodeJSON(b []byte, country Country) error {
	if err := checkJSONLimits(b); err != nil {
		return err
	}
	var raw []jsontext.Value
	if err := strictjson.Unmarshal(b, &raw); err != nil {
		err = jsonErr(err)
		var fe *FieldError
		if errors.As(err, &fe) && strings.HasPrefix(fe.Field, "[") {
			fe.Field = "records" + fe.Field // a key given twice inside records[i]
		}
		return err
	}
	if len(raw) > 2*MaxRecords {
		return &FieldError{Field: "records", Err: ErrTooLarge,
			Msg: "more than " + strconv.Itoa(2*MaxRecords) + " records in one ledger"}
	}
	recs := make([]Record, len(raw))
	for i, m := range raw {
		if err := recs[i].decodeJSON(m, country); err != nil {
			return prefix("records["+strconv.Itoa(i)+"]", err)
		}
	}
	var n Ledger
	if err := n.Append(recs...); err != nil {
		return err
	}
	*l = n
	return nil
}

// Defect says why a grant on file does not count as consent. The zero Defect
// means it counts.
type Defect uint8

// Defects of a grant.
const (
	// NoDefect: the grant counts as consent.
	NoDefect Defect = iota
	// DefectPreTicked: captured by a pre-ticked box (GDPR recital 32; CJEU
	// C-673/17 Planet49).
	DefectPreTicked
	// DefectMethodUnknown: the capture method was not recorded, so the
	// consent cannot be demonstrated (GDPR art. 7(1)).
	DefectMethodUnknown
	// DefectUnproven: imported without a proof reference (GDPR art. 7(1),
	// recital 171 for pre-2018 consent).
	DefectUnproven
	// DefectUnconfirmed: a double opt-in never confirmed by the decision
	// instant.
	DefectUnconfirmed
	// DefectMinor: given below the age of digital consent without the
	// parental (or, in France, joint) consent the law asks for (GDPR art. 8).
	DefectMinor
)

var defectNames = []string{"", "pre_ticked", "method_unknown", "unproven", "unconfirmed", "minor"}

// String returns the text form, e.g. "pre_ticked", or "" for NoDefect.
func (d Defect) String() string {
	if int(d) < len(defectNames) {
		return defectNames[d]
	}
	return "invalid(" + strconv.Itoa(int(d)) + ")"
}

// MinorRule is a jurisdiction's age of digital consent (GDPR art. 8): a
// consent given before Age needs parental consent, or joint consent of the
// minor and the parent when Joint is set (France, Loi Informatique et
// Libertés art. 45).
type MinorRule struct {
	Age   int  // in years; zero means no age rule applies
	Joint bool // only joint consent counts, not a parent's alone
}

// Query asks for the consent state of one purpose, channel and sender at an
// instant. Address, BirthDate and Location come from the contact; use
// [Contact.State] to fill them.
type Query struct {
	Purpose Purpose   // the message purpose asked about
	Channel Channel   // the message channel asked about
	Sender  string    // the sender entity, compared as by [SameEntity]
	At      time.Time // the instant; records dated after it are ignored
	Minors  MinorRule // the age of digital consent; zero: no age rule

	Address   Address        // the contact's address on Channel; grants must name it
	BirthDate time.Time      // zero when unknown: treated as an adult
	Location  *time.Location // for the age at capture; UTC when nil
}

// State is the answer to a [Query].
//
// The records are read in time order up to the query instant; a withdrawal or
// objection covering the query ends every grant before it, and only a later
// grant that counts as consent lifts it again. The records it names are
// returned as copies: a ledger cannot be changed through its answers.
type State struct {
	grant       *Record      // the latest grant in force that counts as consent
	suppression *Record      // the withdrawal or objection in force, if no valid grant came after it
	refusal     *Interaction // a refusal at collection in force, read by [Contact.State]; suppression is then nil
	refusalCh   Channel      // the channel asked about, for the refusal's record
	invalid     *Record      // the latest grant in force that does not count; only when grant is nil
	// Defect says why the invalid grant does not count.
	Defect Defect
}

// Consented reports whether a grant that counts is in force.
func (s State) Consented() bool { return s.grant != nil }

// Objected reports whether an objection (GDPR art. 21) is in force: an
// objection record, or a refusal at collection ([Interaction.Refused]).
func (s State) Objected() bool {
	return s.refusal != nil || s.suppression != nil && s.suppression.Status == Objection
}

// Withdrawn reports whether a withdrawal of consent is in force.
func (s State) Withdrawn() bool { return s.suppression != nil && s.suppression.Status == Withdrawn }

// Grant returns a copy of the grant in force that counts as consent.
func (s State) Grant() (Record, bool) { return copyOf(s.grant) }

// Suppression returns a copy of the withdrawal or objection in force. A
// refusal at collection is returned as the objection it is: id
// [RefusalRecordID] of the interaction's, all marketing, the channel asked
// about, the interaction's seller and instant.
func (s State) Suppression() (Record, bool) {
	if e := s.refusal; e != nil {
		return Record{ID: RefusalRecordID(e.ID), Purpose: AllMarketing, Channel: s.refusalCh, Sender: e.Seller,
			Status: Objection, At: e.At.UTC(), Source: RefusalSource, OptOutOffered: e.OptOutOffered}, true
	}
	return copyOf(s.suppression)
}

// RefusalSource is the [Record.Source] of the objection a refusal at
// collection stands for.
const RefusalSource = "refused at collection"

// RefusalID returns the id of the interaction whose refusal at collection
// is the objection in force, or "". Unlike [State.SuppressionID], it does
// not allocate.
func (s State) RefusalID() string {
	if s.refusal == nil {
		return ""
	}
	return s.refusal.ID
}

// refuse applies a refusal at collection, an objection dated e.At: it is in
// force unless a grant that counts, or a withdrawal or objection record,
// came after it. At one instant the refusal wins over a grant, as an
// objection record would.
func (s *State) refuse(e *Interaction, ch Channel) {
	switch {
	case s.grant != nil && s.grant.At.After(e.At),
		s.suppression != nil && s.suppression.At.After(e.At),
		s.refusal != nil && s.refusal.At.After(e.At):
		return
	}
	inv, d := s.invalid, s.Defect
	if inv == nil || !inv.At.After(e.At) {
		inv, d = nil, NoDefect
	}
	*s = State{refusal: e, refusalCh: ch, invalid: inv, Defect: d}
}

// Invalid returns a copy of the latest grant in force that does not count
// as consent (see Defect), when no grant counts.
func (s State) Invalid() (Record, bool) { return copyOf(s.invalid) }

// GrantID, SuppressionID and InvalidID return the ids of those records, or
// "": the evidence a decision names, without copying records.
func (s State) GrantID() string { return idOf(s.grant) }

// SuppressionID returns the id of the withdrawal or objection in force, or
// "": for a refusal at collection, [RefusalRecordID] of the interaction's.
func (s State) SuppressionID() string {
	if s.refusal != nil {
		return RefusalRecordID(s.refusal.ID)
	}
	return idOf(s.suppression)
}

// InvalidID returns the id of the grant that does not count, or "".
func (s State) InvalidID() string { return idOf(s.invalid) }

func copyOf(r *Record) (Record, bool) {
	if r == nil {
		return Record{}, false
	}
	return *r, true
}

func idOf(r *Record) string {
	if r == nil {
		return ""
	}
	return r.ID
}

// State answers q. Records dated after q.At are ignored. It does not
// allocate.
func (l *Ledger) State(q Query) State {
	var s State
	if l == nil {
		return s
	}
	for i := range l.records {
		r := &l.records[i]
		if r.At.After(q.At) {
			break
		}
		if !SameEntity(r.Sender, q.Sender) || !r.Channel.Covers(q.Channel) {
			continue
		}
		if r.Status.Suppresses() {
			if suppressionCovers(r.Status, r.Purpose, q.Purpose) {
				s = State{suppression: r}
			}
			continue
		}
		if !r.Purpose.Covers(q.Purpose) {
			continue
		}
		if !q.Address.IsZero() && !r.Subject.Same(q.Address) {
			continue
		}
		if d := r.defect(&q); d != NoDefect {
			if s.grant == nil {
				s.invalid, s.Defect = r, d
			}
			continue
		}
		s = State{grant: r}
	}
	return s
}

// suppressionCovers reports whether a withdrawal or objection with the
// given status and scope stops a message with purpose q.
//
// An objection is to direct marketing as such: it stops every marketing
// purpose of that sender on the channels it names, whatever purpose it was
// recorded with (GDPR and UK GDPR art. 21(3), "no longer be processed for
// such purposes"; CPCE art. L34-5, "que ces communications cessent"; CDE
// art. XII.13). The purpose recorded stays as information in the history.
// See rules/builtin/LAW.md, "Objection scope".
//
// A withdrawal of consent (art. 7(3)) stops what its scope covers, on the
// conservative side: a withdrawal of general marketing also stops
// third-party offers from that sender.
func suppressionCovers(status Status, scope, q Purpose) bool {
	if status == Objection || scope == MarketingGeneral || scope == AllMarketing {
		return q.Marketing()
	}
	return scope.Covers(q)
}

// SameEntity reports whether two sender entity names are the same legal
// entity: equal up to case and surrounding space. Hosts should still use
// stable identifiers; this only keeps an objection recorded as "ACME SAS"
// from missing a send by "Acme SAS".
func SameEntity(a, b string) bool {
	return a == b || strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// defect judges a grant against the query instant and the minor rule.
func (r *Record) defect(q *Query) Defect {
	switch r.Method {
	case PreTicked:
		return DefectPreTicked
	case MethodUnknown, 0:
		return DefectMethodUnknown
	case Imported:
		if r.ProofRef == "" {
			return DefectUnproven
		}
	case DoubleOptIn:
		if r.ConfirmedAt.IsZero() || r.ConfirmedAt.After(q.At) {
			return DefectUnconfirmed
		}
	}
	if q.Minors.Age > 0 && !q.BirthDate.IsZero() && ageAt(q.BirthDate, r.At, q.Location) < q.Minors.Age {
		if r.Parental == NoParental || (q.Minors.Joint && r.Parental != Joint) {
			return DefectMinor
		}
	}
	return NoDefect
}

// ageAt returns the age in whole years on the local date of t.
func ageAt(birth, t time.Time, loc *time.Location) int {
	if loc == nil {
		loc = time.UTC
	}
	y1, m1, d1 := birth.Date()
	y2, m2, d2 := t.In(loc).Date()
	age := y2 - y1
	if m2 < m1 || (m2 == m1 && d2 < d1) {
		age--
	}
	return age
}

func asErr[T error](err error, target *T) bool { return errors.As(err, target) }
