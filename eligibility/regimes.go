package eligibility

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/internal/decode"
	"github.com/sendright/sendright/internal/enum"
	"github.com/sendright/sendright/rules"
)

// MaxRegimes is the most regimes one decision applies: two on the
// recipient's side (its country's set or the subdivisions' sets of the
// declared region and of the phone's area code; or one of those and the
// set of the country a foreign phone number belongs to, since the area
// code of a foreign number presumes nothing in the contact's country) and
// up to two reaching the message through its sender. A policy in which a
// sender's country would bring more does not compile.
const MaxRegimes = 4

// maxSenderRegimes is the most sets a sender's country may bring.
const maxSenderRegimes = 2

// RegimeReach is how a regime reaches a message.
type RegimeReach uint8

// How regimes reach messages.
const (
	// ByRecipient: the set of the recipient's country (Contact.Country).
	ByRecipient RegimeReach = iota + 1
	// ByRegion: the set of the subdivision the contact declares
	// (Contact.Region, "US-FL"), which extends its country's set.
	ByRegion
	// ByAreaCode: the set of the subdivision the area code of the
	// contact's phone number presumes (parameters.area_codes; Florida
	// Statutes §501.059).
	ByAreaCode
	// BySender: the set's sender-side reach ([rules.Reach]) lists the
	// message's sender country (Message.Sender.Country): CASL's messages
	// sent from Canada, the Spam Act's Australian link, GDPR art. 3(1).
	BySender
	// ByFallback: the host's fallback regime ([Params.Fallback]), for a
	// recipient in a country the policy has no rules for.
	ByFallback
	// ByNumber: the set of the country whose numbering plan the phone
	// number called or texted belongs to ([address.Address.NumberCountry]),
	// when it is not the contact's country: the number presumes its
	// subscriber there, and only that country's do-not-call registry can
	// list it. Under +1, the area code's subdivision set replaces its
	// country's (reach ByAreaCode).
	ByNumber
)

var regimeReachNames = enum.New[RegimeReach]("eligibility", "regime reach", "", "recipient", "region", "area_code", "sender", "fallback", "number")

// String returns "recipient", "region", "area_code", "sender", "number" or
// "fallback".
func (r RegimeReach) String() string { return regimeReachNames.String(r) }

// Valid reports whether r is a defined reach.
func (r RegimeReach) Valid() bool { return regimeReachNames.Valid(r) }

// MarshalText implements encoding.TextMarshaler.
func (r RegimeReach) MarshalText() ([]byte, error) { return regimeReachNames.Marshal(r) }

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an error.
func (r *RegimeReach) UnmarshalText(b []byte) error { return regimeReachNames.Unmarshal(r, b) }

// Regime is one regime a decision applied: the jurisdiction whose set
// was evaluated, how it reached the message, and its own answer for the
// message at the message instant.
type Regime struct {
	// Jurisdiction is the set's code: a country ("FR"), a subdivision
	// ("US-FL") or the EU baseline ("EU").
	Jurisdiction string `json:"jurisdiction"`
	// Reach is how the regime reached the message.
	Reach RegimeReach `json:"reach"`
	// Verdict is the regime's own answer, before the strictest was
	// chosen: allow, deny or defer.
	Verdict Verdict `json:"verdict"`
}

// String returns e.g. "FR recipient allow".
func (r Regime) String() string {
	return r.Jurisdiction + " " + r.Reach.String() + " " + r.Verdict.String()
}

// Regimes are the regimes a decision applied, in a stable order: the
// recipient's side first (its country's set; or the declared region's,
// then the area code's; or the fallback), then the one the number's
// country brings ([ByNumber]), then those reaching the message through
// its sender, in the order of their codes. A regime reaching it several
// ways is listed once, by the first. It is a value (copying it
// never allocates); unused entries are zero. Its JSON form is a list of
// the used entries, e.g.
//
//	[{"jurisdiction": "FR", "reach": "recipient", "verdict": "allow"},
//	 {"jurisdiction": "CA", "reach": "sender", "verdict": "deny"}]
//
// decoded strictly: at most [MaxRegimes] entries, each with exactly these
// three members, a jurisdiction given, a defined reach and a verdict
// other than undetermined, no jurisdiction twice.
type Regimes [MaxRegimes]Regime

// Len returns the number of regimes applied.
func (rs Regimes) Len() int {
	n := 0
	for n < len(rs) && rs[n].Jurisdiction != "" {
		n++
	}
	return n
}

// List returns the regimes applied, as a new slice.
func (rs Regimes) List() []Regime { return append([]Regime(nil), rs[:rs.Len()]...) }

// Codes returns the jurisdictions of the regimes applied, in order.
func (rs Regimes) Codes() []string {
	var out []string
	for _, r := range rs[:rs.Len()] {
		out = append(out, r.Jurisdiction)
	}
	return out
}

// MarshalJSON encodes the used entries as a list.
func (rs Regimes) MarshalJSON() ([]byte, error) {
	list := rs[:rs.Len()]
	if len(list) == 0 {
		return []byte("[]"), nil
	}
	return json.Marshal(list)
}

// UnmarshalJSON decodes the list MarshalJSON writes, strictly (see
// [Regimes]); errors are [*consent.FieldError]s naming the entry.
func (rs *Regimes) UnmarshalJSON(b []byte) error {
	var list []Regime
	if err := decode.JSON(b, &list); err != nil {
		return err
	}
	if len(list) > MaxRegimes {
		return &consent.FieldError{Field: "[" + strconv.Itoa(MaxRegimes) + "]", Err: consent.ErrTooLarge,
			Msg: "at most " + strconv.Itoa(MaxRegimes) + " regimes"}
	}
	var out Regimes
	for i, r := range list {
		at := "[" + strconv.Itoa(i) + "]"
		switch {
		case r.Jurisdiction == "":
			return &consent.FieldError{Field: at + ".jurisdiction", Err: consent.ErrMissing}
		case r.Jurisdiction != "EU" && rules.CountryOf(r.Jurisdiction) == "":
			return &consent.FieldError{Field: at + ".jurisdiction", Err: consent.ErrInvalid, Msg: "want a country (FR), a subdivision (US-FL) or EU"}
		case !r.Reach.Valid():
			return &consent.FieldError{Field: at + ".reach", Err: consent.ErrMissing}
		case r.Verdict == Undetermined:
			return &consent.FieldError{Field: at + ".verdict", Err: consent.ErrMissing}
		}
		for _, p := range list[:i] {
			if p.Jurisdiction == r.Jurisdiction {
				return &consent.FieldError{Field: at + ".jurisdiction", Err: consent.ErrInvalid, Msg: "listed twice"}
			}
		}
		out[i] = r
	}
	*rs = out
	return nil
}

// UnmarshalJSON decodes one regime strictly: keys match exactly and
// appear once, unknown keys are errors.
func (r *Regime) UnmarshalJSON(b []byte) error {
	type plain Regime
	var p plain
	if err := decode.JSON(b, &p); err != nil {
		return err
	}
	*r = Regime(p)
	return nil
}

// regimeRef is one regime resolved for a decision.
type regimeRef struct {
	j     *jurisdiction
	reach RegimeReach
}

// regimeList is the regimes of one decision, on the stack.
type regimeList struct {
	r [MaxRegimes]regimeRef
	n int
}

func (l *regimeList) has(j *jurisdiction) bool {
	for _, r := range l.r[:l.n] {
		if r.j == j || r.j.country == j.code {
			return true // the same set, or a subdivision's that extends it
		}
	}
	return false
}

func (l *regimeList) add(r regimeRef) {
	if l.n < len(l.r) && !l.has(r.j) {
		l.r[l.n] = r
		l.n++
	}
}

// resolve selects the regimes reaching a message (see [Policy.Decide]):
// the recipient's side, then the sender's. It returns false, with the
// deny written into *d, when the recipient's side has no rules for the
// country or the channel.
func (p *Policy) resolve(c *consent.Contact, m *consent.Message, rs *regimeList, d *Decision) bool {
	code := c.Country.String()
	ch := m.Channel
	if len(code) != 2 {
		*d = Decision{Basis: rules.NoLegalBasis, Reason: ReasonNoRules, Purpose: m.Purpose}
		return false
	}
	i := index(code)
	// A subdivision's set replaces its country's where it has rules for
	// the channel: the declared region's, and the one the area code of
	// the phone number presumes (whatever the declared region:
	// conservatively, the presumption is not rebutted).
	if subs := p.subs[i]; len(subs) > 0 {
		if c.Region != "" {
			for _, s := range subs {
				if s.code == c.Region && s.channels[ch] {
					rs.add(regimeRef{j: s, reach: ByRegion})
				}
			}
		}
		if s := p.areaCode(c.Phone); s != nil && s.country == code && s.channels[ch] {
			rs.add(regimeRef{j: s, reach: ByAreaCode})
		}
	}
	if rs.n == 0 {
		j, reach := p.byCode[i], ByRecipient
		if j == nil && p.fallback != nil {
			j, reach = p.fallback, ByFallback
		}
		switch {
		case j == nil:
			*d = Decision{Jurisdiction: code, Basis: rules.NoLegalBasis, Reason: ReasonNoRules, Detail: p.noRules[i],
				Purpose: m.Purpose}
			return false
		case !j.channels[ch]:
			*d = Decision{Jurisdiction: j.code, Basis: rules.NoLegalBasis, Reason: ReasonNoRulesForChannel, Detail: j.noChannel[ch],
				Purpose: m.Purpose}
			return false
		}
		rs.add(regimeRef{j: j, reach: reach})
	}
	p.resolveNumber(c.Address(ch), code, ch, rs)
	if s := m.Sender.Country.String(); len(s) == 2 {
		for _, r := range p.senders[index(s)] {
			if r.j != nil && r.j.channels[ch] && r.channels[ch] {
				rs.add(regimeRef{j: r.j, reach: BySender})
			}
		}
	}
	return true
}

// resolveNumber adds the regime of the country whose numbering plan the
// phone number of a call or text belongs to, when it is not the
// recipient's country (reach ByNumber): the number presumes its subscriber
// there (under +1, in the subdivision its area code presumes: reach
// ByAreaCode), and the strictest answer wins. A country the policy has no
// set for, or none for the channel, adds nothing: the recipient's country
// decides.
func (p *Policy) resolveNumber(phone address.Address, code string, ch consent.Channel, rs *regimeList) {
	nc := phone.NumberCountry().String()
	if nc == "" || nc == code { // most numbers: no map read
		return
	}
	country := numberState(nc)
	if country == numberState(code) { // a territory's numbers are its state's
		return
	}
	if s := p.areaCode(phone); s != nil && s.country == country && s.channels[ch] {
		rs.add(regimeRef{j: s, reach: ByAreaCode})
		return
	}
	if j := p.byCode[index(country)]; j != nil && j.channels[ch] {
		rs.add(regimeRef{j: j, reach: ByNumber})
	}
}

// areaCodeOf checks that NANP area code n is one of country's numbering
// plan, so that a subdivision presumes only its own country's numbers (a
// number of another country's plan brings that country's set, reach
// ByNumber; two presumptions of one number would exceed MaxRegimes). It
// returns what is wrong, or "".
func areaCodeOf(n int, country string) string {
	a, err := address.ParsePhone(fmt.Sprintf("+1%03d5550100", n), address.Country{})
	if err != nil {
		return fmt.Sprintf("area code %d is not a NANP area code", n)
	}
	switch nc := a.NumberCountry().String(); {
	case nc == "":
		return fmt.Sprintf("area code %d names no country (toll-free, service or reserved)", n)
	case numberState(nc) != numberState(country):
		return fmt.Sprintf("area code %d is of %s's numbering plan, not %s's", n, nc, country)
	}
	return ""
}

// numberState is the country whose law and registries govern the numbers
// of country c: its state's for a territory with an ISO code of its own
// (partOf; the United States' for Puerto Rico, the US Virgin Islands,
// Guam, the Northern Mariana Islands and American Samoa, which the
// Communications Act counts as States, 47 U.S.C. 153), else c.
func numberState(c string) string {
	switch c {
	case "PR", "VI", "GU", "MP", "AS":
		return "US"
	}
	if s, ok := partOf[c]; ok {
		return s
	}
	return c
}

// areaCode returns the subdivision's set whose area codes include that
// of a NANP phone number (+1 and ten digits), or nil.
func (p *Policy) areaCode(phone address.Address) *jurisdiction {
	if !p.hasAreaCodes {
		return nil
	}
	s := phone.String()
	if len(s) != 12 || s[0] != '+' || s[1] != '1' {
		return nil
	}
	n := 0
	for _, d := range s[2:5] {
		if d < '0' || d > '9' {
			return nil
		}
		n = n*10 + int(d-'0')
	}
	return p.areaCodes[n]
}

// decideRegimes decides a message several regimes reach into *out: each
// is evaluated, and the strictest answer wins (see [Policy.Decide]). The
// first regime's decision is built in *out itself and the others' beside
// it, each in place: no decision is copied along the walk, and only a
// later regime's that wins is copied, once, into *out.
func (p *Policy) decideRegimes(c *consent.Contact, m *consent.Message, rs *regimeList, tr *trace, out *Decision) error {
	var trs [MaxRegimes]*trace
	var regs Regimes
	// One state serves every regime: the sender's key, the category's
	// and the ledger's answers are the contact's, whatever the law. The
	// other regimes' decisions are built in the state's storage, which
	// every walk overwrites whole (so it is not cleared first), and read
	// before the state is released.
	st := p.bind(c, m, rs.r[0].j)
	ds := [MaxRegimes]*Decision{out, &st.more[0], &st.more[1], &st.more[2]}
	for i := range rs.n {
		if tr != nil {
			trs[i] = &trace{seen: map[*compiled]Step{}}
		}
		if i > 0 {
			st.rebind(rs.r[i].j)
		}
		// After a definitive deny (no review, in force now), the lowest
		// denyRank, no later regime's decision is reported, only its
		// verdict: its deny need not be explained.
		if i > 0 && tr == nil && !noShortcuts && ds[i-1].Verdict == Deny && denyRank(ds[i-1]) == 0 {
			st.verdictOnly = true
		}
		err := st.walkRegime(rs.r[i], trs[i], ds[i])
		regs[i] = Regime{Jurisdiction: rs.r[i].j.code, Reach: rs.r[i].reach, Verdict: ds[i].Verdict}
		if err != nil { // an error denies at once
			if i > 0 {
				*out = *ds[i]
			}
			st.release()
			out.Regimes = regs
			tr.join(trs[:i+1], rs, out.Jurisdiction, out.Rule)
			return err
		}
	}
	st.verdictOnly = false
	err := p.strictest(c, m, rs, &ds, out)
	st.release()
	out.Regimes = regs
	tr.join(trs[:rs.n], rs, out.Jurisdiction, out.Rule)
	return err
}

// noShortcuts, set by a test only, makes every walk take every rule of
// its tiers, and every regime's walk explain its deny: the reference the
// shortcuts (the direct tiers, the verdict-only walks) are checked
// against.
var noShortcuts bool

// strictest combines the regimes' decisions at the message instant into
// *out, which is ds[0]: the first deny in regime order of the lowest
// denyRank; else, when a
// regime defers, the latest NotBefore at which every regime allows (a
// regime allowed now, or waiting for an earlier instant, is decided again
// there, and a later wait moves the instant on; a deny there ends the
// wait in that deny, DeniedFrom the instant); else the first regime's
// allow. The obligations of every regime allowing are merged.
func (p *Policy) strictest(c *consent.Contact, m *consent.Message, rs *regimeList, ds *[MaxRegimes]*Decision, out *Decision) error {
	n := rs.n
	latest, deny := -1, -1
	for i := range n {
		switch ds[i].Verdict {
		case Deny:
			if deny < 0 || denyRank(ds[i]) < denyRank(ds[deny]) {
				deny = i
			}
		case Defer:
			if latest < 0 || ds[i].NotBefore.After(ds[latest].NotBefore) {
				latest = i
			}
		}
	}
	if deny >= 0 {
		if deny > 0 {
			*out = *ds[deny]
		}
		return nil
	}
	if latest < 0 {
		mergeAllowed(ds[:n], 0, out)
		return nil
	}
	return p.waitRegimes(c, m, rs, ds, latest, out)
}

// denyRank orders the denies of several regimes, the lowest reported: a
// deny in force at the message instant that needs no review, then one
// that a regime's own wait crossed into (DeniedFrom set: it rests on the
// contact's events after the instant, so a deny in force now is reported
// first, and adding later events never changes which), then those needing
// review (a definitive deny is stricter than one a reviewer might lift:
// the message stays unlawful whatever the review finds).
func denyRank(d *Decision) int {
	r := 0
	if !d.DeniedFrom.IsZero() {
		r++
	}
	if d.NeedsReview {
		r += 2
	}
	return r
}

// waitRegimes is strictest when regime latest defers the latest: the
// instant at which every regime allows, found in rounds (see
// [Policy.strictest]).
func (p *Policy) waitRegimes(c *consent.Contact, m *consent.Message, rs *regimeList, ds *[MaxRegimes]*Decision, latest int, out *Decision) error {
	n := rs.n
	// The regimes' decisions at the message instant, by value, since *out
	// is overwritten last.
	var orig [MaxRegimes]Decision
	for i := range n {
		orig[i] = *ds[i]
	}
	// Each regime's answer holds from at[i] on: a defer's at its
	// NotBefore (deciding again then allows), an allow's at the message
	// instant.
	var at [MaxRegimes]time.Time
	for i := range n {
		at[i] = m.At
		if orig[i].Verdict == Defer {
			at[i] = orig[i].NotBefore
		}
	}
	t := orig[latest].NotBefore
	horizon := m.At.Add(deferHorizon)
	cur := orig
	for range maxRegimeRounds {
		moved := false
		for i := range n {
			if at[i].Equal(t) {
				continue
			}
			mt := *m
			mt.At = t
			var d Decision
			err := p.walkRegime(c, &mt, rs.r[i], nil, &d)
			if err != nil {
				*out = d
				return err
			}
			switch d.Verdict {
			case Defer:
				if d.NotBefore.After(t) {
					t, latest, moved = d.NotBefore, i, true
				}
				at[i] = d.NotBefore
			case Allow:
				at[i] = t
			default:
				// Waiting for the latest regime crosses into this one's
				// deny.
				d.Verdict, d.Basis, d.Obligations = Deny, rules.NoLegalBasis, Obligations{}
				if d.DeniedFrom.IsZero() { // else this regime's own wait crossed later: its instant stands
					d.DeniedFrom, d.Detail = t, rs.r[latest].j.waitDetail(cur[latest].Rule)
				}
				*out = d
				return nil
			}
			cur[i] = d
		}
		if t.After(horizon) {
			d := &cur[latest]
			*out = Decision{Jurisdiction: d.Jurisdiction, Basis: rules.NoLegalBasis, Rule: d.Rule, Origin: d.Origin,
				Reason: ReasonDeferHorizon, Citation: d.Citation, Detail: "no instant within 366 days at which every regime allows the message",
				Purpose: orig[latest].Purpose, Reclassified: orig[latest].Reclassified}
			return nil
		}
		if !moved {
			var ps [MaxRegimes]*Decision
			for i := range n {
				ps[i] = &cur[i]
			}
			mergeAllowed(ps[:n], latest, out)
			return nil
		}
	}
	d := &cur[latest]
	*out = Decision{Jurisdiction: d.Jurisdiction, Basis: rules.NoLegalBasis, Rule: d.Rule, Origin: d.Origin,
		Reason: ReasonDeferSteps, Citation: d.Citation, Detail: "no instant found, within the search's limit, at which every regime allows the message",
		Purpose: orig[latest].Purpose, Reclassified: orig[latest].Reclassified}
	return nil
}

// maxRegimeRounds bounds the rounds of a wait several regimes set.
const maxRegimeRounds = 64

// mergeAllowed writes into *out the decision of regimes that all allow
// (or allow after a wait): the deciding one's, with the obligations of
// every one and the overrides each rests on. out may be one of ds.
func mergeAllowed(ds []*Decision, deciding int, out *Decision) {
	d := ds[deciding]
	obl, ovr, origin := d.Obligations, d.Overrides, d.Origin
	for i, o := range ds {
		if i == deciding {
			continue
		}
		obl = obl.merge(o.Obligations)
		if len(o.Overrides) > 0 {
			ovr = mergeOverrides(ovr, o.Overrides)
			origin = FromOverride
		}
	}
	if d != out {
		*out = *d
	}
	out.Obligations, out.Overrides, out.Origin = obl, ovr, origin
}

// waitDetail is the Detail of a wait for the defer rule id that crosses
// into a deny: built at compile time, so the deny allocates nothing.
func (j *jurisdiction) waitDetail(id string) string {
	for _, t := range j.tiers[rules.Defer] {
		if t.rule.ID == id {
			return t.waitDetail
		}
	}
	return ""
}

// walkRegime decides one regime's rules for the message (with the
// search of a defer) into *out, as if it were the only one.
func (p *Policy) walkRegime(c *consent.Contact, m *consent.Message, r regimeRef, tr *trace, out *Decision) error {
	st := p.bind(c, m, r.j)
	err := st.walkRegime(r, tr, out)
	st.release()
	return err
}

// walkRegime decides regime r with the state bound to its jurisdiction,
// into *out.
func (st *evalState) walkRegime(r regimeRef, tr *trace, out *Decision) error {
	tiers := r.j.spec[st.m.Channel][st.m.Purpose][st.c.Kind]
	// Without a provenance on any record, the indirect-only rules cannot
	// hold: they are left out of the walk (but not of a trace).
	if d := r.j.direct[st.m.Channel][st.m.Purpose][st.c.Kind]; d != tiers && tr == nil && !noShortcuts && !st.hasProvenance() {
		tiers = d
	}
	err := st.walk(tiers, tr, out)
	if tr != nil {
		tr.complete(st, tiers, out)
	}
	if out.Verdict != Allow && out.Verdict != Defer || err != nil {
		out.Verdict = Deny
	}
	return err
}

// rebind moves a state that decided one regime to the next, j, at the
// message instant: the message's purpose is read again by j's rules (the
// reading of mixed messages is the set's); the ledger's answers are kept,
// each remembered with the age rule it was read under ([evalState.state]).
func (st *evalState) rebind(j *jurisdiction) {
	st.j, st.evidence, st.nLifted = j, Evidence{}, 0
	st.m.Purpose = st.label
	st.reclassify()
}

// compiledCodes are the jurisdictions the policy compiles, sorted: every
// country's and subdivision's set, and the EU baseline when a decision
// can apply it alone (it is the fallback, or its reach brings it to the
// senders of the member states without a set of their own).
func (c *compiler) compiledCodes() []string {
	var out []string
	for _, code := range slices.Sorted(maps.Keys(c.byJ)) {
		if s := c.byJ[code]; rules.CountryOf(code) == "" && c.params.Fallback != code && s.Reach.IsZero() {
			continue
		}
		out = append(out, code)
	}
	return out
}

// partOf maps the territories of a member state that have an ISO 3166-1
// code of their own to that state: France's outermost regions (Guadeloupe,
// Martinique, French Guiana, Réunion, Mayotte, Saint-Martin) and Finland's
// Åland Islands are part of the Union (TFEU arts. 349, 355(1), 355(4)), and
// their state's law applies there (for France, the CPCE and the Code de la
// consommation). A sender established there is reached as one established
// in the state.
var partOf = map[string]string{"GP": "FR", "MQ": "FR", "GF": "FR", "RE": "FR", "YT": "FR", "MF": "FR", "AX": "FI"}

// ownSet returns the set of the sender country code, or of the state it
// is part of, if the policy has one.
func ownSet(byJ map[string]*rules.Set, code string) *rules.Set {
	if s := byJ[code]; s != nil {
		return s
	}
	return byJ[partOf[code]]
}

// reach builds the policy's sender table (see [rules.Reach]) and finds
// its fallback. Every set named is compiled (compiledCodes).
func (c *compiler) reach(p *Policy) error {
	var errs rules.ErrorList
	for _, code := range slices.Sorted(maps.Keys(c.byJ)) {
		s := c.byJ[code]
		var chs [consent.AllChannels]bool // the channels reached: those listed, else all
		for ch := range chs {
			chs[ch] = len(s.Reach.Channels) == 0 || slices.Contains(s.Reach.Channels, consent.Channel(ch))
		}
		for _, sender := range s.Reach.Senders {
			target := p.all[code]
			// The sender's country's own set when it extends this one (for a
			// territory with a code of its own, its state's: see partOf).
			if own := ownSet(c.byJ, sender.String()); own != nil && c.extendsSet(own, code) {
				target = p.all[own.Jurisdiction]
			}
			row := &p.senders[index(sender.String())]
			k := slices.IndexFunc(row[:], func(r senderRef) bool { return r.j == nil || r.j == target })
			if k < 0 {
				errs = append(errs, &rules.Error{File: s.File, Msg: fmt.Sprintf(
					"reach: senders of %s would bring more than %d sets (%s, %s, %s): narrow the sets' reach",
					sender, maxSenderRegimes, row[0].j.code, row[1].j.code, target.code)})
				continue
			}
			row[k].j = target
			for ch, on := range chs {
				row[k].channels[ch] = row[k].channels[ch] || on
			}
			n := slices.IndexFunc(row[:], func(r senderRef) bool { return r.j == nil })
			if n < 0 {
				n = len(row)
			}
			slices.SortFunc(row[:n], func(a, b senderRef) int { return strings.Compare(a.j.code, b.j.code) })
		}
	}
	if f := c.params.Fallback; f != "" {
		p.fallback = p.all[f]
	}
	return errs.Err()
}

// senderRef is a set a sender's country brings, on the channels its
// reach lists.
type senderRef struct {
	j        *jurisdiction
	channels [consent.AllChannels]bool
}

// extendsSet reports whether set s is base or extends it, directly or
// through other sets.
func (c *compiler) extendsSet(s *rules.Set, base string) bool {
	for b, n := s, 0; b != nil && n <= len(c.byJ); b, n = c.byJ[b.Extends], n+1 {
		if b.Jurisdiction == base {
			return true
		}
		if b.Extends == "" {
			break
		}
	}
	return false
}

// checkFallback checks that Params.Fallback names a jurisdiction's set.
func (c *compiler) checkFallback() {
	f := c.params.Fallback
	if f == "" {
		return
	}
	for _, s := range c.sets {
		if s != nil && s.House == "" && s.Jurisdiction == f {
			return
		}
	}
	var have []string
	for _, s := range c.sets {
		if s != nil && s.House == "" {
			have = append(have, s.Jurisdiction)
		}
	}
	slices.Sort(have)
	c.errs = append(c.errs, &rules.Error{Msg: fmt.Sprintf("fallback %q: no rule set of the policy has this jurisdiction", clip(f)) +
		didYouMean(f, have), Want: have})
}
