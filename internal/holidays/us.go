package holidays

import "github.com/rickar/cal/v2/us"

// United States: the legal public holidays of 5 U.S.C. 6103(a), the
// federal holidays only (New Year's Day, the birthday of Martin Luther
// King Jr., Washington's Birthday, Memorial Day, Juneteenth National
// Independence Day from 2021, Independence Day, Labor Day, Columbus Day,
// Veterans Day, Thanksgiving Day, Christmas Day), each with the weekday a
// federal employee observes it on when it falls on a weekend (Saturday's
// on the Friday before, Sunday's on the Monday after: 5 U.S.C. 6103(b)
// and Executive Order 11582), as every table keeps both the day and its
// substitute. Neither the CAN-SPAM Act (15 U.S.C. 7704(a)(4)) nor the
// FCC's rule (47 CFR 64.1200(d)(3)) defines their "business days"; the
// library reads them as the federal definitions do (e.g. 5 CFR 752.602:
// "any day other than a Saturday, Sunday, or legal public holiday under 5
// U.S.C. 6103(a)"). State holidays are not modelled: hosts add them with
// holiday overrides.
func init() {
	national = append(national, place{"US", us.Holidays, nil})
}
