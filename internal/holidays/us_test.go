package holidays_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/internal/holidays"
)

// The federal holidays of 5 U.S.C. 6103(a) in 2026 and 2027, with the
// weekday observed for one on a weekend (6103(b)).
func TestUnitedStates(t *testing.T) {
	us, ok := holidays.Country("US")
	if !ok {
		t.Fatal("no table for US")
	}
	want := []string{
		"01-01", // New Year's Day
		"01-19", // Martin Luther King Jr. Day, third Monday
		"02-16", // Washington's Birthday, third Monday
		"05-25", // Memorial Day, last Monday
		"06-19", // Juneteenth
		"07-03", // Independence Day on a Saturday: observed Friday
		"07-04",
		"09-07", // Labor Day
		"10-12", // Columbus Day
		"11-11", // Veterans Day
		"11-26", // Thanksgiving Day; the day after is not a federal holiday
		"12-25", // Christmas Day
	}
	if diff := cmp.Diff(want, in2026(us)); diff != "" {
		t.Errorf("US 2026 (-want +got):\n%s", diff)
	}
	// 2027: Juneteenth and Christmas on a Saturday, observed on Friday;
	// 2028 New Year's Day on a Saturday, observed Friday 31 December 2027.
	for _, d := range []string{"2027-06-18", "2027-06-19", "2027-12-24", "2027-12-25", "2027-12-31"} {
		day, _ := time.Parse(time.DateOnly, d)
		if !us.Has(holidays.DayOf(day)) {
			t.Errorf("US %s: not a holiday, want one", d)
		}
	}
	// No state holidays: a region of the US has the national table.
	if r := holidays.Regions("US"); len(r) != 0 {
		t.Errorf("US regions %v, want none", r)
	}
}

// BusinessDays counts Mondays to Fridays that are not holidays, after from
// up to and including to.
func TestBusinessDays(t *testing.T) {
	us, _ := holidays.Country("US")
	date := func(s string) holidays.Day {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return holidays.DayOf(d)
	}
	for _, tc := range []struct {
		table    holidays.Table
		from, to string
		want     int
	}{
		{nil, "2026-03-02", "2026-03-02", 0},  // the same date
		{nil, "2026-03-02", "2026-03-01", 0},  // backwards
		{nil, "2026-03-02", "2026-03-03", 1},  // Monday to Tuesday
		{nil, "2026-03-06", "2026-03-09", 1},  // Friday to Monday: the weekend does not count
		{nil, "2026-03-07", "2026-03-08", 0},  // Saturday to Sunday
		{nil, "2026-03-02", "2026-03-16", 10}, // Monday to the Monday two weeks later
		{us, "2026-03-02", "2026-03-16", 10},  // no holiday in between
		{us, "2026-03-02", "2026-03-18", 12},
		{us, "2026-02-13", "2026-02-17", 1},   // Friday to Tuesday over Washington's Birthday
		{us, "2026-07-02", "2026-07-06", 1},   // 3 July observed, 4 July a Saturday
		{us, "2026-11-25", "2026-11-30", 2},   // Thanksgiving: the Friday after is a business day
		{us, "2026-12-24", "2027-01-04", 5},   // 25 Dec and 1 Jan (Fridays) out
		{us, "2026-01-01", "2027-01-01", 250}, // 261 weekdays less 11 weekday holidays
		{nil, "1999-12-30", "2000-01-03", 1},  // before 2000: unknown, not counted
		{nil, "2100-12-30", "2101-01-05", 1},  // after 2100: unknown, not counted
		{nil, "1969-12-25", "1970-01-06", 0},  // wholly before the tables
	} {
		if got := tc.table.BusinessDays(date(tc.from), date(tc.to)); got != tc.want {
			t.Errorf("BusinessDays(%s, %s) = %d, want %d", tc.from, tc.to, got, tc.want)
		}
	}
}

// BusinessDays agrees with counting day by day.
func TestBusinessDaysByDay(t *testing.T) {
	us, _ := holidays.Country("US")
	gb, _ := holidays.Country("GB")
	for _, table := range []holidays.Table{nil, us, gb} {
		start := holidays.Date(1999, 12, 20)
		for from := start; from < start+800; from += 13 {
			n := 0
			for to := from; to < from+400; to++ {
				if to > from && wd(to) != time.Saturday && wd(to) != time.Sunday && !table.Has(to) {
					n++
				}
				if got := table.BusinessDays(from, to); got != n {
					t.Fatalf("BusinessDays(%d, %d) = %d, want %d", from, to, got, n)
				}
			}
		}
	}
}

// wd is the day of the week of d.
func wd(d holidays.Day) time.Weekday { return time.Unix(int64(d)*86400, 0).UTC().Weekday() }
