package rights_test

import (
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/consent/rights"
)

// addr parses an e-mail address or an E.164 number.
func addr(s string) address.Address {
	a, err := address.Parse(s, address.Country{})
	if err != nil {
		panic(err)
	}
	return a
}

// match and matchAll parse s as a host importing a contact of country c
// would, then match it; an address that does not parse matches nothing.
func match(l rights.SuppressionList, s string, c address.Country, kr *rights.Keyring) (rights.Suppression, bool) {
	a, err := address.Parse(s, c)
	if err != nil {
		return rights.Suppression{}, false
	}
	return l.Match(a, kr)
}

func matchAll(l rights.SuppressionList, s string, c address.Country, kr *rights.Keyring) []rights.Suppression {
	a, err := address.Parse(s, c)
	if err != nil {
		return nil
	}
	return l.MatchAll(a, kr)
}
