package eligibility_test

import (
	"slices"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/internal/canon"
	"github.com/sendright/sendright/internal/holidays"
	"github.com/sendright/sendright/internal/limits"
	"github.com/sendright/sendright/rules"
)

// reference is a hand-written Go implementation of the EU baseline and the
// French email and SMS rules (rules/builtin/eu.yaml and fr.yaml), and of
// live and automated calls in France, Belgium and the United Kingdom for
// the requests of voiceMix (reference_voice_test.go), used only
// by the benchmarks, as the physical limit to compare the evaluator with,
// and by TestReferenceAgrees, which keeps it from drifting into a different
// policy. It reads the same consent types through the same consent package
// calls the domain functions use.
type reference struct {
	groups map[string][]int
	// frHolidays is France's national public holiday table
	// (internal/holidays), for the call window.
	frHolidays holidays.Table
}

type refDecision struct {
	Verdict     eligibility.Verdict
	Basis       rules.Basis
	Rule        string
	Reason      string
	NeedsReview bool
	Purpose     consent.Purpose // the purpose decided
	NotBefore   time.Time       // on a Defer, when the send becomes lawful
}

var (
	frBanDayOne = time.Date(2025, 7, 1, 0, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	frBanFrom   = time.Date(2025, 7, 2, 0, 0, 0, 0, time.FixedZone("CEST", 2*3600))
)

func newReference(groups map[string][]int) *reference {
	fr, _ := holidays.Country("FR")
	return &reference{groups: groups, frHolidays: fr}
}

// decide decides as the policy does: the rules at the message's instant,
// then, for a marketing SMS the operators' window holds back, the wait for
// the window (decideNow at every instant something may change until it
// opens: a deny there ends the wait).
func (rf *reference) decide(req *eligibility.Request) refDecision {
	d := rf.decideNow(req)
	m := &req.Message
	if d.Verdict != eligibility.Allow || d.Basis == rules.Transactional || m.Channel != consent.SMS ||
		refSMSWindow(m.At, req.Contact.Location) {
		return d
	}
	t0 := m.At
	defer func() { m.At = t0 }()
	open := t0.Truncate(30 * time.Minute).Add(30 * time.Minute)
	for !refSMSWindow(open, req.Contact.Location) {
		open = open.Add(30 * time.Minute)
	}
	for _, t := range refChanges(req.Contact, t0, open) {
		m.At = t
		e := rf.decideNow(req)
		switch {
		case e.Verdict != eligibility.Allow:
			return e
		case t.Equal(open):
			e.Verdict, e.Rule, e.Reason, e.NeedsReview, e.Purpose = eligibility.Defer, "FR_SMS_PROMO_WINDOW", "OUTSIDE_SMS_WINDOW", false, d.Purpose
			return e
		}
	}
	panic("unreachable: refChanges ends with open")
}

// refFRHolidays are France's public holidays (the contacts of the random
// requests name no region).
var refFRHolidays, _ = holidays.Country("FR")

// refSMSWindow: Monday to Saturday, 08:00-21:30 local, not a public
// holiday (fr_promotional_sms).
func refSMSWindow(t time.Time, loc *time.Location) bool {
	lt := t.In(loc)
	mins := lt.Hour()*60 + lt.Minute()
	return lt.Weekday() != time.Sunday && !refFRHolidays.Has(holidays.DayOf(lt)) && mins >= 8*60 && mins < 21*60+30
}

// refChanges are the instants in (t0, open] at which a decision may change:
// the contact's events, their ends of the CNIL's period, the rules' dates,
// and open itself, sorted.
func refChanges(c *consent.Contact, t0, open time.Time) []time.Time {
	var ts []time.Time
	add := func(t time.Time) {
		for _, u := range []time.Time{t, t.Add(refPeriod)} {
			if !t.IsZero() && u.After(t0) && u.Before(open) {
				ts = append(ts, u)
			}
		}
	}
	for r := range c.Records.All() {
		add(r.At)
		add(r.ConfirmedAt)
	}
	rel := &c.Relationship
	for _, evs := range [][]consent.Interaction{rel.Purchases, rel.Inquiries, rel.Support, rel.Responses} {
		for i := range evs {
			add(evs[i].At)
		}
	}
	for i := range rel.Contracts {
		add(rel.Contracts[i].Start)
		add(rel.Contracts[i].End)
	}
	add(c.CollectedAt)
	add(frBanDayOne)
	add(frBanFrom)
	ts = append(ts, open)
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	return ts
}

// decideNow decides at the message's instant, the operators' SMS window
// apart.
func (rf *reference) decideNow(req *eligibility.Request) refDecision {
	c, m := req.Contact, &req.Message
	deny := func(rule, reason string) refDecision {
		return refDecision{Verdict: eligibility.Deny, Basis: rules.NoLegalBasis, Rule: rule, Reason: reason, Purpose: m.Purpose}
	}
	invalid := refDecision{Verdict: eligibility.Deny, Basis: rules.NoLegalBasis, Reason: eligibility.ReasonInvalidRequest}
	if c == nil || c.Check() != nil || m.Check() != nil {
		return invalid
	}
	if m.Channel == consent.VoiceLive || m.Channel == consent.VoiceAutomated {
		if c.Address(m.Channel).IsZero() {
			return invalid
		}
		return rf.decideVoice(req)
	}
	if c.Country.String() != "FR" {
		return deny("", eligibility.ReasonNoRules)
	}
	if m.Channel != consent.Email && m.Channel != consent.SMS {
		return deny("", eligibility.ReasonNoRulesForChannel)
	}
	if c.Address(m.Channel).IsZero() {
		return invalid
	}
	// The purpose decided: a charitable appeal by a company is general
	// marketing, and so is a charity's appeal that promotes goods or
	// services (a category or a promotional marker); a transactional
	// message with a promotional marker or a promoted category, or a
	// consent or feedback request with a promotional marker, is marketing
	// (similar products when the category is similar to a purchase from the
	// sender), a transactional message with a rating request a feedback
	// request (EU mixed_messages: marketing, inherited by FR).
	decided := *m
	promo := m.Content&(consent.PromotionalBody|consent.PromotionalSubject|consent.TransactionalNotFirst) != 0
	promote := func() {
		decided.Purpose = consent.MarketingGeneral
		if hasCategory(m.Category) && rf.purchasedSimilar(c, m) {
			decided.Purpose = consent.MarketingSimilar
		}
	}
	switch {
	case m.Purpose == consent.CharitableAppeal && m.Sender.Kind != consent.Charity:
		decided.Purpose = consent.MarketingGeneral
	case m.Purpose == consent.CharitableAppeal && (promo || hasCategory(m.Category)):
		promote()
	case m.Purpose == consent.Transactional && (promo || hasCategory(m.Category)):
		promote()
	case (m.Purpose == consent.ConsentRequest || m.Purpose == consent.FeedbackRequest) && promo:
		promote()
	case m.Purpose == consent.Transactional && m.Content.Has(consent.RatingRequest):
		decided.Purpose = consent.FeedbackRequest
	}
	m = &decided
	if m.Purpose == consent.Transactional {
		return refDecision{Verdict: eligibility.Allow, Basis: rules.Transactional, Rule: "EU_TRANSACTIONAL", Reason: "TRANSACTIONAL",
			Purpose: m.Purpose}
	}
	person := c.Kind == consent.Consumer || c.Kind == consent.SoleTrader
	if person && !m.At.Before(frBanDayOne) && !rf.ongoingContract(c, m) {
		energy, home := rf.similar("energy_renovation", m.Category), rf.similar("home_adaptation", m.Category)
		switch {
		case m.At.Before(frBanFrom) && (energy || home):
			d := deny("FR_CANVASSING_BAN_START_DATE", "CANVASSING_BAN_START_DATE_UNCLEAR")
			d.NeedsReview = true
			return d
		case m.At.Before(frBanFrom):
		case energy:
			return deny("FR_ENERGY_RENOVATION_BAN", "ENERGY_RENOVATION_CANVASSING_BAN")
		case home:
			d := deny("FR_HOME_ADAPTATION_BAN", "HOME_ADAPTATION_CANVASSING_BAN")
			d.NeedsReview = true
			return d
		}
	}
	st := c.State(consent.Query{Purpose: m.Purpose, Channel: m.Channel, Sender: m.Sender.Entity, At: m.At,
		Minors: consent.MinorRule{Age: 15, Joint: true}})
	if st.Objected() {
		return deny("EU_OBJECTION", "OBJECTION_ON_FILE")
	}
	if st.Withdrawn() {
		return deny("EU_WITHDRAWN", "CONSENT_WITHDRAWN")
	}
	// The stops of the purposes the content carries (a rating request: a
	// feedback request) apply whatever the purpose decided.
	if m.Content.Has(consent.RatingRequest) && m.Purpose != consent.FeedbackRequest {
		fb := c.State(consent.Query{Purpose: consent.FeedbackRequest, Channel: m.Channel, Sender: m.Sender.Entity, At: m.At,
			Minors: consent.MinorRule{Age: 15, Joint: true}})
		if fb.Objected() {
			return deny(eligibility.RuleStopObjection, "OBJECTION_ON_FILE")
		}
		if fb.Withdrawn() {
			return deny(eligibility.RuleStopWithdrawn, "CONSENT_WITHDRAWN")
		}
	}
	allow := func(b rules.Basis, rule, reason string) refDecision {
		return refDecision{Verdict: eligibility.Allow, Basis: b, Rule: rule, Reason: reason, Purpose: m.Purpose}
	}
	switch {
	case st.Consented():
		return allow(rules.Consent, "EU_CONSENT", "CONSENT")
	case m.Purpose == consent.MarketingSimilar && (person || c.Kind == consent.BusinessNamed) && rf.similarPurchase(c, m, true) &&
		refCustomerActive(c, m):
		return allow(rules.SoftOptIn, "FR_SOFT_OPT_IN", "SOFT_OPT_IN")
	case c.Kind == consent.BusinessNamed && m.RoleRelevant && m.Purpose != consent.MarketingThirdParty && c.OptOutOfferedAtCollection &&
		(refProspectActive(c, m) || refCustomerActive(c, m)):
		return allow(rules.B2BOptOut, "FR_B2B_PROFESSIONAL_RELEVANCE", "B2B_PROFESSIONAL_RELEVANCE")
	case c.Kind == consent.BusinessGeneric:
		return allow(rules.NotPersonalData, "FR_LEGAL_PERSON_GENERIC_ADDRESS", "LEGAL_PERSON_GENERIC_ADDRESS")
	case m.Purpose == consent.CharitableAppeal && person && rf.supported(c, m):
		return allow(rules.NonCommercialOptOut, "FR_CHARITY_OPT_OUT", "CHARITY_OPT_OUT")
	}
	switch {
	case c.Kind == consent.BusinessNamed && !m.RoleRelevant:
		return deny("FR_B2B_NOT_ROLE_RELEVANT", "B2B_NOT_ROLE_RELEVANT")
	case c.Kind == consent.BusinessNamed && !c.OptOutOfferedAtCollection:
		return deny("FR_B2B_NOT_INFORMED_AT_COLLECTION", "B2B_NOT_INFORMED_AT_COLLECTION")
	case c.Kind == consent.BusinessNamed && !refProspectActive(c, m) && !refCustomerActive(c, m):
		return deny("FR_B2B_PROSPECT_PERIOD_EXPIRED", "PROSPECTION_PERIOD_EXPIRED")
	case m.Purpose == consent.MarketingSimilar && rf.similarPurchase(c, m, false):
		return deny("FR_SOFT_OPT_IN_NO_OPT_OUT_AT_COLLECTION", "SOFT_OPT_IN_NO_OPT_OUT_AT_COLLECTION")
	case m.Purpose == consent.MarketingSimilar && rf.similarPurchase(c, m, true):
		return deny("FR_SOFT_OPT_IN_CUSTOMER_PERIOD_EXPIRED", "PROSPECTION_PERIOD_EXPIRED")
	}
	if st.InvalidID() != "" {
		switch st.Defect {
		case consent.DefectPreTicked:
			return deny("EU_INVALID_CONSENT_PRETICKED", "INVALID_CONSENT_PRETICKED")
		case consent.DefectMethodUnknown, consent.DefectUnproven:
			return deny("EU_CONSENT_UNPROVABLE", "CONSENT_UNPROVABLE")
		case consent.DefectUnconfirmed:
			return deny("EU_CONSENT_UNCONFIRMED", "CONSENT_UNCONFIRMED")
		case consent.DefectMinor:
			return deny("EU_MINOR_WITHOUT_PARENTAL_CONSENT", "MINOR_WITHOUT_PARENTAL_CONSENT")
		}
	}
	if rf.similarPurchaseElsewhere(c, m) && !rf.similarPurchase(c, m, true) {
		return deny("EU_SOFT_OPT_IN_NOT_TRANSFERABLE", "SOFT_OPT_IN_NOT_TRANSFERABLE")
	}
	for ch := consent.Email; ch < consent.AllChannels; ch++ {
		if ch == m.Channel {
			continue
		}
		q := consent.Query{Purpose: m.Purpose, Channel: ch, Sender: m.Sender.Entity, At: m.At,
			Minors: consent.MinorRule{Age: 15, Joint: true}}
		if c.State(q).Consented() {
			return deny("EU_NO_CONSENT_FOR_CHANNEL", "NO_CONSENT_FOR_CHANNEL")
		}
	}
	if m.Purpose == consent.ConsentRequest {
		return deny("EU_CONSENT_REQUEST_IS_MARKETING", "CONSENT_REQUEST_IS_MARKETING")
	}
	return deny("EU_NO_CONSENT", "NO_CONSENT")
}

// refPeriod is the CNIL's three years, counted as 1095 days.
const refPeriod = 1095 * 24 * time.Hour

// refLast is the latest instant, not after the message, of an interaction
// with the sender, or last when later.
func refLast(evs []consent.Interaction, m *consent.Message, last time.Time) time.Time {
	for i := range evs {
		if e := &evs[i]; consent.SameEntity(e.Seller, m.Sender.Entity) && !e.At.After(m.At) && e.At.After(last) {
			last = e.At
		}
	}
	return last
}

// refProspectActive: collected, or last contacted the sender, less than
// three years before the message.
func refProspectActive(c *consent.Contact, m *consent.Message) bool {
	var last time.Time
	if !c.CollectedAt.After(m.At) {
		last = c.CollectedAt
	}
	r := &c.Relationship
	last = refLast(r.Purchases, m, refLast(r.Inquiries, m, refLast(r.Responses, m, last)))
	return !last.IsZero() && m.At.Before(last.Add(refPeriod))
}

// refCustomerActive: a contract with the sender in force, or the last
// purchase, contract end, response or inquiry less than three years before
// the message.
func refCustomerActive(c *consent.Contact, m *consent.Message) bool {
	r := &c.Relationship
	last := refLast(r.Purchases, m, refLast(r.Inquiries, m, refLast(r.Responses, m, time.Time{})))
	for i := range r.Contracts {
		k := &r.Contracts[i]
		if !consent.SameEntity(k.Seller, m.Sender.Entity) || k.Start.After(m.At) {
			continue
		}
		if k.End.IsZero() || m.At.Before(k.End) {
			return true
		}
		if k.End.After(last) {
			last = k.End
		}
	}
	return !last.IsZero() && m.At.Before(last.Add(refPeriod))
}

// hasCategory reports whether a category has a non-empty canonical key.
func hasCategory(s string) bool {
	if s == "" || canon.IsCategoryKey(s) {
		return s != ""
	}
	var buf [2 * limits.MaxIDLen]byte
	return len(canon.AppendCategoryKey(buf[:0], s)) > 0
}

// purchasedSimilar: a purchase from the sender, not after the message, in a
// similar category, whatever was collected.
func (rf *reference) purchasedSimilar(c *consent.Contact, m *consent.Message) bool {
	for i := range c.Relationship.Purchases {
		p := &c.Relationship.Purchases[i]
		if consent.SameEntity(p.Seller, m.Sender.Entity) && !p.At.After(m.At) && rf.similar(p.Category, m.Category) {
			return true
		}
	}
	return false
}

// refCollected: a, the message's address, is one e collected; the zero
// Address never is.
func refCollected(e *consent.Interaction, a address.Address) bool {
	return !a.IsZero() && slices.ContainsFunc(e.Collected, a.Same)
}

// supported: support expressed to the sending charity, not after the
// message, with the address collected then and an opt-out offered.
func (rf *reference) supported(c *consent.Contact, m *consent.Message) bool {
	for i := range c.Relationship.Support {
		e := &c.Relationship.Support[i]
		if consent.SameEntity(e.Seller, m.Sender.Entity) && !e.At.After(m.At) && refCollected(e, c.Address(m.Channel)) && e.OptOutOffered {
			return true
		}
	}
	return false
}

func (rf *reference) ongoingContract(c *consent.Contact, m *consent.Message) bool {
	for i := range c.Relationship.Contracts {
		if k := &c.Relationship.Contracts[i]; consent.SameEntity(k.Seller, m.Sender.Entity) && !m.At.Before(k.Start) && (k.End.IsZero() || m.At.Before(k.End)) && rf.similar(k.Category, m.Category) {
			return true
		}
	}
	return false
}

// similarPurchase: from the sender, not after the message, details
// collected, similar category, and an opt-out offered (optOut) or not.
func (rf *reference) similarPurchase(c *consent.Contact, m *consent.Message, optOut bool) bool {
	for i := range c.Relationship.Purchases {
		p := &c.Relationship.Purchases[i]
		if !consent.SameEntity(p.Seller, m.Sender.Entity) || p.At.After(m.At) || !refCollected(p, c.Address(m.Channel)) || p.OptOutOffered != optOut {
			continue
		}
		if rf.similar(p.Category, m.Category) {
			return true
		}
	}
	return false
}

// similarPurchaseElsewhere: from another entity than the sender, not
// after the message, similar category (the soft opt-in is not the
// sender's).
func (rf *reference) similarPurchaseElsewhere(c *consent.Contact, m *consent.Message) bool {
	for i := range c.Relationship.Purchases {
		p := &c.Relationship.Purchases[i]
		if !consent.SameEntity(p.Seller, m.Sender.Entity) && !p.At.After(m.At) && rf.similar(p.Category, m.Category) {
			return true
		}
	}
	return false
}

// similar compares categories by canonical key (consent.CategoryKey),
// without allocating, as the domain functions do.
func (rf *reference) similar(a, b string) bool {
	if !canon.IsCategoryKey(a) || !canon.IsCategoryKey(b) {
		var ba, bb [2 * limits.MaxIDLen]byte
		return rf.similarKeys(string(canon.AppendCategoryKey(ba[:0], a)), string(canon.AppendCategoryKey(bb[:0], b)))
	}
	return rf.similarKeys(a, b)
}

func (rf *reference) similarKeys(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if a == b {
		return true
	}
	for _, g := range rf.groups[a] {
		for _, h := range rf.groups[b] {
			if g == h {
				return true
			}
		}
	}
	return false
}
