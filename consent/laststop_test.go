package consent_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
)

// TestLastStop: the latest stop covering a query's purpose, channel and
// sender, up to its instant, stays the latest when a later grant lifts
// it; stops of another sender, channel or purpose scope, or after the
// instant, are not it; a refusal at collection counts for marketing.
func TestLastStop(t *testing.T) {
	sms := func(r consent.Record) consent.Record {
		r.Channel, r.Subject = consent.SMS, address.Address{}
		if r.Status == consent.Granted {
			r.Subject = addr(leaTel)
		}
		return r
	}
	type want struct {
		at      time.Time
		id      string
		refusal bool
	}
	for _, tt := range []struct {
		name    string
		recs    []consent.Record
		refused *consent.Interaction
		q       func(q *consent.Query)
		want    want
	}{
		{name: "none", recs: []consent.Record{sms(grant("g-1", day(1)))}},
		{name: "a stop lifted by a later grant", recs: []consent.Record{sms(grant("g-1", day(1))), sms(withdrawal("w-1", day(2))),
			sms(grant("g-2", day(3)))}, want: want{day(2), "w-1", false}},
		{name: "the latest of two", recs: []consent.Record{sms(withdrawal("w-1", day(2))), sms(grant("g-2", day(3))),
			with(sms(withdrawal("o-1", day(4))), func(r *consent.Record) { r.Status = consent.Objection })}, want: want{day(4), "o-1", false}},
		{name: "after the instant", recs: []consent.Record{sms(withdrawal("w-1", day(9)))}},
		{name: "another channel", recs: []consent.Record{withdrawal("w-1", day(2))}},
		{name: "every channel", recs: []consent.Record{with(withdrawal("w-1", day(2)), func(r *consent.Record) { r.Channel = consent.AllChannels })},
			want: want{day(2), "w-1", false}},
		{name: "another sender", recs: []consent.Record{with(sms(withdrawal("w-1", day(2))), func(r *consent.Record) { r.Sender = other })}},
		{name: "the sender spelt otherwise", recs: []consent.Record{with(sms(withdrawal("w-1", day(2))), func(r *consent.Record) { r.Sender = "MAISON EXEMPLE S.A.S." })},
			want: want{day(2), "w-1", false}},
		{name: "a withdrawal of another purpose", recs: []consent.Record{with(sms(withdrawal("w-1", day(2))), func(r *consent.Record) { r.Purpose = consent.MarketingThirdParty })}},
		{name: "a refusal at collection", refused: &consent.Interaction{ID: "p-1", At: day(3), Seller: shop,
			Collected: []address.Address{addr(leaTel)}, Refused: true}, recs: []consent.Record{sms(withdrawal("w-1", day(2)))},
			want: want{day(3), "p-1", true}},
		{name: "a refusal at collection, not for a transactional message", refused: &consent.Interaction{ID: "p-1", At: day(3), Seller: shop,
			Collected: []address.Address{addr(leaTel)}, Refused: true}, q: func(q *consent.Query) { q.Purpose = consent.Transactional }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := &consent.Contact{ID: "c-1", Country: address.MustCountry("FR"), Phone: addr(leaTel), Email: addr(leaMail)}
			if err := c.Records.Append(tt.recs...); err != nil {
				t.Fatal(err)
			}
			if tt.refused != nil {
				c.Relationship.Purchases = []consent.Interaction{*tt.refused}
			}
			q := consent.Query{Purpose: consent.MarketingGeneral, Channel: consent.SMS, Sender: shop, At: day(5)}
			if tt.q != nil {
				tt.q(&q)
			}
			var got want
			got.at, got.id, got.refusal = c.LastStop(q)
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("LastStop (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLastStopDoesNotAllocate(t *testing.T) {
	c := &consent.Contact{ID: "c-1", Country: address.MustCountry("FR"), Email: addr(leaMail)}
	if err := c.Records.Append(grant("g-1", day(1)), withdrawal("w-1", day(2)), grant("g-2", day(3))); err != nil {
		t.Fatal(err)
	}
	q := consent.Query{Purpose: consent.MarketingGeneral, Channel: consent.Email, Sender: shop, At: day(5)}
	if n := testing.AllocsPerRun(20, func() { c.LastStop(q) }); n != 0 {
		t.Errorf("LastStop allocates %v times, want 0", n)
	}
}
