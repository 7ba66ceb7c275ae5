package eligibility

import (
	"slices"
	"time"

	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/rules"
)

// Reason codes of a wait that does not end in an allow.
const (
	// ReasonDeferHorizon: a defer rule matched and no instant within 366
	// days of the message makes the send lawful.
	ReasonDeferHorizon = "DEFER_HORIZON"
	// ReasonDeferSteps: a defer rule matched and the search for the instant
	// the send becomes lawful gave up after examining 4096 change points.
	ReasonDeferSteps = "DEFER_SEARCH_LIMIT"
)

// The bounds of a search.
const (
	deferHorizon  = 366 * 24 * time.Hour
	maxDeferSteps = 4096
)

// search finds when a message that a defer rule (by) holds back becomes
// lawful. allowed is the decision at the message instant ignoring the
// defer rules: an Allow. The search steps through the change points after
// the message instant — the earliest instants at which anything the
// jurisdiction's rules read may change ([evalState.nextChange]) — walking
// the rules again at each: the first at which no defer rule matches and the
// message is allowed is NotBefore; one at which the message is not allowed
// (a deny or no-basis decision, a rule coming into force) ends the wait in
// a deny naming both rules; none within the horizon or the step bound is a
// deny with its own reason. The state is back at the message instant when
// it returns, for the trace.
//
// A change point of the defer rules' own clocked calls only (a window
// opening, a call leaving a cap) cannot change the decision without them:
// there only the defer rules are evaluated again, and where none matches
// any more the wait ends in the decision of the last walk; the whole walk
// is repeated only where anything else may have changed. While a
// defer rule matches, only its own change points are visited (with
// everything else's): the other defer rules' cannot end the wait before
// it stops matching, so a 30-day cap is not walked edge by edge of a
// window.
func (st *evalState) search(by *tierRule, allowed Decision) (Decision, error) {
	t0 := st.now
	defer st.setNow(t0)
	horizon := t0.Add(deferHorizon)
	tiers := st.j.spec[st.m.Channel][st.m.Purpose][st.c.Kind]
	other := st.nextChange(t0) // the next change of anything but the defer rules' clocks
	cur := allowed             // the decision without the defer rules, unchanged until other
	holding := by              // the first defer rule matching at t
	for step := 0; ; step++ {
		if step == maxDeferSteps {
			return st.waitDenied(by, allowed, ReasonDeferSteps,
				"no instant found, within the search's limit of change points, at which the message may be sent"), nil
		}
		// A defer rule matching at t goes on matching until one of its own
		// clocked calls or anything else changes: the other defer rules'
		// change points before then cannot end the wait.
		next := earliest(other, st.ruleChange(holding, st.now))
		if next.IsZero() || next.After(horizon) {
			return st.waitDenied(by, allowed, ReasonDeferHorizon,
				"no instant within 366 days at which the message may be sent"), nil
		}
		if !next.Equal(other) {
			// Only the defer rules' clocks moved: the rest of the decision
			// is cur's, so only the defer rules are evaluated again, and
			// where none matches any more the wait ends there, in cur.
			st.now, st.at, st.m.At = next, instantOf(next), next
			still, _, failed, err := st.firstDefer(tiers, nil)
			if err != nil {
				var d Decision
				st.evalOutcome(failed, err, &d)
				return d, err
			}
			if still == nil {
				return st.deferred(by, allowed, cur, next), nil
			}
			holding = still
			continue
		}
		st.setNow(next)
		tiers = st.j.spec[st.m.Channel][st.m.Purpose][st.c.Kind] // the purpose may change with the purchases
		other = st.nextChange(next)
		var d Decision
		still, err := st.walkAt(tiers, nil, &d)
		switch {
		case err != nil:
			return d, err
		case d.Verdict != Allow:
			return st.crossed(by, d, next), nil
		case still == nil:
			return st.deferred(by, allowed, d, next), nil
		}
		cur, holding = d, still
	}
}

// deferred is the Defer of a wait that ends at notBefore, where the
// decision without the defer rules is d: its basis, evidence and
// obligations, with the defer rule's reason and the message instant's
// purpose.
func (st *evalState) deferred(by *tierRule, allowed, d Decision, notBefore time.Time) Decision {
	d.Verdict, d.NotBefore = Defer, notBefore
	d.Rule, d.Origin, d.Reason, d.Citation, d.NeedsReview = by.rule.ID, by.origin, by.rule.Reason, by.rule.Citation, false
	d.Purpose, d.Reclassified = allowed.Purpose, allowed.Reclassified
	// The overrides the wait rests on: those at the message instant, those
	// at the instant it ends, and an overridden defer rule that still
	// holds then, which would have made the wait longer.
	if r := st.heldByOverride(); r != nil {
		d.Overrides, d.Origin = mergeOverrides(d.Overrides, r.override.one), FromOverride
	}
	if allowed.Origin == FromOverride {
		d.Origin = FromOverride
	}
	d.Overrides = mergeOverrides(allowed.Overrides, d.Overrides)
	return d
}

// heldByOverride returns the first overridden defer rule whose condition
// holds at the instant evaluated, or nil.
func (st *evalState) heldByOverride() *tierRule {
	tiers := st.j.spec[st.m.Channel][st.m.Purpose][st.c.Kind]
	for i := range tiers[rules.Defer] {
		r := &tiers[rules.Defer][i]
		if r.override == nil {
			continue
		}
		if ok, err := st.eval(r); ok && err == nil {
			return r
		}
	}
	return nil
}

// ruleChange is the earliest change point after `after` of the clocked
// calls of one defer rule.
func (st *evalState) ruleChange(r *tierRule, after time.Time) time.Time {
	var next time.Time
	for _, f := range r.nexts {
		next = earliest(next, f(st, after))
	}
	return next
}

// setNow moves the state to instant t: the functions, the validity checks
// and the host's functions (through the message's At) see t, and the
// message's purpose is decided again from its label, since the purchases
// that reclassify it are those up to t.
func (st *evalState) setNow(t time.Time) {
	st.now, st.at, st.m.At = t, instantOf(t), t
	st.clearMemo()
	st.m.Purpose = st.label
	st.reclassify()
}

// waitDenied is the deny of a wait that found no instant to send.
func (st *evalState) waitDenied(by *tierRule, allowed Decision, reason, detail string) Decision {
	return Decision{Jurisdiction: st.j.code, Basis: rules.NoLegalBasis, Rule: by.rule.ID, Origin: by.origin, Reason: reason,
		Citation: by.rule.Citation, Detail: detail, Purpose: allowed.Purpose, Reclassified: allowed.Reclassified}
}

// crossed is the deny of a wait that crosses into an instant at which the
// message is not allowed: the decision then, the instant in DeniedFrom and
// the defer rule waited for named in its detail (built at compile time: a
// deny allocates nothing).
func (st *evalState) crossed(by *tierRule, d Decision, at time.Time) Decision {
	d.Detail, d.DeniedFrom = by.waitDetail, at
	d.Verdict, d.Basis, d.Obligations = Deny, rules.NoLegalBasis, Obligations{}
	return d
}

// nextChange is the earliest instant strictly after `after` at which
// anything the jurisdiction's rules read may change, the defer rules'
// clocked calls apart ([evalState.ruleChange]): a rule's validity
// date, an instant of the contact's records, interactions or contracts,
// or a change point of a clocked function called by one of the other
// rules that can match the message's channel, purpose (as decided at
// `after`: it changes only at the contact's events) and the recipient's
// kind (window edges, local midnights, …). Zero: nothing changes any
// more.
func (st *evalState) nextChange(after time.Time) time.Time {
	next := st.j.nextBound(after)
	next = earliest(next, st.nextEvent(after))
	for _, f := range st.j.nexts[st.m.Channel][st.m.Purpose][st.c.Kind] {
		next = earliest(next, f(st, after))
	}
	return next
}

// nextBound is the first validity date of the jurisdiction's rules after
// `after`.
func (j *jurisdiction) nextBound(after time.Time) time.Time {
	i, _ := slices.BinarySearchFunc(j.bounds, after, func(b, t time.Time) int {
		if b.After(t) {
			return 1
		}
		return -1
	})
	if i < len(j.bounds) {
		return j.bounds[i]
	}
	return time.Time{}
}

// nextEvent is the contact's first event instant after `after`: a record
// taking effect or being confirmed, an interaction or a response, a
// contract starting or ending, the contact's collection, an attempt, a
// message sent, a registry lookup. Every function marked byEvents changes
// only at these, and so does a host function that reads the contact (the
// functions reading attempts, sends and lookups declare their own change
// points too: entering and leaving windows, going stale).
func (st *evalState) nextEvent(after time.Time) time.Time {
	var next time.Time
	for r := range st.c.Records.All() {
		if r.At.After(after) {
			next = earliest(next, r.At)
			break // records are in time order
		}
	}
	for r := range st.c.Records.All() {
		if r.ConfirmedAt.After(after) {
			next = earliest(next, r.ConfirmedAt)
		}
	}
	rel := &st.c.Relationship
	next = earliest(next, nextInteraction(rel.Purchases, after))
	next = earliest(next, nextInteraction(rel.Inquiries, after))
	next = earliest(next, nextInteraction(rel.Support, after))
	next = earliest(next, nextInteraction(rel.Responses, after))
	if st.c.CollectedAt.After(after) {
		next = earliest(next, st.c.CollectedAt)
	}
	for i := range st.c.Attempts {
		if at := st.c.Attempts[i].At; at.After(after) {
			next = earliest(next, at)
		}
	}
	for i := range st.c.Sent {
		if at := st.c.Sent[i].At; at.After(after) {
			next = earliest(next, at)
		}
	}
	for i := range st.c.Registries {
		if at := st.c.Registries[i].CheckedAt; at.After(after) {
			next = earliest(next, at)
		}
	}
	for i := range rel.Contracts {
		k := &rel.Contracts[i]
		if k.Start.After(after) {
			next = earliest(next, k.Start)
		}
		if k.End.After(after) {
			next = earliest(next, k.End)
		}
	}
	return next
}

// nextInteraction is the first instant of an interaction after `after`.
func nextInteraction(evs []consent.Interaction, after time.Time) time.Time {
	var next time.Time
	for i := range evs {
		if at := evs[i].At; at.After(after) {
			next = earliest(next, at)
		}
	}
	return next
}

// earliest returns the earlier of two instants, zero meaning none.
func earliest(a, b time.Time) time.Time {
	switch {
	case a.IsZero():
		return b
	case b.IsZero() || a.Before(b):
		return a
	}
	return b
}

// hourEdges are the local hour boundaries, in seconds after midnight.
var hourEdges = func() (e [23]int32) {
	for i := range e {
		e[i] = int32(i+1) * 3600
	}
	return e
}()

// nextLocal returns the earliest instant strictly after `after` at which
// the wall clock in loc reaches one of edges (seconds after local
// midnight, sorted ascending, each below 86400) or the next midnight, or
// the zone's offset changes, whichever comes first. Stepping from one such
// instant to the next visits every instant at which a function of the
// local time, the local date or the weekday can change, exactly, across
// daylight-saving changes: a wall-clock edge that a spring-forward gap
// skips is reached at the first instant after the gap, and on a fall-back
// night the first occurrence of a repeated wall-clock time comes first.
func nextLocal(after time.Time, loc *time.Location, edges []int32) time.Time {
	var z zoneCache
	return z.nextLocal(after, loc, edges)
}

// nowPoints gives a condition that reads the variable now its change
// points: now can only be compared with constants, so its value in a
// condition changes at the condition's timestamp constants, shifted by any
// of its duration constants (now + duration('1h') < timestamp(…)).
// Early is safe: a superfluous change point costs one more walk.
func nowPoints(a *ast.AST) []nextFn {
	uses := false
	var ts []time.Time
	var ds []time.Duration
	refs := a.ReferenceMap()
	ast.PostOrderVisit(a.Expr(), ast.NewExprVisitor(func(e ast.Expr) {
		switch e.Kind() {
		case ast.IdentKind:
			if ref, ok := refs[e.ID()]; ok && ref.Name == varNow {
				uses = true
			}
		case ast.LiteralKind:
			switch v := e.AsLiteral().(type) {
			case types.Timestamp:
				ts = append(ts, v.Time)
			case types.Duration:
				ds = append(ds, v.Duration)
			}
		case ast.CallKind:
			call := e.AsCall()
			args := call.Args()
			if len(args) != 1 || args[0].Kind() != ast.LiteralKind {
				return
			}
			s, ok := args[0].AsLiteral().(types.String)
			if !ok {
				return
			}
			switch call.FunctionName() {
			case "timestamp":
				if t, err := time.Parse(time.RFC3339Nano, string(s)); err == nil {
					ts = append(ts, t)
				}
			case "duration":
				if d, err := time.ParseDuration(string(s)); err == nil {
					ds = append(ds, d)
				}
			}
		}
	}))
	if !uses || len(ts) == 0 {
		return nil
	}
	var points []time.Time
	for _, t := range ts {
		points = append(points, t, t.Add(time.Nanosecond))
		for _, d := range ds {
			points = append(points, t.Add(d), t.Add(-d), t.Add(d+time.Nanosecond), t.Add(-d+time.Nanosecond))
		}
	}
	slices.SortFunc(points, time.Time.Compare)
	points = slices.CompactFunc(points, time.Time.Equal)
	return []nextFn{func(_ *evalState, after time.Time) time.Time {
		for _, p := range points {
			if p.After(after) {
				return p
			}
		}
		return time.Time{}
	}}
}
