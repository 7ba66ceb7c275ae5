package eligibility_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/internal/audience"
	"github.com/sendright/sendright/internal/decode"
	"github.com/sendright/sendright/internal/scenario"
)

// TestShortcutsAgree: the walks take two shortcuts. Once a regime of a
// decision has denied definitively, the later regimes' denies are not
// explained (their no-basis rules are not walked), since only their
// verdicts are reported; and a contact without provenance is decided
// without the rules that hold only for a grant another company collected.
// Every decision must be the one reached without them: the scenarios'
// contacts sent by a company established in each country with rules, and
// random requests on every channel to each of those countries from each
// of them.
func TestShortcutsAgree(t *testing.T) {
	p := mustCompile(t, mustBuiltin(t), eligibility.Params{SimilarityGroups: audience.SimilarityGroups()})
	countries := []string{"FR", "DE", "BE", "ES", "IT", "NL", "IE", "GB", "US", "CA", "AU"}
	senders := countries
	if raceEnabled { // the walks share nothing between goroutines: a few senders suffice
		senders = []string{"FR", "DE", "GB", "US"}
	}
	multi := 0
	agree := func(name string, req eligibility.Request) {
		t.Helper()
		want, werr := p.DecideWithoutShortcuts(req)
		got, gerr := p.Decide(req)
		if fmt.Sprint(werr) != fmt.Sprint(gerr) {
			t.Fatalf("%s: error %v, want %v", name, gerr, werr)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("%s (%+v): decisions differ (-without shortcuts +with):\n%s", name, req.Message, diff)
		}
		if got.Regimes[1].Jurisdiction != "" {
			multi++
		}
	}
	files, err := scenario.Find(filepath.Join("testdata", "scenarios"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		file, err := scenario.Load(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(file.Rules) > 0 || !cmp.Equal(file.Params, eligibility.Params{}) {
			continue // decided with a policy of its own
		}
		for _, s := range file.Scenarios {
			var c consent.Contact
			if decode.JSON(s.Contact, &c) != nil {
				continue
			}
			for _, from := range senders {
				m := s.Request
				m.Sender.Country = address.MustCountry(from)
				agree(f+"/"+s.ID+" from "+from, eligibility.Request{Contact: &c, Message: m})
			}
		}
	}
	n := 60
	if testing.Short() || raceEnabled {
		n = 15
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	for ci, to := range countries {
		gen := audience.NewRandom(uint64(40+ci), address.MustCountry(to), paris,
			consent.Email, consent.SMS, consent.VoiceLive, consent.VoiceAutomated, consent.Post, consent.Push)
		for _, from := range senders {
			for i := range n {
				req := gen.Next()
				req.Message.Sender.Country = address.MustCountry(from)
				agree(fmt.Sprintf("%s to %s, request %d", from, to, i), req)
			}
		}
	}
	if multi == 0 {
		t.Fatal("no decision applied two regimes: the test compares nothing")
	}
}
