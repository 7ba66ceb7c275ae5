package eligibility

import (
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/internal/enum"
)

// Reclassification says why a message was decided under another purpose
// than its label. The zero value means it was not reclassified.
type Reclassification uint8

// Reclassifications.
const (
	// NotReclassified: the message was decided under its own purpose.
	NotReclassified Reclassification = iota
	// PromotionalContent: a message with a promotional body or subject
	// line decided as marketing: a charity's appeal, in every set; a
	// transactional message, a consent request or a feedback request where
	// the rule set reads mixed messages as marketing (parameter
	// mixed_messages: marketing); on a channel read by primary purpose
	// (parameter primary_purpose_channels), a transactional message only
	// for a promotional subject line or transactional content not first.
	PromotionalContent
	// PromotedCategory: a message naming a product category, the category
	// it promotes, decided as marketing: a charity's appeal, in every set;
	// a transactional message where the set reads mixed messages as
	// marketing.
	PromotedCategory
	// RatingRequestContent: a transactional message asking for a rating or
	// review, decided as a feedback request.
	RatingRequestContent
	// AppealByNonCharity: a charitable appeal by a sender that is not a
	// charity, decided as general marketing.
	AppealByNonCharity
)

var reclassNames = enum.WithZero[Reclassification]("", "reclassification", "", "promotional_content", "promoted_category", "rating_request", "appeal_by_non_charity")

// String returns the text form, e.g. "promotional_content", or "" when not
// reclassified.
func (r Reclassification) String() string { return reclassNames.String(r) }

// Valid reports whether r is a defined reclassification (including
// NotReclassified).
func (r Reclassification) Valid() bool { return reclassNames.Valid(r) }

// MarshalText implements encoding.TextMarshaler.
func (r Reclassification) MarshalText() ([]byte, error) { return reclassNames.Marshal(r) }

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an
// error, "" is [NotReclassified].
func (r *Reclassification) UnmarshalText(b []byte) error { return reclassNames.Unmarshal(r, b) }

// reclassify decides the purpose the message is judged under, before any
// rule runs, so that no rule — exempt rules included — sees the label of a
// message whose content says otherwise.
//
// A charitable appeal is never selling, so for it a category means the
// goods or services it promotes: a charity's appeal with a category or a
// promotional marker is commercial prospection (CPCE art. L34-5 al. 3; PECR
// reg. 22(3A), "sole purpose"), decided as marketing in every set, like a
// charitable appeal by a sender that is not a charity. Where the set reads
// mixed messages as marketing, so is a transactional message with a
// promotional marker or a category, and a consent or feedback request with
// a promotional marker (its category, if any, then only says which
// products it promotes); a transactional message with a rating request is
// a feedback request. On a channel the set reads by primary purpose (16
// CFR 316.3), a transactional message is marketing only when its subject
// line promotes or its transactional part does not come first; a
// promotional body or a category alone leaves it transactional (the
// promotion it carries still meets a marketing stop: contentStop).
func (st *evalState) reclassify() {
	m := &st.m
	st.reclass = NotReclassified
	promo := promotional(m.Content)
	switch {
	case m.Purpose == consent.CharitableAppeal && m.Sender.Kind != consent.Charity:
		m.Purpose, st.reclass = consent.MarketingGeneral, AppealByNonCharity
	case m.Purpose == consent.CharitableAppeal:
		if promo || st.cat != "" {
			st.promote(promo)
		}
	case st.j.primaryPurpose[m.Channel] && m.Purpose == consent.Transactional:
		if m.Content&(consent.PromotionalSubject|consent.TransactionalNotFirst) != 0 {
			st.promote(true)
		} else if m.Content.Has(consent.RatingRequest) {
			m.Purpose, st.reclass = consent.FeedbackRequest, RatingRequestContent
		}
	case !st.j.mixedAsMarketing && !st.j.primaryPurpose[m.Channel]:
	case m.Purpose == consent.Transactional && (promo || st.cat != ""):
		st.promote(promo)
	case (m.Purpose == consent.ConsentRequest || m.Purpose == consent.FeedbackRequest) && promo:
		st.promote(promo)
	case m.Purpose == consent.Transactional && m.Content.Has(consent.RatingRequest):
		m.Purpose, st.reclass = consent.FeedbackRequest, RatingRequestContent
	}
}

// promote decides a message that promotes goods or services as marketing:
// similar products when its category is similar to a purchase from the
// sender, or to an inquiry where the set's soft opt-in counts inquiries
// (negotiations for a sale, PECR reg. 22(3)), otherwise general marketing.
func (st *evalState) promote(promo bool) {
	st.reclass = PromotedCategory
	if promo {
		st.reclass = PromotionalContent
	}
	st.m.Purpose = consent.MarketingGeneral
	if st.cat != "" && (st.interaction(st.c.Relationship.Purchases, PurchaseEvidence, true, false, time.Time{}) ||
		st.j.inquiries[st.m.Channel] && st.interaction(st.c.Relationship.Inquiries, InquiryEvidence, true, false, time.Time{})) {
		st.m.Purpose = consent.MarketingSimilar
	}
	st.evidence = Evidence{}
}

// contentStop returns the engine's stop rule that denies the message for a
// purpose its content carries other than the purpose decided — a rating
// request carries a feedback request; a promotional marker carries general
// marketing on a message decided as transactional (a set that does not
// read mixed messages as marketing), any marketing purpose decided already
// being that promotion — or nil. A withdrawal or objection covering that purpose
// stops the message whatever its label or reclassification: a request for
// a review that travels with a promotion is still a feedback request.
func (st *evalState) contentStop() *tierRule {
	m := &st.m
	for _, c := range [...]struct {
		carried bool
		p       consent.Purpose
	}{{m.Content.Has(consent.RatingRequest), consent.FeedbackRequest}, {promotional(m.Content) && m.Purpose == consent.Transactional, consent.MarketingGeneral}} {
		switch {
		case !c.carried || c.p == m.Purpose:
		case st.objected(c.p, m.Channel):
			return &stopObjection
		case st.withdrawn(c.p, m.Channel):
			return &stopWithdrawn
		}
	}
	return nil
}

// engineStop returns the engine's stop rule that denies a message decided
// as marketing, or nil: an objection or withdrawal in force for the
// purpose decided (unless the set's own stop rules already asked), or for
// a purpose its content carries ([evalState.contentStop]).
func (st *evalState) engineStop() *tierRule {
	switch {
	case !st.m.Purpose.Marketing():
		return nil
	case st.j.ruledStops[st.m.Channel]:
	case st.objected(st.m.Purpose, st.m.Channel):
		return &stopObjection
	case st.withdrawn(st.m.Purpose, st.m.Channel):
		return &stopWithdrawn
	}
	return st.contentStop()
}

// transactionalStop is contentStop for a message decided as transactional,
// asked before the exempt rules; nil for any other purpose.
func (st *evalState) transactionalStop() *tierRule {
	if st.m.Purpose != consent.Transactional {
		return nil
	}
	return st.contentStop()
}
