// Package holidays gives the public holidays of the countries and regions
// the rule sets cover, as sorted tables of civil dates computed once (from
// github.com/rickar/cal/v2's rules for each country), so that a decision
// looks a date up without calculating or allocating.
//
// France: the eleven days of C. trav. art. L3133-1; in Alsace-Moselle
// (FR-57, FR-67, FR-68, and FR-6AE, the European Collectivity of Alsace)
// also Good Friday and 26 December (C. trav. art. L3134-13). Belgium: the
// ten days of the arrêté royal of 18 April 1974. United Kingdom: the bank
// holidays of the Banking and Financial Dealings Act 1971 and royal
// proclamations: England and Wales by default (GB-ENG, GB-WLS), Scotland
// (GB-SCT: 2 January and St Andrew's Day, the summer holiday in August's
// first week, no Easter Monday) and Northern Ireland (GB-NIR: St
// Patrick's Day and the Battle of the Boyne). Where a holiday has a
// substitute day (a weekend bank holiday moved to a weekday), both the day
// and the substitute are in the table: the conservative reading for a
// window closed on holidays.
//
// Tables cover the years From to To; a date outside them is reported as a
// holiday (unknown, so closed: the conservative answer).
package holidays

import (
	"slices"
	"sync"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/aa"
	"github.com/rickar/cal/v2/be"
	"github.com/rickar/cal/v2/fr"
	"github.com/rickar/cal/v2/gb"
)

// The years the tables cover.
const (
	From = 2000
	To   = 2100
)

// Day is a civil date as a number of days since 1970-01-01.
type Day int32

// DayOf returns the civil date of t, in t's location, as a Day.
func DayOf(t time.Time) Day {
	y, m, d := t.Date()
	return Date(y, m, d)
}

// Date returns the Day of a civil date.
func Date(y int, m time.Month, d int) Day {
	return Day(time.Date(y, m, d, 12, 0, 0, 0, time.UTC).Unix() / 86400)
}

// Bounds of the covered days.
var (
	firstDay = Date(From, time.January, 1)
	lastDay  = Date(To, time.December, 31)
)

// Table is the holidays of one place: sorted, without repeats.
type Table []Day

// Has reports whether d is a holiday in the table; a day outside the years
// covered is reported as one.
func (t Table) Has(d Day) bool {
	if d < firstDay || d > lastDay {
		return true
	}
	_, ok := slices.BinarySearch(t, d)
	return ok
}

// With returns a copy of t with d added (add) or removed.
func (t Table) With(d Day, add bool) Table {
	out := slices.Clone(t)
	i, ok := slices.BinarySearch(out, d)
	switch {
	case add && !ok:
		out = slices.Insert(out, i, d)
	case !add && ok:
		out = slices.Delete(out, i, i+1)
	}
	return out
}

// place is the holiday rules of a country or region.
type place struct {
	code string
	list []*cal.Holiday
}

var (
	// Scotland and Northern Ireland's own bank holidays.
	weekendToMonday = []cal.AltDay{{Day: time.Saturday, Offset: 2}, {Day: time.Sunday, Offset: 1}}
	secondJanuary   = &cal.Holiday{Name: "2 January", Type: cal.ObservanceBank, Month: time.January, Day: 2,
		Func: cal.CalcDayOfMonth, Observed: weekendToMonday}
	stAndrew = &cal.Holiday{Name: "St Andrew's Day", Type: cal.ObservanceBank, Month: time.November, Day: 30,
		Func: cal.CalcDayOfMonth, Observed: weekendToMonday}
	stPatrick = &cal.Holiday{Name: "St Patrick's Day", Type: cal.ObservanceBank, Month: time.March, Day: 17,
		Func: cal.CalcDayOfMonth, Observed: weekendToMonday}
	boyne = &cal.Holiday{Name: "Battle of the Boyne", Type: cal.ObservanceBank, Month: time.July, Day: 12,
		Func: cal.CalcDayOfMonth, Observed: weekendToMonday}

	alsaceMoselle = append(slices.Clone(fr.Holidays), aa.GoodFriday, aa.ChristmasDay2)
	scotland      = []*cal.Holiday{gb.NewYear, secondJanuary, gb.GoodFriday, gb.EarlyMay, gb.VEDay, gb.CoronationDay,
		gb.SpringHoliday, gb.SpringHoliday2022, gb.PlatinumJubilee, gb.SummerHolidayScotland, stAndrew,
		gb.ChristmasDay, gb.BoxingDay}
	northernIreland = append(slices.Clone(gb.Holidays), stPatrick, boyne)
)

// national are the countries with tables; regional the subdivisions whose
// holidays differ from their country's.
var (
	national = []place{{"FR", fr.Holidays}, {"BE", be.Holidays}, {"GB", gb.Holidays}}
	regional = []place{
		{"FR-57", alsaceMoselle}, {"FR-67", alsaceMoselle}, {"FR-68", alsaceMoselle}, {"FR-6AE", alsaceMoselle},
		{"GB-SCT", scotland}, {"GB-NIR", northernIreland},
	}
)

var (
	once   sync.Once
	tables map[string]Table
)

// build computes every table, once.
func build() {
	tables = map[string]Table{}
	for _, ps := range [...][]place{national, regional} {
		for _, p := range ps {
			var t Table
			for y := From; y <= To; y++ {
				for _, h := range p.list {
					actual, observed := h.Calc(y)
					for _, d := range [...]time.Time{actual, observed} {
						if !d.IsZero() {
							t = append(t, DayOf(d))
						}
					}
				}
			}
			slices.Sort(t)
			tables[p.code] = slices.Clip(slices.Compact(t))
		}
	}
}

// Country returns the national table of a country (ISO 3166-1 alpha-2),
// and false when there is none. The table is shared: do not modify it.
func Country(code string) (Table, bool) {
	once.Do(build)
	t, ok := tables[code]
	return t, ok && len(code) == 2
}

// Regions returns the subdivisions of a country whose holidays differ from
// the national table, with their tables (shared: do not modify them).
func Regions(country string) map[string]Table {
	once.Do(build)
	out := map[string]Table{}
	for _, p := range regional {
		if p.code[:2] == country {
			out[p.code] = tables[p.code]
		}
	}
	return out
}
