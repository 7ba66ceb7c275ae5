package holidays

import "slices"

// BusinessDays returns the number of dates d with from < d <= to that are
// Monday to Friday and not in the table; a date outside the years covered
// counts as a holiday (unknown, so not a business day). Zero when to is
// not after from.
func (t Table) BusinessDays(from, to Day) int {
	from, to = max(from, firstDay-1), min(to, lastDay)
	if to <= from {
		return 0
	}
	n := weekdaysUpTo(to) - weekdaysUpTo(from)
	i, _ := slices.BinarySearch(t, from+1)
	for ; i < len(t) && t[i] <= to; i++ {
		if wd := weekday(t[i]); wd != 0 && wd != 6 {
			n--
		}
	}
	return n
}

// weekday is the day of the week of d, 0 for Sunday (1970-01-01 was a
// Thursday).
func weekday(d Day) int { return int(((d+4)%7 + 7) % 7) }

// weekdaysUpTo is the number of Mondays to Fridays among the dates up to
// and including d, counted from 1970-01-01 (a Thursday); only differences
// of it are meaningful, so a negative d is counted the same way.
func weekdaysUpTo(d Day) int {
	// Shift to a Monday-based origin: 1970-01-05 was a Monday.
	x := int(d) - 4 // days since that Monday
	weeks := x / 7
	rem := x % 7
	if rem < 0 {
		weeks--
		rem += 7
	}
	// rem: 0 = Monday … 6 = Sunday; days Monday..rem counted in the partial week.
	return weeks*5 + min(rem+1, 5)
}
