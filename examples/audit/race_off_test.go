//go:build !race

package main

// raceEnabled says the race detector is on: long tests shorten.
const raceEnabled = false
