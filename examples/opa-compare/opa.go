// Package opacompare implements sendright's EU baseline and French email
// and SMS rules in OPA's Rego (policy.rego), so that the two engines can be
// benchmarked side by side on the same requests (compare_test.go).
//
// It is a separate module, so that sendright itself never depends on OPA.
package opacompare

import (
	"cmp"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
)

//go:embed policy.rego
var policySource string

// Query is the Rego query that yields the decision object.
const Query = "data.sendright.decision"

// Prepare parses and compiles policy.rego once, with the host's similarity
// groups as data (data.sendright.similarity_groups), and returns the
// prepared query to evaluate each request with.
func Prepare(ctx context.Context, groups map[string][]string) (rego.PreparedEvalQuery, error) {
	g := make(map[string]any, len(groups))
	for name, members := range groups {
		ms := make([]any, len(members))
		for i, s := range members {
			ms[i] = consent.CategoryKey(s) // categories compare by key
		}
		g[name] = ms
	}
	store := inmem.NewFromObject(map[string]any{"sendright": map[string]any{"similarity_groups": g}})
	return rego.New(
		rego.Query(Query),
		rego.Module("policy.rego", policySource),
		rego.Store(store),
	).PrepareForEval(ctx)
}

// Decision is the Rego policy's answer: the fields of an
// eligibility.Decision that the comparison checks, in their text forms.
type Decision struct {
	Verdict     string // "allow" or "deny"
	Basis       string // e.g. "consent", "no_legal_basis"
	Rule        string
	Reason      string
	NeedsReview bool
}

// Decide converts req, evaluates it with q and reads the decision.
func Decide(ctx context.Context, q rego.PreparedEvalQuery, req *eligibility.Request) (Decision, error) {
	input, err := Input(req)
	if err != nil {
		return Decision{}, err
	}
	rs, err := q.Eval(ctx, rego.EvalInput(input))
	if err != nil {
		return Decision{}, err
	}
	return ReadDecision(rs)
}

// ReadDecision reads the decision object from a result set of [Query].
func ReadDecision(rs rego.ResultSet) (Decision, error) {
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return Decision{}, errors.New("opacompare: the policy gave no decision")
	}
	obj, ok := rs[0].Expressions[0].Value.(map[string]any)
	if !ok {
		return Decision{}, fmt.Errorf("opacompare: decision is %T, not an object", rs[0].Expressions[0].Value)
	}
	var d Decision
	d.Verdict, _ = obj["verdict"].(string)
	d.Basis, _ = obj["basis"].(string)
	d.Rule, _ = obj["rule"].(string)
	d.Reason, _ = obj["reason"].(string)
	d.NeedsReview, _ = obj["needs_review"].(bool)
	return d, nil
}

// Instants are passed as Unix nanoseconds, which an int64 holds only from
// 1677-09-21 to 2262-04-11.
var (
	minInstant = time.Unix(0, math.MinInt64)
	maxInstant = time.Unix(0, math.MaxInt64)
)

// ErrOutOfRange reports an instant that Unix nanoseconds cannot hold.
var ErrOutOfRange = errors.New("opacompare: instant outside 1677-2262, not representable in Unix nanoseconds")

// Input converts a request into the Rego input document (see policy.rego):
// enumerations as their text forms, instants as Unix nanoseconds (int64),
// zero instants left out, ledger records in ledger order. It carries only
// the fields the rules read. A nil contact becomes null.
func Input(req *eligibility.Request) (map[string]any, error) {
	var cv convert
	msg := &req.Message
	m := map[string]any{
		"purpose":       msg.Purpose.String(),
		"channel":       msg.Channel.String(),
		"category":      msg.Category,
		"category_key":  consent.CategoryKey(msg.Category),
		"content":       contentNames(msg.Content),
		"sender":        map[string]any{"entity": msg.Sender.Entity, "kind": msg.Sender.Kind.String()},
		"role_relevant": msg.RoleRelevant,
	}
	cv.instant(m, "at", msg.At)
	in := map[string]any{"contact": nil, "message": m}
	if c := req.Contact; c != nil {
		in["contact"] = cv.contact(c)
	}
	return in, cv.err
}

type convert struct{ err error }

// instant sets obj[key] to t in Unix nanoseconds, unless t is zero.
func (cv *convert) instant(obj map[string]any, key string, t time.Time) {
	if t.IsZero() {
		return
	}
	if t.Before(minInstant) || t.After(maxInstant) {
		cv.err = ErrOutOfRange
		return
	}
	obj[key] = t.UnixNano()
}

func (cv *convert) contact(c *consent.Contact) map[string]any {
	out := map[string]any{
		"id":                            c.ID,
		"kind":                          c.Kind.String(),
		"country":                       c.Country.String(),
		"email":                         c.Email.Key(),
		"phone":                         c.Phone.Key(),
		"opt_out_offered_at_collection": c.OptOutOfferedAtCollection,
	}
	if c.Location != nil {
		z, err := zoneOf(c.Location)
		if err != nil {
			cv.err = err
		}
		out["time_zone"] = z.name
		if z.fixed {
			out["utc_offset"] = z.offset
		}
	}
	if !c.BirthDate.IsZero() {
		// Only the date counts: midnight UTC of that date.
		y, mo, d := c.BirthDate.Date()
		cv.instant(out, "birth_date", time.Date(y, mo, d, 0, 0, 0, 0, time.UTC))
	}
	r := &c.Relationship
	contracts := make([]any, len(r.Contracts))
	for i := range r.Contracts {
		k := &r.Contracts[i]
		o := map[string]any{"id": k.ID, "seller": k.Seller, "category": k.Category, "category_key": consent.CategoryKey(k.Category)}
		cv.instant(o, "start", k.Start)
		cv.instant(o, "end", k.End)
		contracts[i] = o
	}
	out["relationship"] = map[string]any{
		"purchases": cv.interactions(r.Purchases),
		"inquiries": cv.interactions(r.Inquiries),
		"support":   cv.interactions(r.Support),
		"contracts": contracts,
	}
	// A refusal at collection is an objection to every marketing purpose on
	// the channels of the addresses collected, dated at the interaction:
	// it joins the records, in ledger order, under the id sendright's
	// State.StopID gives it ("refusal:" and the interaction's id).
	recs := slices.Collect(c.Records.All())
	for _, evs := range [][]consent.Interaction{r.Purchases, r.Inquiries, r.Support} {
		for _, e := range evs {
			if !e.Refused {
				continue
			}
			for ch := consent.Email; ch < consent.AllChannels; ch++ {
				if refusedOn(&e, ch) {
					recs = append(recs, consent.Record{ID: "refusal:" + e.ID, Purpose: consent.AllMarketing,
						Channel: ch, Sender: e.Seller, Status: consent.Objection, At: e.At})
				}
			}
		}
	}
	slices.SortStableFunc(recs, func(a, b consent.Record) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Status, b.Status), cmp.Compare(a.ID, b.ID))
	})
	records := make([]any, 0, len(recs))
	for _, rec := range recs { // ledger order
		o := map[string]any{
			"id":        rec.ID,
			"subject":   rec.Subject.Key(),
			"purpose":   rec.Purpose.String(),
			"channel":   rec.Channel.String(),
			"sender":    rec.Sender,
			"status":    rec.Status.String(),
			"method":    rec.Method.String(),
			"proof_ref": rec.ProofRef,
			"parental":  rec.Parental.String(),
		}
		cv.instant(o, "at", rec.At)
		cv.instant(o, "confirmed_at", rec.ConfirmedAt)
		records = append(records, o)
	}
	out["records"] = records
	return out
}

func (cv *convert) interactions(evs []consent.Interaction) []any {
	out := make([]any, len(evs))
	for i := range evs {
		e := &evs[i]
		o := map[string]any{
			"id":              e.ID,
			"seller":          e.Seller,
			"category":        e.Category,
			"category_key":    consent.CategoryKey(e.Category),
			"collected":       keys(e.Collected),
			"opt_out_offered": e.OptOutOffered,
		}
		cv.instant(o, "at", e.At)
		out[i] = o
	}
	return out
}

// zone is how a time zone reaches Rego: an IANA name OPA's time.date loads
// (or UTC, or Local, the same for both engines in one process), or a fixed
// offset from UTC in nanoseconds.
type zone struct {
	name   string
	fixed  bool
	offset int64
}

var zones sync.Map // *time.Location → zone, so a zone is looked at once

// ErrZone reports a time zone that is neither an IANA name nor a fixed offset.
var ErrZone = errors.New("opacompare: time zone is neither an IANA name nor a fixed offset")

func zoneOf(loc *time.Location) (zone, error) {
	if loc == time.UTC {
		return zone{name: "UTC"}, nil
	}
	if z, ok := zones.Load(loc); ok {
		return z.(zone), nil
	}
	z := zone{name: loc.String()}
	if z.name != "Local" && z.name != "UTC" {
		if _, err := time.LoadLocation(z.name); err != nil || z.name == "" {
			// Not a name OPA can load: usable only if its offset never changes.
			_, off := time.Date(2000, 1, 1, 0, 0, 0, 0, loc).Zone()
			for _, t := range []time.Time{time.Date(2000, 7, 1, 0, 0, 0, 0, loc),
				time.Date(2025, 1, 1, 0, 0, 0, 0, loc), time.Date(2025, 7, 1, 0, 0, 0, 0, loc)} {
				if _, o := t.Zone(); o != off {
					return z, ErrZone
				}
			}
			z.fixed, z.offset = true, int64(off)*int64(time.Second)
		}
	}
	zones.Store(loc, z)
	return z, nil
}

// contentNames lists the markers c holds, in declaration order.
func contentNames(c consent.Content) []any {
	out := []any{}
	for _, m := range []consent.Content{consent.PromotionalBody, consent.PromotionalSubject, consent.RatingRequest, consent.TransactionalNotFirst} {
		if c.Has(m) {
			out = append(out, m.String())
		}
	}
	return out
}

// keys lists the matching keys of addresses.
func keys(as []address.Address) []any {
	out := make([]any, len(as))
	for i, a := range as {
		out[i] = a.Key()
	}
	return out
}

// refusedOn: a refusal at e covers ch, e-mail for an e-mail address
// collected, SMS and calls for a number.
func refusedOn(e *consent.Interaction, ch consent.Channel) bool {
	for _, a := range e.Collected {
		switch {
		case a.Kind() == address.Email && ch == consent.Email,
			a.Kind() == address.Phone && (ch == consent.SMS || ch == consent.VoiceLive || ch == consent.VoiceAutomated):
			return true
		}
	}
	return false
}
