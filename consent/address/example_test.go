package address_test

import (
	"fmt"

	"github.com/sendright/sendright/consent/address"
)

func ExampleParseCountry() {
	c, err := address.ParseCountry("UK")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c)
	_, err = address.ParseCountry("EU")
	fmt.Println(err)
	// Output:
	// GB
	// address: unknown country "EU"
}

// Addresses are parsed once; two spellings of one mailbox or number are the
// Same, and the text keeps the local part as given for sending.
func ExampleParseEmail() {
	a, err := address.ParseEmail(" Lea.Martin@Exämple.Example ")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a, a.Key(), a.Kind())
	fmt.Println(a.Same(address.MustParseEmail("lea.martin@xn--exmple-cua.example")))
	_, err = address.ParseEmail("lea.martin.example.com")
	fmt.Println(err)
	// Output:
	// Lea.Martin@xn--exmple-cua.example lea.martin@xn--exmple-cua.example email
	// true
	// address: not an e-mail address (local@domain)
}

// A phone number in the national format of the contact's country is read
// into E.164; without a country, only E.164 is accepted.
func ExampleParsePhone() {
	fr := address.MustCountry("FR")
	p, err := address.ParsePhone("06 39 98 00 01", fr)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p, p.Same(address.MustParsePhone("+33 (0)6 39 98 00 01", address.Country{})))
	_, err = address.ParsePhone("06 39 98 00 01", address.Country{})
	fmt.Println(err)
	// Output:
	// +33639980001 true
	// address: not an E.164 number (+ and country code); national formats need the contact's country
}

// A trunk 0 written after the country code is dropped where the country's
// numbering plan has one (Ireland); Italy's leading 0 is part of the number
// and kept; Spain has no trunk prefix, so a 0 after +34 is an error rather
// than a guess.
func ExampleParsePhone_trunkPrefix() {
	ie := address.MustParsePhone("+353 (0)87 555 0101", address.Country{})
	fmt.Println(ie, ie.Same(address.MustParsePhone("087 555 0101", address.MustCountry("IE"))))
	it := address.MustParsePhone("+39 06 5550 1010", address.Country{})
	fmt.Println(it, it.Same(address.MustParsePhone("06 5550 1010", address.MustCountry("IT"))))
	_, err := address.ParsePhone("+34 0 91 555 01 01", address.Country{})
	fmt.Println(err != nil)
	// Output:
	// +353875550101 true
	// +390655501010 true
	// true
}
