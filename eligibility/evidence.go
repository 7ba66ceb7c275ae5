package eligibility

import (
	"github.com/sendright/sendright/internal/decode"
	"github.com/sendright/sendright/internal/enum"
)

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
