package rules

import "slices"

// sectorCategories are the product categories sector rules key on.
var sectorCategories = []string{
	"energy_renovation", // energy-renovation works (FR C. consom. L223-1)
	"home_adaptation",   // adapting housing for ageing or disability (idem)
	"claims_management", // claims management services (UK PECR reg. 21A)
	"pensions",          // pension schemes and pension advice (UK PECR reg. 21B)
}

// SectorCategories returns, in a new slice, the product categories sector
// rules key on. Hosts classify messages into them (Message.Category); a
// host category declared similar to one of them (Params.SimilarityGroups)
// falls under the same rules.
func SectorCategories() []string { return slices.Clone(sectorCategories) }
