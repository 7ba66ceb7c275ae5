package canon

import "unicode/utf8"

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
func CategoryKey(s string) string {
	if IsCategoryKey(s) {
		return s
	}
	var buf [categoryBuf]byte
	return string(AppendCategoryKey(buf[:0], s))
}

// categoryBuf holds the key of most categories of at most 256 bytes (the
// longest id or category consent accepts); a longer key (NFKC can expand a
// rune many times) makes append allocate.
const categoryBuf = 2 * 256

// AppendCategoryKey appends the canonical key of s to dst: the
// allocation-free form of [CategoryKey] for callers with a buffer large
// enough. An ASCII s is keyed byte by byte; any other goes through NFKC and
// case folding, with pooled buffers.
func AppendCategoryKey(dst []byte, s string) []byte {
	if !asciiOnly(s) {
		kb := getKeyBuilder()
		dst = append(dst, kb.categoryKey(s)...)
		keyBuilders.Put(kb)
		return dst
	}
	sep := false // a separator is pending
	start := len(dst)
	for i := 0; i < len(s); i++ {
		c := asciiKey[s[i]] // folded, or 0 for a separator
		if c == 0 {
			sep = true
			continue
		}
		if sep && len(dst) > start {
			dst = append(dst, '_')
		}
		sep = false
		dst = append(dst, c)
	}
	return dst
}

// categoryKey returns the category key of a name, in a buffer of kb valid
// until kb's next use: as [keyBuilder.key], with every run of separators
// (and underscores) made one underscore instead of dropped.
func (kb *keyBuilder) categoryKey(name string) []byte { return kb.canonical(name, '_') }

// IsCategoryKey reports whether s is its own canonical key, cheaply and
// without allocating: the common case of categories already written
// canonically. It answers false for every non-ASCII s, which then takes
// the slower path of [AppendCategoryKey].
func IsCategoryKey(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == '_' || s[len(s)-1] == '_' {
		return false
	}
	prev := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf:
			return false // non-ASCII: take the slow path
		case c == '_':
			if prev == '_' {
				return false
			}
		case c == 0 || asciiKey[c] != c:
			return false // upper case, or a separator other than '_'
		}
		prev = c
	}
	return true
}
