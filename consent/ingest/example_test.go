package ingest_test

import (
	"fmt"
	"strings"

	"github.com/sendright/sendright/consent/ingest"
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
