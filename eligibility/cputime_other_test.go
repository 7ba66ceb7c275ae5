//go:build !unix

package eligibility_test

import "time"

// processCPU is not measured outside Unix: benchmarks report 0.
func processCPU() time.Duration { return 0 }
