package eligibility

import (
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// ReasonInfo describes one reason code of the built-in rules or of the
// engine: the code a [Decision] carries in Reason, and its meaning in
// English.
type ReasonInfo struct {
	Code    string // e.g. "OBJECTION_ON_FILE"
	Meaning string // e.g. "The person objected to marketing from this sender on this channel."
}

// reasonText is one row of the message table: a code and its fixed text in
// each shipped language, in the order of reasonLangs.
type reasonText struct {
	code, en, fr, de string
}

// reasonLangs are the shipped languages, English first: English is the
// fallback when nothing else matches.
var reasonLangs = [...]language.Tag{language.English, language.French, language.German}

// reasonCatalog is built once, on first use: the catalog of every message,
// its matcher, and each message resolved through a printer per language,
// so that a look-up is a map read.
var reasonCatalog = sync.OnceValue(func() *reasonsBuilt {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	for _, r := range reasonTexts {
		for i, text := range [...]string{r.en, r.fr, r.de} {
			if err := b.SetString(reasonLangs[i], r.code, text); err != nil {
				panic("eligibility: reason message " + r.code + ": " + err.Error())
			}
		}
	}
	built := &reasonsBuilt{matcher: language.NewMatcher(reasonLangs[:]), texts: make(map[string]*[len(reasonLangs)]string, len(reasonTexts))}
	for i, tag := range reasonLangs {
		p := message.NewPrinter(tag, message.Catalog(b))
		for _, r := range reasonTexts {
			t := built.texts[r.code]
			if t == nil {
				t = new([len(reasonLangs)]string)
				built.texts[r.code] = t
			}
			t[i] = p.Sprintf(r.code)
		}
	}
	return built
})

// reasonsBuilt is the built catalog: a matcher over reasonLangs (in that
// order, so that its index is theirs and English its default) and the
// texts resolved from the catalog by code, indexed like reasonLangs.
type reasonsBuilt struct {
	matcher language.Matcher
	texts   map[string]*[len(reasonLangs)]string
}

// langIndex returns the index in reasonLangs of the shipped language that
// best matches tag: a tag whose base language is shipped is read directly
// (no allocation); any other goes through the catalog's matcher.
func (c *reasonsBuilt) langIndex(tag language.Tag) int {
	base, conf := tag.Base()
	if conf != language.No {
		for i, l := range reasonLangs {
			if lb, _ := l.Base(); lb == base {
				return i
			}
		}
	}
	_, i, conf := c.matcher.Match(tag)
	if conf == language.No || i < 0 || i >= len(reasonLangs) {
		return 0
	}
	return i
}

// ReasonText returns the message of a built-in reason code in the shipped
// language (English, French or German) that best matches lang; English
// when none does. The message is a fixed text per code: it never contains
// personal data. A code without a built-in message — a reason declared by a
// house file — is returned as is: its texts belong to the policy compiled
// with the file, and [Policy.ReasonText] gives them (and the built-in
// messages for every other code). A look-up of a shipped language does
// not allocate.
//
// The messages come from a [golang.org/x/text/message/catalog] built once
// per process.
func ReasonText(code string, lang language.Tag) string {
	c := reasonCatalog()
	t := c.texts[code]
	if t == nil {
		return code
	}
	return t[c.langIndex(lang)]
}

// ReasonText returns the message of d's reason code in the shipped
// language that best matches lang; see the function [ReasonText]. A
// decision does not carry its policy, so a house file's code comes back
// as is: use [Policy.ReasonText] with the policy that decided.
func (d Decision) ReasonText(lang language.Tag) string {
	return ReasonText(d.Reason, lang)
}

// MatchLanguage returns the shipped language of reason messages that best
// matches an HTTP Accept-Language value such as "de-CH, fr;q=0.8";
// English when the value is empty, malformed or names no shipped language.
func MatchLanguage(acceptLanguage string) language.Tag {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return language.English
	}
	_, i, conf := reasonCatalog().matcher.Match(tags...)
	if conf == language.No || i < 0 || i >= len(reasonLangs) {
		return language.English
	}
	return reasonLangs[i]
}

// Reasons returns every reason code of the built-in rules and of the
// engine with its meaning, sorted by code. The slice is the caller's.
func Reasons() []ReasonInfo {
	out := make([]ReasonInfo, len(reasonTexts))
	for i, r := range reasonTexts {
		out[i] = ReasonInfo{Code: r.code, Meaning: r.en}
	}
	slices.SortFunc(out, func(a, b ReasonInfo) int { return strings.Compare(a.Code, b.Code) })
	return out
}
