package canon

import (
	"bytes"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
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
// and symbols are never dropped. The interchangeable spellings of a legal
// form's designation ending the name are one ([designations]: "Example
// Ltd" and "Example Limited"). The key of a key is the key.
//
// A name whose key is empty ("…", "- -") names no entity: records refuse
// it and messages are invalid with it.
//
// EntityKey allocates the returned string; comparisons ([SameEntity],
// [SameAliased], consent.Ledger.State) do not allocate.
func EntityKey(name string) string {
	var buf [64]byte
	return string(AppendEntityKey(buf[:0], name))
}

// SameEntity reports whether two sender entity names have the same
// [EntityKey]: the same legal person spelt two ways. It does not know the
// host's aliases; see [SameAliased]. It does not allocate.
func SameEntity(a, b string) bool {
	if a == b {
		return true
	}
	var buf [256]byte
	ka := AppendEntityKey(buf[:0], a)
	return KeyMatchesName(ka, b)
}

// asciiKey maps each ASCII byte to its byte in a key: the folded letter,
// digit or symbol, or 0 when the byte is dropped (space, punctuation,
// control). It agrees with the general path of [EntityKey].
var asciiKey = func() (t [utf8.RuneSelf]byte) {
	for c := range utf8.RuneSelf {
		if !droppedSlow(rune(c)) {
			t[c] = byte(unicode.ToLower(rune(c)))
		}
	}
	return t
}()

// dropped reports whether a rune is left out of entity keys: white
// space, punctuation, controls, format characters, variation selectors and
// the other default-ignorable code points, and U+FFFD (invalid UTF-8).
func dropped(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return droppedSlow(r)
	case unicode.IsLetter(r) || unicode.IsMark(r):
		// The common case; a few letters and marks are invisible fillers
		// or selectors.
		return unicode.In(r, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point)
	case unicode.IsDigit(r):
		return false
	}
	return droppedSlow(r)
}

func droppedSlow(r rune) bool {
	return r == utf8.RuneError || unicode.IsSpace(r) || unicode.IsPunct(r) ||
		unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zs, unicode.Zl, unicode.Zp,
			unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point)
}

// appendLatinKey appends the key of s when every rune of s is ASCII, a
// no-break space, a soft hyphen or in U+00C0-U+00FF (the accented letters
// of most Western European company names), or a rune of the runeKeys table
// that can be keyed alone, and reports false otherwise. For the Latin-1
// runes NFKC is the identity, no two compose, and full case folding is
// lower-casing, "ß" giving "ss".
func appendLatinKey(dst []byte, s string) ([]byte, bool) {
	n := len(dst)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if k := asciiKey[c]; k != 0 {
				dst = append(dst, k)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0xA0 || r == 0xAD: // no-break space, soft hyphen
		case r == 0xDF: // ß
			dst = append(dst, 's', 's')
		case r >= 0xC0 && r <= 0xDE && r != 0xD7:
			dst = utf8.AppendRune(dst, r+0x20)
		case r >= 0xC0 && r <= 0xFF:
			dst = utf8.AppendRune(dst, r)
		case r >= 0x100 && r < runeKeysEnd:
			k := runeKeys()[r-0x100]
			if !k.ok {
				return dst[:n], false
			}
			dst = append(dst, k.key...)
		default:
			return dst[:n], false
		}
		i += size
	}
	return dst, true
}

// runeKeysEnd bounds the table of runeKeys: Latin Extended-A and B, IPA,
// spacing modifiers, Greek, Cyrillic and its supplement, the letters of
// most European company names beyond Latin-1.
const runeKeysEnd = 0x530

// runeKey is the key of one rune, and whether it may be used rune by rune.
type runeKey struct {
	key string
	ok  bool
}

// runeKeys returns, for each rune from U+0100 to runeKeysEnd, its key as
// the Unicode path computes it, usable rune by rune (ok) when neither the
// rune nor its key has a character that composes with, or reorders
// around, a neighbour: then the key of a string of such runes is the
// concatenation of their keys. Built once, on first use.
var runeKeys = sync.OnceValue(func() []runeKey {
	kb := &keyBuilder{fold: cases.Fold()}
	t := make([]runeKey, runeKeysEnd-0x100)
	alone := func(r rune) bool {
		var b [utf8.UTFMax]byte
		p := norm.NFKC.Properties(b[:utf8.EncodeRune(b[:], r)])
		return p.CCC() == 0 && p.BoundaryBefore()
	}
	for r := rune(0x100); r < runeKeysEnd; r++ {
		k := string(kb.key(string(r)))
		ok := alone(r)
		for _, x := range k {
			ok = ok && alone(x)
		}
		t[r-0x100] = runeKey{k, ok}
	}
	return t
})

func asciiOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// KeyMatchesName reports whether key is the key of name, without
// allocating: on the fly for an ASCII name, through a pooled builder
// otherwise.
func KeyMatchesName[K string | []byte](key K, name string) bool {
	var buf [256]byte
	return string(AppendEntityKey(buf[:0], name)) == string(key)
}

// AppendEntityKey appends the key of name to dst. It allocates only when
// dst is too small.
func AppendEntityKey(dst []byte, name string) []byte {
	n := len(dst)
	if k, ok := appendLatinKey(dst, name); ok {
		return designate(k, n, name)
	}
	kb := getKeyBuilder()
	dst = append(dst, kb.key(name)...)
	keyBuilders.Put(kb)
	return designate(dst, n, name)
}

// designations are the statutory designations of a legal form that the
// law makes interchangeable, as keys: the first of each group is the one
// a key carries, the others are replaced by it when they end a name as
// words of their own. "Example Ltd" and "Example Limited" are one company
// (Companies Act 2006 ss. 58-59 and SI 2015/17: "limited" or "ltd.";
// "public limited company" or "p.l.c."; "limited liability partnership"
// or "llp"; the Welsh "cyfyngedig" or "cyf." and "cwmni cyfyngedig
// cyhoeddus" or "c.c.c."), as are "Sampla Teoranta" and "Sampla Teo."
// (Companies Act 2014: "limited" or "ltd.", "teoranta" or "teo.";
// "designated activity company" or "dac"; "company limited by guarantee"
// or "clg"; "unlimited company" or "uc"). Other legal forms stay distinct:
// "Example Ltd" and "Example DAC" are two companies. Longest first within
// a group; only ASCII forms.
var designations = [...][]string{
	{"plc", "publiclimitedcompany"},
	{"llp", "limitedliabilitypartnership"},
	{"ccc", "cwmnicyfyngedigcyhoeddus"},
	{"dac", "designatedactivitycompany"},
	{"clg", "companylimitedbyguarantee"},
	{"uc", "unlimitedcompany"},
	{"ltd", "limited"},
	{"cyf", "cyfyngedig"},
	{"teo", "teoranta"},
}

// designate replaces, in the key key[n:] of name, a designation of the
// legal form ending the name as words of its own by the form every
// spelling of it shares ([designations]); a name that is only a
// designation, or one that ends in one without a word boundary before it
// ("Acmelimited"), keeps its key. The key of a key is unchanged: a key has
// no boundaries.
func designate(key []byte, n int, name string) []byte {
	k := key[n:]
	if len(k) == 0 {
		return key
	}
	for _, d := range designationsByEnd[k[len(k)-1]] {
		if len(k) > len(d.form) && string(k[len(k)-len(d.form):]) == d.form && wordsEnd(name, len(d.form)) {
			return append(key[:len(key)-len(d.form)], d.key...)
		}
	}
	return key
}

// designationsByEnd are the spellings of [designations] that a key may
// end in, by their last byte, each with the form its group's keys carry,
// so that a key is compared only with those ending as it does (most keys
// with none).
var designationsByEnd = func() (t [256][]struct{ form, key string }) {
	for _, group := range designations {
		for _, form := range group[1:] {
			e := &t[form[len(form)-1]]
			*e = append(*e, struct{ form, key string }{form, group[0]})
		}
	}
	return t
}()

// wordsEnd reports whether the last m bytes of name's key come from whole
// ASCII words of name: the runes giving them are ASCII, and the rune
// before the first of them is one the key drops (a space, a point).
func wordsEnd(name string, m int) bool {
	i := len(name)
	for i > 0 && name[i-1] < utf8.RuneSelf && asciiKey[name[i-1]] == 0 {
		i-- // trailing spaces and points
	}
	for ; i > 0 && m > 0; i-- {
		c := name[i-1]
		switch {
		case c >= utf8.RuneSelf:
			return false
		case asciiKey[c] != 0:
			m--
		}
	}
	return m == 0 && i > 0 && name[i-1] < utf8.RuneSelf && asciiKey[name[i-1]] == 0
}

// HasEntityKey reports, without building the key, whether name has a
// non-empty key: whether a rune of name, or of its compatibility
// decomposition, is kept ("‗", dropped punctuation, decomposes to a space
// and a kept combining mark). FuzzEntityKey checks it against EntityKey.
func HasEntityKey(name string) bool {
	for _, r := range name {
		switch {
		case r < utf8.RuneSelf:
			if asciiKey[r] != 0 {
				return true
			}
		case !dropped(r):
			return true
		default:
			var b [utf8.UTFMax]byte
			d := norm.NFKC.Properties(b[:utf8.EncodeRune(b[:], r)]).Decomposition()
			for len(d) > 0 {
				x, n := utf8.DecodeRune(d)
				if !dropped(x) {
					return true
				}
				d = d[n:]
			}
		}
	}
	return false
}

// keyBuilder computes keys of non-ASCII names in buffers it keeps, so that
// a pooled builder computes them without allocating. A cases.Caser holds
// state, hence one per builder.
type keyBuilder struct {
	fold    cases.Caser
	nfkc    norm.Iter // holds its reorder buffer: norm.Form.Append would allocate one
	a, b, c []byte
}

// normalize appends the NFKC form of src to dst.
func (kb *keyBuilder) normalize(dst, src []byte) []byte {
	kb.nfkc.Init(norm.NFKC, src)
	for !kb.nfkc.Done() {
		dst = append(dst, kb.nfkc.Next()...)
	}
	return dst
}

var keyBuilders = sync.Pool{New: func() any {
	return &keyBuilder{fold: cases.Fold(), a: make([]byte, 0, 256), b: make([]byte, 0, 256), c: make([]byte, 0, 256)}
}}

func getKeyBuilder() *keyBuilder { return keyBuilders.Get().(*keyBuilder) }

// key returns the key of name, in a buffer of kb valid until kb's next use.
// One pass is NFKC, full case folding, NFKC again (folding can leave a
// string that is not in NFKC) and the removal of dropped runes; removing a
// rune can let its neighbours compose, so passes repeat until nothing
// changes (twice for most names).
func (kb *keyBuilder) key(name string) []byte { return kb.canonical(name, 0) }

// canonical is [keyBuilder.key] when sep is 0. Otherwise sep is itself a
// dropped rune and every run of dropped runes between two kept ones
// becomes one sep, as category keys want.
func (kb *keyBuilder) canonical(name string, sep rune) []byte {
	kb.c = append(kb.c[:0], name...)
	for range 8 {
		kb.a = kb.normalize(kb.a[:0], kb.c)
		var err error
		if kb.b, _, err = transform.Append(&kb.fold, kb.b[:0], kb.a); err != nil {
			kb.b = append(kb.b[:0], kb.a...) // not reached: folding valid text does not fail
		}
		kb.a = kb.normalize(kb.a[:0], kb.b)
		kb.b = kb.b[:0]
		pending := false // a separator is due before the next kept rune
		for i := 0; i < len(kb.a); {
			r, n := utf8.DecodeRune(kb.a[i:])
			i += n
			if dropped(r) || (sep != 0 && r == sep) {
				pending = sep != 0
				continue
			}
			if pending && len(kb.b) > 0 {
				kb.b = utf8.AppendRune(kb.b, sep)
			}
			pending = false
			kb.b = append(kb.b, kb.a[i-n:i]...)
		}
		if bytes.Equal(kb.b, kb.c) {
			break
		}
		kb.b, kb.c = kb.c, kb.b
	}
	return kb.c
}

// Aliases maps entity keys to alias groups. It is the representation of
// consent.Aliases, which is declared as a defined type of it, so that the
// engine converts a *consent.Aliases into the *Aliases a [Matcher] takes
// without consent exporting its internals.
type Aliases struct {
	group map[string]int // entity key → group index
}

// Add puts key in group and returns the group key was already in, or -1.
// It is for building aliases: Aliases are immutable once built.
func (a *Aliases) Add(key string, group int) int {
	if prev, ok := a.group[key]; ok {
		return prev
	}
	if a.group == nil {
		a.group = map[string]int{}
	}
	a.group[key] = group
	return -1
}

// SameAliased reports whether x and y are the same legal person under a
// (nil: no aliases): consent.Aliases.Same. It does not allocate.
func SameAliased(a *Aliases, x, y string) bool {
	var buf [256]byte
	m := Matcher{key: AppendEntityKey(buf[:0], x), aliases: a, set: true}
	m.group = GroupOf(a, m.key)
	return m.Match(y)
}

// Empty reports whether a (nil: no aliases) declares no alias.
func (a *Aliases) Empty() bool { return a == nil || len(a.group) == 0 }

// GroupOf returns the alias group of a key, or -1.
func GroupOf[K string | []byte](a *Aliases, key K) int {
	if a == nil || len(a.group) == 0 {
		return -1
	}
	if g, ok := a.group[string(key)]; ok {
		return g
	}
	return -1
}

// Matcher compares entity names with one sender entity, by [EntityKey] and
// through the host's aliases. Reset computes the sender's key once, into a
// buffer the matcher keeps, so that a matcher reused for decision after
// decision (the engine keeps one per pooled decision state) allocates
// nothing. The zero Matcher matches nothing until Reset. It is not safe for
// concurrent use.
type Matcher struct {
	key     []byte
	src     []byte // the sender key was computed for, copied (never the caller's string)
	group   int    // alias group of key; -1 for none
	aliases *Aliases
	set     bool
}

// Reset makes m match the entity sender under aliases (nil: none). Reset
// with the sender and aliases of the last Reset keeps the key computed
// then (a batch's decisions mostly share one sender): the sender's text
// is compared with a copy the matcher keeps, so a caller reusing the
// string's memory cannot make a stale key pass for a fresh one.
func (m *Matcher) Reset(sender string, aliases *Aliases) {
	if m.set && aliases == m.aliases && string(m.src) == sender {
		return
	}
	m.src = append(m.src[:0], sender...)
	m.key = AppendEntityKey(m.key[:0], sender)
	m.aliases, m.set = aliases, true
	m.group = GroupOf(aliases, m.key)
}

// Match reports whether name is the sender: the same key, or a name of the
// sender's alias group. A name with an empty key matches nothing.
func (m *Matcher) Match(name string) bool {
	if !m.set || len(m.key) == 0 {
		return false
	}
	if name == string(m.src) {
		return true // the sender's own text: its key is m.key
	}
	if m.group < 0 {
		return KeyMatchesName(m.key, name)
	}
	var buf [256]byte
	k := AppendEntityKey(buf[:0], name)
	return string(k) == string(m.key) || GroupOf(m.aliases, k) == m.group
}
