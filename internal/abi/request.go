package abi

import (
	"bytes"
	"io"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/internal/decode"
)

// requestDecoder decodes the requests of a batch one after another, as
// [eligibility.Request.UnmarshalJSON] decodes them, but faster: the
// contact into storage reused from one line to the next (a
// [consent.ContactDecoder]), and the message once for a run of lines that
// repeat it byte for byte, as the lines of one send do. It reads the
// request's envelope itself and hands any line it does not read exactly
// — an error anywhere, a null, a key it does not know — to
// Request.UnmarshalJSON, so a malformed line's error is that decoder's.
// A request it returns is lent until the next call (its contact is the
// ContactDecoder's). One per goroutine: a batch's worker keeps one, Decide
// borrows one from requestDecoders.
type requestDecoder struct {
	contacts consent.ContactDecoder
	dec      jsontext.Decoder
	rd       bytes.Reader
	msgRaw   []byte          // the last message decoded, its bytes
	msg      consent.Message // and its value
}

// decode decodes the request of l.
func (q *requestDecoder) decode(l []byte) (eligibility.Request, error) {
	if r, ok := q.fast(l); ok {
		return r, nil
	}
	var r eligibility.Request
	err := r.UnmarshalJSON(l)
	return r, err
}

// fast decodes a well-formed request; ok is false when it cannot say the
// request is one, and Request.UnmarshalJSON then decides.
func (q *requestDecoder) fast(l []byte) (r eligibility.Request, ok bool) {
	if len(l) > decode.MaxSize {
		return r, false
	}
	q.rd.Reset(l)
	q.dec.Reset(&q.rd)
	if t, err := q.dec.ReadToken(); err != nil || t.Kind() != '{' {
		return r, false
	}
	var contact, message []byte
	for q.dec.PeekKind() == '"' {
		// The name as its quoted bytes (valid until the next read): a
		// name written with escapes is left to Request.UnmarshalJSON.
		name, err := q.dec.ReadValue()
		if err != nil {
			return r, false
		}
		var dst *[]byte
		switch string(name) {
		case `"contact"`:
			dst = &contact
		case `"message"`:
			dst = &message
		case `"ref"`:
			t, err := q.dec.ReadToken()
			if err != nil || t.Kind() != '"' {
				return r, false
			}
			r.Ref = t.String()
			continue
		default:
			return r, false
		}
		v, err := q.dec.ReadValue()
		if err != nil || v.Kind() != '{' {
			return r, false
		}
		// The value as a slice of l, which outlives the decoder's buffer.
		end := q.dec.InputOffset()
		*dst = l[end-int64(len(v)) : end]
	}
	if t, err := q.dec.ReadToken(); err != nil || t.Kind() != '}' {
		return r, false
	}
	if _, err := q.dec.ReadToken(); err != io.EOF {
		return r, false
	}
	return q.parts(r, contact, message)
}

// parts decodes the request's contact and message, read by fast.
func (q *requestDecoder) parts(r eligibility.Request, contact, message []byte) (eligibility.Request, bool) {
	if contact == nil || message == nil || eligibility.CheckRef(r.Ref) != nil {
		return r, false
	}
	if !bytes.Equal(message, q.msgRaw) {
		q.msgRaw = q.msgRaw[:0]
		if err := q.msg.UnmarshalJSON(message); err != nil {
			return r, false
		}
		q.msgRaw = append(q.msgRaw, message...)
	}
	c, err := q.contacts.Decode(contact)
	if err != nil {
		return r, false
	}
	r.Contact, r.Message = c, q.msg
	return r, true
}
