package rules

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/internal/enum"
	"golang.org/x/text/language"
)

// Scope is where a house file's rules apply: applies_to in the file.
type Scope struct {
	// Jurisdictions are country codes of the policy's rule sets ("FR",
	// "BE"), or AllJurisdictions alone for every jurisdiction of the
	// policy. Required.
	Jurisdictions []string `yaml:"jurisdictions" json:"jurisdictions"`
	// Channels limit the house rules to these channels; empty (or [all])
	// means every channel a jurisdiction has rules for. A channel a
	// jurisdiction has no rules for is not applied there: its messages
	// are denied NO_RULES_FOR_CHANNEL before any rule runs.
	Channels []consent.Channel `yaml:"channels,omitempty" json:"channels,omitempty"`
}

// AllJurisdictions in [Scope.Jurisdictions] means every jurisdiction of
// the policy.
const AllJurisdictions = "all"

// Includes reports whether the scope covers the jurisdiction code (an
// upper-case ISO 3166-1 code, never EU) and, when ch is a message
// channel, the channel.
func (sc Scope) Includes(code string, ch consent.Channel) bool {
	if code == "EU" || !(slices.Contains(sc.Jurisdictions, AllJurisdictions) || slices.Contains(sc.Jurisdictions, code)) {
		return false
	}
	return sc.coversChannel(ch)
}

// coversChannel reports whether the scope covers channel ch (every
// channel covers AllChannels).
func (sc Scope) coversChannel(ch consent.Channel) bool {
	return ch == consent.AllChannels || len(sc.Channels) == 0 ||
		slices.Contains(sc.Channels, consent.AllChannels) || slices.Contains(sc.Channels, ch)
}

// houseName is the form of a house file's name.
var houseName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// placeholder finds what looks like a placeholder in a reason text: a
// house reason's text is fixed, so it cannot carry personal data.
var placeholder = regexp.MustCompile(`%|\{|\}|\$\(|<[a-zA-Z]`)

// houses checks the house files: each one's name, scope, parameters
// (windows only, with names no other set of the policy uses), obligations
// and reasons, and that its rules only deny or defer, on channels of its
// scope.
func (ck *checker) houses(sets []*Set, byJ map[string]*Set) {
	codes := make([]string, 0, len(byJ))
	windows := map[string]string{} // window name → the set that defines it
	for _, s := range sets {
		if s == nil {
			continue
		}
		if s.House == "" && byJ[s.Jurisdiction] == s && s.Jurisdiction != "EU" {
			codes = append(codes, s.Jurisdiction)
		}
		for _, w := range s.Parameters.Windows {
			if _, ok := windows[w.Name]; !ok && s.House == "" {
				windows[w.Name] = "rule set " + s.Jurisdiction
			}
		}
	}
	slices.Sort(codes)
	names := map[string]*Set{}
	reasons := map[string]*Set{}
	for _, s := range sets {
		if s == nil || s.House == "" {
			continue
		}
		switch {
		case !houseName.MatchString(s.House):
			ck.badAt(s, "house", "house %q: want a lower-case name of letters, digits and _", clip(s.House))
		case names[s.House] != nil:
			ck.badAt(s, "house", "house %s: defined twice (also in %s)", s.House, names[s.House].File)
		default:
			names[s.House] = s
		}
		if s.Extends != "" {
			ck.badAt(s, "extends", "a house file extends nothing: it applies where its applies_to says")
		}
		if len(s.Channels) > 0 {
			ck.badAt(s, "channels", "a house file has no channels: limit it with applies_to.channels")
		}
		if _, given := s.pos["reach"]; given || !s.Reach.IsZero() {
			ck.badAt(s, "reach", "a house file has no reach: it applies where its applies_to says")
		}
		ck.scope(s, byJ, codes)
		ck.language(s)
		p := s.Parameters
		for key, set := range map[string]bool{"digital_consent_age": p.DigitalConsentAge != 0, "minor_consent": p.MinorConsent != "",
			"mixed_messages": p.MixedMessages != "", "primary_purpose_channels": len(p.PrimaryPurposeChannels) > 0,
			"registries": len(p.Registries) > 0, "area_codes": len(p.AreaCodes) > 0,
			"max_indirect_consent_age_months": p.MaxIndirectConsentAgeMonths != 0} {
			if set {
				ck.badAt(s, "parameters."+key, "parameters.%s: a house file declares only windows (the jurisdiction's own %s applies)", key, key)
			}
		}
		ck.windows(s)
		for _, w := range s.Parameters.Windows {
			if other, ok := windows[w.Name]; ok && other != "house "+s.House {
				ck.badAt(s, "parameters.windows", "parameters.windows: window %s is already defined by %s: give the house's windows their own names", clip(w.Name), other)
			}
			if _, ok := windows[w.Name]; !ok {
				windows[w.Name] = "house " + s.House
			}
		}
		ck.obligations(s)
		ck.reasons(s, reasons)
		for i := range s.Rules {
			r := &s.Rules[i]
			switch r.Effect {
			case 0, Deny, Defer:
			default:
				ck.bad(s, r, "a house rule may only deny or defer, not %s: to relax a built-in rule, declare an override", r.Effect)
			}
			for _, ch := range r.Channels {
				if enum.Valid(ch) && ch != consent.AllChannels && !s.AppliesTo.coversChannel(ch) {
					ck.bad(s, r, "channels: %v is outside the house file's applies_to.channels (%s)", ch, channelNamesOf(s.AppliesTo.Channels))
				}
			}
		}
	}
}

// scope checks a house file's applies_to against the policy's
// jurisdictions, codes.
func (ck *checker) scope(s *Set, byJ map[string]*Set, codes []string) {
	sc := s.AppliesTo
	if _, given := s.pos["applies_to"]; !given && len(sc.Jurisdictions) == 0 && len(sc.Channels) == 0 {
		if len(s.Rules)+len(s.Obligations)+len(s.Parameters.Windows) > 0 { // a file of overrides only needs no scope
			ck.badAt(s, "house", "missing applies_to: a house file says where its rules apply (applies_to: {jurisdictions: [all]}, or a list of the policy's countries)")
		}
		return
	}
	if len(sc.Jurisdictions) == 0 {
		ck.badAt(s, "applies_to", "applies_to.jurisdictions: missing (all, or a list of the policy's countries)")
	}
	for i, code := range sc.Jurisdictions {
		at := "applies_to.jurisdictions[" + strconv.Itoa(i) + "]"
		switch {
		case code == AllJurisdictions:
			if len(sc.Jurisdictions) > 1 {
				ck.badAt(s, at, "applies_to.jurisdictions: all stands alone")
			}
		case code == "EU":
			ck.badAt(s, at, "applies_to.jurisdictions: EU is the base of the country sets, not a jurisdiction: name the countries, or all")
		case byJ[code] == nil:
			ck.badAt(s, at, "applies_to.jurisdictions: %q: the policy has no rule set for it%s", clip(code), suggestCode(code, codes))
		case slices.Contains(sc.Jurisdictions[:i], code):
			ck.badAt(s, at, "applies_to.jurisdictions: %s given twice", code)
		}
	}
	for i, ch := range sc.Channels {
		at := "applies_to.channels[" + strconv.Itoa(i) + "]"
		switch {
		case !enum.Valid(ch):
			ck.badAt(s, at, "applies_to.channels: %v is not a channel", ch)
		case ch == consent.AllChannels && len(sc.Channels) > 1:
			ck.badAt(s, at, "applies_to.channels: all stands alone")
		case slices.Contains(sc.Channels[:i], ch):
			ck.badAt(s, at, "applies_to.channels: %v given twice", ch)
		}
	}
}

// suggestCode is the end of a message about code, which is none of codes:
// the code differing from it only in case or, when code is no country
// (a typo), by one letter, when there is exactly one; or the list of them.
func suggestCode(code string, codes []string) string {
	var near []string
	for _, c := range codes {
		d := 0
		if len(c) == len(code) {
			for i := range len(c) {
				if c[i] != code[i] && !strings.EqualFold(c[i:i+1], code[i:i+1]) {
					d++
				}
			}
		}
		if strings.EqualFold(c, code) {
			return fmt.Sprintf(": did you mean %q?", c)
		}
		if len(c) == len(code) && d <= 1 && !isCountry(code) {
			near = append(near, c)
		}
	}
	if len(near) == 1 {
		return fmt.Sprintf(": did you mean %q?", near[0])
	}
	if len(codes) == 0 {
		return " (it has none)"
	}
	return " (it has " + strings.Join(codes, ", ") + ")"
}

// reasons checks a house file's reason codes and texts; seen holds the
// codes of the house files checked before it.
func (ck *checker) reasons(s *Set, seen map[string]*Set) {
	for _, code := range slices.Sorted(maps.Keys(s.Reasons)) {
		at := "reasons." + code
		texts := s.Reasons[code]
		switch {
		case !reasonCode.MatchString(code):
			ck.badAt(s, at, "reasons: %q: want a CAPS_WITH_UNDERSCORES code", clip(code))
		case seen[code] != nil:
			ck.badAt(s, at, "reasons: %s is also declared by %s", code, seen[code].File)
		default:
			seen[code] = s
		}
		if strings.TrimSpace(texts["en"]) == "" {
			ck.badAt(s, at, "reasons: %s: missing its English text (en)", clip(code))
		}
		for _, lang := range slices.Sorted(maps.Keys(texts)) {
			text := texts[lang]
			tag, err := language.Parse(lang)
			switch {
			case err != nil || tag.String() != lang:
				ck.badAt(s, at, "reasons: %s: %q is not a language tag (en, fr, de, de-CH, ...)", clip(code), clip(lang))
			case strings.TrimSpace(text) == "":
				ck.badAt(s, at, "reasons: %s: blank %s text", clip(code), lang)
			case placeholder.MatchString(text):
				ck.badAt(s, at, "reasons: %s: the %s text has a placeholder or markup: reason texts are fixed, so that they never carry personal data", clip(code), lang)
			}
		}
	}
}

// channelNamesOf lists channels for a message.
func channelNamesOf(chs []consent.Channel) string {
	names := make([]string, len(chs))
	for i, ch := range chs {
		names[i] = ch.String()
	}
	return strings.Join(names, ", ")
}

// ParseFile reads and parses one rule file, a jurisdiction's set or a
// house file, as [Parse] does; errors name path. A file that cannot be
// read is an [*Error] wrapping the reason (errors.Is(err,
// fs.ErrNotExist) holds for a missing file).
func ParseFile(path string) (*Set, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, ErrorList{{File: path, Msg: "reading: " + err.Error(), Err: err}}.Err()
	}
	defer f.Close()
	return parseReader(path, f)
}

// parseReader reads at most one byte more than [MaxFileSize] from r, so
// that a huge file is refused without being read whole, and parses it.
func parseReader(name string, r io.Reader) (*Set, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, ErrorList{{File: name, Msg: "reading: " + err.Error(), Err: err}}.Err()
	}
	return Parse(name, data)
}

// ParseFS parses the rule files of fsys that match the patterns
// ([fs.Glob] syntax, e.g. "house/*.yaml"), each file once, in lexical
// order of path. A pattern that matches no file is an error, so that a
// misspelt directory does not silently leave the house rules out. It
// returns every problem of every file, as one [ErrorList].
func ParseFS(fsys fs.FS, patterns ...string) ([]*Set, error) {
	paths, list := globFS(fsys, patterns, "rule")
	var out []*Set
	for _, p := range paths {
		s, err := parseFSFile(fsys, p)
		var el ErrorList
		switch {
		case errors.As(err, &el):
			list = append(list, el...)
		case err != nil: // never: Parse returns ErrorLists
			list = append(list, &Error{File: p, Msg: err.Error()})
		default:
			out = append(out, s)
		}
	}
	if err := list.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// globFS returns the paths of fsys the patterns match, each once, in
// lexical order, and an error for each bad pattern and each pattern that
// matches no file (of the kind named: "rule", "route"), so that a
// misspelt directory is never silently empty.
func globFS(fsys fs.FS, patterns []string, kind string) ([]string, ErrorList) {
	var paths []string
	var list ErrorList
	for _, pat := range patterns {
		matches, err := fs.Glob(fsys, pat)
		switch {
		case err != nil:
			list = append(list, &Error{File: pat, Msg: "bad pattern: " + err.Error(), Err: err})
		case len(matches) == 0:
			list = append(list, &Error{File: pat, Msg: "no " + kind + " file matches", Err: fs.ErrNotExist})
		}
		paths = append(paths, matches...)
	}
	slices.Sort(paths)
	return slices.Compact(paths), list
}

// parseFSFile opens and parses one file of fsys.
func parseFSFile(fsys fs.FS, path string) (*Set, error) {
	f, err := fsys.Open(path)
	if err != nil {
		return nil, ErrorList{{File: path, Msg: "reading: " + err.Error(), Err: err}}.Err()
	}
	defer f.Close()
	return parseReader(path, f)
}

// isCountry reports whether code is an upper-case ISO 3166-1 alpha-2 code.
func isCountry(code string) bool {
	c, err := address.ParseCountry(code)
	return err == nil && c.String() == code
}
