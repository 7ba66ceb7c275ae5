package holidays

import (
	"slices"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/aa"
	"github.com/rickar/cal/v2/es"
)

// Spain. The state sets the national holidays (Estatuto de los
// Trabajadores art. 37.2, Real Decreto 2001/1983 art. 45) and each
// autonomous community chooses some of its own every year (published
// yearly in the BOE by resolution of the Dirección General de Trabajo),
// among them the Monday after a holiday that falls on a Sunday. The
// tables are a conservative approximation of those yearly calendars:
//
//   - every table: the national holidays and, when one falls on a Sunday,
//     the Monday after it;
//   - each community (ES-AN … ES-VC, ES-CE, ES-ML) and each of its
//     provinces (ES-B, ES-M, …): also the days it has declared in recent
//     years (its own day, Maundy Thursday or Easter Monday, Saint James,
//     Saint Joseph, Saint John, 26 December where used), every year, each
//     fixed date with the Monday after it when it falls on a Sunday (the
//     Balearic Islands' 1 March 2026 was kept on Monday 2 March);
//   - Ceuta and Melilla: also the Islamic feasts they declare, Eid al-Fitr
//     and Eid al-Adha, whose civil dates follow the sighting of the moon:
//     the days declared for the years published (2026: 20 March and 27
//     May), for the other years each feast's date in the tabular Islamic
//     calendar with the days before and after it;
//   - Spain without a region (or with a code not listed): the union of
//     every community's days, since any of them may be the recipient's.
//
// Local (municipal) holidays are not computed: hosts add them with holiday
// overrides, and remove a day a community did not declare that year.
func init() {
	feasts := islamicFeasts()
	national = append(national, place{"ES", spainUnion, feasts})
	for _, c := range spanishCommunities {
		list := append(slices.Clone(spainNational), c.days...)
		var extra []Day
		if c.code == "CE" || c.code == "ML" { // the autonomous cities declare the Islamic feasts
			extra = feasts
		}
		regional = append(regional, place{"ES-" + c.code, list, extra})
		for _, p := range c.provinces {
			regional = append(regional, place{"ES-" + p, list, extra})
		}
	}
}

// day is a community's holiday on a fixed date, moved to the Monday after
// it (and kept) when it falls on a Sunday.
func day(name string, m time.Month, d int) *cal.Holiday {
	return &cal.Holiday{Name: name, Type: cal.ObservancePublic, Month: m, Day: d, Func: cal.CalcDayOfMonth,
		Observed: []cal.AltDay{{Day: time.Sunday, Offset: 1}}}
}

// islamicFeasts returns the days of Eid al-Fitr (1 Shawwal) and Eid
// al-Adha (10 Dhu al-Hijja) in the years covered: the days Ceuta and
// Melilla declared, in the years listed in feastsDeclared; in the others
// the feast's date in the tabular (arithmetical) Islamic calendar and the
// day before and after it, since the date declared follows the sighting of
// the new moon, which the tabular calendar anticipates or misses by a day.
func islamicFeasts() []Day {
	var out []Day
	for year := 1419; year <= 1531; year++ { // the Hijri years over 2000-2100
		for _, md := range [...][2]int{{10, 1}, {12, 10}} {
			d := hijriDay(year, md[0], md[1])
			if _, ok := feastsDeclared[time.Unix(int64(d)*86400, 0).UTC().Year()]; ok {
				continue
			}
			for _, x := range [...]Day{d - 1, d, d + 1} {
				if x >= firstDay && x <= lastDay {
					out = append(out, x)
				}
			}
		}
	}
	for _, days := range feastsDeclared {
		out = append(out, days...)
	}
	return out
}

// feastsDeclared are the Islamic feasts of the calendars of Ceuta and
// Melilla published for a year (fiestas laborales 2026, BOE of 28 October
// 2025): Eid al-Fitr and Eid al-Adha.
var feastsDeclared = map[int][]Day{
	2026: {Date(2026, time.March, 20), Date(2026, time.May, 27)},
}

// hijriDay returns the civil date of a date of the tabular Islamic
// calendar (epoch 16 July 622, Julian; leap years 2, 5, 7, 10, 13, 16, 18,
// 21, 24, 26 and 29 of each 30-year cycle): months of 30 and 29 days in
// turn, the twelfth of 30 days in a leap year.
func hijriDay(year, month, day int) Day {
	const epoch = 1948439 - 2440587 // the Julian day of 1 Muharram 1 AH, from 1970-01-01's
	return Day(epoch + day - 1 + (59*(month-1)+1)/2 + (year-1)*354 + (3+11*year)/30)
}

// spainNational are the national holidays, each with the Monday after it
// when it falls on a Sunday (communities usually move it there).
var spainNational = func() []*cal.Holiday {
	var out []*cal.Holiday
	for _, h := range es.Holidays {
		out = append(out, h.Clone(&cal.Holiday{Observed: []cal.AltDay{{Day: time.Sunday, Offset: 1}}}))
	}
	return out
}()

var (
	maundyThursday = aa.MaundyThursday
	easterMonday   = aa.EasterMonday
	saintJoseph    = day("San José", time.March, 19)
	saintJohn      = day("San Juan", time.June, 24)
	saintJames     = day("Santiago Apóstol", time.July, 25)
	saintStephen   = day("San Esteban", time.December, 26)
)

// spanishCommunities are the autonomous communities and cities, with the
// ISO 3166-2 codes of their provinces and their own holidays.
var spanishCommunities = []struct {
	code      string
	provinces []string
	days      []*cal.Holiday
}{
	{"AN", []string{"AL", "CA", "CO", "GR", "H", "J", "MA", "SE"}, []*cal.Holiday{day("Día de Andalucía", time.February, 28), maundyThursday}},
	{"AR", []string{"HU", "TE", "Z"}, []*cal.Holiday{day("San Jorge, Día de Aragón", time.April, 23), maundyThursday}},
	{"AS", []string{"O"}, []*cal.Holiday{day("Día de Asturias", time.September, 8), maundyThursday}},
	{"IB", []string{"PM"}, []*cal.Holiday{day("Día de las Illes Balears", time.March, 1), maundyThursday, easterMonday, saintStephen}},
	{"CN", []string{"GC", "TF"}, []*cal.Holiday{day("Día de Canarias", time.May, 30), maundyThursday}},
	{"CB", []string{"S"}, []*cal.Holiday{day("Día de las Instituciones de Cantabria", time.July, 28),
		day("La Bien Aparecida", time.September, 15), maundyThursday, saintJames}},
	{"CL", []string{"AV", "BU", "LE", "P", "SA", "SG", "SO", "VA", "ZA"}, []*cal.Holiday{day("Día de Castilla y León", time.April, 23),
		maundyThursday, saintJames}},
	{"CM", []string{"AB", "CR", "CU", "GU", "TO"}, []*cal.Holiday{day("Día de Castilla-La Mancha", time.May, 31), maundyThursday,
		aa.CorpusChristi}},
	{"CT", []string{"B", "GI", "L", "T"}, []*cal.Holiday{easterMonday, saintJohn, day("Diada Nacional de Catalunya", time.September, 11),
		saintStephen}},
	{"EX", []string{"BA", "CC"}, []*cal.Holiday{day("Día de Extremadura", time.September, 8), maundyThursday}},
	{"GA", []string{"C", "LU", "OR", "PO"}, []*cal.Holiday{day("Día das Letras Galegas", time.May, 17), saintJames, maundyThursday,
		saintJoseph, saintJohn}},
	{"MD", []string{"M"}, []*cal.Holiday{day("Fiesta de la Comunidad de Madrid", time.May, 2), maundyThursday, saintJoseph, saintJames}},
	{"MC", []string{"MU"}, []*cal.Holiday{day("Día de la Región de Murcia", time.June, 9), saintJoseph, maundyThursday}},
	{"NC", []string{"NA"}, []*cal.Holiday{day("San Francisco Javier", time.December, 3), maundyThursday, easterMonday, saintJames}},
	{"PV", []string{"BI", "SS", "VI"}, []*cal.Holiday{maundyThursday, easterMonday, saintJames}},
	{"RI", []string{"LO"}, []*cal.Holiday{day("Día de La Rioja", time.June, 9), maundyThursday, easterMonday}},
	{"VC", []string{"A", "CS", "V"}, []*cal.Holiday{saintJoseph, easterMonday, saintJohn, day("Día de la Comunitat Valenciana", time.October, 9)}},
	{"CE", nil, []*cal.Holiday{day("Nuestra Señora de África", time.August, 5), day("Día de Ceuta", time.September, 2), maundyThursday}},
	{"ML", nil, []*cal.Holiday{day("Día de Melilla", time.September, 17), maundyThursday}},
}

// spainUnion is every community's holidays: the table for a Spanish
// recipient whose community is unknown.
var spainUnion = func() []*cal.Holiday {
	out := slices.Clone(spainNational)
	for _, c := range spanishCommunities {
		for _, h := range c.days {
			if !slices.Contains(out, h) {
				out = append(out, h)
			}
		}
	}
	return out
}()
