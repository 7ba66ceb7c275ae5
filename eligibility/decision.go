package eligibility

import (
	"time"

	"github.com/sendright/sendright/rules"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/internal/decode"
	"github.com/sendright/sendright/internal/enum"
)

// Verdict is the answer to "may this message be sent now?". Only [Allow]
// means send. The zero Verdict, [Undetermined], means no decision was made
// and must be treated as do-not-send.
type Verdict uint8

// Verdicts. Code that switches on a Verdict should treat anything but
// Allow as do-not-send. (The rule effects of the same names are
// [rules.Allow], [rules.Deny] and [rules.Defer].)
const (
	Undetermined Verdict = iota // no decision made: do not send
	Allow                       // send
	Deny                        // do not send
	// Defer: do not send now; the only obstacle is the clock, and
	// [Decision.NotBefore] is the earliest instant at which the send
	// becomes lawful, if nothing else changes.
	Defer
)

var verdictNames = enum.WithZero[Verdict]("eligibility", "verdict", "undetermined", "allow", "deny", "defer")

// String returns "allow", "deny", "defer" or "undetermined".
func (v Verdict) String() string { return verdictNames.String(v) }

// Valid reports whether v is a defined verdict (including Undetermined).
func (v Verdict) Valid() bool { return verdictNames.Valid(v) }

// MarshalText implements encoding.TextMarshaler.
func (v Verdict) MarshalText() ([]byte, error) { return verdictNames.Marshal(v) }

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an error.
func (v *Verdict) UnmarshalText(b []byte) error { return verdictNames.Unmarshal(v, b) }

// Origin is where a decision comes from: the library's built-in law (its
// rule sets, and its own fail-closed denies when no rule could decide), a
// house rule the host added, or a host override that relaxed a built-in
// rule the library marks as a conservative choice or self-regulation.
type Origin uint8

// Origins.
const (
	FromLaw      Origin = iota // a built-in rule, or the library's own deny
	FromHouse                  // a rule of a house file
	FromOverride               // the answer rests on a host override
)

var originNames = enum.WithZero[Origin]("eligibility", "origin", "law", "house", "override")

// String returns "law", "house" or "override".
func (o Origin) String() string { return originNames.String(o) }

// Valid reports whether o is a defined origin.
func (o Origin) Valid() bool { return originNames.Valid(o) }

// MarshalText implements encoding.TextMarshaler.
func (o Origin) MarshalText() ([]byte, error) { return originNames.Marshal(o) }

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an error.
func (o *Origin) UnmarshalText(b []byte) error { return originNames.Unmarshal(o, b) }

// Decision is the answer for one message, with everything needed to explain
// and audit it. It is the one result type of the module: [Policy.Decide],
// [Policy.Explain] and [Policy.DecideAll] return it.
type Decision struct {
	// Verdict is the answer: Allow only when an exempt or allow rule
	// decided, with no review needed and no error; Defer when a defer rule
	// is the only obstacle (see NotBefore).
	Verdict Verdict `json:"verdict"`
	// Basis is the legal ground of an Allow, or of the Allow a Defer waits
	// for; no_legal_basis on a Deny.
	Basis rules.Basis `json:"basis"`
	// Rule is the id of the deciding rule (on a Defer, the defer rule that
	// matched at the message instant); empty when no rule decided (no
	// rules for the country or channel, no basis, malformed input).
	Rule string `json:"rule,omitempty"`
	// Origin says whether the answer comes from the built-in law, a house
	// rule or a host override.
	Origin Origin `json:"origin"`
	// Overrides are the host's overrides that took effect: each rule
	// lifted that would otherwise have decided (a deny, or a defer an
	// allow waited for), and the overridden allow or exempt rule that
	// allowed without review, in evaluation order. Nil when none did.
	// Decisions may share the slice: do not modify its elements.
	Overrides []AppliedOverride `json:"overrides,omitempty"`
	// Reason is the reason code, e.g. "SOFT_OPT_IN", "OBJECTION_ON_FILE".
	Reason string `json:"reason"`
	// Citation is the law the deciding rule rests on.
	Citation string `json:"citation,omitempty"`
	// Detail says in words what was wrong when no rule decided. It never
	// contains an address or phone number.
	Detail string `json:"detail,omitempty"`
	// Evidence is the record, purchase, inquiry or contract used.
	Evidence Evidence `json:"evidence,omitzero"`
	// Obligations are what the message must carry when it is sent.
	Obligations Obligations `json:"obligations"`
	// NeedsReview marks a legally uncertain case; it is always a Deny.
	NeedsReview bool `json:"needs_review,omitempty"`
	// SelfRegulatory marks a decision made by a rule resting on
	// self-regulation (an industry code or charter) rather than on law:
	// the rule is marked self_regulatory and its citation says so.
	SelfRegulatory bool `json:"self_regulatory,omitempty"`
	// Purpose is the purpose the message was decided under: the message's
	// own, or the one its content or sender gave it (see Reclassified).
	// Zero when the request was malformed.
	Purpose consent.Purpose `json:"purpose,omitzero"`
	// Reclassified says why Purpose is not the message's label: a
	// transactional message with promotional content, a promoted category
	// or a rating request, or a charitable appeal by a sender that is not a
	// charity. Empty when the message was decided under its own purpose.
	Reclassified Reclassification `json:"reclassified,omitzero"`
	// Jurisdiction is the code of the regime that decided (see Regimes):
	// the contact's country's ("FR"), a subdivision's ("US-FL"), the EU
	// baseline's ("EU"), or a sender's country whose law reaches the
	// message; on NO_RULES, the contact's country, which has no rules.
	// Empty when the request was malformed or the evaluator has no policy.
	Jurisdiction string `json:"jurisdiction,omitempty"`
	// Regimes are every regime the decision applied, each with how it
	// reached the message and its own answer, in a stable order (see
	// [Regimes]); the strictest answer won: a deny over a defer over an
	// allow, the latest NotBefore among defers. Empty when no regime was
	// applied (a malformed request, no rules for the country or the
	// channel).
	Regimes Regimes `json:"regimes,omitzero"`
	// At is the message instant, copied from the request.
	At time.Time `json:"at"`
	// NotBefore is, on a Defer, the earliest instant at which the send
	// becomes lawful (the contact and the policy unchanged); zero
	// otherwise. Deciding the same request again at NotBefore allows it.
	NotBefore time.Time `json:"not_before,omitzero"`
	// DeniedFrom is, on a Deny that waiting for a defer rule crossed into,
	// the instant at which the message stops being allowed before the
	// defer rule lets it go (a lookup going stale, a rule coming into
	// force): Rule and Reason are the deny's then, Detail names the defer
	// rule. Zero otherwise.
	DeniedFrom time.Time `json:"denied_from,omitzero"`
	// Transfer is the transfer check of the message's route (see
	// [Params.Routes]), when it was made: on an allow, each hop's basis
	// under each regime, with the transfer obligations added to
	// Obligations; on a deny it decided, each hop's evaluation, the deny's
	// Reason and Rule those of the hop that failed. Nil when no check was
	// made (no routes, no EU or UK regime, a deny before it, a basis of
	// not_personal_data). Decisions share it: do not modify it.
	Transfer *Transfer `json:"transfer,omitempty"`
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
// "allow soft_opt_in FR_SOFT_OPT_IN SOFT_OPT_IN", or for a defer
// "defer consent FR_CALL_WINDOW OUTSIDE_CALL_HOURS not before
// 2026-03-30T08:00:00Z".
func (d Decision) String() string {
	s := d.Verdict.String() + " " + d.Basis.String()
	if d.Rule != "" {
		s += " " + d.Rule
	}
	s += " " + d.Reason
	if !d.NotBefore.IsZero() {
		s += " not before " + d.NotBefore.UTC().Format(time.RFC3339)
	}
	if !d.DeniedFrom.IsZero() {
		s += " denied from " + d.DeniedFrom.UTC().Format(time.RFC3339Nano)
	}
	if d.NeedsReview {
		s += " (needs review)"
	}
	for _, o := range d.Overrides {
		s += " (override of " + o.Rule + " by " + o.Owner + ")"
	}
	return s
}
