// Package calls is what the host knows about calling a contact: the log of
// its attempts to reach the person ([Attempt], how each ended: [Outcome])
// and its lookups of the person's number in do-not-call registries
// ([RegistryCheck] in a [Registry]). The host supplies both in the contact
// (consent.Contact.Attempts and consent.Contact.Registries): deciding never
// does I/O.
//
// Only calls are counted: an attempt is a live call ([VoiceLive]) or an
// automated one ([VoiceAutomated]), with the text forms of the consent
// channels "voice_live" and "voice_automated"; an attempt on any other
// channel is refused. The rule sets say how many calls a sender may make
// and how long a refusal holds (the rule language's callAttempts(days) and
// refusedWithin(days)), which registries apply where, after what delay a
// registration takes effect and how old a lookup may be (set parameter
// "registries"; the function registry(name); package rules).
//
// Decoding is strict, as in package consent: keys match exactly and
// appear once, and every failure is a *consent.FieldError wrapping
// consent's sentinels (consent.ErrMissing, consent.ErrInvalid,
// consent.ErrUnknownValue, …). Package calls does not import consent:
// consent imports it.
package calls
