package consent

import (
	"strconv"

	"github.com/sendright/sendright/internal/canon"
)

// This file holds sender identity: consent, the soft opt-in and an objection
// belong to one legal person ("la même personne physique ou morale", CPCE
// L34-5 al. 4; ePrivacy Directive art. 13(2)), whatever the spelling of its
// name in a record, an interaction or a message.

// EntityKey returns the canonical key of a sender entity name: the form in
// which the library compares entity names everywhere (records, purchases,
// inquiries, support, contracts, erasure suppressions and the message's
// sender).
//
// The key is the name in Unicode NFKC, fully case-folded (so "STRASSE" and
// "Straße" agree, as do fullwidth "ＡＣＭＥ" and "ACME", and NFD and NFC
// accents), with every white space, punctuation, control and invisible
// format character removed (Unicode White_Space, P*, Cc, Cf, variation
// selectors and the other default-ignorable code points, such as the
// non-breaking space, the zero-width space and the byte order mark) and
// invalid UTF-8 dropped. So "ACME S.A.S.", "Acme SAS" and "acme sas" have
// one key, while "Acme SA" and "Acme SAS" do not: letters, digits, marks
// and symbols are never dropped. The spellings the law makes
// interchangeable for one legal form's designation, ending the name as
// words of their own, are one: "Example Ltd" and "Example Limited",
// "Example PLC" and "Example public limited company" (Companies Act 2006
// ss. 58-59), "Sampla Teo." and "Sampla Teoranta" (Companies Act 2014),
// while "Example Ltd" and "Example DAC" stay two. The key of a key is the
// key.
//
// A name whose key is empty ("…", "- -") names no entity: records refuse
// it and messages are invalid with it.
//
// EntityKey allocates the returned string; comparisons ([SameEntity],
// [Aliases.Same], [Ledger.State]) do not allocate.
func EntityKey(name string) string { return canon.EntityKey(name) }

// SameEntity reports whether two sender entity names have the same
// [EntityKey]: the same legal person spelt two ways. It does not know the
// host's aliases; see [Aliases.Same]. It does not allocate.
func SameEntity(a, b string) bool { return canon.SameEntity(a, b) }

// Aliases are the names a host declares for one legal person: several
// spellings or trading names, or a stable identifier such as a company
// number (SIREN, KBO/BCE number, Companies House number), used as sender
// entity in records, interactions, contracts or messages. Names in one
// group are the same sender for every comparison the engine makes.
//
// A group is one legal person only. An affiliate, a parent or a subsidiary
// is never an alias: consent is given to a controller and the soft opt-in
// is for "la même personne physique ou morale" (CPCE L34-5 al. 4; ePrivacy
// Directive art. 13(2); GDPR art. 4(11), consent is specific), so neither
// travels within a group of companies, and an objection addressed to one
// company binds that company.
//
// Names are compared by their [EntityKey], so a group needs one spelling
// of each name. Aliases are immutable and safe for concurrent use; a nil
// *Aliases declares none. Hosts configure them in the policy
// (eligibility.Params.EntityAliases), so that every decision uses them.
type Aliases canon.Aliases

// NewAliases returns the aliases of groups, each group the names of one
// legal person. A name with an empty [EntityKey], or whose key is in two
// groups, is a [*FieldError] wrapping [ErrInvalid], naming the position
// ("aliases[1][0]"), never the name.
func NewAliases(groups ...[]string) (*Aliases, error) {
	a := new(canon.Aliases)
	for gi, g := range groups {
		for ni, name := range g {
			field := "aliases[" + strconv.Itoa(gi) + "][" + strconv.Itoa(ni) + "]"
			if len(name) > maxIDLen {
				return nil, &FieldError{Field: field, Err: ErrTooLarge}
			}
			k := canon.EntityKey(name)
			if k == "" {
				return nil, invalid(field, "no letter, digit or symbol: names no entity")
			}
			if prev := a.Add(k, gi); prev >= 0 && prev != gi {
				return nil, invalid(field, "same entity as a name of aliases["+strconv.Itoa(prev)+"]: a legal person belongs to one group")
			}
		}
	}
	return (*Aliases)(a), nil
}

// Same reports whether two entity names are the same legal person: the
// same [EntityKey], or names of one alias group. It does not allocate.
func (a *Aliases) Same(x, y string) bool { return canon.SameAliased((*canon.Aliases)(a), x, y) }

// declares reports whether a (nil: none) puts name in an alias group: the
// host declared the names and identifiers of that legal person. It does
// not allocate for names of up to 256 bytes of key.
func (a *Aliases) declares(name string) bool {
	if a.canon().Empty() {
		return false
	}
	var buf [256]byte
	return canon.GroupOf(a.canon(), canon.AppendEntityKey(buf[:0], name)) >= 0
}

// canon returns the representation of a, for comparisons inside the package.
func (a *Aliases) canon() *canon.Aliases { return (*canon.Aliases)(a) }

// Product categories (a message's, a purchase's, a contract's, the members
// of a similarity group, the sector constants such as "energy_renovation")
// are compared by a canonical key, so that a spelling cannot escape a sector
// ban or miss a similar purchase: `Energy_Renovation`, ` energy_renovation`,
// `energy-renovation`, `energy renovation`, `energy.renovation`,
// `energy /renovation`, `energy\u200brenovation` (zero-width space) and the
// fullwidth `ｅｎｅｒｇｙ＿ｒｅｎｏｖａｔｉｏｎ` are one category.
//
// The key is the text in Unicode NFKC, fully case-folded (as for entity
// keys, see [EntityKey]), with every run of separators made one underscore,
// none at either end. A separator is any white space, punctuation, control
// or invisible format character: Unicode Z*, P*, Cc, Cf, variation
// selectors and the other default-ignorable code points (the zero-width
// space, the word joiner, the byte order mark, the soft hyphen), and invalid
// UTF-8. Letters, digits, marks and symbols are kept, so "energyrenovation"
// and "energy_renovation" stay different. The key of a key is the key.

// CategoryKey returns the canonical key of a product category, e.g.
// "energy_renovation" for " Energy-Renovation". It allocates only when s is
// not already canonical; compute the keys of stored values once.
func CategoryKey(s string) string { return canon.CategoryKey(s) }
