package abi

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/internal/decode"
	"github.com/sendright/sendright/internal/fielderr"
)

// campaignHeader is the first line of a campaign: the message, once.
type campaignHeader struct {
	Message *consent.Message `json:"message"`
}

// campaignLine is one line of a campaign's result.
type campaignLine struct {
	Line     int                   `json:"line"`
	ID       string                `json:"id,omitempty"`
	Decision *eligibility.Decision `json:"decision"`
	Error    *Error                `json:"error,omitempty"`
}

// Campaign decides one message for every contact of a list, with the
// policy of handle h: the campaign form of [Batch], for an audience. Its
// input is JSON Lines whose first line is the campaign,
//
//	{"message": {...}}
//
// the message in the JSON form of [consent.Message] (the "message" of a
// request), and whose other lines are contacts, one a line, in the JSON
// form of [consent.Contact] (the "contact" of a request). Each contact is
// decided as [Decide] decides the request {"contact": the line, "message":
// the campaign's}, and the result is JSON Lines in the order of the
// contacts, one per contact line:
//
//	{"line": 1, "id": "c-1", "decision": {...}}
//	{"line": 2, "decision": {"verdict": "deny", ...}, "error": {"code": "INVALID_REQUEST", "field": "contact.records[0].status", ...}}
//
// line numbers the contact lines from first (the line after the campaign's
// is 1 when first is 1; a first below 1 is 1: see [BatchFrom]), id is the
// contact's id when it decodes. A line that is not a contact (an empty
// line included) is never skipped: its result is an error, whose field is
// a path in the request form ("contact.…"), and the Go API's deny.
//
// The message is decoded once and each contact is decoded into storage
// reused from one contact to the next ([consent.ContactDecoder]), on
// every core: a campaign decides an audience several times faster than
// the same requests through Batch.
//
// A campaign refused as a whole — an unknown handle, a first line that is
// not a campaign, more than [MaxBatchLines] contacts or [MaxBatchSize]
// bytes, an internal error — gives one line numbered 0 with the error and
// a deny, which stands for every contact. Empty input is refused so.
func Campaign(h uint64, first int64, input []byte) (out []byte) {
	defer recovered(&out, func(e *Error) []byte { return refuse(&internalDeny, e) })
	pol, refused := batchPolicy(h, len(input))
	if refused != nil {
		return refused
	}
	head, contacts := cut(input)
	var c campaignHeader
	err := errNoCampaign
	if len(bytes.TrimSpace(head)) > 0 {
		err = decode.JSON(head, &c)
	}
	if err == nil && c.Message == nil {
		err = &consent.FieldError{Field: "message", Err: consent.ErrMissing}
	}
	if err != nil {
		d, e := undecodable(pol, fmt.Errorf("the campaign (the first line): %w", err))
		return refuse(&d, e)
	}
	chunks, n := chunksOf(contacts, MaxBatchLines)
	if n > MaxBatchLines {
		return refuseTooLarge(pol)
	}
	return campaign(pol, c.Message, chunks, len(contacts), n, firstLine(first))
}

// errNoCampaign is the error of a campaign without its first line.
var errNoCampaign = errors.New(`no campaign: the first line must be {"message": {...}}`)

// refuseTooLarge refuses a batch or a campaign over the bounds.
func refuseTooLarge(pol *eligibility.Policy) []byte {
	d, _ := pol.Decide(eligibility.Request{})
	d.Detail = "batch larger than " + strconv.Itoa(MaxBatchLines) + " lines or " + strconv.Itoa(MaxBatchSize) + " bytes"
	return refuse(&d, &Error{Code: CodeTooLarge, Message: d.Detail})
}

// campaign decides the n contact lines of chunks (size bytes in all) with
// pol and m, chunk by chunk on every core as [batch] does, each goroutine
// with its own [consent.ContactDecoder].
func campaign(pol *eligibility.Policy, m *consent.Message, chunks [][]byte, size, n, first int) []byte {
	return decideChunks(chunks, 2*size+n*256,
		func(out []byte, dec *consent.ContactDecoder, i int) []byte {
			return decideContacts(out, pol, dec, m, chunks[i], first+i*chunkLines)
		})
}

// decideContacts appends the results of the contact lines of chunk, the
// first numbered first.
func decideContacts(out []byte, pol *eligibility.Policy, dec *consent.ContactDecoder, m *consent.Message, chunk []byte, first int) []byte {
	for i, rest := first, chunk; len(rest) > 0; i++ {
		var l []byte
		l, rest = cut(rest)
		d, id, e := decideContact(pol, dec, m, l)
		out = appendCampaignLine(out, i, id, &d, e)
	}
	return out
}

// decideContact decodes one contact line and decides m for it; id is the
// contact's id.
func decideContact(pol *eligibility.Policy, dec *consent.ContactDecoder, m *consent.Message, l []byte) (eligibility.Decision, string, *Error) {
	if len(bytes.TrimSpace(l)) == 0 {
		d, e := undecodable(pol, errEmptyLine)
		return d, "", e
	}
	c, err := dec.Decode(l)
	if err != nil {
		d, e := undecodable(pol, inContact(err))
		return d, "", e
	}
	d, err := pol.Decide(eligibility.Request{Contact: c, Message: *m})
	if err != nil {
		return d, c.ID, errorOf(CodeInvalidRequest, err)
	}
	return d, c.ID, nil
}

// inContact re-roots a contact's field error under "contact", as in the
// request form.
func inContact(err error) error {
	var fe *consent.FieldError
	if !errors.As(err, &fe) {
		return err
	}
	if fe.Field == "" {
		return fielderr.WithField(fe, "contact")
	}
	return fielderr.WithField(fe, "contact."+fe.Field)
}

// chunksOf cuts lines into chunks of up to chunkLines lines, their ends
// kept, and counts the lines (a last line without its end included); it
// stops, with no chunk, when they are more than most.
func chunksOf(lines []byte, most int) (chunks [][]byte, n int) {
	for rest := lines; len(rest) > 0; {
		if n > most {
			return nil, n
		}
		end := 0
		for k := 0; k < chunkLines && end < len(rest); k++ {
			n++
			i := bytes.IndexByte(rest[end:], '\n')
			if i < 0 {
				end = len(rest)
				break
			}
			end += i + 1
		}
		chunks, rest = append(chunks, rest[:end]), rest[end:]
	}
	if n > most {
		return nil, n
	}
	return chunks, n
}
