//go:build !race

package consent

const raceEnabled = false
