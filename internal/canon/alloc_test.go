package canon

import "testing"

// TestComparisonsDoNotAllocate: the comparisons the engine makes per
// decision allocate nothing once the pooled builders are warm. (Under the
// race detector sync.Pool drops items, so allocations are not asserted
// there.)
func TestComparisonsDoNotAllocate(t *testing.T) {
	var a Aliases
	for _, name := range []string{"Société Exemple SAS", "SIREN 000000002"} {
		a.Add(EntityKey(name), 0)
	}
	var m Matcher
	checks := []struct {
		name string
		f    func() bool
	}{
		{"Matcher", func() bool { m.Reset("Société Exemple SAS", &a); return m.Match("siren-000000002") }},
		{"Matcher without aliases", func() bool { m.Reset("Société Exemple SAS", nil); return m.Match("SOCIÉTÉ EXEMPLE S.A.S.") }},
		{"SameAliased", func() bool { return SameAliased(&a, "ＳＩＲＥＮ 000000002", "Société Exemple S.A.S.") }},
		{"HasEntityKey", func() bool { return HasEntityKey("\u00a0‗ ‗") }},
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

// TestAliasesAdd: a key keeps its first group, and the zero Aliases and a
// nil *Aliases have no groups.
func TestAliasesAdd(t *testing.T) {
	var a Aliases
	if g := GroupOf(&a, "acme"); g != -1 {
		t.Errorf("zero Aliases: GroupOf = %d, want -1", g)
	}
	if prev := a.Add("acme", 0); prev != -1 {
		t.Errorf("first Add = %d, want -1", prev)
	}
	if prev := a.Add("acme", 1); prev != 0 {
		t.Errorf("second Add = %d, want 0 (the group it was in)", prev)
	}
	if g := GroupOf(&a, []byte("acme")); g != 0 {
		t.Errorf("GroupOf = %d, want 0 (the first group kept)", g)
	}
	if g := GroupOf[string](nil, "acme"); g != -1 {
		t.Errorf("nil Aliases: GroupOf = %d, want -1", g)
	}
}
