package eligibility

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNearest(t *testing.T) {
	channels := []string{"email", "sms", "voice_live", "voice_automated", "push", "post"}
	tests := []struct{ in, want string }{
		{"emial", "email"}, // a transposition: two edits
		{"EMAIL", "email"}, // case only
		{"Sms", "sms"},     // case preferred over another value one edit away
		{"pots", "post"},   // two edits, and the first of the closest
		{"voice_automatic", "voice_automated"},
		{"fax", ""},            // nothing near
		{"", ""},               // nothing near the empty string either
		{"telephone_call", ""}, // long and far
	}
	for _, tc := range tests {
		if got := nearest(tc.in, channels); got != tc.want {
			t.Errorf("nearest(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := nearest("x", nil); got != "" {
		t.Errorf("nearest in no values = %q", got)
	}
}

func TestSnippet(t *testing.T) {
	long := strings.Repeat("a", 100) + " == 'x'" + strings.Repeat("b", 100)
	tests := []struct {
		name, cond string
		sp         span
		want       string
	}{
		{"one character", "a == b", span{1, 5, 1}, "a == b\n     ^"},
		{"a part", "a == 'bc'", span{1, 5, 4}, "a == 'bc'\n     ^~~~"},
		{"second line, tabs shown as spaces", "x\n\ty == 1", span{2, 1, 1}, " y == 1\n ^"},
		{"width clipped to the line", "ab", span{1, 1, 9}, "ab\n ^"},
		{"a long line cut around the part", long, span{1, 104, 3},
			"…" + strings.Repeat("a", 56) + " == 'x'" + strings.Repeat("b", 60) + "…\n" + strings.Repeat(" ", 61) + "^~~"},
		{"no such line", "a", span{3, 0, 1}, ""},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, snippet(tc.cond, tc.sp)); diff != "" {
			t.Errorf("%s: snippet (-want +got):\n%s", tc.name, diff)
		}
	}
}
