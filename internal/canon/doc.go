// Package canon holds the canonical keys by which the module compares
// names: sender entity names ([EntityKey], [SameEntity], alias groups and
// the [Matcher] the engine keeps per decision) and product categories
// ([CategoryKey]). Package consent exports the user-facing concepts
// (consent.EntityKey, consent.SameEntity, consent.CategoryKey and
// consent.Aliases, which is a defined type of [Aliases]); the
// allocation-free forms the engine needs on its hot path
// ([AppendCategoryKey], [IsCategoryKey], [Matcher]) stay here, out of the
// public API.
package canon
