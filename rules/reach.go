package rules

import (
	"slices"
	"strconv"
	"strings"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/internal/enum"
)

// Reach is a set's sender-side reach: the law of the set also applies to
// a message sent by a sender of one of the countries listed, wherever the
// recipient is (CASL applies to a message sent from a computer system in
// Canada, s. 12(2); the Spam Act to one with an "Australian link", s. 7;
// GDPR art. 3(1) to processing in the context of an establishment in the
// Union). In a rule file:
//
//	reach:
//	  senders: [CA]
//	  citation: CASL S.C. 2010 c. 23 s. 12(2) (message sent from a computer system in Canada)
//
// For a sender of a listed country, the set that applies is the sender's
// country's own set when the policy has one extending this set (directly
// or through others), else this set: the EU baseline's reach lists the
// member states, so a French sender brings the French set and a sender of
// a member state without a set of its own the baseline. A set reached
// only through its sender does not consult, for a recipient elsewhere,
// what exists only for recipients of its own country (its do-not-call
// registries for a number of another country).
type Reach struct {
	// Senders are the senders' countries (ISO 3166-1 alpha-2) the set
	// reaches, each once. Required when reach is given.
	Senders []address.Country `yaml:"senders"`
	// Channels are the channels the reach covers, each a channel of the
	// set, once: a law reaching messages sent from its territory may
	// govern only some media (CASL s. 6 and the Spam Act govern
	// commercial electronic messages, not telemarketing calls). Empty:
	// every channel of the set.
	Channels []consent.Channel `yaml:"channels,omitempty"`
	// Citation is the provision giving the law its reach. Required.
	Citation string `yaml:"citation"`
	// Note explains the reading to a reviewer; part of the policy version.
	Note string `yaml:"note,omitempty"`
}

// IsZero reports whether the set declares no reach.
func (r Reach) IsZero() bool {
	return len(r.Senders) == 0 && len(r.Channels) == 0 && r.Citation == "" && r.Note == ""
}

// Reaches reports whether the set's reach lists the sender country c.
func (r Reach) Reaches(c address.Country) bool { return !c.IsZero() && slices.Contains(r.Senders, c) }

// CountryOf returns the country of a jurisdiction code: the code itself
// for a country ("FR"), its first two letters for a subdivision
// ("US" for "US-FL"), and "" for the EU baseline or a malformed code.
func CountryOf(jurisdiction string) string {
	switch {
	case len(jurisdiction) == 2 && jurisdiction != "EU":
		return jurisdiction
	case IsSubdivision(jurisdiction):
		return jurisdiction[:2]
	}
	return ""
}

// IsSubdivision reports whether a jurisdiction code has the form of an
// ISO 3166-2 subdivision code: a country code, a hyphen and one to three
// upper-case letters or digits ("US-FL", "FR-57"). The country part is
// not checked here ([Check] does).
func IsSubdivision(code string) bool {
	if len(code) < 4 || len(code) > 6 || code[2] != '-' {
		return false
	}
	for i := range len(code) {
		c := code[i]
		switch {
		case i == 2:
		case i < 2 && 'A' <= c && c <= 'Z':
		case i > 2 && ('A' <= c && c <= 'Z' || '0' <= c && c <= '9'):
		default:
			return false
		}
	}
	return true
}

// nanp are the countries and territories of the North American Numbering
// Plan (country calling code 1; ITU-T E.164 assignment, NANPA): the only
// ones whose subdivisions may list area codes.
var nanp = []string{"AG", "AI", "AS", "BB", "BM", "BS", "CA", "DM", "DO", "GD", "GU", "JM", "KN", "KY", "LC", "MP", "MS",
	"PR", "SX", "TC", "TT", "US", "VC", "VG", "VI"}

// ValidAreaCode reports whether n has the form of a NANP area code
// (NPA): three digits, the first 2 to 9, not an N11 service code and not
// an N9X code (reserved for the plan's expansion).
func ValidAreaCode(n int) bool {
	return n >= 200 && n <= 999 && n%100 != 11 && (n/10)%10 != 9
}

// reach checks a set's subdivision form, area codes and reach.
func (ck *checker) reach(s *Set, byJ map[string]*Set) {
	sub := IsSubdivision(s.Jurisdiction)
	if sub && s.Extends != s.Jurisdiction[:2] {
		ck.badAt(s, "extends", "jurisdiction %s is a subdivision: it extends its country's set (extends: %s)", s.Jurisdiction, s.Jurisdiction[:2])
	}
	if codes := s.Parameters.AreaCodes; len(codes) > 0 || s.pos["parameters.area_codes"] != [2]int{} {
		switch {
		case !sub:
			ck.badAt(s, "parameters.area_codes", "parameters.area_codes: only a subdivision's set (jurisdiction: US-FL) lists the area codes presuming its residents")
		case !slices.Contains(nanp, s.Jurisdiction[:2]):
			ck.badAt(s, "parameters.area_codes", "parameters.area_codes: %s is not in the North American Numbering Plan, whose area codes these are", s.Jurisdiction[:2])
		case len(codes) == 0:
			ck.badAt(s, "parameters.area_codes", "parameters.area_codes: an empty list (leave the key out)")
		}
		for i, n := range codes {
			at := "parameters.area_codes[" + strconv.Itoa(i) + "]"
			switch {
			case !ValidAreaCode(n):
				ck.badAt(s, "parameters.area_codes", "%s: %d is not a NANP area code (200 to 999, not N11, not N9X)", at, n)
			case slices.Contains(codes[:i], n):
				ck.badAt(s, "parameters.area_codes", "%s: area code %d listed twice", at, n)
			}
		}
	}
	r := s.Reach
	if _, given := s.pos["reach"]; !given && r.IsZero() {
		return
	}
	switch {
	case sub:
		ck.badAt(s, "reach", "reach: a subdivision's set takes its country's reach; declare it on the country's set")
	case len(r.Senders) == 0:
		ck.badAt(s, "reach", "reach.senders: missing (the senders' countries the set reaches)")
	case strings.TrimSpace(r.Citation) == "":
		ck.badAt(s, "reach", "reach.citation: missing: reach rests on a provision")
	}
	for i, c := range r.Senders {
		switch {
		case c.IsZero():
			ck.badAt(s, "reach", "reach.senders[%d]: missing country", i)
		case slices.Contains(r.Senders[:i], c):
			ck.badAt(s, "reach", "reach.senders[%d]: %s listed twice", i, c)
		}
	}
	own := effectiveChannels(s, byJ)
	for i, ch := range r.Channels {
		switch {
		case !enum.Valid(ch) || ch == consent.AllChannels:
			ck.badAt(s, "reach", "reach.channels[%d]: %v is not a message channel", i, ch)
		case slices.Contains(r.Channels[:i], ch):
			ck.badAt(s, "reach", "reach.channels[%d]: %v listed twice", i, ch)
		case !slices.Contains(own, ch):
			ck.badAt(s, "reach", "reach.channels[%d]: %v is not a channel of set %s (%s)", i, ch, s.Jurisdiction, channelList(own))
		}
	}
}

// areaCodesOnce reports an area code listed by two subdivision sets: a
// number presumes one place.
func (ck *checker) areaCodesOnce(byJ map[string]*Set) {
	owner := map[int]string{}
	for _, code := range sortedKeys(byJ) {
		s := byJ[code]
		for _, n := range s.Parameters.AreaCodes {
			if prev, ok := owner[n]; ok && prev != code {
				ck.badAt(s, "parameters.area_codes", "parameters.area_codes: area code %d is also %s's: a number presumes one subdivision", n, prev)
				continue
			}
			owner[n] = code
		}
	}
}

// sortedKeys returns the keys of m, sorted.
func sortedKeys(m map[string]*Set) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
