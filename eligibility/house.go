package eligibility

import (
	"cmp"
	"maps"
	"slices"
	"strings"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/internal/enum"
	"github.com/sendright/sendright/rules"
	"golang.org/x/text/language"
)

// narrowHouseChannels makes each rule of a house file limited to some
// channels (applies_to.channels) that names channels: [all] govern the
// house's channels, so that everything that asks which channels a rule
// governs (specialisation, traces, Policy.Rules) sees its scope. A scope
// with a channel that is not one is left alone: Check reports it.
func narrowHouseChannels(sets []*rules.Set) {
	for _, s := range sets {
		if s == nil || s.House == "" {
			continue
		}
		chs := s.AppliesTo.Channels
		if len(chs) == 0 || slices.Contains(chs, consent.AllChannels) ||
			slices.ContainsFunc(chs, func(ch consent.Channel) bool { return !enum.Valid(ch) }) {
			continue
		}
		for i := range s.Rules {
			if r := &s.Rules[i]; slices.Equal(r.Channels, []consent.Channel{consent.AllChannels}) {
				r.Channels = slices.Clone(chs)
			}
		}
	}
}

// applyHouses appends the rules of the house files whose scope includes
// j to j's tiers, after the jurisdiction's own (the law's reasons are
// reported first), and notes their obligations by channel. It returns
// the house files applied, whose windows j gets.
func (c *compiler) applyHouses(j *jurisdiction) []*rules.Set {
	var applied []*rules.Set
	for _, h := range c.houses {
		if !h.AppliesTo.Includes(j.code, consent.AllChannels) && !(j.country != j.code && h.AppliesTo.Includes(j.country, consent.AllChannels)) {
			continue
		}
		applied = append(applied, h)
		for i := range h.Rules {
			k := c.comp[&h.Rules[i]]
			j.tiers[k.rule.Effect] = append(j.tiers[k.rule.Effect], newTierRule(k))
		}
		for ch := consent.Email; ch < consent.AllChannels; ch++ {
			if h.AppliesTo.Includes(j.code, ch) || (j.country != j.code && h.AppliesTo.Includes(j.country, ch)) {
				j.houseObligations[ch] = append(j.houseObligations[ch], h.Obligations...)
			}
		}
	}
	return applied
}

// withMissing returns o plus those of refs it lacks: a house file adds
// duties to an allow, never replaces the citation of one the law imposes.
func withMissing(names []rules.Obligation, o Obligations, refs []rules.ObligationRef) Obligations {
	var add []rules.ObligationRef
	for _, r := range refs {
		if !o.Has(r.Obligation) && !slices.ContainsFunc(add, func(a rules.ObligationRef) bool { return a.Obligation == r.Obligation }) {
			add = append(add, r)
		}
	}
	return o.with(names, add)
}

// checkHouseReasons reports house rules whose reason code is neither a
// built-in code nor declared, with its English text, by the rule's own
// house file, and house files declaring a built-in code.
func (c *compiler) checkHouseReasons() {
	builtin := reasonCatalog().texts
	for _, s := range c.sets {
		if s == nil || s.House == "" {
			continue
		}
		for _, code := range slices.Sorted(maps.Keys(s.Reasons)) {
			if builtin[code] != nil {
				c.bad(s, nil, "reasons: %s is a built-in reason code: its texts come with the library (give the house's reason its own code)", code)
			}
		}
		for i := range s.Rules {
			r := &s.Rules[i]
			if r.Reason == "" || builtin[r.Reason] != nil {
				continue // a missing reason is Check's
			}
			if _, ok := s.Reasons[r.Reason]; !ok {
				c.bad(s, r, "reason %s is neither a built-in reason code nor declared under reasons: in this file, with its English text"+
					" (reasons: {%s: {en: \"...\", fr: \"...\", de: \"...\"}})", r.Reason, r.Reason)
			}
		}
	}
}

// houseReason is one house reason code's texts, by language, and the
// matcher over its languages (English first, the fallback).
type houseReason struct {
	tags    []language.Tag
	texts   []string
	matcher language.Matcher
}

// houseReasons builds the texts of the house files' reason codes.
func houseReasons(houses []*rules.Set) map[string]*houseReason {
	out := map[string]*houseReason{}
	for _, h := range houses {
		for code, texts := range h.Reasons {
			hr := &houseReason{tags: []language.Tag{language.English}, texts: []string{texts["en"]}}
			langs := make([]string, 0, len(texts))
			for lang := range texts {
				langs = append(langs, lang)
			}
			slices.Sort(langs)
			for _, lang := range langs {
				if lang == "en" {
					continue
				}
				tag, err := language.Parse(lang)
				if err != nil {
					continue // Check refused it
				}
				hr.tags, hr.texts = append(hr.tags, tag), append(hr.texts, texts[lang])
			}
			hr.matcher = language.NewMatcher(hr.tags)
			out[code] = hr
		}
	}
	return out
}

// ReasonText returns the message of a reason code in the language that
// best matches lang: for a code a house file of the policy declares, its
// text in the closest of the file's languages (English when none
// matches); for any other code, the built-in message ([ReasonText]). A
// code unknown to both is returned as is. Texts are fixed per code: they
// never contain personal data.
func (p *Policy) ReasonText(code string, lang language.Tag) string {
	if p != nil {
		if hr := p.houseReasons[code]; hr != nil {
			_, i, conf := hr.matcher.Match(lang)
			if conf == language.No || i < 0 || i >= len(hr.texts) {
				i = 0
			}
			return hr.texts[i]
		}
	}
	return ReasonText(code, lang)
}

// hashedHouse is what the policy version hashes of a house file beside
// the fields every set has.
type hashedHouse struct {
	House     string
	AppliesTo rules.Scope
	Reasons   map[string]map[string]string
}

// houseHash returns the house fields of s to hash, or nil for a
// jurisdiction's set.
func houseHash(s *rules.Set) *hashedHouse {
	if s.House == "" {
		return nil
	}
	return &hashedHouse{s.House, s.AppliesTo, s.Reasons}
}

// bySetName orders sets by jurisdiction and house files by name.
func bySetName(a, b *rules.Set) int {
	return cmp.Or(strings.Compare(a.Jurisdiction, b.Jurisdiction), strings.Compare(a.House, b.House))
}
