package eligibility

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
)

// brokenPolicy is a policy whose French table is missing, so that deciding
// a French e-mail with it panics: a stand-in for a bug in a candidate.
func brokenPolicy() *Policy {
	p := &Policy{version: "broken"}
	j := &jurisdiction{code: "FR"}
	j.channels[consent.Email] = true
	p.byCode[index("FR")] = j
	return p
}

// A candidate that panics never costs the active answer: the panic is
// recovered, counted and reported as a disagreement with a *ShadowPanic.
func TestShadowCandidatePanics(t *testing.T) {
	active, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	c := &consent.Contact{ID: "c-1", Kind: consent.Consumer, Country: address.MustCountry("FR"), Location: time.UTC,
		Email: address.MustParseEmail("lea@example.com")}
	req := Request{Contact: c, Message: consent.Message{Purpose: consent.Transactional, Channel: consent.Email,
		Sender: consent.Sender{Entity: "Maison Exemple SAS", Kind: consent.Company}, At: time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)}}
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("the broken policy does not panic: the test tests nothing")
			}
		}()
		_, _ = brokenPolicy().Decide(req)
	}()
	var got []Disagreement
	sh := NewShadow(active, brokenPolicy(), func(d Disagreement) { got = append(got, d) })
	want, wantErr := active.Decide(req)
	d, err := sh.Decide(req)
	if !reflect.DeepEqual(d, want) || err != wantErr {
		t.Fatalf("Shadow.Decide = %v, %v; want the active %v, %v", d, err, want, wantErr)
	}
	var sp *ShadowPanic
	if len(got) != 1 || !errors.As(got[0].CandidateErr, &sp) || got[0].Candidate.Verdict != Deny ||
		got[0].Candidate.Reason != ReasonEvaluationError || got[0].Candidate.PolicyVersion != "broken" {
		t.Fatalf("disagreements = %+v, want one panic deny", got)
	}
	if st := sh.Stats(); st.CandidatePanics != 1 || st.Disagreements != 1 {
		t.Errorf("Stats = %+v, want one panic, one disagreement", st)
	}
}
