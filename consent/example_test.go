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
