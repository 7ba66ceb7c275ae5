package eligibility

import (
	"testing"

	"github.com/sendright/sendright/rules"
)

// BenchmarkCompile compiles every built-in rule set, including the
// per-purpose and per-recipient-kind specialisation.
func BenchmarkCompile(b *testing.B) {
	sets, err := rules.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(sets, Params{}); err != nil {
			b.Fatal(err)
		}
	}
}
