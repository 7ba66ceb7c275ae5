package consent_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
)

// TestGrantEvidence: GrantMethod and GrantDocumented describe the grant in
// force that counts, the latest one, and nothing once a stop ends it or
// when the only grant does not count.
func TestGrantEvidence(t *testing.T) {
	documented := func(id string, n int) consent.Record {
		r := grant(id, day(n))
		r.Method, r.Source, r.WordingVersion, r.ProofRef = consent.SignedForm, "https://shop.example/form", "v4", "scan/9"
		return r
	}
	preTicked := grant("pre", day(1))
	preTicked.Method = consent.PreTicked
	type evidence struct {
		Method     consent.Method
		Documented bool
	}
	tests := []struct {
		name string
		recs []consent.Record
		at   int
		want evidence
	}{
		{"no record", nil, 5, evidence{}},
		{"an undocumented checkbox", []consent.Record{grant("g", day(1))}, 5, evidence{consent.UntickedCheckbox, false}},
		{"a documented signed form", []consent.Record{documented("g", 1)}, 5, evidence{consent.SignedForm, true}},
		{"the latest grant speaks", []consent.Record{documented("g1", 1), grant("g2", day(3))}, 5, evidence{consent.UntickedCheckbox, false}},
		{"before the latest grant, the earlier one", []consent.Record{documented("g1", 1), grant("g2", day(3))}, 2, evidence{consent.SignedForm, true}},
		{"withdrawn", []consent.Record{documented("g", 1), withdrawal("w", day(2))}, 5, evidence{}},
		{"a grant that does not count", []consent.Record{preTicked}, 5, evidence{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := mustLedger(t, tt.recs...)
			s := l.State(consent.Query{Purpose: consent.MarketingGeneral, Channel: consent.Email, Sender: shop,
				At: day(tt.at), Address: addr(leaMail)})
			got := evidence{s.GrantMethod(), s.GrantDocumented()}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("grant evidence (-want +got):\n%s", diff)
			}
		})
	}
}
