package consent

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// revocationWords are the words the FCC deems a reasonable means per se to
// revoke consent when sent in reply to a text (47 CFR 64.1200(a)(10)):
// "stop", "quit", "end", "revoke", "opt out", "cancel", "unsubscribe".
// "opt out" is matched as the two words, or as one ("optout", "opt-out").
var revocationWords = [...]string{"stop", "quit", "end", "revoke", "optout", "cancel", "unsubscribe"}

// IsRevocationReply reports whether an inbound text reply revokes consent:
// whether it contains, as a word, one of the words the FCC deems a
// reasonable means per se to revoke consent (47 CFR 64.1200(a)(10): stop,
// quit, end, revoke, opt out, cancel, unsubscribe), in any case, spacing,
// punctuation or Unicode compatibility form ("Stop!", "ＳＴＯＰ", "opt-out",
// "Please stop texting me"). Conservatively a keyword anywhere in a longer
// reply counts ("I can't stop laughing" does too): a revocation wrongly
// read as none would be a stop lost, the other mistake only holds back
// messages. A host that gets true records a withdrawal or an objection
// ([Record]) for the channels the reply concerns; any other reasonable
// means (a call, an e-mail, a form) is recorded the same way, by the host.
func IsRevocationReply(reply string) bool {
	s := norm.NFKC.String(reply)
	prevOpt := false
	for w := range strings.FieldsFuncSeq(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if prevOpt && strings.EqualFold(w, "out") {
			return true
		}
		for _, k := range revocationWords {
			if strings.EqualFold(w, k) {
				return true
			}
		}
		prevOpt = strings.EqualFold(w, "opt")
	}
	return false
}
