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
package rules
