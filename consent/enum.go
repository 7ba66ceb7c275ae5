package consent

import "github.com/sendright/sendright/internal/enum"

// UnknownValueError reports text that is not a member of a closed
// vocabulary (a purpose, channel, method, …): every enumeration of the
// module, in consent, rules and eligibility, fails with it. Its Error text
// quotes the value only when it is a short identifier-like word (letters,
// digits, '_' and '-', at most 40 bytes, at most four digits): an address
// or a phone number in the wrong field is withheld, so the message is safe
// to log. Its Value field is the rejected text, unchanged: it may be
// personal data, so log the error's text, not the field. It matches
// [ErrUnknownValue] with errors.Is.
type UnknownValueError = enum.UnknownValueError

// Purpose is why a message is sent. Consent is given per purpose.
//
// The zero Purpose is invalid: it never matches a record and a request with it
// is rejected.
type Purpose uint8

// Purposes. The numeric values are part of the in-memory layout shared
// with compiled policies, never of a stored form (JSON uses the names):
// message purposes come first, [AllMarketing] last.
const (
	// Transactional is a service, account or legal message with no
	// promotional element. It is outside marketing law.
	Transactional Purpose = iota + 1
	// MarketingSimilar promotes the sender's own products or services similar
	// to ones the contact bought: the only purpose a soft opt-in covers.
	MarketingSimilar
	// MarketingGeneral promotes anything the sender itself offers.
	MarketingGeneral
	// MarketingThirdParty promotes another organisation's offers.
	MarketingThirdParty
	// ConsentRequest asks the contact to opt in or to update preferences.
	// It is itself marketing (ICO penalties on Flybe and Honda, 2017).
	ConsentRequest
	// FeedbackRequest asks for a review or satisfaction rating. It is
	// marketing (BGH VI ZR 225/17).
	FeedbackRequest
	// CharitableAppeal is a charity's non-commercial appeal: for donations,
	// for support of a campaign, for membership — never selling goods or
	// services, which is commercial marketing whoever sends it (CPCE art.
	// L34-5 al. 3; PECR reg. 22(3A), "sole purpose"). It is marketing:
	// objections and withdrawals of general marketing stop it. Consent to a
	// charity's general marketing covers its appeals (fundraising is direct
	// marketing, DPA 2018 s. 122(5)); consent to appeals covers nothing else.
	// A sender that is not a charity using it is decided as
	// [MarketingGeneral]. An appeal with a [Message.Category] (for an
	// appeal, the goods or services it promotes: a cause is not a category)
	// or a promotional [Content] marker sells, and is decided as
	// [MarketingSimilar] or [MarketingGeneral] like a mixed message.
	CharitableAppeal
	// AllMarketing is a record scope, not a message purpose: a withdrawal
	// or objection with this scope covers every marketing purpose.
	AllMarketing
)

var purposeNames = enum.New[Purpose]("consent", "purpose", "", "transactional", "marketing_similar", "marketing_general",
	"marketing_third_party", "consent_request", "feedback_request", "charitable_appeal", "all_marketing")

// String returns the text form, e.g. "marketing_general".
func (p Purpose) String() string { return purposeNames.String(p) }

// valid reports whether p is a defined purpose or record scope.
func (p Purpose) valid() bool { return purposeNames.Valid(p) }

// MarshalText implements encoding.TextMarshaler; the zero Purpose is an error.
func (p Purpose) MarshalText() ([]byte, error) { return purposeNames.Marshal(p) }

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an error.
func (p *Purpose) UnmarshalText(b []byte) error { return purposeNames.Unmarshal(p, b) }

// Marketing reports whether p is a marketing purpose (everything but
// [Transactional] and the invalid zero value).
func (p Purpose) Marketing() bool { return p.valid() && p != Transactional }

// covers reports whether a record scoped to p also speaks for a message with
// purpose q. Consent for general marketing covers the sender's similar
// products, consent requests, feedback requests and (for a charity) its
// appeals, never third-party marketing; consent to appeals covers only
// appeals; [AllMarketing] covers every marketing purpose.
func (p Purpose) covers(q Purpose) bool {
	switch {
	case !q.valid() || q == AllMarketing:
		return false
	case p == q:
		return true
	case p == AllMarketing:
		return q.Marketing()
	case p == MarketingGeneral:
		return q == MarketingSimilar || q == ConsentRequest || q == FeedbackRequest || q == CharitableAppeal
	}
	return false
}

// Channel is the medium a message travels by. Consent is given per channel.
type Channel uint8

// Channels. Do not reorder.
const (
	Email          Channel = iota + 1 // e-mail
	SMS                               // SMS, MMS, RCS and in-app or OTT chat messages
	VoiceLive                         // a call with a human caller
	VoiceAutomated                    // a call made by an automated system, with no human caller
	Push                              // a push notification
	Post                              // postal mail
	// AllChannels is a record scope, not a message channel: valid only on
	// withdrawals and objections (a grant must name its channel: consent is
	// specific, GDPR art. 4(11)).
	AllChannels
)

var channelNames = enum.New[Channel]("consent", "channel", "", "email", "sms", "voice_live", "voice_automated", "push", "post", "all")

// String returns the text form, e.g. "sms".
func (c Channel) String() string { return channelNames.String(c) }

// valid reports whether c is a defined channel or [AllChannels].
func (c Channel) valid() bool { return channelNames.Valid(c) }

// MarshalText implements encoding.TextMarshaler; the zero Channel is an error.
func (c Channel) MarshalText() ([]byte, error) { return channelNames.Marshal(c) }

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an error.
func (c *Channel) UnmarshalText(b []byte) error { return channelNames.Unmarshal(c, b) }

// covers reports whether a record on channel c speaks for a message on d.
func (c Channel) covers(d Channel) bool {
	return d.valid() && d != AllChannels && (c == d || c == AllChannels)
}

// RecipientKind classifies who the address or number belongs to. The
// classification is an input: the library never guesses it from an address.
type RecipientKind uint8

// Recipient kinds. Do not reorder.
const (
	// Consumer is a natural person acting privately.
	Consumer RecipientKind = iota + 1
	// BusinessNamed is a person reached at an individually assigned work
	// address or number (jane.doe@company.example).
	BusinessNamed
	// BusinessGeneric is an impersonal role address or number of an
	// organisation (info@, sales@, a switchboard).
	BusinessGeneric
	// SoleTrader is an unincorporated business or partnership. UK PECR
	// treats it as an individual subscriber; elsewhere it is treated as a
	// consumer.
	SoleTrader
)

var recipientNames = enum.New[RecipientKind]("consent", "recipient kind", "", "consumer", "business_named", "business_generic", "sole_trader")

// String returns the text form, e.g. "business_generic".
func (k RecipientKind) String() string { return recipientNames.String(k) }

// valid reports whether k is a defined recipient kind.
func (k RecipientKind) valid() bool { return recipientNames.Valid(k) }

// MarshalText implements encoding.TextMarshaler.
func (k RecipientKind) MarshalText() ([]byte, error) {
	return recipientNames.Marshal(k)
}

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an error.
func (k *RecipientKind) UnmarshalText(b []byte) error { return recipientNames.Unmarshal(k, b) }

// SenderKind classifies the organisation that sends a message.
type SenderKind uint8

// Sender kinds. Do not reorder.
const (
	// Company is any sender of none of the other kinds.
	Company SenderKind = iota + 1
	// Charity is a sender whose sole purpose is furthering charitable
	// purposes (UK PECR reg. 22(3A)).
	Charity
	// CharityLottery is a lottery whose proceeds go to charitable causes
	// (a Dutch "goededoelenloterij"). It is not a charity: its appeals are
	// marketing, and only rules that name it treat it apart (the Dutch
	// customer exception for calls, kept for such lotteries from 1 July
	// 2026). The host states it; the library never infers a sector.
	CharityLottery
	// PeriodicalPublisher is a publisher of newspapers, weeklies or
	// magazines, which the Dutch customer exception for calls keeps from 1
	// July 2026 like charities and charity lotteries. The host states it.
	PeriodicalPublisher
)

var senderNames = enum.New[SenderKind]("consent", "sender kind", "", "company", "charity", "charity_lottery",
	"periodical_publisher")

// String returns the text form, e.g. "charity".
func (k SenderKind) String() string { return senderNames.String(k) }

// valid reports whether k is a defined sender kind.
func (k SenderKind) valid() bool { return senderNames.Valid(k) }

// MarshalText implements encoding.TextMarshaler.
func (k SenderKind) MarshalText() ([]byte, error) {
	return senderNames.Marshal(k)
}

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an error.
func (k *SenderKind) UnmarshalText(b []byte) error { return senderNames.Unmarshal(k, b) }

// Status is what a [Record] says: a grant, a withdrawal of consent, or an
// objection to direct marketing (GDPR art. 21).
type Status uint8

// Statuses. The order is the tie-break at one instant: a withdrawal or an
// objection recorded at the same instant as a grant wins. Do not reorder.
const (
	Granted   Status = iota + 1 // consent given
	Withdrawn                   // consent withdrawn
	Objection                   // an objection to direct marketing (GDPR art. 21)
)

var statusNames = enum.New[Status]("consent", "status", "", "granted", "withdrawn", "objection")

// String returns the text form, e.g. "withdrawn".
func (s Status) String() string { return statusNames.String(s) }

// valid reports whether s is a defined status.
func (s Status) valid() bool { return statusNames.Valid(s) }

// MarshalText implements encoding.TextMarshaler.
func (s Status) MarshalText() ([]byte, error) { return statusNames.Marshal(s) }

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an error.
func (s *Status) UnmarshalText(b []byte) error { return statusNames.Unmarshal(s, b) }

// stops reports whether s stops marketing: a withdrawal or an objection.
func (s Status) stops() bool { return s == Withdrawn || s == Objection }

// Method is how a grant was captured.
type Method uint8

// Capture methods. Do not reorder.
const (
	UntickedCheckbox Method = iota + 1 // the person ticked an empty box
	DoubleOptIn                        // confirmed by a link or code sent to the address
	SignedForm                         // a signed paper or electronic form
	RecordedVerbal                     // a recorded spoken agreement
	Imported                           // brought in from another system; counts only with proof
	PreTicked                          // a box ticked in advance: never consent (GDPR recital 32)
	MethodUnknown                      // not recorded: never consent (GDPR art. 7(1))
)

var methodNames = enum.New[Method]("consent", "method", "", "unticked_checkbox", "double_opt_in", "signed_form", "recorded_verbal",
	"imported", "pre_ticked", "unknown")

// String returns the text form, e.g. "double_opt_in".
func (m Method) String() string { return methodNames.String(m) }

// valid reports whether m is a defined method (including [MethodUnknown]).
func (m Method) valid() bool { return methodNames.Valid(m) }

// MarshalText implements encoding.TextMarshaler.
func (m Method) MarshalText() ([]byte, error) { return methodNames.Marshal(m) }

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an error.
func (m *Method) UnmarshalText(b []byte) error { return methodNames.Unmarshal(m, b) }

// Parental records who agreed when the person giving consent was a minor.
// The zero value, NoParental, means nobody but the person.
type Parental uint8

// Parental consent forms. Do not reorder.
const (
	// NoParental: nobody but the person agreed.
	NoParental Parental = iota
	// ByParent: the holder of parental authority gave or authorised it
	// (GDPR art. 8(1)).
	ByParent
	// Joint: the minor and the holder of parental authority together, as
	// French law requires below 15 (Loi Informatique et Libertés art. 45).
	Joint
)

var parentalNames = enum.WithZero[Parental]("consent", "parental consent", "none", "parent", "joint")

// String returns the text form: "none", "parent" or "joint".
func (p Parental) String() string { return parentalNames.String(p) }

// MarshalText implements encoding.TextMarshaler.
func (p Parental) MarshalText() ([]byte, error) { return parentalNames.Marshal(p) }

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an error.
func (p *Parental) UnmarshalText(b []byte) error { return parentalNames.Unmarshal(p, b) }
