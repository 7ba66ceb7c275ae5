// Package sendright decides whether a commercial message may lawfully be
// sent: this email or SMS, to this contact, for this purpose, now. It runs
// in-process, before every send and over whole audiences; it has no server
// and reads no clock.
//
// The module has six packages, and dependencies point one way: calls
// imports address; consent imports address and calls; rights and rules
// import consent, address and calls; eligibility imports rules, consent,
// address, calls and rights; nothing imports eligibility.
//
//   - [github.com/sendright/sendright/consent]: the vocabulary (purposes,
//     channels, recipient kinds), the Contact with its relationship to
//     senders, the Message being sent, and the append-only Ledger of consent,
//     withdrawal and objection records. It does not import CEL.
//   - [github.com/sendright/sendright/consent/address]: the ways a person
//     is reached, as parsed values: e-mail addresses, phone numbers and
//     countries. It imports nothing of the module.
//   - [github.com/sendright/sendright/consent/calls]: what the host knows
//     about calling the contact: its log of call attempts (when, live or
//     automated, by whom, how each ended) and its lookups of the contact's
//     number in do-not-call registries. It does not import consent, which
//     holds both in the Contact.
//   - [github.com/sendright/sendright/consent/rights]: the data subject's
//     rights over that data, outside the sending path: export (GDPR arts. 15
//     and 20) and erasure that keeps an objection as a keyed suppression
//     list (art. 17 with art. 21(3)).
//   - [github.com/sendright/sendright/consent/ingest]: audiences in bulk:
//     contacts from JSON Lines, decoded on every core in order, and a CRM's
//     CSV tables (contacts, consent events, purchases) joined by contact id
//     through a column mapping; each bad line or row is reported with its
//     line number.
//   - [github.com/sendright/sendright/rules]: the law as data. Rule sets per
//     jurisdiction are YAML files with CEL conditions and citations,
//     embedded in the module with their legal guide; Parse reads one, with
//     the position of every rule and condition. Its package documentation
//     is the rule language. It decides nothing.
//   - [github.com/sendright/sendright/eligibility]: the engine and the
//     caller's API. Compile checks rule sets once into an immutable Policy;
//     Policy.Decide returns the Decision (allow or deny, the legal basis,
//     the rule, its reason code and citation, the evidence used and the
//     obligations the message must meet), Explain the decision with its
//     trace, recorded in the same walk, for audits, and DecideAll an
//     audience on every core.
//
// Packages under internal/ (the CEL subset compiler, strict JSON decoding,
// enumerations, scenario files, the synthetic audience of the tests) are
// not API.
//
// # Where things are
//
// rules is the law as data and eligibility compiles and decides. The split
// follows who changes what: lawyers and hosts change rule files, which
// rules parses and checks with no CEL and no engine (its tests are the
// parser's and the legal guide's); the engine — the CEL environment, the
// compiled closures, the tiers, the domain functions, the trace and the one
// result type, [eligibility.Decision] — changes with the library, and lives
// beside the API that returns its decisions, so that there is one way to
// decide, [eligibility.Policy.Decide], and one walk, which Decide, Explain
// and DecideAll share. The checks that need no compiled condition are
// rules' own ([rules.Check]), so a rule file can be checked without the
// engine; what the compiler needs from a parsed file beyond its fields it
// reads through read-only accessors (a rule's and a condition's
// [rules.Position]), and a compiled policy keeps its own copy of the sets.
//
// A new jurisdiction is a YAML file under rules/builtin with its section in
// rules/builtin/LAW.md, and its scenarios under
// eligibility/testdata/scenarios. A new domain function is one entry in the
// function table of eligibility (funcs.go), which declares it to CEL,
// compiles it, checks its argument vocabularies and documents it in the
// rules package documentation and the README (a test keeps both in step);
// a host's own function or variable goes through eligibility.Params.Functions
// (eligibility.Func, Func1, Func2, Variable) instead.
// A new channel is a value of consent.Channel, with the address it is sent
// to (Contact.Address) and the name of that field in errors (addrField in
// eligibility/walk.go), then rules for it in the sets that cover it and
// their scenarios; the engine's tables are sized by the vocabulary.
//
// # A worked example
//
// Compile the built-in policy once and share it; decide each send:
//
//	policy, err := eligibility.Default()
//	if err != nil { ... }
//
//	d, err := policy.Decide(eligibility.Request{
//		Contact: contact, // a *consent.Contact: kind, country, time zone, address, relationship, records
//		Message: consent.Message{
//			Purpose:  consent.MarketingSimilar,
//			Channel:  consent.Email,
//			Category: "kettles",
//			Sender:   consent.Sender{Entity: "Maison Exemple SAS", Kind: consent.Company},
//			At:       sendTime,
//		},
//	})
//	if err != nil || d.Verdict != eligibility.Allow {
//		// do not send; d.Reason and d.Detail say why
//	}
//
// For a French customer who bought a kettle from the same shop, with an
// opt-out offered at checkout, printing the decision's verdict, basis, rule
// and reason, its citation, and its obligations and evidence gives
//
//	allow soft_opt_in FR_SOFT_OPT_IN SOFT_OPT_IN
//	CPCE art. L34-5 al. 4; CNIL, La prospection commerciale par courrier électronique
//	[sender_identity opt_out objection_notice ad_label] purchase order-1001
//
// # Fail closed
//
// Only an Allow verdict means send. An unknown country or channel, an
// unknown enumeration value, a zero instant, an unprovable consent or a rule
// that fails at run time all deny, with a reason that says what was wrong;
// malformed input also returns a typed error. Legally uncertain cases are
// denied and marked NeedsReview.
//
// This is not legal advice: the rules cite their public sources, and the
// legal guide rules/builtin/LAW.md explains each rule, where the sources
// disagree and which conservative choice was made, so that counsel can
// review them.
package sendright
