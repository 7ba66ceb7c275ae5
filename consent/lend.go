package consent

import (
	"unsafe"

	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/consent/calls"
)

// ContactDecoder decodes contacts one after another into a [Contact] it
// owns and lends to the caller: what [Contact.UnmarshalJSON] decodes, with
// the same errors, but into storage the decoder reuses from one contact to
// the next (the lists of records, interactions, addresses, attempts,
// sends and registry lookups keep their arrays), so that decoding a long
// list allocates almost nothing per contact. It is what package
// consent/ingest's LinesFunc decodes with.
//
// The contact Decode returns is lent until the next call of Decode: that
// call decodes into the same Contact and the same arrays. A caller must
// therefore not retain the *Contact, a copy of it (a copied Contact
// shares its slices and its ledger), nor any of its slices or its
// [Ledger], past that call, nor hand them to a goroutine that outlives
// it. Its strings and the values copied out of it (an [address.Address],
// a [Record], a time, a decision made from it, which holds no pointer into
// a contact) stay valid and never change. A contact to keep is decoded
// with [Contact.UnmarshalJSON] instead.
//
// The zero ContactDecoder is ready to use. A ContactDecoder is not safe
// for concurrent use: use one per goroutine.
type ContactDecoder struct {
	w  *wire
	c  Contact
	st lentStore
}

// Decode decodes, validates and normalises the contact b holds, exactly as
// [Contact.UnmarshalJSON] does, and returns it, lent until the next call
// (see [ContactDecoder]). On an error it returns nil and the error,
// a [*FieldError] as UnmarshalJSON's.
func (d *ContactDecoder) Decode(b []byte) (*Contact, error) {
	if d.w == nil {
		// The decoder's own: its mirror dies with each document.
		d.w = &wire{lend: &d.st, scratch: true}
	}
	w := d.w
	w.contact.empty() // the previous contact's storage is reused below
	j := &w.contact
	if err := decodeWireWith(w, b, j, readContact); err != nil {
		return nil, err
	}
	if err := j.contact(w, &d.st, &d.c); err != nil {
		d.c = Contact{}
		return nil, err
	}
	return &d.c, nil
}

// lentStore is the storage of the contact a [ContactDecoder] lends: the
// arrays of its lists, each reused by the next contact. Every list handed
// to the contact is clipped (its capacity is its length), so that
// appending to one never writes into the storage of another.
type lentStore struct {
	records    []Record
	keys       []string
	index      ledgerIndex
	purchases  []Interaction
	inquiries  []Interaction
	support    []Interaction
	responses  []Interaction
	collected  []address.Address // the Collected lists of all interactions
	registries []calls.RegistryCheck
	published  []address.Address
	attempts   []calls.Attempt
	sent       []Send
	contracts  []Contract
}

// The storage a mirror's list of attempts, sends or contracts is decoded
// into: the lent one, or none (nil: a new array) when st is nil.
func (st *lentStore) attemptsFresh() []calls.Attempt {
	if st == nil {
		return nil
	}
	return st.attempts[:0]
}

func (st *lentStore) sentFresh() []Send {
	if st == nil {
		return nil
	}
	return st.sent[:0]
}

func (st *lentStore) contractsFresh() []Contract {
	if st == nil {
		return nil
	}
	return st.contracts[:0]
}

// kept returns s clipped, for the contact, and keeps its array in *keep
// for the next one when it is the larger.
func kept[T any](keep *[]T, s []T) []T {
	if cap(s) > cap(*keep) {
		*keep = s[:0]
	}
	return s[:len(s):len(s)]
}

// lentList returns s, built by appending to *keep's storage, as the
// contact's list: clipped, nil when empty (as a list built by appending to
// nil is), and keeps its array for the next contact.
func lentList[T any](keep *[]T, s []T) []T {
	if s = kept(keep, s); len(s) == 0 {
		return nil
	}
	return s
}

// strArena makes the strings of lent contacts: a string is copied into a
// chunk of memory that is never written again once a string was made in
// it, so that a string copied out of a lent contact stays valid and never
// changes, like any Go string. A string keeps its chunk alive; chunks
// hold a few dozen contacts' strings, and long strings get their own.
type strArena struct {
	chunk []byte // the free end of the current chunk
}

// Sizes of the arena's chunks, and the longest string made in one.
const (
	arenaChunk = 8 << 10
	arenaMax   = 512
)

// string returns a string holding b's bytes.
func (a *strArena) string(b []byte) string {
	n := len(b)
	switch {
	case n == 0:
		return ""
	case n > arenaMax:
		return string(b)
	case n > len(a.chunk):
		a.chunk = make([]byte, arenaChunk)
	}
	s := a.chunk[:n:n]
	copy(s, b)
	a.chunk = a.chunk[n:]
	return unsafe.String(unsafe.SliceData(s), n)
}
