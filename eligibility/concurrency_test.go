package eligibility_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/sendright/sendright/eligibility"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/rules"
)

type request struct {
	c *consent.Contact
	m *consent.Message
}

type result struct {
	Outcome    eligibility.Decision
	Err        bool
	Evaluation bool // the error wraps eligibility.ErrEvaluation
	Missing    bool // the error wraps consent.ErrMissing
}

func evaluate(p *eligibility.Policy, r request) result {
	o, err := decide(p, r.c, r.m)
	return result{Outcome: o, Err: err != nil, Evaluation: errors.Is(err, eligibility.ErrEvaluation),
		Missing: errors.Is(err, consent.ErrMissing)}
}

// concurrencyRequests builds varied requests for the built-in rules: every
// country, recipient kind, purpose and channel, with and without consent,
// purchases and objections.
func concurrencyRequests(t *testing.T) []request {
	t.Helper()
	var out []request
	countries := []string{"FR", "GB", "BE", "DE"}
	kinds := []consent.RecipientKind{consent.Consumer, consent.BusinessNamed, consent.BusinessGeneric, consent.SoleTrader}
	purposes := []consent.Purpose{consent.Transactional, consent.MarketingSimilar, consent.MarketingGeneral,
		consent.MarketingThirdParty, consent.ConsentRequest}
	channels := []consent.Channel{consent.Email, consent.SMS, consent.Push}
	n := 0
	for _, country := range countries {
		for ki, kind := range kinds {
			for variant := range 4 {
				n++
				id := fmt.Sprintf("c%03d", n)
				var opts []contactOpt
				past := ruleAt.AddDate(0, -2, 0)
				switch variant {
				case 1:
					opts = append(opts, withRecords(t, grant(id+"-g", id, consent.MarketingGeneral, consent.Email, past)))
				case 2:
					opts = append(opts, withPurchases(purchase(id+"-p", "kettles", past)),
						func(c *consent.Contact) { c.OptOutOfferedAtCollection = true })
				case 3:
					g := grant(id+"-g", id, consent.MarketingGeneral, consent.Email, past)
					obj := consent.Record{ID: id + "-o", Purpose: consent.AllMarketing, Channel: consent.AllChannels,
						Sender: sender, Status: consent.Objection, At: past.Add(24 * time.Hour)}
					opts = append(opts, withRecords(t, g, obj), withPurchases(purchase(id+"-p", "kettles", past)))
				}
				c := newContact(t, id, country, kind, opts...)
				for pi, p := range purposes {
					ch := channels[(ki+pi+variant)%len(channels)]
					cat := []string{"kettles", "toasters", "energy_renovation", ""}[(pi+variant)%4]
					m := message(p, ch, cat, ruleAt.Add(time.Duration(n)*time.Minute))
					m.RoleRelevant = variant%2 == 0
					out = append(out, request{c, m})
				}
			}
		}
	}
	// Invalid requests too.
	out = append(out, request{nil, message(consent.MarketingGeneral, consent.Email, "", ruleAt)})
	out = append(out, request{out[0].c, message(consent.MarketingGeneral, consent.Email, "", time.Time{})})
	return out
}

func TestWalkConcurrent(t *testing.T) {
	sets, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	p := mustCompile(t, sets, eligibility.Params{SimilarityGroups: map[string][]string{
		"small_kitchen_appliances": {"kettles", "toasters"},
	}})
	reqs := concurrencyRequests(t)
	want := make([]result, len(reqs))
	nAllowed := 0
	for i, r := range reqs {
		want[i] = evaluate(p, r)
		if isAllow(want[i].Outcome) {
			nAllowed++
		}
	}
	if nAllowed == 0 || nAllowed == len(reqs) {
		t.Fatalf("%d of %d requests allowed: the requests do not vary enough", nAllowed, len(reqs))
	}

	const workers = 16
	rounds := 3
	if testing.Short() {
		rounds = 1
	}
	got := make([][]result, workers)
	var wg sync.WaitGroup
	for w := range workers {
		got[w] = make([]result, len(reqs))
		wg.Go(func() {
			for range rounds {
				// Each worker walks the requests from its own offset, so
				// that different contacts are decided at the same time.
				for k := range reqs {
					i := (k + w*len(reqs)/workers) % len(reqs)
					got[w][i] = evaluate(p, reqs[i])
				}
			}
		})
	}
	wg.Wait()
	for w := range workers {
		if diff := cmp.Diff(want, got[w], outcomeCmp); diff != "" {
			t.Errorf("worker %d differs from the sequential run (-want +got):\n%s", w, diff)
		}
	}
}
