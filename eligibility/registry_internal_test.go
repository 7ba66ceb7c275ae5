package eligibility

import (
	"testing"

	"github.com/sendright/sendright/consent/calls"
)

// TestLastRegistryIsLast: the per-registry tables end at lastRegistry, so
// it must be the last registry package calls defines; a registry added
// there without moving it would index past the tables.
func TestLastRegistryIsLast(t *testing.T) {
	if _, err := lastRegistry.MarshalText(); err != nil {
		t.Errorf("lastRegistry %d is not a registry: %v", lastRegistry, err)
	}
	if b, err := (lastRegistry + 1).MarshalText(); err == nil {
		t.Errorf("registry %q follows lastRegistry: move lastRegistry to it", b)
	}
	var r calls.Registry
	if err := r.UnmarshalText([]byte("dncr")); err != nil || r > lastRegistry {
		t.Errorf("dncr = %d, %v; want a registry up to lastRegistry %d", r, err, lastRegistry)
	}
}
