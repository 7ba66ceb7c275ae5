package ingest_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent/ingest"
)

// FuzzLines checks that every line holding more than blanks yields exactly
// one row or one LineError with its number, in order, and that parallel
// decoding yields what one goroutine does.
func FuzzLines(f *testing.F) {
	f.Add(file(contactLine(1, 1, 1), "", "{bad", contactLine(2, 0, 0)))
	f.Add("\xEF\xBB\xBF" + contactLine(1, 0, 0) + "\r\n \t\r\n\r\r\n{}")
	f.Add(`{"id":"c","kind":"consumer","kind":"consumer"}` + "\n\n")
	f.Fuzz(func(t *testing.T, in string) {
		var want []int
		for i, l := range strings.Split(strings.TrimPrefix(in, "\xEF\xBB\xBF"), "\n") {
			l = strings.TrimSuffix(l, "\r")
			if strings.Trim(l, " \t") != "" {
				want = append(want, i+1)
			}
		}
		seq := collect(t, ingest.LinesN(strings.NewReader(in), 1))
		var got []int
		for _, it := range seq {
			if it.Err != nil && it.Line == 0 {
				t.Fatalf("an error that is no LineError: %v", it.Err)
			}
			got = append(got, it.Line)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("line numbers (-want +got):\n%s", diff)
		}
		par := collect(t, ingest.LinesN(strings.NewReader(in), 3))
		if diff := cmp.Diff(seq, par, cmp.Comparer(func(a, b error) bool { return errors.Is(a, b) })); diff != "" {
			t.Fatalf("parallel decoding differs (-one +three):\n%s", diff)
		}
	})
}
