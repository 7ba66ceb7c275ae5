package eligibility_test

import (
	"math/rand/v2"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/consent/calls"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/internal/holidays"
	"github.com/sendright/sendright/rules"
)

// The voice part of the hand-written reference: live and automated calls
// in France, Belgium, the United Kingdom and Italy as
// rules/builtin/{eu,fr,be,gb,it}.yaml decide them, for the requests of
// voiceMix (marketing and transactional calls from one company, no
// purchases or inquiries, contracts for Italian contacts only, consent
// records without defects, attempts and registry lookups up to the message
// instant). A Defer's NotBefore is computed directly: the end of the
// frequency cap and of the refusal cool-off, then the next opening of the
// D223-9 window in the recipient's zone, skipping the public holidays of
// internal/holidays; a wait that reaches an instant where the call is no
// longer allowed (a lookup going stale, the end of Bloctel on 11 Aug 2026,
// a later objection) is that instant's deny.

// frOptInFrom is when Bloctel ends and live calls to consumers need
// consent (C. consom. art. L223-1 as amended by Loi 2025-594).
var frOptInFrom = time.Date(2026, 8, 11, 0, 0, 0, 0, time.FixedZone("CEST", 2*3600))

// itOptOutFrom is when Italy's register opened to every number and live
// calls became opt-out (DPR 26/2022); consent only before.
var itOptOutFrom = time.Date(2022, 7, 27, 0, 0, 0, 0, time.FixedZone("CEST", 2*3600))

// itContractDays is how long after a contract's end Italy's register
// keeps a consent given in it (Law 5/2018 art. 1(5)), the end included.
const itContractDays = 30 * refDay

const refDay = 24 * time.Hour

// refRegistry is a registry's parameters in a built-in set.
type refRegistry struct {
	effective, maxAge time.Duration
}

var refRegistries = map[calls.Registry]refRegistry{
	calls.Bloctel: {0, 30 * refDay},
	calls.DNCM:    {0, 7 * refDay},
	calls.TPS:     {28 * refDay, 28 * refDay},
	calls.CTPS:    {28 * refDay, 28 * refDay},
	calls.RPO:     {0, 30 * refDay},
}

// regStatus values, as registry() returns them.
const (
	regUnchecked = iota
	regClear
	regListed
)

// registryAt is registry(r) at t: the latest lookup of the contact's number
// made at or before t and no older than the maximum age decides; a listed
// number is listed once the registration is in effect (an unknown
// registration date is in effect). Lookups at the same instant that
// disagree are listed. since is the registration instant of the lookups
// that decided a listing, zero when one of them does not know it.
func registryAt(c *consent.Contact, r calls.Registry, t time.Time) (status int, since time.Time) {
	// Written in two passes, unlike the engine's one, so that the two
	// readings check each other: first the instant of the lookup that
	// counts, then what the lookups made at that instant say.
	p := refRegistries[r]
	counts := func(k *calls.RegistryCheck) bool {
		return k.Registry == r && k.Number.Same(c.Phone) && !k.CheckedAt.After(t) && t.Sub(k.CheckedAt) <= p.maxAge
	}
	var latest time.Time
	found := false
	for i := range c.Registries {
		if k := &c.Registries[i]; counts(k) && (!found || k.CheckedAt.After(latest)) {
			latest, found = k.CheckedAt, true
		}
	}
	if !found {
		return regUnchecked, time.Time{}
	}
	listed, unknown := false, false
	for i := range c.Registries {
		k := &c.Registries[i]
		if !counts(k) || !k.CheckedAt.Equal(latest) || !k.Listed {
			continue
		}
		if !k.ListedSince.IsZero() && t.Before(k.ListedSince.Add(p.effective)) {
			continue // registered, not yet in effect: clear
		}
		listed = true
		if k.ListedSince.IsZero() {
			unknown = true
		} else if k.ListedSince.After(since) {
			since = k.ListedSince
		}
	}
	switch {
	case !listed:
		return regClear, time.Time{}
	case unknown:
		return regListed, time.Time{}
	}
	return regListed, since
}

// voiceState is the consent state for the message's purpose on channel ch
// at t, with the country's age of digital consent.
func voiceState(c *consent.Contact, m *consent.Message, ch consent.Channel, t time.Time) consent.State {
	minors := consent.MinorRule{Age: 13}
	switch c.Country.String() {
	case "FR":
		minors = consent.MinorRule{Age: 15, Joint: true}
	case "IT":
		minors = consent.MinorRule{Age: 14}
	}
	return c.State(consent.Query{Purpose: m.Purpose, Channel: ch, Sender: m.Sender.Entity, At: t, Minors: minors})
}

// decideVoice decides a live or automated call.
func (rf *reference) decideVoice(req *eligibility.Request) refDecision {
	c, m := req.Contact, &req.Message
	d := rf.voiceAt(c, m, m.At)
	if d.Verdict != eligibility.Allow || d.Basis == rules.Transactional || c.Country.String() != "FR" ||
		(c.Kind != consent.Consumer && c.Kind != consent.SoleTrader) {
		return d
	}
	// D223-9: the window, the cap and the cool-off, in file order, for live
	// and automated calls alike.
	capEnd, coolEnd := rf.callClocks(c, m)
	rule, reason := "", ""
	switch {
	case !rf.inWindow(c, m.At):
		rule, reason = "FR_CALL_WINDOW", "OUTSIDE_CALL_WINDOW"
	case capEnd.After(m.At):
		rule, reason = "FR_CALL_FREQUENCY_CAP", "FREQUENCY_CAP_4_PER_30D"
	case coolEnd.After(m.At):
		rule, reason = "FR_CALL_REFUSAL_COOL_OFF", "REFUSAL_COOL_OFF_60D"
	default:
		return d
	}
	at := m.At
	if capEnd.After(at) {
		at = capEnd
	}
	if coolEnd.After(at) {
		at = coolEnd
	}
	at = rf.nextOpen(c, at)
	// The first instant up to NotBefore at which the call is not allowed
	// any more, if any, ends the wait in that deny.
	for t := rf.nextVoiceEvent(c, m.At); !t.IsZero() && !t.After(at); t = rf.nextVoiceEvent(c, t) {
		if d := rf.voiceAt(c, m, t); d.Verdict != eligibility.Allow {
			d.Verdict, d.Basis = eligibility.Deny, rules.NoLegalBasis
			return d
		}
	}
	then := rf.voiceAt(c, m, at)
	return refDecision{Verdict: eligibility.Defer, Basis: then.Basis, Rule: rule, Reason: reason, Purpose: m.Purpose, NotBefore: at}
}

// voiceAt is the decision at t, the defer rules left out.
func (rf *reference) voiceAt(c *consent.Contact, m *consent.Message, t time.Time) refDecision {
	deny := func(rule, reason string) refDecision {
		return refDecision{Verdict: eligibility.Deny, Basis: rules.NoLegalBasis, Rule: rule, Reason: reason, Purpose: m.Purpose}
	}
	allow := func(b rules.Basis, rule, reason string) refDecision {
		return refDecision{Verdict: eligibility.Allow, Basis: b, Rule: rule, Reason: reason, Purpose: m.Purpose}
	}
	country := c.Country.String()
	uk := country == "GB"
	if m.Purpose == consent.Transactional {
		if uk {
			return allow(rules.Transactional, "UK_TRANSACTIONAL", "TRANSACTIONAL")
		}
		return allow(rules.Transactional, "EU_TRANSACTIONAL", "TRANSACTIONAL")
	}
	st := voiceState(c, m, m.Channel, t)
	person := c.Kind == consent.Consumer || c.Kind == consent.SoleTrader
	consented := st.Consented()
	// The deny tier: the country's rules before its base's (GB has no base:
	// file order, the stops first).
	stops := func() (refDecision, bool) {
		switch {
		case st.Objected():
			return deny(pick(uk, "UK_OBJECTION", "EU_OBJECTION"), "OBJECTION_ON_FILE"), true
		case st.Withdrawn():
			return deny(pick(uk, "UK_WITHDRAWN", "EU_WITHDRAWN"), "CONSENT_WITHDRAWN"), true
		}
		return refDecision{}, false
	}
	if uk {
		if d, ok := stops(); ok {
			return d
		}
		// A refusal during a call stops the sender's calls (reg. 21(1)(a),
		// ten years: refusedWithin(3660)).
		if refusedBy(c, m, t, 3660) {
			return deny("UK_CALL_REFUSED", "CALL_REFUSED_NO_RECONTACT")
		}
	}
	if country == "IT" {
		// The register, for live and automated calls: a consent given
		// within a contract, kept by it, needs no lookup and survives a
		// registration; otherwise only a consent later than the
		// registration does.
		kept := consented && contractKept(c, m, st.GrantAt(), t)
		switch s, since := registryAt(c, calls.RPO, t); {
		case kept:
		case s == regListed && !(consented && !since.IsZero() && st.GrantAt().After(since)):
			return deny("IT_RPO_LISTED", "DNC_REGISTERED")
		case s == regUnchecked:
			return deny("IT_RPO_UNCHECKED", "DNC_REGISTRY_UNCHECKED")
		}
	}
	// Bloctel, for live calls and for automated calls with consent
	// (without it, the consent rules decide).
	if country == "FR" && person && t.Before(frOptInFrom) && (m.Channel == consent.VoiceLive || consented) {
		switch s, _ := registryAt(c, calls.Bloctel, t); s {
		case regUnchecked:
			return deny("FR_BLOCTEL_UNCHECKED", "BLOCTEL_UNCHECKED")
		case regListed:
			return deny("FR_BLOCTEL_LISTED", "BLOCTEL_LISTED")
		}
	}
	// From 11 August 2026 a refusal during a call stops the sender's calls
	// (ten years: refusedWithin(3660)).
	if country == "FR" && person && !t.Before(frOptInFrom) && refusedBy(c, m, t, 3660) {
		return deny("FR_CALL_REFUSED_NO_RECONTACT", "CALL_REFUSED_NO_RECONTACT")
	}
	// "Ne m'appelez plus", for live calls and for automated calls with
	// consent (without it, the consent rules decide).
	if country == "BE" && (m.Channel == consent.VoiceLive || consented) {
		s, since := registryAt(c, calls.DNCM, t)
		switch {
		case s == regListed && !(consented && !since.IsZero() && st.GrantAt().After(since)):
			return deny("BE_DNCM_LISTED", "DNC_REGISTERED")
		case s == regUnchecked:
			return deny("BE_DNCM_UNCHECKED", "DNC_REGISTRY_UNCHECKED")
		}
	}
	if m.Channel == consent.VoiceLive {
		switch country {
		case "GB":
			cat := consent.CategoryKey(m.Category)
			if c.Kind == consent.BusinessGeneric && cat == "pensions" {
				cat = "" // reg. 21B: calls to an individual only
			}
			tps, _ := registryAt(c, calls.TPS, t)
			ctps, _ := registryAt(c, calls.CTPS, t)
			switch {
			case consented && cat == "pensions": // reg. 21B(2): who calls is not an input
				d := deny("UK_PENSIONS_CALL_CALLER_REVIEW", "PENSIONS_CALL_CALLER_REVIEW")
				d.NeedsReview = true
				return d
			case consented:
			case cat == "claims_management":
				return deny("UK_CLAIMS_MANAGEMENT_CALL_WITHOUT_CONSENT", "CLAIMS_MANAGEMENT_CALL_WITHOUT_CONSENT")
			case cat == "pensions":
				return deny("UK_PENSIONS_CALL_WITHOUT_CONSENT", "PENSIONS_CALL_WITHOUT_CONSENT")
			case tps == regListed || ctps == regListed:
				return deny("UK_DNC_LISTED", "DNC_REGISTERED")
			case person && tps == regUnchecked:
				return deny("UK_TPS_UNCHECKED", "DNC_REGISTRY_UNCHECKED")
			case !person && ctps == regUnchecked:
				return deny("UK_CTPS_UNCHECKED", "DNC_REGISTRY_UNCHECKED")
			}
		}
	}
	if !uk {
		if d, ok := stops(); ok {
			return d
		}
	}
	if m.Channel == consent.VoiceLive {
		switch country {
		case "FR":
			// Allow rules by the rank of their basis: consent, B2B, not
			// personal data, legitimate interest.
			switch {
			case consented:
				return allow(rules.Consent, "FR_CALL_CONSENT", "CONSENT")
			case c.Kind == consent.BusinessNamed && m.RoleRelevant && m.Purpose != consent.MarketingThirdParty && c.OptOutOfferedAtCollection &&
				prospectActive(c, m, t):
				return allow(rules.LegitimateInterest, "FR_B2B_CALL_LEGITIMATE_INTEREST", "B2B_CALL_LEGITIMATE_INTEREST")
			case c.Kind == consent.BusinessGeneric:
				return allow(rules.NotPersonalData, "FR_LEGAL_PERSON_GENERIC_ADDRESS", "LEGAL_PERSON_GENERIC_ADDRESS")
			case person && t.Before(frOptInFrom):
				return allow(rules.LegitimateInterest, "FR_CALL_BLOCTEL_OPT_OUT", "BLOCTEL_CLEAR")
			case c.Kind == consent.BusinessNamed && !m.RoleRelevant:
				return deny("FR_B2B_NOT_ROLE_RELEVANT", "B2B_NOT_ROLE_RELEVANT")
			case c.Kind == consent.BusinessNamed && !c.OptOutOfferedAtCollection:
				return deny("FR_B2B_NOT_INFORMED_AT_COLLECTION", "B2B_NOT_INFORMED_AT_COLLECTION")
			case c.Kind == consent.BusinessNamed && !prospectActive(c, m, t):
				return deny("FR_B2B_PROSPECT_PERIOD_EXPIRED", "PROSPECTION_PERIOD_EXPIRED")
			case consentElsewhere(c, m, t):
				return deny("FR_CALL_NO_CONSENT_FOR_CHANNEL", "NO_CONSENT_FOR_CHANNEL")
			case c.Kind == consent.BusinessNamed && m.Purpose == consent.MarketingThirdParty:
				return deny("FR_B2B_CALL_THIRD_PARTY", "B2B_THIRD_PARTY_NOT_INFORMED")
			case person:
				return deny("FR_CALL_OPT_IN_REQUIRED", "PHONE_OPT_IN_REQUIRED")
			}
			// Every kind is decided above: France has its own answer for
			// every live call (the mix has no defective grants).
			return deny("EU_LIVE_CALL_NEEDS_NATIONAL_RULE", "LIVE_CALL_NEEDS_NATIONAL_RULE")
		case "BE":
			if consented {
				return allow(rules.Consent, "BE_LIVE_CALL_CONSENT", "CONSENT")
			}
			return allow(rules.LegitimateInterest, "BE_LIVE_CALL_OPT_OUT", "LIVE_CALL_OPT_OUT")
		case "IT":
			switch {
			case consented:
				return allow(rules.Consent, "IT_LIVE_CALL_CONSENT", "CONSENT")
			case t.Before(itOptOutFrom):
				return deny("IT_LIVE_CALL_CONSENT_REQUIRED", "PHONE_OPT_IN_REQUIRED")
			}
			return allow(rules.LegitimateInterest, "IT_LIVE_CALL_OPT_OUT", "LIVE_CALL_OPT_OUT")
		default:
			if consented {
				return allow(rules.Consent, "UK_CONSENT", "CONSENT")
			}
			return allow(rules.LegitimateInterest, "UK_LIVE_CALL_OPT_OUT", "LIVE_CALL_OPT_OUT")
		}
	}
	// Automated calls: consent (ePrivacy art. 13(1), PECR reg. 19).
	if consented {
		return allow(rules.Consent, pick(uk, "UK_CONSENT", "EU_CONSENT"), "CONSENT")
	}
	if uk && m.Purpose == consent.ConsentRequest {
		return deny("UK_CONSENT_REQUEST_IS_MARKETING", "CONSENT_REQUEST_IS_MARKETING")
	}
	if country == "IT" && !person {
		// Italy's own no-basis rule comes before the baseline's (the mix
		// has no purchases, so IT_SOFT_SPAM_EMAIL_ONLY never applies).
		return deny("IT_LEGAL_PERSON_CONSENT_REQUIRED", "LEGAL_PERSON_CONSENT_REQUIRED")
	}
	if consentElsewhere(c, m, t) {
		return deny(pick(uk, "UK_NO_CONSENT_FOR_CHANNEL", "EU_NO_CONSENT_FOR_CHANNEL"), "NO_CONSENT_FOR_CHANNEL")
	}
	if m.Purpose == consent.ConsentRequest {
		return deny("EU_CONSENT_REQUEST_IS_MARKETING", "CONSENT_REQUEST_IS_MARKETING")
	}
	return deny(pick(uk, "UK_NO_CONSENT", "EU_NO_CONSENT"), "NO_CONSENT")
}

// consentElsewhere: a grant that counts exists for the message's purpose
// on another channel than the message's.
func consentElsewhere(c *consent.Contact, m *consent.Message, t time.Time) bool {
	for ch := consent.Email; ch < consent.AllChannels; ch++ {
		if ch != m.Channel && voiceState(c, m, ch, t).Consented() {
			return true
		}
	}
	return false
}

// contractKept: a contract with the sender, of any category, started by t
// and not ended more than thirty days before it, in force when the consent
// was granted (at granted).
func contractKept(c *consent.Contact, m *consent.Message, granted, t time.Time) bool {
	for i := range c.Relationship.Contracts {
		k := &c.Relationship.Contracts[i]
		if !consent.SameEntity(k.Seller, m.Sender.Entity) || k.Start.After(t) ||
			granted.Before(k.Start) || !k.End.IsZero() && granted.After(k.End) {
			continue
		}
		if k.End.IsZero() || t.Sub(k.End) <= itContractDays {
			return true
		}
	}
	return false
}

// pick is a if uk, b otherwise: the United Kingdom's rule ids, or the EU
// baseline's, without building strings.
func pick(uk bool, a, b string) string {
	if uk {
		return a
	}
	return b
}

// prospectPeriod is the CNIL's three years (1095 days) of prospection
// from collection or the person's last contact.
const prospectPeriod = 1095 * refDay

// prospectActive: the contact's details were collected, or the person
// last responded to the sender, less than three years before t (the mix
// has no purchases, inquiries or contracts, so the customer period adds
// nothing).
func prospectActive(c *consent.Contact, m *consent.Message, t time.Time) bool {
	var last time.Time
	if !c.CollectedAt.After(t) {
		last = c.CollectedAt
	}
	for i := range c.Relationship.Responses {
		e := &c.Relationship.Responses[i]
		if e.At.After(last) && !e.At.After(t) && consent.SameEntity(e.Seller, m.Sender.Entity) {
			last = e.At
		}
	}
	return !last.IsZero() && t.Before(last.Add(prospectPeriod))
}

// refusedBy reports a call by the message's sender, at or before t, in
// which the person refused, whose local date is less than days calendar
// days before t's (it holds to the end of the days-th date after its own).
func refusedBy(c *consent.Contact, m *consent.Message, t time.Time, days int) bool {
	for i := range c.Attempts {
		a := &c.Attempts[i]
		if a.Outcome != calls.Refused || a.At.After(t) || !consent.SameEntity(a.Sender, m.Sender.Entity) {
			continue
		}
		y, mo, d := a.At.In(c.Location).Date()
		if time.Date(y, mo, d+days+1, 0, 0, 0, 0, c.Location).After(t) {
			return true
		}
	}
	return false
}

// callClocks returns when the cap of four calls in 30 days and the 60 days
// after a refusal end (zero, or not after the message instant, when they
// do not hold the call back), counting the sender's calls up to the
// message instant by their dates in the recipient's zone: a call counts
// in the cap on its date and the next 29, and a refusal holds the next
// 60 dates after its own, so each ends at a local midnight.
func (rf *reference) callClocks(c *consent.Contact, m *consent.Message) (capEnd, coolEnd time.Time) {
	loc := c.Location
	midnight := func(t time.Time, days int) time.Time {
		y, mo, d := t.In(loc).Date()
		return time.Date(y, mo, d+days, 0, 0, 0, 0, loc)
	}
	first := midnight(m.At, -29) // the first instant of the 30 dates ending with the message's
	var top [4]time.Time         // the four latest calls in those dates, latest first
	n := 0
	for i := range c.Attempts {
		a := &c.Attempts[i]
		if a.At.After(m.At) || !consent.SameEntity(a.Sender, m.Sender.Entity) {
			continue
		}
		if end := midnight(a.At, 61); a.Outcome == calls.Refused && end.After(coolEnd) {
			coolEnd = end
		}
		if a.At.Before(first) {
			continue
		}
		j := min(n, 3)
		if n == 4 && !a.At.After(top[3]) {
			continue
		}
		for j > 0 && a.At.After(top[j-1]) {
			top[j] = top[j-1]
			j--
		}
		top[j] = a.At
		n = min(n+1, 4)
	}
	if n == 4 {
		capEnd = midnight(top[3], 30)
	}
	return capEnd, coolEnd
}

// holidayTable is the public holiday table of the consumer-call window:
// France's national holidays (C. trav. L3133-1, which C. consom. art.
// D223-9 names), whatever the contact's region (the random contacts' are
// all modelled ones).
func (rf *reference) holidayTable(*consent.Contact) holidays.Table {
	return rf.frHolidays
}

// inWindow: Monday to Friday, 10:00-13:00 and 14:00-20:00 in the
// recipient's zone, not on a public holiday there.
func (rf *reference) inWindow(c *consent.Contact, t time.Time) bool {
	return rf.nextOpen(c, t).Equal(t)
}

// nextOpen is the first instant at or after t inside the D223-9 window.
func (rf *reference) nextOpen(c *consent.Contact, t time.Time) time.Time {
	loc := c.Location
	lt := t.In(loc)
	y, mo, d := lt.Date()
	table := rf.holidayTable(c)
	for k := 0; k < 400; k++ {
		day := time.Date(y, mo, d+k, 12, 0, 0, 0, loc)
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday || table.Has(holidays.DayOf(day)) {
			continue
		}
		for _, span := range [...][2]int{{10, 13}, {14, 20}} {
			open := time.Date(y, mo, d+k, span[0], 0, 0, 0, loc)
			end := time.Date(y, mo, d+k, span[1], 0, 0, 0, loc)
			if !t.Before(open) && t.Before(end) {
				return t
			}
			if open.After(t) {
				return open
			}
		}
	}
	return time.Time{}
}

// nextVoiceEvent is the first instant after `after` at which the decision
// without the defer rules may change: a record taking effect or being
// confirmed, a lookup going stale or its registration taking effect, the
// end of Bloctel, a collection or a response and the end of the three years
// counted from it.
func (rf *reference) nextVoiceEvent(c *consent.Contact, after time.Time) time.Time {
	var next time.Time
	take := func(t time.Time) {
		if t.After(after) && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	for r := range c.Records.All() {
		take(r.At)
		if !r.ConfirmedAt.IsZero() {
			take(r.ConfirmedAt)
		}
	}
	for i := range c.Registries {
		k := &c.Registries[i]
		p := refRegistries[k.Registry]
		take(k.CheckedAt.Add(p.maxAge + time.Nanosecond))
		if !k.ListedSince.IsZero() {
			take(k.ListedSince.Add(p.effective))
		}
	}
	take(frOptInFrom)
	if !c.CollectedAt.IsZero() {
		take(c.CollectedAt)
		take(c.CollectedAt.Add(prospectPeriod))
	}
	for i := range c.Relationship.Responses {
		take(c.Relationship.Responses[i].At)
		take(c.Relationship.Responses[i].At.Add(prospectPeriod))
	}
	for i := range c.Relationship.Contracts {
		k := &c.Relationship.Contracts[i]
		take(k.Start)
		if !k.End.IsZero() {
			take(k.End.Add(itContractDays + time.Nanosecond))
		}
	}
	return next
}

// voiceMix generates n calls (live three times in four, automated
// otherwise) from one company to consumers and businesses in France,
// Belgium, the United Kingdom and Italy, at random instants in 2026 and around
// the instants that matter: weekends, French public holidays (Alsace-Moselle
// included), the daylight-saving nights, the end of Bloctel. Each contact
// has a collection date (seven in eight, up to five years back), perhaps a
// response to a sender, zero to four consent records (voice and e-mail grants, withdrawals,
// objections, some by another company, some after the call), zero to
// seven earlier call attempts (some refused, some by another company),
// zero to two registry lookups (fresh, stale, listed, some of another
// number or registry), and, for an Italian contact one time in three, a
// contract in force or ended up to 60 days before the call. The same seed gives the same requests.
func voiceMix(seed uint64, n int) []eligibility.Request {
	rng := rand.New(rand.NewPCG(seed, 0x7e1e))
	type place struct {
		country  string
		zone     string
		regions  []string
		phones   []string
		registry []calls.Registry
	}
	places := []place{
		{"FR", "Europe/Paris", []string{"", "", "FR-57", "FR-67", "FR-68", "FR-75C"}, []string{"+33639980001", "+33639980002"}, []calls.Registry{calls.Bloctel}},
		{"BE", "Europe/Brussels", []string{""}, []string{"+32460000001", "+32460000002"}, []calls.Registry{calls.DNCM}},
		{"GB", "Europe/London", []string{"", "GB-SCT"}, []string{"+447700900123", "+447700900456"}, []calls.Registry{calls.TPS, calls.CTPS}},
		{"IT", "Europe/Rome", []string{""}, []string{"+393120000001", "+393120000002"}, []calls.Registry{calls.RPO}},
	}
	locs := map[string]*time.Location{}
	for _, p := range places {
		locs[p.zone] = mustLoad(p.zone)
	}
	company := consent.Sender{Entity: "Maison Exemple SAS", Kind: consent.Company}
	other := "Autre Exemple SARL"
	special := []time.Time{
		time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC),   // spring forward in Europe
		time.Date(2026, 10, 25, 1, 0, 0, 0, time.UTC),  // fall back
		time.Date(2026, 4, 3, 12, 0, 0, 0, time.UTC),   // Good Friday (Alsace-Moselle)
		time.Date(2026, 4, 6, 12, 0, 0, 0, time.UTC),   // Easter Monday
		time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC),   // 1 May
		time.Date(2026, 5, 8, 12, 0, 0, 0, time.UTC),   // 8 May
		time.Date(2026, 5, 14, 12, 0, 0, 0, time.UTC),  // Ascension
		time.Date(2026, 5, 25, 12, 0, 0, 0, time.UTC),  // Whit Monday
		time.Date(2026, 7, 14, 12, 0, 0, 0, time.UTC),  // 14 July
		time.Date(2026, 8, 10, 20, 0, 0, 0, time.UTC),  // the eve of the end of Bloctel
		time.Date(2026, 8, 14, 12, 0, 0, 0, time.UTC),  // before 15 August (a Saturday)
		time.Date(2026, 11, 11, 12, 0, 0, 0, time.UTC), // 11 November
		time.Date(2026, 12, 24, 12, 0, 0, 0, time.UTC), // Christmas and 26 December
		time.Date(2026, 7, 9, 12, 0, 0, 0, time.UTC),   // a month before the end of Bloctel
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]eligibility.Request, n)
	for i := range out {
		p := places[rng.IntN(len(places))]
		var at time.Time
		if rng.IntN(5) < 2 {
			at = special[rng.IntN(len(special))].Add(time.Duration(rng.Int64N(int64(72*time.Hour))) - 36*time.Hour)
		} else {
			at = start.Add(time.Duration(rng.Int64N(int64(365 * refDay))))
		}
		at = at.Truncate(time.Minute).Add(time.Duration(rng.IntN(4)) * 15 * time.Second)
		kind := []consent.RecipientKind{consent.Consumer, consent.Consumer, consent.Consumer, consent.SoleTrader,
			consent.BusinessNamed, consent.BusinessNamed, consent.BusinessGeneric}[rng.IntN(7)]
		phone := address.MustParsePhone(p.phones[0], address.Country{})
		c := &consent.Contact{ID: "c-" + p.country, Kind: kind, Country: address.MustCountry(p.country),
			Region: p.regions[rng.IntN(len(p.regions))], Location: locs[p.zone], Phone: phone,
			Email:                     address.MustParseEmail("camille@example.com"),
			OptOutOfferedAtCollection: rng.IntN(3) > 0}
		if rng.IntN(8) > 0 {
			c.CollectedAt = at.Add(-time.Duration(rng.Int64N(int64(5 * 365 * refDay))))
		}
		for r := range rng.IntN(3) / 2 {
			e := consent.Interaction{ID: "resp-" + string(rune('a'+r)), At: at.Add(-time.Duration(rng.Int64N(int64(5 * 365 * refDay)))),
				Seller: company.Entity}
			if rng.IntN(4) == 0 {
				e.Seller = other
			}
			c.Relationship.Responses = append(c.Relationship.Responses, e)
		}
		if p.country == "IT" && rng.IntN(3) == 0 {
			// A contract in force, or ended up to 60 days before the call
			// (the register keeps consents for 30 days after the end);
			// sometimes another company's.
			k := consent.Contract{ID: "k-1", Seller: company.Entity, Category: "energy",
				Start: at.Add(-time.Duration(rng.Int64N(int64(800 * refDay))))}
			if rng.IntN(2) == 0 {
				k.End = at.Add(time.Duration(rng.Int64N(int64(90*refDay))) - 60*refDay)
				if !k.End.After(k.Start) {
					k.End = time.Time{}
				}
			}
			if rng.IntN(6) == 0 {
				k.Seller = other
			}
			c.Relationship.Contracts = append(c.Relationship.Contracts, k)
		}
		var recs []consent.Record
		for r := range rng.IntN(5) {
			ch := []consent.Channel{consent.VoiceLive, consent.VoiceLive, consent.VoiceAutomated, consent.Email}[rng.IntN(4)]
			subject := phone
			if ch == consent.Email {
				subject = c.Email
			}
			status := []consent.Status{consent.Granted, consent.Granted, consent.Granted, consent.Withdrawn, consent.Objection}[rng.IntN(5)]
			sender := company.Entity
			if rng.IntN(6) == 0 {
				sender = other
			}
			when := at.Add(-time.Duration(rng.Int64N(int64(400 * refDay))))
			if rng.IntN(8) == 0 {
				when = at.Add(time.Duration(rng.Int64N(int64(70 * refDay))))
			}
			recs = append(recs, consent.Record{ID: "r-" + string(rune('a'+r)), Subject: subject, Purpose: consent.MarketingGeneral,
				Channel: ch, Sender: sender, Status: status, At: when, Method: consent.UntickedCheckbox})
		}
		l, err := consent.NewLedger(recs...)
		if err != nil {
			panic(err)
		}
		c.Records = *l
		ago := []time.Duration{75 * refDay, 31 * refDay}[rng.IntN(2)]
		for range rng.IntN(8) {
			a := calls.Attempt{At: at.Add(-time.Duration(rng.Int64N(int64(ago)))), Channel: calls.VoiceLive,
				Sender: company.Entity, Outcome: []calls.Outcome{calls.NoAnswer, calls.NoAnswer, calls.Answered, calls.Refused}[rng.IntN(4)]}
			if rng.IntN(4) == 0 {
				a.Channel = calls.VoiceAutomated
			}
			if rng.IntN(8) == 0 {
				a.Sender = other
			}
			if rng.IntN(6) != 0 && a.Outcome == calls.Refused {
				a.Outcome = calls.Answered // refusals rarer than answers
			}
			c.Attempts = append(c.Attempts, a)
		}
		for range []int{0, 1, 1, 1, 1, 2, 2}[rng.IntN(7)] {
			age := []time.Duration{8 * refDay, 8 * refDay, 40 * refDay}[rng.IntN(3)]
			k := calls.RegistryCheck{Registry: p.registry[rng.IntN(len(p.registry))], Number: phone,
				CheckedAt: at.Add(-time.Duration(rng.Int64N(int64(age))))}
			if p.country == "GB" && kind != consent.Consumer && kind != consent.SoleTrader && rng.IntN(3) > 0 {
				k.Registry = calls.CTPS
			} else if p.country == "GB" && rng.IntN(3) > 0 {
				k.Registry = calls.TPS
			}
			if rng.IntN(10) == 0 {
				k.Number = address.MustParsePhone(p.phones[1], address.Country{})
			}
			if rng.IntN(4) == 0 {
				k.Listed = true
				if rng.IntN(5) > 0 {
					k.ListedSince = k.CheckedAt.Add(-time.Duration(rng.Int64N(int64(60 * refDay))))
				}
			}
			c.Registries = append(c.Registries, k)
		}
		m := consent.Message{Purpose: consent.MarketingGeneral, Channel: consent.VoiceLive, Sender: company, At: at,
			RoleRelevant: rng.IntN(3) > 0}
		if rng.IntN(4) == 0 {
			m.Channel = consent.VoiceAutomated
		}
		switch rng.IntN(20) {
		case 0, 1:
			m.Purpose = consent.Transactional
		case 2:
			m.Purpose = consent.ConsentRequest
		case 3:
			m.Purpose = consent.MarketingThirdParty
		case 4, 5:
			if p.country == "GB" {
				m.Category = []string{"claims_management", "pensions"}[rng.IntN(2)]
			}
		}
		out[i] = eligibility.Request{Contact: c, Message: m}
	}
	return out
}

// voiceEdges are calls at the edges random instants do not hit: a Bloctel
// lookup going stale exactly at the window's next opening (the wait
// crosses into a deny) or a nanosecond after it (deferred), a Belgian
// consent given at the instant of the registration (not after it: listed)
// or a nanosecond later (consent prevails), a cap ending inside a closed
// window, a window opening on the morning after the spring-forward night,
// and Italian consents kept by a contract ended exactly 30 days before the
// call or revoked a nanosecond past that, given at the registration instant
// or a nanosecond after it.
func voiceEdges() []eligibility.Request {
	paris, brussels := mustLoad("Europe/Paris"), mustLoad("Europe/Brussels")
	company := consent.Sender{Entity: "Maison Exemple SAS", Kind: consent.Company}
	frPhone := address.MustParsePhone("+33639980001", address.Country{})
	bePhone := address.MustParsePhone("+32460000001", address.Country{})
	saturday := time.Date(2026, 3, 14, 12, 0, 0, 0, paris)
	monday := time.Date(2026, 3, 16, 10, 0, 0, 0, paris)
	fr := func(checked time.Time, attempts ...calls.Attempt) eligibility.Request {
		c := &consent.Contact{ID: "c-edge", Kind: consent.Consumer, Country: address.MustCountry("FR"), Location: paris,
			Phone: frPhone, Attempts: attempts,
			Registries: []calls.RegistryCheck{{Registry: calls.Bloctel, Number: frPhone, CheckedAt: checked}}}
		return eligibility.Request{Contact: c, Message: consent.Message{Purpose: consent.MarketingGeneral,
			Channel: consent.VoiceLive, Sender: company, At: saturday}}
	}
	listedSince := time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
	be := func(granted time.Time) eligibility.Request {
		l, err := consent.NewLedger(consent.Record{ID: "g-1", Subject: bePhone, Purpose: consent.MarketingGeneral,
			Channel: consent.VoiceLive, Sender: company.Entity, Status: consent.Granted, At: granted, Method: consent.UntickedCheckbox})
		if err != nil {
			panic(err)
		}
		c := &consent.Contact{ID: "c-edge", Kind: consent.Consumer, Country: address.MustCountry("BE"), Location: brussels,
			Phone: bePhone, Records: *l, Registries: []calls.RegistryCheck{{Registry: calls.DNCM, Number: bePhone,
				Listed: true, ListedSince: listedSince, CheckedAt: listedSince.Add(refDay)}}}
		return eligibility.Request{Contact: c, Message: consent.Message{Purpose: consent.MarketingGeneral,
			Channel: consent.VoiceLive, Sender: company, At: listedSince.Add(2 * refDay)}}
	}
	call := func(at time.Time) calls.Attempt {
		return calls.Attempt{At: at, Channel: calls.VoiceLive, Sender: company.Entity, Outcome: calls.NoAnswer}
	}
	// Four calls, the oldest on Sunday 15 February at 21:00 in Paris: its
	// date leaves the 30 dates at the midnight starting Tuesday 17 March,
	// whatever the hour it was made, inside the closed night: the call
	// waits for Tuesday's opening.
	capped := fr(saturday.Add(-refDay), call(time.Date(2026, 2, 15, 21, 0, 0, 0, paris)),
		call(saturday.Add(-3*refDay)), call(saturday.Add(-2*refDay)), call(saturday.Add(-refDay)))
	// Saturday 28 March 2026, the eve of the spring-forward night.
	dst := fr(time.Date(2026, 3, 27, 12, 0, 0, 0, paris))
	dst.Message.At = time.Date(2026, 3, 28, 23, 30, 0, 0, paris)
	// Italy: a consent given before the registration, kept by a contract
	// that ended exactly 30 days before the call (kept) or a nanosecond
	// earlier (revoked); a consent at the registration instant (revoked) or
	// a nanosecond after it (counts).
	rome := mustLoad("Europe/Rome")
	itPhone := address.MustParsePhone("+393120000001", address.Country{})
	itCall := time.Date(2026, 3, 10, 11, 0, 0, 0, rome)
	it := func(granted, contractEnd time.Time) eligibility.Request {
		l, err := consent.NewLedger(consent.Record{ID: "g-1", Subject: itPhone, Purpose: consent.MarketingGeneral,
			Channel: consent.VoiceLive, Sender: company.Entity, Status: consent.Granted, At: granted, Method: consent.SignedForm,
			ProofRef: "moduli/1"})
		if err != nil {
			panic(err)
		}
		c := &consent.Contact{ID: "c-edge", Kind: consent.Consumer, Country: address.MustCountry("IT"), Location: rome,
			Phone: itPhone, Records: *l, Registries: []calls.RegistryCheck{{Registry: calls.RPO, Number: itPhone,
				Listed: true, ListedSince: listedSince, CheckedAt: itCall.Add(-refDay)}}}
		if !contractEnd.IsZero() {
			c.Relationship.Contracts = []consent.Contract{{ID: "k-1", Seller: company.Entity, Category: "energy",
				Start: listedSince.AddDate(-2, 0, 0), End: contractEnd}}
		}
		return eligibility.Request{Contact: c, Message: consent.Message{Purpose: consent.MarketingGeneral,
			Channel: consent.VoiceLive, Sender: company, At: itCall}}
	}
	before := listedSince.AddDate(-1, 0, 0)
	return []eligibility.Request{
		fr(monday.Add(-30*refDay - time.Nanosecond)),
		fr(monday.Add(-30 * refDay)),
		be(listedSince), be(listedSince.Add(time.Nanosecond)),
		capped, dst,
		it(before, itCall.Add(-itContractDays)), it(before, itCall.Add(-itContractDays-time.Nanosecond)),
		it(listedSince, time.Time{}), it(listedSince.Add(time.Nanosecond), time.Time{}),
	}
}
