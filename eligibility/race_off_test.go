//go:build !race

package eligibility_test

const raceEnabled = false
