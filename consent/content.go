package consent

import (
	"encoding/json"
	"strconv"

	"github.com/sendright/sendright/internal/enum"
)

// Content is what a message contains beyond its purpose label: a closed set
// of markers the host sets from the message itself. Rule sets read them to
// decide mixed messages — in the EU, France, Belgium and the UK a
// transactional message with a promotional element is marketing (CPCE art.
// L34-5 al. 3, "directement ou indirectement"; ICO guidance on service
// messages; BGH VI ZR 225/17 on a rating request in an order confirmation);
// in the United States an e-mail is judged by its primary purpose (16 CFR
// 316.3): a promotional subject line, or transactional content that does
// not come first, makes it commercial, a promotional body alone does not.
//
// The zero Content has no marker. Its JSON form is an array of names, e.g.
// ["promotional_body", "rating_request"].
type Content uint8

// Content markers.
const (
	// PromotionalBody: the body promotes goods, services or the sender's
	// image (an offer, a discount, a product suggestion).
	PromotionalBody Content = 1 << iota
	// PromotionalSubject: the subject line or preview text promotes.
	PromotionalSubject
	// RatingRequest: the message asks for a rating, a review or a
	// satisfaction survey.
	RatingRequest
	// TransactionalNotFirst: the message carries transactional content
	// (a receipt, a delivery notice, an account statement) and promotional
	// content, and the transactional part does not come first — it is not
	// at the beginning of the body, wholly or in substantial part (16 CFR
	// 316.3(a)(2)(ii)). It implies promotional content: every reading
	// treats it at least as strictly as PromotionalBody, and in the United
	// States it makes an e-mail commercial whatever its subject line.
	TransactionalNotFirst

	allContent = PromotionalBody | PromotionalSubject | RatingRequest | TransactionalNotFirst
)

// contentNames names each marker by its bit number: Content is a set, so
// the table's values are bit numbers, not Content values.
var contentNames = enum.WithZero[uint8]("consent", "content marker", "promotional_body", "promotional_subject", "rating_request",
	"transactional_not_first")

// Has reports whether c holds every marker of m.
func (c Content) Has(m Content) bool { return m != 0 && c&m == m }

// valid reports whether c holds only defined markers.
func (c Content) valid() bool { return c&^allContent == 0 }

// parseContent returns the marker named s.
func parseContent(s string) (Content, error) {
	bit, err := contentNames.Parse(s)
	return 1 << bit, err
}

// names returns the names of the markers c holds, in declaration order.
func (c Content) names() []string {
	var out []string
	for i := range uint8(8) {
		if c&(1<<i) != 0 {
			out = append(out, contentNames.String(i))
		}
	}
	return out
}

// String returns the names joined by "+", e.g.
// "promotional_body+rating_request", or "none".
func (c Content) String() string {
	if !c.valid() {
		return "invalid(" + strconv.Itoa(int(c)) + ")"
	}
	if c == 0 {
		return "none"
	}
	s := ""
	for _, n := range c.names() {
		if s != "" {
			s += "+"
		}
		s += n
	}
	return s
}

// MarshalJSON encodes the markers as a JSON array of names.
func (c Content) MarshalJSON() ([]byte, error) {
	if !c.valid() {
		return nil, contentNames.Unknown(c.String())
	}
	names := c.names()
	if names == nil {
		names = []string{}
	}
	return json.Marshal(names)
}

// UnmarshalJSON decodes a JSON array of marker names. An unknown name is an
// error; a repeated one is accepted once.
func (c *Content) UnmarshalJSON(b []byte) error {
	var names []string
	if err := json.Unmarshal(b, &names); err != nil {
		return &FieldError{Field: "message.content", Err: ErrInvalid, Msg: "want an array of content markers"}
	}
	var v Content
	for _, n := range names {
		m, err := parseContent(n)
		if err != nil {
			return prefix("message.content", err)
		}
		v |= m
	}
	*c = v
	return nil
}
