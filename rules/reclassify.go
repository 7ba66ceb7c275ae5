package rules

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
	// PromotionalContent: a transactional message with a promotional body
	// or subject line, decided as marketing where the rule set reads mixed
	// messages as marketing (parameter mixed_messages: marketing).
	PromotionalContent
	// PromotedCategory: a transactional message naming a product category,
	// the category it promotes, decided as marketing likewise.
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

// reclassify decides the purpose the message is judged under, before any
// rule runs, so that no rule — exempt rules included — sees the label of a
// message whose content says otherwise.
func (st *evalState) reclassify() {
	m := &st.m
	st.reclass = NotReclassified
	switch {
	case m.Purpose == consent.CharitableAppeal && m.Sender.Kind != consent.Charity:
		m.Purpose, st.reclass = consent.MarketingGeneral, AppealByNonCharity
	case m.Purpose != consent.Transactional || !st.j.mixedAsMarketing:
	case m.Content.Promotional() || st.cat != "":
		st.reclass = PromotedCategory
		if m.Content.Promotional() {
			st.reclass = PromotionalContent
		}
		m.Purpose = consent.MarketingGeneral
		if st.cat != "" && st.interaction(st.c.Relationship.Purchases, PurchaseEvidence, true, false, time.Time{}) {
			m.Purpose = consent.MarketingSimilar
		}
		st.evidence = Evidence{}
	case m.Content.Has(consent.RatingRequest):
		m.Purpose, st.reclass = consent.FeedbackRequest, RatingRequestContent
	}
}
