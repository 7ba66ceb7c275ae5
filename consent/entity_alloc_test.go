package consent

import (
	"testing"
	"time"
)

// TestEntityComparisonsDoNotAllocate: comparing names, ASCII or not, and
// asking a ledger about a non-ASCII sender allocate nothing once the
// pooled builders are warm. (Under the race detector sync.Pool drops
// items, so allocations are not asserted there.)
func TestEntityComparisonsDoNotAllocate(t *testing.T) {
	l, err := NewLedger(Record{ID: "o-1", Purpose: AllMarketing, Channel: AllChannels,
		Sender: "SOCIE\u0301TE\u0301 EXEMPLE S.A.S.", Status: Objection, At: testInstant})
	if err != nil {
		t.Fatal(err)
	}
	aliases, err := NewAliases([]string{"Société Exemple SAS", "SIREN 000000002"})
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name string
		f    func() bool
	}{
		{"SameEntity ASCII", func() bool { return SameEntity("ACME S.A.S.", "Acme SAS") }},
		{"SameEntity non-ASCII", func() bool { return SameEntity("Société Exemple", "SOCIE\u0301TE\u0301 EXEMPLE") }},
		{"Aliases.Same", func() bool { return aliases.Same("ＳＩＲＥＮ 000000002", "Société Exemple S.A.S.") }},
		{"Ledger.State", func() bool {
			return l.State(Query{Purpose: MarketingGeneral, Channel: Email, Sender: "Ｓｏｃｉéｔé Ｅｘｅｍｐｌｅ ＳＡＳ", At: testInstant}).Objected()
		}},
	}
	for _, c := range checks {
		if !c.f() {
			t.Errorf("%s: no match", c.name)
		}
		if n := testing.AllocsPerRun(50, func() { c.f() }); n != 0 && !raceEnabled {
			t.Errorf("%s allocates %v times per call, want 0", c.name, n)
		}
	}
}

var testInstant = mustTime("2026-03-10T09:00:00Z")

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}
