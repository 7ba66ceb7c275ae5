// Package limits holds the size limits on consent data that the consent
// package and the packages deciding with it share: the eligibility walk
// sizes its key buffers from them, and the rights package checks
// suppression entries against them. They are documented where hosts meet
// them: on [github.com/sendright/sendright/consent.Ledger],
// [github.com/sendright/sendright/consent.Record] and in the README.
package limits

// MaxRecords bounds the grants of a consent ledger, so that a hostile
// import cannot exhaust memory: at most MaxRecords grants, and no grant is
// added once the ledger holds 2×MaxRecords records. Withdrawals and
// objections are never refused for size.
const MaxRecords = 10_000

// MaxIDLen bounds, in bytes, an id, a sender entity or a category (of a
// record, an interaction, a contract, a message or a suppression entry).
const MaxIDLen = 256

// MaxSends bounds the send history of a contact (the messages sent to it,
// consent.Contact.Sent), as MaxRecords bounds its grants: a longer history
// is refused, never truncated.
const MaxSends = 10_000

// MaxJSONSize bounds, in bytes, a JSON document decoded: a contact with its
// records and relationship, a record, a ledger, and so a line of JSON Lines.
const MaxJSONSize = 8 << 20

// MaxEvents bounds each list of a contact's relationship (purchases,
// inquiries, support, contracts, responses) and its call attempts.
const MaxEvents = 10_000

// MaxRegistryChecks bounds a contact's do-not-call registry lookups.
const MaxRegistryChecks = 1000

// MaxCollected bounds the addresses collected at an interaction and the
// addresses an organisation published for receiving marketing.
const MaxCollected = 32
