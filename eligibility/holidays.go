package eligibility

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/internal/holidays"
)

// HolidayOverride adds or removes one public holiday of a country or a
// region, in [Params.Holidays], e.g. {Place: "FR-57", Date: "2027-12-26"}
// or a company holiday a collective agreement makes one.
type HolidayOverride struct {
	// Place is a country (ISO 3166-1 alpha-2, "FR") or a region (ISO
	// 3166-2, "FR-57").
	Place string `json:"place" yaml:"place"`
	// Date is the civil date, YYYY-MM-DD.
	Date string `json:"date" yaml:"date"`
	// Remove removes the date instead of adding it.
	Remove bool `json:"remove,omitempty" yaml:"remove,omitempty"`
}

// check checks the override's place and date.
func (o HolidayOverride) check() error {
	country, region, _ := strings.Cut(o.Place, "-")
	c, err := address.ParseCountry(country)
	switch {
	case err != nil || c.String() != country:
		return fmt.Errorf("place %q: want a country code (FR) or a region code (FR-57)", clip(o.Place))
	case strings.Contains(o.Place, "-") && (len(region) < 1 || len(region) > 3 ||
		strings.IndexFunc(region, func(r rune) bool { return (r < 'A' || r > 'Z') && (r < '0' || r > '9') }) >= 0):
		return fmt.Errorf("place %q: want a region code such as FR-57", clip(o.Place))
	}
	if _, err := time.Parse(time.DateOnly, o.Date); err != nil {
		return fmt.Errorf("date %q: want YYYY-MM-DD", clip(o.Date))
	}
	return nil
}

// holidayTables are a jurisdiction's public holidays: the national table
// (nil: none known) and the regions whose holidays differ.
type holidayTables struct {
	national holidays.Table
	regions  []regionTable
}

type regionTable struct {
	code  string
	table holidays.Table
	// unknown: the region's holidays are not modelled (holidays.Unknown),
	// so every day counts as one, whatever the overrides say.
	unknown bool
}

// holidayTablesFor builds a country's tables with the host's overrides.
func holidayTablesFor(code string, overrides []HolidayOverride) holidayTables {
	var h holidayTables
	if t, ok := holidays.Country(code); ok {
		h.national = t
	}
	regions := holidays.Regions(code)
	for _, r := range slices.Sorted(maps.Keys(regions)) {
		h.regions = append(h.regions, regionTable{code: r, table: regions[r]})
	}
	for _, r := range holidays.Unknown(code) {
		h.regions = append(h.regions, regionTable{code: r, unknown: true})
	}
	for _, o := range overrides { // a country's first, so that they reach the regions made below
		if o.Place != code {
			continue
		}
		d := dayOf(o.Date)
		h.national = h.national.With(d, !o.Remove)
		for i := range h.regions {
			h.regions[i].table = h.regions[i].table.With(d, !o.Remove)
		}
	}
	for _, o := range overrides {
		if !strings.HasPrefix(o.Place, code+"-") {
			continue
		}
		i := slices.IndexFunc(h.regions, func(r regionTable) bool { return r.code == o.Place })
		if i < 0 {
			h.regions = append(h.regions, regionTable{code: o.Place, table: slices.Clone(h.national)})
			i = len(h.regions) - 1
		}
		h.regions[i].table = h.regions[i].table.With(dayOf(o.Date), !o.Remove)
		if h.national == nil {
			h.national = holidays.Table{} // a region's dates make the country's table known
		}
	}
	return h
}

func dayOf(date string) holidays.Day {
	t, _ := time.Parse(time.DateOnly, date) // checked
	return holidays.DayOf(t)
}

// onDay reports whether the local date d (days since 1970-01-01, in the
// recipient's zone) is a public holiday in region, or in the country when
// the region has no table of its own; every day is one in a region whose
// holidays are not known.
func (h *holidayTables) onDay(region string, d holidays.Day) bool {
	table, known := h.of(region)
	return !known || table.Has(d)
}

// onNationalDay reports whether the local date d is one of the country's
// national public holidays, a region's own left aside; every day is one
// in a region whose holidays are not known (where the country's law may
// not apply as it does at home).
func (h *holidayTables) onNationalDay(region string, d holidays.Day) bool {
	if _, known := h.of(region); !known {
		return true
	}
	return h.national.Has(d)
}

// of returns the table of region, or the country's when the region has
// none of its own; known is false for a region whose holidays are not
// modelled.
func (h *holidayTables) of(region string) (table holidays.Table, known bool) {
	for i := range h.regions {
		if h.regions[i].code == region {
			return h.regions[i].table, !h.regions[i].unknown
		}
	}
	return h.national, true
}

// businessDays is the number of local dates after from up to and
// including to that are Monday to Friday and not public holidays in
// region (or the country); none where the region's holidays are not known,
// every day there counting as a holiday.
func (h *holidayTables) businessDays(region string, from, to holidays.Day) int {
	table, known := h.of(region)
	if !known {
		return 0
	}
	return table.BusinessDays(from, to)
}

// needsHolidays reports whether the jurisdiction's rules read public
// holidays: a window closed on them, or a call of holiday().
func (j *jurisdiction) needsHolidays() bool {
	for _, w := range j.windows {
		if w.closedOnHolidays {
			return true
		}
	}
	for _, tier := range j.tiers {
		for _, t := range tier {
			if t.holiday {
				return true
			}
		}
	}
	return false
}
