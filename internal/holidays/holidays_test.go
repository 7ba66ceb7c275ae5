package holidays_test

import (
	"slices"
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
		// The overseas departments: the abolition of slavery (Décret n° 83-1003),
		// and Victor Schœlcher's day (21 July) in Guadeloupe and Martinique.
		{"FR-971", with(fr, "05-27", "07-21")}, {"FR-GP", with(fr, "05-27", "07-21")},
		{"FR-972", with(fr, "05-22", "07-21")}, {"FR-MQ", with(fr, "05-22", "07-21")},
		{"FR-973", with(fr, "06-10")}, {"FR-GF", with(fr, "06-10")},
		{"FR-974", with(fr, "12-20")}, {"FR-RE", with(fr, "12-20")},
		{"FR-976", with(fr, "04-27")}, {"FR-YT", with(fr, "04-27")},
		// Belgium's ten days.
		{"BE", []string{"01-01", "04-06", "05-01", "05-14", "05-25", "07-21", "08-15", "11-01", "11-11", "12-25"}},
		// England and Wales: 26 December 2026 is a Saturday, its substitute Monday 28 December.
		{"GB", []string{"01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-26", "12-28"}},
		// Scotland: 2 January, the first Monday of August, St Andrew's Day (a Monday in 2026), no Easter Monday.
		{"GB-SCT", []string{"01-01", "01-02", "04-03", "05-04", "05-25", "08-03", "11-30", "12-25", "12-26", "12-28"}},
		// Northern Ireland: St Patrick's Day and the Battle of the Boyne (12 July 2026 a Sunday, Monday 13 July).
		{"GB-NIR", []string{"01-01", "03-17", "04-03", "04-06", "05-04", "05-25", "07-12", "07-13", "08-31", "12-25", "12-26", "12-28"}},
		// Australia's national public holidays: Anzac Day 2026 is a Saturday
		// (its Monday substitute, kept by the ACT and Western Australia,
		// included), Boxing Day a Saturday (Monday 28 December); no Easter
		// Saturday, Labour Day or King's Birthday, which are not national.
		{"AU", []string{"01-01", "01-26", "04-03", "04-06", "04-25", "04-27", "12-25", "12-26", "12-28"}},
		// Canada: the federal general holidays (Canada Labour Code s. 166) and Easter Monday; Victoria Day the
		// Monday before 25 May, Boxing Day (a Saturday in 2026) observed on Monday 28 December.
		{"CA", []string{"01-01", "04-03", "04-06", "05-18", "07-01", "08-03", "09-07", "09-30", "10-12", "11-11", "12-25", "12-26", "12-28"}},
		// Galicia: Saint Joseph and Saint John (declared for 2026 in place of 1 November and 6 December, both
		// Sundays), the Letras Galegas (a Sunday, and the Monday after it); the national days moved to Monday.
		{"ES-GA", []string{"01-01", "01-06", "03-19", "04-02", "04-03", "05-01", "05-17", "05-18", "06-24", "07-25",
			"08-15", "10-12", "11-01", "11-02", "12-06", "12-07", "12-08", "12-25"}},
		// The Balearic Islands: 1 March 2026 a Sunday, kept on Monday 2 March.
		{"ES-IB", []string{"01-01", "01-06", "03-01", "03-02", "04-02", "04-03", "04-06", "05-01", "08-15", "10-12",
			"11-01", "11-02", "12-06", "12-07", "12-08", "12-25", "12-26"}},
		// Ceuta and Melilla: Eid al-Fitr (20 March 2026) and Eid al-Adha (27 May 2026), as declared.
		{"ES-CE", []string{"01-01", "01-06", "03-20", "04-02", "04-03", "05-01", "05-27",
			"08-05", "08-15", "09-02", "10-12", "11-01", "11-02", "12-06", "12-07", "12-08", "12-25"}},
		{"ES-ML", []string{"01-01", "01-06", "03-20", "04-02", "04-03", "05-01", "05-27",
			"08-15", "09-17", "10-12", "11-01", "11-02", "12-06", "12-07", "12-08", "12-25"}},
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

// The Islamic feasts of Ceuta and Melilla: in a year without declared
// dates, the tabular calendar's day and the days around it cover the day
// declared (as it did in 2024 and 2025); and a Spanish recipient whose
// community is unknown has every community's days.
func TestSpainIslamicFeastsAndUnion(t *testing.T) {
	ce := holidays.Regions("ES")["ES-CE"]
	es, _ := holidays.Country("ES")
	for _, d := range []holidays.Day{
		holidays.Date(2024, 4, 10), holidays.Date(2024, 6, 16), // Eid al-Fitr, Eid al-Adha
		holidays.Date(2025, 3, 31), holidays.Date(2025, 6, 6),
		holidays.Date(2026, 3, 20), holidays.Date(2026, 5, 27),
		holidays.Date(2026, 3, 2), // the Balearic Islands' day, moved off a Sunday
	} {
		if d != holidays.Date(2026, 3, 2) && !ce.Has(d) {
			t.Errorf("ES-CE lacks day %d", d)
		}
		if !es.Has(d) {
			t.Errorf("ES (community unknown) lacks day %d", d)
		}
	}
	if ce.Has(holidays.Date(2026, 4, 20)) || es.Has(holidays.Date(2026, 4, 21)) {
		t.Error("an ordinary day in April 2026 is a Spanish holiday")
	}
}

// with returns the dates of days with more dates added, sorted.
func with(days []string, more ...string) []string {
	out := append(slices.Clone(days), more...)
	slices.Sort(out)
	return out
}

// The French overseas collectivities' holidays are unknown, by ISO
// 3166-2 code and by INSEE number; no other country has unknown regions,
// and no unknown region has a table.
func TestUnknown(t *testing.T) {
	got := holidays.Unknown("FR")
	for _, code := range []string{"FR-BL", "FR-977", "FR-MF", "FR-978", "FR-PM", "FR-975", "FR-WF", "FR-986",
		"FR-PF", "FR-987", "FR-NC", "FR-988", "FR-TF", "FR-984", "FR-CP", "FR-989"} {
		if !slices.Contains(got, code) {
			t.Errorf("Unknown(FR) lacks %s", code)
		}
		if _, ok := holidays.Regions("FR")[code]; ok {
			t.Errorf("%s is unknown and has a table", code)
		}
	}
	for _, code := range []string{"FR-974", "FR-57", "FR-75C"} {
		if slices.Contains(got, code) {
			t.Errorf("Unknown(FR) lists %s, whose holidays are known", code)
		}
	}
	for _, country := range []string{"BE", "GB", "RE", ""} {
		if u := holidays.Unknown(country); len(u) != 0 {
			t.Errorf("Unknown(%q) = %v, want none", country, u)
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

// TestSpain2026: the national holidays with the Monday after a Sunday one,
// a community's own days, a province reading its community's table, and
// the union for a recipient whose community is unknown.
func TestSpain2026(t *testing.T) {
	es := holidays.Regions("ES")
	national, ok := holidays.Country("ES")
	if !ok {
		t.Fatal("no table for ES")
	}
	// 2026: 2 April Maundy Thursday, 3 April Good Friday, 6 April Easter
	// Monday; 1 November and 6 December are Sundays, so 2 November and 7
	// December are closed too.
	for _, tc := range []struct {
		place string
		want  []string
	}{
		{"ES-MD", []string{"01-01", "01-06", "03-19", "04-02", "04-03", "05-01", "05-02", "07-25", "08-15", "10-12", "11-01", "11-02",
			"12-06", "12-07", "12-08", "12-25"}},
		{"ES-CT", []string{"01-01", "01-06", "04-03", "04-06", "05-01", "06-24", "08-15", "09-11", "10-12", "11-01", "11-02", "12-06",
			"12-07", "12-08", "12-25", "12-26"}},
	} {
		if diff := cmp.Diff(tc.want, in2026(es[tc.place])); diff != "" {
			t.Errorf("%s 2026 (-want +got):\n%s", tc.place, diff)
		}
	}
	if diff := cmp.Diff(in2026(es["ES-CT"]), in2026(es["ES-B"])); diff != "" {
		t.Errorf("ES-B (Barcelona) differs from ES-CT (-ES-CT +ES-B):\n%s", diff)
	}
	for _, d := range []holidays.Day{holidays.Date(2026, 2, 28), holidays.Date(2026, 9, 11), holidays.Date(2026, 4, 2),
		holidays.Date(2026, 10, 9), holidays.Date(2026, 5, 17)} {
		if !national.Has(d) {
			t.Errorf("ES without a community: %d not closed, though a community's holiday", d)
		}
	}
	if national.Has(holidays.Date(2026, 6, 3)) {
		t.Error("ES: an ordinary Wednesday is a holiday")
	}
}

// Australia's national table: the 2022 day of mourning, weekend substitutes
// (Christmas 2027 a Saturday, Boxing Day a Sunday: Monday 27 and Tuesday 28
// December), and no State's own days (Melbourne Cup, Labour Day).
func TestAustraliaNational(t *testing.T) {
	table, ok := holidays.Country("AU")
	if !ok {
		t.Fatal("no table for AU")
	}
	for _, tc := range []struct {
		y    int
		m    time.Month
		d    int
		want bool
	}{
		{2022, time.September, 22, true},
		{2027, time.December, 25, true}, {2027, time.December, 27, true}, {2027, time.December, 28, true},
		{2026, time.November, 3, false}, {2026, time.October, 5, false}, {2026, time.April, 4, false},
		{2026, time.April, 5, false}, {2026, time.June, 8, false},
	} {
		if got := table.Has(holidays.Date(tc.y, tc.m, tc.d)); got != tc.want {
			t.Errorf("AU %d-%02d-%02d holiday = %v, want %v", tc.y, tc.m, tc.d, got, tc.want)
		}
	}
	if regions := holidays.Regions("AU"); len(regions) != 0 {
		t.Errorf("AU regions = %v, want none (national public holidays only)", regions)
	}
}
