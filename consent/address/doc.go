// Package address holds the ways sendright reaches a person, as parsed
// values: an [Address] (an e-mail address, a phone number, a push address
// or a postal address, in canonical form) and the [Country] a phone number is read in and a contact lives in.
//
// Like a [net/netip.Addr], an Address is parsed once ([ParseEmail],
// [ParsePhone], [Parse]) and is then a small comparable value that never
// needs checking again:
//
//   - an e-mail address has its domain in IDNA ASCII form and its local part
//     in NFC. It keeps the local part's case for sending (RFC 5321 lets a
//     server tell "Lea" from "lea") and is matched case-insensitively
//     ([Address.Same], [Address.Key]);
//   - a phone number is its E.164 form, read from the international form or
//     from the national format of a [Country] (France, Belgium, the
//     United Kingdom, Germany, Spain, Italy, the Netherlands and Ireland so
//     far); a trunk prefix written after the country code ("+353 (0)87 …")
//     is dropped where the country's numbering plan has one, and Italy's
//     leading 0 is kept ([ParsePhone]).
//
// So no spelling of an address, and no forgotten normalisation, changes a
// decision: a grant naming "lea@example.com" counts for a contact whose
// address was written "Lea@Example.COM ".
//
// Package consent and its subpackage consent/rights hold addresses in
// contacts, consent records, interactions and suppression lists; this
// package knows nothing of consent, so that a host can parse and store
// addresses without the rest.
//
// # Kinds of address
//
// [Kind] names what an Address reaches: [Email], [Phone], [Push] or
// [Postal]. The kinds are the channels' destinations — e-mail for the
// e-mail channel, a number for SMS and calls, an application installation
// or device token ("push:<app-id>/<installation-or-token>", compared
// exactly: [ParsePush]) for push notifications, and lines and a [Country]
// for post ([ParsePostal], compared in NFKC, case-folded, white space
// collapsed). A message channel with a new kind of destination adds its
// Kind and parser to this package, not a field of free text elsewhere.
//
// # Errors
//
// A malformed address is an error whose text never repeats the address or
// the number, so that it is safe to log; it is a
// [github.com/sendright/sendright/consent.FieldError] wrapping
// [github.com/sendright/sendright/consent.ErrInvalid], the error shape of
// every consent type, so errors.Is and errors.As work alike whether an
// address was parsed alone or as part of a contact. An unknown country code
// is a [github.com/sendright/sendright/consent.UnknownValueError].
package address
