package holidays

import (
	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/au"
)

// Australia. The Telecommunications (Telemarketing and Research Calls)
// Industry Standard 2017 bars telemarketing calls on "national public
// holidays": the days that are public holidays throughout Australia. Public
// holidays are declared by each State and Territory; the days they all
// keep are New Year's Day, Australia Day, Good Friday, Easter Monday, Anzac
// Day, Christmas Day and Boxing Day (in South Australia, Proclamation Day on
// the same date). The table holds those seven days and, conservatively,
// every substitute day some State or Territory declares when one falls on
// a weekend (Anzac Day's Monday substitute, kept only by the ACT and
// Western Australia, included). Days a single State or Territory keeps
// (Labour Day, the King's Birthday, Melbourne Cup, Easter Saturday and
// Sunday, …) are not national public holidays and are not in it, whatever
// the contact's region: the Industry Standard names national public
// holidays only. Hosts add a day the Commonwealth and every State declare
// (a national day of mourning, as on 22 September 2022, which the table
// holds) with a holiday override.
func init() {
	national = append(national, place{"AU", australia, nil})
}

// australia are the national public holidays, with substitutes.
var australia = []*cal.Holiday{
	au.NewYear, au.AustraliaDay, au.GoodFriday, au.EasterMonday, au.AnzacDayActWa,
	au.MourningDay2022, au.ChristmasDay, au.BoxingDay,
}
