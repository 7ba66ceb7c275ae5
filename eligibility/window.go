package eligibility

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
	"github.com/sendright/sendright/internal/holidays"
	"github.com/sendright/sendright/rules"
)

// window is a [rules.Window] compiled: open days, spans and edges in
// seconds after local midnight.
type window struct {
	name             string
	days             [7]bool
	spans            [][2]int32 // [from, until), in order
	edges            []int32    // the spans' ends inside the day, sorted: where the value may change
	closedOnHolidays bool
	// nationalHolidays: closed on the country's national holidays only
	// (rules.HolidaysNational), a region's own left open.
	nationalHolidays bool
}

// compileWindows compiles the windows of a set chain (the country's set
// first), a set's own replacing its bases' of the same name. The sets were
// checked ([rules.Check]): the windows are well formed.
func compileWindows(chain []*rules.Set) []window {
	var out []window
	for i := len(chain) - 1; i >= 0; i-- { // base first
		for _, rw := range chain[i].Parameters.Windows {
			days, _ := rw.Weekdays()
			spans, _ := rw.Spans()
			w := window{name: rw.Name, days: days, closedOnHolidays: rw.Holidays == rules.HolidaysClosed || rw.Holidays == rules.HolidaysNational,
				nationalHolidays: rw.Holidays == rules.HolidaysNational}
			for _, sp := range spans {
				from, until := int32(sp[0]*60), int32(sp[1]*60)
				w.spans = append(w.spans, [2]int32{from, until})
				for _, e := range [...]int32{from, until} {
					if e > 0 && e < 86400 {
						w.edges = append(w.edges, e)
					}
				}
			}
			slices.Sort(w.edges)
			w.edges = slices.Compact(w.edges)
			if k := slices.IndexFunc(out, func(o window) bool { return o.name == w.name }); k >= 0 {
				out[k] = w
			} else {
				out = append(out, w)
			}
		}
	}
	return out
}

// window returns the jurisdiction's window of that name, or nil.
func (j *jurisdiction) window(name string) *window {
	for i := range j.windows {
		if j.windows[i].name == name {
			return &j.windows[i]
		}
	}
	return nil
}

// inWindow reports whether the instant evaluated is inside the named
// window in the recipient's local time. A window the jurisdiction does not
// define (compilation checks that it does) is an evaluation error.
func (st *evalState) inWindow(name string) bool {
	w := st.j.window(name)
	if w == nil {
		st.err = "no window " + name + " in " + st.j.code
		return false
	}
	return st.windowAt(w, st.now)
}

// windowAt reports whether instant t is inside window w in the
// recipient's local time.
func (st *evalState) windowAt(w *window, t time.Time) bool {
	return st.windowOn(w, st.zone.clock(t, st.c.Location))
}

// localTime is an instant's local date (days since 1970-01-01, the
// numbering of [holidays.Day]) and seconds after local midnight.
type localTime struct {
	day int64
	sec int32
}

// localClock returns the local date and time of t in loc, with one zone
// lookup and integer arithmetic.
func localClock(t time.Time, loc *time.Location) localTime {
	var z zoneCache
	return z.clock(t, loc)
}

// weekday is the day of the week of a local date (1970-01-01 was a
// Thursday).
func (l localTime) weekday() time.Weekday { return time.Weekday(((l.day+4)%7 + 7) % 7) }

// windowOn reports whether the local time l is inside window w.
func (st *evalState) windowOn(w *window, l localTime) bool {
	if !w.days[l.weekday()] {
		return false
	}
	for _, sp := range w.spans {
		if l.sec >= sp[0] && l.sec < sp[1] {
			return !st.closedHoliday(w, l)
		}
	}
	return false
}

// openDay reports whether the local date of l is one on which window w
// may be open: one of its days, and not a holiday when it closes on them.
func (st *evalState) openDay(w *window, l localTime) bool {
	return w.days[l.weekday()] && !st.closedHoliday(w, l)
}

// closedHoliday reports whether window w is closed for a public holiday
// on the local date of l: one where the recipient is, or for a window
// closed on national holidays only, one of the country's.
func (st *evalState) closedHoliday(w *window, l localTime) bool {
	switch {
	case !w.closedOnHolidays:
		return false
	case w.nationalHolidays:
		return st.j.holidays.onNationalDay(st.c.Region, holidays.Day(l.day))
	}
	return st.j.holidays.onDay(st.c.Region, holidays.Day(l.day))
}

// windowScan bounds the instants nextWindow examines: a window closed for
// longer (a set of holidays the whole year) gets an early change point,
// which is safe.
const windowScan = 2048

// nextWindow is inWindow's change points: the first instant after
// `after` at which the window's value differs from its value at `after`
// — the next opening or closing in the recipient's zone, exactly across
// daylight-saving changes. It steps through the window's edges and local
// midnights ([nextLocal]), a closed day (not one of the window's days, or
// a holiday) from midnight to midnight, and returns the first at which
// the value changed; that is the exact instant, since the value can
// change only at those.
func (st *evalState) nextWindow(name string, after time.Time) time.Time {
	w := st.j.window(name)
	if w == nil {
		return time.Time{}
	}
	loc := st.c.Location
	t := after
	l := st.zone.clock(t, loc)
	was := st.windowOn(w, l)
	for range windowScan {
		edges := w.edges
		if !st.openDay(w, l) {
			edges = nil // closed all day: only the next midnight can change it
		}
		t = st.zone.nextLocal(t, loc, edges)
		l = st.zone.clock(t, loc)
		if st.windowOn(w, l) != was {
			return t
		}
	}
	return t
}

// windowsOf returns the names of the windows a rule of set s may use: its
// set's and its bases'.
func (c *compiler) windowsOf(s *rules.Set) map[string]bool {
	names := map[string]bool{}
	for n := 0; s != nil && n <= len(c.sets); n++ { // a cycle (reported by Check) ends here
		for _, w := range s.Parameters.Windows {
			names[w.Name] = true
		}
		if s.Extends == "" {
			break
		}
		var base *rules.Set
		for _, b := range c.sets {
			if b != nil && b.Jurisdiction == s.Extends {
				base = b
			}
		}
		s = base
	}
	return names
}

// checkWindows finds calls of inWindow whose argument is not a constant
// naming a window of the rule's set chain.
func checkWindows(a *ast.AST, names map[string]bool) []constProblem {
	var out []constProblem
	ast.PostOrderVisit(a.Expr(), ast.NewExprVisitor(func(e ast.Expr) {
		if e.Kind() != ast.CallKind || e.AsCall().FunctionName() != "inWindow" || len(e.AsCall().Args()) != 1 {
			return
		}
		arg := e.AsCall().Args()[0]
		s, ok := types.String(""), false
		if arg.Kind() == ast.LiteralKind {
			s, ok = arg.AsLiteral().(types.String)
		}
		switch {
		case !ok:
			out = append(out, constProblem{arg.ID(), "inWindow takes a constant window name", nil})
		case !names[string(s)]:
			all := slices.Sorted(maps.Keys(names))
			msg := fmt.Sprintf("no window %q in the parameters of the rule's set or its bases", clip(string(s)))
			if len(all) > 0 {
				msg += didYouMean(string(s), all)
			}
			out = append(out, constProblem{arg.ID(), msg, all})
		}
	}))
	return out
}

// holiday reports whether the local date of the instant evaluated is a
// public holiday where the recipient is.
func (st *evalState) holiday() bool {
	return st.j.holidays.onDay(st.c.Region, holidays.Day(st.zone.clock(st.now, st.c.Location).day))
}

// callsHoliday reports whether a condition reads public holidays: calls
// holiday() or stopBusinessDays().
func callsHoliday(a *ast.AST) bool {
	found := false
	ast.PostOrderVisit(a.Expr(), ast.NewExprVisitor(func(e ast.Expr) {
		if e.Kind() == ast.CallKind && (e.AsCall().FunctionName() == "holiday" || e.AsCall().FunctionName() == "stopBusinessDays") {
			found = true
		}
	}))
	return found
}
