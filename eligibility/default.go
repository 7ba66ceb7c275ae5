package eligibility

import (
	"sync"

	"github.com/sendright/sendright/rules"
)

var defaultPolicy = sync.OnceValues(func() (*Policy, error) {
	sets, err := rules.Builtin()
	if err != nil {
		return nil, err
	}
	return Compile(sets, Params{})
})

// Default returns the built-in rule sets compiled with no host parameters.
// It is compiled once, on first use, and shared.
func Default() (*Policy, error) { return defaultPolicy() }
