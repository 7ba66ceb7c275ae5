package holidays

import (
	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/ca"
)

// Canada. One national table for every province and territory: the
// federal general holidays of the Canada Labour Code (R.S.C. 1985, c. L-2)
// s. 166 — New Year's Day, Good Friday, Victoria Day, Canada Day, the first
// Monday in August (Civic Holiday), Labour Day, the National Day for Truth
// and Reconciliation (from 2021), Thanksgiving Day, Remembrance Day,
// Christmas Day and Boxing Day — and Easter Monday, a holiday of the
// Interpretation Act (R.S.C. 1985, c. I-21) s. 35 and of the federal public
// service; each with the weekday it is observed on when it falls on a
// weekend. The rules are those of github.com/rickar/cal/v2/ca.
//
// What the table is used for: counting business days (CASL, S.C. 2010,
// c. 23, s. 11(3): an unsubscribe request given effect within 10 business
// days), where a business day is Monday to Friday and not a holiday of
// this table. Provincial holidays (Family Day, Saint-Jean-Baptiste, Heritage
// Day, …) are not in it: with fewer holidays, fewer days are skipped, so
// the 10 business days end sooner, and a stop is reported past its window
// no later than under any province's calendar. The Telemarketing Rules'
// calling hours do not close on holidays, so no window reads it.
func init() {
	national = append(national, place{"CA", canada, nil})
}

// canada is the national list, in the order of the year.
var canada = []*cal.Holiday{
	ca.NewYear, ca.GoodFriday, ca.EasterMonday, ca.VictoriaDay, ca.CanadaDay, ca.CivicDay,
	ca.LabourDay, ca.NationalDayForTruthAndReconciliation, ca.ThanksgivingDay, ca.RemembranceDay,
	ca.ChristmasDay, ca.BoxingDay,
}
