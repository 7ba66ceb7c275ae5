package rules

import (
	"cmp"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/internal/enum"
)

// TransferLaw is one regime's law of international transfers as data (GDPR
// ch. V for the EU, UK GDPR ch. 5 for the UK): the countries that are not
// third countries, the dated adequacy decisions (UK: adequacy
// regulations), and the dated transfer tools. The built-in tables are
// rules/builtin/transfers/eu.yaml and uk.yaml ([BuiltinTransfers]); the
// legal guide has a section per row id.
type TransferLaw struct {
	// Regime is the regime: EU or UK.
	Regime TransferRegime `yaml:"regime" json:"regime"`
	// Title says what the table covers, for people.
	Title string `yaml:"title" json:"title"`
	// Home are the countries whose hops are no transfer under the regime
	// (the EEA for the EU; the UK for the UK).
	Home []address.Country `yaml:"home" json:"home"`
	// Adequacy are the adequacy decisions (art. 45; UK: art. 45A
	// regulations), one row per instrument and period.
	Adequacy []AdequacyRow `yaml:"adequacy" json:"adequacy"`
	// Mechanisms are the dated art. 46/47/49 tools: when each kind of
	// clauses or agreement may be relied on.
	Mechanisms []MechanismRow `yaml:"mechanisms" json:"mechanisms"`
	// Assessments are the dated standards a transfer assessment meets
	// (UK: the "data protection test" of art. 46(1A) from 5 February
	// 2026): the one in force is cited in the assessment's obligation.
	Assessments []AssessmentRow `yaml:"assessments,omitempty" json:"assessments,omitempty"`

	// File is where the table was read from, for error messages.
	File string `yaml:"-" json:"file,omitempty"`
}

// AdequacyRow is one adequacy decision for some destinations, for a
// period.
type AdequacyRow struct {
	// ID is unique across the tables, e.g. EU_ADEQ_US_DPF.
	ID string `yaml:"id" json:"id"`
	// Destinations are the countries the decision covers.
	Destinations []address.Country `yaml:"destinations" json:"destinations"`
	// Instrument names the decision, e.g. "Commission Implementing
	// Decision (EU) 2023/1795".
	Instrument string `yaml:"instrument" json:"instrument"`
	// Ref is its short reference in decisions' bases ("adequacy:" + Ref),
	// e.g. EU-2023/1795.
	Ref string `yaml:"ref" json:"ref"`
	// Scope describes a limit of the decision (commercial organisations,
	// bodies subject to a named law), for people; empty for none.
	Scope string `yaml:"scope,omitempty" json:"scope,omitempty"`
	// Requires is what a hop must record for the decision to cover it: a
	// DPF listing in a framework (the United States), or an adequacy
	// attestation that the importer is within Scope. Zero: nothing.
	Requires Requirement `yaml:"requires,omitempty" json:"requires,omitzero"`
	// ValidFrom and ValidUntil bound the decision: [from, until). Zero
	// means unbounded.
	ValidFrom  time.Time `yaml:"valid_from,omitempty" json:"valid_from,omitzero"`
	ValidUntil time.Time `yaml:"valid_until,omitempty" json:"valid_until,omitzero"`
	// Citation is the provision and instrument; required.
	Citation string `yaml:"citation" json:"citation"`
	// Note explains the row to a reviewer.
	Note string `yaml:"note,omitempty" json:"note,omitempty"`
	// NeedsReview marks an uncertain row: a hop it would cover is denied
	// with NeedsReview instead.
	NeedsReview bool `yaml:"needs_review,omitempty" json:"needs_review,omitempty"`
}

// Requirement is what a hop must record for an adequacy row to cover it.
type Requirement struct {
	// Kind is dpf (a listing) or adequacy (an attestation of scope).
	Kind MechanismKind `yaml:"kind" json:"kind"`
	// Framework is the DPF framework a dpf requirement names.
	Framework DPFFramework `yaml:"framework,omitempty" json:"framework,omitzero"`
}

// IsZero reports whether nothing is required.
func (r Requirement) IsZero() bool { return r == Requirement{} }

// MechanismRow dates one kind of transfer tool under the regime.
type MechanismRow struct {
	// ID is unique across the tables, e.g. EU_SCC_2021.
	ID string `yaml:"id" json:"id"`
	// Kind is the tool: scc_2021, scc_legacy, uk_idta, uk_addendum, bcr
	// or derogation_49.
	Kind MechanismKind `yaml:"kind" json:"kind"`
	// Version limits the row to the tools of this version (the legacy
	// clauses' years); empty: every version.
	Version string `yaml:"version,omitempty" json:"version,omitempty"`
	// SignedBefore limits the row to contracts concluded before this
	// instant (the legacy clauses: before 27 September 2021); zero: none.
	SignedBefore time.Time `yaml:"signed_before,omitempty" json:"signed_before,omitzero"`
	// ValidFrom and ValidUntil bound when the tool may be relied on:
	// [from, until). Zero means unbounded.
	ValidFrom  time.Time `yaml:"valid_from,omitempty" json:"valid_from,omitzero"`
	ValidUntil time.Time `yaml:"valid_until,omitempty" json:"valid_until,omitzero"`
	// Citation is the provision and instrument; required.
	Citation string `yaml:"citation" json:"citation"`
	// Note explains the row to a reviewer.
	Note string `yaml:"note,omitempty" json:"note,omitempty"`
}

// AssessmentRow dates the standard a transfer assessment meets.
type AssessmentRow struct {
	// ID is unique across the tables, e.g. UK_DATA_PROTECTION_TEST.
	ID string `yaml:"id" json:"id"`
	// ValidFrom and ValidUntil bound it: [from, until).
	ValidFrom  time.Time `yaml:"valid_from,omitempty" json:"valid_from,omitzero"`
	ValidUntil time.Time `yaml:"valid_until,omitempty" json:"valid_until,omitzero"`
	// Citation is the provision; required.
	Citation string `yaml:"citation" json:"citation"`
	// Note explains the row to a reviewer.
	Note string `yaml:"note,omitempty" json:"note,omitempty"`
}

// TransferRegime is a regime of transfer law.
type TransferRegime uint8

// Transfer regimes.
const (
	EUTransfers TransferRegime = iota + 1 // EU: GDPR ch. V (the EEA)
	UKTransfers                           // UK: UK GDPR ch. 5
)

var regimeNames = enum.New[TransferRegime]("", "transfer regime", "", "EU", "UK")

// String returns the text form: EU or UK.
func (r TransferRegime) String() string { return regimeNames.String(r) }

// MarshalText implements encoding.TextMarshaler.
func (r TransferRegime) MarshalText() ([]byte, error) { return regimeNames.Marshal(r) }

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an error.
func (r *TransferRegime) UnmarshalText(b []byte) error { return regimeNames.Unmarshal(r, b) }

//go:embed builtin/transfers/*.yaml
var transfersFS embed.FS

// BuiltinTransfers returns freshly parsed copies of the built-in transfer
// law tables, one per regime, in the order EU, UK. The files are parsed
// once per process; each call returns copies the caller may change.
func BuiltinTransfers() ([]*TransferLaw, error) {
	laws, err := parsedTransfers()
	if err != nil {
		return nil, err
	}
	out := make([]*TransferLaw, len(laws))
	for i, l := range laws {
		c := *l
		c.Home = slices.Clone(l.Home)
		c.Adequacy = slices.Clone(l.Adequacy)
		for j := range c.Adequacy {
			c.Adequacy[j].Destinations = slices.Clone(c.Adequacy[j].Destinations)
		}
		c.Mechanisms = slices.Clone(l.Mechanisms)
		c.Assessments = slices.Clone(l.Assessments)
		out[i] = &c
	}
	return out, nil
}

// parsedTransfers parses the embedded tables once and checks them
// together.
var parsedTransfers = sync.OnceValues(func() ([]*TransferLaw, error) {
	names, err := fs.Glob(transfersFS, "builtin/transfers/*.yaml")
	if err != nil {
		return nil, err
	}
	var out []*TransferLaw
	for _, n := range names {
		data, err := transfersFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		l, err := ParseTransferLaw(path.Join("rules", n), data)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	if err := CheckTransferLaws(out); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b *TransferLaw) int { return int(a.Regime) - int(b.Regime) })
	return out, nil
})

// ParseTransferLaw decodes one transfer law table from YAML (or JSON), as
// strictly as [Parse] decodes rule files, and checks it on its own (see
// [CheckTransferLaws]).
func ParseTransferLaw(file string, data []byte) (*TransferLaw, error) {
	var l TransferLaw
	root, err := parseDocument(file, data, "transfer law table", reflect.ValueOf(&l).Elem())
	if err != nil {
		return nil, err
	}
	l.File = file
	tc := &routeChecker{file: file, root: root.Content[0]}
	tc.law(&l, map[string]string{})
	if err := tc.list.Err(); err != nil {
		return nil, err
	}
	return &l, nil
}

// CheckTransferLaws checks tables together: each a regime once, row ids
// unique across them, and each table on its own: its regime, home,
// destinations (countries outside home), requirements, kinds, dates
// (from before until) and citations.
func CheckTransferLaws(laws []*TransferLaw) error {
	tc := &routeChecker{}
	ids := map[string]string{}
	seen := map[TransferRegime]string{}
	for _, l := range laws {
		tc.file = l.File
		if other, dup := seen[l.Regime]; dup && l.Regime != 0 {
			tc.bad("regime", "regime %v: also the regime of %s", l.Regime, other)
		}
		seen[l.Regime] = l.File
		tc.law(l, ids)
	}
	return tc.list.Err()
}

// rowID is the form of a transfer table row's id.
var rowID = regexp.MustCompile(`^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$`)

// law checks one table; ids are the row ids seen so far, with their
// files.
func (tc *routeChecker) law(l *TransferLaw, ids map[string]string) {
	if !regimeNames.Valid(l.Regime) {
		tc.bad("regime", "missing regime (EU or UK)")
	}
	if len(l.Home) == 0 {
		tc.bad("home", "missing home (the countries that are not third countries)")
	}
	for i, c := range l.Home {
		if slices.Contains(l.Home[:i], c) {
			tc.bad("home["+strconv.Itoa(i)+"]", "home: %v given twice", c)
		}
	}
	id := func(at, s string) {
		switch {
		case !rowID.MatchString(s):
			tc.bad(at+".id", "row %q: want a CAPS_WITH_UNDERSCORES id", clip(s))
		case ids[s] != "":
			tc.bad(at+".id", "row %s: defined twice (also in %s)", s, ids[s])
		default:
			ids[s] = cmp.Or(l.File, "a table")
		}
	}
	dates := func(at, row string, from, until time.Time) {
		if !from.IsZero() && !until.IsZero() && !from.Before(until) {
			tc.bad(at+".valid_until", "row %s: valid_until is not after valid_from", row)
		}
	}
	for i := range l.Adequacy {
		r := &l.Adequacy[i]
		at := "adequacy[" + strconv.Itoa(i) + "]"
		id(at, r.ID)
		dates(at, r.ID, r.ValidFrom, r.ValidUntil)
		if len(r.Destinations) == 0 {
			tc.bad(at+".destinations", "row %s: missing destinations", r.ID)
		}
		for j, c := range r.Destinations {
			if slices.Contains(l.Home, c) {
				tc.bad(at+".destinations["+strconv.Itoa(j)+"]", "row %s: %v is home: no transfer to decide", r.ID, c)
			}
		}
		if r.Instrument == "" || r.Ref == "" || r.Citation == "" {
			tc.bad(at, "row %s: instrument, ref and citation are required", r.ID)
		}
		switch q := r.Requires; {
		case q.IsZero():
		case q.Kind == DPF && frameworkNames.Valid(q.Framework):
		case q.Kind == Adequacy && q.Framework == 0:
			if r.Scope == "" {
				tc.bad(at+".requires", "row %s: an attestation of scope requires a scope", r.ID)
			}
		default:
			tc.bad(at+".requires", "row %s: requires {kind: dpf, framework: ...} or {kind: adequacy}", r.ID)
		}
	}
	for i := range l.Mechanisms {
		r := &l.Mechanisms[i]
		at := "mechanisms[" + strconv.Itoa(i) + "]"
		id(at, r.ID)
		dates(at, r.ID, r.ValidFrom, r.ValidUntil)
		if !r.Kind.Safeguard() && r.Kind != Derogation49 {
			tc.bad(at+".kind", "row %s: kind: want scc_2021, scc_legacy, uk_idta, uk_addendum, bcr or derogation_49", r.ID)
		}
		if r.Citation == "" {
			tc.bad(at+".citation", "row %s: missing citation", r.ID)
		}
	}
	for i := range l.Assessments {
		r := &l.Assessments[i]
		at := "assessments[" + strconv.Itoa(i) + "]"
		id(at, r.ID)
		dates(at, r.ID, r.ValidFrom, r.ValidUntil)
		if r.Citation == "" {
			tc.bad(at+".citation", "row %s: missing citation", r.ID)
		}
	}
}

// RowIDs returns the ids of every row of the tables, in table order: the
// legal guide has a section for each.
func (l *TransferLaw) RowIDs() []string {
	var out []string
	for _, r := range l.Adequacy {
		out = append(out, r.ID)
	}
	for _, r := range l.Mechanisms {
		out = append(out, r.ID)
	}
	for _, r := range l.Assessments {
		out = append(out, r.ID)
	}
	return out
}

// String names the table for messages.
func (l *TransferLaw) String() string { return fmt.Sprintf("transfer law %v (%s)", l.Regime, l.File) }
