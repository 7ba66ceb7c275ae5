package abi

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

// This file writes the JSON form of a decision by hand: the bytes
// encoding/json writes for an [eligibility.Decision] (compact, with
// HTML-sensitive characters escaped), without reflection and without
// allocating. A batch spends most of its time writing decisions
// otherwise. TestAppendDecision and FuzzAppendDecision check it against
// encoding/json. Anything it does not know how to write exactly — a value
// encoding/json refuses (an enumeration value that is not a member, a time
// outside years 0 to 9999), or a field of Decision it does not know — makes
// it give up, and the caller writes the decision with encoding/json.

// decisionFields are the fields of eligibility.Decision appendDecision
// writes, in order, with their JSON tags.
var decisionFields = []struct{ name, tag string }{
	{"Verdict", "verdict"}, {"Basis", "basis"}, {"Rule", "rule,omitempty"}, {"Origin", "origin"},
	{"Overrides", "overrides,omitempty"}, {"Reason", "reason"}, {"Citation", "citation,omitempty"},
	{"Detail", "detail,omitempty"}, {"Evidence", "evidence,omitzero"}, {"Obligations", "obligations"},
	{"NeedsReview", "needs_review,omitempty"}, {"SelfRegulatory", "self_regulatory,omitempty"},
	{"Purpose", "purpose,omitzero"}, {"Reclassified", "reclassified,omitzero"},
	{"Jurisdiction", "jurisdiction,omitempty"}, {"Regimes", "regimes,omitzero"}, {"At", "at"},
	{"NotBefore", "not_before,omitzero"}, {"DeniedFrom", "denied_from,omitzero"},
	{"Transfer", "transfer,omitempty"}, {"PolicyVersion", "policy_version"},
}

// jsonCache keeps the JSON forms of values decisions share with their
// policy, each written once: a policy's transfer results (by address: they
// are immutable and shared by its decisions, see Decision.Transfer) and
// the sets of obligations its allows carry (by value: an Obligations
// points to the policy's immutable tables). A few per policy; the map
// holds its keys, so an address in one is never another value's; it is
// emptied when it holds maxCached, as when many policies come and go.
type jsonCache[K comparable] struct {
	m sync.Map // K -> []byte
	n atomic.Int64
}

const maxCached = 4096

// get returns the JSON form of k, written by write the first time; ok is
// false, and nothing kept, when write fails.
func (c *jsonCache[K]) get(k K, write func(K) ([]byte, bool)) ([]byte, bool) {
	if b, ok := c.m.Load(k); ok {
		return b.([]byte), true
	}
	b, ok := write(k)
	if !ok {
		return nil, false
	}
	if c.n.Add(1) > maxCached {
		c.m.Clear()
		c.n.Store(1)
	}
	c.m.Store(k, b)
	return b, true
}

var (
	transfers   jsonCache[*eligibility.Transfer]
	obligations jsonCache[eligibility.Obligations]
)

// transferJSON returns the JSON form of t, as json.Marshal writes it.
func transferJSON(t *eligibility.Transfer) ([]byte, bool) {
	return transfers.get(t, func(t *eligibility.Transfer) ([]byte, bool) {
		b, err := json.Marshal(t)
		return b, err == nil
	})
}

// obligationsJSON returns the JSON form of o, as appendObligations writes
// it; ok is false when that cannot write it.
func obligationsJSON(o eligibility.Obligations) ([]byte, bool) {
	return obligations.get(o, func(o eligibility.Obligations) ([]byte, bool) { return appendObligations(nil, o) })
}

// decisionLayout is what appendDecision knows of eligibility.Decision as
// compiled: whether it writes it at all (every field of decisionFields is
// there with its tag, and any other field is a pointer, slice, map or
// interface left out when nil or empty), and the indexes of those other
// fields, which must be nil for a decision to be written by hand.
var decisionLayout = layoutOf(reflect.TypeFor[eligibility.Decision]())

type layout struct {
	fast   bool
	others []int
	why    string // when not fast: the field in the way
}

// layoutOf compares the fields of t with decisionFields.
func layoutOf(t reflect.Type) layout {
	known := map[string]string{}
	for _, f := range decisionFields {
		known[f.name] = f.tag
	}
	var l layout
	seen := 0
	for i := range t.NumField() {
		f := t.Field(i)
		tag, ok := known[f.Name]
		switch {
		case ok && f.Tag.Get("json") == tag:
			seen++
		case ok:
			return layout{why: f.Name + ": tag " + strconv.Quote(f.Tag.Get("json")) + ", want " + strconv.Quote(tag)}
		case !f.IsExported() || f.Tag.Get("json") == "-":
		default:
			k := f.Type.Kind()
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if k != reflect.Pointer && k != reflect.Slice && k != reflect.Map && k != reflect.Interface ||
				!strings.Contains(f.Tag.Get("json"), ",omitempty") && !strings.Contains(f.Tag.Get("json"), ",omitzero") ||
				name == "" {
				return layout{why: f.Name + ": not a pointer, slice, map or interface left out when empty"}
			}
			l.others = append(l.others, i)
		}
	}
	if seen != len(decisionFields) {
		return layout{why: "a field of decisionFields is gone"}
	}
	l.fast = true
	return l
}

// appendDecision appends the JSON form of d, as json.Marshal writes it;
// ok is false, and dst's extra bytes are to be dropped, when it cannot.
func appendDecision(dst []byte, d *eligibility.Decision) (_ []byte, ok bool) {
	if !decisionLayout.fast {
		return dst, false
	}
	if len(decisionLayout.others) > 0 {
		v := reflect.ValueOf(d).Elem()
		for _, i := range decisionLayout.others {
			if !v.Field(i).IsNil() {
				return dst, false
			}
		}
	}
	if dst, ok = appendDecisionHead(dst, d); !ok {
		return dst, false
	}
	if dst, ok = appendDecisionTail(dst, d); !ok {
		return dst, false
	}
	return append(dst, '}'), true
}

// appendDecisionHead appends the first part of a decision's JSON form,
// from its opening brace to its obligations.
func appendDecisionHead(dst []byte, d *eligibility.Decision) (_ []byte, ok bool) {
	dst = append(dst, `{"verdict":`...)
	if dst, ok = appendEnum(dst, d.Verdict); !ok {
		return dst, false
	}
	dst = append(dst, `,"basis":`...)
	if d.Basis == 0 {
		dst = append(dst, `""`...)
	} else if dst, ok = appendEnum(dst, d.Basis); !ok {
		return dst, false
	}
	if d.Rule != "" {
		dst = appendString(append(dst, `,"rule":`...), d.Rule)
	}
	dst = append(dst, `,"origin":`...)
	if dst, ok = appendEnum(dst, d.Origin); !ok {
		return dst, false
	}
	if len(d.Overrides) > 0 {
		dst = appendOverrides(append(dst, `,"overrides":`...), d.Overrides)
	}
	dst = appendString(append(dst, `,"reason":`...), d.Reason)
	if d.Citation != "" {
		dst = appendString(append(dst, `,"citation":`...), d.Citation)
	}
	if d.Detail != "" {
		dst = appendString(append(dst, `,"detail":`...), d.Detail)
	}
	if !d.Evidence.IsZero() {
		if dst, ok = appendEvidence(append(dst, `,"evidence":`...), d.Evidence); !ok {
			return dst, false
		}
	}
	dst = append(dst, `,"obligations":`...)
	if d.Obligations == (eligibility.Obligations{}) {
		return append(dst, "[]"...), true
	}
	b, ok := obligationsJSON(d.Obligations)
	return append(dst, b...), ok
}

// appendDecisionTail appends the rest of a decision's JSON form, from
// needs_review to policy_version, without the closing brace.
func appendDecisionTail(dst []byte, d *eligibility.Decision) (_ []byte, ok bool) {
	if d.NeedsReview {
		dst = append(dst, `,"needs_review":true`...)
	}
	if d.SelfRegulatory {
		dst = append(dst, `,"self_regulatory":true`...)
	}
	if d.Purpose != 0 {
		dst = append(dst, `,"purpose":`...)
		if dst, ok = appendEnum(dst, d.Purpose); !ok {
			return dst, false
		}
	}
	if d.Reclassified != 0 {
		dst = append(dst, `,"reclassified":`...)
		if dst, ok = appendEnum(dst, d.Reclassified); !ok {
			return dst, false
		}
	}
	if d.Jurisdiction != "" {
		dst = appendString(append(dst, `,"jurisdiction":`...), d.Jurisdiction)
	}
	if d.Regimes != (eligibility.Regimes{}) {
		if dst, ok = appendRegimes(append(dst, `,"regimes":`...), &d.Regimes); !ok {
			return dst, false
		}
	}
	if dst, ok = appendTime(append(dst, `,"at":`...), d.At); !ok {
		return dst, false
	}
	if !d.NotBefore.IsZero() {
		if dst, ok = appendTime(append(dst, `,"not_before":`...), d.NotBefore); !ok {
			return dst, false
		}
	}
	if !d.DeniedFrom.IsZero() {
		if dst, ok = appendTime(append(dst, `,"denied_from":`...), d.DeniedFrom); !ok {
			return dst, false
		}
	}
	if d.Transfer != nil {
		b, ok := transferJSON(d.Transfer)
		if !ok {
			return dst, false
		}
		dst = append(append(dst, `,"transfer":`...), b...)
	}
	return appendString(append(dst, `,"policy_version":`...), d.PolicyVersion), true
}

// appendOverrides appends the JSON form of a decision's overrides.
func appendOverrides(dst []byte, os []eligibility.AppliedOverride) []byte {
	dst = append(dst, '[')
	for i, o := range os {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(append(dst, `{"rule":`...), o.Rule)
		dst = appendString(append(dst, `,"owner":`...), o.Owner)
		dst = appendString(append(dst, `,"justification":`...), o.Justification)
		if o.File != "" {
			dst = appendString(append(dst, `,"file":`...), o.File)
		}
		dst = append(dst, '}')
	}
	return append(dst, ']')
}

// appendEvidence appends the JSON form of evidence that is not zero.
func appendEvidence(dst []byte, e eligibility.Evidence) (_ []byte, ok bool) {
	dst = append(dst, '{')
	if e.Kind != 0 {
		if dst, ok = appendEnum(append(dst, `"kind":`...), e.Kind); !ok {
			return dst, false
		}
		if e.ID != "" {
			dst = append(dst, ',')
		}
	}
	if e.ID != "" {
		dst = appendString(append(dst, `"id":`...), e.ID)
	}
	return append(dst, '}'), true
}

// appendObligations appends Obligations.MarshalJSON's list.
func appendObligations(dst []byte, o eligibility.Obligations) ([]byte, bool) {
	dst = append(dst, '[')
	first := true
	for ob, c := range o.All() {
		if !wellFormed(ob) {
			return dst, false
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = appendString(append(dst, `{"obligation":`...), string(ob))
		dst = appendString(append(dst, `,"citation":`...), c)
		dst = append(dst, '}')
	}
	return append(dst, ']'), true
}

// appendRegimes appends Regimes.MarshalJSON's list.
func appendRegimes(dst []byte, rs *eligibility.Regimes) (_ []byte, ok bool) {
	dst = append(dst, '[')
	for i, r := range rs[:rs.Len()] {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(append(dst, `{"jurisdiction":`...), r.Jurisdiction)
		if dst, ok = appendEnum(append(dst, `,"reach":`...), r.Reach); !ok {
			return dst, false
		}
		if dst, ok = appendEnum(append(dst, `,"verdict":`...), r.Verdict); !ok {
			return dst, false
		}
		dst = append(dst, '}')
	}
	return append(dst, ']'), true
}

// member is an enumeration of the module: its String is its text form,
// or "invalid(N)" for a value that is not a member (which MarshalText
// refuses).
type member interface {
	~uint8
	String() string
}

// appendEnum appends v's text form as a JSON string; false when v is not
// a member.
func appendEnum[T member](dst []byte, v T) ([]byte, bool) {
	s := v.String()
	if strings.HasPrefix(s, "invalid(") {
		return dst, false
	}
	return appendString(dst, s), true
}

// wellFormed is rules.Obligation.WellFormed (which MarshalText requires)
// without its regular expression: a lower-case letter, then at most 63
// lower-case letters, digits and underscores.
func wellFormed(o rules.Obligation) bool {
	if len(o) == 0 || len(o) > 64 || o[0] < 'a' || o[0] > 'z' {
		return false
	}
	for i := 1; i < len(o); i++ {
		if c := o[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

// appendTime appends t as time.Time.MarshalJSON writes it; false when it
// refuses t.
func appendTime(dst []byte, t time.Time) ([]byte, bool) {
	out, err := t.AppendText(append(dst, '"'))
	if err != nil {
		return dst, false
	}
	return append(out, '"'), true
}

const hexDigits = "0123456789abcdef"

// plainASCII tells the ASCII bytes appendString writes as they are: not
// a control character, a quote, a backslash or an HTML-sensitive
// character (one look-up instead of six comparisons a byte).
var plainASCII = func() (t [utf8.RuneSelf]bool) {
	for c := byte(0x20); c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// appendString appends s as a JSON string, escaped as encoding/json
// escapes it: '"' and '\\' and the control characters (\b \f \n \r \t by
// name, the others as \u00XX), '<', '>' and '&' as \u00XX, U+2028 and
// U+2029 as \u2028 and \u2029, and each byte of invalid UTF-8 as \ufffd.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if plainASCII[c] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(append(dst, s[start:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(append(dst, s[start:i]...), '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	return append(append(dst, s[start:]...), '"')
}

// appendError appends e's JSON form, as json.Marshal writes it.
func appendError(dst []byte, e *Error) []byte {
	dst = appendString(append(dst, `{"code":`...), string(e.Code))
	dst = appendString(append(dst, `,"message":`...), e.Message)
	if e.Field != "" {
		dst = appendString(append(dst, `,"field":`...), e.Field)
	}
	return append(dst, '}')
}

// appendResult appends the result of Decide, as json.Marshal writes r.
func appendResult(dst []byte, r *result) []byte {
	n := len(dst)
	dst = append(dst, `{"decision":`...)
	ok := true
	if r.Decision == nil {
		dst = append(dst, "null"...)
	} else if dst, ok = appendDecision(dst, r.Decision); !ok {
		return append(dst[:n], marshal(r)...)
	}
	if r.Error != nil {
		dst = appendError(append(dst, `,"error":`...), r.Error)
	}
	return append(dst, '}')
}

// appendLine appends one line of a batch's result: line n, the request's
// reference, its decision and error.
func appendLine(dst []byte, n int, ref string, d *eligibility.Decision, e *Error) []byte {
	return appendNumbered(dst, n, `,"ref":`, ref, d, e, func() any {
		// For encoding/json, a line made here with a copy of the
		// decision: the caller's decision stays on its stack (a batch
		// line allocated it, 408 bytes, only for this rare path).
		return &line{Line: n, Ref: ref, Decision: copied(d), Error: e}
	})
}

// copied returns a pointer to a copy of *d, or nil.
func copied(d *eligibility.Decision) *eligibility.Decision {
	if d == nil {
		return nil
	}
	c := *d
	return &c
}

// appendCampaignLine appends one line of a campaign's result, as
// appendLine: line n, the contact's id, its decision and error.
func appendCampaignLine(dst []byte, n int, id string, d *eligibility.Decision, e *Error) []byte {
	return appendNumbered(dst, n, `,"id":`, id, d, e, func() any {
		return &campaignLine{Line: n, ID: id, Decision: copied(d), Error: e}
	})
}

// appendNumbered appends {"line": n, key: value (left out when empty),
// "decision": d, "error": e (left out when nil)} and "\n"; v returns the
// line's value, which encoding/json writes when appendDecision cannot.
func appendNumbered(dst []byte, n int, key, value string, d *eligibility.Decision, e *Error, v func() any) []byte {
	start := len(dst)
	dst = strconv.AppendInt(append(dst, `{"line":`...), int64(n), 10)
	if value != "" {
		dst = appendString(append(dst, key...), value)
	}
	dst = append(dst, `,"decision":`...)
	ok := true
	if d == nil {
		dst = append(dst, "null"...)
	} else if dst, ok = appendDecision(dst, d); !ok {
		return append(append(dst[:start], marshal(v())...), '\n')
	}
	if e != nil {
		dst = appendError(append(dst, `,"error":`...), e)
	}
	return append(dst, '}', '\n')
}
