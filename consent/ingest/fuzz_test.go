package ingest_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent/ingest"
)

// FuzzLines checks that every line holding more than blanks yields exactly
// one row or one LineError with its number, in order, and that parallel
// decoding yields what one goroutine does.
func FuzzLines(f *testing.F) {
	f.Add(file(contactLine(1, 1, 1), "", "{bad", contactLine(2, 0, 0)))
	f.Add("\xEF\xBB\xBF" + contactLine(1, 0, 0) + "\r\n \t\r\n\r\r\n{}")
	f.Add(`{"id":"c","kind":"consumer","kind":"consumer"}` + "\n\n")
	f.Fuzz(func(t *testing.T, in string) {
		var want []int
		for i, l := range strings.Split(strings.TrimPrefix(in, "\xEF\xBB\xBF"), "\n") {
			l = strings.TrimSuffix(l, "\r")
			if strings.Trim(l, " \t") != "" {
				want = append(want, i+1)
			}
		}
		seq := collect(t, ingest.LinesN(strings.NewReader(in), 1))
		var got []int
		for _, it := range seq {
			if it.Err != nil && it.Line == 0 {
				t.Fatalf("an error that is no LineError: %v", it.Err)
			}
			got = append(got, it.Line)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("line numbers (-want +got):\n%s", diff)
		}
		par := collect(t, ingest.LinesN(strings.NewReader(in), 3))
		if diff := cmp.Diff(seq, par, cmp.Comparer(func(a, b error) bool { return errors.Is(a, b) })); diff != "" {
			t.Fatalf("parallel decoding differs (-one +three):\n%s", diff)
		}
	})
}

// FuzzCSV checks that ReadCSV never panics, that every contact it yields
// passes Check and comes in the order of the contacts table, and that
// every error from inputs that cannot fail is a LineError with its table
// and line.
func FuzzCSV(f *testing.F) {
	f.Add(contactsCSV, eventsCSV, purchasesCSV)
	f.Add("id,kind,country,time_zone\nc-1,consumer,FR,Europe/Paris\n", "contact_id,id,status\nc-1,r,withdrawn\nc-9,r,\n", "")
	f.Add("id;kind\n\"c\n1\";x\n", "contact_id\n\"", "contact_id,collected\nc-1,a@example.com;;\n")
	f.Fuzz(func(t *testing.T, contacts, events, purchases string) {
		src := ingest.CSV{Contacts: strings.NewReader(contacts)}
		if events != "" {
			src.Events = strings.NewReader(events)
		}
		if purchases != "" {
			src.Purchases = strings.NewReader(purchases)
		}
		last := 0
		for row, err := range ingest.ReadCSV(src) {
			if err != nil {
				var le *ingest.LineError
				if !errors.As(err, &le) {
					t.Fatalf("an error that is no LineError from readers that cannot fail: %v", err)
				}
				if le.Line < 1 || le.Table == "" {
					t.Fatalf("a LineError without its place: %+v", le)
				}
				continue
			}
			if row.Line <= last {
				t.Fatalf("contact at line %d after line %d", row.Line, last)
			}
			last = row.Line
			if err := row.Contact.Check(); err != nil {
				t.Fatalf("line %d: a contact that fails Check: %v", row.Line, err)
			}
		}
	})
}
