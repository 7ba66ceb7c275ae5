package rules_test

import (
	"testing"

	"github.com/sendright/sendright/rules"
)

// Builtin returns fresh copies: changing one does not change the next.
func TestBuiltinFreshCopies(t *testing.T) {
	a, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	a[0].Rules[0].Citation = "changed"
	a[0].Jurisdiction = "changed"
	b, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if b[0].Rules[0].Citation == "changed" || b[0].Jurisdiction == "changed" {
		t.Error("Builtin returned a set shared with an earlier call")
	}
}
