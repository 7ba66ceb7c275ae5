package consent

import (
	"unicode"
	"unicode/utf8"
)

// Product categories (a message's, a purchase's, a contract's, the members
// of a similarity group, the sector constants such as "energy_renovation")
// are compared by a canonical key, so that a spelling cannot escape a sector
// ban or miss a similar purchase: `Energy_Renovation`, ` energy_renovation`,
// `energy-renovation` and `energy renovation` are one category.
//
// The key is the text case-folded, with invisible format characters (zero
// width spaces, byte order marks, soft hyphens) removed, and every run of
// spaces, hyphens, dashes and underscores made one underscore, none at
// either end.

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

// categoryBuf holds the key of any category of at most MaxIDLen bytes:
// case folding grows a rune by at most half its length.
const categoryBuf = 2 * MaxIDLen

// AppendCategoryKey appends the canonical key of s to dst: the
// allocation-free form of [CategoryKey] for callers with a buffer.
func AppendCategoryKey(dst []byte, s string) []byte {
	sep := false // a separator is pending
	start := len(dst)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c == ' ' || c == '-' || c == '_' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r':
				sep = true
				continue
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			}
			if sep && len(dst) > start {
				dst = append(dst, '_')
			}
			sep = false
			dst = append(dst, c)
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case unicode.Is(unicode.Cf, r):
			continue // invisible: zero-width space, BOM, soft hyphen
		case unicode.IsSpace(r) || unicode.Is(unicode.Pd, r):
			sep = true
			continue
		}
		if sep && len(dst) > start {
			dst = append(dst, '_')
		}
		sep = false
		dst = utf8.AppendRune(dst, fold(r))
	}
	return dst
}

// fold maps a rune to one representative of its case-folding orbit, the
// same for every member: K, k and the Kelvin sign K all give k.
func fold(r rune) rune {
	return unicode.ToLower(unicode.ToUpper(r))
}

// IsCategoryKey reports whether s is its own canonical key, cheaply and
// without allocating: the common case of categories already written
// canonically. It may answer false for some unusual keys (non-ASCII, control
// characters), which then take the slower path of [AppendCategoryKey].
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
		case c == '_' && prev == '_':
			return false
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '_':
		case c == ' ' || c == '-' || c < ' ' || ('A' <= c && c <= 'Z'):
			return false
		}
		prev = c
	}
	return true
}

// SameCategory reports whether two product categories have the same
// canonical key. It does not allocate for categories of at most MaxIDLen
// bytes.
func SameCategory(a, b string) bool {
	if a == b {
		return true
	}
	var ba, bb [categoryBuf]byte
	return string(AppendCategoryKey(ba[:0], a)) == string(AppendCategoryKey(bb[:0], b))
}

// MatchesCategoryKey reports whether category has the canonical key key
// (as [CategoryKey] returns it). It does not allocate for categories of at
// most MaxIDLen bytes.
func MatchesCategoryKey(category, key string) bool {
	if category == key {
		return true
	}
	if IsCategoryKey(category) {
		return false // canonical and different
	}
	var buf [categoryBuf]byte
	return string(AppendCategoryKey(buf[:0], category)) == key
}
