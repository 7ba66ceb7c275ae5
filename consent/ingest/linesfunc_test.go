package ingest_test

import (
	"strings"
	"sync"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/ingest"
	"github.com/sendright/sendright/eligibility"
)

// lent reads in with LinesFunc, f copying out the contact's id only, and
// presents what it yields as Lines would, for collect.
func lent(in string, workers int) func(func(ingest.Row, error) bool) {
	return func(yield func(ingest.Row, error) bool) {
		seq := ingest.LinesFuncN(iotest.HalfReader(strings.NewReader(in)), workers, func(row ingest.Row) ingest.Row {
			return ingest.Row{Line: row.Line, Contact: &consent.Contact{ID: row.Contact.ID}}
		})
		for row, err := range seq {
			if !yield(row, err) {
				return
			}
		}
	}
}

// TestLinesFuncYieldsAsLines checks that LinesFunc yields, line for line,
// what Lines yields — the same lines, the same errors — over the cases of
// TestLines and TestLinesOrder.
func TestLinesFuncYieldsAsLines(t *testing.T) {
	var b strings.Builder
	for i := range 2000 {
		switch i % 97 {
		case 5:
			b.WriteString("{bad\n")
		case 6:
			b.WriteString(" \t\n")
		case 7:
			b.WriteString(strings.Replace(contactLine(i, 2, 0), `"channel":"email"`, `"channel":"fax"`, 1) + "\n")
		default:
			b.WriteString(contactLine(i, i%3, i%2) + "\n")
		}
	}
	long := `{"id":"` + strings.Repeat("x", ingest.MaxLine) + `"}`
	ins := []string{"", file(contactLine(1, 1, 1)), "\xEF\xBB\xBF" + file(contactLine(1, 0, 0)) + contactLine(2, 0, 0),
		file(contactLine(1, 0, 0), long, contactLine(3, 1, 1)) + long, b.String()}
	for i, in := range ins {
		want := collect(t, ingest.LinesN(strings.NewReader(in), 1))
		for _, workers := range []int{1, 4} {
			got := collect(t, lent(in, workers))
			if diff := cmp.Diff(want, got, errEquate); diff != "" {
				t.Errorf("input %d, %d workers (-Lines +LinesFunc):\n%s", i, workers, diff)
			}
		}
	}
	count := 0
	for range lent(b.String(), 4) {
		if count++; count == 700 {
			break
		}
	}
	if count != 700 {
		t.Errorf("stopped after %d items, want 700", count)
	}
}

// TestLinesFuncDecisions checks that deciding each lent contact during the
// call gives, for every line and in order, the decision DecideAll gives
// over the contacts Lines yields (run with -race: the lent contacts are
// reused by several goroutines), and that the contact is indeed lent: the
// same one comes back for later lines, holding their data, so a decision
// made during the call is the only safe use of it.
func TestLinesFuncDecisions(t *testing.T) {
	pol, err := eligibility.Default()
	if err != nil {
		t.Fatal(err)
	}
	msg := campaign()
	var b strings.Builder
	for i := range 1500 {
		if i%101 == 3 {
			b.WriteString(`{"id":"c-x","kind":"consumer"}` + "\n")
			continue
		}
		// Contacts without records are denied, with them allowed (or
		// not, by their purchases): the decisions vary from line to line.
		b.WriteString(contactLine(i, i%2, i%3) + "\n")
	}
	type result struct {
		Line     int
		ID       string
		Decision eligibility.Decision
		Failed   bool // Decide's error was not nil
	}
	var want []result
	reqs := func(yield func(eligibility.Request) bool) {
		for row, err := range ingest.LinesN(strings.NewReader(b.String()), 1) {
			if err != nil {
				continue
			}
			want = append(want, result{Line: row.Line, ID: row.Contact.ID})
			if !yield(eligibility.Request{Contact: row.Contact, Message: msg}) {
				return
			}
		}
	}
	i := 0
	for res := range pol.DecideAll(t.Context(), reqs) {
		want[i].Decision, want[i].Failed = res.Decision, res.Err != nil
		i++
	}
	verdicts := map[eligibility.Verdict]int{}
	for _, r := range want {
		verdicts[r.Decision.Verdict]++
	}
	if verdicts[eligibility.Allow] == 0 || verdicts[eligibility.Deny] == 0 {
		t.Fatalf("verdicts %v: the test needs both allows and denies", verdicts)
	}
	for _, workers := range []int{1, 2, 4} {
		var (
			mu   sync.Mutex
			seen = map[*consent.Contact]int{}
		)
		var got []result
		bad := 0
		seq := ingest.LinesFuncN(strings.NewReader(b.String()), workers, func(row ingest.Row) result {
			mu.Lock()
			seen[row.Contact]++
			mu.Unlock()
			d, err := pol.Decide(eligibility.Request{Contact: row.Contact, Message: msg})
			return result{Line: row.Line, ID: row.Contact.ID, Decision: d, Failed: err != nil}
		})
		for r, err := range seq {
			if err != nil {
				bad++
				continue
			}
			got = append(got, r)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%d workers: LinesFunc's decisions differ from DecideAll's (-want +got):\n%s", workers, diff)
		}
		if bad != 15 {
			t.Errorf("%d workers: %d bad lines, want 15", workers, bad)
		}
		if len(seen) > max(workers, 1) {
			t.Errorf("%d workers: %d distinct contacts lent, want at most one per goroutine", workers, len(seen))
		}
	}
}
