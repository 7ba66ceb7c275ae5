package consent

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent/address"
)

// TestFromDistinctMatchesAppend: a contact's ledger built directly from
// its decoded records (fromDistinct) is the ledger Append builds from
// them, records, entity keys, grant count and index alike; and
// fromDistinct declines every batch Append would treat otherwise (a
// repeated id, an id of the derived form, too many records).
func TestFromDistinctMatchesAppend(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 1))
	subject := address.MustParseEmail("lea@example.com")
	senders := []string{"Maison Exemple SAS", "MAISON EXEMPLE S.A.S.", "Autre Exemple SARL", "maison exemple sas"}
	t0 := time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
	built := 0
	w := new(wire)
	for range 3000 {
		n := rng.IntN(maxFromDistinct + 3)
		recs := make([]Record, n)
		for i := range recs {
			r := Record{ID: "r-" + strconv.Itoa(rng.IntN(2*maxFromDistinct)), Purpose: MarketingGeneral, Channel: Email,
				Sender: senders[rng.IntN(len(senders))], At: t0.Add(time.Duration(rng.IntN(4)) * time.Hour)}
			switch rng.IntN(3) {
			case 0:
				r.Status, r.Subject, r.Method = Granted, subject, SignedForm
			case 1:
				r.Status = Withdrawn
			default:
				r.Status = Objection
			}
			if rng.IntN(20) == 0 {
				r.ID = derivedID(&r, "base")
			}
			var err error
			if recs[i], err = r.normalized(); err != nil {
				t.Fatalf("record %d: %v", i, err)
			}
		}
		var want Ledger
		wantErr := want.Append(recs...)
		var got Ledger
		if !got.fromDistinct(append([]Record(nil), recs...), nil, nil) {
			continue
		}
		built++
		if wantErr != nil {
			t.Fatalf("fromDistinct built a ledger Append reports an error for: %v", wantErr)
		}
		if diff := cmp.Diff(ledgerState(&want), ledgerState(&got)); diff != "" {
			t.Fatalf("fromDistinct differs from Append (-Append +fromDistinct):\n%s", diff)
		}
		// With a decoder, which remembers the last sender's key from one
		// batch to the next.
		var viaWire Ledger
		if !viaWire.fromDistinct(append([]Record(nil), recs...), w, nil) {
			t.Fatal("fromDistinct with a decoder declines what it takes without")
		}
		if diff := cmp.Diff(ledgerState(&want), ledgerState(&viaWire)); diff != "" {
			t.Fatalf("fromDistinct with a decoder differs from Append (-Append +fromDistinct):\n%s", diff)
		}
	}
	if built < 600 {
		t.Errorf("fromDistinct built only %d of 3000 ledgers: the test compares too little", built)
	}
}

type ledgerShape struct {
	Records            []Record
	Keys               []string
	Grants             int
	Indexed, IndexSync bool
}

func ledgerState(l *Ledger) ledgerShape {
	s := ledgerShape{Records: l.records, Keys: l.keys, Grants: l.grants, Indexed: l.index != nil && l.index.ids != nil}
	s.IndexSync = l.index != nil && l.index.n == len(l.records) && (len(l.records) == 0 || l.index.first == &l.records[0])
	return s
}
