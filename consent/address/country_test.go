package address_test

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
)

func TestParseCountry(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // "" when an error is expected
	}{
		{"upper case", "FR", "FR"},
		{"lower case", "fr", "FR"},
		{"mixed case", "De", "DE"},
		{"surrounding space", " gb ", "GB"},
		{"UK alias", "UK", "GB"},
		{"uk alias lower case", "uk", "GB"},
		{"last code", "ZW", "ZW"},
		{"user-assigned XX", "XX", ""},
		{"European Union", "EU", ""},
		{"unknown region ZZ", "ZZ", ""},
		{"United Nations", "UN", ""},
		{"user-assigned AA", "AA", ""},
		{"numeric code", "250", ""},
		{"alpha-3 code", "FRA", ""},
		{"empty", "", ""},
		{"one letter", "F", ""},
		{"only space", "  ", ""},
		{"inner space", "F R", ""},
		{"non-ASCII", "ＦＲ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := address.ParseCountry(tt.in)
			if tt.want == "" {
				if !errors.Is(err, consent.ErrUnknownValue) {
					t.Fatalf("ParseCountry(%q) = %v, %v, want ErrUnknownValue", tt.in, got, err)
				}
				if !got.IsZero() {
					t.Errorf("ParseCountry(%q) returned %v with its error, want the zero Country", tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseCountry(%q) error = %v", tt.in, err)
			}
			if got.String() != tt.want || got.IsZero() {
				t.Errorf("ParseCountry(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got != address.MustCountry(tt.want) {
				t.Errorf("ParseCountry(%q) != MustCountry(%q)", tt.in, tt.want)
			}
		})
	}
}

func TestMustCountryPanics(t *testing.T) {
	defer func() {
		r := recover()
		err, ok := r.(error)
		if !ok || !errors.Is(err, consent.ErrUnknownValue) {
			t.Errorf("MustCountry(\"XX\") panicked with %v, want an ErrUnknownValue error", r)
		}
	}()
	address.MustCountry("XX")
}

func TestCountries(t *testing.T) {
	all := address.Countries()
	// ISO 3166-1 has 249 officially assigned alpha-2 codes.
	if len(all) != 249 {
		t.Errorf("len(Countries()) = %d, want 249", len(all))
	}
	codes := make([]string, len(all))
	for i, c := range all {
		codes[i] = c.String()
		if got, err := address.ParseCountry(c.String()); err != nil || got != c {
			t.Errorf("ParseCountry(%q) = %v, %v, want itself", c, got, err)
		}
	}
	if !slices.IsSorted(codes) {
		t.Errorf("Countries() is not sorted: %v", codes)
	}
	for _, bad := range []string{"UK", "EU", "XX", "ZZ", "UN"} {
		if slices.Contains(codes, bad) {
			t.Errorf("Countries() contains %q", bad)
		}
	}
}

func TestCountryJSON(t *testing.T) {
	type wrap struct {
		C address.Country `json:"c"`
	}
	tests := []struct {
		name    string
		in      string
		want    wrap
		wantOut string // re-encoded form
		wantErr error
	}{
		{"upper case", `{"c":"FR"}`, wrap{address.MustCountry("FR")}, `{"c":"FR"}`, nil},
		{"lower case", `{"c":"be"}`, wrap{address.MustCountry("BE")}, `{"c":"BE"}`, nil},
		{"UK alias", `{"c":"UK"}`, wrap{address.MustCountry("GB")}, `{"c":"GB"}`, nil},
		{"unknown code", `{"c":"XX"}`, wrap{}, "", consent.ErrUnknownValue},
		{"empty code", `{"c":""}`, wrap{}, "", consent.ErrUnknownValue},
		{"alpha-3", `{"c":"FRA"}`, wrap{}, "", consent.ErrUnknownValue},
	}
	cmpCountry := cmp.Comparer(func(a, b address.Country) bool { return a == b })
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got wrap
			err := json.Unmarshal([]byte(tt.in), &got)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("json.Unmarshal(%s) error = %v, want %v", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("json.Unmarshal(%s) error = %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got, cmpCountry); diff != "" {
				t.Errorf("decoded mismatch (-want +got):\n%s", diff)
			}
			out, err := json.Marshal(got)
			if err != nil {
				t.Fatalf("json.Marshal() error = %v", err)
			}
			if diff := cmp.Diff(tt.wantOut, string(out)); diff != "" {
				t.Errorf("encoded mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCountryZeroMarshal(t *testing.T) {
	var zero address.Country
	if !zero.IsZero() || zero.String() != "" {
		t.Errorf("zero Country: IsZero() = %v, String() = %q", zero.IsZero(), zero.String())
	}
	if _, err := zero.MarshalText(); !errors.Is(err, consent.ErrUnknownValue) {
		t.Errorf("zero Country MarshalText() error = %v, want ErrUnknownValue", err)
	}
	if _, err := json.Marshal(struct{ C address.Country }{}); !errors.Is(err, consent.ErrUnknownValue) {
		t.Errorf("json.Marshal(zero Country) error = %v, want ErrUnknownValue", err)
	}
}
