// Package eligibility decides whether a commercial message may lawfully be
// sent: this email or SMS, to this contact, for this purpose, now.
//
// It holds the engine. [Compile] checks rule sets ([rules.Set], the law as
// data) once into an immutable, versioned [Policy] — every condition
// type-checked and turned into Go closures specialised to each message
// purpose and recipient kind, or rejected with its file, rule, line and
// column — and [Default] compiles the built-in sets. [Policy.Decide] takes
// a [Request] — the [consent.Contact] and the [consent.Message] — and
// returns a [Decision]: the [Verdict], the legal basis, the deciding rule,
// its reason code and citation, the evidence used, the obligations the
// message must meet, whether the case needs legal review, and the policy
// version. It is the one way to decide and Decision the one result type.
//
// [Request] and [Decision] have a strict JSON form, for hosts that decide
// from another language.
//
// # Audiences and audits
//
// [Policy.DecideAll] decides a whole audience on every core and yields a
// [Result] per request, in order, streaming in constant memory; cancelling
// its context ends the batch with a CANCELLED deny. [Policy.Explain]
// returns an [Audit]: the same decision with the trace of every rule,
// recorded during the same walk, and a keyed digest of the request instead
// of its personal data, so that it can be kept as evidence of compliance.
// An audit carries the host's opaque reference ([Request.Ref], never
// personal data), and [Verify] checks a stored audit against the request it
// claims to describe, over the bytes [AuditDigestForm] documents.
// [ReasonText] and [Decision.ReasonText] give a built-in reason code as a
// fixed sentence in English, French or German, the best match for a language tag
// or, through [MatchLanguage], an Accept-Language value; [Reasons] lists
// every code with its meaning.
//
// # House rules
//
// A host's own rules go in house files (see "House files" in package
// rules), compiled with the built-in sets: each applies its deny and defer
// rules in every jurisdiction and channel of its scope, after the law's
// rules of each tier. A decision a house rule makes has [Decision.Origin]
// [FromHouse], and so does its step in a trace; [Policy.ReasonText] gives
// the texts a house file declares for its own reason codes.
//
// # Host functions
//
// A host adds its own functions and variables to the rule language, for
// its house rules, at compile time: [Func], [Func1], [Func2] and
// [Variable] wrap a pure Go function with a typed signature (bool, int64,
// string, time.Duration, time.Time) into a [Function] for
// [Params.Functions], which compiles to the same closures as the built-in
// functions. Decide does no I/O and calls no host code except such pure
// functions registered at compile time: what they need from outside the
// host looks up before deciding and passes in the contact or the message,
// or keeps in the function's own immutable data. A host function that
// returns an error or panics makes the decision a [Deny] with reason
// [ReasonHostFunctionFailed], never an [Allow].
//
// # Overrides
//
// A host's house file may relax a built-in rule the library marks as its
// own conservative choice (needs_review) or as self-regulation
// (self_regulatory), through an override naming the rule, a justification
// and an owner ([rules.Override]): an overridden deny or defer rule is
// lifted, an overridden allow or exempt rule needing review allows without
// it. A decision lists the overrides that took effect
// ([Decision.Overrides], [AppliedOverride]) and its [Decision.Origin] is
// [FromOverride] when its allow or defer rests on one; the [Audit] trace
// shows each overridden rule's override ([Step.Override], [Step.Lifted]).
// No override can lift a stop in force or a statutory ban: [Compile]
// refuses it.
//
// # Rolling out a change
//
// Before a change of rules goes live, a [Shadow] decides live requests
// with the active policy and a candidate beside it, answers with the
// active decision and reports every [Disagreement]; [WhatIf] compares two
// policies over a whole audience on every core, in constant memory, and
// returns a [Comparison] of counts and transitions with examples. After
// it, [Policy.Replay] decides a request as of its instant, with the
// contact as it stood then, and an [Archive] keeps policies by version so
// that a stored decision is replayed with the policy that made it.
//
// # Fail closed
//
// Only [Allow] means send. Malformed input and rule failures return an error
// together with a [Deny]; a legally uncertain case is a Deny with
// NeedsReview set; a country or channel without rules is a Deny.
//
// # Concurrency
//
// A Policy is immutable and safe for concurrent use. To change rules,
// compile a new one and swap it in through an atomic.Pointer:
//
//	var current atomic.Pointer[eligibility.Policy]
//	current.Store(policy)                 // at start-up
//	current.Store(recompiled)             // when the rules change
//	d, err := current.Load().Decide(req)  // on every send
//
// Decisions already under way finish with the policy they started with;
// each carries the PolicyVersion that made it. Deciding before the first
// Store is a Deny with an error wrapping [ErrNoPolicy].
package eligibility
