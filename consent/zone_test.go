package consent_test

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/sendright/sendright/consent"
)

// TestZonesShared checks that contacts naming one zone share one loaded
// zone, and that names the zone database does not know are never cached.
func TestZonesShared(t *testing.T) {
	decode := func(zone string) (consent.Contact, error) {
		var c consent.Contact
		err := json.Unmarshal([]byte(`{"id":"c","kind":"consumer","country":"FR","time_zone":"`+zone+`","records":[]}`), &c)
		return c, err
	}
	a, err := decode("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	b, err := decode("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	if a.Location != b.Location {
		t.Errorf("two contacts in Europe/Paris hold two zones (%p, %p), want one shared", a.Location, b.Location)
	}
	if a.Location.String() != "Europe/Paris" {
		t.Errorf("zone = %q, want Europe/Paris", a.Location)
	}
	n := consent.CachedZones()
	for i := range 200 {
		if _, err := decode("Mars/Crater_" + strconv.Itoa(i)); err == nil {
			t.Fatal("an unknown zone decoded")
		}
	}
	if got := consent.CachedZones(); got != n {
		t.Errorf("unknown zone names grew the cache from %d to %d zones", n, got)
	}
}

// BenchmarkDecodeZone measures decoding a small contact, its zone loaded
// once per process rather than once per contact.
func BenchmarkDecodeZone(b *testing.B) {
	doc := []byte(`{"id":"c","kind":"consumer","country":"FR","time_zone":"Europe/Paris","records":[]}`)
	b.ReportAllocs()
	for b.Loop() {
		var c consent.Contact
		if err := json.Unmarshal(doc, &c); err != nil {
			b.Fatal(err)
		}
	}
}
