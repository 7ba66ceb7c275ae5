package rules

import (
	"fmt"
	"github.com/sendright/sendright/consent/calls"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/internal/enum"
)

// Check checks rule sets as data, before any condition is compiled: each
// house file's name, scope (applies_to, naming jurisdictions of the sets
// given), parameters (windows only), reasons, and that its rules only deny
// or defer (see "House files" in the package documentation); each
// set's jurisdiction (an ISO 3166-1 alpha-2 code or EU, defined once), its
// chain of bases (existing, without a cycle), its parameters, channels and
// obligations; each rule's own fields ([Rule.Check]), and that every
// channel a rule names is one of its set's (its own list, or its base's
// when it lists none); that rule ids are unique across the sets; and that
// each override ([Override]) names a rule, a justification and an owner,
// and no rule another override names. It returns every problem found, positioned and
// sorted by file and position, or nil. Conditions are checked by
// eligibility.Compile, which runs Check first.
func Check(sets []*Set) ErrorList {
	var ck checker
	byJ := ck.index(sets)
	ck.sets(byJ)
	ck.houses(sets, byJ)
	ids := map[string]*Set{}
	for _, s := range sets {
		if s == nil {
			continue
		}
		own := effectiveChannels(s, byJ)
		house := s.House != ""
		for i := range s.Rules {
			r := &s.Rules[i]
			if prev := ids[r.ID]; prev != nil && r.ID != "" {
				ck.bad(s, r, "id %s also used in %s", r.ID, prev.File)
			}
			ids[r.ID] = s
			for _, msg := range r.problems() {
				ck.bad(s, r, "%s", msg)
			}
			for _, ch := range r.Channels {
				if !house && enum.Valid(ch) && ch != consent.AllChannels && !slices.Contains(own, ch) {
					ck.bad(s, r, "channels: %v is not a channel of set %s (%s)", ch, clip(s.Jurisdiction), channelList(own))
				}
			}
		}
	}
	ck.overrides(sets)
	if len(ck.errs) == 0 {
		return nil
	}
	_ = ck.errs.Err() // sorts
	return ck.errs
}

// Check checks the rule's own fields — all but its condition, which only
// compilation can check: an id and a reason in CAPS_WITH_UNDERSCORES, an
// effect with the basis it allows, a citation, a condition, the channels it
// governs (at least one, each once, or all alone), a validity
// interval that is not empty, and obligations (on allow rules only) with
// their citations. It returns nil or an [ErrorList] positioned at the rule;
// the errors name no file, which [Check] adds.
func (r *Rule) Check() error {
	msgs := r.problems()
	if len(msgs) == 0 {
		return nil
	}
	pos := r.Position()
	l := make(ErrorList, 0, len(msgs))
	for _, m := range msgs {
		l = append(l, &Error{Rule: r.ID, Line: pos.Line, Column: pos.Column, Msg: m})
	}
	return l
}

// checker collects the problems [Check] finds.
type checker struct{ errs ErrorList }

// bad reports a problem in one of s's rules.
func (ck *checker) bad(s *Set, r *Rule, format string, args ...any) {
	pos := r.Position()
	ck.errs = append(ck.errs, &Error{File: s.File, Rule: r.ID, Line: pos.Line, Column: pos.Column, Msg: fmt.Sprintf(format, args...)})
}

// badAt reports a set-level problem at the position of a key.
func (ck *checker) badAt(s *Set, key, format string, args ...any) {
	p := s.keyPosition(key)
	ck.errs = append(ck.errs, &Error{File: s.File, Line: p.Line, Column: p.Column, Msg: fmt.Sprintf(format, args...)})
}

// index checks each set's jurisdiction and indexes the sets by it.
func (ck *checker) index(sets []*Set) map[string]*Set {
	byJ := make(map[string]*Set, len(sets))
	for _, s := range sets {
		switch {
		case s == nil:
			ck.errs = append(ck.errs, &Error{Msg: "nil rule set"})
			continue
		case s.House != "" && s.Jurisdiction != "":
			ck.badAt(s, "house", "a file is a jurisdiction's set (jurisdiction:) or a house file (house:), not both")
			continue
		case s.House != "":
			continue // a house file: checked by houses
		case s.Jurisdiction == "EU":
		case IsSubdivision(s.Jurisdiction):
			code, err := address.ParseCountry(s.Jurisdiction[:2])
			if err != nil || code.String() != s.Jurisdiction[:2] {
				ck.badAt(s, "jurisdiction", "jurisdiction %q: want an ISO 3166-2 subdivision code of a country (US-FL)", clip(s.Jurisdiction))
				continue
			}
		case len(s.Jurisdiction) != 2:
			ck.badAt(s, "jurisdiction", "jurisdiction %q: want an ISO 3166-1 alpha-2 code, EU, or an ISO 3166-2 subdivision code (US-FL)", clip(s.Jurisdiction))
			continue
		default:
			code, err := address.ParseCountry(s.Jurisdiction)
			if err != nil || code.String() != s.Jurisdiction {
				ck.badAt(s, "jurisdiction", "jurisdiction %q: want an upper-case ISO 3166-1 alpha-2 code (GB for the United Kingdom)", clip(s.Jurisdiction))
				continue
			}
		}
		if byJ[s.Jurisdiction] != nil {
			ck.badAt(s, "jurisdiction", "jurisdiction %s: defined twice", s.Jurisdiction)
			continue
		}
		byJ[s.Jurisdiction] = s
	}
	return byJ
}

// checkSets checks each set's base chain, parameters, channels and
// obligations.
func (ck *checker) sets(byJ map[string]*Set) {
	for _, s := range byJ {
		seen := map[string]bool{s.Jurisdiction: true}
		for b := s; b.Extends != ""; {
			next := byJ[b.Extends]
			if next == nil {
				ck.badAt(s, "extends", "extends %q: no such rule set", clip(b.Extends))
				break
			}
			if seen[next.Jurisdiction] {
				ck.badAt(s, "extends", "extends: cycle through %s", next.Jurisdiction)
				break
			}
			seen[next.Jurisdiction] = true
			b = next
		}
		ck.language(s)
		ck.reach(s, byJ)
		if m := s.Parameters.MinorConsent; m != "" && m != "parental" && m != "joint" {
			ck.badAt(s, "parameters.minor_consent", "parameters.minor_consent %q: want parental or joint", clip(m))
		}
		if m := s.Parameters.MixedMessages; m != "" && m != MixedAsMarketing {
			ck.badAt(s, "parameters.mixed_messages", "parameters.mixed_messages %q: want %s", clip(m), MixedAsMarketing)
		}
		seenPP := map[consent.Channel]bool{}
		for i, ch := range s.Parameters.PrimaryPurposeChannels {
			at := "parameters.primary_purpose_channels[" + strconv.Itoa(i) + "]"
			switch {
			case !enum.Valid(ch) || ch == consent.AllChannels:
				ck.badAt(s, at, "%s: %v is not a message channel", at, ch)
			case seenPP[ch]:
				ck.badAt(s, at, "%s: channel %v listed twice", at, ch)
			}
			seenPP[ch] = true
		}
		if a := s.Parameters.DigitalConsentAge; a != 0 && (a < 13 || a > 18) {
			ck.badAt(s, "parameters.digital_consent_age", "parameters.digital_consent_age %d: want 13 to 18", a)
		}
		if m := s.Parameters.MaxIndirectConsentAgeMonths; m < 0 || m > MaxIndirectConsentAgeMonths {
			ck.badAt(s, "parameters.max_indirect_consent_age_months", "parameters.max_indirect_consent_age_months %d: want 1 to %d", m, MaxIndirectConsentAgeMonths)
		}
		ck.windows(s)
		if _, given := s.pos["applies_to"]; given || len(s.AppliesTo.Jurisdictions)+len(s.AppliesTo.Channels) > 0 {
			ck.badAt(s, "applies_to", "applies_to belongs in a house file (house:); a jurisdiction's set applies to its jurisdiction")
		}
		if len(s.Reasons) > 0 {
			ck.badAt(s, "reasons", "reasons belong in a house file (house:); the built-in codes' texts come with the library")
		}
		seenReg := map[calls.Registry]bool{}
		for i, r := range s.Parameters.Registries {
			at := "parameters.registries[" + strconv.Itoa(i) + "]"
			switch {
			case !enum.Valid(r.Name):
				ck.badAt(s, at, "%s: name: want one of bloctel, dncm, tps, ctps, rpo, ndd, robinson, dncr, dncl, us_dnc, stop_publicidad, us_fl_dnc", at)
			case seenReg[r.Name]:
				ck.badAt(s, at, "%s: registry %s declared twice", at, r.Name)
			case r.EffectiveAfterDays < 0 || r.EffectiveAfterDays > 365:
				ck.badAt(s, at, "%s: effective_after_days %d: want 0 to 365", at, r.EffectiveAfterDays)
			case r.MaxAgeDays < 1 || r.MaxAgeDays > 3660:
				ck.badAt(s, at, "%s: max_age_days %d: want 1 to 3660", at, r.MaxAgeDays)
			}
			seenReg[r.Name] = true
		}
		for i, ch := range s.Channels {
			if !enum.Valid(ch) || ch == consent.AllChannels {
				ck.badAt(s, "channels["+strconv.Itoa(i)+"]", "channels: %v is not a message channel", ch)
			}
		}
		ck.obligations(s)
	}
	ck.areaCodesOnce(byJ)
}

// windows checks a set's windows: each well formed, each name once.
func (ck *checker) windows(s *Set) {
	names := map[string]bool{}
	for i := range s.Parameters.Windows {
		w := &s.Parameters.Windows[i]
		for _, msg := range w.problems() {
			ck.badAt(s, "parameters.windows", "parameters.windows: %s", msg)
		}
		if names[w.Name] {
			ck.badAt(s, "parameters.windows", "parameters.windows: window %s defined twice", clip(w.Name))
		}
		names[w.Name] = true
	}
}

// obligations checks that each of a set's obligations has its citation.
func (ck *checker) obligations(s *Set) {
	for i, o := range s.Obligations {
		if strings.TrimSpace(o.Citation) == "" {
			ck.badAt(s, "obligations["+strconv.Itoa(i)+"]", "obligation %s: missing citation", o.Obligation)
		}
	}
}

// effectiveChannels returns the channels of s: its own or, when it lists
// none, its nearest base's.
func effectiveChannels(s *Set, byJ map[string]*Set) []consent.Channel {
	seen := map[*Set]bool{}
	for b := s; b != nil && !seen[b]; b = byJ[b.Extends] {
		if len(b.Channels) > 0 {
			return b.Channels
		}
		seen[b] = true
		if b.Extends == "" {
			break
		}
	}
	return nil
}

// channelList is the text of a list of channels in a message.
func channelList(chs []consent.Channel) string {
	if len(chs) == 0 {
		return "it has none"
	}
	names := make([]string, len(chs))
	for i, ch := range chs {
		names[i] = ch.String()
	}
	return "it has " + strings.Join(names, ", ")
}

// Governs reports whether the rule applies to messages on channel ch: ch is
// one of its channels, or it names all channels (ch must then be a channel
// of the jurisdiction, which the compiler sees to).
func (r *Rule) Governs(ch consent.Channel) bool {
	if ch == consent.AllChannels {
		return false // a record scope, never a message's channel
	}
	for _, c := range r.Channels {
		if c == ch || c == consent.AllChannels {
			return true
		}
	}
	return false
}

// problems lists what is wrong with the rule's fields other than its
// condition.
func (r *Rule) problems() []string {
	var out []string
	fail := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	switch {
	case r.ID == "":
		fail("missing id")
	case !reasonCode.MatchString(r.ID):
		fail("id %q: want CAPS_WITH_UNDERSCORES", clip(r.ID))
	}
	if r.Effect == 0 {
		fail("missing effect (exempt, deny, defer, allow or no_basis)")
	}
	switch r.Effect {
	case Allow:
		if r.Basis == 0 || r.Basis == NoLegalBasis || r.Basis == Transactional {
			fail("an allow rule needs a basis: consent, soft_opt_in, b2b_opt_out, not_personal_data, non_commercial_opt_out, legitimate_interest or opt_out")
		}
	case Exempt:
		if r.Basis != Transactional {
			fail("an exempt rule has basis transactional")
		}
		if len(r.Obligations) > 0 {
			fail("an exempt rule has no obligations: it is outside marketing law")
		}
	case Deny, NoBasis, Defer:
		if r.Basis != 0 && r.Basis != NoLegalBasis {
			fail("a %s rule has no basis", r.Effect)
		}
		if len(r.Obligations) > 0 {
			fail("a %s rule has no obligations", r.Effect)
		}
	}
	if !reasonCode.MatchString(r.Reason) {
		fail("reason %q: want a CAPS_WITH_UNDERSCORES code", clip(r.Reason))
	}
	if strings.TrimSpace(r.Citation) == "" {
		fail("missing citation: every rule cites its law")
	}
	if strings.TrimSpace(r.Condition) == "" {
		fail("missing condition")
	}
	switch {
	case len(r.Channels) == 0:
		fail("missing channels: every rule names the channels it governs (a list, or [all])")
	case slices.Contains(r.Channels, consent.AllChannels) && len(r.Channels) > 1:
		fail("channels: all stands alone")
	}
	for i, ch := range r.Channels {
		switch {
		case !enum.Valid(ch):
			fail("channels: %v is not a channel", ch)
		case slices.Contains(r.Channels[:i], ch):
			fail("channels: %v given twice", ch)
		}
	}
	if !r.ValidFrom.IsZero() && !r.ValidUntil.IsZero() && !r.ValidFrom.Before(r.ValidUntil) {
		fail("valid_until must be after valid_from")
	}
	for _, o := range r.Obligations {
		if !o.Obligation.WellFormed() {
			fail("obligation: not an obligation's name")
		} else if strings.TrimSpace(o.Citation) == "" {
			fail("obligation %s: missing citation", o.Obligation)
		}
	}
	return out
}

// reasonCode is the form of rule ids and reason codes.
var reasonCode = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)

// language checks the language level a set declares.
func (ck *checker) language(s *Set) {
	switch {
	case s.Language > LanguageLevel:
		ck.badAt(s, "language", "language %d: the file is written for rule language level %d, and this library implements levels 1 to %d: upgrade the library",
			s.Language, s.Language, LanguageLevel)
	case s.Language < 0:
		ck.badAt(s, "language", "language %d: want a level from 1 to %d", s.Language, LanguageLevel)
	}
}
