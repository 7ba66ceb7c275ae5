package rules_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sendright/sendright/rules"
)

// generatedSet is a rule file of n rules, compact enough for 10,000 of
// them to fit in [rules.MaxFileSize], their conditions written in the
// scalar styles rule files use: plain, literal block, single- and
// double-quoted (with an escape), and flow mappings.
func generatedSet(n int) []byte {
	var b strings.Builder
	b.WriteString("jurisdiction: FR\ntitle: Generated\nchannels: [email, sms]\nrules:\n")
	for i := range n {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "- id: H%d\n  channels: [sms]\n  effect: deny\n  reason: R%d\n  citation: P%d\n  condition: localHour()<%d\n", i, i%10, i%10, i%24)
		case 1:
			fmt.Fprintf(&b, "- id: H%d\n  channels: [all]\n  effect: deny\n  reason: R%d\n  citation: P\n  condition: |\n    localHour()>%d\n", i, i%10, i%24)
		case 2:
			fmt.Fprintf(&b, "- {id: H%d, channels: [sms], effect: deny, reason: R, citation: P, condition: 'callAttempts(%d)>1'}\n", i, i%7+1)
		case 3:
			fmt.Fprintf(&b, "- id: H%d\n  channels: [email]\n  effect: deny\n  reason: R\n  citation: P\n  condition: \"localHour()\\x3c%d\"\n", i, i%24)
		}
	}
	return []byte(b.String())
}

// BenchmarkParse parses and checks generated rule files of 1,000 and
// 10,000 rules: the time per file grows linearly with its size.
func BenchmarkParse(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		data := generatedSet(n)
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				s, err := rules.Parse("house.yaml", data)
				if err != nil {
					b.Fatal(err)
				}
				_ = rules.Check([]*rules.Set{s})
			}
		})
	}
}
