package abi

import (
	"bytes"

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
// — an error anywhere, a null, a key it does not know or written with
// escapes — to Request.UnmarshalJSON, so a malformed line's error is that
// decoder's. A request it returns is lent until the next call (its
// contact is the ContactDecoder's). One per goroutine: a batch's worker
// keeps one, Decide borrows one from requestDecoders.
type requestDecoder struct {
	contacts consent.ContactDecoder
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
//
// The envelope is read by envelope, which finds where the contact and
// the message begin and end without validating them: their own decoders
// do, strictly, and refuse anything that is not one well-formed object.
// So when both accept their bytes, each is a well-formed JSON object,
// whose end is the one a bracket count that steps over strings finds, and
// the line, envelope included, is the well-formed request
// Request.UnmarshalJSON reads the same way.
func (q *requestDecoder) fast(l []byte) (r eligibility.Request, ok bool) {
	if len(l) > decode.MaxSize {
		return r, false
	}
	ref, contact, message, ok := envelope(l)
	if !ok {
		return r, false
	}
	r.Ref = ref
	return q.parts(r, contact, message)
}

// envelope reads a request's members: ref (a string of printable ASCII
// without escapes), contact and message (each an object, its bytes a
// slice of l), each at most once, no other, in any order, with JSON's
// white space around the tokens and nothing after the request. ok is
// false for anything else, which Request.UnmarshalJSON decides.
func envelope(l []byte) (ref string, contact, message []byte, ok bool) {
	s := scan{b: l}
	if s.next() != '{' {
		return "", nil, nil, false
	}
	s.i++
	hasRef := false
	for first := true; ; first = false {
		switch c := s.next(); {
		case c == '}' && first:
			return "", nil, nil, false // no contact, no message
		case c == ',' && !first:
			s.i++
		case !first:
			return "", nil, nil, false
		}
		name, ok := s.plain()
		if !ok || s.next() != ':' {
			return "", nil, nil, false
		}
		s.i++
		switch string(name) {
		case "ref":
			v, ok := s.plain()
			if !ok || hasRef {
				return "", nil, nil, false
			}
			ref, hasRef = string(v), true
		case "contact":
			if contact != nil {
				return "", nil, nil, false
			}
			if contact, ok = s.object(); !ok {
				return "", nil, nil, false
			}
		case "message":
			if message != nil {
				return "", nil, nil, false
			}
			if message, ok = s.object(); !ok {
				return "", nil, nil, false
			}
		default:
			return "", nil, nil, false
		}
		if s.next() == '}' {
			s.i++
			break
		}
	}
	if s.next() != 0 || s.i != len(l) {
		return "", nil, nil, false
	}
	return ref, contact, message, true
}

// scan reads the tokens of a request's envelope.
type scan struct {
	b []byte
	i int
}

// next skips JSON's white space and returns the next byte, 0 at the end.
func (s *scan) next() byte {
	for ; s.i < len(s.b); s.i++ {
		switch c := s.b[s.i]; c {
		case ' ', '\t', '\n', '\r':
		default:
			return c
		}
	}
	return 0
}

// plain reads a string of printable ASCII without escapes and returns its
// text; ok is false for any other value.
func (s *scan) plain() (text []byte, ok bool) {
	if s.next() != '"' {
		return nil, false
	}
	start := s.i + 1
	for j := start; j < len(s.b); j++ {
		switch c := s.b[j]; {
		case c == '"':
			s.i = j + 1
			return s.b[start:j], true
		case c < 0x20 || c == '\\' || c > 0x7e:
			return nil, false
		}
	}
	return nil, false
}

// object steps over the value at the position, which must begin with
// '{', to the byte closing it: brackets counted, strings (escapes
// included) stepped over. It validates nothing else: its bytes go to a
// strict decoder, which refuses them unless they are one object.
func (s *scan) object() (v []byte, ok bool) {
	if s.next() != '{' {
		return nil, false
	}
	start, depth := s.i, 0
	for j := start; j < len(s.b); j++ {
		switch s.b[j] {
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth == 0 {
				s.i = j + 1
				return s.b[start : j+1], s.b[j] == '}'
			}
		case '"':
			for j++; j < len(s.b) && s.b[j] != '"'; j++ {
				if s.b[j] == '\\' {
					j++ // the escaped byte: a quote there does not end the string
				}
			}
		}
	}
	return nil, false
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
