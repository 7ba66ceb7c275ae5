//go:build unix

package ingest_test

import "syscall"

// cpuTime is the CPU time the process has used, user and system, in
// nanoseconds: on a loaded machine it measures work where wall-clock time
// measures the neighbours too.
func cpuTime() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
