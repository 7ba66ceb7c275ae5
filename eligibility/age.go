package eligibility

import (
	"fmt"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"

	"github.com/sendright/sendright/internal/celfast"
)

// maxYears is the largest age ageUnder takes.
const maxYears = 150

// yearsParam is an age in whole years: a constant from 1 to maxYears.
var yearsParam = param[int64]{
	paramInfo: paramInfo{name: "years", typ: cel.IntType},
	bind: func(a cval) (func(*evalState) int64, error) {
		n, ok := a.Const.(int64)
		if !a.IsConst || !ok {
			return nil, fmt.Errorf("%w: years must be a constant integer", celfast.ErrUnsupported)
		}
		if n < 1 || n > maxYears {
			return nil, fmt.Errorf("%w: years %d: want 1 to %d", celfast.ErrUnsupported, n, maxYears)
		}
		return func(*evalState) int64 { return n }, nil
	},
	from: func(a ref.Val) (int64, error) {
		n, _ := a.(types.Int)
		if n < 1 || n > maxYears {
			return 0, fmt.Errorf("years %d: want 1 to %d", n, maxYears)
		}
		return int64(n), nil
	},
}

// ageUnder reports whether the recipient's age in whole years on the
// local date of the instant evaluated, from the contact's birth date (its
// date only), is below years; false when the birth date is unknown (the
// contact's documentation: an unknown birth date is an adult's).
func (st *evalState) ageUnder(years int64) bool {
	b := st.c.BirthDate
	return !b.IsZero() && st.now.Before(st.ageReached(years))
}

// ageUnderNext is ageUnder's change point: the local midnight starting the
// date on which the recipient reaches years, when it is after `after`.
func (st *evalState) ageUnderNext(years int64, after time.Time) time.Time {
	if st.c.BirthDate.IsZero() {
		return time.Time{}
	}
	if t := st.ageReached(years); t.After(after) {
		return t
	}
	return time.Time{}
}

// ageReached is the first instant of the local date on which a person born
// on the contact's birth date is years old (29 February's birthday is
// reached on 1 March in a common year).
func (st *evalState) ageReached(years int64) time.Time {
	loc := st.c.Location
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := st.c.BirthDate.Date()
	return time.Date(y+int(years), m, d, 0, 0, 0, 0, loc)
}
