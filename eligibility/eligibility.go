package eligibility

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/internal/decode"
	"github.com/sendright/sendright/rules"
)

// Request is one send to decide: the contact and the message, and the
// host's reference for its audit.
//
// Its JSON form has two members, the contact and the message, each in its
// own JSON form ([consent.Contact.UnmarshalJSON] and
// [consent.Message.UnmarshalJSON]), and "ref" when Ref is set:
//
//	{"contact": {"id": "c-42", "kind": "consumer", "country": "FR", ...},
//	 "message": {"purpose": "marketing_similar", "channel": "email", ...},
//	 "ref": "send-2026-03-10-0042"}
//
// The contact and the message are required. Decoding is strict like every decoder of the module:
// keys match exactly ("Contact" is unknown), a key given twice, an unknown
// key and trailing data are [*consent.FieldError]s naming the field, and
// the contact is validated and normalised as it is decoded. Marshalling
// writes the same form, so a request round-trips; it is also the text that
// [Policy.Explain] digests.
type Request struct {
	// Contact is the recipient, with their relationship and consent ledger.
	// Decide reads it and never modifies it.
	Contact *consent.Contact
	// Message is the send being decided; its fields (Purpose, Channel, At,
	// …) are promoted, so req.At is the message instant.
	consent.Message
	// Ref is the host's opaque reference for the request (a message or
	// contact id of its own scheme), kept in clear in the request's
	// [Audit] so a stored audit can be found again. It is optional, never
	// read by the rules, and must not be personal data: see [CheckRef]
	// for the form it must have. Decide denies a request whose Ref is
	// malformed, with the error of CheckRef.
	Ref string
}

// requestJSON is the wire form of a Request.
type requestJSON struct {
	Contact *consent.Contact `json:"contact"`
	Message *consent.Message `json:"message"`
	Ref     string           `json:"ref,omitempty"`
}

// MarshalJSON encodes the request as {"contact": ..., "message": ...}. A
// request without a contact cannot be decided and is an error.
func (r Request) MarshalJSON() ([]byte, error) {
	if r.Contact == nil {
		return nil, &consent.FieldError{Field: "contact", Err: consent.ErrMissing}
	}
	return json.Marshal(requestJSON{Contact: r.Contact, Message: &r.Message, Ref: r.Ref})
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
	if err := CheckRef(w.Ref); err != nil {
		return err
	}
	*r = Request{Contact: w.Contact, Message: *w.Message, Ref: w.Ref}
	return nil
}

// ErrNoPolicy is wrapped by the error of [Policy.Decide] (and of Explain
// and DecideAll) on a nil or zero *Policy: a host that shares its policy through an
// atomic.Pointer and decides before the first one is stored gets a deny and
// this error, never an allow.
var ErrNoPolicy = errors.New("eligibility: no policy")

// Decide decides one request. It is a pure function of the request and the
// policy: it reads no clock, does no I/O and calls no host code but the
// policy's own functions ([Params.Functions]). The message instant At is
// required, so decisions are reproducible. It is safe for concurrent use and
// does not allocate.
//
// The regimes that reach the message are chosen first (see [Regimes]):
// the contact's country's set, or the sets of its subdivisions (the
// declared Contact.Region's, the one the area code of its phone number
// presumes), or the host's fallback ([Params.Fallback]); for a call or
// text to a number of another country's plan, that country's set
// ([ByNumber]); and the sets a sender's country brings by their reach
// ([rules.Reach]: GDPR art. 3(1), CASL s. 12(1), the Spam Act's Australian
// link). A country without rules and no fallback is a deny (NO_RULES)
// naming it; a channel the recipient's set has no rules for is a deny
// (NO_RULES_FOR_CHANNEL). Each regime is walked as below and the strictest
// answer wins: the first deny in the order of [Decision.Regimes] of the
// lowest rank (in force at the message instant and needing no review, then
// reached by a wait, then needing review); else the latest NotBefore among
// defers, at which every regime is decided again (a later wait moves it on,
// a deny there ends it in that deny); else the first regime's allow, with
// every regime's obligations. Decision.Jurisdiction names the regime that
// decided.
//
// The rules of one regime are walked in this order:
//
//  1. the regime's set applies (its own rules and its bases');
//  2. the message's content decides its purpose: a charitable appeal by a
//     sender that is not a charity, or one with a category or a
//     promotional marker, is marketing; where the set reads mixed messages
//     as marketing, a transactional message with a promotional marker or a
//     promoted category, or a consent or feedback request with a
//     promotional marker, is marketing (similar products when the category
//     is similar to a purchase from the sender, or to an inquiry where the
//     set's soft opt-in counts inquiries), and a transactional message with
//     a rating request a feedback request;
//  3. exempt rules allow a message decided as transactional, and nothing
//     else;
//  4. deny rules: the first that matches denies. The deny rules of the
//     built-in sets (stops and statutory bans) are in every policy that
//     has a set for their jurisdiction, whatever sets the host passed;
//  5. an objection or withdrawal in force for the purpose and channel
//     denies, whatever the rule set says (STOP_OBJECTION, STOP_WITHDRAWN),
//     and so does one for a purpose the content carries (a rating request:
//     feedback requests), for a transactional message before step 3;
//  6. defer rules: the first that matches is remembered and the walk goes
//     on;
//  7. allow rules: of those that match, the strongest basis wins (consent,
//     soft opt-in, B2B opt-out, not personal data); a match that needs
//     review only counts when no clean one matched, and then denies;
//  8. no_basis rules name why nothing allowed; the default is deny with
//     NO_LEGAL_BASIS.
//
// Rules outside their validity interval at the message instant are skipped.
//
// When a defer rule matched and the message would be allowed, the verdict
// is [Defer]: Decide steps through the later instants at which anything
// the rules read may change (window edges and local midnights in the
// recipient's time zone, rules' validity dates, the instants of the
// contact's records, interactions and contracts), walking the rules again
// at each, and NotBefore is the first at which no defer rule matches and
// the message is allowed; Rule, Reason and Citation are the defer rule's,
// Basis, Evidence and Obligations those of the allow to come. A wait that
// reaches an instant where the message is not allowed is a deny, the
// decision then, whose Detail names the defer rule and DeniedFrom the
// instant; a wait with no end
// within 366 days is a deny [ReasonDeferHorizon] ([ReasonDeferSteps] if
// the search's bound on change points is reached first). When the message
// would not be allowed anyway, the defer rule changes nothing.
//
// When the request is malformed (a nil contact, an invalid enumeration, a
// zero instant, an incomplete relationship event, a missing address for
// the channel) Decide returns a [*consent.FieldError], when a rule fails at
// run time an [*EvalError], and on a nil policy an error wrapping
// [ErrNoPolicy] (a nil or zero Policy) — in every case together with a Deny whose Reason and
// Detail name the problem, deliberately, so that a caller that ignores the
// error still does not send.
//
// A well-formed record that is legally insufficient (a pre-ticked box, an
// unproven import, a child's consent without a parent's) is not an error:
// it is not a basis, and the decision says why.
func (p *Policy) Decide(req Request) (Decision, error) {
	if p == nil || p.version == "" { // nil, or a zero Policy not made by Compile
		return noPolicy(req.At), errNoPolicy
	}
	if req.Ref != "" {
		if err := CheckRef(req.Ref); err != nil {
			return p.badRef(req.At, err), err
		}
	}
	var d Decision
	err := p.evaluateInto(req.Contact, &req.Message, nil, &d)
	return d, err
}

// noPolicy is the deny of a nil policy.
func noPolicy(at time.Time) Decision {
	return Decision{Verdict: Deny, Basis: rules.NoLegalBasis, Reason: ReasonEvaluationError, Detail: "no policy", At: at}
}

var errNoPolicy = fmt.Errorf("%w: %w", ErrNoPolicy, ErrEvaluation)
