package consent_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sendright/sendright/consent"
)

func TestIsRevocationReply(t *testing.T) {
	for _, tc := range []struct {
		reply string
		want  bool
	}{
		{"STOP", true}, {"stop", true}, {"Stop!", true}, {"  quit  ", true}, {"END", true}, {"Revoke", true},
		{"OPT OUT", true}, {"opt-out", true}, {"optout", true}, {"Opt\nout", true}, {"cancel.", true},
		{"UNSUBSCRIBE", true}, {"ＳＴＯＰ", true}, {"Please stop texting me", true}, {"cancel my subscription", true},
		{"I can't stop laughing", true}, // conservative: a keyword anywhere counts
		{"", false}, {"yes", false}, {"stopped", false}, {"unstoppable", false}, {"opt in", false},
		{"out opt", false}, {"friend", false}, {"s t o p", false}, {"legend", false}, {"opt", false},
	} {
		if got := consent.IsRevocationReply(tc.reply); got != tc.want {
			t.Errorf("IsRevocationReply(%q) = %v, want %v", tc.reply, got, tc.want)
		}
	}
}

// FuzzIsRevocationReply: never panics; case and the text around a word do
// not change the answer; a reply that revokes still revokes inside a
// longer one.
func FuzzIsRevocationReply(f *testing.F) {
	for _, s := range []string{"STOP", "opt out", "Opt-Out", "please stop", "yes", "", "ＳＴＯＰ", "stopped", "\xff", "ΣΤΟΠ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := consent.IsRevocationReply(s)
		if utf8.ValidString(s) && isASCII(s) && consent.IsRevocationReply(strings.ToUpper(s)) != got {
			t.Errorf("IsRevocationReply(%q) = %v, but differs in upper case", s, got)
		}
		if got && !consent.IsRevocationReply("Well, "+s+" thanks") {
			t.Errorf("IsRevocationReply(%q) is true, but not inside a longer reply", s)
		}
		if consent.IsRevocationReply(" "+s+" ") != got {
			t.Errorf("IsRevocationReply(%q) changes with surrounding spaces", s)
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
