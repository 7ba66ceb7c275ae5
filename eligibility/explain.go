package eligibility

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/rules"
)

// AuditSchema names the JSON form of an [Audit].
const AuditSchema = "sendright.audit/1"

// Audit is a self-contained record of one decision, for evidence of
// compliance: which policy decided, at which instant, every rule with what
// it gave, the evidence used, and a digest of the request. It carries no
// personal data — no address, number, name or contact id — so it can be kept
// in logs; it can be serialised with encoding/json and read back.
type Audit struct {
	Schema           string         `json:"schema"`
	PolicyVersion    string         `json:"policy_version"`
	SemanticsVersion string         `json:"semantics_version"`
	At               time.Time      `json:"at"`
	Decision         Decision       `json:"decision"`
	Trace            []rules.Step   `json:"trace"`
	Request          AuditedRequest `json:"request"`
}

// AuditedRequest describes the request without personal data. Digest is a
// keyed hash (HMAC-SHA256 under the host's key, version KeyVersion) of the
// whole request as JSON: a host that still holds the request and the key can
// show that an audit belongs to it, while a dictionary of addresses cannot
// reverse it, as it could a plain hash. Without a keyring there is no
// digest.
type AuditedRequest struct {
	Digest        string                `json:"digest,omitempty"`
	KeyVersion    uint32                `json:"key_version,omitempty"`
	RecipientKind consent.RecipientKind `json:"recipient_kind"`
	Country       consent.Country       `json:"country"`
	Purpose       consent.Purpose       `json:"purpose"`
	Channel       consent.Channel       `json:"channel"`
	Category      string                `json:"category,omitempty"`
	Sender        consent.Sender        `json:"sender"`
	RoleRelevant  bool                  `json:"role_relevant,omitempty"`
	// Counts of the facts the rules could read.
	Records   int `json:"records"`
	Purchases int `json:"purchases"`
	Inquiries int `json:"inquiries"`
	Support   int `json:"support"`
	Contracts int `json:"contracts"`
}

// Explain decides req like [Evaluator.Decide] — the decision is the same —
// and returns it inside an [Audit] with the rule trace. The request digest
// is keyed with kr's current key; kr may be nil, and then the audit carries
// no digest. Explain allocates; use it for audits, disputes and debugging,
// not on every send.
//
// A malformed request gives the same error as Decide, with an audit whose
// decision is the Deny and whose trace is empty.
func (e *Evaluator) Explain(req Request, kr *consent.Keyring) (Audit, error) {
	d, err := e.Decide(req)
	a := Audit{Schema: AuditSchema, SemanticsVersion: rules.SemanticsVersion, At: req.At, Decision: d,
		PolicyVersion: d.PolicyVersion}
	a.Request = AuditedRequest{Purpose: req.Purpose, Channel: req.Channel, Category: req.Category,
		Sender: req.Sender, RoleRelevant: req.RoleRelevant}
	if c := req.Contact; c != nil {
		a.Request.RecipientKind, a.Request.Country = c.Kind, c.Country
		a.Request.Records = c.Records.Len()
		a.Request.Purchases, a.Request.Inquiries = len(c.Relationship.Purchases), len(c.Relationship.Inquiries)
		a.Request.Support, a.Request.Contracts = len(c.Relationship.Support), len(c.Relationship.Contracts)
	}
	if kr != nil && req.Contact != nil {
		doc, jerr := json.Marshal(struct {
			Contact *consent.Contact `json:"contact"`
			Message consent.Message  `json:"message"`
		}{req.Contact, req.Message})
		if jerr == nil {
			a.Request.KeyVersion, a.Request.Digest = kr.Sum(doc)
		}
	}
	if err != nil || e == nil || e.policy == nil {
		return a, err
	}
	_, steps, terr := e.policy.Trace(req.Contact, &req.Message)
	if terr != nil {
		return a, fmt.Errorf("eligibility: tracing a decided request: %w", terr)
	}
	a.Trace = steps
	return a, nil
}
