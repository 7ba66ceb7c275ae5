package consent

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math/bits"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/consent/calls"
	"github.com/sendright/sendright/internal/canon"
)

// This file is the decoder of the contact form: a contact, its records,
// its relationship and its registry lookups, and a record or an
// interaction decoded alone. It reads the JSON mirror structs of those
// forms (contactIn, recordJSON, relationshipJSON, interactionJSON,
// registryJSON) member by member: each mirror has one method here with one
// case per member name, and a name that matches no case is an unknown
// field. Below the mirrors, a document is read by a scanner of plain JSON
// and, when that refuses it, by package jsontext (see [wire]). The decoder
// behaves exactly as [strictJSON] into the same mirror does, which it
// replaced (TestWireMatchesReflective and FuzzWire check it, and
// TestWireDecodesEveryMirrorField that every mirror field is decoded): the
// same values, and the first error in document order as the same
// [*FieldError].
//
// A member added to a mirror needs its case in the mirror's read method
// here (with a bit of its own: TestWireMembersHaveDistinctBits), read with
// the reader of its kind (str, word, instant, boolean, optStr, array or
// strList, raw for a type with its own UnmarshalJSON, or a read method for
// a nested object), and its conversion where the mirror becomes the
// contact (contactIn.contact, recordJSON.record, …). A contact decoded by
// a [ContactDecoder] is lent: a list of its that is built when converting
// it may use the lent storage (lentStore, lend.go) when st is not nil, or
// be allocated (correct, only slower); nothing in it may point into the
// mirror's slabs (strList's lists, optStr's strings), which the next
// document reuses.
//
// The rules it follows, those of strictJSON's decoder: a JSON null leaves
// a member zero; a string, a boolean or a time given a value of another
// kind is a wrong JSON type (the whole value is read first, so a syntax
// error inside it wins); an object or an array given another kind is a
// wrong JSON type right after its first token; an empty array is an empty,
// non-nil slice; the members of a type with an UnmarshalJSON method
// (calls.Attempt, Send, Contract) are handed to it, null included, and its
// error is kept, re-rooted at the member's path.

// wire is a decoder of one document of the contact form. Decoders are
// pooled: a document's decoding allocates nothing of its own.
//
// A document is read twice only when it is refused. The first reading
// (fast) scans the bytes itself, and accepts only the plainest JSON: no
// escape sequence, no number, nothing but what the mirrors read, and
// member names checked by the mirrors themselves (a name given twice in
// one object is caught by them, or inside a value handed to an
// UnmarshalJSON method by that method's own strict decoding). Anything
// else, error or not, ends it, and the second reading, with jsontext and
// its checks of syntax, UTF-8 and names, decodes the document afresh: its
// result, or the first error in document order, is the decoder's. The
// fast reading accepts nothing the strict one refuses, and what it
// accepts it decodes the same (FuzzWire checks both).
type wire struct {
	fast bool
	// The fast reading's state: the document, the position, and whether
	// an object or array was just opened (its first member or element is
	// not preceded by a comma).
	b    []byte
	i    int
	open bool

	dec jsontext.Decoder // the strict reading
	in  bytes.Buffer     // the document, which dec reads in place
	buf []byte           // unquoted text of a string with escapes
	// names holds short strings seen before (enumeration values, zone
	// names, senders, categories), so that the hundredth contact naming
	// "Maison Exemple SAS" shares the first one's string.
	names [internSlots]string
	// contact is the mirror a contact is decoded into, reused: the
	// arrays it only reads through (records, interactions, registry
	// lookups, addresses) keep their storage from one contact to the next.
	contact contactIn

	// scratch is set while the mirror being decoded dies with the
	// document (a contact's, converted before the decoder is released or
	// reused): the mirror's nested lists of strings and its nullable
	// strings are then carved from slabs the next document reuses (see
	// [wire.strList], [wire.optStr]). Off for a mirror handed back to the
	// caller (decodeWire), which outlives the decoder.
	scratch bool
	strs    []string // slab of the nested lists of strings
	nstrs   int      // how much of strs the document uses
	opts    []string // slab of the nullable strings
	nopts   int      // how much of opts the document uses

	// The country and time zone the last contact named, with what they
	// gave: a list's contacts mostly share them (see [wire.country],
	// [wire.zone]).
	countryText string
	countryLast address.Country
	zoneText    string
	zoneLast    *time.Location
	// next[m][k] is the member name that followed the member numbered
	// k-1 (k = 0: the first member) of mirror m the last time (see
	// [wire.nameAfter]).
	next [numMirrors][maxMembers]string
	// The entity key of the sender the last record named (see
	// [wire.entityKey]).
	senderText string
	senderKey  string

	// lend, when not nil, is the storage of the contact a [ContactDecoder]
	// lends: its strings are made in arena and its lists kept in lend.
	lend  *lentStore
	arena strArena
}

var wirePool = sync.Pool{New: func() any { return new(wire) }}

// decodeWire decodes b, exactly one JSON value, into v with read, after
// the size and depth checks every decoder runs first. Errors are
// [*FieldError]s, as [strictJSON]'s.
func decodeWire[T any](b []byte, v *T, read func(*wire, *T) error) error {
	w := getWire()
	defer w.release()
	return decodeWireWith(w, b, v, read)
}

// getWire returns a decoder from the pool; release returns it.
func getWire() *wire { return wirePool.Get().(*wire) }

// release returns w to the pool, keeping the capacity of its contact's
// mirror but nothing it held.
func (w *wire) release() {
	w.contact.reset()
	w.b, w.scratch = nil, false
	wirePool.Put(w)
}

// decode is [decodeWire] with w.
func decodeWireWith[T any](w *wire, b []byte, v *T, read func(*wire, *T) error) error {
	if len(b) > MaxJSONSize {
		return checkJSONLimits(b)
	}
	// The depth is checked only before the strict reading: a document the
	// fast one accepts nests no deeper than maxJSONDepth (the mirrors nest
	// at most 5 deep, and a value handed to an UnmarshalJSON method, inside
	// at most 3 containers, at most maxRawDepth; see [wire.skipValue]), so
	// the check would have let it through.
	w.fast, w.b, w.i, w.open = true, b, 0, false
	w.nstrs, w.nopts = 0, 0
	err := read(w, v)
	if err == nil {
		err = w.end()
	}
	if err != nil {
		var zero T
		*v = zero
		if err := checkJSONLimits(b); err != nil {
			return err
		}
		w.fast = false
		w.nstrs, w.nopts = 0, 0
		w.in = *bytes.NewBuffer(b)
		w.dec.Reset(&w.in)
		if err = read(w, v); err == nil {
			err = w.end()
		} else if err == io.EOF {
			err = w.truncated()
		}
		w.in = bytes.Buffer{}
		w.dec.Reset(&w.in)
	}
	if err != nil {
		return jsonErr(err)
	}
	return nil
}

// errFast ends the fast reading: the strict one takes over.
var errFast = errors.New("not plain JSON")

// end reports data after the document's value, as the reflective decoder
// does.
func (w *wire) end() error {
	if w.fast {
		if w.peek() != 0 || w.i != len(w.b) {
			return errFast
		}
		return nil
	}
	rest := w.dec.UnreadBuffer()
	i := 0
	for i < len(rest) && (rest[i] == ' ' || rest[i] == '\t' || rest[i] == '\n' || rest[i] == '\r') {
		i++
	}
	if i == len(rest) {
		return nil
	}
	return &jsontext.SyntacticError{ByteOffset: w.dec.InputOffset() + int64(i), Err: errTrailingData}
}

// truncated is the error of a document that ends before its value does.
func (w *wire) truncated() error {
	return &jsontext.SyntacticError{ByteOffset: w.dec.InputOffset() + int64(len(w.dec.UnreadBuffer())),
		Err: io.ErrUnexpectedEOF}
}

var (
	errTrailingData = errors.New("data after the top-level value")
	errNotString    = errors.New("not a JSON string")
)

// semantic is the error of the value just read: cause nil for a wrong
// JSON type.
func (w *wire) semantic(cause error) error {
	if w.fast {
		return errFast
	}
	return &json.SemanticError{JSONPointer: w.dec.StackPointer(), ByteOffset: w.dec.InputOffset(), Err: cause}
}

// unknown is the error of the member name just read, which names no field.
func (w *wire) unknown() error { return w.semantic(json.ErrUnknownName) }

// The fast reading's scanner.

// peek skips white space and returns the next byte, 0 at the end.
func (w *wire) peek() byte {
	for ; w.i < len(w.b); w.i++ {
		switch c := w.b[w.i]; c {
		case ' ', '\t', '\n', '\r':
		default:
			return c
		}
	}
	return 0
}

// literal consumes lit ("null", "true", "false") at the position.
func (w *wire) literal(lit string) bool {
	if len(w.b)-w.i >= len(lit) && string(w.b[w.i:w.i+len(lit)]) == lit {
		w.i += len(lit)
		return true
	}
	return false
}

// plainString consumes the string at the position (its opening quote) and
// returns its text: ok is false unless the string is plain, with no
// escape sequence, no control character and valid UTF-8.
func (w *wire) plainString() (s []byte, ok bool) {
	start, ascii := w.i+1, true
	j := start
	// Eight bytes at a time: the first byte that is not plain in a word is
	// the lowest one unplainMask flags.
	for len(w.b)-j >= 8 {
		m := unplainMask(binary.LittleEndian.Uint64(w.b[j:]))
		if m == 0 {
			j += 8
			continue
		}
		k := j + bits.TrailingZeros64(m)/8
		switch c := w.b[k]; {
		case c == '"':
			return w.endString(start, k, ascii)
		case c >= 0x80:
			ascii, j = false, k+1
		default: // an escape sequence or a control character
			return nil, false
		}
	}
	for ; j < len(w.b); j++ {
		c := w.b[j]
		switch {
		case plain[c]:
		case c == '"':
			return w.endString(start, j, ascii)
		case c >= 0x80:
			ascii = false
		default: // an escape sequence or a control character
			return nil, false
		}
	}
	return nil, false
}

// endString ends the plain string whose text is w.b[start:end], the
// closing quote at end: ok is false when the text is not valid UTF-8.
func (w *wire) endString(start, end int, ascii bool) (s []byte, ok bool) {
	s = w.b[start:end]
	if !ascii && !utf8.Valid(s) {
		return nil, false
	}
	w.i = end + 1
	return s, true
}

// unplainMask flags, by its high bit, each byte of x that is not [plain]
// (not printable ASCII, or a quote or a backslash), and may flag bytes
// above the lowest one flagged; the lowest one flagged is the first byte
// of x (in memory order, x read little-endian) that is not plain, and x
// has one exactly when the mask is not zero. A byte of 0x80 or more sets
// its own high bit and borrows nothing; (x-0x20…)&^x flags a byte below
// 0x20, (q-1…)&^q with q = x^0x22… a quote, (b-1…)&^b a backslash, and
// their borrows run only from such a byte upwards (TestUnplain checks
// it).
func unplainMask(x uint64) uint64 {
	const ones, high = 0x0101010101010101, 0x8080808080808080
	q, b := x^('"'*ones), x^('\\'*ones)
	return ((x-0x20*ones)&^x | (q-ones)&^q | (b-ones)&^b | x) & high
}

// plain holds the bytes a plain string's text is made of without a
// second look: printable ASCII but the quote and the backslash.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// skipValue consumes a value the fast reading accepts (strings without
// escapes, literals, objects and arrays of those, nested at most
// maxRawDepth deep: no number) and returns it; nest is the number of
// containers of the value it is in (0 for the value itself). The value is
// handed to an UnmarshalJSON method, which checks it strictly.
func (w *wire) skipValue(nest int) ([]byte, bool) {
	c := w.peek()
	start := w.i
	switch c {
	case '"':
		if _, ok := w.plainString(); !ok {
			return nil, false
		}
	case 't':
		if !w.literal("true") {
			return nil, false
		}
	case 'f':
		if !w.literal("false") {
			return nil, false
		}
	case 'n':
		if !w.literal("null") {
			return nil, false
		}
	case '{', '[':
		if nest == maxRawDepth {
			return nil, false
		}
		end := byte('}')
		if w.b[w.i] == '[' {
			end = ']'
		}
		w.i++
		for first := true; ; first = false {
			c := w.peek()
			if c == end {
				w.i++
				break
			}
			if !first {
				if c != ',' {
					return nil, false
				}
				w.i++
			}
			if end == '}' {
				if w.peek() != '"' {
					return nil, false
				}
				if _, ok := w.plainString(); !ok || w.peek() != ':' {
					return nil, false
				}
				w.i++
			}
			if _, ok := w.skipValue(nest + 1); !ok {
				return nil, false
			}
		}
	default:
		return nil, false
	}
	return w.b[start:w.i], true
}

// maxRawDepth is how deep the fast reading lets a value handed to an
// UnmarshalJSON method nest: a contract's is inside 3 containers (the
// contact, its relationship, the list of contracts), and maxJSONDepth
// bounds them all.
const maxRawDepth = maxJSONDepth - 3

// The readings' common steps.

// object reads the start of an object: ok is false for a null.
func (w *wire) object() (ok bool, err error) {
	if w.fast {
		switch w.peek() {
		case '{':
			w.i++
			w.open = true
			return true, nil
		case 'n':
			if w.literal("null") {
				return false, nil
			}
		}
		return false, errFast
	}
	tok, err := w.dec.ReadToken()
	if err != nil {
		return false, err
	}
	switch tok.Kind() {
	case '{':
		return true, nil
	case 'n':
		return false, nil
	}
	return false, w.semantic(nil)
}

// more reports whether the object or array being read has another member
// or element; at its end it reads the closing delimiter. A syntax error is
// left for the next read to report.
func (w *wire) more(end jsontext.Kind) (bool, error) {
	if w.fast {
		c := w.peek()
		if c == byte(end) {
			w.i++
			w.open = false
			return false, nil
		}
		if w.open {
			w.open = false
			return true, nil
		}
		if c != ',' {
			return false, errFast
		}
		w.i++
		return true, nil
	}
	switch w.dec.PeekKind() {
	case end:
		_, err := w.dec.ReadToken()
		return false, err
	}
	return true, nil
}

// name reads a member name, unquoted; valid until the next read.
func (w *wire) name() ([]byte, error) {
	if w.fast {
		if s, ok := w.shortName(); ok {
			return s, nil
		}
		if w.peek() != '"' {
			return nil, errFast
		}
		s, ok := w.plainString()
		if !ok || w.peek() != ':' {
			return nil, errFast
		}
		w.i++
		return s, nil
	}
	v, err := w.dec.ReadValue()
	if err != nil {
		return nil, err
	}
	return w.text(v)
}

// shortName reads the commonest member name: at the position, a plain
// ASCII name of at most 15 bytes and its colon straight after it, as in
// compact JSON, found from the masks of its first two words
// ([unplainMask]); ok is false for anything else, which name then reads
// with plainString (the same name and position, when both read it).
func (w *wire) shortName() ([]byte, bool) {
	i := w.i
	if len(w.b)-i < 18 || w.b[i] != '"' {
		return nil, false
	}
	j := i + 1
	m := unplainMask(binary.LittleEndian.Uint64(w.b[j:]))
	if m == 0 {
		j += 8
		m = unplainMask(binary.LittleEndian.Uint64(w.b[j:]))
	}
	if m == 0 {
		return nil, false
	}
	k := j + bits.TrailingZeros64(m)/8
	if w.b[k] != '"' || w.b[k+1] != ':' {
		return nil, false
	}
	w.i = k + 2
	return w.b[i+1 : k], true
}

// The mirrors whose member names nameAfter predicts.
const (
	mirrorContact = iota
	mirrorRelationship
	mirrorInteraction
	mirrorRecord
	mirrorRegistry
	numMirrors
)

// maxMembers bounds the members of a mirror whose successors nameAfter
// remembers: a member numbered from maxMembers on is not remembered.
const maxMembers = 23

// nameAfter is name, for a member of mirror m read after the member
// numbered after-1 (after is 0 for the first member): the fast reading
// first compares the document with the name that came next the last time
// (the documents of a list mostly name their members in one order), then
// reads the name as name does and remembers it. A name compared is one
// read before, followed by its quote and colon straight away: the same
// name and position as name gives.
func (w *wire) nameAfter(m, after int) ([]byte, error) {
	if !w.fast || after >= maxMembers {
		return w.name()
	}
	p := &w.next[m][after]
	if n := len(*p); n > 0 {
		i := w.i
		if len(w.b)-i > n+2 && w.b[i] == '"' && w.b[i+n+1] == '"' && w.b[i+n+2] == ':' && string(w.b[i+1:i+n+1]) == *p {
			w.i = i + n + 3
			return w.b[i+1 : i+n+1], nil
		}
	}
	name, err := w.name()
	if err == nil && len(name) > 0 && len(name) <= internMax {
		*p = w.intern(name)
	}
	return name, err
}

// text unquotes the JSON string v; valid until the next read.
func (w *wire) text(v jsontext.Value) ([]byte, error) {
	if bytes.IndexByte(v, '\\') < 0 {
		return v[1 : len(v)-1], nil
	}
	var err error
	w.buf, err = jsontext.AppendUnquote(w.buf[:0], v)
	return w.buf, err
}

// str reads a string member into dst.
func (w *wire) str(dst *string) error {
	b, null, err := w.stringBytes()
	if err == nil && !null {
		*dst = w.string(b)
	}
	return err
}

// string returns b as a string: made in the arena of a lent contact's
// strings, or allocated.
func (w *wire) string(b []byte) string {
	if w.lend != nil {
		return w.arena.string(b)
	}
	return string(b)
}

// word reads a string member into dst, sharing the string with earlier
// ones equal to it (see [wire.intern]): for values many contacts repeat.
func (w *wire) word(dst *string) error {
	b, null, err := w.stringBytes()
	if err == nil && !null {
		*dst = w.intern(b)
	}
	return err
}

// stringBytes reads a string value, unquoted; null is true for a null.
func (w *wire) stringBytes() (b []byte, null bool, err error) {
	if w.fast {
		switch w.peek() {
		case '"':
			if s, ok := w.plainString(); ok {
				return s, false, nil
			}
		case 'n':
			if w.literal("null") {
				return nil, true, nil
			}
		}
		return nil, false, errFast
	}
	v, err := w.dec.ReadValue()
	if err != nil {
		return nil, false, err
	}
	switch v.Kind() {
	case '"':
		b, err := w.text(v)
		return b, false, err
	case 'n':
		return nil, true, nil
	}
	return nil, false, w.semantic(nil)
}

// isNull reports whether the next value is a null, and reads it if so.
func (w *wire) isNull() (bool, error) {
	if w.fast {
		if w.peek() == 'n' {
			if w.literal("null") {
				return true, nil
			}
			return false, errFast
		}
		return false, nil
	}
	if w.dec.PeekKind() == 'n' {
		_, err := w.dec.ReadToken()
		return true, err
	}
	return false, nil
}

// optStr reads a string member that may be null into dst: nil for null.
func (w *wire) optStr(dst **string) error {
	if null, err := w.isNull(); null || err != nil {
		*dst = nil
		return err
	}
	var s *string
	if w.scratch {
		if w.nopts == len(w.opts) {
			// A new slab: the strings of the old one may still be pointed
			// to by the document's mirror, and are left as they are.
			w.opts, w.nopts = make([]string, max(16, 2*len(w.opts))), 0
		}
		s = &w.opts[w.nopts]
		w.nopts++
		*s = ""
	} else {
		s = new(string)
	}
	*dst = s
	return w.word(s)
}

// provenance reads a grant's provenance into dst: nil for null.
func (w *wire) provenance(dst **Provenance) error {
	if null, err := w.isNull(); null || err != nil {
		*dst = nil
		return err
	}
	p := new(Provenance)
	*dst = p
	return w.raw(p)
}

// boolean reads a boolean member into dst.
func (w *wire) boolean(dst *bool) error {
	if w.fast {
		switch {
		case w.peek() == 't' && w.literal("true"):
			*dst = true
		case w.peek() == 'f' && w.literal("false"), w.peek() == 'n' && w.literal("null"):
			*dst = false
		default:
			return errFast
		}
		return nil
	}
	tok, err := w.dec.ReadToken()
	if err != nil {
		return err
	}
	switch tok.Kind() {
	case 't':
		*dst = true
	case 'f', 'n':
		*dst = false
	default:
		return w.semantic(nil)
	}
	return nil
}

// instant reads an RFC 3339 time member into dst.
func (w *wire) instant(dst *time.Time) error {
	// The commonest timestamp, read in place: parseUTCSeconds accepts only
	// digits and separators, plain bytes the string would be scanned for.
	if i := w.i; w.fast && len(w.b)-i >= 22 && w.b[i] == '"' && w.b[i+21] == '"' {
		if t, ok := parseUTCSeconds(w.b[i+1 : i+21]); ok {
			w.i = i + 22
			*dst = t
			return nil
		}
	}
	b, null, err := w.stringBytes()
	switch {
	case err != nil:
		return err
	case null:
		*dst = time.Time{}
		return nil
	}
	t, err := parseRFC3339(b)
	if err != nil {
		return w.semantic(err)
	}
	*dst = t
	return nil
}

// errRFC3339 is a timestamp time.Time.UnmarshalText accepts that RFC 3339
// does not.
var errRFC3339 = errors.New("not an RFC 3339 timestamp")

// parseRFC3339 parses a timestamp as time.Time.UnmarshalText does, then
// refuses what RFC 3339's grammar does not allow and the time package
// tolerates: a one-digit hour, a comma before the fraction of a second,
// and an offset whose hours reach 24 or whose minutes reach 60. Those are
// the checks strictJSON's decoder makes, computed the same way.
func parseRFC3339(b []byte) (time.Time, error) {
	if t, ok := parseUTCSeconds(b); ok {
		return t, nil
	}
	var t time.Time
	if err := t.UnmarshalText(b); err != nil {
		return time.Time{}, err
	}
	const hour, frac = len("2006-01-02T") + 1, len("2006-01-02T15:04:05")
	if len(b) <= frac || b[hour] == ':' || b[frac] == ',' {
		return time.Time{}, errRFC3339
	}
	if n := len(b); b[n-1] != 'Z' {
		two := func(s []byte) byte { return 10*(s[0]-'0') + (s[1] - '0') } // as bytes, wrapping
		if two(b[n-5:]) >= 24 || two(b[n-2:]) >= 60 {
			return time.Time{}, errRFC3339
		}
	}
	return t, nil
}

// parseUTCSeconds parses the commonest timestamp, "2006-01-02T15:04:05Z"
// and nothing else, as time.Time.UnmarshalText does (time.Date in UTC);
// ok is false for any other text, valid or not, which parseRFC3339 then
// reads. TestParseUTCSeconds compares the two.
func parseUTCSeconds(b []byte) (t time.Time, ok bool) {
	if len(b) != len("2006-01-02T15:04:05Z") || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' ||
		b[16] != ':' || b[19] != 'Z' {
		return time.Time{}, false
	}
	// The fourteen digits, each checked once: no closure over ok.
	var d [14]int
	for k, i := range [14]uint8{0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18} {
		c := b[i] - '0'
		if c > 9 {
			return time.Time{}, false
		}
		d[k] = int(c)
	}
	y, mo, day := d[0]*1000+d[1]*100+d[2]*10+d[3], d[4]*10+d[5], d[6]*10+d[7]
	h, mi, sec := d[8]*10+d[9], d[10]*10+d[11], d[12]*10+d[13]
	if mo < 1 || mo > 12 || day < 1 || day > daysIn(mo, y) || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false
	}
	// Days since 1970-01-01 of the civil date (the proleptic Gregorian
	// calendar time.Date uses), counted in eras of 400 years from March.
	if mo <= 2 {
		y--
	}
	era := y / 400
	if y < 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (mo + 9) % 12
	doy := (153*mp+2)/5 + day - 1
	days := era*146097 + yoe*365 + yoe/4 - yoe/100 + doy - 719468
	return time.Unix(int64(days)*86400+int64(h*3600+mi*60+sec), 0).UTC(), true
}

// daysIn is the number of days of month mo (1 to 12) of year y.
func daysIn(mo, y int) int {
	switch mo {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// raw reads a member's value and hands it to dst's UnmarshalJSON, null
// included; its error is re-rooted at the member's path.
func (w *wire) raw(dst interface{ UnmarshalJSON([]byte) error }) error {
	var v []byte
	if w.fast {
		var ok bool
		if v, ok = w.skipValue(0); !ok {
			return errFast
		}
	} else {
		var err error
		if v, err = w.dec.ReadValue(); err != nil {
			return err
		}
	}
	if err := dst.UnmarshalJSON(v); err != nil {
		return w.semantic(err)
	}
	return nil
}

// textValue reads a string member with dst's UnmarshalText; null leaves
// it zero (zero sets it so).
func (w *wire) textValue(dst interface{ UnmarshalText([]byte) error }, zero func()) error {
	if null, err := w.isNull(); null || err != nil {
		if err == nil {
			zero()
		}
		return err
	}
	var b []byte
	if w.fast {
		if w.peek() != '"' {
			return errFast
		}
		var ok bool
		if b, ok = w.plainString(); !ok {
			return errFast
		}
	} else {
		v, err := w.dec.ReadValue()
		if err != nil {
			return err
		}
		if v.Kind() != '"' {
			return w.semantic(errNotString)
		}
		if b, err = w.text(v); err != nil {
			return err
		}
	}
	if err := dst.UnmarshalText(b); err != nil {
		return w.semantic(err)
	}
	return nil
}

// array reads an array member into dst, each element with elem; null
// leaves dst nil, and an empty array makes it empty, not nil.
func array[T any](w *wire, dst *[]T, elem func(*wire, *T) error) error {
	return arrayIn(w, dst, nil, elem)
}

// arrayIn is [array], appending to fresh (empty) when dst is nil; a nil
// fresh is an empty slice.
func arrayIn[T any](w *wire, dst *[]T, fresh []T, elem func(*wire, *T) error) error {
	if w.fast {
		switch w.peek() {
		case '[':
			w.i++
			w.open = true
		case 'n':
			if !w.literal("null") {
				return errFast
			}
			*dst = nil
			return nil
		default:
			return errFast
		}
	} else {
		tok, err := w.dec.ReadToken()
		if err != nil {
			return err
		}
		switch tok.Kind() {
		case '[':
		case 'n':
			*dst = nil
			return nil
		default:
			return w.semantic(nil)
		}
	}
	s := (*dst)[:0]
	if s == nil {
		s = fresh[:0]
	}
	if s == nil {
		s = []T{}
	}
	for {
		more, err := w.more(']')
		if err != nil || !more {
			*dst = s
			return err
		}
		var zero T
		s = append(s, zero)
		if err := elem(w, &s[len(s)-1]); err != nil {
			*dst = s
			return err
		}
	}
}

// strList reads an array of strings nested in a mirror into dst, each
// element with elem, as [array] does; with scratch on, the list is carved
// from the decoder's slab, which the next document reuses.
func (w *wire) strList(dst *[]string, elem func(*wire, *string) error) error {
	if !w.scratch || *dst != nil {
		return array(w, dst, elem)
	}
	if len(w.strs)-w.nstrs < 8 {
		// A new slab: the lists carved from the old one stay as they are.
		w.strs, w.nstrs = make([]string, max(64, 2*len(w.strs))), 0
	}
	fresh := w.strs[w.nstrs:w.nstrs:len(w.strs)]
	err := arrayIn(w, dst, fresh, elem)
	if s := *dst; len(s) > 0 && cap(s) == cap(fresh) && &s[0] == &w.strs[w.nstrs] {
		*dst = s[:len(s):len(s)]
		w.nstrs += len(s)
	}
	return err
}

// Element readers for array.
func (w *wire) strElem(dst *string) error                  { return w.str(dst) }
func (w *wire) wordElem(dst *string) error                 { return w.word(dst) }
func (w *wire) attemptElem(dst *calls.Attempt) error       { return w.raw(dst) }
func (w *wire) sendElem(dst *Send) error                   { return w.raw(dst) }
func (w *wire) contractElem(dst *Contract) error           { return w.raw(dst) }
func (w *wire) recordElem(dst *recordJSON) error           { return dst.read(w) }
func (w *wire) interactionElem(dst *interactionJSON) error { return dst.read(w) }
func (w *wire) registryElem(dst *registryJSON) error       { return dst.read(w) }

// internSlots is the size of a decoder's table of shared strings, and
// internMax the longest string kept in it.
const (
	internSlots = 512
	internMax   = 64
)

// intern returns b as a string, the one in the table when an equal string
// is there; the table keeps the last string of each slot.
func (w *wire) intern(b []byte) string {
	if len(b) == 0 || len(b) > internMax {
		return string(b)
	}
	// A cheap hash: a slot's string is replaced when another one takes it.
	h := uint32(len(b))*0x9E3779B1 ^ uint32(b[0])<<16 ^ uint32(b[len(b)/2])<<8 ^ uint32(b[len(b)-1])
	h ^= h >> 13
	slot := &w.names[h%internSlots]
	if *slot != string(b) {
		*slot = string(b)
	}
	return *slot
}

// country parses a contact's country as parseField with
// address.ParseCountry does, remembering the last one parsed.
func (w *wire) country(text string) (address.Country, error) {
	if text != "" && text == w.countryText {
		return w.countryLast, nil
	}
	c, err := parseField("contact.country", text, address.ParseCountry)
	if err == nil {
		w.countryText, w.countryLast = text, c
	}
	return c, err
}

// zone loads a contact's time zone with loadLocation, remembering the
// last one loaded.
func (w *wire) zone(name string) (*time.Location, error) {
	if name != "" && name == w.zoneText {
		return w.zoneLast, nil
	}
	loc, err := loadLocation(name)
	if err == nil {
		w.zoneText, w.zoneLast = name, loc
	}
	return loc, err
}

// entityKey returns the entity key of a record's sender (a name with a
// non-empty key), shared with earlier equal keys (see [wire.intern]), and
// remembers the last one computed: a list's records mostly name one
// sender.
func (w *wire) entityKey(sender string) string {
	if sender != w.senderText {
		var buf [64]byte
		w.senderText, w.senderKey = sender, w.intern(canon.AppendEntityKey(buf[:0], sender))
	}
	return w.senderKey
}

// read decodes a contact's mirror.
func (j *contactIn) read(w *wire) error {
	var seen uint64
	after := 0 // the member just read, numbered from 1: 0 before the first
	ok, err := w.object()
	if !ok {
		return err
	}
	for {
		more, err := w.more('}')
		if err != nil || !more {
			return err
		}
		name, err := w.nameAfter(mirrorContact, after)
		if err != nil {
			return err
		}
		var bit uint
		switch string(name) {
		case "id":
			bit, err = 0, w.str(&j.ID)
		case "kind":
			bit, err = 1, w.word(&j.Kind)
		case "country":
			bit, err = 2, w.word(&j.Country)
		case "region":
			bit, err = 3, w.word(&j.Region)
		case "time_zone":
			bit, err = 4, w.word(&j.TimeZone)
		case "birth_date":
			bit, err = 5, w.str(&j.BirthDate)
		case "email":
			bit, err = 6, w.str(&j.Email)
		case "phone":
			bit, err = 7, w.str(&j.Phone)
		case "push":
			bit, err = 8, w.str(&j.Push)
		case "postal":
			bit, err = 9, w.str(&j.Postal)
		case "push_permitted":
			bit, err = 10, w.boolean(&j.PushPermitted)
		case "collected_at":
			bit, err = 11, w.instant(&j.CollectedAt)
		case "job_role":
			bit, err = 12, w.word(&j.JobRole)
		case "opt_out_offered_at_collection":
			bit, err = 13, w.boolean(&j.OptOutOfferedAtCollection)
		case "published_for_marketing":
			bit, err = 14, array(w, &j.PublishedForMarketing, (*wire).strElem)
		case "relationship":
			bit, err = 15, j.Relationship.read(w)
		case "records":
			bit, err = 16, array(w, &j.Records, (*wire).recordElem)
		case "attempts":
			bit, err = 17, arrayIn(w, &j.Attempts, w.lend.attemptsFresh(), (*wire).attemptElem)
		case "sent":
			bit, err = 18, arrayIn(w, &j.Sent, w.lend.sentFresh(), (*wire).sendElem)
		case "registries":
			bit, err = 19, array(w, &j.Registries, (*wire).registryElem)
		default:
			return w.unknown()
		}
		if err != nil {
			return err
		}
		if err := once(&seen, bit); err != nil {
			return err
		}
		after = int(bit) + 1
	}
}

// read decodes a relationship's mirror.
func (r *relationshipJSON) read(w *wire) error {
	var seen uint64
	after := 0 // the member just read, numbered from 1: 0 before the first
	ok, err := w.object()
	if !ok {
		if err == nil {
			*r = relationshipJSON{}
		}
		return err
	}
	for {
		more, err := w.more('}')
		if err != nil || !more {
			return err
		}
		name, err := w.nameAfter(mirrorRelationship, after)
		if err != nil {
			return err
		}
		var bit uint
		switch string(name) {
		case "purchases":
			bit, err = 0, array(w, &r.Purchases, (*wire).interactionElem)
		case "inquiries":
			bit, err = 1, array(w, &r.Inquiries, (*wire).interactionElem)
		case "support":
			bit, err = 2, array(w, &r.Support, (*wire).interactionElem)
		case "contracts":
			bit, err = 3, arrayIn(w, &r.Contracts, w.lend.contractsFresh(), (*wire).contractElem)
		case "responses":
			bit, err = 4, array(w, &r.Responses, (*wire).interactionElem)
		default:
			return w.unknown()
		}
		if err != nil {
			return err
		}
		if err := once(&seen, bit); err != nil {
			return err
		}
		after = int(bit) + 1
	}
}

// read decodes an interaction's mirror.
func (e *interactionJSON) read(w *wire) error {
	var seen uint64
	after := 0 // the member just read, numbered from 1: 0 before the first
	ok, err := w.object()
	if !ok {
		return err
	}
	for {
		more, err := w.more('}')
		if err != nil || !more {
			return err
		}
		name, err := w.nameAfter(mirrorInteraction, after)
		if err != nil {
			return err
		}
		var bit uint
		switch string(name) {
		case "id":
			bit, err = 0, w.str(&e.ID)
		case "at":
			bit, err = 1, w.instant(&e.At)
		case "seller":
			bit, err = 2, w.word(&e.Seller)
		case "category":
			bit, err = 3, w.word(&e.Category)
		case "collected":
			bit, err = 4, w.strList(&e.Collected, (*wire).strElem)
		case "opt_out_offered":
			bit, err = 5, w.boolean(&e.OptOutOffered)
		case "refused":
			bit, err = 6, w.boolean(&e.Refused)
		default:
			return w.unknown()
		}
		if err != nil {
			return err
		}
		if err := once(&seen, bit); err != nil {
			return err
		}
		after = int(bit) + 1
	}
}

// read decodes a record's mirror.
func (r *recordJSON) read(w *wire) error {
	var seen uint64
	after := 0 // the member just read, numbered from 1: 0 before the first
	ok, err := w.object()
	if !ok {
		return err
	}
	for {
		more, err := w.more('}')
		if err != nil || !more {
			return err
		}
		name, err := w.nameAfter(mirrorRecord, after)
		if err != nil {
			return err
		}
		var bit uint
		switch string(name) {
		case "id":
			bit, err = 0, w.str(&r.ID)
		case "subject":
			bit, err = 1, w.str(&r.Subject)
		case "purpose":
			bit, err = 2, w.word(&r.Purpose)
		case "channel":
			bit, err = 3, w.word(&r.Channel)
		case "sender":
			bit, err = 4, w.word(&r.Sender)
		case "status":
			bit, err = 5, w.word(&r.Status)
		case "at":
			bit, err = 6, w.instant(&r.At)
		case "method":
			bit, err = 7, w.optStr(&r.Method)
		case "source":
			bit, err = 8, w.word(&r.Source)
		case "wording_version":
			bit, err = 9, w.word(&r.WordingVersion)
		case "proof_ref":
			bit, err = 10, w.str(&r.ProofRef)
		case "confirmed_at":
			bit, err = 11, w.instant(&r.ConfirmedAt)
		case "opt_out_offered":
			bit, err = 12, w.boolean(&r.OptOutOffered)
		case "parental_consent":
			bit, err = 13, w.optStr(&r.Parental)
		case "terms":
			bit, err = 14, w.strList(&r.Terms, (*wire).wordElem)
		case "provenance":
			bit, err = 15, w.provenance(&r.Provenance)
		default:
			return w.unknown()
		}
		if err != nil {
			return err
		}
		if err := once(&seen, bit); err != nil {
			return err
		}
		after = int(bit) + 1
	}
}

// read decodes a registry lookup's mirror.
func (g *registryJSON) read(w *wire) error {
	var seen uint64
	after := 0 // the member just read, numbered from 1: 0 before the first
	ok, err := w.object()
	if !ok {
		return err
	}
	for {
		more, err := w.more('}')
		if err != nil || !more {
			return err
		}
		name, err := w.nameAfter(mirrorRegistry, after)
		if err != nil {
			return err
		}
		var bit uint
		switch string(name) {
		case "registry":
			bit, err = 0, w.textValue(&g.Registry, func() { g.Registry = 0 })
		case "number":
			bit, err = 1, w.str(&g.Number)
		case "listed":
			bit, err = 2, w.boolean(&g.Listed)
		case "listed_since":
			bit, err = 3, w.instant(&g.ListedSince)
		case "checked_at":
			bit, err = 4, w.instant(&g.CheckedAt)
		default:
			return w.unknown()
		}
		if err != nil {
			return err
		}
		if err := once(&seen, bit); err != nil {
			return err
		}
		after = int(bit) + 1
	}
}

// members reads an object's members, null leaving its mirror zero: for
// each, member reads the value of the member named name and returns the
// member's bit (a name given twice is a duplicate key), or returns
// w.unknown() for a name that is not the mirror's. For a mirror read by
// name alone, without the member order the contact form's mirrors predict
// (see [wire.nameAfter]).
func (w *wire) members(member func(name []byte) (uint, error)) error {
	var seen uint64
	if ok, err := w.object(); !ok {
		return err
	}
	for {
		more, err := w.more('}')
		if err != nil || !more {
			return err
		}
		name, err := w.name()
		if err != nil {
			return err
		}
		bit, err := member(name)
		if err != nil {
			return err
		}
		if err := once(&seen, bit); err != nil {
			return err
		}
	}
}

// once records the member numbered bit of an object, and refuses it when
// it was given before. A strict reading never gets here with a name given
// twice: jsontext refuses it first, as it reads the name.
func once(seen *uint64, bit uint) error {
	if *seen&(1<<bit) != 0 {
		return errDuplicateName
	}
	*seen |= 1 << bit
	return nil
}

var errDuplicateName = errors.New("member name given twice")

// reset empties j, keeping the storage of the arrays that are only read
// through, not those a contact keeps (attempts, sends, contracts), and
// nothing that storage held.
func (j *contactIn) reset() {
	r := &j.Relationship
	clear(j.Records)
	clear(j.Registries)
	clear(j.PublishedForMarketing)
	clear(r.Purchases)
	clear(r.Inquiries)
	clear(r.Support)
	clear(r.Responses)
	j.empty()
}

// empty is reset without clearing the arrays' elements, which hold the
// last document's strings until the next one overwrites them: arrayIn
// zeroes each element it appends before reading it. For a decoder's own
// mirror, reused at once.
func (j *contactIn) empty() {
	recs, regs, pub, r := j.Records, j.Registries, j.PublishedForMarketing, &j.Relationship
	*j = contactIn{Records: recs[:0], Registries: regs[:0], PublishedForMarketing: pub[:0],
		Relationship: relationshipJSON{Purchases: r.Purchases[:0], Inquiries: r.Inquiries[:0],
			Support: r.Support[:0], Responses: r.Responses[:0]}}
}

// addrParser parses the addresses of a contact's records and interactions
// with [address.Parse] and the contact's country, remembering the last
// few: a contact's grants and purchases mostly name one or two addresses,
// often the contact's own, and parsing one again would give the same
// Address.
type addrParser struct {
	country address.Country
	seen    [addrSeen]struct {
		text string          // a text parsed without error
		addr address.Address // what it gave
	}
	next int // the entry the next text parsed takes
}

// addrSeen is how many addresses an addrParser remembers.
const addrSeen = 4

func (p *addrParser) parse(s string) (address.Address, error) {
	for i := range p.seen {
		if e := &p.seen[i]; !e.addr.IsZero() && e.text == s {
			return e.addr, nil
		}
	}
	a, err := address.Parse(s, p.country)
	if err == nil {
		p.remember(s, a)
	}
	return a, err
}

// remember records that parsing s gives a.
func (p *addrParser) remember(s string, a address.Address) {
	p.seen[p.next].text, p.seen[p.next].addr = s, a
	p.next = (p.next + 1) % addrSeen
}

// Top-level readers for decodeWire.
func readContact(w *wire, j *contactIn) error           { return j.read(w) }
func readRecord(w *wire, r *recordJSON) error           { return r.read(w) }
func readInteraction(w *wire, e *interactionJSON) error { return e.read(w) }
func readLedger(w *wire, rs *[]recordJSON) error        { return array(w, rs, (*wire).recordElem) }
