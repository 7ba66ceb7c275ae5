package eligibility

import (
	"testing"
	"time"
)

// TestArt14Deadline: the month of GDPR art. 14(3)(a) counted by
// Regulation 1182/71 art. 3 on the recipient's dates: the day of obtaining
// not counted, the month ending with the last hour of the same date, or of
// the next month's last day.
func TestArt14Deadline(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		obtained time.Time
		loc      *time.Location
		want     time.Time
	}{
		{"a morning: late from the day after the same date", time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC), nil,
			time.Date(2026, 2, 16, 0, 0, 0, 0, time.UTC)},
		{"31 January: the month ends with February", time.Date(2026, 1, 31, 23, 0, 0, 0, time.UTC), time.UTC,
			time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
		{"31 January in a leap year", time.Date(2028, 1, 31, 8, 0, 0, 0, time.UTC), time.UTC,
			time.Date(2028, 3, 1, 0, 0, 0, 0, time.UTC)},
		{"December: the next year", time.Date(2026, 12, 20, 8, 0, 0, 0, time.UTC), time.UTC,
			time.Date(2027, 1, 21, 0, 0, 0, 0, time.UTC)},
		// 4 January 23:30 UTC is 5 January in Paris: the local date counts.
		{"the recipient's date", time.Date(2026, 1, 4, 23, 30, 0, 0, time.UTC), paris,
			time.Date(2026, 2, 6, 0, 0, 0, 0, paris)},
	} {
		if got := art14Deadline(tc.obtained, tc.loc); !got.Equal(tc.want) {
			t.Errorf("%s: art14Deadline(%v) = %v, want %v", tc.name, tc.obtained, got, tc.want)
		}
	}
}
