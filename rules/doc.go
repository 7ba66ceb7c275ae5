// Package rules holds the law as data: rule sets written in YAML with CEL
// conditions ([Set], [Rule], [Parse], [Builtin]), compiled once into an
// immutable, versioned [Policy] that decides messages without allocating.
//
// # Rule language
//
// A condition is a boolean CEL expression over the contact, the request and
// the instant, with domain functions that read the consent ledger and the
// relationship (hasConsent, objected, similarPurchase, inCategory, …); the
// README lists them. Rules are walked by effect: exempt, deny, allow (the
// strongest basis wins), no_basis.
//
// # Categories
//
// Product categories compare by canonical key ([consent.CategoryKey]):
// case-folded, trimmed, invisible format characters dropped, and every run
// of spaces, hyphens, dashes and underscores one underscore. So
// "Energy_Renovation", " energy_renovation" and "energy-renovation" all meet
// the French energy-renovation ban. The keys of the policy's categories
// (similarity-group members, [SectorCategories]) are computed when it is
// compiled; the key of the message's category once per decision, without
// allocating; request.category in a condition is that key.
//
// # Mixed messages
//
// Before any rule runs, the message's content decides the purpose it is
// judged under ([Outcome.Purpose], [Outcome.Reclassified]): a charitable
// appeal by a sender that is not a charity is general marketing; where the
// set reads mixed messages as marketing ([MixedAsMarketing], the parameter
// mixed_messages, the default), a transactional message with a promotional
// marker or a category is marketing, and one with a rating request a
// feedback request. The reading is rule data, so that a jurisdiction with
// another test can say so.
//
// # Invariants
//
// No rule set can lift a stop in force or a statutory ban. Exempt rules
// apply only to messages decided as transactional. The deny rules of the
// built-in sets are in every policy that has a set for their country, even
// when the host's set for it does not extend them or replaces the built-in
// one, and a host rule reusing one of their ids with another meaning fails
// compilation. In every jurisdiction an objection or withdrawal in force
// denies ([RuleStopObjection], [RuleStopWithdrawn]) whatever the set's rules
// say.
package rules
