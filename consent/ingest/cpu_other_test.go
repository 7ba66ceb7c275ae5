//go:build !unix

package ingest_test

// cpuTime is unknown here: the CPU-time metrics read 0.
func cpuTime() int64 { return 0 }
