package ingest_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/ingest"
)

// joinedItem is what a CSV test sees of one thing ReadCSV yields.
type joinedItem struct {
	Table     string // of a LineError
	Line      int
	ID        string // the contact's id, "" for an error
	Records   int    // the contact's records
	Purchases int    // the contact's purchases
	Field     string // the field of a LineError's FieldError
	Err       error  // the sentinel an error wraps, or an error that is no LineError
}

func collectCSV(t *testing.T, src ingest.CSV) []joinedItem {
	t.Helper()
	var out []joinedItem
	for row, err := range ingest.ReadCSV(src) {
		if err == nil {
			c := row.Contact
			if err := c.Check(); err != nil {
				t.Fatalf("line %d: a contact that fails Check: %v", row.Line, err)
			}
			out = append(out, joinedItem{Line: row.Line, ID: c.ID, Records: c.Records.Len(),
				Purchases: len(c.Relationship.Purchases)})
			continue
		}
		var le *ingest.LineError
		if !errors.As(err, &le) {
			out = append(out, joinedItem{Err: err})
			continue
		}
		it := joinedItem{Table: le.Table, Line: le.Line}
		var fe *consent.FieldError
		if errors.As(err, &fe) {
			it.Field = fe.Field
		}
		for _, s := range []error{consent.ErrTooLarge, consent.ErrMissing, consent.ErrDuplicateKey,
			consent.ErrUnknownField, consent.ErrUnknownValue, consent.ErrInvalid} {
			if errors.Is(err, s) {
				it.Err = s
				break
			}
		}
		out = append(out, it)
	}
	return out
}

const (
	contactsCSV = "id,kind,country,time_zone,email,phone\n" +
		"c-1,consumer,FR,Europe/Paris,lea@example.com,06 39 98 00 01\n" +
		"c-2,consumer,GB,Europe/London,sam@example.org,\n" +
		"c-3,sole_trader,BE,Europe/Brussels,,+32 470 55 01 02\n"
	eventsCSV = "contact_id,id,subject,purpose,channel,sender,status,at,method\n" +
		"c-1,r-1,lea@example.com,marketing_general,email,Maison Exemple SAS,granted,2025-01-10T10:00:00Z,double_opt_in\n" +
		"c-2,r-2,,marketing_general,email,Maison Exemple SAS,withdrawn,2025-03-01T10:00:00Z,\n" +
		"c-1,r-3,,marketing_general,sms,Maison Exemple SAS,objection,2025-04-01T10:00:00Z,\n"
	purchasesCSV = "contact_id,id,at,seller,category,collected,opt_out_offered\n" +
		"c-1,p-1,2025-02-01T10:00:00Z,Maison Exemple SAS,tea,lea@example.com; 06 39 98 00 01,yes\n"
)

func TestReadCSV(t *testing.T) {
	tests := []struct {
		name string
		src  ingest.CSV
		want []joinedItem
	}{
		{"contacts alone", ingest.CSV{Contacts: strings.NewReader(contactsCSV)}, []joinedItem{
			{Line: 2, ID: "c-1"}, {Line: 3, ID: "c-2"}, {Line: 4, ID: "c-3"}}},
		{"joined by contact id", ingest.CSV{Contacts: strings.NewReader(contactsCSV),
			Events: strings.NewReader(eventsCSV), Purchases: strings.NewReader(purchasesCSV)}, []joinedItem{
			{Line: 2, ID: "c-1", Records: 2, Purchases: 1}, {Line: 3, ID: "c-2", Records: 1}, {Line: 4, ID: "c-3"}}},
		{"CRLF, byte order mark, quoted line breaks, semicolons", ingest.CSV{Comma: ';',
			Contacts: strings.NewReader("\xEF\xBB\xBFid;kind;country;time_zone;postal\r\n" +
				"c-1;consumer;FR;Europe/Paris;\"Léa Martin\r\n12 rue de l'Exemple\r\n57000 Metz\r\nFR\"\r\n" +
				"c-2;consumer;FR;Mars/Olympus_Mons;\r\n")}, []joinedItem{
			{Line: 2, ID: "c-1"}, {Table: "contacts", Line: 6, Field: "contact.time_zone", Err: consent.ErrInvalid}}},
		{"a mapping", ingest.CSV{
			Contacts: strings.NewReader("Contact ID,Type,Country,Zone,Notes\nc-1,consumer,FR,Europe/Paris,likes tea\n"),
			Events: strings.NewReader("Owner,Event,Purpose,Channel,Brand,State,When,How,Address\n" +
				"c-1,r-1,marketing_general,email,Maison Exemple SAS,granted,2025-01-10T10:00:00Z,double_opt_in,lea@example.com\n"),
			ContactColumns: ingest.Mapping{"Contact ID": "id", "Type": "kind", "Country": "country", "Zone": "time_zone",
				"Notes": ingest.Ignore, "Unused": "email"},
			EventColumns: ingest.Mapping{"Owner": "contact_id", "Event": "id", "Purpose": "purpose", "Channel": "channel",
				"Brand": "sender", "State": "status", "When": "at", "How": "method", "Address": "subject"},
		}, []joinedItem{{Line: 2, ID: "c-1", Records: 1}}},
		{"a column the mapping does not know stops the import", ingest.CSV{
			Contacts:       strings.NewReader("id,kind,country,time_zone,Unsubscribed\nc-1,consumer,FR,Europe/Paris,yes\n"),
			ContactColumns: ingest.Mapping{"id": "id", "kind": "kind", "country": "country", "time_zone": "time_zone"},
		}, []joinedItem{{Table: "contacts", Line: 1, Field: "Unsubscribed", Err: consent.ErrUnknownField}}},
		{"a column named after no field", ingest.CSV{
			Contacts: strings.NewReader("id,kind,country,time_zone,unsubscribed\nc-1,consumer,FR,Europe/Paris,yes\n")},
			[]joinedItem{{Table: "contacts", Line: 1, Field: "unsubscribed", Err: consent.ErrUnknownField}}},
		{"a header that may be personal data is not quoted", ingest.CSV{
			Contacts: strings.NewReader("lea@example.com,consumer\n")},
			[]joinedItem{{Table: "contacts", Line: 1, Field: "column 1", Err: consent.ErrUnknownField}}},
		{"two columns for one field", ingest.CSV{
			Contacts: strings.NewReader("id,kind,country,time_zone,Mail,E-mail\nc-1,consumer,FR,Europe/Paris,,\n"),
			ContactColumns: ingest.Mapping{"id": "id", "kind": "kind", "country": "country", "time_zone": "time_zone",
				"Mail": "email", "E-mail": "email"}},
			[]joinedItem{{Table: "contacts", Line: 1, Field: "email", Err: consent.ErrDuplicateKey}}},
		{"events without a contact id column", ingest.CSV{Contacts: strings.NewReader(contactsCSV),
			Events: strings.NewReader("id,status\nr-1,withdrawn\n")},
			[]joinedItem{{Table: "events", Line: 1, Field: "contact_id", Err: consent.ErrMissing}}},
		{"empty contacts table", ingest.CSV{Contacts: strings.NewReader("")},
			[]joinedItem{{Table: "contacts", Line: 1, Err: consent.ErrMissing}}},
		{"bad rows are reported where they are, once per contact", ingest.CSV{
			Contacts: strings.NewReader(contactsCSV + "c-4,consumer,FR,Europe/Paris,,\n" + "c-5,consumer,FR\n" +
				"c-1,consumer,FR,Europe/Paris,,\n" + "c-6,consumer,FR,Europe/Paris,,\n"),
			Events: strings.NewReader(eventsCSV +
				"c-2,r-4,,marketing_general,fax,Maison Exemple SAS,objection,2025-04-01T10:00:00Z,\n" +
				"c-9,r-5,,marketing_general,email,Maison Exemple SAS,withdrawn,2025-04-01T10:00:00Z,\n" +
				",r-6,,marketing_general,email,Maison Exemple SAS,withdrawn,2025-04-01T10:00:00Z,\n"),
			Purchases: strings.NewReader(purchasesCSV +
				"c-3,p-2,2025-02-01T10:00:00Z,Maison Exemple SAS,tea,,maybe\n" +
				"c-4,p-3,2025-02-01T10:00:00Z,Maison Exemple SAS,tea,not an address,\n" +
				"c-6,p-4,2025-02-01T10:00:00Z,Maison Exemple SAS,tea,\n"),
		}, []joinedItem{
			{Table: "events", Line: 7, Field: "contact_id", Err: consent.ErrMissing},
			{Table: "purchases", Line: 5, Err: consent.ErrInvalid},
			{Line: 2, ID: "c-1", Records: 2, Purchases: 1},
			{Table: "events", Line: 5, Field: "channel", Err: consent.ErrUnknownValue},
			{Table: "purchases", Line: 3, Field: "opt_out_offered", Err: consent.ErrInvalid},
			{Table: "purchases", Line: 4, Field: "collected[0]", Err: consent.ErrInvalid},
			{Table: "contacts", Line: 6, Err: consent.ErrInvalid},
			{Table: "contacts", Line: 7, Field: "id", Err: consent.ErrInvalid},
			{Line: 8, ID: "c-6"},
			{Table: "events", Line: 6, Field: "contact_id", Err: consent.ErrInvalid},
		}},
	}
	for _, tt := range tests {
		got := collectCSV(t, tt.src)
		if diff := cmp.Diff(tt.want, got, errEquate); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestReadCSVKeepsStops checks that what a stop holds survives the join: a
// withdrawal read from the events table stops the consent it withdraws.
func TestReadCSVKeepsStops(t *testing.T) {
	for row, err := range ingest.ReadCSV(ingest.CSV{Contacts: strings.NewReader(contactsCSV),
		Events: strings.NewReader(eventsCSV)}) {
		if err != nil {
			t.Fatal(err)
		}
		if row.Contact.ID != "c-2" {
			continue
		}
		var statuses []consent.Status
		for r := range row.Contact.Records.All() {
			statuses = append(statuses, r.Status)
		}
		if diff := cmp.Diff([]consent.Status{consent.Withdrawn}, statuses); diff != "" {
			t.Errorf("c-2's records (-want +got):\n%s", diff)
		}
	}
}

// TestReadCSVInputError checks that a failing input ends the import with
// its own error.
func TestReadCSVInputError(t *testing.T) {
	boom := errors.New("network down")
	got := collectCSV(t, ingest.CSV{Contacts: io.MultiReader(strings.NewReader(contactsCSV), errReader{boom})})
	want := []joinedItem{{Line: 2, ID: "c-1"}, {Line: 3, ID: "c-2"}, {Line: 4, ID: "c-3"}, {Err: boom}}
	if diff := cmp.Diff(want, got, errEquate); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	got = collectCSV(t, ingest.CSV{})
	if len(got) != 1 || got[0].Err == nil {
		t.Errorf("no contacts table: got %v, want one error", got)
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// TestReadCSVNoProvenance: a grant's provenance has no CSV column; a
// column mapped to it is an error, never a partner grant read as direct.
func TestReadCSVNoProvenance(t *testing.T) {
	events := "contact_id,id,provenance\nc-1,g-1,Fournisseur Exemple SA\n"
	got := collectCSV(t, ingest.CSV{Contacts: strings.NewReader(contactsCSV), Events: strings.NewReader(events)})
	for _, it := range got {
		if it.Err != nil || it.Table != "" {
			return
		}
	}
	t.Errorf("a provenance column was accepted: %+v", got)
}
