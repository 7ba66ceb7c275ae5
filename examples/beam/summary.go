package main

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
)

// dimensions of the summary, in the order they are shown; they also name
// the metrics counters (verdict.allow, basis.consent, reason.SOFT_OPT_IN).
var dimensions = [...]string{"verdict", "basis", "reason"}

// tallyKey is what one decision adds to the summary: its verdict, basis
// and reason, and whether its line was unreadable.
func tallyKey(verdict, basis, reason string, unreadable bool) string {
	bad := "0"
	if unreadable {
		bad = "1"
	}
	return strings.Join([]string{verdict, basis, reason, bad}, "\t")
}

// tallies counts decisions by tallyKey. Its size is bounded by the
// vocabularies, not by the audience, so that one worker holds it.
type tallies struct {
	N map[string]int64
}

// countFn combines the decisions' keys into the summary's text.
type countFn struct{}

// CreateAccumulator starts with no decision.
func (countFn) CreateAccumulator() tallies { return tallies{N: map[string]int64{}} }

// AddInput counts one decision; the empty key counts nothing.
func (countFn) AddInput(t tallies, key string) tallies {
	if t.N == nil {
		t.N = map[string]int64{}
	}
	if key == "" {
		return t
	}
	t.N[key]++
	return t
}

// MergeAccumulators adds b's counts to a's.
func (countFn) MergeAccumulators(a, b tallies) tallies {
	if a.N == nil {
		a.N = map[string]int64{}
	}
	for k, n := range b.N {
		a.N[k] += n
	}
	return a
}

// ExtractOutput writes the summary.
func (countFn) ExtractOutput(t tallies) string { return summaryText(t) }

// summaryText writes the counts as text tables: the total, then per
// verdict, basis and reason, largest first.
func summaryText(t tallies) string {
	var total, bad int64
	per := [len(dimensions)]map[string]int64{{}, {}, {}}
	for k, n := range t.N {
		f := strings.Split(k, "\t")
		total += n
		if f[3] == "1" {
			bad += n
		}
		for i := range dimensions {
			per[i][f[i]] += n
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d contacts decided, %d unreadable lines (counted as deny)\n", total, bad)
	tw := tabwriter.NewWriter(&b, 0, 8, 2, ' ', tabwriter.AlignRight)
	for i, dim := range dimensions {
		fmt.Fprintf(tw, "\n%s\tcount\tshare\t\n", dim)
		keys := slices.SortedFunc(maps.Keys(per[i]), func(x, y string) int {
			return cmp.Or(cmp.Compare(per[i][y], per[i][x]), cmp.Compare(x, y))
		})
		for _, k := range keys {
			fmt.Fprintf(tw, "%s\t%d\t%.1f%%\t\n", k, per[i][k], 100*float64(per[i][k])/float64(max(total, 1)))
		}
	}
	tw.Flush()
	return strings.TrimSuffix(b.String(), "\n")
}

// counters returns the pipeline's counters by name, summed over steps.
func counters(res beam.PipelineResult) map[string]int64 {
	out := map[string]int64{}
	for _, c := range res.Metrics().AllMetrics().Counters() {
		if c.Namespace() == metricsNamespace {
			out[c.Name()] += c.Result()
		}
	}
	return out
}

// sortedKeys returns m's keys in order.
func sortedKeys(m map[string]int64) []string {
	return slices.Sorted(maps.Keys(m))
}
