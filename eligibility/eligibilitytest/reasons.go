package eligibilitytest

import (
	"maps"
	"slices"

	"github.com/sendright/sendright/eligibility"
)

// shippedLanguages are the languages every reason code has a text in:
// those of the built-in messages.
var shippedLanguages = []string{"en", "fr", "de"}

// CheckReasons reports, through t, each reason code a house file of
// policy declares without a text in every shipped language (English,
// French, German), and each whose French or German text is its English
// one (an untranslated copy). The built-in codes are checked by the
// library's own tests.
func CheckReasons(t TB, policy *eligibility.Policy) {
	t.Helper()
	for _, s := range policy.Sets() {
		for _, code := range slices.Sorted(maps.Keys(s.Reasons)) {
			texts := s.Reasons[code]
			for _, lang := range shippedLanguages {
				switch text, ok := texts[lang]; {
				case !ok || text == "":
					t.Errorf("%s: reason %s has no %s text", s.File, code, lang)
				case lang != "en" && text == texts["en"]:
					t.Errorf("%s: reason %s: the %s text is the English one", s.File, code, lang)
				}
			}
		}
	}
}
