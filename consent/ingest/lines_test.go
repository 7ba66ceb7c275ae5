package ingest_test

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/ingest"
)

// item is what a test sees of one thing Lines yields.
type item struct {
	Line  int    // the row's or the LineError's line
	ID    string // the contact's id, "" for an error
	Field string // the field of a LineError's FieldError
	Err   error  // the sentinel the error wraps
}

// collect runs seq and reduces what it yields to items.
func collect(t *testing.T, seq func(func(ingest.Row, error) bool)) []item {
	t.Helper()
	var out []item
	for row, err := range seq {
		if err != nil {
			var le *ingest.LineError
			if !errors.As(err, &le) {
				out = append(out, item{Err: err})
				continue
			}
			it := item{Line: le.Line}
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
			continue
		}
		if row.Contact == nil {
			t.Fatalf("line %d: a row without a contact and without an error", row.Line)
		}
		out = append(out, item{Line: row.Line, ID: row.Contact.ID})
	}
	return out
}

var errEquate = cmp.Comparer(func(a, b error) bool { return a == b })

func TestLines(t *testing.T) {
	good := contactLine(1, 1, 1)
	tests := []struct {
		name string
		in   string
		want []item
	}{
		{"empty input", "", nil},
		{"one line", file(good), []item{{Line: 1, ID: "c-1"}}},
		{"last line without newline", file(contactLine(1, 0, 0)) + contactLine(2, 0, 0),
			[]item{{Line: 1, ID: "c-1"}, {Line: 2, ID: "c-2"}}},
		{"CRLF", contactLine(1, 0, 0) + "\r\n" + contactLine(2, 0, 0) + "\r\n",
			[]item{{Line: 1, ID: "c-1"}, {Line: 2, ID: "c-2"}}},
		{"byte order mark", "\xEF\xBB\xBF" + file(good), []item{{Line: 1, ID: "c-1"}}},
		{"blank lines counted, not decoded", file("", good, " \t", contactLine(2, 0, 0)) + "\n",
			[]item{{Line: 2, ID: "c-1"}, {Line: 4, ID: "c-2"}}},
		{"bad lines reported, reading goes on", file(
			good,
			`{"id":"c-2","kind":"consumer","country":"FR","time_zone":"Mars/Olympus_Mons","records":[]}`,
			`{"id":"c-3","kind":"consumer",`,
			`{"id":"c-4","kind":"consumer","kind":"consumer","country":"FR","time_zone":"Europe/Paris","records":[]}`,
			`{"id":"c-5","Kind":"consumer","country":"FR","time_zone":"Europe/Paris","records":[]}`,
			`{"id":"c-6","kind":"robot","country":"FR","time_zone":"Europe/Paris","records":[]}`,
			`{"id":"c-7","kind":"consumer","country":"FR","records":[]}`,
			contactLine(8, 2, 1),
		), []item{
			{Line: 1, ID: "c-1"},
			{Line: 2, Field: "contact.time_zone", Err: consent.ErrInvalid},
			{Line: 3, Err: consent.ErrInvalid},
			{Line: 4, Field: "kind", Err: consent.ErrDuplicateKey},
			{Line: 5, Field: "Kind", Err: consent.ErrUnknownField},
			{Line: 6, Field: "contact.kind", Err: consent.ErrUnknownValue},
			{Line: 7, Field: "contact.time_zone", Err: consent.ErrMissing},
			{Line: 8, ID: "c-8"},
		}},
		{"a bad record names its line", file(good,
			strings.Replace(contactLine(2, 2, 0), `"channel":"email"`, `"channel":"fax"`, 1)),
			[]item{{Line: 1, ID: "c-1"}, {Line: 2, Field: "records[0].channel", Err: consent.ErrUnknownValue}}},
		{"two values on a line", file(good + good), []item{{Line: 1, Err: consent.ErrInvalid}}},
	}
	for _, tt := range tests {
		for _, workers := range []int{1, 3} {
			got := collect(t, ingest.LinesN(strings.NewReader(tt.in), workers))
			if diff := cmp.Diff(tt.want, got, errEquate); diff != "" {
				t.Errorf("%s, %d workers (-want +got):\n%s", tt.name, workers, diff)
			}
		}
	}
}

// TestLinesTooLong checks that a line longer than MaxLine is reported as
// too large, never cut short, and that the next line is read.
func TestLinesTooLong(t *testing.T) {
	long := `{"id":"` + strings.Repeat("x", ingest.MaxLine) + `"}`
	atLimit := `{"id":"c-2","kind":"consumer","country":"FR","time_zone":"Europe/Paris","records":[]` +
		strings.Repeat(" ", ingest.MaxLine) + "}"
	atLimit = atLimit[:len(atLimit)-(len(atLimit)-ingest.MaxLine)-1] + "}"
	if len(atLimit) != ingest.MaxLine {
		t.Fatalf("line of %d bytes, want %d", len(atLimit), ingest.MaxLine)
	}
	for _, in := range []string{
		file(contactLine(1, 0, 0), long, atLimit) + long,
		contactLine(1, 0, 0) + "\r\n" + long + "\r\n" + atLimit + "\r\n" + long,
	} {
		for _, workers := range []int{1, 2} {
			got := collect(t, ingest.LinesN(iotest.HalfReader(strings.NewReader(in)), workers))
			want := []item{{Line: 1, ID: "c-1"}, {Line: 2, Err: consent.ErrTooLarge}, {Line: 3, ID: "c-2"},
				{Line: 4, Err: consent.ErrTooLarge}}
			if diff := cmp.Diff(want, got, errEquate); diff != "" {
				t.Errorf("%d workers (-want +got):\n%s", workers, diff)
			}
		}
	}
}

// TestLinesReadError checks that a failing input ends the iteration with
// its own error, after the lines read before it.
func TestLinesReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	for _, workers := range []int{1, 2} {
		r := io.MultiReader(strings.NewReader(file(contactLine(1, 0, 0), contactLine(2, 0, 0))), iotest.ErrReader(boom))
		got := collect(t, ingest.LinesN(r, workers))
		want := []item{{Line: 1, ID: "c-1"}, {Line: 2, ID: "c-2"}, {Err: boom}}
		if diff := cmp.Diff(want, got, errEquate); diff != "" {
			t.Errorf("%d workers (-want +got):\n%s", workers, diff)
		}
	}
}

// TestLinesOrder checks that parallel decoding yields every line, in order,
// over many batches, and that stopping early stops.
func TestLinesOrder(t *testing.T) {
	var b strings.Builder
	const n = 3000
	for i := range n {
		if i%97 == 5 {
			b.WriteString("{bad\n")
			continue
		}
		b.WriteString(contactLine(i, i%3, i%2) + "\n")
	}
	seq := collect(t, ingest.LinesN(strings.NewReader(b.String()), 1))
	par := collect(t, ingest.Lines(strings.NewReader(b.String())))
	par4 := collect(t, ingest.LinesN(strings.NewReader(b.String()), 4))
	if len(seq) != n {
		t.Fatalf("%d items for %d lines", len(seq), n)
	}
	for i, it := range seq {
		if it.Line != i+1 {
			t.Fatalf("item %d is line %d", i, it.Line)
		}
	}
	if diff := cmp.Diff(seq, par, errEquate); diff != "" {
		t.Errorf("Lines differs from one worker's decoding (-seq +par):\n%s", diff)
	}
	if diff := cmp.Diff(seq, par4, errEquate); diff != "" {
		t.Errorf("four workers differ from one (-seq +par):\n%s", diff)
	}
	count := 0
	for range ingest.LinesN(strings.NewReader(b.String()), 4) {
		if count++; count == 700 {
			break
		}
	}
	if count != 700 {
		t.Errorf("stopped after %d items, want 700", count)
	}
}
