package consent_test

import (
	"fmt"
	"time"

	"github.com/sendright/sendright/consent"
)

func ExampleLedger_State() {
	captured := time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
	l, err := consent.NewLedger(consent.Record{
		ID:      "g-1",
		Subject: addr("lea.martin@example.com"),
		Purpose: consent.MarketingGeneral,
		Channel: consent.Email,
		Sender:  "Maison Exemple SAS",
		Status:  consent.Granted,
		At:      captured,
		Method:  consent.UntickedCheckbox,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	q := consent.Query{Purpose: consent.MarketingSimilar, Channel: consent.Email, Sender: "Maison Exemple SAS",
		At: captured.AddDate(0, 1, 0), Address: addr("lea.martin@example.com")}
	before := l.State(q)
	fmt.Printf("before: consented=%v withdrawn=%v (grant %s)\n", before.Consented(), before.Withdrawn(), before.GrantID())

	// The contact unsubscribes from all marketing e-mail two weeks later.
	err = l.Append(consent.Record{ID: "w-1", Purpose: consent.AllMarketing, Channel: consent.Email,
		Sender: "Maison Exemple SAS", Status: consent.Withdrawn, At: captured.AddDate(0, 0, 14)})
	if err != nil {
		fmt.Println(err)
		return
	}
	after := l.State(q)
	fmt.Printf("after: consented=%v withdrawn=%v (withdrawal %s)\n", after.Consented(), after.Withdrawn(),
		after.StopID())
	// Output:
	// before: consented=true withdrawn=false (grant g-1)
	// after: consented=false withdrawn=true (withdrawal w-1)
}

func ExampleParseCountry() {
	c, err := consent.ParseCountry("UK")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c)
	_, err = consent.ParseCountry("EU")
	fmt.Println(err)
	// Output:
	// GB
	// consent: unknown country "EU"
}

// Addresses are parsed once; two spellings of one mailbox or number are the
// Same, and the text keeps the local part as given for sending.
func ExampleParseEmail() {
	a, err := consent.ParseEmail(" Lea.Martin@Exämple.Example ")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a, a.Key(), a.Kind())
	fmt.Println(a.Same(consent.MustParseEmail("lea.martin@xn--exmple-cua.example")))
	_, err = consent.ParseEmail("lea.martin.example.com")
	fmt.Println(err)
	// Output:
	// Lea.Martin@xn--exmple-cua.example lea.martin@xn--exmple-cua.example email
	// true
	// consent: not an e-mail address (local@domain)
}

// A phone number in the national format of the contact's country is read
// into E.164; without a country, only E.164 is accepted.
func ExampleParsePhone() {
	fr := consent.MustCountry("FR")
	p, err := consent.ParsePhone("06 39 98 00 01", fr)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p, p.Same(consent.MustParsePhone("+33 (0)6 39 98 00 01", consent.Country{})))
	_, err = consent.ParsePhone("06 39 98 00 01", consent.Country{})
	fmt.Println(err)
	// Output:
	// +33639980001 true
	// consent: not an E.164 number (+ and country code); national formats need the contact's country
}
