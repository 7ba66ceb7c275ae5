package consent_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
)

// StoppedSince is the instant of the first stop of the run in force: a
// later stop does not restart it, a grant that counts ends it, a refusal
// at collection begins one like any objection.
func TestStoppedSince(t *testing.T) {
	objection := func(id string, at time.Time) consent.Record {
		return consent.Record{ID: id, Purpose: consent.MarketingSimilar, Channel: consent.Email,
			Sender: shop, Status: consent.Objection, At: at}
	}
	invalid := with(grant("g-pre", day(4)), func(r *consent.Record) { r.Method = consent.PreTicked })
	refusal := func(id string, at time.Time) consent.Interaction {
		return consent.Interaction{ID: id, At: at, Seller: shop, Collected: []address.Address{addr(leaMail)}, Refused: true}
	}
	tests := []struct {
		name     string
		recs     []consent.Record
		refusals []consent.Interaction
		want     time.Time
		wantID   string // the first stop: a record, or "refusal:" and an interaction
	}{
		{"nothing on file", nil, nil, time.Time{}, ""},
		{"a grant only", []consent.Record{grant("g-1", day(1))}, nil, time.Time{}, ""},
		{"one withdrawal", []consent.Record{grant("g-1", day(1)), withdrawal("w-1", day(3))}, nil, day(3), "w-1"},
		{"a second stop keeps the first's instant", []consent.Record{withdrawal("w-1", day(3)), objection("o-1", day(5))}, nil, day(3), "w-1"},
		{"an invalid grant does not end the run", []consent.Record{withdrawal("w-1", day(3)), invalid, withdrawal("w-2", day(6))}, nil, day(3), "w-1"},
		{"a grant that counts ends the run", []consent.Record{withdrawal("w-1", day(3)), grant("g-2", day(4)), objection("o-1", day(6))}, nil, day(6), "o-1"},
		{"a grant after the stop lifts it", []consent.Record{withdrawal("w-1", day(3)), grant("g-2", day(4))}, nil, time.Time{}, ""},
		{"a refusal alone", nil, []consent.Interaction{refusal("p-1", day(2))}, day(2), "refusal:p-1"},
		{"a refusal after a stop in force", []consent.Record{withdrawal("w-1", day(3))}, []consent.Interaction{refusal("p-1", day(7))}, day(3), "w-1"},
		{"a refusal before a stop began the run", []consent.Record{objection("o-1", day(8))}, []consent.Interaction{refusal("p-1", day(2))}, day(2), "refusal:p-1"},
		{"a refusal before a grant is not part of the run", []consent.Record{grant("g-1", day(3)), objection("o-1", day(8))},
			[]consent.Interaction{refusal("p-1", day(2))}, day(8), "o-1"},
		{"a refusal after a grant begins a run", []consent.Record{grant("g-1", day(3))}, []consent.Interaction{refusal("p-1", day(5))}, day(5), "refusal:p-1"},
		{"the earlier of two refusals", nil, []consent.Interaction{refusal("p-2", day(6)), refusal("p-1", day(2))}, day(2), "refusal:p-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &consent.Contact{ID: "c-1", Kind: consent.Consumer, Country: address.MustCountry("US"), Email: addr(leaMail)}
			if err := c.Records.Append(tt.recs...); err != nil {
				t.Fatal(err)
			}
			c.Relationship.Purchases = tt.refusals
			s := c.State(consent.Query{Purpose: consent.MarketingGeneral, Channel: consent.Email, Sender: shop, At: day(30)})
			if diff := cmp.Diff(tt.want, s.StoppedSince()); diff != "" {
				t.Errorf("StoppedSince() (-want +got):\n%s", diff)
			}
			id, refusal := s.FirstStop()
			if refusal {
				id = "refusal:" + id
			}
			if id != tt.wantID {
				t.Errorf("FirstStop() = %q, want %q", id, tt.wantID)
			}
			if stopped := s.Withdrawn() || s.Objected(); stopped != !tt.want.IsZero() {
				t.Errorf("StoppedSince() = %v with a stop in force %v", s.StoppedSince(), stopped)
			}
		})
	}
}
