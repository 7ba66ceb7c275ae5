package eligibility_test

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/internal/scenario"
	"github.com/sendright/sendright/rules"
)

// datedRow is one date of a row of the transfer law tables.
type datedRow struct {
	law  *rules.TransferLaw
	id   string
	date time.Time
	// relevant reports whether a hop makes the row matter to a message:
	// the hop is in one of its destinations, or records its kind of tool.
	relevant func(h *rules.Hop) bool
}

// datedRows lists every date of every dated row of the built-in tables.
func datedRows(t *testing.T) []datedRow {
	t.Helper()
	laws, err := rules.BuiltinTransfers()
	if err != nil {
		t.Fatal(err)
	}
	var out []datedRow
	add := func(l *rules.TransferLaw, id string, rel func(h *rules.Hop) bool, dates ...time.Time) {
		for _, d := range dates {
			if !d.IsZero() {
				out = append(out, datedRow{l, id, d, rel})
			}
		}
	}
	for _, l := range laws {
		for _, r := range l.Adequacy {
			add(l, r.ID, func(h *rules.Hop) bool {
				return slices.ContainsFunc(slices.Concat(h.Processing, h.Access), func(c address.Country) bool { return slices.Contains(r.Destinations, c) })
			}, r.ValidFrom, r.ValidUntil)
		}
		for _, r := range l.Mechanisms {
			add(l, r.ID, func(h *rules.Hop) bool {
				return slices.ContainsFunc(h.Mechanisms, func(m rules.Mechanism) bool {
					return m.Kind == r.Kind && (r.Version == "" || r.Version == m.Version)
				})
			}, r.ValidFrom, r.ValidUntil)
		}
		for _, r := range l.Assessments {
			add(l, r.ID, func(h *rules.Hop) bool {
				return slices.ContainsFunc(h.Mechanisms, func(m rules.Mechanism) bool { return m.Kind.Safeguard() })
			}, r.ValidFrom, r.ValidUntil)
		}
	}
	return out
}

// TestDatedTransferRowsHaveScenarios: every date of every dated row of the
// transfer law tables (an adequacy decision's start or end, a tool's
// cut-off, an assessment standard's start) is proven by scenarios on both
// sides of it: one whose message instant is before the date and one at or
// after it, each under the row's regime (the sender's or the recipient's
// country in its home area) on a route with a hop the row matters to (in
// one of its destinations, or recording its kind of tool).
func TestDatedTransferRowsHaveScenarios(t *testing.T) {
	files, err := scenario.Find(filepath.Join("testdata", "scenarios"))
	if err != nil {
		t.Fatal(err)
	}
	type sent struct {
		at      time.Time
		regimes []rules.TransferRegime
		hops    []rules.Hop
	}
	var cases []sent
	laws, err := rules.BuiltinTransfers()
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range files {
		f, err := scenario.Load(path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(f.Params.Routes) == 0 {
			continue
		}
		for _, s := range f.Scenarios {
			var c struct {
				Country address.Country `json:"country"`
			}
			var all map[string]json.RawMessage
			if json.Unmarshal(s.Contact, &all) != nil || json.Unmarshal(all["country"], &c.Country) != nil {
				continue // a contact that does not decode decides nothing
			}
			route := routeOf(f.Params.Routes, &s.Request)
			if route == nil {
				continue
			}
			var regimes []rules.TransferRegime
			for _, l := range laws {
				if slices.Contains(l.Home, c.Country) || slices.Contains(l.Home, s.Request.Sender.Country) {
					regimes = append(regimes, l.Regime)
				}
			}
			cases = append(cases, sent{s.Request.At, regimes, route.Hops})
		}
	}
	if len(cases) == 0 {
		t.Fatal("no scenario with a route")
	}
	for _, row := range datedRows(t) {
		var before, after bool
		for _, c := range cases {
			if !slices.Contains(c.regimes, row.law.Regime) || !slices.ContainsFunc(c.hops, func(h rules.Hop) bool { return row.relevant(&h) }) {
				continue
			}
			if c.at.Before(row.date) {
				before = true
			} else {
				after = true
			}
		}
		day := row.date.UTC().Format(time.DateOnly)
		if !before {
			t.Errorf("%s (%v): no scenario before %s", row.id, row.law.Regime, day)
		}
		if !after {
			t.Errorf("%s (%v): no scenario on or after %s", row.id, row.law.Regime, day)
		}
	}
}

// routeOf is the route message m takes among routes: the one it names, or
// the default of its channel; nil for none.
func routeOf(routes []rules.Route, m *consent.Message) *rules.Route {
	for i := range routes {
		r := &routes[i]
		if m.Route != "" && r.Name == m.Route || m.Route == "" && slices.Contains(r.DefaultFor, m.Channel) {
			return r
		}
	}
	return nil
}
