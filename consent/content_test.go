package consent_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
)

func TestContentJSON(t *testing.T) {
	tests := []struct {
		in      string
		want    consent.Content
		wantErr error
	}{
		{`[]`, 0, nil},
		{`["promotional_body"]`, consent.PromotionalBody, nil},
		{`["rating_request","promotional_subject"]`, consent.RatingRequest | consent.PromotionalSubject, nil},
		{`["rating_request","rating_request"]`, consent.RatingRequest, nil},
		{`["transactional_not_first"]`, consent.TransactionalNotFirst, nil},
		{`["transactional_not_first","promotional_body"]`, consent.TransactionalNotFirst | consent.PromotionalBody, nil},
		{`["Transactional_Not_First"]`, 0, consent.ErrUnknownValue},
		{`["promotional"]`, 0, consent.ErrUnknownValue},
		{`["Promotional_Body"]`, 0, consent.ErrUnknownValue},
		{`"promotional_body"`, 0, consent.ErrInvalid},
		{`[1]`, 0, consent.ErrInvalid},
	}
	for _, tt := range tests {
		var got consent.Content
		err := json.Unmarshal([]byte(tt.in), &got)
		if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
			t.Errorf("Unmarshal(%s) error = %v, want %v", tt.in, err, tt.wantErr)
			continue
		}
		if got != tt.want {
			t.Errorf("Unmarshal(%s) = %v, want %v", tt.in, got, tt.want)
		}
	}
	all := consent.PromotionalBody | consent.PromotionalSubject | consent.RatingRequest | consent.TransactionalNotFirst
	b, err := json.Marshal(all)
	if err != nil || string(b) != `["promotional_body","promotional_subject","rating_request","transactional_not_first"]` {
		t.Errorf("Marshal(all) = %s, %v", b, err)
	}
	if b, err := json.Marshal(consent.Content(0)); err != nil || string(b) != `[]` {
		t.Errorf("Marshal(0) = %s, %v", b, err)
	}
	if _, err := json.Marshal(consent.Content(1 << 7)); !errors.Is(err, consent.ErrUnknownValue) {
		t.Errorf("Marshal(invalid) error = %v, want ErrUnknownValue", err)
	}
	if !all.Has(consent.PromotionalBody|consent.RatingRequest) || consent.RatingRequest.Has(consent.PromotionalBody) || consent.Content(0).Has(0) {
		t.Error("Has disagrees with the markers")
	}
}

func TestMessageContent(t *testing.T) {
	var m consent.Message
	in := `{"purpose":"transactional","channel":"email","content":["promotional_body"],
		"sender":{"entity":"Maison Exemple SAS","kind":"company"},"at":"2026-03-10T10:00:00Z"}`
	if err := json.Unmarshal([]byte(in), &m); err != nil {
		t.Fatal(err)
	}
	if m.Content != consent.PromotionalBody {
		t.Errorf("Content = %v, want promotional_body", m.Content)
	}
	for _, c := range []consent.Content{consent.TransactionalNotFirst, consent.TransactionalNotFirst | consent.PromotionalSubject} {
		m := m
		m.Content = c
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		var back consent.Message
		if err := json.Unmarshal(b, &back); err != nil || back.Content != c {
			t.Errorf("round trip of content %v: %v, %v", c, back.Content, err)
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var back consent.Message
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(m, back, cmpopts.EquateComparable(address.Country{})); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
	m.Content = 1 << 6 // beyond the markers
	if err := m.Check(); !errors.Is(err, consent.ErrUnknownValue) {
		t.Errorf("Check() with an undefined marker = %v, want ErrUnknownValue", err)
	}
}

// FuzzContentJSON: whatever decodes re-encodes to the same markers.
func FuzzContentJSON(f *testing.F) {
	for _, s := range []string{`[]`, `["promotional_body"]`, `["rating_request","promotional_subject"]`, `["transactional_not_first"]`, `["x"]`, `null`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var c consent.Content
		if err := json.Unmarshal([]byte(in), &c); err != nil {
			return
		}
		b, err := json.Marshal(c) // an invalid Content does not encode
		if err != nil {
			t.Fatalf("json.Marshal of Content %d decoded from %q: %v", c, in, err)
		}
		var back consent.Content
		if err := json.Unmarshal(b, &back); err != nil || back != c {
			t.Fatalf("round trip of %q: %v, %v", in, back, err)
		}
	})
}
