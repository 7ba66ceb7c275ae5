package consent

import (
	"strconv"

	"github.com/sendright/sendright/internal/enum"
)

// Term is one element of the agreement a grant was captured with, beyond
// what every grant records (the number or address, [Record.Subject]; the
// sender entity, [Record.Sender]; the channel; the time). United States
// law asks for three in "prior express written consent" to telemarketing
// by automated means (47 CFR 64.1200(f)(9)): the person's signature, a
// clear authorisation of the seller to deliver such calls or texts by
// automated means, and a clear and conspicuous disclosure that agreeing is
// not a condition of purchase. Australian law asks about a fourth, the
// period the consent was expressed to be for ([Indefinite]). The host
// attests them from its proof ([Record.ProofRef]); the library never
// infers one.
//
// The zero Term, NoTerm, is no element: the rule language's
// writtenConsentMissing returns it when nothing is missing.
type Term uint8

// Terms of a written agreement. Stored forms use the names, never the
// numbers. Do not reorder.
const (
	// NoTerm is no element (text form "").
	NoTerm Term = iota
	// Signature: the agreement bears the person's signature, on paper or
	// in a form the E-SIGN Act (15 U.S.C. 7001) recognises: a ticked web
	// box, a text reply, a key press, a recorded voice. A grant captured
	// with [SignedForm] is signed whether or not it lists it.
	Signature
	// AutomatedMeans: the agreement clearly authorises the sender entity
	// to deliver marketing calls or texts by automated means (an automatic
	// dialling system, an artificial or prerecorded voice).
	AutomatedMeans
	// NotPurchaseCondition: the agreement discloses clearly and
	// conspicuously that the person need not agree, directly or
	// indirectly, as a condition of buying anything.
	NotPurchaseCondition
	// Indefinite: the consent was expressed to be for an indefinite
	// period (ongoing until withdrawn). Not an element of a written
	// agreement: writtenConsentMissing never names it. Australian law
	// takes an express consent to telemarketing calls not so expressed,
	// nor expressed to be for a specified period, to be withdrawn three
	// months after it was given (Do Not Call Register Act 2006 Sch. 2
	// cl. 3). A consent expressed to be for a specified period has no
	// term: the record holds no end date, so the three months apply to it
	// (conservative for a longer period); the host records a withdrawal
	// at the end of a shorter one.
	Indefinite
)

// lastTerm is the last member of Term.
const lastTerm = Indefinite

// lastWrittenTerm is the last element of a written agreement
// ([State.GrantMissing]).
const lastWrittenTerm = NotPurchaseCondition

var termNames = enum.WithZero[Term]("consent", "written consent term", "", "signature", "automated_means",
	"not_purchase_condition", "indefinite")

// String returns the text form, e.g. "signature", or "" for NoTerm.
func (t Term) String() string { return termNames.String(t) }

// MarshalText implements encoding.TextMarshaler: the text form, "" for
// NoTerm; an undefined Term is an error.
func (t Term) MarshalText() ([]byte, error) { return termNames.Marshal(t) }

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an
// error.
func (t *Term) UnmarshalText(b []byte) error { return termNames.Unmarshal(t, b) }

// Terms is a set of [Term]s: the elements the agreement contains.
// The zero Terms is the empty set. Its JSON form is an array of the
// names, in declaration order, e.g. ["signature", "automated_means"].
type Terms uint8

// TermsOf returns the set of ts; NoTerm adds nothing.
func TermsOf(ts ...Term) Terms {
	var s Terms
	for _, t := range ts {
		if t > NoTerm && t <= lastTerm {
			s |= 1 << (t - 1)
		}
	}
	return s
}

// Has reports whether t is in s; never for NoTerm.
func (s Terms) Has(t Term) bool { return t > NoTerm && t <= lastTerm && s&(1<<(t-1)) != 0 }

// List returns the members of s in declaration order.
func (s Terms) List() []Term {
	var out []Term
	for t := NoTerm + 1; t <= lastTerm; t++ {
		if s.Has(t) {
			out = append(out, t)
		}
	}
	return out
}

// valid reports whether s holds only defined terms.
func (s Terms) valid() bool { return s < 1<<lastTerm }

// MarshalJSON encodes s as an array of names in declaration order; a set
// holding an undefined term is an error.
func (s Terms) MarshalJSON() ([]byte, error) {
	if !s.valid() {
		return nil, termNames.Unknown("invalid(" + strconv.Itoa(int(s)) + ")")
	}
	b := []byte{'['}
	for i, t := range s.List() {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, t.String())
	}
	return append(b, ']'), nil
}

// UnmarshalJSON decodes an array of names strictly: an unknown name, the
// empty name or a name given twice is a [*FieldError] naming its index.
func (s *Terms) UnmarshalJSON(b []byte) error {
	var names []string
	if err := strictJSON(b, &names); err != nil {
		return err
	}
	n, err := parseTerms("", names)
	if err != nil {
		return err
	}
	*s = n
	return nil
}

// parseTerms parses a list of term names, each once; errors name the
// field "<field>[i]".
func parseTerms(field string, names []string) (Terms, error) {
	var s Terms
	for i, name := range names {
		field := func() string { return field + "[" + strconv.Itoa(i) + "]" } // on error only
		t, err := termNames.Parse(name)
		switch {
		case err != nil:
			return 0, &FieldError{Field: field(), Err: err}
		case t == NoTerm:
			return 0, missing(field())
		case s.Has(t):
			return 0, invalid(field(), "term given twice")
		}
		s |= TermsOf(t)
	}
	return s, nil
}
