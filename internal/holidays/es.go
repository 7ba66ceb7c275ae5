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
// among them the Monday after a national holiday that falls on a Sunday.
// The tables are a conservative approximation of those yearly calendars:
//
//   - every table: the national holidays and, when one falls on a Sunday,
//     the Monday after it;
//   - each community (ES-AN … ES-VC, ES-CE, ES-ML) and each of its
//     provinces (ES-B, ES-M, …): also the days it has declared in recent
//     years (its own day, Maundy Thursday or Easter Monday, Saint James,
//     Saint Joseph, Saint John, 26 December where used), every year;
//   - Spain without a region (or with a code not listed): the union of
//     every community's days, since any of them may be the recipient's.
//
// Local (municipal) holidays and the Islamic feasts of Ceuta and Melilla
// are not computed: hosts add them with holiday overrides, and remove a
// day a community did not declare that year.
func init() {
	national = append(national, place{"ES", spainUnion})
	for _, c := range spanishCommunities {
		list := append(slices.Clone(spainNational), c.days...)
		regional = append(regional, place{"ES-" + c.code, list})
		for _, p := range c.provinces {
			regional = append(regional, place{"ES-" + p, list})
		}
	}
}

// day is a holiday on a fixed date.
func day(name string, m time.Month, d int) *cal.Holiday {
	return &cal.Holiday{Name: name, Type: cal.ObservancePublic, Month: m, Day: d, Func: cal.CalcDayOfMonth}
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
	{"GA", []string{"C", "LU", "OR", "PO"}, []*cal.Holiday{day("Día das Letras Galegas", time.May, 17), saintJames, maundyThursday}},
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
