package holidays_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/internal/holidays"
)

// in2026 lists a table's dates in 2026.
func in2026(t holidays.Table) []string {
	var out []string
	for d := holidays.Date(2026, 1, 1); d <= holidays.Date(2026, 12, 31); d++ {
		if t.Has(d) {
			out = append(out, time.Unix(int64(d)*86400, 0).UTC().Format("01-02"))
		}
	}
	return out
}

func TestTables2026(t *testing.T) {
	fr := []string{"01-01", "04-06", "05-01", "05-08", "05-14", "05-25", "07-14", "08-15", "11-01", "11-11", "12-25"}
	alsace := []string{"01-01", "04-03", "04-06", "05-01", "05-08", "05-14", "05-25", "07-14", "08-15", "11-01", "11-11", "12-25", "12-26"}
	for _, tc := range []struct {
		place string
		want  []string
	}{
		// C. trav. L3133-1: the eleven days.
		{"FR", fr},
		// C. trav. L3134-13: Good Friday and 26 December in Moselle, Bas-Rhin, Haut-Rhin.
		{"FR-57", alsace}, {"FR-67", alsace}, {"FR-68", alsace}, {"FR-6AE", alsace},
		// Belgium's ten days.
		{"BE", []string{"01-01", "04-06", "05-01", "05-14", "05-25", "07-21", "08-15", "11-01", "11-11", "12-25"}},
		// England and Wales: 26 December 2026 is a Saturday, its substitute Monday 28 December.
		{"GB", []string{"01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-26", "12-28"}},
		// Scotland: 2 January, the first Monday of August, St Andrew's Day (a Monday in 2026), no Easter Monday.
		{"GB-SCT", []string{"01-01", "01-02", "04-03", "05-04", "05-25", "08-03", "11-30", "12-25", "12-26", "12-28"}},
		// Northern Ireland: St Patrick's Day and the Battle of the Boyne (12 July 2026 a Sunday, Monday 13 July).
		{"GB-NIR", []string{"01-01", "03-17", "04-03", "04-06", "05-04", "05-25", "07-12", "07-13", "08-31", "12-25", "12-26", "12-28"}},
	} {
		var table holidays.Table
		if len(tc.place) == 2 {
			var ok bool
			if table, ok = holidays.Country(tc.place); !ok {
				t.Fatalf("no table for %s", tc.place)
			}
		} else {
			table = holidays.Regions(tc.place[:2])[tc.place]
		}
		if diff := cmp.Diff(tc.want, in2026(table)); diff != "" {
			t.Errorf("%s 2026 (-want +got):\n%s", tc.place, diff)
		}
	}
}

func TestTableEdges(t *testing.T) {
	fr, _ := holidays.Country("FR")
	if _, ok := holidays.Country("IS"); ok {
		t.Error("a table for IS, which has none")
	}
	if len(holidays.Regions("BE")) != 0 {
		t.Error("Belgian regions with tables of their own")
	}
	for _, tc := range []struct {
		name string
		d    holidays.Day
		want bool
	}{
		{"before the years covered: treated as a holiday", holidays.Date(holidays.From-1, 6, 3), true},
		{"after them", holidays.Date(holidays.To+1, 6, 3), true},
		{"an ordinary day", holidays.Date(2030, 6, 3), false},
		{"Christmas 2100", holidays.Date(2100, 12, 25), true},
	} {
		if got := fr.Has(tc.d); got != tc.want {
			t.Errorf("%s: Has = %v, want %v", tc.name, got, tc.want)
		}
	}
	d := holidays.Date(2026, 6, 3)
	added := fr.With(d, true)
	if !added.Has(d) || fr.Has(d) {
		t.Error("With(add) changed the original or did not add")
	}
	if removed := added.With(holidays.Date(2026, 7, 14), false); removed.Has(holidays.Date(2026, 7, 14)) || !added.Has(holidays.Date(2026, 7, 14)) {
		t.Error("With(remove) changed the original or did not remove")
	}
	if got := holidays.DayOf(time.Date(2026, 7, 14, 23, 30, 0, 0, time.FixedZone("x", 2*3600))); got != holidays.Date(2026, 7, 14) {
		t.Errorf("DayOf takes the date in the time's own zone: got %d", got)
	}
}
