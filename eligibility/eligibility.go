package eligibility

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/internal/decode"
	"github.com/sendright/sendright/internal/enum"
	"github.com/sendright/sendright/rules"
)

// Verdict is the answer to "may this message be sent now?". Only [Allow]
// means send. The zero Verdict, Undetermined, means no decision was made and
// must be treated as do-not-send.
type Verdict uint8

// Verdicts. A third answer, Defer ("not now, but at NotBefore"), will join
// them when time windows arrive; code that switches on a Verdict should
// treat anything but Allow as do-not-send.
const (
	Undetermined Verdict = iota // no decision made: do not send
	Allow                       // send
	Deny                        // do not send
)

var verdictNames = enum.WithZero[Verdict]("eligibility", "verdict", "undetermined", "allow", "deny")

// String returns "allow", "deny" or "undetermined".
func (v Verdict) String() string { return verdictNames.String(v) }

// Valid reports whether v is a defined verdict (including Undetermined).
func (v Verdict) Valid() bool { return verdictNames.Valid(v) }

// MarshalText implements encoding.TextMarshaler.
func (v Verdict) MarshalText() ([]byte, error) { return verdictNames.Marshal(v) }

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an error.
func (v *Verdict) UnmarshalText(b []byte) error { return verdictNames.Unmarshal(v, b) }

// Request is one send to decide: the contact and the message.
//
// Its JSON form has two members, the contact and the message, each in its
// own JSON form ([consent.Contact.UnmarshalJSON] and
// [consent.Message.UnmarshalJSON]):
//
//	{"contact": {"id": "c-42", "kind": "consumer", "country": "FR", ...},
//	 "message": {"purpose": "marketing_similar", "channel": "email", ...}}
//
// Both are required. Decoding is strict like every decoder of the module:
// keys match exactly ("Contact" is unknown), a key given twice, an unknown
// key and trailing data are [*consent.FieldError]s naming the field, and
// the contact is validated and normalised as it is decoded. Marshalling
// writes the same form, so a request round-trips; it is also the text that
// [Evaluator.Explain] digests.
type Request struct {
	// Contact is the recipient, with their relationship and consent ledger.
	// Decide reads it and never modifies it.
	Contact *consent.Contact
	// Message is the send being decided; its fields (Purpose, Channel, At,
	// …) are promoted, so req.At is the message instant.
	consent.Message
}

// requestJSON is the wire form of a Request.
type requestJSON struct {
	Contact *consent.Contact `json:"contact"`
	Message *consent.Message `json:"message"`
}

// MarshalJSON encodes the request as {"contact": ..., "message": ...}. A
// request without a contact cannot be decided and is an error.
func (r Request) MarshalJSON() ([]byte, error) {
	if r.Contact == nil {
		return nil, &consent.FieldError{Field: "contact", Err: consent.ErrMissing}
	}
	return json.Marshal(requestJSON{Contact: r.Contact, Message: &r.Message})
}

// UnmarshalJSON decodes the form [Request.MarshalJSON] writes, strictly;
// see [Request].
func (r *Request) UnmarshalJSON(b []byte) error {
	var w requestJSON
	if err := decode.JSON(b, &w); err != nil {
		return err
	}
	switch {
	case w.Contact == nil:
		return &consent.FieldError{Field: "contact", Err: consent.ErrMissing}
	case w.Message == nil:
		return &consent.FieldError{Field: "message", Err: consent.ErrMissing}
	}
	*r = Request{Contact: w.Contact, Message: *w.Message}
	return nil
}

// Decision is the answer for one request, with everything needed to explain
// and audit it.
type Decision struct {
	// Verdict is the answer: Allow only when an exempt or allow rule
	// decided, with no review needed and no error.
	Verdict Verdict `json:"verdict"`
	// Basis is the legal ground of an Allow; no_legal_basis on a Deny.
	Basis rules.Basis `json:"basis"`
	// Rule is the id of the deciding rule; empty when no rule decided
	// (no rules for the country or channel, no basis, malformed input).
	Rule string `json:"rule,omitempty"`
	// Reason is the reason code, e.g. "SOFT_OPT_IN", "OBJECTION_ON_FILE".
	Reason string `json:"reason"`
	// Citation is the law the deciding rule rests on.
	Citation string `json:"citation,omitempty"`
	// Detail says in words what was wrong when no rule decided. It never
	// contains an address or phone number.
	Detail string `json:"detail,omitempty"`
	// Evidence is the record, purchase, inquiry or contract used.
	Evidence rules.Evidence `json:"evidence,omitzero"`
	// Obligations are what the message must carry when it is sent.
	Obligations rules.Obligations `json:"obligations"`
	// NeedsReview marks a legally uncertain case; it is always a Deny.
	NeedsReview bool `json:"needs_review,omitempty"`
	// Purpose is the purpose the message was decided under: the message's
	// own, or the one its content or sender gave it (see Reclassified).
	// Zero when the request was malformed.
	Purpose consent.Purpose `json:"purpose,omitzero"`
	// Reclassified says why Purpose is not the message's label: a
	// transactional message with promotional content, a promoted category
	// or a rating request, or a charitable appeal by a sender that is not a
	// charity. Empty when the message was decided under its own purpose.
	Reclassified rules.Reclassification `json:"reclassified,omitzero"`
	// Jurisdiction is the contact's country code, whose rule set applied
	// or was missing; empty when the request was malformed or the
	// evaluator has no policy.
	Jurisdiction string `json:"jurisdiction,omitempty"`
	// At is the message instant, copied from the request.
	At time.Time `json:"at"`
	// PolicyVersion identifies the policy that decided.
	PolicyVersion string `json:"policy_version"`
}

// UnmarshalJSON decodes a decision strictly, like every decoder of the
// module: keys match exactly and appear once, unknown keys are errors
// ([*consent.FieldError] naming the field), so that a stored decision
// reads back as it was written.
func (d *Decision) UnmarshalJSON(b []byte) error {
	type plain Decision
	var p plain
	if err := decode.JSON(b, &p); err != nil {
		return err
	}
	*d = Decision(p)
	return nil
}

// String summarises the decision on one line, e.g.
// "allow soft_opt_in FR_SOFT_OPT_IN SOFT_OPT_IN".
func (d Decision) String() string {
	s := d.Verdict.String() + " " + d.Basis.String()
	if d.Rule != "" {
		s += " " + d.Rule
	}
	s += " " + d.Reason
	if d.NeedsReview {
		s += " (needs review)"
	}
	return s
}

// Evaluator decides requests against one compiled policy. It is immutable
// and safe for concurrent use by any number of goroutines.
type Evaluator struct {
	policy *rules.Policy
}

// ErrNoPolicy is returned by [New] for a nil policy, and wrapped by the error
// of [Evaluator.Decide] on a nil or zero Evaluator.
var ErrNoPolicy = errors.New("eligibility: no policy")

// New returns an Evaluator over p. A nil p is refused with [ErrNoPolicy]:
// an evaluator without rules could only deny, and a nil policy is almost
// always a compile error that was not checked.
func New(p *rules.Policy) (*Evaluator, error) {
	if p == nil {
		return nil, ErrNoPolicy
	}
	return &Evaluator{policy: p}, nil
}

// Policy returns the policy the evaluator decides with.
func (e *Evaluator) Policy() *rules.Policy { return e.policy }

// Decide decides one request. It is a pure function of the request and the
// policy: it reads no clock, does no I/O and calls no host code. The
// message instant At is required, so decisions are reproducible.
//
// When the request is malformed (a nil contact, an invalid enumeration, a
// zero instant, an incomplete relationship event, a missing address for
// the channel) Decide returns a [*consent.FieldError], and when a rule fails
// at run time a [*rules.EvalError] — in both cases together with a Deny
// whose Reason and Detail name the problem, deliberately, so that a caller
// that ignores the error still does not send.
//
// A well-formed record that is legally insufficient (a pre-ticked box, an
// unproven import, a child's consent without a parent's) is not an error:
// it is not a basis, and the decision says why.
func (e *Evaluator) Decide(req Request) (Decision, error) {
	if e == nil || e.policy == nil {
		return Decision{Verdict: Deny, Basis: rules.NoLegalBasis, Reason: rules.ReasonEvaluationError,
			Detail: "no policy", At: req.At}, errNoPolicy
	}
	o, err := e.policy.Evaluate(req.Contact, &req.Message)
	return e.decision(o, req.At, err), err
}

// decision turns the policy's outcome into the Decision.
func (e *Evaluator) decision(o rules.Outcome, at time.Time, err error) Decision {
	d := Decision{
		Verdict:       Deny,
		Basis:         o.Basis,
		Rule:          o.Rule,
		Reason:        o.Reason,
		Citation:      o.Citation,
		Detail:        o.Detail,
		Evidence:      o.Evidence,
		Obligations:   o.Obligations,
		NeedsReview:   o.NeedsReview,
		Purpose:       o.Purpose,
		Reclassified:  o.Reclassified,
		Jurisdiction:  o.Jurisdiction,
		At:            at,
		PolicyVersion: e.policy.Version(),
	}
	if o.Allowed && err == nil {
		d.Verdict = Allow
	}
	return d
}

var errNoPolicy = fmt.Errorf("%w: %w", ErrNoPolicy, rules.ErrEvaluation)
