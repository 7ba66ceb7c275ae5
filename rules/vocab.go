package rules

import (
	"fmt"
	"regexp"
	"slices"

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
// Tiers run in this order: exempt, deny, defer, allow, no_basis.
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
	// Defer: "not now" (a call window, a public holiday, a cap, a
	// cool-off). Checked after the deny rules and before the allow rules;
	// when one matches and the message would otherwise be allowed, the
	// decision is a defer with the earliest instant the send becomes
	// lawful. A defer rule has no basis and no obligations.
	Defer
)

var effectNames = enum.New[Effect]("", "effect", "", "exempt", "deny", "allow", "no_basis", "defer")

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
// NonCommercialOptOut, LegitimateInterest, OptOutRegime ([Basis.Rank]): it decides which obligations the
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
	// LegitimateInterest: a channel outside ePrivacy consent rules (post),
	// allowed on the sender's legitimate interest in direct marketing until
	// the person objects (GDPR art. 6(1)(f), recital 47, art. 21(2)-(3)).
	LegitimateInterest
	// OptOutRegime (text "opt_out"): a channel whose law asks no prior
	// consent of any recipient, allowed until the person opts out (United
	// States: commercial e-mail under CAN-SPAM, 15 U.S.C. 7704(a)(3)-(4);
	// post and push. Canada: live telemarketing calls under the
	// Unsolicited Telecommunications Rules; post under PIPEDA's opt-out
	// consent).
	OptOutRegime
)

var basisNames = enum.New[Basis]("", "basis", "", "consent", "soft_opt_in", "b2b_opt_out", "not_personal_data", "transactional",
	"no_legal_basis", "non_commercial_opt_out", "legitimate_interest", "opt_out")

// basisRank orders the bases by precedence: the allow bases first, strongest
// first.
var basisRank = [...]uint8{0: 255, Consent: 0, SoftOptIn: 1, B2BOptOut: 2, NotPersonalData: 3,
	NonCommercialOptOut: 4, LegitimateInterest: 5, OptOutRegime: 6, Transactional: 7, NoLegalBasis: 8}

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

// Obligation is a duty a message must meet when it is sent, by name: one
// of the built-in obligations below, or a host's own (a List-Unsubscribe
// header, a brand's footer) declared with the policy
// (eligibility.Params.Obligations). A rule file may name either; as
// [Parse] does not know the host's, a name that is neither built-in nor
// declared is refused when the sets are compiled, with the nearest name
// suggested.
type Obligation string

// The built-in obligations.
const (
	// SenderIdentity: the sender is identified and not disguised (ePD art.
	// 13(4), PECR reg. 23, CPCE L34-5).
	SenderIdentity Obligation = "sender_identity"
	// OptOut: a working, free way to stop further messages.
	OptOut Obligation = "opt_out"
	// ObjectionNotice: the message reminds the recipient of the right to
	// object (soft opt-in: every message; GDPR art. 21(4): the first).
	ObjectionNotice Obligation = "objection_notice"
	// AdLabel: the message is identifiable as advertising (BE CDE XII.12).
	AdLabel Obligation = "ad_label"
	// ProofRetention: the proof of the consent relied on is kept for the
	// period the law sets, counted from the grant and again from this use
	// (DE UWG §7a(2): five years).
	ProofRetention Obligation = "proof_retention"
	// CommercialCallPrefix: a commercial call is made from the numeric
	// code (prefix) reserved for commercial calls, so that it is
	// identifiable before it is answered (ES Ley 10/2025).
	CommercialCallPrefix Obligation = "commercial_call_prefix"
	// AccurateHeaders: the header and routing information (the
	// originating address and domain, From, Reply-To) is accurate and
	// identifies the sender (US 15 U.S.C. 7704(a)(1)).
	AccurateHeaders Obligation = "accurate_headers"
	// NonDeceptiveSubject: the subject line does not mislead about the
	// message's content (US 15 U.S.C. 7704(a)(2)).
	NonDeceptiveSubject Obligation = "non_deceptive_subject"
	// PostalAddress: the message gives the sender's valid physical postal
	// address (US 15 U.S.C. 7704(a)(5)(A)(iii)).
	PostalAddress Obligation = "postal_address"
	// OptOutOpen30Days: the opt-out mechanism the message offers keeps
	// working for at least 30 days after it is sent (US 15 U.S.C.
	// 7704(a)(3)(A)(ii)).
	OptOutOpen30Days Obligation = "opt_out_open_30_days"
	// TransferNotice: the privacy information given to the recipient says
	// that their data are transferred to a third country and on which
	// basis (adequacy, or the safeguards and how to obtain a copy) (GDPR
	// art. 13(1)(f) and 14(1)(f)). Added by the transfer check of a route.
	TransferNotice Obligation = "transfer_notice"
	// TransferRecord: the record of processing lists the transfers and
	// their safeguards (GDPR art. 30(1)(e)). Added by the transfer check
	// of a route.
	TransferRecord Obligation = "transfer_record"
	// SourceDisclosure: the first message of a sender that did not collect
	// the data itself (partner, co-registration or purchased data) names
	// where they came from, the collector's legal entity precisely, not a
	// vague "data enrichment company" (GDPR art. 14(2)(f), 14(3)(b); CNIL
	// EDF SAN-2022-021).
	SourceDisclosure Obligation = "source_disclosure"
	// RightsAndOptOutNotice: that first message also gives the information
	// of GDPR art. 14 and says how to exercise the data protection rights,
	// the right to object first, with a free way to stop (GDPR art.
	// 14(2)(c), 21(4); CNIL recommendation of 28 December 2018).
	RightsAndOptOutNotice Obligation = "rights_and_opt_out_notice"
)

var builtinObligations = []Obligation{SenderIdentity, OptOut, ObjectionNotice, AdLabel, ProofRetention, CommercialCallPrefix,
	AccurateHeaders, NonDeceptiveSubject, PostalAddress, OptOutOpen30Days, TransferNotice, TransferRecord, SourceDisclosure,
	RightsAndOptOutNotice}

// BuiltinObligations returns the built-in obligations, in declaration
// order.
func BuiltinObligations() []Obligation { return slices.Clone(builtinObligations) }

// obligationName is the form of an obligation's name: lower case letters,
// digits and underscores, starting with a letter, at most 64 bytes.
var obligationName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// String returns the name, e.g. "ad_label".
func (o Obligation) String() string { return string(o) }

// Valid reports whether o is a built-in obligation.
func (o Obligation) Valid() bool { return slices.Contains(builtinObligations, o) }

// WellFormed reports whether o has the form of an obligation's name (lower
// case letters, digits and underscores, starting with a letter, at most 64
// bytes), as a host's obligation must.
func (o Obligation) WellFormed() bool { return obligationName.MatchString(string(o)) }

// MarshalText implements encoding.TextMarshaler; a name that is not well
// formed is an error.
func (o Obligation) MarshalText() ([]byte, error) {
	if !o.WellFormed() {
		return nil, enum.Unknown("", "obligation", string(o))
	}
	return []byte(o), nil
}

// UnmarshalText implements encoding.TextUnmarshaler: any well-formed name
// is accepted (a host's obligation is known only when the sets are
// compiled); anything else is an error.
func (o *Obligation) UnmarshalText(b []byte) error {
	if !Obligation(b).WellFormed() {
		return enum.Unknown("", "obligation", string(b))
	}
	*o = Obligation(b)
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
