package ingest_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/ingest"
	"github.com/sendright/sendright/eligibility"
)

// Decoding contacts from JSON Lines: each bad line is reported with its
// number, and reading goes on.
func ExampleLines() {
	input := `{"id":"c-1","kind":"consumer","country":"FR","time_zone":"Europe/Paris","email":"lea@example.com","records":[]}
{"id":"c-2","kind":"consumer","country":"FR","time_zone":"Europe/Paris","Email":"sam@example.org","records":[]}
{"id":"c-3","kind":"consumer","country":"GB","time_zone":"Europe/London","records":[]}
`
	for row, err := range ingest.Lines(strings.NewReader(input)) {
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println("line", row.Line, row.Contact.ID, row.Contact.Location)
	}
	// Output:
	// line 1 c-1 Europe/Paris
	// ingest: line 2: consent: Email: unknown field (keys are matched exactly, case included)
	// line 3 c-3 Europe/London
}

// Importing a CRM's CSV export: contacts and their consent events, joined
// by contact id, with the CRM's column names mapped to fields.
func ExampleReadCSV() {
	contacts := "Contact ID,Type,Country,Zone,Email\n" +
		"c-1,consumer,FR,Europe/Paris,lea@example.com\n" +
		"c-2,consumer,FR,Europe/Paris,sam@example.org\n"
	events := "Contact ID,Event ID,Purpose,Channel,Brand,Status,Date,Method,Email\n" +
		"c-1,e-1,marketing_general,email,Maison Exemple SAS,granted,2025-01-10T10:00:00Z,double_opt_in,lea@example.com\n" +
		"c-2,e-2,marketing_general,email,Maison Exemple SAS,withdrawn,2025-03-01T10:00:00Z,,\n" +
		"c-2,e-3,marketing_general,fax,Maison Exemple SAS,granted,2025-04-01T10:00:00Z,web_form,sam@example.org\n"
	src := ingest.CSV{
		Contacts: strings.NewReader(contacts),
		Events:   strings.NewReader(events),
		ContactColumns: ingest.Mapping{"Contact ID": "id", "Type": "kind", "Country": "country",
			"Zone": "time_zone", "Email": "email"},
		EventColumns: ingest.Mapping{"Contact ID": "contact_id", "Event ID": "id", "Purpose": "purpose",
			"Channel": "channel", "Brand": "sender", "Status": "status", "Date": "at", "Method": "method",
			"Email": "subject"},
	}
	for row, err := range ingest.ReadCSV(src) {
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println("line", row.Line, row.Contact.ID, row.Contact.Records.Len(), "record(s)")
	}
	// Output:
	// line 2 c-1 1 record(s)
	// ingest: events line 4: consent: channel: unknown channel "fax"
}

// Auditing a JSON Lines audience for a campaign: contacts stream from the
// decoder into DecideAll, and a bad line counts as a deny.
func ExampleLines_decideAll() {
	input := `{"id":"c-1","kind":"consumer","country":"FR","time_zone":"Europe/Paris","email":"lea@example.com","records":[{"id":"r-1","subject":"lea@example.com","purpose":"marketing_general","channel":"email","sender":"Maison Exemple SAS","status":"granted","at":"2025-01-10T10:00:00Z","method":"double_opt_in","confirmed_at":"2025-01-10T10:05:00Z"}]}
{"id":"c-2","kind":"consumer","country":"FR","time_zone":"Europe/Paris","email":"sam@example.org","records":[]}
{"id":"c-3","kind":"consumer","country":"FR","time_zone":"Europe/Paris","email":"noa@example.net"
`
	policy, err := eligibility.Default()
	if err != nil {
		panic(err)
	}
	msg := consent.Message{Purpose: consent.MarketingGeneral, Channel: consent.Email,
		Sender: consent.Sender{Entity: "Maison Exemple SAS", Kind: consent.Company},
		At:     time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)}
	counts := map[string]int{}
	var bad []error // printed at the end: DecideAll yields while it reads
	reqs := func(yield func(eligibility.Request) bool) {
		for row, err := range ingest.Lines(strings.NewReader(input)) {
			if err != nil {
				bad = append(bad, err)
				continue
			}
			if !yield(eligibility.Request{Contact: row.Contact, Message: msg}) {
				return
			}
		}
	}
	for res := range policy.DecideAll(context.Background(), reqs) {
		counts[res.Decision.Verdict.String()]++
		fmt.Println(res.Request.Contact.ID, res.Decision.Verdict, res.Decision.Reason)
	}
	for _, err := range bad {
		fmt.Println(err)
		counts["deny"]++
	}
	fmt.Println(counts)
	// Output:
	// c-1 allow CONSENT
	// c-2 deny NO_CONSENT
	// ingest: line 3: consent: malformed JSON at byte 97
	// map[allow:1 deny:2]
}
