package rules

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"
)

// identifier is the form of a window's name.
var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Window is a named recurring period of the recipient's local time in
// which something is allowed, e.g. the hours in which calls to consumers
// may be made, declared in a set's parameters:
//
//	parameters:
//	  windows:
//	    - name: consumer_calls
//	      days: [mon, tue, wed, thu, fri]
//	      hours: ["10:00-13:00", "14:00-20:00"]
//	      holidays: closed
//
// and tested by rules with inWindow('consumer_calls'), which is true when
// the recipient's local time (the contact's time zone) is inside: on one
// of Days, in one of Hours, and, when Holidays is "closed", not on a
// public holiday where the recipient is ("national": not on one of the
// country's national holidays). A country's set may redefine a
// window of its base by name.
type Window struct {
	// Name is how rules call it: an identifier, unique in its set.
	Name string `yaml:"name" json:"name"`
	// Days are the days of the week it is open on: mon, tue, wed, thu,
	// fri, sat, sun (or monday … sunday), each once.
	Days []string `yaml:"days" json:"days"`
	// Hours are local time ranges "HH:MM-HH:MM", the start included and
	// the end excluded (24:00 is the end of the day), in ascending order
	// and not overlapping.
	Hours []string `yaml:"hours" json:"hours"`
	// Holidays is "closed" (closed on public holidays where the recipient
	// is: the region's table where the region has its own), "national"
	// (closed on the country's national public holidays only, for a law
	// that names them, not a region's own) or "open" (the default:
	// holidays are ordinary days).
	Holidays string `yaml:"holidays,omitempty" json:"holidays,omitempty"`
}

// Window holiday modes.
const (
	HolidaysClosed   = "closed"   // closed on public holidays where the recipient is
	HolidaysNational = "national" // closed on the country's national public holidays only
	HolidaysOpen     = "open"     // holidays are ordinary days
)

// errHours says what [ParseHours] wants.
var errHours = errors.New(`want "HH:MM-HH:MM", from 00:00 to 24:00, the start before the end`)

// ParseHours parses a local time range "HH:MM-HH:MM" (e.g. "08:00-20:30";
// the end may be "24:00") into minutes after midnight: from is included,
// until excluded. The start must be before the end: a range over midnight
// is two ranges on two days.
func ParseHours(s string) (from, until int, err error) {
	if len(s) != len("00:00-00:00") || s[5] != '-' {
		return 0, 0, fmt.Errorf("hours %q: %w", clip(s), errHours)
	}
	from, ok1 := clock(s[:5])
	until, ok2 := clock(s[6:])
	if !ok1 || !ok2 || from >= until || from == 24*60 {
		return 0, 0, fmt.Errorf("hours %q: %w", clip(s), errHours)
	}
	return from, until, nil
}

// clock parses "HH:MM", 00:00 to 24:00.
func clock(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	digits := [4]byte{s[0], s[1], s[3], s[4]}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	if m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, false
	}
	return h*60 + m, true
}

// weekdays maps the day names a window accepts.
var weekdays = map[string]time.Weekday{
	"mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday, "thu": time.Thursday,
	"fri": time.Friday, "sat": time.Saturday, "sun": time.Sunday,
	"monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday, "thursday": time.Thursday,
	"friday": time.Friday, "saturday": time.Saturday, "sunday": time.Sunday,
}

// Weekdays returns the days the window is open on, indexed by
// time.Weekday.
func (w *Window) Weekdays() (open [7]bool, err error) {
	for _, d := range w.Days {
		wd, ok := weekdays[d]
		switch {
		case !ok:
			return open, fmt.Errorf("day %q: want mon, tue, wed, thu, fri, sat or sun", clip(d))
		case open[wd]:
			return open, fmt.Errorf("day %s given twice", d)
		}
		open[wd] = true
	}
	return open, nil
}

// Spans returns the window's hours as ranges of minutes after midnight,
// [from, until), in order.
func (w *Window) Spans() ([][2]int, error) {
	var out [][2]int
	for _, h := range w.Hours {
		from, until, err := ParseHours(h)
		if err != nil {
			return nil, err
		}
		if len(out) > 0 && from < out[len(out)-1][1] {
			return nil, fmt.Errorf("hours %q: after or overlapping the range before it (list them in order)", clip(h))
		}
		out = append(out, [2]int{from, until})
	}
	return out, nil
}

// problems lists what is wrong with the window.
func (w *Window) problems() []string {
	var out []string
	if !identifier.MatchString(w.Name) {
		out = append(out, fmt.Sprintf("window %q: want an identifier as name", clip(w.Name)))
	}
	if len(w.Days) == 0 {
		out = append(out, "window "+clip(w.Name)+": no days")
	} else if _, err := w.Weekdays(); err != nil {
		out = append(out, "window "+clip(w.Name)+": "+err.Error())
	}
	if len(w.Hours) == 0 {
		out = append(out, "window "+clip(w.Name)+": no hours")
	} else if _, err := w.Spans(); err != nil {
		out = append(out, "window "+clip(w.Name)+": "+err.Error())
	}
	if !slices.Contains([]string{"", HolidaysClosed, HolidaysNational, HolidaysOpen}, w.Holidays) {
		out = append(out, fmt.Sprintf("window %s: holidays %q: want closed, national or open", clip(w.Name), clip(w.Holidays)))
	}
	return out
}
