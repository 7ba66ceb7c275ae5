package rules

import (
	"bytes"
	"encoding"
	"errors"
	"github.com/sendright/sendright/consent/calls"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sendright/sendright/consent"
	"go.yaml.in/yaml/v3"
)

// Set is the rules of one jurisdiction, as written in a rule file. A set may
// extend another (each EU country's set extends the EU baseline); the base is
// a common layer, never a fallback for a country without a set. A Set with
// House set instead of Jurisdiction is a house file: the host's own rules,
// applied in every jurisdiction of its scope (see "House files" in the
// package documentation).
type Set struct {
	// Jurisdiction is an ISO 3166-1 alpha-2 code ("FR", "GB"), "EU" for
	// the baseline that country sets extend, or an ISO 3166-2 subdivision
	// code ("US-FL") for a subdivision's set, which extends its country's
	// set and applies, instead of it, to a recipient in the subdivision
	// (declared in the contact's region, or presumed from the area code of
	// its phone number: see [SetParameters.AreaCodes]).
	Jurisdiction string `yaml:"jurisdiction"`
	// Extends names the set whose rules this one adds to.
	Extends string `yaml:"extends,omitempty"`
	// Title says what the set covers, for people.
	Title string `yaml:"title"`
	// Language is the level of the rule language the file was written
	// for ([LanguageLevel]); zero when it declares none. A file declaring
	// a level above the library's is an error of [Check], and one calling
	// a function introduced after its declared level does not compile, so
	// a declared file compiles on every library implementing its level.
	Language int `yaml:"language,omitempty"`
	// Channels lists the channels the set has rules for. A message on any
	// other channel is denied (NO_RULES_FOR_CHANNEL) rather than judged by
	// rules written for another medium. An extending set inherits its
	// base's list when it gives none.
	Channels []consent.Channel `yaml:"channels,omitempty"`
	// Parameters are the jurisdiction's numbers.
	Parameters SetParameters `yaml:"parameters,omitempty"`
	// Obligations apply to every message an allow rule of this set (or of a
	// set extending it) lets through.
	Obligations []ObligationRef `yaml:"obligations,omitempty"`
	// Rules are the set's own rules. In each tier, a country's rules come
	// before those of the set it extends.
	Rules []Rule `yaml:"rules"`
	// Overrides relax rules the library marks as conservative choices or
	// self-regulation (see [Override]).
	Overrides []Override `yaml:"overrides,omitempty"`
	// Reach is the set's sender-side reach: the senders' countries whose
	// messages it also governs, wherever the recipient is (see [Reach]).
	// Zero: the set applies to its own country's recipients only.
	Reach Reach `yaml:"reach,omitempty"`

	// House file: the fields below belong to a house file, the host's own
	// rules applied beside the built-in sets (see "House files" in the
	// package documentation). A house file has House instead of
	// Jurisdiction, and no Extends or Channels.

	// House names a house file ("acme_marketing"): a lower-case
	// identifier, unique in a policy.
	House string `yaml:"house,omitempty"`
	// AppliesTo is where a house file's rules apply; required in a house
	// file, empty in a jurisdiction's set.
	AppliesTo Scope `yaml:"applies_to,omitempty"`
	// Reasons are a house file's own reason codes with their texts, by
	// language tag ("en", "fr", "de", ...), English required:
	// {ACME_SUNDAY: {en: "...", fr: "...", de: "..."}}. The texts are
	// fixed (no placeholders): they never carry personal data.
	Reasons map[string]map[string]string `yaml:"reasons,omitempty"`

	// File is where the set was read from, for error messages.
	File string `yaml:"-"`

	pos map[string][2]int // line and column of set-level keys and items
}

// SetParameters are per-jurisdiction numbers the domain functions use.
type SetParameters struct {
	// DigitalConsentAge is the age below which a consent needs a parent's
	// (GDPR art. 8): 16 by default, 13 to 16 by national law. Zero inherits
	// the base set's value.
	DigitalConsentAge int `yaml:"digital_consent_age,omitempty"`
	// MinorConsent is "parental" (a parent's consent suffices) or "joint"
	// (the minor and a parent together, as in France). Empty inherits.
	MinorConsent string `yaml:"minor_consent,omitempty"`
	// MixedMessages is how the jurisdiction reads a transactional message
	// with content markers or a promoted category: "marketing" (the EU,
	// France, Belgium and the UK: it is decided as marketing, or as a
	// feedback request for a rating request, before any exempt rule). Empty
	// inherits the base set's reading; with none in the chain, "marketing",
	// the conservative reading.
	MixedMessages string `yaml:"mixed_messages,omitempty"`
	// PrimaryPurposeChannels are the channels on which the jurisdiction
	// reads a mixed message by its primary purpose instead (the United
	// States' e-mail, 16 CFR 316.3): a transactional message is decided as
	// marketing only when its subject line promotes or its transactional
	// part does not come first (content markers promotional_subject,
	// transactional_not_first); a promotional body or a category alone
	// leaves it transactional. Consent and feedback requests with a
	// promotional marker are still marketing, a rating request still makes
	// a feedback request. Empty inherits the base set's list.
	PrimaryPurposeChannels []consent.Channel `yaml:"primary_purpose_channels,omitempty"`
	// Windows are the set's named periods of local time, which rules test
	// with inWindow(name) (see [Window]). A set sees its own and its
	// bases' windows; its own replace a base's of the same name.
	Windows []Window `yaml:"windows,omitempty"`
	// Registries are the do-not-call registries that apply in the
	// jurisdiction, with their delays: the names the rule language's
	// registry(name) may take in the set's rules and in the rules of the
	// sets extending it. An extending set inherits its base's registries
	// and may redeclare one by name to change its delays.
	Registries []RegistryParams `yaml:"registries,omitempty"`
	// AreaCodes are, in a subdivision's set of a country of the North
	// American Numbering Plan, the area codes presuming that a number is
	// a resident's (Florida Statutes §501.059: a call to a Florida area
	// code is presumed made to a Florida resident): the set applies to a
	// contact of its country whose phone number has one of them, whatever
	// region the contact declares (conservatively: the presumption is
	// rebuttable, and the library does not rebut it). Each a NANP area
	// code (200 to 999, not N11, not N9X), once, and in one set only.
	AreaCodes []int `yaml:"area_codes,omitempty"`
	// MaxIndirectConsentAgeMonths is how old, in calendar months, a
	// consent another company collected may be when the sender relies on
	// it, read by the rule language's indirectConsentAged: the ICO's rule of
	// thumb of six months (its 2013 direct marketing guidance), a policy
	// choice whose rule flags for review rather than a statutory limit.
	// 1 to 120; zero inherits the base set's value, and with none in the
	// chain indirectConsentAged is false. Hosts change it for a
	// jurisdiction with eligibility.Params.IndirectConsentAge.
	MaxIndirectConsentAgeMonths int `yaml:"max_indirect_consent_age_months,omitempty"`
}

// MaxIndirectConsentAgeMonths bounds [SetParameters.MaxIndirectConsentAgeMonths].
const MaxIndirectConsentAgeMonths = 120

// RegistryParams are one registry's delays in a jurisdiction, e.g.
//
//	registries:
//	  - name: tps
//	    effective_after_days: 28
//	    max_age_days: 28
type RegistryParams struct {
	// Name is the registry (package consent/calls): bloctel, dncm, tps,
	// ctps, rpo, ndd, robinson, dncr, dncl, us_dnc, stop_publicidad or
	// us_fl_dnc.
	Name calls.Registry `yaml:"name" json:"name"`
	// EffectiveAfterDays is how long after its registration a number's
	// listing takes effect (the UK's 28 days, PECR reg. 26(3)): 0 to 365.
	// Until then the lookup reads as clear.
	EffectiveAfterDays int `yaml:"effective_after_days,omitempty" json:"effective_after_days,omitempty"`
	// MaxAgeDays is how old a lookup may be and still count: 1 to 3660
	// days. An older lookup reads as no lookup (registry status
	// "unchecked").
	MaxAgeDays int `yaml:"max_age_days" json:"max_age_days"`
}

// ObligationRef attaches an obligation and the provision imposing it.
type ObligationRef struct {
	Obligation Obligation `yaml:"obligation" json:"obligation"` // the duty
	Citation   string     `yaml:"citation" json:"citation"`     // the provision imposing it; required
}

// Rule is one legal rule as data: a CEL condition over the contact and the
// message, what happens when it holds, and the law it rests on.
type Rule struct {
	// ID is unique across a policy, e.g. "FR_SOFT_OPT_IN".
	ID string `yaml:"id"`
	// Effect is what the rule does when its condition holds, and so the
	// tier it is evaluated in.
	Effect Effect `yaml:"effect"`
	// Basis is required on allow and exempt rules and must be empty on deny
	// and no_basis rules (their basis is no_legal_basis).
	Basis Basis `yaml:"basis,omitempty"`
	// Reason is the code reported, in CAPS, e.g. NO_CONSENT.
	Reason string `yaml:"reason"`
	// Citation is the article, section or regulator guidance.
	Citation string `yaml:"citation"`
	// Channels are the channels the rule governs, each one of its set's
	// channels, or [consent.AllChannels] alone (written [all]) for a rule
	// meant for every channel of the jurisdiction it is applied in (stops,
	// sector bans). Required: a rule is compiled only into the channels it
	// names, so adding a channel to a set never silently applies rules
	// written for another medium.
	Channels []consent.Channel `yaml:"channels"`
	// Condition is a CEL expression of type bool.
	Condition string `yaml:"condition"`
	// Obligations are added to the set's when this rule allows. Only
	// allow rules carry them: an exempt rule's message is outside marketing
	// law and a deny or no_basis rule sends nothing, so obligations on those
	// are errors ([Rule.Check]), never silently dropped.
	Obligations []ObligationRef `yaml:"obligations,omitempty"`
	// NeedsReview marks a rule whose legal footing is uncertain. A decision
	// made by it is always deny, with NeedsReview set.
	NeedsReview bool `yaml:"needs_review,omitempty"`
	// SelfRegulatory marks a rule resting on self-regulation (an industry
	// code or charter) rather than on law; its citation says so. Decisions
	// and traces report it, and a host may relax only such rules.
	SelfRegulatory bool `yaml:"self_regulatory,omitempty"`
	// ValidFrom and ValidUntil bound when the rule applies: [from, until).
	// Zero means unbounded.
	ValidFrom  time.Time `yaml:"valid_from,omitempty"`
	ValidUntil time.Time `yaml:"valid_until,omitempty"`
	// Note explains the rule to a reviewer; it does not change decisions
	// but is part of the policy version.
	Note string `yaml:"note,omitempty"`

	line, column int // of the rule in its file
	cond         condPos
}

// condPos locates a condition's text in its file, to map CEL positions:
// at[i] is the 1-based line and column in the file of the condition's i-th
// character (rune). (A rule file is at most [MaxFileSize] bytes: lines and
// columns fit in 32 bits.)
type condPos struct {
	at [][2]int32
}

// srcChar is a character of a scalar's source, or the line break ending
// one of its lines, and its place.
type srcChar struct {
	r         rune
	line, col int32
}

// condMapper maps the conditions of one file, reusing its buffers from
// one condition to the next.
type condMapper struct {
	text []srcChar
	rs   []rune
}

// mapCondition aligns the decoded value of a scalar with its source text,
// whatever the scalar style (plain, quoted, literal or folded block): each
// character of the value is matched with the next equal character of the
// source, skipping what YAML removed (indentation, quotes, folded line
// breaks). An escape of a quoted scalar (” in single quotes, \x41 or \"
// in double quotes) is one source character, at its first byte, so that a
// character it decodes to is never matched further on.
//
// The source read ends before end, the position of the node that follows
// the scalar in the file (zero: the end of the file), so that mapping
// every condition of a file reads each line once or twice rather than
// the rest of the file for each rule. A character of the value not found
// before end (none is, short of a defect in this alignment) stays at the
// place of the previous one.
func (m *condMapper) mapCondition(lines [][]byte, n *yaml.Node, value string, end [2]int) condPos {
	line, col := n.Line, n.Column
	switch {
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		line, col = n.Line+1, 1 // the text starts on the next line
	case n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0:
		col++ // after the opening quote
	}
	last := len(lines)
	if end[0] > 0 && end[0] <= last {
		last = end[0]
	}
	text := m.text[:0]
	for l := line; l <= last; l++ {
		rs := m.rs[:0]
		for _, r := range string(lines[l-1]) {
			rs = append(rs, r)
		}
		m.rs = rs
		stop := len(rs)
		if l == end[0] {
			stop = min(stop, end[1]-1)
		}
		for c := 1; c <= stop; c++ {
			if l == line && c < col {
				continue
			}
			r, width := rs[c-1], 1
			switch {
			case n.Style&yaml.SingleQuotedStyle != 0 && r == '\'' && c < len(rs) && rs[c] == '\'':
				width = 2
			case n.Style&yaml.DoubleQuotedStyle != 0 && r == '\\':
				r, width = unescape(rs[c:])
				if width == 1 { // an escaped line break: decodes to nothing
					c = len(rs)
					continue
				}
			}
			text = append(text, srcChar{r, int32(l), int32(c)})
			c += width - 1
		}
		if l != end[0] {
			text = append(text, srcChar{'\n', int32(l), int32(len(rs) + 1)})
		}
	}
	m.text = text
	if len(text) == 0 { // an empty scalar has no character to map
		return condPos{}
	}
	out := condPos{at: make([][2]int32, 0, utf8.RuneCountInString(value))}
	i := 0
	for _, v := range value {
		j := i
		for j < len(text) && text[j].r != v && !(v == ' ' && text[j].r == '\n') {
			j++
		}
		if j == len(text) { // not found: stay where we are
			out.at = append(out.at, [2]int32{text[min(i, len(text)-1)].line, text[min(i, len(text)-1)].col})
			continue
		}
		out.at = append(out.at, [2]int32{text[j].line, text[j].col})
		i = j + 1
	}
	return out
}

// unescape decodes the YAML double-quoted escape whose backslash precedes
// rest, returning the character and the escape's length in runes,
// backslash included; width 1 means a backslash at the end of a line (an
// escaped line break, which decodes to nothing). An unknown escape, which
// the YAML decoder refused, decodes to the escaped character.
func unescape(rest []rune) (rune, int) {
	if len(rest) == 0 {
		return 0, 1
	}
	hex := hexEscapes[rest[0]]
	if hex > 0 && len(rest) > hex {
		if v, err := strconv.ParseUint(string(rest[1:1+hex]), 16, 32); err == nil {
			return rune(v), 2 + hex
		}
	}
	if r, ok := simpleEscapes[rest[0]]; ok {
		return r, 2
	}
	return rest[0], 2
}

// hexEscapes are YAML's escapes by code point and their number of hex
// digits.
var hexEscapes = map[rune]int{'x': 2, 'u': 4, 'U': 8}

// simpleEscapes are YAML's one-character escapes and what they decode to.
var simpleEscapes = map[rune]rune{'0': 0, 'a': '\a', 'b': '\b', 't': '\t', '\t': '\t', 'n': '\n', 'v': '\v', 'f': '\f',
	'r': '\r', 'e': 0x1b, ' ': ' ', '"': '"', '/': '/', '\\': '\\', 'N': 0x85, '_': 0xa0, 'L': 0x2028, 'P': 0x2029}

// LanguageLevel is the level of the rule language this library
// implements. Each domain function belongs to the level that introduced
// it, and keeps its name, signature and level from then on (a test of
// package eligibility pins them); a new function raises the level. A file
// may declare the level it was written for (language: N): see
// [Set.Language] and the README's "Compatibility".
const LanguageLevel = 6

// Limits of [Parse]: a rule file needs about five levels of nesting.
const (
	MaxFileSize = 1 << 20 // bytes in a rule file
	MaxDepth    = 32      // nesting of mappings and sequences
)

// tooDeep returns the line of the first node nested deeper than MaxDepth,
// or 0.
func tooDeep(n *yaml.Node, depth int) int {
	if depth > MaxDepth {
		return max(n.Line, 1)
	}
	for _, c := range n.Content {
		if l := tooDeep(c, depth+1); l > 0 {
			return l
		}
	}
	return 0
}

// Parse decodes one rule set from YAML (or JSON, a subset of YAML) with a
// YAML 1.2 decoder, so that a country code such as NO stays a string.
// Keys are matched exactly: an unknown key (one differing from a field only
// in case among them) and a key given twice in one mapping are errors whose
// [Error.Field] names the key and whose [Error.Err] is
// [consent.ErrUnknownField] or [consent.ErrDuplicateKey]; merge keys (<<)
// and aliases, which let one key silently replace another, are refused.
// Errors are an [ErrorList] of [*Error]s with file positions; file names the
// source in them.
func Parse(file string, data []byte) (*Set, error) {
	var s Set
	root, err := parseDocument(file, data, "rule file", reflect.ValueOf(&s).Elem())
	if err != nil {
		return nil, err
	}
	locate(&s, root, data)
	s.File = file
	return &s, nil
}

// parseDocument decodes one YAML (or JSON) document of at most
// [MaxFileSize] bytes into v, a struct, as [Parse] does: keys matched
// exactly and once, no aliases or merge keys, at most [MaxDepth] levels,
// every problem an [*Error] of an [ErrorList] with its position; what
// names the kind of file in messages ("rule file"). It returns the
// document's root node, for the caller's positions.
func parseDocument(file string, data []byte, what string, v reflect.Value) (*yaml.Node, error) {
	if len(data) > MaxFileSize {
		return nil, ErrorList{{File: file, Msg: "file larger than " + strconv.Itoa(MaxFileSize) + " bytes"}}.Err()
	}
	if line, col, msg := strayBreak(data); line > 0 {
		return nil, ErrorList{{File: file, Line: line, Column: col, Msg: msg}}.Err()
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, ErrorList{{File: file, Msg: "empty " + what}}.Err()
		}
		return nil, syntaxError(file, data, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, ErrorList{{File: file, Msg: "more than one YAML document"}}.Err()
	}
	if line := tooDeep(&root, 0); line > 0 {
		return nil, ErrorList{{File: file, Line: line, Msg: "nested deeper than " + strconv.Itoa(MaxDepth) + " levels"}}.Err()
	}
	if err := checkKeysAs(file, &root, v.Type()); err != nil {
		return nil, err
	}
	if len(root.Content) == 0 {
		return nil, ErrorList{{File: file, Msg: "empty " + what}}.Err()
	}
	if err := decodeNode(root.Content[0], v, ""); err != nil {
		var list ErrorList
		for _, pe := range posErrors(nil).add(err) {
			list = append(list, &Error{File: file, Line: pe.Line, Column: pe.Column, Field: pe.Field, Rule: pe.Rule, Msg: pe.Msg})
		}
		return nil, list.Err()
	}
	return &root, nil
}

// yamlLine finds the position in a syntax error of go.yaml.in/yaml/v3,
// which reports them only as text ("yaml: line 3: mapping values are not
// allowed in this context"): the one place a position is read from text.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// syntaxError turns the parser's error into a positioned [*Error]. The
// parser places a tab in indentation at the line before it (the context it
// was parsing), so when it reports one the tab is found in data instead.
func syntaxError(file string, data []byte, err error) error {
	e := &Error{File: file, Msg: err.Error()}
	if m := yamlLine.FindStringSubmatch(e.Msg); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		e.Msg = e.Msg[len(m[0]):]
	}
	if strings.Contains(e.Msg, "tab character") {
		if line, col := indentTab(data); line > 0 {
			e.Line, e.Column, e.Msg = line, col, "tab in indentation (indent with spaces)"
		}
	}
	return ErrorList{e}.Err()
}

// strayBreak returns the position of the first line break other than LF
// or CRLF, and what it is, or 0, 0, "". YAML reads a carriage return alone,
// and NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR
// (U+2029) written as such, as line breaks, but positions are counted in
// LF-separated lines, so such a file is refused rather than reported at
// wrong places. Their escapes in double-quoted scalars (\N, \L, \P) are
// fine.
func strayBreak(data []byte) (line, col int, msg string) {
	line, start := 1, 0
	for i, b := range data {
		switch {
		case b == '\n':
			line, start = line+1, i+1
		case b == '\r' && (i+1 == len(data) || data[i+1] != '\n'):
			return line, i - start + 1, "carriage return without a line feed (write lines ending in LF or CRLF)"
		case b == 0xc2 && i+1 < len(data) && data[i+1] == 0x85:
			return line, i - start + 1, "next-line character U+0085 (write lines ending in LF or CRLF)"
		case b == 0xe2 && i+2 < len(data) && data[i+1] == 0x80 && (data[i+2] == 0xa8 || data[i+2] == 0xa9):
			return line, i - start + 1, "line or paragraph separator U+2028/U+2029 (write lines ending in LF or CRLF)"
		}
	}
	return 0, 0, ""
}

// indentTab returns the position of the first tab that indents a line
// (one before the line's first other character), or 0, 0.
func indentTab(data []byte) (line, col int) {
	for i, l := range bytes.Split(data, []byte("\n")) {
		rest := bytes.TrimLeft(l, " ")
		if len(rest) > 1 && rest[0] == '\t' && len(bytes.TrimSpace(rest)) > 0 {
			return i + 1, len(l) - len(rest) + 1
		}
	}
	return 0, 0
}

// locate records the position of each rule and of its condition.
func locate(s *Set, root *yaml.Node, data []byte) {
	lines := bytes.Split(data, []byte("\n"))
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return
	}
	top := root.Content[0]
	s.pos = map[string][2]int{}
	at := func(key string, n *yaml.Node) { s.pos[key] = [2]int{n.Line, n.Column} }
	if top.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(top.Content); i += 2 {
			k, v := top.Content[i], top.Content[i+1]
			at(k.Value, k)
			switch {
			case k.Value == "parameters" && v.Kind == yaml.MappingNode:
				for j := 0; j+1 < len(v.Content); j += 2 {
					at("parameters."+v.Content[j].Value, v.Content[j])
				}
			case (k.Value == "applies_to" || k.Value == "reasons") && v.Kind == yaml.MappingNode:
				for j := 0; j+1 < len(v.Content); j += 2 {
					key := k.Value + "." + v.Content[j].Value
					at(key, v.Content[j])
					if items := v.Content[j+1]; items.Kind == yaml.SequenceNode {
						for n, item := range items.Content {
							at(key+"["+strconv.Itoa(n)+"]", item)
						}
					}
				}
			case (k.Value == "channels" || k.Value == "obligations") && v.Kind == yaml.SequenceNode:
				for j, item := range v.Content {
					at(k.Value+"["+strconv.Itoa(j)+"]", item)
				}
			}
		}
	}
	locateOverrides(s, top)
	ri := valueIndex(top, "rules")
	if ri < 0 || top.Content[ri].Kind != yaml.SequenceNode {
		return
	}
	rules := top.Content[ri]
	var m condMapper
	var after [2]int // the node after the rules: the next top-level key, if any
	if ri+1 < len(top.Content) {
		after = [2]int{top.Content[ri+1].Line, top.Content[ri+1].Column}
	}
	for i, item := range rules.Content {
		if i >= len(s.Rules) {
			break
		}
		r := &s.Rules[i]
		r.line, r.column = item.Line, item.Column
		ci := valueIndex(item, "condition")
		if ci < 0 || item.Content[ci].Kind != yaml.ScalarNode {
			continue
		}
		// The condition's text ends before the node that follows it: the
		// rule's next key, the next rule or the next top-level key.
		end := after
		switch {
		case ci+1 < len(item.Content):
			end = [2]int{item.Content[ci+1].Line, item.Content[ci+1].Column}
		case i+1 < len(rules.Content):
			end = [2]int{rules.Content[i+1].Line, rules.Content[i+1].Column}
		}
		c := item.Content[ci]
		r.cond = m.mapCondition(lines, c, c.Value, end)
	}
}

// value returns the value of key in mapping m, or nil.
func value(m *yaml.Node, key string) *yaml.Node {
	if i := valueIndex(m, key); i >= 0 {
		return m.Content[i]
	}
	return nil
}

// valueIndex returns the index in m.Content of the value of key in
// mapping m, or -1.
func valueIndex(m *yaml.Node, key string) int {
	if m.Kind != yaml.MappingNode {
		return -1
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return i + 1
		}
	}
	return -1
}

// checkKeysAs walks the document as the value of type t (a [Set], a route
// file, a transfer law table) it must decode to, and reports
// every key given twice in one mapping, every key that is no field (naming
// the field it differs from only in case, if any), and every merge key or
// alias, which would let one key silently replace another. yaml.v3 would
// catch most of these while decoding, but only as text; these are typed.
func checkKeysAs(file string, root *yaml.Node, t reflect.Type) error {
	k := &keyChecker{file: file}
	k.walk(root, t, "", "")
	return k.list.Err()
}

// keyChecker is the state of checkKeys: the file and the problems found.
type keyChecker struct {
	file string
	list ErrorList
}

func (k *keyChecker) bad(at *yaml.Node, rule, field string, err error, msg string) {
	k.list = append(k.list, &Error{File: k.file, Rule: rule, Line: at.Line, Column: at.Column,
		Field: field, Err: err, Msg: msg})
}

// walk checks node n, which must decode to a value of type t (nil: a type
// without fields), at the dotted path, inside the rule with id rule.
func (k *keyChecker) walk(n *yaml.Node, t reflect.Type, path, rule string) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			k.walk(c, t, path, rule)
		}
		return
	case yaml.AliasNode:
		k.bad(n, rule, path, nil, "aliases are not allowed in rule files")
		return
	}
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t != nil && (reflect.PointerTo(t).Implements(textUnmarshaler) || t == timeType) {
		t = nil // a scalar type: nothing below it has fields
	}
	switch n.Kind {
	case yaml.SequenceNode:
		var elem reflect.Type
		if t != nil && t.Kind() == reflect.Slice {
			elem = t.Elem()
		}
		for i, c := range n.Content {
			k.walk(c, elem, path+"["+strconv.Itoa(i)+"]", rule)
		}
	case yaml.MappingNode:
		k.mapping(n, t, path, rule)
	}
}

// mapping checks the keys of a mapping: against t's fields when t is a
// struct, for repetition always.
func (k *keyChecker) mapping(n *yaml.Node, t reflect.Type, path, rule string) {
	var fields map[string]reflect.StructField
	isStruct := t != nil && t.Kind() == reflect.Struct
	if isStruct {
		fields = yamlFields(t)
		if t == reflect.TypeFor[Rule]() {
			if id := value(n, "id"); id != nil && id.Kind == yaml.ScalarNode {
				rule = id.Value
			}
		}
	}
	var elem reflect.Type
	if t != nil && t.Kind() == reflect.Map {
		elem = t.Elem()
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, v := n.Content[i], n.Content[i+1]
		key := kn.Value
		field := key
		if path != "" {
			field = path + "." + key
		}
		if kn.Tag == "!!merge" {
			k.bad(kn, rule, field, nil, "merge keys (<<) are not allowed in rule files")
			continue
		}
		if first, dup := seen[key]; dup {
			k.bad(kn, rule, field, consent.ErrDuplicateKey,
				"key "+strconv.Quote(clip(key))+" given twice (first at line "+strconv.Itoa(first)+")")
			continue
		}
		seen[key] = kn.Line
		if !isStruct {
			k.walk(v, elem, field, rule)
			continue
		}
		f, ok := fields[key]
		if !ok {
			msg := "unknown key " + strconv.Quote(clip(key))
			for name := range fields {
				if strings.EqualFold(name, key) {
					msg += " (keys are matched exactly: did you mean " + strconv.Quote(name) + "?)"
				}
			}
			k.bad(kn, rule, field, consent.ErrUnknownField, msg)
			continue
		}
		k.walk(v, f.Type, field, rule)
	}
}

var (
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	timeType        = reflect.TypeFor[time.Time]()
)

// Readings of mixed messages, the rule-set parameter mixed_messages.
const (
	// MixedAsMarketing: a transactional message with a promotional marker
	// or a promoted category is marketing, one with a rating request a
	// feedback request (EU, France, Belgium, UK: CPCE art. L34-5 al. 3,
	// "directement ou indirectement"; ICO guidance on service messages; BGH
	// VI ZR 225/17). It is the default, the conservative reading, for a set
	// that names none.
	MixedAsMarketing = "marketing"
)
