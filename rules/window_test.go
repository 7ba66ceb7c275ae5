package rules_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/rules"
)

func TestParseHours(t *testing.T) {
	for _, tc := range []struct {
		in          string
		from, until int
		ok          bool
	}{
		{"10:00-13:00", 600, 780, true},
		{"00:00-24:00", 0, 1440, true},
		{"08:30-08:31", 510, 511, true},
		{"13:00-10:00", 0, 0, false}, // over midnight or backwards
		{"10:00-10:00", 0, 0, false}, // empty
		{"24:00-24:00", 0, 0, false},
		{"10:60-11:00", 0, 0, false},
		{"25:00-26:00", 0, 0, false},
		{"24:01-24:02", 0, 0, false},
		{"9:00-10:00", 0, 0, false},
		{"09:00 - 10:00", 0, 0, false},
		{"09:00-10:00 ", 0, 0, false},
		{"０9:00-10:00", 0, 0, false},
		{"", 0, 0, false},
	} {
		from, until, err := rules.ParseHours(tc.in)
		got := struct {
			From, Until int
			OK          bool
		}{from, until, err == nil}
		want := struct {
			From, Until int
			OK          bool
		}{tc.from, tc.until, tc.ok}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ParseHours(%q) (-want +got):\n%s (err %v)", tc.in, diff, err)
		}
	}
}

// FuzzParseHours: whatever the text, ParseHours returns a non-empty range
// inside the day, or an error; an accepted range prints back as its input.
func FuzzParseHours(f *testing.F) {
	for _, s := range []string{"10:00-13:00", "00:00-24:00", "13:00-10:00", "24:00-24:00", "9:00-10:00", "aa:bb-cc:dd", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		from, until, err := rules.ParseHours(s)
		if err != nil {
			if from != 0 || until != 0 {
				t.Fatalf("ParseHours(%q) = %d, %d with error %v", s, from, until, err)
			}
			// The input is quoted and clipped in the message: its quoted
			// form must not appear whole (the raw text may, by chance of
			// escaping, as for a clipped run of backslashes).
			if len(s) > 40 && strings.Contains(err.Error(), strconv.Quote(s)) {
				t.Fatalf("error repeats a long input: %v", err)
			}
			return
		}
		if from < 0 || until > 1440 || from >= until {
			t.Fatalf("ParseHours(%q) = [%d, %d): not a range inside the day", s, from, until)
		}
		if back := fmt.Sprintf("%02d:%02d-%02d:%02d", from/60, from%60, until/60, until%60); back != s {
			t.Fatalf("ParseHours(%q) = [%d, %d), which prints as %q", s, from, until, back)
		}
	})
}

// A defer rule has no basis and no obligations, and needs a reason and a
// citation.
func TestCheckDeferRule(t *testing.T) {
	ok := rules.Rule{ID: "HOST_W", Effect: rules.Defer, Reason: "W", Citation: "House policy 2", Condition: "true",
		Channels: []consent.Channel{consent.AllChannels}}
	if err := ok.Check(); err != nil {
		t.Errorf("Check(%+v) = %v", ok, err)
	}
	for _, tc := range []struct {
		name string
		edit func(*rules.Rule)
		want string
	}{
		{"basis", func(r *rules.Rule) { r.Basis = rules.Consent }, "a defer rule has no basis"},
		{"obligations", func(r *rules.Rule) {
			r.Obligations = []rules.ObligationRef{{Obligation: rules.SenderIdentity, Citation: "x"}}
		}, "a defer rule has no obligations"},
		{"reason", func(r *rules.Rule) { r.Reason = "" }, "reason"},
		{"citation", func(r *rules.Rule) { r.Citation = " " }, "missing citation"},
	} {
		r := ok
		tc.edit(&r)
		if err := r.Check(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Check = %v, want %q", tc.name, err, tc.want)
		}
	}
}
