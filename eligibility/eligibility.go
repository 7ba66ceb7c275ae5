package eligibility

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/internal/decode"
	"github.com/sendright/sendright/rules"
)

// Verdict is the answer to "may this message be sent now?"; see
// [rules.Verdict]. Only [Allow] means send.
type Verdict = rules.Verdict

// Verdicts; see [rules.Verdict].
const (
	Undetermined = rules.VerdictUndetermined // no decision made: do not send
	Allow        = rules.VerdictAllow        // send
	Deny         = rules.VerdictDeny         // do not send
)

// Decision is the answer for one request, with everything needed to explain
// and audit it; see [rules.Decision]. It is the one result type of the
// module: [rules.Policy.Evaluate] makes it and [Evaluator.Decide],
// [Evaluator.Explain] and [Evaluator.DecideAll] return it.
type Decision = rules.Decision

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
	return e.policy.Evaluate(req.Contact, &req.Message)
}

var errNoPolicy = fmt.Errorf("%w: %w", ErrNoPolicy, rules.ErrEvaluation)
