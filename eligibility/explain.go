package eligibility

import (
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/consent/rights"
	"github.com/sendright/sendright/internal/decode"
)

// AuditSchema names the JSON form of an [Audit].
const AuditSchema = "sendright.audit/3"

// Audit is a self-contained record of one decision, for evidence of
// compliance: which policy decided, at which instant, every rule with what
// it gave, the evidence used, and a digest of the request. It carries no
// personal data — no address, number, name or contact id — so it can be kept
// in logs; it can be serialised with encoding/json and read back. [Verify]
// checks a stored audit against the request it claims to describe.
type Audit struct {
	Schema string `json:"schema"` // [AuditSchema]
	// Ref is the request's [Request.Ref]: the host's opaque reference,
	// never personal data, by which the host finds the request again.
	Ref              string    `json:"ref,omitempty"`
	PolicyVersion    string    `json:"policy_version"`    // the version of the policy that decided
	SemanticsVersion string    `json:"semantics_version"` // [SemanticsVersion] of the library that decided
	At               time.Time `json:"at"`                // the message instant
	Decision         Decision  `json:"decision"`          // the decision, as Decide returns it
	// Trace is every rule of each regime the decision applied
	// ([Decision.Regimes]), regime by regime in their order, each in
	// evaluation order, with what it gave; empty when the request was
	// malformed or no rules apply to its country and channel.
	Trace   []Step         `json:"trace"`
	Request AuditedRequest `json:"request"` // the request, without personal data
}

// AuditedRequest describes the request without personal data. Digest is a
// keyed hash (HMAC-SHA256 under the host's key, version KeyVersion) of the
// whole request as JSON ([AuditDigestForm], which includes the reference):
// a host that still holds the request and the key can
// show that an audit belongs to it, while a dictionary of addresses cannot
// reverse it, as it could a plain hash. Without a keyring there is no
// digest.
//
// Every audit has a JSON form, that of a malformed request included: a
// value the request lacks, or holds but out of its type's range (a kind,
// purpose, channel, sender kind or content marker no name exists for), is
// left out, and the decision's reason says what was wrong.
type AuditedRequest struct {
	Digest        string                `json:"digest,omitempty"`        // lower-case hex; "" without a keyring or a contact
	KeyVersion    uint32                `json:"key_version,omitempty"`   // the key version of Digest; zero without a digest
	RecipientKind consent.RecipientKind `json:"recipient_kind,omitzero"` // the contact's kind; zero without a contact
	Country       address.Country       `json:"country,omitzero"`        // the contact's country; zero without a contact
	Region        string                `json:"region,omitempty"`        // the contact's region (ISO 3166-2), which may select a subdivision's set
	Purpose       consent.Purpose       `json:"purpose,omitzero"`        // the message's purpose
	Channel       consent.Channel       `json:"channel,omitzero"`        // the message's channel
	Category      string                `json:"category,omitempty"`      // the message's product category
	Sender        consent.Sender        `json:"sender"`                  // the message's sender
	RoleRelevant  bool                  `json:"role_relevant,omitempty"` // the message's [consent.Message.RoleRelevant]
	// PresumedConsent is the message's [consent.Message.PresumedConsent]:
	// the host's statement, kept with the decision it was relied on for.
	PresumedConsent bool            `json:"presumed_consent,omitempty"`
	Content         consent.Content `json:"content,omitzero"` // the message's content markers
	// Route is the route the message named ([consent.Message.Route]);
	// the decision's Transfer says which route was checked.
	Route string `json:"route,omitempty"`
	// Counts of the facts the rules could read.
	Records   int `json:"records"`   // records in the consent ledger
	Purchases int `json:"purchases"` // purchases in the relationship
	Inquiries int `json:"inquiries"` // inquiries in the relationship
	Support   int `json:"support"`   // expressions of support in the relationship
	Contracts int `json:"contracts"` // contracts in the relationship
}

// Explain decides req like [Policy.Decide] — the decision is the same —
// and returns it inside an [Audit] with the rule trace, recorded during the
// same walk of the rules as the decision: every rule of the jurisdiction, in
// evaluation order, with what its condition gave (a rule the decision did
// not need is evaluated after it, for the record). The request digest
// is keyed with kr's current key; kr may be nil, and then the audit carries
// no digest. Explain allocates; use it for audits, disputes and debugging,
// not on every send.
//
// A malformed request gives the same error as Decide, with an audit whose
// decision is the Deny and whose trace is empty. A malformed Ref (see
// [CheckRef]) is not copied into the audit.
func (p *Policy) Explain(req Request, kr *rights.Keyring) (Audit, error) {
	var d Decision
	var steps []Step
	var err error
	refErr := CheckRef(req.Ref)
	switch {
	case p == nil || p.version == "":
		d, err = p.Decide(req) // the no-policy deny
	case refErr != nil:
		d, err = p.badRef(req.At, refErr), refErr
	default:
		d, steps, err = p.traced(req.Contact, &req.Message)
	}
	a := Audit{Schema: AuditSchema, SemanticsVersion: SemanticsVersion, At: req.At, Decision: d,
		PolicyVersion: d.PolicyVersion}
	a.Request = auditedRequest(req)
	if refErr == nil {
		a.Ref = req.Ref
	}
	if kr != nil && req.Contact != nil && refErr == nil {
		doc, jerr := AuditDigestForm(req)
		if jerr == nil {
			a.Request.KeyVersion, a.Request.Digest = kr.Sum(doc)
		}
	}
	if err != nil {
		return a, err
	}
	a.Trace = steps
	return a, nil
}

// UnmarshalJSON decodes an audit strictly, like every decoder of the
// module: keys match exactly and appear once, unknown keys are errors
// ([*consent.FieldError] naming the field), and a reference that
// [CheckRef] refuses is an error.
func (a *Audit) UnmarshalJSON(b []byte) error {
	type plain Audit
	var p plain
	if err := decode.JSON(b, &p); err != nil {
		return err
	}
	if err := CheckRef(p.Ref); err != nil {
		return err
	}
	*a = Audit(p)
	return nil
}

// UnmarshalJSON decodes an audited request strictly, like
// [Audit.UnmarshalJSON].
func (r *AuditedRequest) UnmarshalJSON(b []byte) error {
	type plain AuditedRequest
	var p plain
	if err := decode.JSON(b, &p); err != nil {
		return err
	}
	*r = AuditedRequest(p)
	return nil
}
