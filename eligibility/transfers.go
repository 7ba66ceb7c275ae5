package eligibility

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/internal/decode"
	"github.com/sendright/sendright/rules"
)

// TransferParams are the policy's settings for the transfer check of
// message routes ([Params.Routes]); the zero value is the default.
type TransferParams struct {
	// DisableDPF is the kill switch of the Data Privacy Framework: true
	// stops relying on every DPF listing at once (after a court annuls the
	// EU-US decision, or the Commission suspends it), so that a hop resting
	// on the DPF alone is denied DPF_DISABLED_BY_POLICY and one with a
	// recorded fallback (standard contractual clauses, the IDTA) rests on
	// it.
	DisableDPF bool `json:"disable_dpf,omitempty" yaml:"disable_dpf,omitempty"`
	// DPFCheckMaxAgeDays is how old a hop's DPF listing check may be and
	// still count: 1 to 366 days; zero means 30. An older check (or one
	// made after the send) is a deny for review, DPF_STATUS_STALE: a
	// listing lapses when the organisation does not re-certify, and the
	// library cannot query the List.
	DPFCheckMaxAgeDays int `json:"dpf_check_max_age_days,omitempty" yaml:"dpf_check_max_age_days,omitempty"`
	// StrictDerogations makes a hop resting on a documented one-off art.
	// 49 derogation (point (a): explicit consent to the transfer after
	// being informed of its risks, with evidence_ref and one_off) a plain
	// deny, like a routine one; by default it is a deny for review, for
	// counsel to decide. Routine transfers on a derogation are denied
	// either way (EDPB Guidelines 2/2018).
	StrictDerogations bool `json:"strict_derogations,omitempty" yaml:"strict_derogations,omitempty"`
}

// DefaultDPFCheckMaxAgeDays is the age of a DPF listing check beyond which
// it no longer counts, when [TransferParams.DPFCheckMaxAgeDays] is zero.
const DefaultDPFCheckMaxAgeDays = 30

// UnmarshalJSON decodes the settings strictly: keys match exactly and
// appear once, unknown keys are errors.
func (t *TransferParams) UnmarshalJSON(b []byte) error {
	type plain TransferParams
	var p plain
	if err := decode.JSON(b, &p); err != nil {
		return err
	}
	*t = TransferParams(p)
	return nil
}

// Reason codes of the transfer check (GDPR ch. V; UK GDPR ch. 5).
const (
	// ReasonRouteUnknown: the message names a route the policy does not
	// declare (an error too).
	ReasonRouteUnknown = "ROUTE_UNKNOWN"
	// ReasonRouteNotNamed: the policy declares routes, but the message
	// names none and none is the default for its channel.
	ReasonRouteNotNamed = "ROUTE_NOT_NAMED"
	// ReasonTransferNoMechanism: a hop the sender feeds is in a third
	// country and nothing makes the transfer lawful (art. 44).
	ReasonTransferNoMechanism = "TRANSFER_NO_MECHANISM"
	// ReasonOnwardNoMechanism: the same for a hop fed by another hop (an
	// onward transfer, art. 44).
	ReasonOnwardNoMechanism = "ONWARD_TRANSFER_NO_MECHANISM"
	// ReasonDPFNotListed: the hop's DPF listing does not cover the data
	// sent (non-HR data).
	ReasonDPFNotListed = "DPF_NOT_LISTED"
	// ReasonDPFInactive: the hop's DPF listing is inactive.
	ReasonDPFInactive = "DPF_INACTIVE"
	// ReasonDPFFrameworkMismatch: the hop is listed under another DPF
	// framework than the regime's (the EU-US framework does not serve UK
	// data).
	ReasonDPFFrameworkMismatch = "DPF_FRAMEWORK_MISMATCH"
	// ReasonDPFStatusStale: the hop's DPF listing was checked too long ago
	// (or after the send); a deny for review.
	ReasonDPFStatusStale = "DPF_STATUS_STALE"
	// ReasonDPFDisabled: the hop rests on the DPF, which the host stopped
	// relying on ([TransferParams.DisableDPF]).
	ReasonDPFDisabled = "DPF_DISABLED_BY_POLICY"
	// ReasonAdequacyOutOfScope: the destination's adequacy decision is
	// limited in scope and the hop is not recorded as within it.
	ReasonAdequacyOutOfScope = "ADEQUACY_OUT_OF_SCOPE"
	// ReasonAdequacyReview: the adequacy row covering the hop is marked
	// for review; a deny for review.
	ReasonAdequacyReview = "ADEQUACY_NEEDS_REVIEW"
	// ReasonSCCRepealed: the hop rests on repealed clauses past their
	// cut-off.
	ReasonSCCRepealed = "SCC_REPEALED_VERSION"
	// ReasonSCCModule: the hop rests on the 2021 clauses in a module that
	// does not fit the roles of the exporter and the hop; a deny for
	// review.
	ReasonSCCModule = "SCC_MODULE_MISMATCH"
	// ReasonTIAMissing: the hop rests on an art. 46/47 tool without a
	// transfer impact assessment made by the send; a deny for review.
	ReasonTIAMissing = "TIA_MISSING"
	// ReasonTIAStale: the assessment is past its review date; a deny for
	// review.
	ReasonTIAStale = "TIA_STALE"
	// ReasonDerogation: the hop rests on an art. 49 derogation, not a
	// basis for routine transfers (a deny for review for a documented
	// one-off, unless [TransferParams.StrictDerogations]).
	ReasonDerogation = "DEROGATION_NOT_FOR_ROUTINE_TRANSFERS"
)

// Rule ids of the transfer check's own decisions, beside the rows of the
// transfer law tables (see rules/builtin/LAW.md).
const (
	// RuleRoutes: the route resolution (an unknown route, no route).
	RuleRoutes = "TRANSFER_ROUTES"
	// RuleEUTransfers: the EU cascade found no mechanism.
	RuleEUTransfers = "EU_TRANSFERS"
	// RuleUKTransfers: the UK cascade found no mechanism.
	RuleUKTransfers = "UK_TRANSFERS"
)

// ErrUnknownRoute is wrapped by the error of a message naming a route the
// policy does not declare ([consent.Message.Route]).
var ErrUnknownRoute = errors.New("eligibility: unknown route")

// Transfer is the transfer check of a message's route: for each regime of
// transfer law reaching the message (the EU GDPR when the sender's or the
// recipient's country is in the EEA, the UK GDPR when either is the UK),
// every hop of the route in the order of the cascade. Decisions share it:
// it is computed once per route, regimes and period when the policy is
// compiled, and must not be modified.
type Transfer struct {
	// Route is the route's name.
	Route string `json:"route"`
	// Verdict is Allow when every hop is lawful under every regime, Deny
	// otherwise.
	Verdict Verdict `json:"verdict"`
	// Hops are each hop's evaluation under each regime, hop by hop in the
	// route's order, EU before UK.
	Hops []TransferHop `json:"hops"`
	// AtRisk marks a route with a hop resting on the Data Privacy
	// Framework alone, whose decision is challenged: informational; the
	// host should record a fallback (standard contractual clauses).
	AtRisk bool `json:"at_risk,omitempty"`
	// From and Until bound the period this result holds for, [From,
	// Until): the instants at which a row, a listing check or an
	// assessment changes it; zero for unbounded.
	From  time.Time `json:"from,omitzero"`
	Until time.Time `json:"until,omitzero"`
}

// TransferHop is one hop's evaluation under one regime.
type TransferHop struct {
	Hop    string               `json:"hop"`    // the hop's id
	Entity string               `json:"entity"` // its contracting entity
	Regime rules.TransferRegime `json:"regime"` // EU or UK
	// Verdict is Allow or Deny.
	Verdict Verdict `json:"verdict"`
	// Basis is what makes it lawful, on an allow: "home" (no transfer),
	// "adequacy:EU-2023/1795", "scc_2021:module_2", "scc_legacy:2010",
	// "uk_idta", "uk_addendum", "bcr_processor", "bcr_controller".
	Basis string `json:"basis,omitempty"`
	// Reason is the reason code of a deny.
	Reason string `json:"reason,omitempty"`
	// Row is the id of the transfer law row (or check) that decided.
	Row string `json:"row,omitempty"`
	// Citation is the law the row rests on.
	Citation string `json:"citation,omitempty"`
	// Assessment is the id of the row naming the standard the transfer
	// assessment meets, on an allow by an art. 46/47 tool under a regime
	// that dates it (the UK's data protection test).
	Assessment string `json:"assessment,omitempty"`
	// ReevaluateBy is, on an allow by an art. 46/47 tool, the date by
	// which its transfer impact assessment must be re-evaluated.
	ReevaluateBy time.Time `json:"reevaluate_by,omitzero"`
	// AtRisk marks a hop resting on the Data Privacy Framework alone.
	AtRisk bool `json:"at_risk,omitempty"`
	// NeedsReview marks a deny for review.
	NeedsReview bool `json:"needs_review,omitempty"`
	// Detail says what was found, in words; never an address.
	Detail string `json:"detail,omitempty"`
}

// String summarises the hop's evaluation on one line, as scenario files
// expect it: "HOP REGIME VERDICT BASIS" on an allow ("esp EU allow
// adequacy:EU-2023/1795"), "HOP REGIME VERDICT REASON" on a deny, followed
// by " at_risk" and " review" when marked.
func (h TransferHop) String() string {
	s := h.Hop + " " + h.Regime.String() + " " + h.Verdict.String() + " " + h.Basis + h.Reason
	if h.AtRisk {
		s += " at_risk"
	}
	if h.NeedsReview {
		s += " review"
	}
	return s
}

// transferResult is one precomputed result: the shared [Transfer] and
// what a decision takes from it.
type transferResult struct {
	pub         Transfer
	deny        *TransferHop // the hop that decided a deny; nil on an allow
	detail      string       // the decision's Detail on a deny
	obligations Obligations  // the transfer obligations, on an allow
}

// timeline is a route's results for one combination of regimes over time:
// results[i] holds from starts[i-1] (inclusive) to starts[i] (exclusive).
type timeline struct {
	starts  []time.Time
	results []*transferResult
}

// at returns the result holding at t: a binary search, no allocation.
func (tl *timeline) at(t time.Time) *transferResult {
	lo, hi := 0, len(tl.starts)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if !t.Before(tl.starts[mid]) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return tl.results[lo]
}

// regime masks: which transfer regimes reach a message.
const (
	maskEU uint8 = 1 << iota
	maskUK
)

// compiledRoute is a route's timelines by regime mask (1: EU, 2: UK, 3:
// both).
type compiledRoute struct {
	name  string
	masks [4]*timeline
}

// transferIndex is the policy's compiled routes.
type transferIndex struct {
	byName   map[string]*compiledRoute
	defaults [consent.AllChannels]*compiledRoute
	// regimes is, by country index, the transfer regimes its senders and
	// recipients bring.
	regimes [26 * 26]uint8
	// notNamed is, by channel, the deny of a message naming no route.
	notNamed [consent.AllChannels]string
}

// transferCompiler builds the timelines of a policy's routes.
type transferCompiler struct {
	laws   [3]*rules.TransferLaw // by regime
	params TransferParams
	maxAge time.Duration
	names  []rules.Obligation // the policy's obligations, by bit
}

// checkTransfers checks the routes and the transfer settings.
func (c *compiler) checkTransfers() {
	for _, e := range errList(rules.CheckRoutes(c.params.Routes)) {
		e.Msg = "routes: " + e.Msg
		c.errs = append(c.errs, e)
	}
	if n := c.params.Transfers.DPFCheckMaxAgeDays; n < 0 || n > 366 {
		c.errs = append(c.errs, &rules.Error{Msg: fmt.Sprintf("transfers.dpf_check_max_age_days: %d: want 1 to 366 (0: %d)", n, DefaultDPFCheckMaxAgeDays)})
	}
}

// errList returns the problems of err, a rules.ErrorList or nil.
func errList(err error) rules.ErrorList {
	var list rules.ErrorList
	if errors.As(err, &list) {
		return list
	}
	if err != nil {
		return rules.ErrorList{{Msg: err.Error()}}
	}
	return nil
}

// transfers compiles the routes: nil when the policy declares none.
func (c *compiler) transfers() (*transferIndex, error) {
	if len(c.params.Routes) == 0 {
		return nil, nil
	}
	laws, err := rules.BuiltinTransfers()
	if err != nil {
		return nil, fmt.Errorf("eligibility: reading the transfer law tables: %w", err)
	}
	tc := &transferCompiler{params: c.params.Transfers, names: c.obligations}
	for _, l := range laws {
		tc.laws[l.Regime] = l
	}
	days := c.params.Transfers.DPFCheckMaxAgeDays
	if days == 0 {
		days = DefaultDPFCheckMaxAgeDays
	}
	tc.maxAge = time.Duration(days) * 24 * time.Hour
	ix := &transferIndex{byName: make(map[string]*compiledRoute, len(c.params.Routes))}
	for _, country := range address.Countries() {
		var m uint8
		if slices.Contains(tc.laws[rules.EUTransfers].Home, country) {
			m |= maskEU
		}
		if slices.Contains(tc.laws[rules.UKTransfers].Home, country) {
			m |= maskUK
		}
		ix.regimes[index(country.String())] = m
	}
	for ch := consent.Email; ch < consent.AllChannels; ch++ {
		ix.notNamed[ch] = "the message names no route and no route is the default for " + ch.String()
	}
	for i := range c.params.Routes {
		r := &c.params.Routes[i]
		cr := &compiledRoute{name: r.Name}
		for mask := uint8(1); mask < 4; mask++ {
			cr.masks[mask] = tc.timeline(r, mask)
		}
		ix.byName[r.Name] = cr
		for _, ch := range r.DefaultFor {
			ix.defaults[ch] = cr
		}
	}
	return ix, nil
}

// regimesOf returns the laws of the regimes in mask, EU first.
func (tc *transferCompiler) regimesOf(mask uint8) []*rules.TransferLaw {
	var out []*rules.TransferLaw
	if mask&maskEU != 0 {
		out = append(out, tc.laws[rules.EUTransfers])
	}
	if mask&maskUK != 0 {
		out = append(out, tc.laws[rules.UKTransfers])
	}
	return out
}

// timeline evaluates route r under the regimes of mask between every two
// instants at which anything it reads changes.
func (tc *transferCompiler) timeline(r *rules.Route, mask uint8) *timeline {
	laws := tc.regimesOf(mask)
	var points []time.Time
	add := func(ts ...time.Time) {
		for _, t := range ts {
			if !t.IsZero() {
				points = append(points, t)
			}
		}
	}
	for _, l := range laws {
		for _, a := range l.Adequacy {
			add(a.ValidFrom, a.ValidUntil)
		}
		for _, m := range l.Mechanisms {
			add(m.ValidFrom, m.ValidUntil)
		}
		for _, a := range l.Assessments {
			add(a.ValidFrom, a.ValidUntil)
		}
	}
	for _, h := range r.Hops {
		for _, m := range h.Mechanisms {
			add(m.SignedAt, m.TIA.AssessedAt, m.TIA.NextReviewAt)
			if !m.CheckedAt.IsZero() {
				add(m.CheckedAt, m.CheckedAt.Add(tc.maxAge))
			}
		}
	}
	slices.SortFunc(points, func(a, b time.Time) int { return a.Compare(b) })
	points = slices.CompactFunc(points, func(a, b time.Time) bool { return a.Equal(b) })
	// Period 0 is before points[0], period k is [points[k-1], points[k]);
	// a period whose result is the previous one's extends it.
	tl := &timeline{}
	var last *transferResult
	for k := 0; k <= len(points); k++ {
		var at time.Time
		switch {
		case k > 0:
			at = points[k-1]
		case len(points) > 0:
			at = points[0].Add(-time.Nanosecond)
		}
		res := tc.evaluate(r, laws, at)
		if last != nil && sameResult(last, res) {
			continue
		}
		if k > 0 {
			tl.starts = append(tl.starts, points[k-1])
			res.pub.From, last.pub.Until = points[k-1], points[k-1]
		}
		tl.results = append(tl.results, res)
		last = res
	}
	return tl
}

// sameResult reports whether two periods' results are the same.
func sameResult(a, b *transferResult) bool {
	return a.pub.Verdict == b.pub.Verdict && a.pub.AtRisk == b.pub.AtRisk && slices.Equal(a.pub.Hops, b.pub.Hops) &&
		a.detail == b.detail && a.obligations.Equal(b.obligations)
}

// evaluate is the result of route r under laws at t.
func (tc *transferCompiler) evaluate(r *rules.Route, laws []*rules.TransferLaw, t time.Time) *transferResult {
	res := &transferResult{pub: Transfer{Route: r.Name, Verdict: Allow}}
	transfers := map[rules.TransferRegime]bool{}
	for i := range r.Hops {
		h := &r.Hops[i]
		for _, l := range laws {
			e := tc.hop(l, r, h, t)
			res.pub.Hops = append(res.pub.Hops, e)
			if e.Basis != "home" {
				transfers[l.Regime] = true
			}
			res.pub.AtRisk = res.pub.AtRisk || e.AtRisk
		}
	}
	// The strictest hop decides: the first plain deny, else the first
	// deny for review.
	for _, review := range []bool{false, true} {
		for i := range res.pub.Hops {
			e := &res.pub.Hops[i]
			if e.Verdict == Deny && e.NeedsReview == review && res.deny == nil {
				res.deny = e
			}
		}
	}
	if res.deny != nil {
		res.pub.Verdict = Deny
		res.detail = "hop " + res.deny.Hop + " (" + res.deny.Entity + "), " + res.deny.Regime.String() + " transfers: " + res.deny.Detail
		return res
	}
	var refs []rules.ObligationRef
	var notice, record []string
	for _, l := range laws {
		if !transfers[l.Regime] {
			continue
		}
		law := "GDPR"
		if l.Regime == rules.UKTransfers {
			law = "UK GDPR"
		}
		notice = append(notice, law+" art. 13(1)(f) and art. 14(1)(f)")
		record = append(record, law+" art. 30(1)(e)")
	}
	if len(notice) > 0 {
		refs = append(refs, rules.ObligationRef{Obligation: rules.TransferNotice, Citation: strings.Join(notice, "; ")},
			rules.ObligationRef{Obligation: rules.TransferRecord, Citation: strings.Join(record, "; ")})
		res.obligations = Obligations{}.with(tc.names, refs)
	}
	return res
}

// hop evaluates hop h of route r under law l at t, in the order of the
// cascade: home, adequacy, art. 46/47 tools with their assessment, art. 49.
func (tc *transferCompiler) hop(l *rules.TransferLaw, r *rules.Route, h *rules.Hop, t time.Time) TransferHop {
	e := TransferHop{Hop: h.ID, Entity: h.Entity, Regime: l.Regime, Verdict: Allow}
	var abroad []address.Country
	for _, c := range slices.Concat(h.Processing, h.Access) {
		if !slices.Contains(l.Home, c) && !slices.Contains(abroad, c) {
			abroad = append(abroad, c)
		}
	}
	if len(abroad) == 0 {
		e.Basis = "home"
		return e
	}
	var failed *TransferHop // the most advanced failure, in cascade order
	fail := func(reason, row, citation, detail string, review bool) {
		if failed != nil && failRank[reason] < failRank[failed.Reason] {
			return
		}
		failed = &TransferHop{Hop: h.ID, Entity: h.Entity, Regime: l.Regime, Verdict: Deny, Reason: reason, Row: row,
			Citation: citation, Detail: detail, NeedsReview: review}
	}
	if tc.adequate(l, h, abroad, t, fail, &e) || tc.safeguarded(l, h, sccModule(r, h), t, fail, &e) {
		return e
	}
	// 3. Derogations (art. 49): never for routine transfers.
	for _, m := range h.Mechanisms {
		if m.Kind != rules.Derogation49 {
			continue
		}
		for _, row := range l.Mechanisms {
			if row.Kind == rules.Derogation49 && active(row.ValidFrom, row.ValidUntil, t) {
				oneOff := m.OneOff && m.Letter == "a" && m.EvidenceRef != "" && !tc.params.StrictDerogations
				detail := "an art. 49(1)(" + m.Letter + ") derogation is not a basis for routine transfers"
				if oneOff {
					detail = "a documented one-off art. 49(1)(a) derogation: for review"
				}
				fail(ReasonDerogation, row.ID, row.Citation, detail, oneOff)
			}
		}
	}
	names := make([]string, len(abroad))
	for i, c := range abroad {
		names[i] = c.String()
	}
	if failed != nil {
		// Say what is missing besides what failed: nothing else covers it.
		failed.Detail += "; no other mechanism covers the transfer to " + strings.Join(names, ", ")
		return *failed
	}
	// 4. Nothing.
	e.Verdict, e.Reason, e.Row, e.Citation = Deny, ReasonTransferNoMechanism, RuleEUTransfers, "GDPR art. 44"
	if l.Regime == rules.UKTransfers {
		e.Row, e.Citation = RuleUKTransfers, "UK GDPR art. 44A"
	}
	if h.From != "" {
		e.Reason = ReasonOnwardNoMechanism
	}
	e.Detail = "no adequacy, safeguard or derogation covers the transfer to " + strings.Join(names, ", ")
	return e
}

// adequate is step 1 of the cascade: whether adequacy covers every
// country of abroad for hop h at t, filling *e when it does.
func (tc *transferCompiler) adequate(l *rules.TransferLaw, h *rules.Hop, abroad []address.Country, t time.Time,
	fail func(reason, row, citation, detail string, review bool), e *TransferHop) bool {
	var rows, refs, cites []string
	covered, atRisk := true, false
	for _, c := range abroad {
		row, risk, ok := tc.adequacy(l, h, c, t, fail)
		if !ok {
			covered = false
			continue
		}
		atRisk = atRisk || risk
		if !slices.Contains(rows, row.ID) {
			rows, refs, cites = append(rows, row.ID), append(refs, "adequacy:"+row.Ref), append(cites, row.Citation)
		}
	}
	if covered {
		e.Basis, e.Row, e.Citation, e.AtRisk = strings.Join(refs, "+"), strings.Join(rows, "+"), strings.Join(cites, "; "), atRisk
	}
	return covered
}

// safeguarded is step 2 of the cascade: whether an appropriate safeguard
// (art. 46, 47) of hop h, with a current assessment, covers it at t,
// filling *e when one does (the first in the hop's order); module is the
// module of the 2021 clauses that fits the hop (sccModule).
func (tc *transferCompiler) safeguarded(l *rules.TransferLaw, h *rules.Hop, module int, t time.Time,
	fail func(reason, row, citation, detail string, review bool), e *TransferHop) bool {
	for i := range h.Mechanisms {
		m := &h.Mechanisms[i]
		row, basis, ok := tc.tool(l, m, module, t, fail)
		if !ok {
			continue
		}
		switch tia := m.TIA; {
		case tia.IsZero() || t.Before(tia.AssessedAt):
			fail(ReasonTIAMissing, row.ID, row.Citation, basis+" without a transfer impact assessment made by the send", true)
			continue
		case !t.Before(tia.NextReviewAt):
			fail(ReasonTIAStale, row.ID, row.Citation, basis+": the transfer impact assessment "+tia.Ref+" was due for review on "+
				tia.NextReviewAt.UTC().Format(time.DateOnly), true)
			continue
		}
		e.Basis, e.Row, e.Citation, e.ReevaluateBy = basis, row.ID, row.Citation, m.TIA.NextReviewAt
		for _, a := range l.Assessments {
			if active(a.ValidFrom, a.ValidUntil, t) {
				e.Assessment, e.Citation = a.ID, e.Citation+"; "+a.Citation
				break
			}
		}
		return true
	}
	return false
}

// failRank orders the failures of a hop by how far down the cascade they
// are: the hop's decision names the furthest (a stale assessment of a
// fallback says more than the DPF listing it falls back from).
var failRank = map[string]int{
	ReasonAdequacyOutOfScope: 1, ReasonAdequacyReview: 1, ReasonDPFFrameworkMismatch: 1, ReasonDPFDisabled: 1,
	ReasonDPFInactive: 1, ReasonDPFNotListed: 1, ReasonDPFStatusStale: 1,
	ReasonSCCRepealed: 2, ReasonSCCModule: 2, ReasonTIAMissing: 3, ReasonTIAStale: 3, ReasonDerogation: 4,
}

// active reports whether t is in [from, until), zero bounds open.
func active(from, until, t time.Time) bool {
	return (from.IsZero() || !t.Before(from)) && (until.IsZero() || t.Before(until))
}

// adequacy finds the adequacy row covering country c for hop h at t, and
// whether the hop rests on the DPF; it reports through fail why a row that
// exists does not cover the hop.
func (tc *transferCompiler) adequacy(l *rules.TransferLaw, h *rules.Hop, c address.Country, t time.Time,
	fail func(reason, row, citation, detail string, review bool)) (*rules.AdequacyRow, bool, bool) {
	for i := range l.Adequacy {
		row := &l.Adequacy[i]
		if !slices.Contains(row.Destinations, c) || !active(row.ValidFrom, row.ValidUntil, t) {
			continue
		}
		dpf := false
		switch q := row.Requires; q.Kind {
		case rules.Adequacy:
			if !slices.ContainsFunc(h.Mechanisms, func(m rules.Mechanism) bool { return m.Kind == rules.Adequacy }) {
				fail(ReasonAdequacyOutOfScope, row.ID, row.Citation, "the adequacy decision for "+c.String()+" covers only "+row.Scope+
					", and the hop is not recorded as within it", false)
				continue
			}
		case rules.DPF:
			if !tc.dpf(row, h, q.Framework, t, fail) {
				continue
			}
			dpf = true
		}
		if row.NeedsReview {
			fail(ReasonAdequacyReview, row.ID, row.Citation, "the adequacy row for "+c.String()+" is marked for review", true)
			continue
		}
		return row, dpf, true
	}
	return nil, false, false
}

// dpf reports whether hop h's DPF listing under framework f meets row's
// requirement at t, reporting through fail why not.
func (tc *transferCompiler) dpf(row *rules.AdequacyRow, h *rules.Hop, f rules.DPFFramework, t time.Time,
	fail func(reason, row, citation, detail string, review bool)) bool {
	var listing *rules.Mechanism
	other := false
	for i := range h.Mechanisms {
		m := &h.Mechanisms[i]
		if m.Kind != rules.DPF {
			continue
		}
		if m.Framework == f {
			listing = m
		} else {
			other = true
		}
	}
	switch {
	case listing == nil && other:
		fail(ReasonDPFFrameworkMismatch, row.ID, row.Citation, "the hop's DPF listing is not under the "+f.String()+" framework the regime needs", false)
	case listing == nil:
		return false
	case tc.params.DisableDPF:
		fail(ReasonDPFDisabled, row.ID, row.Citation, "the policy no longer relies on the Data Privacy Framework", false)
	case listing.Status != rules.Active:
		fail(ReasonDPFInactive, row.ID, row.Citation, "the hop's DPF listing is inactive", false)
	case listing.Covered != rules.NonHRData:
		fail(ReasonDPFNotListed, row.ID, row.Citation, "the hop's DPF listing does not cover non-HR data", false)
	case t.Before(listing.CheckedAt) || !t.Before(listing.CheckedAt.Add(tc.maxAge)):
		fail(ReasonDPFStatusStale, row.ID, row.Citation, "the hop's DPF listing was checked on "+listing.CheckedAt.UTC().Format(time.DateOnly)+
			", not within "+strconv.Itoa(int(tc.maxAge/(24*time.Hour)))+" days before the send", true)
	default:
		return true
	}
	return false
}

// tool returns the law's row for hop mechanism m at t when m is an art.
// 46/47 tool of the regime in force, with the basis it gives; it reports
// through fail a repealed version, and 2021 clauses in a module that does
// not fit the hop (module: the one that does, see sccModule).
func (tc *transferCompiler) tool(l *rules.TransferLaw, m *rules.Mechanism, module int, t time.Time,
	fail func(reason, row, citation, detail string, review bool)) (*rules.MechanismRow, string, bool) {
	if !m.Kind.Safeguard() {
		return nil, "", false
	}
	if !m.SignedAt.IsZero() && t.Before(m.SignedAt) {
		return nil, "", false // concluded after the send
	}
	basis := m.Kind.String()
	switch m.Kind {
	case rules.SCC2021:
		basis += ":module_" + strconv.Itoa(m.Module)
	case rules.SCCLegacy:
		basis += ":" + m.Version
	case rules.BCR:
		basis += "_" + m.BCRType.String()
	}
	var dated *rules.MechanismRow
	for i := range l.Mechanisms {
		row := &l.Mechanisms[i]
		if row.Kind != m.Kind || (row.Version != "" && row.Version != m.Version) {
			continue
		}
		dated = row
		if !active(row.ValidFrom, row.ValidUntil, t) || !row.SignedBefore.IsZero() && !m.SignedAt.Before(row.SignedBefore) {
			continue
		}
		if m.Kind == rules.SCC2021 && m.Module != module && !(module == 3 && m.Module == 2) {
			fail(ReasonSCCModule, row.ID, row.Citation, fmt.Sprintf("the 2021 clauses' module %d (%s) do not fit the hop, a %s transfer (module %d)",
				m.Module, moduleNames[m.Module], moduleNames[module], module), true)
			return nil, "", false
		}
		return row, basis, true
	}
	if dated != nil && m.Kind == rules.SCCLegacy {
		fail(ReasonSCCRepealed, dated.ID, dated.Citation, "the "+m.Version+" clauses were repealed", false)
	}
	return nil, "", false
}

// moduleNames are the transfers of the modules of the 2021 clauses.
var moduleNames = [...]string{1: "controller to controller", 2: "controller to processor", 3: "processor to processor",
	4: "processor to controller"}

// sccModule is the module of the 2021 clauses that fits hop h of route r,
// by whether its exporter (the sender, a controller, for a hop fed by no
// other; else the hop feeding it) and the hop are controllers (Implementing
// Decision (EU) 2021/914, Annex, Section I, Clause 1). Module 2 also serves
// where module 3 fits: the clauses let an importer receive the data
// "directly or indirectly via another entity also Party to these Clauses",
// so the sender may sign with its processor's sub-processor.
func sccModule(r *rules.Route, h *rules.Hop) int {
	fromController := true
	for i := range r.Hops {
		if h.From != "" && r.Hops[i].ID == h.From {
			fromController = r.Hops[i].Role == rules.Controller
		}
	}
	switch toController := h.Role == rules.Controller; {
	case fromController && toController:
		return 1
	case fromController:
		return 2
	case toController:
		return 4
	}
	return 3
}

// route resolves the message's route: nil and no error when the policy
// declares no routes.
func (ix *transferIndex) route(m *consent.Message) (*compiledRoute, error) {
	if m.Route == "" {
		if ix == nil {
			return nil, nil
		}
		return ix.defaults[m.Channel], nil
	}
	if ix != nil {
		if r := ix.byName[m.Route]; r != nil {
			return r, nil
		}
	}
	return nil, &consent.FieldError{Field: "message.route", Err: ErrUnknownRoute, Msg: "the policy declares no route of that name"}
}

// applyTransfer combines the transfer check of route r with the contact's
// decision *d: a transfer deny replaces an allow or a defer; on an allow
// the decision gets the transfer and its obligations. A deny stays; a
// basis of not_personal_data skips the check (no personal data travel).
func (p *Policy) applyTransfer(c *consent.Contact, m *consent.Message, r *compiledRoute, d *Decision) {
	ix := p.transfers
	if ix == nil || d.Verdict != Allow && d.Verdict != Defer || d.Basis == rules.NotPersonalData {
		return
	}
	var mask uint8
	for _, code := range [...]string{c.Country.String(), m.Sender.Country.String()} {
		if len(code) == 2 {
			mask |= ix.regimes[index(code)]
		}
	}
	if mask == 0 {
		return
	}
	if r == nil {
		*d = Decision{Verdict: Deny, Basis: rules.NoLegalBasis, Rule: RuleRoutes, Reason: ReasonRouteNotNamed,
			Citation: transferCitation(mask), Detail: ix.notNamed[m.Channel], Purpose: d.Purpose, Reclassified: d.Reclassified,
			Jurisdiction: d.Jurisdiction, Regimes: d.Regimes}
		return
	}
	res := r.masks[mask].at(m.At)
	if d.Verdict == Defer && res.deny == nil {
		res = r.masks[mask].at(d.NotBefore) // the send happens then
	}
	if res.deny != nil {
		*d = Decision{Verdict: Deny, Basis: rules.NoLegalBasis, Rule: res.deny.Row, Reason: res.deny.Reason,
			Citation: res.deny.Citation, Detail: res.detail, NeedsReview: res.deny.NeedsReview, Purpose: d.Purpose,
			Reclassified: d.Reclassified, Jurisdiction: d.Jurisdiction, Regimes: d.Regimes, Transfer: &res.pub}
		return
	}
	d.Transfer = &res.pub
	d.Obligations = d.Obligations.merge(res.obligations)
}

// transferCitation is the citation of the route check under mask.
func transferCitation(mask uint8) string {
	switch mask {
	case maskEU:
		return "GDPR art. 44"
	case maskUK:
		return "UK GDPR art. 44A"
	}
	return "GDPR art. 44; UK GDPR art. 44A"
}
