package consent

import "github.com/sendright/sendright/internal/limits"

// Internals the external tests (package consent_test) check directly.

const (
	MaxJSONDepth          = maxJSONDepth
	MaxTextLen            = maxTextLen
	MaxRelationshipEvents = maxRelationshipEvents
	MaxSends              = limits.MaxSends
)

func (p Purpose) Covers(q Purpose) bool { return p.covers(q) }

func (c Channel) Covers(d Channel) bool { return c.covers(d) }

func (s Status) Stops() bool { return s.stops() }

// CachedZones is how many time zones the process's zone cache holds.
func CachedZones() int { return int(zones.n.Load()) }

// CheckJSONLimits is the size and depth check every decoder runs first.
var CheckJSONLimits = checkJSONLimits
