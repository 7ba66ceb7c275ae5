// Package ingest reads audiences in bulk: contacts in the documented JSON
// form of [consent.Contact], one per line (JSON Lines, [Lines]), and the
// CSV tables CRMs export — contacts, consent events, purchases — joined
// into contacts by a contact id through a configurable column mapping
// ([CSV]).
//
// Every contact is decoded and validated as [consent.Contact.UnmarshalJSON]
// does it: keys match exactly and appear once, unknown fields and values
// are errors. A bad line or row is reported as a [*LineError] with its
// line number, and reading goes on with the next one: no row is ever
// skipped silently, and nothing stops before the end of the input unless
// the input itself fails to be read. Memory stays constant whatever the
// length of a JSON Lines input: lines are bounded ([MaxLine]) and decoded
// in batches that are reused.
package ingest

import (
	"strconv"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/internal/limits"
)

// MaxLine bounds, in bytes, a line of JSON Lines (its terminator aside):
// the largest contact document decoded ([consent.MaxJSONSize]). A longer
// line is a [*LineError] wrapping [consent.ErrTooLarge], and reading goes
// on with the next line; it is never cut short.
const MaxLine = limits.MaxJSONSize

// Row is a contact decoded from the input and where it was read.
type Row struct {
	// Line is the line number of the contact in its input, from 1: its
	// line of JSON Lines, or the line its row of the contacts table
	// starts on.
	Line int
	// Contact is the decoded, validated contact. It is the caller's: the
	// decoder keeps no reference to it.
	Contact *consent.Contact
}

// LineError reports a line or row that could not be read as what it should
// hold. Its text names the table and the line, and the field at fault
// through Err, whose text never repeats the input (see
// [consent.FieldError]).
type LineError struct {
	// Table is the CSV table the row belongs to ("contacts", "events",
	// "purchases"), or "" for JSON Lines.
	Table string
	// Line is the line number, from 1 (for a CSV row, the line it starts
	// on).
	Line int
	// Err is the problem, a [*consent.FieldError] naming the field.
	Err error
}

// Error implements error.
func (e *LineError) Error() string {
	s := "line " + strconv.Itoa(e.Line) + ": " + e.Err.Error()
	if e.Table != "" {
		s = e.Table + " " + s
	}
	return "ingest: " + s
}

// Unwrap returns Err.
func (e *LineError) Unwrap() error { return e.Err }
