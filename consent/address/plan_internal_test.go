package address

import "testing"

// TestPlanOf checks that planOf gives what a lookup in nationalPlans
// gives, for every code of two upper-case letters and other texts.
func TestPlanOf(t *testing.T) {
	codes := []string{"", "F", "fr", "Fr", "FRA", "F\x00", "@R", "[R", "\xffR"}
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			codes = append(codes, string([]rune{a, b}))
		}
	}
	found := 0
	for _, code := range codes {
		got, ok := planOf(code)
		want, wantOK := nationalPlans[code]
		if ok != wantOK || ok && (got.cc != want.cc || got.want != want.want) {
			t.Errorf("planOf(%q) = %v, %v; the map's %v, %v", code, got, ok, want, wantOK)
		}
		if ok {
			found++
		}
	}
	if found != len(nationalPlans) {
		t.Errorf("planOf found %d plans of the %d", found, len(nationalPlans))
	}
}
