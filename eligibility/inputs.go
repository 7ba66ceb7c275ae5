package eligibility

import (
	"fmt"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/consent/calls"
	"github.com/sendright/sendright/internal/celfast"
	"github.com/sendright/sendright/rules"
)

// The domain functions over the host's inputs of issue 9: the attempt
// history (callAttempts, refusedWithin), the send history (sent), registry lookups (registry), the
// push permission (pushPermitted) and the CNIL's prospection periods
// (prospectActiveWithin, customerActiveWithin). Each declares how its
// value changes with the instant evaluated (its next), so that the search
// for a deferred message's NotBefore never steps over a change.

// day is the unit of the registries' delays (effective_after_days,
// max_age_days): 24 hours. The days arguments of callAttempts and
// refusedWithin count calendar days in the recipient's zone instead (see
// [evalState.countCalls]).
const day = 24 * time.Hour

// maxDays bounds a days argument: ten years.
const maxDays = 3660

// daysParam is a number of calendar days: a constant from 1 to 3660,
// checked at compile time, so that no computed or negative window can
// empty a cap.
var daysParam = param[int64]{
	paramInfo: paramInfo{name: "days", typ: cel.IntType},
	bind: func(a cval) (func(*evalState) int64, error) {
		n, ok := a.Const.(int64)
		if !a.IsConst || !ok {
			return nil, fmt.Errorf("%w: days must be a constant integer", celfast.ErrUnsupported)
		}
		if n < 1 || n > maxDays {
			return nil, fmt.Errorf("%w: days %d: want 1 to %d", celfast.ErrUnsupported, n, maxDays)
		}
		return func(*evalState) int64 { return n }, nil
	},
	from: func(a ref.Val) (int64, error) {
		n, _ := a.(types.Int)
		if n < 1 || n > maxDays {
			return 0, fmt.Errorf("days %d: want 1 to %d", n, maxDays)
		}
		return int64(n), nil
	},
}

// registryVocab is the vocabulary of registry names.
var registryVocab = vocabOf[calls.Registry]("registry", 0)

// registryParam is a registry's name; the compiler also checks that the
// rule's set chain declares it (parameter registries).
var registryParam = enumParam[calls.Registry]("registry", registryVocab)

// regStatus is what registry(name) says of the contact's number.
type regStatus uint8

// Registry statuses. The zero status is unchecked: a state that never
// allows.
const (
	regUnchecked regStatus = iota // no lookup of the contact's number that counts
	regClear                      // looked up, not listed or not yet in effect
	regListed                     // listed, the registration in effect
)

var regStatusVocab = textVocab("registry status", "unchecked", "clear", "listed")

var regStatusResult = enumResult[regStatus]("registry status", regStatusVocab)

// lastRegistry is the last registry of package calls: the per-registry
// tables are indexed by registry up to it. A new registry moves it.
const lastRegistry = calls.USFLDNC

// regParams are a registry's delays in a jurisdiction.
type regParams struct {
	declared  bool
	effective time.Duration // after registration
	maxAge    time.Duration // of a lookup
}

// registryParams merges the registries of a set chain, base first, so an
// extending set's redeclaration wins.
func registryParams(chain []*rules.Set) (out [lastRegistry + 1]regParams) {
	for i := len(chain) - 1; i >= 0; i-- {
		for _, r := range chain[i].Parameters.Registries {
			if r.Name <= lastRegistry {
				out[r.Name] = regParams{declared: true, effective: time.Duration(r.EffectiveAfterDays) * day,
					maxAge: time.Duration(r.MaxAgeDays) * day}
			}
		}
	}
	return out
}

// histRec is one call or send by the sender, as the history functions
// read it: its instant and its local date in the recipient's zone, and
// what the functions filter on (a call's refusal, a send's purpose and
// channel).
type histRec struct {
	at      instant
	day     int64 // the local date, as days since 1970-01-01
	refused bool
	purpose consent.Purpose
	channel consent.Channel
}

// histFilter selects the records a history function counts: refusals
// only, or the sends for a purpose (the scope AllMarketing: any marketing
// purpose) on a channel (AllChannels: any). The zero filter keeps every
// record.
type histFilter struct {
	refused bool
	purpose consent.Purpose // 0: any
	channel consent.Channel // 0 or AllChannels: any
}

func (f histFilter) keep(r *histRec) bool {
	switch {
	case f.refused && !r.refused:
		return false
	case f.purpose == consent.AllMarketing && !r.purpose.Marketing():
		return false
	case f.purpose != 0 && f.purpose != consent.AllMarketing && f.purpose != r.purpose:
		return false
	}
	return f.channel == 0 || f.channel == consent.AllChannels || f.channel == r.channel
}

// senderCalls returns the calls by the message's sender among the
// contact's attempts, with their local dates, computed once per decision
// into a buffer the pooled state keeps: the search reads them at every
// change point, and matching the sender's name is the expensive part.
func (st *evalState) senderCalls() []histRec {
	if st.callsOK {
		return st.calls
	}
	st.calls = st.calls[:0]
	for i := range st.c.Attempts {
		a := &st.c.Attempts[i]
		if st.sender.Match(a.Sender) {
			st.calls = append(st.calls, histRec{at: instantOf(a.At), day: st.zone.clock(a.At, st.c.Location).day,
				refused: a.Outcome == calls.Refused})
		}
	}
	st.callsOK = true
	return st.calls
}

// senderSends returns the messages sent by the message's sender among the
// contact's send history, with their local dates, computed once per
// decision as [evalState.senderCalls] computes the calls.
func (st *evalState) senderSends() []histRec {
	if st.sendsOK {
		return st.sends
	}
	st.sends = st.sends[:0]
	for i := range st.c.Sent {
		s := &st.c.Sent[i]
		if st.sender.Match(s.Sender) {
			st.sends = append(st.sends, histRec{at: instantOf(s.At), day: st.zone.clock(s.At, st.c.Location).day,
				purpose: s.Purpose, channel: s.Channel})
		}
	}
	st.sendsOK = true
	return st.sends
}

// localDay is the local date of t in loc, as days since 1970-01-01.
func localDay(t time.Time, loc *time.Location) int64 { return localClock(t, loc).day }

// dayStart is the first instant of local date d (days since 1970-01-01)
// in loc: its midnight, or where a daylight-saving change skips midnight,
// the instant the date begins.
func dayStart(d int64, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	y, m, dd := time.Unix(d*86400, 0).UTC().Date()
	t := time.Date(y, m, dd, 0, 0, 0, 0, loc)
	if localDay(t, loc) < d { // midnight does not exist: the date begins at the zone's change
		if _, end := t.ZoneBounds(); !end.IsZero() {
			t = end
		}
	}
	return t
}

// callSpan is how many local dates, ending with the instant evaluated's,
// a call counts in: callAttempts(days) counts the period of days calendar
// days ending today (C. consom. art. D223-9: "au cours d'une période de
// trente jours calendaires"); refusedWithin(days) holds until days
// calendar days have passed after the refusal's date, the date itself not
// counted (the refusal's period of "soixante jours calendaires révolus à
// compter de ce refus", counted as C. pr. civ. arts. 641 and 642 count
// periods in days: from the next day, to the last day's midnight).
func callSpan(days int64, refused bool) int64 {
	if refused {
		return days + 1
	}
	return days
}

// countIn counts the records of recs that f keeps, made at or before the
// instant evaluated, whose local date, in the recipient's zone, is one of
// the last span dates (today included). The hour of a record and
// daylight-saving changes do not change the count: only dates do.
func (st *evalState) countIn(recs []histRec, span int64, f histFilter) int64 {
	now := st.at
	from := st.zone.clock(st.now, st.c.Location).day - span + 1
	var n int64
	for i := range recs {
		if c := &recs[i]; c.day >= from && !now.before(c.at) && f.keep(c) {
			n++
		}
	}
	return n
}

// countCalls counts the calls by the sender made at or before the instant
// evaluated whose local date is one of the last span dates (see
// [callSpan] and [evalState.countIn]), refusals only when refused is set.
func (st *evalState) countCalls(days int64, refused bool) int64 {
	return st.countIn(st.senderCalls(), callSpan(days, refused), histFilter{refused: refused})
}

// callAttempts is the number of calls (live or automated) by the sender
// in the period of days calendar days ending with the instant evaluated's
// date, in the recipient's zone.
func (st *evalState) callAttempts(days int64) int64 { return st.countCalls(days, false) }

// refusedWithin reports a call by the sender during which the person
// refused, whose date, in the recipient's zone, is less than days
// calendar days before today (it holds until the end of the days-th day
// after the refusal's date).
func (st *evalState) refusedWithin(days int64) bool { return st.countCalls(days, true) > 0 }

// changeIn is the change points of a count over recs ([evalState.countIn]):
// the next instant after `after` at which a record f keeps enters the
// count (its instant) or leaves it (the first instant of the local date
// at which its date is no longer among the last span dates: a local
// midnight).
func (st *evalState) changeIn(recs []histRec, span int64, f histFilter, after time.Time) time.Time {
	today := st.zone.clock(after, st.c.Location).day
	a := instantOf(after)
	var next time.Time
	leave := int64(-1) // the earliest date after today at which a record leaves
	for i := range recs {
		c := &recs[i]
		if !f.keep(c) {
			continue
		}
		if a.before(c.at) {
			next = earliest(next, time.Unix(c.at.sec, c.at.nsec))
		}
		if l := c.day + span; l > today && (leave < 0 || l < leave) {
			leave = l
		}
	}
	if leave >= 0 {
		next = earliest(next, dayStart(leave, st.c.Location))
	}
	return next
}

// callsChange is the change points of callAttempts(days) and
// refusedWithin(days) ([evalState.changeIn] over the sender's calls).
func (st *evalState) callsChange(days int64, refused bool, after time.Time) time.Time {
	return st.changeIn(st.senderCalls(), callSpan(days, refused), histFilter{refused: refused}, after)
}

func (st *evalState) callAttemptsNext(days int64, after time.Time) time.Time {
	return st.callsChange(days, false, after)
}

func (st *evalState) refusedWithinNext(days int64, after time.Time) time.Time {
	return st.callsChange(days, true, after)
}

// sent is the number of messages sent by the sender (the contact's send
// history, consent.Contact.Sent) for purpose p on channel ch, up to the
// instant evaluated, in the period of days calendar days ending with its
// date in the recipient's zone, counted as callAttempts counts calls.
// The purpose AllMarketing counts every marketing purpose, the channel
// AllChannels every channel.
func (st *evalState) sent(p consent.Purpose, ch consent.Channel, days int64) int64 {
	return st.countIn(st.senderSends(), days, histFilter{purpose: p, channel: ch})
}

// sentNext is sent's change points: a send entering the count (its
// instant) or leaving it (a local midnight).
func (st *evalState) sentNext(p consent.Purpose, ch consent.Channel, days int64, after time.Time) time.Time {
	return st.changeIn(st.senderSends(), days, histFilter{purpose: p, channel: ch}, after)
}

// registryStatus is the status of the contact's number in registry r at
// the instant evaluated, by the latest lookup of that number that counts:
// made at or before now, and no older than the registry's maximum age
// (now − CheckedAt ≤ max_age_days). None is unchecked. A lookup that found
// the number listed is listed once the registration is in effect
// (ListedSince + effective_after_days ≤ now; an unknown ListedSince is in
// effect), clear before. Lookups at the same instant that disagree are
// listed: the conservative reading.
func (st *evalState) registryStatus(r calls.Registry) regStatus {
	status, _ := st.registryLookup(r)
	return status
}

// registryLookup is registry(r)'s status and, when it is listed, the
// registration instant of the lookups that decided it: the latest of their
// ListedSince, or the zero time when one of them does not know it.
func (st *evalState) registryLookup(r calls.Registry) (regStatus, time.Time) {
	p := &st.j.registries[r]
	phone := st.lookedUp(r)
	switch {
	case !p.declared || phone.IsZero():
		return regUnchecked, time.Time{}
	case !st.j.domestic(phone):
		// A registry lists its country's numbers only: this one, of
		// another country's plan, cannot be on it (a recipient's foreign
		// number, or the law reaching the message through its sender).
		return regClear, time.Time{}
	}
	var latest, since time.Time
	unknown := false
	status := regUnchecked
	for i := range st.c.Registries {
		c := &st.c.Registries[i]
		if c.Registry != r || !c.Number.Same(phone) || c.CheckedAt.After(st.now) || st.now.Sub(c.CheckedAt) > p.maxAge {
			continue
		}
		s := regClear
		if c.Listed && (c.ListedSince.IsZero() || !st.now.Before(c.ListedSince.Add(p.effective))) {
			s = regListed
		}
		switch {
		case status == regUnchecked || c.CheckedAt.After(latest):
			latest, status, since, unknown = c.CheckedAt, s, c.ListedSince, c.ListedSince.IsZero()
		case c.CheckedAt.Equal(latest) && s == regListed:
			if status != regListed {
				status, since, unknown = s, c.ListedSince, c.ListedSince.IsZero()
			} else {
				unknown = unknown || c.ListedSince.IsZero()
				if c.ListedSince.After(since) {
					since = c.ListedSince
				}
			}
		}
	}
	if status != regListed || unknown {
		return status, time.Time{}
	}
	return status, since
}

// consentAfterListing: the contact's number is listed in r (registry(r)
// is 'listed') and a grant that counts for the message's purpose and
// channel (hasConsent) was given after the registration. False when the
// registration date is unknown: the consent cannot be shown to be later.
func (st *evalState) consentAfterListing(r calls.Registry) bool {
	status, since := st.registryLookup(r)
	if status != regListed || since.IsZero() {
		return false
	}
	s := st.state(st.m.Purpose, st.m.Channel)
	return st.found(s.Consented() && s.GrantAt().After(since), RecordEvidence, s.GrantID())
}

// lookedUp is the contact's address a lookup in r must be of: the address
// the message goes to when r lists its kind (e-mail and post in Spain's
// Robinson list), else the contact's number.
func (st *evalState) lookedUp(r calls.Registry) address.Address {
	if a := st.c.Address(st.m.Channel); r.Lists(a.Kind()) {
		return a
	}
	return st.c.Phone
}

// registryNext is registry(r)'s change points: a lookup of the contact's
// number becoming current (its CheckedAt), going stale (CheckedAt + max
// age + 1ns), or its registration taking effect (ListedSince + the
// effective delay).
func (st *evalState) registryNext(r calls.Registry, after time.Time) time.Time {
	p := &st.j.registries[r]
	var next time.Time
	for i := range st.c.Registries {
		c := &st.c.Registries[i]
		if c.Registry != r || !c.Number.Same(st.lookedUp(r)) {
			continue
		}
		points := [...]time.Time{c.CheckedAt, c.CheckedAt.Add(p.maxAge + time.Nanosecond), {}}
		if !c.ListedSince.IsZero() {
			points[2] = c.ListedSince.Add(p.effective)
		}
		for _, t := range points {
			if t.After(after) {
				next = earliest(next, t)
			}
		}
	}
	return next
}

// pushPermitted is the operating system's notification permission as the
// host last saw it.
func (st *evalState) pushPermitted() bool { return st.c.PushPermitted }

// lastMine is the latest instant, at or before now, of an interaction with
// the sender, or last when later.
func (st *evalState) lastMine(evs []consent.Interaction, last time.Time) time.Time {
	for i := range evs {
		e := &evs[i]
		if e.At.After(last) && st.mine(e) {
			last = e.At
		}
	}
	return last
}

// prospectLast is the instant a prospect's period counts from: the latest
// of the contact's collection (CollectedAt) and of the contacts coming
// from the person to the sender (a response, an inquiry, a purchase), at
// or before now.
func (st *evalState) prospectLast() time.Time {
	var last time.Time
	if !st.c.CollectedAt.After(st.now) {
		last = st.c.CollectedAt
	}
	rel := &st.c.Relationship
	last = st.lastMine(rel.Responses, last)
	last = st.lastMine(rel.Inquiries, last)
	return st.lastMine(rel.Purchases, last)
}

// prospectActiveWithin reports that the prospect's period has not run out:
// the contact's details were collected, or the person last contacted the
// sender, less than d before now.
func (st *evalState) prospectActiveWithin(d time.Duration) bool {
	last := st.prospectLast()
	return !last.IsZero() && st.now.Before(last.Add(d))
}

// customerLast is the instant a customer's period counts from, and
// whether a contract with the sender is in force at now (the relationship
// has not ended): the latest of the sender's purchases, the ends of its
// contracts, and the person's responses and inquiries to it, at or before
// now.
func (st *evalState) customerLast() (time.Time, bool) {
	rel := &st.c.Relationship
	last := st.lastMine(rel.Purchases, time.Time{})
	last = st.lastMine(rel.Responses, last)
	last = st.lastMine(rel.Inquiries, last)
	for i := range rel.Contracts {
		k := &rel.Contracts[i]
		if !st.sender.Match(k.Seller) || k.Start.After(st.now) {
			continue
		}
		if contractActive(k, st.now) {
			return last, true
		}
		if k.End.After(last) {
			last = k.End
		}
	}
	return last, false
}

// customerActiveWithin reports that the customer relationship with the
// sender is ongoing or ended less than d before now: a contract in force,
// or a purchase, a contract's end, a response or an inquiry within d.
func (st *evalState) customerActiveWithin(d time.Duration) bool {
	last, ongoing := st.customerLast()
	return ongoing || !last.IsZero() && st.now.Before(last.Add(d))
}

// activityNext is the change points of prospectActiveWithin(d) and
// customerActiveWithin(d): every instant an input enters (collection,
// responses, inquiries, purchases, contract starts and ends) and every
// such instant plus d, when the period counted from it runs out.
func (st *evalState) activityNext(d time.Duration, after time.Time) time.Time {
	var next time.Time
	add := func(t time.Time) {
		if t.IsZero() {
			return
		}
		for _, u := range [...]time.Time{t, t.Add(d)} {
			if u.After(after) {
				next = earliest(next, u)
			}
		}
	}
	add(st.c.CollectedAt)
	rel := &st.c.Relationship
	for _, evs := range [...][]consent.Interaction{rel.Responses, rel.Inquiries, rel.Purchases} {
		for i := range evs {
			if st.sender.Match(evs[i].Seller) {
				add(evs[i].At)
			}
		}
	}
	for i := range rel.Contracts {
		if k := &rel.Contracts[i]; st.sender.Match(k.Seller) {
			add(k.Start)
			add(k.End)
		}
	}
	return next
}

// contractWithin reports a contract with the sender, of any category, in
// force at now or ended no more than d before now (End ≤ now ≤ End + d):
// Italy's RPO keeps the consents given in a contract in force or ended
// no more than thirty days ago (Law 5/2018 art. 1(5)). A contract that
// has not started does not count. Its days are periods of 24 hours, not
// calendar days: they widen an exception, so the shorter reading is the
// conservative one.
func (st *evalState) contractWithin(days int64) bool {
	d := time.Duration(days) * day
	for i := range st.c.Relationship.Contracts {
		k := &st.c.Relationship.Contracts[i]
		if !st.sender.Match(k.Seller) || k.Start.After(st.now) {
			continue
		}
		if k.End.IsZero() || !st.now.After(k.End.Add(d)) {
			st.evidence = Evidence{ContractEvidence, k.ID}
			return true
		}
	}
	return false
}

// consentInContract reports a grant that counts for the message's purpose
// and channel (as hasConsent) given while a contract with the sender was
// in force (at or after its start, not after its end), that contract in
// force at now or ended no more than d before now: Italy's RPO keeps only
// the consents given within a contract in force or ended no more than
// thirty days ago (Law 5/2018 art. 1(5)); a consent given before the
// contract, or after it ended, is revoked by the registration like any
// other. Its days are periods of 24 hours, as contractWithin's.
func (st *evalState) consentInContract(days int64) bool {
	s := st.state(st.m.Purpose, st.m.Channel)
	if !s.Consented() {
		return false
	}
	at, d := s.GrantAt(), time.Duration(days)*day
	for i := range st.c.Relationship.Contracts {
		k := &st.c.Relationship.Contracts[i]
		if !st.sender.Match(k.Seller) || k.Start.After(st.now) || at.Before(k.Start) || !k.End.IsZero() && at.After(k.End) {
			continue
		}
		if k.End.IsZero() || !st.now.After(k.End.Add(d)) {
			st.evidence = Evidence{ContractEvidence, k.ID}
			return true
		}
	}
	return false
}

// contractWithinNext is contractWithin(d)'s change points: a contract
// with the sender starting, or leaving the d after its end (End + d +
// 1ns, the first instant more than d after it).
func (st *evalState) contractWithinNext(days int64, after time.Time) time.Time {
	d := time.Duration(days) * day
	var next time.Time
	for i := range st.c.Relationship.Contracts {
		k := &st.c.Relationship.Contracts[i]
		if !st.sender.Match(k.Seller) {
			continue
		}
		if k.Start.After(after) {
			next = earliest(next, k.Start)
		}
		if !k.End.IsZero() {
			if t := k.End.Add(d + time.Nanosecond); t.After(after) {
				next = earliest(next, t)
			}
		}
	}
	return next
}

// domestic reports whether the number a may be one of the jurisdiction's
// country's, whose registries list only its own numbers: a phone number of
// that country's numbering plan ([address.Address.NumberCountry], a
// territory's numbers counting as its state's: see numberState). An
// e-mail or postal address may be; so may a number whose country the
// library cannot tell, when it has the country's calling code or the
// country's code is unknown; and so may a +1 number read as the United
// States', for Canada's set: that reading is the default for an area code
// not listed as another country's, and an area code Canada is assigned
// after the library's table (its overlays come every few years) must not
// skip the Canadian list. The registry is then consulted, conservatively.
func (j *jurisdiction) domestic(a address.Address) bool {
	if a.Kind() != address.Phone || j.country == "" {
		return true
	}
	if nc := a.NumberCountry().String(); nc != "" {
		return nc == j.country || numberState(nc) == j.country || nc == "US" && j.country == "CA"
	}
	return j.callingCode == "" || a.HasCallingCode(j.callingCode)
}
