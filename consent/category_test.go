package consent_test

import (
	"testing"

	"github.com/sendright/sendright/consent"
)

func TestCategoryKey(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"energy_renovation", "energy_renovation"},
		{"Energy_Renovation", "energy_renovation"},
		{" energy_renovation", "energy_renovation"},
		{"energy_renovation\t\n", "energy_renovation"},
		{"energy-renovation", "energy_renovation"},
		{"energy renovation", "energy_renovation"},
		{"ENERGY  --  RENOVATION", "energy_renovation"},
		{"__energy__renovation__", "energy_renovation"},
		{"energy\u00a0renovation", "energy_renovation"},  // no-break space
		{"energy\u2013renovation", "energy_renovation"},  // en dash
		{"energy\u200b_renovation", "energy_renovation"}, // zero-width space
		{"\ufeffenergy_renovation", "energy_renovation"}, // byte order mark
		{"energy\u00adrenovation", "energy_renovation"},  // soft hyphen
		{"energy\u200brenovation", "energy_renovation"},  // zero-width space alone
		{"energy\u2060renovation", "energy_renovation"},  // word joiner
		{"energy\u180erenovation", "energy_renovation"},  // Mongolian vowel separator (Cf)
		{"energy\ufe0frenovation", "energy_renovation"},  // variation selector
		{"\uff45\uff4e\uff45\uff52\uff47\uff59\uff3f\uff52\uff45\uff4e\uff4f\uff56\uff41\uff54\uff49\uff4f\uff4e", "energy_renovation"}, // fullwidth
		{"ＥＮＥＲＧＹ　ＲＥＮＯＶＡＴＩＯＮ", "energy_renovation"},                                                                                      // fullwidth, ideographic space
		{"energy.renovation", "energy_renovation"},
		{"energy /renovation", "energy_renovation"},
		{"energy\u2024renovation", "energy_renovation"}, // one dot leader: NFKC "."
		{"energy\u3001renovation", "energy_renovation"}, // ideographic comma
		{"energy\xffrenovation", "energy_renovation"},   // invalid UTF-8
		{"STRASSE", "strasse"},
		{"Straße", "strasse"},
		{"e\u0301lectrome\u0301nager", "électroménager"}, // NFD accents
		{"\u212aettles", "kettles"},                      // Kelvin sign
		{"ÉLECTROMÉNAGER", "électroménager"},
		{"kettles", "kettles"},
		{"", ""},
		{" - _ ", ""},
		{"books/paper", "books_paper"},
		{"a+b", "a+b"}, // symbols are kept
	}
	for _, tt := range tests {
		if got := consent.CategoryKey(tt.in); got != tt.want {
			t.Errorf("CategoryKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, pair := range [][2]string{{"energy_renovation", "energy_renovations"}, {"home_adaptation", "energy_renovation"},
		{"kettle", "kettles"}, {"energyrenovation", "energy_renovation"},
		{"a+b", "a_b"}, {"energy\u0301renovation", "energy_renovation"}} {
		if consent.CategoryKey(pair[0]) == consent.CategoryKey(pair[1]) {
			t.Errorf("CategoryKey(%q) == CategoryKey(%q), want different keys", pair[0], pair[1])
		}
	}
}
