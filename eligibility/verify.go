package eligibility

import (
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/rights"
)

// MaxRefLen is the longest [Request.Ref] accepted, in bytes.
const MaxRefLen = 128

// CheckRef reports whether ref may be a [Request.Ref]: empty, or at most
// [MaxRefLen] bytes of ASCII letters, digits and the punctuation
// "-", "_", ".", ":" and "/" — enough for a database key, a UUID, a URN or
// a path-like id. A reference is kept in clear in the audit, which is meant
// to hold no personal data: so no "@" (an e-mail address), no "+" (a phone
// number in international form), no space (a name) and nothing outside
// ASCII are accepted. The library cannot tell an opaque id from a number
// that identifies a person; choosing a reference that is not personal
// data is the host's duty. The error is a [*consent.FieldError] for field
// "ref" wrapping [consent.ErrInvalid]; it never quotes the reference.
func CheckRef(ref string) error {
	if len(ref) > MaxRefLen {
		return &consent.FieldError{Field: "ref", Err: consent.ErrInvalid,
			Msg: "longer than " + strconv.Itoa(MaxRefLen) + " bytes"}
	}
	for i := 0; i < len(ref); i++ {
		switch c := ref[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-', c == '_', c == '.', c == ':', c == '/':
		default:
			return errBadRef
		}
	}
	return nil
}

var errBadRef = &consent.FieldError{Field: "ref", Err: consent.ErrInvalid,
	Msg: "only ASCII letters, digits and - _ . : / (a reference must not be personal data)"}

// badRef is the deny of a request with a malformed Ref.
func (p *Policy) badRef(at time.Time, err error) Decision {
	d := invalidOutcome(err)
	d.Verdict, d.At, d.PolicyVersion = Deny, at, p.version
	return d
}

// ErrAuditMismatch is wrapped by the error of [Verify] when the audit does
// not describe the request: the [*consent.FieldError] names the first
// member of the audit's JSON form that differs ("ref", "at",
// "request.channel", …, "request.digest").
var ErrAuditMismatch = errors.New("eligibility: the audit does not describe the request")

// ErrAuditUnverifiable is wrapped by the error of [Verify] when the audit
// cannot be checked at all: an unknown schema, no digest, no keyring, or a
// key version the keyring does not hold. It is not a proof that the audit
// is false, and not a proof that it is true.
var ErrAuditUnverifiable = errors.New("eligibility: the audit cannot be verified")

// AuditDigestForm returns the exact bytes whose keyed hash is an audit's
// [AuditedRequest.Digest]: the request's JSON form as
// [Request.MarshalJSON] writes it through encoding/json — compact (no
// whitespace), UTF-8, with encoding/json's escaping ("<", ">", "&",
// U+2028 and U+2029 as \u003c, \u003e, \u0026, \u2028, \u2029):
//
//	{"contact":<contact>,"message":<message>}
//	{"contact":<contact>,"message":<message>,"ref":"<ref>"}   when Ref is set
//
// where <contact> and <message> are [consent.Contact] and
// [consent.Message] in their own JSON forms (members in declaration order,
// instants in RFC 3339 with nanoseconds and the offset of their location).
// The digest is the lower-case hexadecimal HMAC-SHA256 of these bytes under
// the keyring's key of version [AuditedRequest.KeyVersion]. The same
// request in the same locations gives the same bytes; a request decoded
// from its JSON form and encoded again gives them back.
//
// A request without a contact, or with a malformed Ref, is an error.
func AuditDigestForm(req Request) ([]byte, error) {
	if err := CheckRef(req.Ref); err != nil {
		return nil, err
	}
	return json.Marshal(req)
}

// auditedRequest describes req without personal data, without the digest.
// Values out of their type's range are left out (zero), so that the audit
// of a malformed request can still be written (see [AuditedRequest]).
func auditedRequest(req Request) AuditedRequest {
	sender := req.Sender
	sender.Kind = named(sender.Kind, consent.SenderKind.MarshalText)
	r := AuditedRequest{Purpose: named(req.Purpose, consent.Purpose.MarshalText), Channel: named(req.Channel, consent.Channel.MarshalText), Category: req.Category,
		Sender: sender, RoleRelevant: req.RoleRelevant, PresumedConsent: req.PresumedConsent,
		Content: named(req.Content, consent.Content.MarshalJSON), Route: req.Route}
	if c := req.Contact; c != nil {
		r.RecipientKind, r.Country, r.Region = named(c.Kind, consent.RecipientKind.MarshalText), c.Country, c.Region
		r.Records = c.Records.Len()
		r.Purchases, r.Inquiries = len(c.Relationship.Purchases), len(c.Relationship.Inquiries)
		r.Support, r.Contracts = len(c.Relationship.Support), len(c.Relationship.Contracts)
	}
	return r
}

// named returns v when marshal, its type's JSON or text form, writes it,
// else its type's zero, which the audit leaves out.
func named[T comparable](v T, marshal func(T) ([]byte, error)) T {
	var zero T
	if _, err := marshal(v); v == zero || err != nil {
		return zero
	}
	return v
}

// Verify checks that the stored audit a describes req: the schema, the
// reference, the message instant, every member of the audited request, and
// last the keyed digest, recomputed over [AuditDigestForm] with kr's key of
// the audit's key version (an audit made before a key rotation verifies as
// long as kr still holds its version). It returns nil when all agree; a
// [*consent.FieldError] wrapping [ErrAuditMismatch] naming the first
// member of the audit that differs; or one wrapping [ErrAuditUnverifiable]
// when the audit has no digest or kr cannot check it (nil, or without the
// audit's key version). The digest is compared in constant time.
//
// Verify does not decide again: the decision and trace are the policy's
// (PolicyVersion); to check them, decide req again with that policy.
func Verify(a Audit, req Request, kr *rights.Keyring) error {
	mismatch := func(field string) error { return &consent.FieldError{Field: field, Err: ErrAuditMismatch} }
	unverifiable := func(field, msg string) error {
		return &consent.FieldError{Field: field, Err: ErrAuditUnverifiable, Msg: msg}
	}
	if a.Schema != AuditSchema {
		return unverifiable("schema", "not "+AuditSchema)
	}
	if a.Ref != req.Ref {
		return mismatch("ref")
	}
	if !a.At.Equal(req.At) {
		return mismatch("at")
	}
	want, got := auditedRequest(req), a.Request
	for _, f := range []struct {
		name string
		same bool
	}{
		{"recipient_kind", got.RecipientKind == want.RecipientKind},
		{"country", got.Country == want.Country},
		{"region", got.Region == want.Region},
		{"purpose", got.Purpose == want.Purpose},
		{"channel", got.Channel == want.Channel},
		{"category", got.Category == want.Category},
		{"sender", got.Sender == want.Sender},
		{"role_relevant", got.RoleRelevant == want.RoleRelevant},
		{"presumed_consent", got.PresumedConsent == want.PresumedConsent},
		{"content", got.Content == want.Content},
		{"route", got.Route == want.Route},
		{"records", got.Records == want.Records},
		{"purchases", got.Purchases == want.Purchases},
		{"inquiries", got.Inquiries == want.Inquiries},
		{"support", got.Support == want.Support},
		{"contracts", got.Contracts == want.Contracts},
	} {
		if !f.same {
			return mismatch("request." + f.name)
		}
	}
	switch {
	case got.Digest == "":
		return unverifiable("request.digest", "the audit has no digest")
	case kr == nil:
		return unverifiable("request.digest", "no keyring")
	case !slices.Contains(kr.Versions(), got.KeyVersion):
		return unverifiable("request.key_version", "the keyring has no key of this version")
	}
	form, err := AuditDigestForm(req)
	if err != nil {
		return err
	}
	if !kr.CheckSum(got.KeyVersion, form, got.Digest) {
		return mismatch("request.digest")
	}
	return nil
}
