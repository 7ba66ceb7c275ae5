package eligibility

import (
	"testing"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
)

func TestPromotional(t *testing.T) {
	tests := []struct {
		c    consent.Content
		want bool
	}{
		{0, false},
		{consent.RatingRequest, false},
		{consent.PromotionalBody, true},
		{consent.PromotionalSubject, true},
		{consent.PromotionalBody | consent.PromotionalSubject | consent.RatingRequest, true},
		{consent.PromotionalSubject | consent.RatingRequest, true},
		{consent.TransactionalNotFirst, true},
		{consent.TransactionalNotFirst | consent.RatingRequest, true},
	}
	for _, tt := range tests {
		if got := promotional(tt.c); got != tt.want {
			t.Errorf("promotional(%v) = %v, want %v", tt.c, got, tt.want)
		}
	}
}

func TestContractActive(t *testing.T) {
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	day := func(n int) time.Time { return start.AddDate(0, 0, n) }
	end := day(10)
	tests := []struct {
		name string
		k    consent.Contract
		at   time.Time
		want bool
	}{
		{"before start", consent.Contract{Start: start, End: end}, start.Add(-time.Nanosecond), false},
		{"at start", consent.Contract{Start: start, End: end}, start, true},
		{"inside", consent.Contract{Start: start, End: end}, day(5), true},
		{"just before end", consent.Contract{Start: start, End: end}, end.Add(-time.Nanosecond), true},
		{"at end (exclusive)", consent.Contract{Start: start, End: end}, end, false},
		{"open-ended", consent.Contract{Start: start}, day(5000), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := contractActive(&tt.k, tt.at); got != tt.want {
				t.Errorf("contractActive(%v) = %v, want %v", tt.at, got, tt.want)
			}
		})
	}
}

func TestCollectedFor(t *testing.T) {
	fr := address.MustCountry("FR")
	e := consent.Interaction{Collected: []address.Address{
		address.MustParseEmail("Lea.Martin@Example.com"), address.MustParsePhone("+33639980001", fr)}}
	tests := []struct {
		a    address.Address
		want bool
	}{
		{address.MustParseEmail("lea.martin@example.com"), true},
		{address.MustParseEmail(" LEA.MARTIN@example.COM"), true},
		{address.MustParsePhone("06 39 98 00 01", fr), true},
		{address.MustParseEmail("lea.martin@example.org"), false}, // another mailbox
		{address.MustParseEmail("bob.durand@example.org"), false},
		{address.MustParsePhone("+447700900123", address.Country{}), false},
		{address.Address{}, false},
	}
	for _, tt := range tests {
		if got := collectedFor(&e, tt.a); got != tt.want {
			t.Errorf("collectedFor(%q) = %v, want %v", tt.a, got, tt.want)
		}
	}
	if collectedFor(&consent.Interaction{}, address.MustParseEmail("lea.martin@example.com")) {
		t.Error("an interaction that collected nothing collected an address")
	}
}
