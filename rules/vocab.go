package rules

import (
	"encoding/json"
	"fmt"
	"iter"
	"strconv"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/internal/decode"
	"github.com/sendright/sendright/internal/enum"
)

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// posError is a problem at a known position of a rule file, returned by
// decodeNode and turned into an [*Error] by [Parse] without
// reading the position back from the text.
type posError struct {
	Line, Column int
	Field        string // dotted path of the value, as in [Error.Field]
	Rule         string // id of the rule the value is in, if any
	Msg          string
}

func (e *posError) Error() string {
	return fmt.Sprintf("line %d: column %d: %s", e.Line, e.Column, e.Msg)
}

// Effect is what a matching rule does, and in which tier it is evaluated.
// Tiers run in this order: exempt, deny, allow, no_basis.
type Effect uint8

// Effects.
const (
	// Exempt: the message is outside marketing law (a transactional
	// message). Allowed before any deny rule is looked at, so even after an
	// unsubscribe.
	Exempt Effect = iota + 1
	// Deny: a hard stop (objection, withdrawal, sector ban), checked before
	// any allow rule. The first match decides.
	Deny
	// Allow: a legal basis. When several match, the basis reported is the
	// strongest (see [Basis]).
	Allow
	// NoBasis: looked at only when no allow rule matched; the first match
	// names why there is no basis (a pre-ticked box, consent for another
	// channel, …). Its verdict is deny.
	NoBasis
)

var effectNames = enum.New[Effect]("", "effect", "", "exempt", "deny", "allow", "no_basis")

// String returns the text form, e.g. "no_basis".
func (e Effect) String() string { return effectNames.String(e) }

// Valid reports whether e is a defined effect.
func (e Effect) Valid() bool { return effectNames.Valid(e) }

// MarshalText implements encoding.TextMarshaler.
func (e Effect) MarshalText() ([]byte, error) { return effectNames.Marshal(e) }

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an error.
func (e *Effect) UnmarshalText(b []byte) error { return effectNames.Unmarshal(e, b) }

// Basis is the legal ground a decision rests on.
//
// When several allow rules match, the one reported is the first in the
// order Consent, SoftOptIn, B2BOptOut, NotPersonalData,
// NonCommercialOptOut ([Basis.Rank]): it decides which obligations the
// message must meet.
type Basis uint8

// Legal bases. Values are stable: new ones are added at the end; their
// precedence is given by [Basis.Rank], not by their numbers.
const (
	Consent         Basis = iota + 1 // prior consent (ePD art. 13(1), GDPR art. 6(1)(a))
	SoftOptIn                        // customer exception (ePD art. 13(2) and national law)
	B2BOptOut                        // business recipient, allowed until objection
	NotPersonalData                  // a legal person's impersonal address
	Transactional                    // not direct marketing at all
	NoLegalBasis                     // nothing allows the send
	// NonCommercialOptOut: non-commercial prospection (a charity's appeal)
	// allowed until objection where national law says so (FR, CNIL).
	NonCommercialOptOut
)

var basisNames = enum.New[Basis]("", "basis", "", "consent", "soft_opt_in", "b2b_opt_out", "not_personal_data", "transactional",
	"no_legal_basis", "non_commercial_opt_out")

// basisRank orders the bases by precedence: the allow bases first, strongest
// first.
var basisRank = [...]uint8{0: 255, Consent: 0, SoftOptIn: 1, B2BOptOut: 2, NotPersonalData: 3,
	NonCommercialOptOut: 4, Transactional: 5, NoLegalBasis: 6}

// Rank is b's precedence when several allow rules match: lower wins.
func (b Basis) Rank() int {
	if int(b) < len(basisRank) {
		return int(basisRank[b])
	}
	return 255
}

// String returns the text form, e.g. "soft_opt_in".
func (b Basis) String() string { return basisNames.String(b) }

// Valid reports whether b is a defined basis (the zero Basis is not).
func (b Basis) Valid() bool { return basisNames.Valid(b) }

// MarshalText implements encoding.TextMarshaler. The zero Basis (no
// decision made) marshals as "".
func (b Basis) MarshalText() ([]byte, error) {
	if b == 0 {
		return []byte{}, nil
	}
	return basisNames.Marshal(b)
}

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an
// error, "" is the zero Basis.
func (b *Basis) UnmarshalText(t []byte) error {
	if len(t) == 0 {
		*b = 0
		return nil
	}
	return basisNames.Unmarshal(b, t)
}

// Obligation is a duty a message must meet when it is sent.
type Obligation uint8

// Obligations.
const (
	// SenderIdentity: the sender is identified and not disguised (ePD art.
	// 13(4), PECR reg. 23, CPCE L34-5).
	SenderIdentity Obligation = iota + 1
	// OptOut: a working, free way to stop further messages.
	OptOut
	// ObjectionNotice: the message reminds the recipient of the right to
	// object (soft opt-in: every message; GDPR art. 21(4): the first).
	ObjectionNotice
	// AdLabel: the message is identifiable as advertising (BE CDE XII.12).
	AdLabel
	numObligations = iota
)

var obligationNames = enum.New[Obligation]("", "obligation", "", "sender_identity", "opt_out", "objection_notice", "ad_label")

// String returns the text form, e.g. "ad_label".
func (o Obligation) String() string { return obligationNames.String(o) }

// Valid reports whether o is a defined obligation.
func (o Obligation) Valid() bool { return obligationNames.Valid(o) }

// MarshalText implements encoding.TextMarshaler.
func (o Obligation) MarshalText() ([]byte, error) {
	return obligationNames.Marshal(o)
}

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an error.
func (o *Obligation) UnmarshalText(b []byte) error { return obligationNames.Unmarshal(o, b) }

// Obligations is the set of duties attached to a decision, each with the
// provision that imposes it. It is a small immutable value: copying it never
// allocates and the citations it refers to belong to the compiled policy.
type Obligations struct {
	mask  uint8
	cites *[numObligations]string
}

// Has reports whether o includes ob.
func (o Obligations) Has(ob Obligation) bool { return ob > 0 && o.mask&(1<<ob) != 0 }

// Len returns the number of obligations.
func (o Obligations) Len() int {
	n := 0
	for m := o.mask; m != 0; m &= m - 1 {
		n++
	}
	return n
}

// Citation returns the provision behind ob, or "" when o lacks it.
func (o Obligations) Citation(ob Obligation) string {
	if !o.Has(ob) {
		return ""
	}
	return o.cites[ob-1]
}

// All yields each obligation with its citation, in declaration order.
func (o Obligations) All() iter.Seq2[Obligation, string] {
	return func(yield func(Obligation, string) bool) {
		for ob := Obligation(1); ob <= numObligations; ob++ {
			if o.Has(ob) && !yield(ob, o.cites[ob-1]) {
				return
			}
		}
	}
}

// Names returns the text forms, in declaration order.
func (o Obligations) Names() []string {
	var out []string
	for ob := range o.All() {
		out = append(out, ob.String())
	}
	return out
}

// String lists the obligations, e.g. "[sender_identity opt_out]".
func (o Obligations) String() string { return fmt.Sprint(o.Names()) }

// MarshalJSON encodes the obligations as a list of {obligation, citation}.
func (o Obligations) MarshalJSON() ([]byte, error) {
	type item struct {
		Obligation Obligation `json:"obligation"`
		Citation   string     `json:"citation"`
	}
	out := make([]item, 0, o.Len())
	for ob, c := range o.All() {
		out = append(out, item{ob, c})
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads the list MarshalJSON writes, so that a stored
// decision can be read back. It is strict like every decoder of the module:
// keys match exactly and appear once, unknown keys are errors, and errors
// are [*consent.FieldError]s naming the field.
func (o *Obligations) UnmarshalJSON(b []byte) error {
	var refs []ObligationRef
	if err := decode.JSON(b, &refs); err != nil {
		return err
	}
	for i, r := range refs {
		if r.Obligation == 0 || r.Obligation > numObligations {
			return &consent.FieldError{Field: "[" + strconv.Itoa(i) + "].obligation", Err: consent.ErrMissing}
		}
	}
	*o = Obligations{}.with(refs)
	return nil
}

// UnmarshalJSON decodes {"obligation": ..., "citation": ...} strictly.
func (r *ObligationRef) UnmarshalJSON(b []byte) error {
	type plain ObligationRef
	var p plain
	if err := decode.JSON(b, &p); err != nil {
		return err
	}
	*r = ObligationRef(p)
	return nil
}

// with returns o plus the obligations in refs; a later citation for one
// obligation replaces an earlier one.
func (o Obligations) with(refs []ObligationRef) Obligations {
	if len(refs) == 0 {
		return o
	}
	c := new([numObligations]string)
	if o.cites != nil {
		*c = *o.cites
	}
	for _, r := range refs {
		o.mask |= 1 << r.Obligation
		c[r.Obligation-1] = r.Citation
	}
	o.cites = c
	return o
}

// EvidenceKind says what an [Evidence] id refers to.
type EvidenceKind uint8

// Evidence kinds.
const (
	// NoEvidence: the decision rests on no fact of the contact's data.
	NoEvidence       EvidenceKind = iota
	RecordEvidence                // a consent, withdrawal or objection record
	PurchaseEvidence              // a purchase in the contact's relationship
	InquiryEvidence               // an inquiry or quote
	SupportEvidence               // support or interest expressed to a charity
	ContractEvidence              // a contract
	// RefusalEvidence: a refusal of marketing at collection, an objection
	// recorded on the interaction whose id is given
	// ([consent.Interaction.Refused]).
	RefusalEvidence
)

var evidenceNames = enum.WithZero[EvidenceKind]("", "evidence kind", "", "record", "purchase", "inquiry", "support", "contract", "refusal")

// String returns the text form, e.g. "purchase", or "" for NoEvidence.
func (k EvidenceKind) String() string { return evidenceNames.String(k) }

// Valid reports whether k is a defined evidence kind (including NoEvidence).
func (k EvidenceKind) Valid() bool { return evidenceNames.Valid(k) }

// MarshalText implements encoding.TextMarshaler.
func (k EvidenceKind) MarshalText() ([]byte, error) { return evidenceNames.Marshal(k) }

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an error.
func (k *EvidenceKind) UnmarshalText(b []byte) error { return evidenceNames.Unmarshal(k, b) }

// Evidence names the fact of the contact's data a decision rests on.
type Evidence struct {
	Kind EvidenceKind `json:"kind,omitzero"` // what ID refers to; NoEvidence when none
	ID   string       `json:"id,omitempty"`  // the id of the record, interaction or contract
}

// UnmarshalJSON decodes evidence strictly, like every decoder of the
// module: keys match exactly and appear once, unknown keys are errors.
func (e *Evidence) UnmarshalJSON(b []byte) error {
	type plain Evidence
	var p plain
	if err := decode.JSON(b, &p); err != nil {
		return err
	}
	*e = Evidence(p)
	return nil
}

// IsZero reports whether no evidence was used.
func (e Evidence) IsZero() bool { return e.Kind == NoEvidence }
