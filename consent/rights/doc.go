// Package rights carries out the data subject's rights over the consent
// data package consent holds: access and portability ([ExportContact],
// GDPR arts. 15 and 20) and erasure that does not forget an objection
// ([Erase], art. 17 with arts. 21(3) and 17(3)(e)): the erased contact
// leaves a [SuppressionList] of keyed digests ([Keyring]) that turns the
// address, when it comes back in a later import, into an objection again
// ([Suppression.Objection]).
//
// It is named after what it serves, the rights of chapter III of the GDPR,
// and is split from consent as go-cmp's cmpopts is from cmp: consent is
// what every decision reads (contacts, records, ledgers, vocabularies);
// rights is what a host calls when a person asks for their data or for its
// erasure, rarely and outside the sending path. It depends on consent,
// never the reverse, and uses only consent's exported API.
//
// In this package "suppression" means one thing: an entry of the list kept
// after an erasure. What stops marketing in a contact's own history — a
// withdrawal or an objection in force — is a stop ([consent.State.StopID]).
package rights
