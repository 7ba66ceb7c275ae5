package calls_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/consent/calls"
)

func TestRegistryText(t *testing.T) {
	for r, want := range map[calls.Registry]string{calls.Bloctel: "bloctel", calls.DNCM: "dncm",
		calls.TPS: "tps", calls.CTPS: "ctps", calls.RPO: "rpo", calls.NDD: "ndd", calls.Robinson: "robinson",
		calls.DNCR: "dncr", calls.DNCL: "dncl", calls.USDNC: "us_dnc", calls.StopPublicidad: "stop_publicidad",
		calls.USFLDNC: "us_fl_dnc"} {
		b, err := r.MarshalText()
		if err != nil || string(b) != want || r.String() != want {
			t.Errorf("MarshalText(%d) = %q, %v; want %q", r, b, err, want)
		}
		var back calls.Registry
		if err := back.UnmarshalText(b); err != nil || back != r {
			t.Errorf("UnmarshalText(%q) = %v, %v", b, back, err)
		}
	}
	for _, bad := range []string{"", "TPS", "Robinson", "lista_robinson", "DNCR", "dnc_register"} {
		var r calls.Registry
		if err := r.UnmarshalText([]byte(bad)); !errors.Is(err, consent.ErrUnknownValue) {
			t.Errorf("UnmarshalText(%q) error = %v, want ErrUnknownValue", bad, err)
		}
	}
}

func TestRegistryCheckJSON(t *testing.T) {
	checked := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	want := calls.RegistryCheck{Registry: calls.TPS, Number: address.MustParsePhone("+447700900123", address.Country{}),
		Listed: true, ListedSince: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), CheckedAt: checked}
	const doc = `{"registry":"tps","number":"+447700900123","listed":true,"listed_since":"2026-01-05T00:00:00Z","checked_at":"2026-03-01T08:00:00Z"}`
	var got calls.RegistryCheck
	if err := json.Unmarshal([]byte(doc), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b address.Address) bool { return a == b })); diff != "" {
		t.Errorf("decoded check mismatch (-want +got):\n%s", diff)
	}
	b, err := json.Marshal(want)
	if err != nil || string(b) != doc {
		t.Errorf("Marshal = %s, %v; want %s", b, err, doc)
	}
	for _, tc := range []struct {
		doc, field string
		want       error
	}{
		{`{"registry":"tps","number":"07700 900123","checked_at":"2026-03-01T08:00:00Z"}`, "number", consent.ErrInvalid},
		{`{"registry":"tps","number":"oliver@example.com","checked_at":"2026-03-01T08:00:00Z"}`, "number", consent.ErrInvalid},
		{`{"registry":"tps","checked_at":"2026-03-01T08:00:00Z"}`, "number", consent.ErrMissing},
		{`{"registry":"robinson","number":"push:tok-1","checked_at":"2026-03-01T08:00:00Z"}`, "number", consent.ErrInvalid},
		{`{"registry":"robinson","number":"not an address","checked_at":"2026-03-01T08:00:00Z"}`, "number", consent.ErrInvalid},
		{`{"registry":"tps","number":"+447700900123"}`, "checked_at", consent.ErrMissing},
		{`{"number":"+447700900123","checked_at":"2026-03-01T08:00:00Z"}`, "registry", consent.ErrUnknownValue},
		{`{"registry":"tps","number":"+447700900123","listed_since":"2026-01-05T00:00:00Z","checked_at":"2026-03-01T08:00:00Z"}`,
			"listed_since", consent.ErrInvalid},
		{`{"registry":"tps","number":"+447700900123","listed":true,"listed_since":"2026-03-02T00:00:00Z","checked_at":"2026-03-01T08:00:00Z"}`,
			"listed_since", consent.ErrInvalid},
		{`{"registry":"tps","number":"+447700900123","checked_at":"2026-03-01T08:00:00Z","listed":false,"listed":true}`,
			"listed", consent.ErrDuplicateKey},
		{`{"registry":"tps","number":"+447700900123","checked_at":"2026-03-01T08:00:00Z","Listed":true}`,
			"Listed", consent.ErrUnknownField},
	} {
		var c calls.RegistryCheck
		err := json.Unmarshal([]byte(tc.doc), &c)
		var fe *consent.FieldError
		if !errors.Is(err, tc.want) || !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("Unmarshal(%s) error = %v, want a *FieldError naming %s wrapping %v", tc.doc, err, tc.field, tc.want)
		}
		if c != (calls.RegistryCheck{}) {
			t.Errorf("Unmarshal(%s) left %+v on error", tc.doc, c)
		}
	}
}

// FuzzRegistryCheckJSON: a registry check either fails with a *consent.FieldError
// (or a JSON syntax error) and leaves the target alone, or is valid and
// round-trips through its JSON form.
func FuzzRegistryCheckJSON(f *testing.F) {
	f.Add([]byte(`{"registry":"tps","number":"+447700900123","listed":true,"listed_since":"2026-01-05T00:00:00Z","checked_at":"2026-03-01T08:00:00Z"}`))
	f.Add([]byte(`{"registry":"bloctel","number":"06 39 98 00 01","checked_at":"2026-03-01T08:00:00Z"}`))
	f.Add([]byte(`{"registry":"dncm","number":"+32 460 00 00 01","listed":false,"listed":true}`))
	f.Add([]byte(`{"registry":"ctps","number":"lea@example.com","checked_at":"2026-03-01T08:00:00Z"}`))
	f.Add([]byte(`{"registry":"rpo","number":"+393120000001","listed":true,"listed_since":"2025-03-01T09:00:00Z","checked_at":"2026-03-09T08:00:00Z"}`))
	f.Add([]byte(`{"registry":"RPO","number":"+393120000001","checked_at":"2026-03-09T08:00:00Z"}`))
	f.Add([]byte(`{"registry":"robinson","number":"lucia@example.es","listed":true,"checked_at":"2026-03-01T08:00:00Z"}`))
	f.Add([]byte(`{"registry":"dncr","number":"+61 491 570 006","listed":true,"listed_since":"2024-05-01T00:00:00Z","checked_at":"2026-03-01T08:00:00Z"}`))
	f.Add([]byte(`{"registry":"dncr","number":"jo@example.com.au","checked_at":"2026-03-01T08:00:00Z"}`))
	f.Add([]byte(`{"registry":"robinson","number":"Lucía Ejemplo\nCalle Mayor 1\n28013 Madrid\nES","checked_at":"2026-03-01T08:00:00Z"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var c calls.RegistryCheck
		err := json.Unmarshal(b, &c)
		if err != nil {
			var fe *consent.FieldError
			var se *json.SyntaxError
			if !errors.As(err, &fe) && !errors.As(err, &se) {
				t.Fatalf("Unmarshal(%q) error %T %v: want a *consent.FieldError", b, err, err)
			}
			if c != (calls.RegistryCheck{}) {
				t.Fatalf("Unmarshal(%q) left %+v on error", b, c)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("Unmarshal(%q) = %+v, which Validate refuses: %v", b, c, err)
		}
		out, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("Marshal(%+v) error = %v", c, err)
		}
		var back calls.RegistryCheck
		if err := json.Unmarshal(out, &back); err != nil || back.Number != c.Number || back.Registry != c.Registry ||
			back.Listed != c.Listed || !back.CheckedAt.Equal(c.CheckedAt) || !back.ListedSince.Equal(c.ListedSince) {
			t.Fatalf("round trip of %s: %+v, %v; want %+v", out, back, err, c)
		}
	})
}

// TestRegistryLists: every registry lists phone numbers; only the Robinson
// list also lists e-mail and postal addresses, and none lists push
// addresses.
func TestRegistryLists(t *testing.T) {
	type row struct{ phone, email, postal, push bool }
	for r, want := range map[calls.Registry]row{
		calls.Bloctel: {phone: true}, calls.DNCM: {phone: true}, calls.TPS: {phone: true}, calls.CTPS: {phone: true},
		calls.RPO: {phone: true}, calls.NDD: {phone: true},
		calls.Robinson:    {phone: true, email: true, postal: true},
		calls.DNCL:        {phone: true},
		calls.Registry(0): {}, calls.Registry(200): {},
	} {
		got := row{r.Lists(address.Phone), r.Lists(address.Email), r.Lists(address.Postal), r.Lists(address.Push)}
		if got != want {
			t.Errorf("%v.Lists = %+v, want %+v", r, got, want)
		}
	}
}

// TestRobinsonAddresses: a Robinson lookup may be of an e-mail or a
// postal address, and round-trips; the same text in a phone-only
// registry is refused.
func TestRobinsonAddresses(t *testing.T) {
	checked := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		doc  string
		want address.Address
	}{
		{`{"registry":"robinson","number":"lucia@example.es","listed":true,"checked_at":"2026-03-01T08:00:00Z"}`,
			address.MustParseEmail("lucia@example.es")},
		{`{"registry":"robinson","number":"Lucía Ejemplo\nCalle Mayor 1\n28013 Madrid\nES","checked_at":"2026-03-01T08:00:00Z"}`,
			address.MustParsePostal([]string{"Lucía Ejemplo", "Calle Mayor 1", "28013 Madrid"}, address.MustCountry("ES"))},
		{`{"registry":"robinson","number":"+34600555001","checked_at":"2026-03-01T08:00:00Z"}`,
			address.MustParsePhone("+34600555001", address.Country{})},
	} {
		var got calls.RegistryCheck
		if err := json.Unmarshal([]byte(tc.doc), &got); err != nil {
			t.Fatalf("Unmarshal(%s) = %v", tc.doc, err)
		}
		if !got.Number.Same(tc.want) || got.Registry != calls.Robinson || !got.CheckedAt.Equal(checked) {
			t.Errorf("Unmarshal(%s) = %+v, want number %v", tc.doc, got, tc.want)
		}
		b, err := json.Marshal(got)
		if err != nil || string(b) != tc.doc {
			t.Errorf("Marshal = %s, %v; want %s", b, err, tc.doc)
		}
	}
	for _, doc := range []string{`{"registry":"tps","number":"lucia@example.es","checked_at":"2026-03-01T08:00:00Z"}`,
		`{"registry":"bloctel","number":"A\nB\nFR","checked_at":"2026-03-01T08:00:00Z"}`} {
		var c calls.RegistryCheck
		err := json.Unmarshal([]byte(doc), &c)
		var fe *consent.FieldError
		if !errors.Is(err, consent.ErrInvalid) || !errors.As(err, &fe) || fe.Field != "number" {
			t.Errorf("Unmarshal(%s) error = %v, want an invalid number", doc, err)
		}
	}
}
