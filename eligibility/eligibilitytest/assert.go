package eligibilitytest

import (
	"strings"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

// Want is an expected decision: the verdict always, each other field when
// set.
type Want struct {
	Verdict   eligibility.Verdict // required
	Basis     rules.Basis         // zero: not compared
	Reason    string              // the reason code; "": not compared
	Rule      string              // the deciding rule's id; "": not compared
	NotBefore time.Time           // a Defer's instant; zero: not compared
	// Origin is "law", "house" or "override" (see [eligibility.Origin]);
	// "": not compared. Any other text fails the expectation.
	Origin string
	// Overrides are the ids of the rules whose overrides took effect, in
	// the decision's order; nil: not compared, empty and not nil: none.
	Overrides []string
	// Regimes are the regimes the decision applied, in order, each as
	// "JURISDICTION REACH VERDICT" ("FR recipient allow", "CA sender
	// deny"; see [eligibility.Regime.String]); nil: not compared, empty
	// and not nil: none. An entry not of that form fails the
	// expectation.
	Regimes []string
	// Jurisdiction is the regime that decided (Decision.Jurisdiction);
	// "": not compared.
	Jurisdiction string
}

// String describes the expectation as [Expect] prints it, e.g.
// "allow by soft_opt_in" or "deny OBJECTION_ON_FILE (rule EU_OBJECTION)".
func (w Want) String() string {
	return describe(outcome{w.Verdict.String(), basisText(w.Basis), w.Reason, w.Rule, instant(w.NotBefore), w.Origin,
		overridden(w.Overrides), strings.Join(w.Regimes, ", "), w.Jurisdiction})
}

// outcome is the part of a decision [Expect] compares, in text form so
// that the diff reads in the words of the domain.
type outcome struct {
	Verdict   string
	Basis     string
	Reason    string
	Rule      string
	NotBefore string
	Origin    string
	Overrides string // the rule ids, comma-separated
	Regimes   string // "JURISDICTION REACH VERDICT" entries, comma-separated
	By        string // the deciding regime
}

// Expect reports through t.Errorf, and returns false, when got is not the
// decision want describes: one line in words ("want allow by soft_opt_in,
// got deny OBJECTION_ON_FILE (rule EU_OBJECTION)") and a go-cmp diff
// (-want +got) of the fields compared.
func Expect(t TB, got eligibility.Decision, want Want) bool {
	t.Helper()
	ids := make([]string, len(got.Overrides))
	for i, o := range got.Overrides {
		ids[i] = o.Rule
	}
	var regimes []string
	for _, r := range got.Regimes.List() {
		regimes = append(regimes, r.String())
	}
	g := outcome{got.Verdict.String(), basisText(got.Basis), got.Reason, got.Rule, instant(got.NotBefore), got.Origin.String(),
		overridden(ids), strings.Join(regimes, ", "), got.Jurisdiction}
	w := outcome{Verdict: want.Verdict.String(), Basis: g.Basis, Reason: g.Reason, Rule: g.Rule, NotBefore: g.NotBefore,
		Origin: g.Origin, Overrides: g.Overrides, Regimes: g.Regimes, By: g.By}
	if want.Basis != 0 {
		w.Basis = basisText(want.Basis)
	}
	if want.Reason != "" {
		w.Reason = want.Reason
	}
	if want.Rule != "" {
		w.Rule = want.Rule
	}
	if !want.NotBefore.IsZero() {
		w.NotBefore = instant(want.NotBefore)
	}
	if want.Origin != "" {
		w.Origin = want.Origin
		var o eligibility.Origin
		if o.UnmarshalText([]byte(want.Origin)) != nil {
			// A misspelt origin must not pass by matching nothing.
			t.Errorf("Want.Origin %q: want law, house or override", want.Origin)
			return false
		}
	}
	if want.Overrides != nil {
		w.Overrides = overridden(want.Overrides)
	}
	if want.Regimes != nil {
		for _, r := range want.Regimes {
			if !wellFormedRegime(r) {
				// A misspelt regime must not pass by matching nothing.
				t.Errorf("Want.Regimes %q: want \"JURISDICTION REACH VERDICT\", e.g. \"FR recipient allow\"", r)
				return false
			}
		}
		w.Regimes = strings.Join(want.Regimes, ", ")
	}
	if want.Jurisdiction != "" {
		w.By = want.Jurisdiction
	}
	// Regimes and the deciding regime are described only when compared.
	if want.Regimes == nil {
		g.Regimes, w.Regimes = "", ""
	}
	if want.Jurisdiction == "" {
		g.By, w.By = "", ""
	}
	diff := cmp.Diff(w, g)
	if diff == "" {
		return true
	}
	t.Errorf("want %s, got %s\ndecision mismatch (-want +got):\n%s", want, describe(g), strings.TrimSuffix(diff, "\n"))
	return false
}

// describe puts an outcome in words: the verdict, "by" the basis of an
// allow or defer, the reason, the rule and a defer's instant.
func describe(o outcome) string {
	s := o.Verdict
	if o.Basis != "" && (o.Verdict == "allow" || o.Verdict == "defer") {
		s += " by " + o.Basis
	}
	if o.Reason != "" {
		s += " " + o.Reason
	}
	if o.Rule != "" {
		s += " (rule " + o.Rule + ")"
	}
	if o.NotBefore != "" {
		s += " not before " + o.NotBefore
	}
	if o.Origin != "" && o.Origin != "law" {
		s += " from " + o.Origin
	}
	if o.Overrides != "" {
		s += " overriding " + o.Overrides
	}
	if o.By != "" {
		s += " by the law of " + o.By
	}
	if o.Regimes != "" {
		s += " [" + o.Regimes + "]"
	}
	return s
}

// wellFormedRegime reports whether r reads "JURISDICTION REACH VERDICT"
// with a reach and a verdict (not undetermined) of their vocabularies.
func wellFormedRegime(r string) bool {
	f := strings.Fields(r)
	var reach eligibility.RegimeReach
	var v eligibility.Verdict
	return len(f) == 3 && strings.Join(f, " ") == r && (f[0] == "EU" || rules.CountryOf(f[0]) != "") &&
		reach.UnmarshalText([]byte(f[1])) == nil && v.UnmarshalText([]byte(f[2])) == nil && v != eligibility.Undetermined
}

// overridden is the text form of override rule ids.
func overridden(ids []string) string { return strings.Join(ids, ",") }

// basisText is the text form of b, "" for the zero Basis.
func basisText(b rules.Basis) string {
	if b == 0 {
		return ""
	}
	return b.String()
}

// instant is t in RFC 3339 (UTC), "" for the zero time.
func instant(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}
