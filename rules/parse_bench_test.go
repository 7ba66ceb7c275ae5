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
// 10,000 rules. Parsing is linear: the 10,000-rule time is about ten times
// the 1,000-rule time (at most 12 times). Besides the wall-clock time it
// reports the process's CPU time per file (cpu-ns/op, garbage collection
// included), steadier on a loaded machine.
func BenchmarkParse(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		data := generatedSet(n)
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			cpu := processCPU()
			for b.Loop() {
				s, err := rules.Parse("house.yaml", data)
				if err != nil {
					b.Fatal(err)
				}
				if errs := rules.Check([]*rules.Set{s}); errs != nil {
					b.Fatal(errs)
				}
			}
			if cpu > 0 {
				b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
			}
		})
	}
}

// The generated files of the benchmark are valid, within the size limit,
// and positioned: every rule at its item, every character of every
// condition where the file wrote it. (Not timed: speed is measured by
// BenchmarkParse only.)
func TestParseGenerated(t *testing.T) {
	data := generatedSet(10000)
	if len(data) > rules.MaxFileSize {
		t.Fatalf("generated file of %d bytes, over the limit", len(data))
	}
	s := mustParse(t, "house.yaml", string(data))
	if len(s.Rules) != 10000 {
		t.Fatalf("%d rules, want 10000", len(s.Rules))
	}
	if errs := rules.Check([]*rules.Set{s}); errs != nil {
		t.Fatal(errs)
	}
	lines := strings.Split(string(data), "\n")
	for i := range s.Rules {
		r := &s.Rules[i]
		p := r.Position()
		line := ""
		if p.Line >= 1 && p.Line <= len(lines) {
			line = lines[p.Line-1]
		}
		block, flow := line == fmt.Sprintf("- id: H%d", i), strings.HasPrefix(line, fmt.Sprintf("- {id: H%d,", i))
		if p.Column != 3 || i%4 == 2 && !flow || i%4 != 2 && !block {
			t.Fatalf("rule %s at %v: %q", r.ID, p, line)
		}
		if i < 8 || i >= 9992 {
			checkConditionPositions(t, string(data), r, true)
		}
	}
}
