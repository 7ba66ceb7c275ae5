package rules

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/internal/canon"
	"github.com/sendright/sendright/internal/enum"
	"github.com/sendright/sendright/internal/limits"
	"go.yaml.in/yaml/v3"
)

// Route is one processing route a message's personal data travel: the
// sender's processors (an e-mail service, an SMS gateway, a print house)
// and their sub-processors, as the host configures them, like a house
// file. A message names its route ([consent.Message.Route]) or takes the
// route that is the default for its channel. The library checks every
// hop of it against the transfer law of each regime that applies (GDPR
// ch. V, UK GDPR ch. 5): see "Transfers" in the package documentation.
//
// A route file holds routes under a key routes:
//
//	routes:
//	  - name: newsletter_esp
//	    default_for: [email]
//	    hops:
//	      - id: esp
//	        entity: Example Mail Inc.
//	        entity_id: "DPF-0000000"
//	        role: processor
//	        processing: [US]
//	        mechanisms:
//	          - {kind: dpf, framework: eu_us, status: active, covered: non_hr, checked_at: 2026-11-01}
type Route struct {
	// Name identifies the route in messages: letters, digits and _ . : -,
	// at most [MaxRouteName] bytes, unique in a policy.
	Name string `yaml:"name" json:"name"`
	// DefaultFor are the channels whose messages naming no route take
	// this one; a channel is the default of one route at most.
	DefaultFor []consent.Channel `yaml:"default_for,omitempty" json:"default_for,omitempty"`
	// Hops are the route's recipients of the data: at least one, at most
	// [MaxHops].
	Hops []Hop `yaml:"hops" json:"hops"`
}

// Hop is one recipient of the data on a route: a processor, a
// sub-processor or another controller, where it processes the data and
// from where it can reach them, and what makes a transfer to it lawful.
type Hop struct {
	// ID names the hop in its route (and in decisions): letters, digits
	// and _ . : -, unique in the route.
	ID string `yaml:"id" json:"id"`
	// Entity is the contracting legal entity, by name: a DPF listing,
	// contracts and BCRs are per entity, never per group or brand.
	Entity string `yaml:"entity" json:"entity"`
	// EntityID is the entity's registry identifier (a company number, the
	// DPF List's organisation id), when known.
	EntityID string `yaml:"entity_id,omitempty" json:"entity_id,omitempty"`
	// Role is the hop's role: processor, subprocessor or controller.
	Role HopRole `yaml:"role" json:"role"`
	// Processing are the countries where the hop processes or stores the
	// data: at least one.
	Processing []address.Country `yaml:"processing" json:"processing"`
	// Access are the countries from which the hop's staff or its own
	// processors can reach the data (support desks, administrators): remote
	// access is a transfer too (EDPB Guidelines 05/2021).
	Access []address.Country `yaml:"access,omitempty" json:"access,omitempty"`
	// From is the id of the hop that passes the data on to this one (an
	// onward transfer); empty when the sender itself does.
	From string `yaml:"from,omitempty" json:"from,omitempty"`
	// Mechanisms are what the host has in place for transfers to the hop,
	// each with its dates: at most [MaxMechanisms]. A hop in the regime's
	// own area needs none.
	Mechanisms []Mechanism `yaml:"mechanisms,omitempty" json:"mechanisms,omitempty"`
}

// Mechanism is one transfer mechanism recorded for a hop: an adequacy
// attestation, a Data Privacy Framework listing, standard contractual
// clauses, the UK IDTA or Addendum, binding corporate rules, or an art. 49
// derogation. Which fields a kind takes is fixed (see [MechanismKind]);
// a field given to a kind that does not take it is an error.
type Mechanism struct {
	// Kind is the mechanism.
	Kind MechanismKind `yaml:"kind" json:"kind"`
	// Framework is a DPF listing's framework: eu_us, uk_extension or
	// swiss_us. The EU decision serves EU data only, the UK extension UK
	// data only.
	Framework DPFFramework `yaml:"framework,omitempty" json:"framework,omitzero"`
	// Status is a DPF listing's status on the DPF List when last checked:
	// active or inactive.
	Status ListingStatus `yaml:"status,omitempty" json:"status,omitzero"`
	// Covered is the data a DPF listing covers: non_hr (what marketing
	// sends) or hr.
	Covered DataCover `yaml:"covered,omitempty" json:"covered,omitzero"`
	// CheckedAt is when the host last checked the DPF listing: a listing
	// checked longer ago than the policy allows (30 days by default)
	// counts as unchecked.
	CheckedAt time.Time `yaml:"checked_at,omitempty" json:"checked_at,omitzero"`
	// Module is the module of the 2021 standard contractual clauses, 1 to
	// 4: 2 controller to processor, 3 processor to processor.
	Module int `yaml:"module,omitempty" json:"module,omitempty"`
	// Version is the legacy clauses' year (2001, 2004 or 2010), or the
	// version of the IDTA or the Addendum.
	Version string `yaml:"version,omitempty" json:"version,omitempty"`
	// SignedAt is when the clauses, the IDTA or the Addendum were
	// concluded: a contract covers sends from then on.
	SignedAt time.Time `yaml:"signed_at,omitempty" json:"signed_at,omitzero"`
	// BCRType is the binding corporate rules' kind: controller or
	// processor.
	BCRType BCRType `yaml:"bcr_type,omitempty" json:"bcr_type,omitzero"`
	// ApprovalRef is the supervisory authority's approval of the BCRs.
	ApprovalRef string `yaml:"approval_ref,omitempty" json:"approval_ref,omitempty"`
	// Letter is the art. 49(1) derogation's point: a to g.
	Letter string `yaml:"letter,omitempty" json:"letter,omitempty"`
	// EvidenceRef points to the evidence of a derogation (the explicit,
	// risk-informed consent to the transfer).
	EvidenceRef string `yaml:"evidence_ref,omitempty" json:"evidence_ref,omitempty"`
	// OneOff marks a derogation documented for a single, occasional
	// transfer rather than a standing route.
	OneOff bool `yaml:"one_off,omitempty" json:"one_off,omitempty"`
	// TIA is the transfer impact assessment (UK: the transfer risk
	// assessment, the "data protection test") the clauses, the IDTA, the
	// Addendum and BCRs need.
	TIA TIA `yaml:"tia,omitempty" json:"tia,omitzero"`
}

// TIA is a transfer impact assessment: its reference, when it was made
// and when it must be re-evaluated (EDPB Recommendations 01/2020, step 6).
type TIA struct {
	// Ref identifies the assessment document.
	Ref string `yaml:"ref" json:"ref"`
	// AssessedAt is when it was made; it covers sends from then on.
	AssessedAt time.Time `yaml:"assessed_at" json:"assessed_at"`
	// NextReviewAt is when it must be re-evaluated: from that instant it is
	// stale.
	NextReviewAt time.Time `yaml:"next_review_at" json:"next_review_at"`
}

// IsZero reports whether no assessment is recorded.
func (t TIA) IsZero() bool { return t == TIA{} }

// Limits of route configurations.
const (
	MaxRoutes     = 256 // routes in a policy
	MaxHops       = 32  // hops in a route
	MaxMechanisms = 16  // mechanisms of a hop
	MaxCountries  = 64  // processing or access countries of a hop
	MaxRouteName  = 128 // bytes in a route's name or a hop's id
	maxRefLen     = limits.MaxIDLen
)

// HopRole is a hop's role in the processing.
type HopRole uint8

// Hop roles.
const (
	Processor    HopRole = iota + 1 // the sender's processor (GDPR art. 28)
	Subprocessor                    // a processor's processor (art. 28(2), (4))
	Controller                      // another controller
)

var hopRoleNames = enum.New[HopRole]("", "hop role", "", "processor", "subprocessor", "controller")

// String returns the text form, e.g. "subprocessor".
func (r HopRole) String() string { return hopRoleNames.String(r) }

// MarshalText implements encoding.TextMarshaler.
func (r HopRole) MarshalText() ([]byte, error) { return hopRoleNames.Marshal(r) }

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an error.
func (r *HopRole) UnmarshalText(b []byte) error { return hopRoleNames.Unmarshal(r, b) }

// MechanismKind is a transfer mechanism.
type MechanismKind uint8

// Transfer mechanisms, in the order of the cascade.
const (
	// Adequacy attests that the importer is within the scope of the
	// adequacy decision for its country, where the decision has one (a
	// Canadian importer subject to PIPEDA, a Japanese one to the APPI).
	// No other field.
	Adequacy MechanismKind = iota + 1
	// DPF is a Data Privacy Framework listing: framework, status, covered
	// and checked_at required.
	DPF
	// SCC2021 (scc_2021) are the standard contractual clauses of
	// Commission Implementing Decision (EU) 2021/914: module and signed_at
	// required, tia.
	SCC2021
	// SCCLegacy (scc_legacy) are the clauses of 2001, 2004 or 2010,
	// repealed: version and signed_at required, tia.
	SCCLegacy
	// UKIDTA (uk_idta) is the UK International Data Transfer Agreement:
	// signed_at required, version, tia.
	UKIDTA
	// UKAddendum (uk_addendum) is the UK Addendum to the EU clauses:
	// signed_at required, version, tia.
	UKAddendum
	// BCR are binding corporate rules (GDPR art. 47): bcr_type and
	// approval_ref required, tia.
	BCR
	// Derogation49 (derogation_49) is an art. 49(1) derogation: letter
	// required, evidence_ref, one_off.
	Derogation49
)

var mechanismNames = enum.New[MechanismKind]("", "transfer mechanism", "", "adequacy", "dpf", "scc_2021", "scc_legacy",
	"uk_idta", "uk_addendum", "bcr", "derogation_49")

// String returns the text form, e.g. "scc_2021".
func (k MechanismKind) String() string { return mechanismNames.String(k) }

// MarshalText implements encoding.TextMarshaler.
func (k MechanismKind) MarshalText() ([]byte, error) { return mechanismNames.Marshal(k) }

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an error.
func (k *MechanismKind) UnmarshalText(b []byte) error { return mechanismNames.Unmarshal(k, b) }

// Safeguard reports whether k is an appropriate safeguard of GDPR art.
// 46 or 47 (the clauses, the IDTA, the Addendum, BCRs), which is relied on
// with a transfer impact assessment.
func (k MechanismKind) Safeguard() bool { return k >= SCC2021 && k <= BCR }

// DPFFramework is a Data Privacy Framework listing's framework.
type DPFFramework uint8

// DPF frameworks.
const (
	DPFEUUS        DPFFramework = iota + 1 // eu_us: the EU-US DPF (Impl. Dec. (EU) 2023/1795)
	DPFUKExtension                         // uk_extension: the UK Extension (SI 2023/1028)
	DPFSwissUS                             // swiss_us: the Swiss-US DPF
)

var frameworkNames = enum.New[DPFFramework]("", "DPF framework", "", "eu_us", "uk_extension", "swiss_us")

// String returns the text form, e.g. "uk_extension".
func (f DPFFramework) String() string { return frameworkNames.String(f) }

// MarshalText implements encoding.TextMarshaler.
func (f DPFFramework) MarshalText() ([]byte, error) { return frameworkNames.Marshal(f) }

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an error.
func (f *DPFFramework) UnmarshalText(b []byte) error { return frameworkNames.Unmarshal(f, b) }

// ListingStatus is a DPF listing's status.
type ListingStatus uint8

// Listing statuses.
const (
	Active   ListingStatus = iota + 1 // active on the DPF List
	Inactive                          // inactive (lapsed or withdrawn)
)

var statusNames = enum.New[ListingStatus]("", "listing status", "", "active", "inactive")

// String returns the text form.
func (s ListingStatus) String() string { return statusNames.String(s) }

// MarshalText implements encoding.TextMarshaler.
func (s ListingStatus) MarshalText() ([]byte, error) { return statusNames.Marshal(s) }

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an error.
func (s *ListingStatus) UnmarshalText(b []byte) error { return statusNames.Unmarshal(s, b) }

// DataCover is the data a DPF listing covers.
type DataCover uint8

// Data covered.
const (
	NonHRData DataCover = iota + 1 // non_hr: customer and prospect data
	HRData                         // hr: human resources data only
)

var coverNames = enum.New[DataCover]("", "covered data", "", "non_hr", "hr")

// String returns the text form.
func (c DataCover) String() string { return coverNames.String(c) }

// MarshalText implements encoding.TextMarshaler.
func (c DataCover) MarshalText() ([]byte, error) { return coverNames.Marshal(c) }

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an error.
func (c *DataCover) UnmarshalText(b []byte) error { return coverNames.Unmarshal(c, b) }

// BCRType is the kind of binding corporate rules.
type BCRType uint8

// BCR types.
const (
	BCRController BCRType = iota + 1 // controller: BCR-C
	BCRProcessor                     // processor: BCR-P
)

var bcrNames = enum.New[BCRType]("", "BCR type", "", "controller", "processor")

// String returns the text form.
func (t BCRType) String() string { return bcrNames.String(t) }

// MarshalText implements encoding.TextMarshaler.
func (t BCRType) MarshalText() ([]byte, error) { return bcrNames.Marshal(t) }

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an error.
func (t *BCRType) UnmarshalText(b []byte) error { return bcrNames.Unmarshal(t, b) }

// routeFile is the form of a route file.
type routeFile struct {
	Routes []Route `yaml:"routes"`
}

// ParseRoutes decodes a route file from YAML (or JSON) as strictly as
// [Parse] decodes rule files: keys matched exactly and once, no aliases,
// bounded sizes, every problem an [*Error] of an [ErrorList] with its
// position in name. It also checks the routes as [CheckRoutes] does.
func ParseRoutes(name string, data []byte) ([]Route, error) {
	var f routeFile
	root, err := parseDocument(name, data, "route file", reflect.ValueOf(&f).Elem())
	if err != nil {
		return nil, err
	}
	if value(root.Content[0], "routes") == nil {
		return nil, ErrorList{{File: name, Line: root.Content[0].Line, Column: root.Content[0].Column, Msg: "missing routes"}}.Err()
	}
	if err := checkRoutes(f.Routes, name, root.Content[0], "routes"); err != nil {
		return nil, err
	}
	return f.Routes, nil
}

// ParseRoutesFile reads and parses one route file, as [ParseRoutes] does.
func ParseRoutesFile(path string) ([]Route, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, ErrorList{{File: path, Msg: "reading: " + err.Error(), Err: err}}.Err()
	}
	defer f.Close()
	return parseRoutesReader(path, f)
}

// ParseRoutesFS parses the route files of fsys matching the patterns
// ([fs.Glob] syntax), each once, in lexical order of path, and returns
// their routes together, checked together (names unique across files). A
// pattern matching no file is an error.
func ParseRoutesFS(fsys fs.FS, patterns ...string) ([]Route, error) {
	paths, list := globFS(fsys, patterns, "route")
	var out []Route
	for _, p := range paths {
		f, err := fsys.Open(p)
		if err != nil {
			list = append(list, &Error{File: p, Msg: "reading: " + err.Error(), Err: err})
			continue
		}
		rs, err := parseRoutesReader(p, f)
		f.Close()
		var el ErrorList
		switch {
		case errors.As(err, &el):
			list = append(list, el...)
		case err != nil:
			list = append(list, &Error{File: p, Msg: err.Error()})
		default:
			out = append(out, rs...)
		}
	}
	if err := list.Err(); err != nil {
		return nil, err
	}
	if err := CheckRoutes(out); err != nil {
		return nil, err
	}
	return out, nil
}

// parseRoutesReader reads at most one byte more than [MaxFileSize] from r
// and parses it.
func parseRoutesReader(name string, r io.Reader) ([]Route, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, ErrorList{{File: name, Msg: "reading: " + err.Error(), Err: err}}.Err()
	}
	return ParseRoutes(name, data)
}

// CheckRoutes checks routes as a policy's: names unique and well formed,
// a channel the default of one route at most, each hop's id unique in
// its route, its entity, role and countries given, its from naming
// another hop of the route with no cycle, and each mechanism with the
// fields its kind requires and no other. Errors are an [ErrorList] whose
// [Error.Field] is the path of the value at fault ("routes[0].hops[1].from")
// and whose messages name the route and the hop.
func CheckRoutes(routes []Route) error {
	return checkRoutes(routes, "", nil, "routes")
}

// idForm is the form of a route's name and a hop's id.
var idForm = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.:-]*$`)

// routeChecker collects the problems of a list of routes, placing them in
// the document when there is one.
type routeChecker struct {
	file string
	root *yaml.Node // the mapping holding the routes; nil: no positions
	key  string     // its key
	list ErrorList
}

// checkRoutes is CheckRoutes, placing problems in file's root.
func checkRoutes(routes []Route, file string, root *yaml.Node, key string) error {
	rc := &routeChecker{file: file, root: root, key: key}
	if len(routes) > MaxRoutes {
		rc.bad(key, "%d routes: at most %d", len(routes), MaxRoutes)
		return rc.list.Err()
	}
	names := map[string]int{}
	defaults := map[consent.Channel]string{}
	for i := range routes {
		r := &routes[i]
		at := key + "[" + strconv.Itoa(i) + "]"
		rc.route(r, at)
		if j, dup := names[r.Name]; dup && r.Name != "" {
			rc.bad(at+".name", "route %s: defined twice (also %s[%d])", r.Name, key, j)
		} else {
			names[r.Name] = i
		}
		for j, ch := range r.DefaultFor {
			if other, ok := defaults[ch]; ok && ch != 0 {
				rc.bad(at+".default_for["+strconv.Itoa(j)+"]", "route %s: %v is already the default channel of route %s", clip(r.Name), ch, clip(other))
				continue
			}
			defaults[ch] = r.Name
		}
	}
	return rc.list.Err()
}

// bad records a problem at the dotted path.
func (rc *routeChecker) bad(path, format string, args ...any) {
	e := &Error{File: rc.file, Field: path, Msg: fmt.Sprintf(format, args...)}
	if n := rc.node(path); n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	rc.list = append(rc.list, e)
}

// node finds the node at a dotted path ("routes[0].hops[1].from") in the
// document: the deepest node found on the way when the path goes past
// what the document has (a missing key is placed at its mapping).
func (rc *routeChecker) node(path string) *yaml.Node {
	if rc.root == nil {
		return nil
	}
	n := rc.root
	for part := range strings.SplitSeq(path, ".") {
		name, rest, _ := strings.Cut(part, "[")
		v := value(n, name)
		if v == nil {
			return n
		}
		n = v
		for rest != "" {
			idx, after, _ := strings.Cut(rest, "]")
			i, err := strconv.Atoi(idx)
			if err != nil || n.Kind != yaml.SequenceNode || i >= len(n.Content) {
				return n
			}
			n = n.Content[i]
			rest = strings.TrimPrefix(after, "[")
		}
	}
	return n
}

// route checks one route.
func (rc *routeChecker) route(r *Route, at string) {
	name := clip(r.Name)
	switch {
	case r.Name == "":
		rc.bad(at+".name", "route: missing name")
		name = at
	case len(r.Name) > MaxRouteName || !idForm.MatchString(r.Name):
		rc.bad(at+".name", "route %q: want letters, digits and _ . : - (at most %d bytes)", name, MaxRouteName)
	}
	for j, ch := range r.DefaultFor {
		switch {
		case !enum.Valid(ch) || ch == consent.AllChannels:
			rc.bad(at+".default_for["+strconv.Itoa(j)+"]", "route %s: default_for: %v is not a message channel", name, ch)
		case slices.Contains(r.DefaultFor[:j], ch):
			rc.bad(at+".default_for["+strconv.Itoa(j)+"]", "route %s: default_for: %v given twice", name, ch)
		}
	}
	switch {
	case len(r.Hops) == 0:
		rc.bad(at+".hops", "route %s: no hops (a route lists every recipient of the data)", name)
		return
	case len(r.Hops) > MaxHops:
		rc.bad(at+".hops", "route %s: %d hops: at most %d", name, len(r.Hops), MaxHops)
		return
	}
	ids := map[string]int{}
	for i := range r.Hops {
		h := &r.Hops[i]
		hat := at + ".hops[" + strconv.Itoa(i) + "]"
		rc.hop(name, h, hat)
		if j, dup := ids[h.ID]; dup && h.ID != "" {
			rc.bad(hat+".id", "route %s: hop %s: defined twice (also hops[%d])", name, clip(h.ID), j)
		} else {
			ids[h.ID] = i
		}
	}
	for i := range r.Hops {
		h := &r.Hops[i]
		if h.From == "" {
			continue
		}
		hat := at + ".hops[" + strconv.Itoa(i) + "].from"
		j, ok := ids[h.From]
		switch {
		case h.From == h.ID:
			rc.bad(hat, "route %s: hop %s: from names the hop itself", name, clip(h.ID))
		case !ok:
			rc.bad(hat, "route %s: hop %s: from %q names no hop of the route", name, clip(h.ID), clip(h.From))
		default:
			// Follow the feeders: a chain longer than the route is a cycle.
			for steps := 0; ok && r.Hops[j].From != ""; steps++ {
				if steps > len(r.Hops) {
					rc.bad(hat, "route %s: hop %s: its from chain is a cycle", name, clip(h.ID))
					break
				}
				j, ok = ids[r.Hops[j].From]
			}
		}
	}
}

// hop checks one hop of route name.
func (rc *routeChecker) hop(name string, h *Hop, at string) {
	id := clip(h.ID)
	switch {
	case h.ID == "":
		rc.bad(at+".id", "route %s: hop: missing id", name)
		id = at
	case len(h.ID) > MaxRouteName || !idForm.MatchString(h.ID):
		rc.bad(at+".id", "route %s: hop %q: want letters, digits and _ . : - (at most %d bytes)", name, id, MaxRouteName)
	}
	where := "route " + name + ": hop " + id
	switch {
	case h.Entity == "":
		rc.bad(at+".entity", "%s: missing entity (the contracting legal entity)", where)
	case len(h.Entity) > maxRefLen || !canon.HasEntityKey(h.Entity):
		rc.bad(at+".entity", "%s: entity: want a legal entity's name (at most %d bytes)", where, maxRefLen)
	}
	if len(h.EntityID) > maxRefLen {
		rc.bad(at+".entity_id", "%s: entity_id longer than %d bytes", where, maxRefLen)
	}
	if !hopRoleNames.Valid(h.Role) {
		rc.bad(at+".role", "%s: missing role (processor, subprocessor or controller)", where)
	}
	if len(h.Processing) == 0 {
		rc.bad(at+".processing", "%s: missing processing (the countries where it processes the data)", where)
	}
	rc.countries(where, at+".processing", h.Processing)
	rc.countries(where, at+".access", h.Access)
	if len(h.Mechanisms) > MaxMechanisms {
		rc.bad(at+".mechanisms", "%s: %d mechanisms: at most %d", where, len(h.Mechanisms), MaxMechanisms)
		return
	}
	for i := range h.Mechanisms {
		m := &h.Mechanisms[i]
		mat := at + ".mechanisms[" + strconv.Itoa(i) + "]"
		rc.mechanism(where, m, mat)
		for j := range h.Mechanisms[:i] {
			o := &h.Mechanisms[j]
			if o.Kind == m.Kind && o.Framework == m.Framework && o.Module == m.Module && o.Version == m.Version && o.BCRType == m.BCRType && o.Letter == m.Letter {
				rc.bad(mat, "%s: mechanism %v given twice (also mechanisms[%d])", where, m.Kind, j)
				break
			}
		}
	}
}

// countries checks a hop's list of countries.
func (rc *routeChecker) countries(where, at string, cs []address.Country) {
	if len(cs) > MaxCountries {
		rc.bad(at, "%s: %d countries: at most %d", where, len(cs), MaxCountries)
		return
	}
	for i, c := range cs {
		switch {
		case c.IsZero():
			rc.bad(at+"["+strconv.Itoa(i)+"]", "%s: missing country", where)
		case slices.Contains(cs[:i], c):
			rc.bad(at+"["+strconv.Itoa(i)+"]", "%s: %v given twice", where, c)
		}
	}
}

// mechanismFields are the optional and required fields of each kind,
// by yaml key.
var mechanismFields = map[MechanismKind]struct{ required, optional []string }{
	Adequacy:     {},
	DPF:          {required: []string{"framework", "status", "covered", "checked_at"}},
	SCC2021:      {required: []string{"module", "signed_at"}, optional: []string{"version", "tia"}},
	SCCLegacy:    {required: []string{"version", "signed_at"}, optional: []string{"tia"}},
	UKIDTA:       {required: []string{"signed_at"}, optional: []string{"version", "tia"}},
	UKAddendum:   {required: []string{"signed_at"}, optional: []string{"version", "tia"}},
	BCR:          {required: []string{"bcr_type", "approval_ref"}, optional: []string{"tia"}},
	Derogation49: {required: []string{"letter"}, optional: []string{"evidence_ref", "one_off"}},
}

// mechanism checks one mechanism of a hop.
func (rc *routeChecker) mechanism(where string, m *Mechanism, at string) {
	fields, ok := mechanismFields[m.Kind]
	if !ok {
		rc.bad(at+".kind", "%s: missing mechanism kind (adequacy, dpf, scc_2021, scc_legacy, uk_idta, uk_addendum, bcr, derogation_49)", where)
		return
	}
	set := map[string]bool{
		"framework": m.Framework != 0, "status": m.Status != 0, "covered": m.Covered != 0, "checked_at": !m.CheckedAt.IsZero(),
		"module": m.Module != 0, "version": m.Version != "", "signed_at": !m.SignedAt.IsZero(), "bcr_type": m.BCRType != 0,
		"approval_ref": m.ApprovalRef != "", "letter": m.Letter != "", "evidence_ref": m.EvidenceRef != "", "one_off": m.OneOff,
		"tia": !m.TIA.IsZero(),
	}
	for _, f := range fields.required {
		if !set[f] {
			rc.bad(at, "%s: mechanism %v: missing %s", where, m.Kind, f)
		}
	}
	for _, f := range slices.Sorted(maps.Keys(set)) {
		if set[f] && !slices.Contains(fields.required, f) && !slices.Contains(fields.optional, f) {
			rc.bad(at+"."+f, "%s: mechanism %v takes no %s", where, m.Kind, f)
		}
	}
	for _, v := range []struct {
		field, s string
	}{{"version", m.Version}, {"approval_ref", m.ApprovalRef}, {"evidence_ref", m.EvidenceRef}, {"tia.ref", m.TIA.Ref}} {
		if len(v.s) > maxRefLen {
			rc.bad(at+"."+v.field, "%s: mechanism %v: %s longer than %d bytes", where, m.Kind, v.field, maxRefLen)
		}
	}
	switch {
	case m.Module != 0 && (m.Module < 1 || m.Module > 4):
		rc.bad(at+".module", "%s: mechanism %v: module %d: want 1 to 4", where, m.Kind, m.Module)
	case m.Kind == SCCLegacy && m.Version != "" && !slices.Contains([]string{"2001", "2004", "2010"}, m.Version):
		rc.bad(at+".version", "%s: mechanism scc_legacy: version %q: want 2001, 2004 or 2010", where, clip(m.Version))
	case m.Letter != "" && (len(m.Letter) != 1 || m.Letter[0] < 'a' || m.Letter[0] > 'g'):
		rc.bad(at+".letter", "%s: mechanism derogation_49: letter %q: want one of a to g (art. 49(1))", where, clip(m.Letter))
	}
	if t := m.TIA; !t.IsZero() {
		switch {
		case t.Ref == "":
			rc.bad(at+".tia.ref", "%s: mechanism %v: tia: missing ref", where, m.Kind)
		case t.AssessedAt.IsZero():
			rc.bad(at+".tia.assessed_at", "%s: mechanism %v: tia: missing assessed_at", where, m.Kind)
		case t.NextReviewAt.IsZero():
			rc.bad(at+".tia.next_review_at", "%s: mechanism %v: tia: missing next_review_at", where, m.Kind)
		case !t.NextReviewAt.After(t.AssessedAt):
			rc.bad(at+".tia.next_review_at", "%s: mechanism %v: tia: next_review_at is not after assessed_at", where, m.Kind)
		}
	}
}
