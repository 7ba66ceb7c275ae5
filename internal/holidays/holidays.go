// Package holidays gives the public holidays of the countries and regions
// the rule sets cover, as sorted tables of civil dates computed once (from
// github.com/rickar/cal/v2's rules for each country), so that a decision
// looks a date up without calculating or allocating.
//
// France: the eleven days of C. trav. art. L3133-1; in Alsace-Moselle
// (FR-57, FR-67, FR-68, and FR-6AE, the European Collectivity of Alsace)
// also Good Friday and 26 December (C. trav. art. L3134-13). In the
// overseas departments also the commemoration of the abolition of slavery
// (Loi n° 83-550 du 30 juin 1983; dates listed by C. trav. art. L3422-2
// and Décret n° 83-1003 du 23 novembre 1983): Guadeloupe (FR-971, FR-GP) 27
// May, Martinique (FR-972, FR-MQ) 22 May, Guyane (FR-973, FR-GF) 10 June,
// La Réunion (FR-974, FR-RE) 20 December, Mayotte (FR-976, FR-YT) 27
// April; and, conservatively, Victor Schœlcher's day (21 July) in
// Guadeloupe and Martinique, reported as a local holiday. The other
// French overseas collectivities (Saint-Barthélemy, Saint-Martin,
// Saint-Pierre-et-Miquelon, Wallis-et-Futuna, French Polynesia, New
// Caledonia, the Southern Lands, Clipperton), by their ISO 3166-2 codes
// and their INSEE numbers, have holidays of their own that are not
// modelled: [Unknown] lists them, and a window closed on holidays is
// closed there every day. Belgium: the
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

// place is the holiday rules of a country or region: holidays calculated
// for every year, and days listed (extra) besides.
type place struct {
	code  string
	list  []*cal.Holiday
	extra []Day
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

	// The French overseas departments: the abolition of slavery (Décret n°
	// 83-1003), and Victor Schœlcher's day in Guadeloupe and Martinique.
	schoelcher = fixed("Victor Schœlcher", time.July, 21)
	guadeloupe = append(slices.Clone(fr.Holidays), fixed("Abolition of slavery", time.May, 27), schoelcher)
	martinique = append(slices.Clone(fr.Holidays), fixed("Abolition of slavery", time.May, 22), schoelcher)
	guyane     = append(slices.Clone(fr.Holidays), fixed("Abolition of slavery", time.June, 10))
	laReunion  = append(slices.Clone(fr.Holidays), fixed("Abolition of slavery", time.December, 20))
	mayotte    = append(slices.Clone(fr.Holidays), fixed("Abolition of slavery", time.April, 27))
)

// fixed is a public holiday on the same date every year.
func fixed(name string, m time.Month, d int) *cal.Holiday {
	return &cal.Holiday{Name: name, Type: cal.ObservancePublic, Month: m, Day: d, Func: cal.CalcDayOfMonth}
}

// national are the countries with tables; regional the subdivisions whose
// holidays differ from their country's.
var (
	national = []place{{"FR", fr.Holidays, nil}, {"BE", be.Holidays, nil}, {"GB", gb.Holidays, nil}}
	regional = []place{
		{"FR-57", alsaceMoselle, nil}, {"FR-67", alsaceMoselle, nil}, {"FR-68", alsaceMoselle, nil}, {"FR-6AE", alsaceMoselle, nil},
		{"FR-971", guadeloupe, nil}, {"FR-GP", guadeloupe, nil}, {"FR-972", martinique, nil}, {"FR-MQ", martinique, nil},
		{"FR-973", guyane, nil}, {"FR-GF", guyane, nil}, {"FR-974", laReunion, nil}, {"FR-RE", laReunion, nil},
		{"FR-976", mayotte, nil}, {"FR-YT", mayotte, nil},
		{"GB-SCT", scotland, nil}, {"GB-NIR", northernIreland, nil},
	}
)

// unknown are the subdivisions whose public holidays are not modelled:
// the French overseas collectivities, by ISO 3166-2 code and INSEE number.
var unknown = []string{
	"FR-BL", "FR-977", "FR-MF", "FR-978", "FR-PM", "FR-975", "FR-WF", "FR-986",
	"FR-PF", "FR-987", "FR-NC", "FR-988", "FR-TF", "FR-984", "FR-CP", "FR-989",
}

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
			t = append(t, p.extra...)
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

// Unknown returns the subdivisions of a country (ISO 3166-2 codes, and the
// INSEE numbers hosts also use for French overseas collectivities) whose
// public holidays are not known: a day there must be treated as a
// holiday, the conservative answer.
func Unknown(country string) []string {
	var out []string
	for _, r := range unknown {
		if r[:2] == country {
			out = append(out, r)
		}
	}
	return out
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
