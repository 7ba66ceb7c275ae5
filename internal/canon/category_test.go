package canon_test

import (
	"testing"
	"unicode/utf8"

	"github.com/sendright/sendright/internal/canon"
)

func TestCategoryCompareDoesNotAllocate(t *testing.T) {
	n := testing.AllocsPerRun(100, func() {
		var buf [64]byte
		_ = canon.CategoryKey("energy_renovation")
		_ = canon.AppendCategoryKey(buf[:0], " Energy-Renovation")
		_ = canon.AppendCategoryKey(buf[:0], "energy /Renovation")
	})
	if n != 0 {
		t.Errorf("category comparisons allocate %v times, want 0", n)
	}
}

// FuzzCategoryKey: the key of a key is the key, and AppendCategoryKey
// agrees with CategoryKey.
func FuzzCategoryKey(f *testing.F) {
	for _, s := range []string{"energy_renovation", " Energy-Renovation ", "\u212aettles", "a\u200bb", "ß", "ẞ", "İ", "ı", "ς", "Σ", "\xff", "energy\u2060renovation", "ｅｎｅｒｇｙ＿ｒｅｎｏｖａｔｉｏｎ", "x‗", "\u200b\u0301x", "a._b", "\ufdfa"} {
		f.Add(s, "energy_renovation")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		ka, kb := canon.CategoryKey(a), canon.CategoryKey(b)
		if canon.IsCategoryKey(a) && ka != a {
			t.Errorf("IsCategoryKey(%q) = true, but its key is %q", a, ka)
		}
		if k := canon.CategoryKey(ka); k != ka {
			t.Errorf("CategoryKey(CategoryKey(%q)) = %q, want %q", a, k, ka)
		}
		if utf8.ValidString(a) && !utf8.ValidString(ka) {
			t.Errorf("CategoryKey(%q) = %q is not valid UTF-8", a, ka)
		}
		var buf [256]byte
		if got := string(canon.AppendCategoryKey(buf[:0], b)); got != kb {
			t.Errorf("AppendCategoryKey(%q) = %q, CategoryKey %q", b, got, kb)
		}
	})
}
