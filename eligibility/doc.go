// Package eligibility decides whether a commercial message may lawfully be
// sent: this email or SMS, to this contact, for this purpose, now.
//
// An [Evaluator] wraps a compiled [rules.Policy]; [Evaluator.Decide] takes a
// [Request] — the [consent.Contact] and the [consent.Message] — and returns a
// [Decision]: the [Verdict], the legal basis, the deciding rule, its reason
// code and citation, the evidence used, the obligations the message must
// meet, whether the case needs legal review, and the policy version.
//
// [Request] and [Decision] have a strict JSON form, for hosts that decide
// from another language. Decision and Verdict are the types the policy's
// walk of the rules makes ([rules.Decision], [rules.Verdict]): there is one
// result type, whichever door a decision comes through.
//
// # Audiences and audits
//
// [Evaluator.DecideAll] decides a whole audience on every core and yields a
// [Result] per request, in order, streaming in constant memory; cancelling
// its context ends the batch with a CANCELLED deny. [Evaluator.Explain]
// returns an [Audit]: the same decision with the trace of every rule,
// recorded during the same walk, and a keyed digest of the request instead
// of its personal data, so that it can be kept as evidence of compliance.
//
// # Fail closed
//
// Only [Allow] means send. Malformed input and rule failures return an error
// together with a [Deny]; a legally uncertain case is a Deny with
// NeedsReview set; a country or channel without rules is a Deny.
//
// # Concurrency
//
// An Evaluator is immutable and safe for concurrent use. To change rules,
// compile a new policy and swap evaluators, for example through an
// atomic.Pointer[Evaluator].
package eligibility
