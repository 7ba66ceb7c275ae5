// Package consent is the vocabulary and the records of sendright: the typed
// purposes, channels and recipient kinds a decision speaks of, the [Contact]
// and its relationship with a sender, the [Message] being sent, and the
// [Ledger] of consent, withdrawal and objection [Record]s that proves what the
// contact agreed to.
//
// The package does not import CEL: a CRM can store and exchange its consent
// data with it without pulling in the policy engine.
//
// The data subject's rights over these data — access and portability
// (an export of everything held about a contact) and erasure that keeps an
// objection as a suppression list of keyed digests — are in the
// subpackage [github.com/sendright/sendright/consent/rights], apart from
// what every decision reads.
//
// # Words
//
// A stop is what ends marketing in a contact's own history: a withdrawal
// of consent or an objection ([Withdrawn], [Objection]); the one in force for a
// query is [State.StopID]. A suppression is only an entry of the list kept
// after an erasure (package rights).
//
// # Vocabulary
//
// Every enumeration ([Purpose], [Channel], [RecipientKind], [SenderKind],
// [Status], [Method], [Parental]) is a closed set with String, MarshalText
// and UnmarshalText methods that all behave alike: unknown text is an
// [*UnknownValueError], an undefined value prints as "invalid(N)" and does
// not marshal. The zero value of each is invalid (except where it names
// "none", as [NoParental]), so a field left unset never passes for a real
// value; [Contact.Check], [Record.Check] and [Message.Check] reject it.
// [Defect], an answer rather than an input, only prints and marshals;
// [Content] is a set of markers whose JSON form is an array of their names.
//
// # Addresses
//
// E-mail addresses and phone numbers are [address.Address] values of the
// subpackage [github.com/sendright/sendright/consent/address], parsed once
// like a [net/netip.Addr], with the [address.Country] a contact lives in
// and its national phone numbers are read in. A [Contact] decoded from JSON
// reads its numbers in its own country's national format. An e-mail address
// keeps its local part's case for sending and is matched
// case-insensitively, in grants, collected addresses and erasure
// suppressions alike, so no spelling of an address changes a decision:
//
//	c := consent.Contact{Email: address.MustParseEmail("Lea@Example.COM "), ...}
//	// a grant naming "lea@example.com" counts for c.
//
// Push and postal addresses are addresses too ([address.ParsePush],
// [address.ParsePostal]): [Contact.Address] returns the one a channel's
// messages go to, and a grant on that channel must name it.
//
// # What the host looked up
//
// Deciding does no I/O: what the host knows of the contact beyond its
// consent is in the contact too. What the host knows about calling it is
// in package [github.com/sendright/sendright/consent/calls]:
// [Contact.Attempts] logs its calls (calls.Attempt: frequency caps and
// cool-offs) and [Contact.Registries] holds its lookups of the contact's
// number in do-not-call registries (calls.RegistryCheck); [Contact.Sent]
// logs the messages sent to it ([Send]: house caps such as one marketing
// e-mail a day);
// [Contact.PushPermitted] is the operating system's notification
// permission; [Contact.CollectedAt] and [Relationship.Responses] (contacts
// coming from the person) bound prospection in time.
//
// # JSON
//
// Every type with a JSON form decodes as strictly as it is defined, with
// encoding/json as with any other decoder: keys match the field names
// exactly, so "Status" is an unknown field rather than a second status; a
// key given twice is an error rather than a last-one-wins; unknown keys,
// invalid UTF-8 and trailing data are errors. Each is a [*FieldError]
// naming the key and wrapping [ErrUnknownField] or [ErrDuplicateKey]
// (both also [ErrInvalid]). Contacts and records are validated and
// normalised as they are decoded. A host that embeds these types in its own
// structs should decode those strictly too: encoding/json calls a field's
// decoder once per copy of a key and keeps the last.
//
// # Errors
//
// Errors never repeat an address, a phone number or other free text, so
// they are safe to log: a rejected value is quoted only when it is a short
// identifier-like word, such as a misspelt purpose.
//
// # The ledger
//
// A [Ledger] is append-only and kept in time order. Its [Ledger.State] tells,
// for one purpose, channel and sender entity at one instant, which grant is
// in force, or which stop (withdrawal or objection). Rules it applies:
//
//   - a withdrawal or objection covering the query ends every grant before
//     it; only a later grant that counts as consent lifts it. An objection
//     covers every marketing purpose of its sender on the channels it names,
//     whatever purpose it was recorded with (GDPR art. 21(3)); a withdrawal
//     covers its scope, and one scoped to general marketing (or all
//     marketing) covers every marketing purpose, third-party offers
//     included;
//   - sender entities match by their canonical key ([EntityKey]: Unicode
//     NFKC, full case folding, no space, punctuation or invisible
//     character, so "ACME S.A.S." is "Acme SAS") and through the host's
//     [Aliases] for one legal person; an affiliate is another sender;
//   - at one instant a withdrawal or objection wins over a grant;
//   - [Contact.State] also reads refusals at collection
//     ([Interaction.Refused]): each is an objection to the seller, at the
//     interaction's instant, on the channels of the addresses collected
//     (e-mail, SMS and calls, push, post: [Interaction.RefusedOn]);
//   - records dated after the query instant are ignored;
//   - a record speaks for its own channel; a withdrawal or objection on
//     [AllChannels] for every channel;
//   - consent for [MarketingGeneral] covers [MarketingSimilar],
//     [ConsentRequest], [FeedbackRequest] and a charity's
//     [CharitableAppeal], never [MarketingThirdParty]; consent to appeals
//     covers only appeals;
//   - a grant counts only when captured by an unticked checkbox, a confirmed
//     double opt-in, a signed form or a recorded verbal agreement, or
//     imported with a proof reference; pre-ticked and unknown never count;
//   - a grant given below the age of digital consent counts only with the
//     parental (or joint) consent the jurisdiction asks for; the age is taken
//     at capture, and an unknown birth date is treated as an adult's.
//
// A ledger accepts every withdrawal and objection, past every size limit.
// Merging ledgers ([Ledger.Merge]) is commutative, associative and
// idempotent and keeps every record of both sides: records claiming one id
// with different content are stored under derived ids and reported with a
// [*ConflictError], never a silent choice.
package consent
