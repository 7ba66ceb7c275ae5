//go:build unix

package eligibility_test

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the process has used, user and system, or 0
// when it cannot be read. Benchmarks report it beside the wall-clock time,
// which on a loaded machine measures the other processes as well.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
