package consent_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
)

// Fictional addresses of a Dutch organisation that published them for
// offers (Telecommunicatiewet art. 11.7).
const (
	inkoopMail = "inkoop@voorbeeld-bv.example"
	inkoopTel  = "+31205550101" // Amsterdam, a fictional 555 range
)

func publishedContactJSON() map[string]any {
	return map[string]any{
		"id":                      "c-nl-1",
		"kind":                    "business_generic",
		"country":                 "NL",
		"time_zone":               "Europe/Amsterdam",
		"email":                   " Inkoop@Voorbeeld-BV.example ",
		"phone":                   "020 555 0101",
		"published_for_marketing": []any{"INKOOP@voorbeeld-bv.example", "020-5550101"},
		"records":                 []any{},
	}
}

// TestContactPublishedForMarketing: published addresses decode with the
// contact's country (a national number), compare like the contact's own,
// survive a JSON round trip and pass Check.
func TestContactPublishedForMarketing(t *testing.T) {
	var got consent.Contact
	if err := json.Unmarshal(mustJSON(t, publishedContactJSON()), &got); err != nil {
		t.Fatalf("json.Unmarshal() error = %v", err)
	}
	want := []address.Address{addr(inkoopMail), addr(inkoopTel)}
	if len(got.PublishedForMarketing) != len(want) {
		t.Fatalf("PublishedForMarketing = %v, want %v", got.PublishedForMarketing, want)
	}
	for i, a := range want {
		if !got.PublishedForMarketing[i].Same(a) {
			t.Errorf("PublishedForMarketing[%d] = %v, want the same address as %v", i, got.PublishedForMarketing[i], a)
		}
	}
	if !got.PublishedForMarketing[0].Same(got.Email) || !got.PublishedForMarketing[1].Same(got.Phone) {
		t.Errorf("published addresses %v are not the contact's own (%v, %v)", got.PublishedForMarketing, got.Email, got.Phone)
	}
	if err := got.Check(); err != nil {
		t.Errorf("Check() error = %v", err)
	}
	b := mustJSON(t, got)
	if !strings.Contains(string(b), `"published_for_marketing":[`) {
		t.Errorf("encoded contact %s lacks published_for_marketing", b)
	}
	var back consent.Contact
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("json.Unmarshal(%s) error = %v", b, err)
	}
	if diff := cmp.Diff(got, back, contactOpts); diff != "" {
		t.Errorf("round trip mismatch (-first +second):\n%s", diff)
	}
	none := mustJSON(t, consent.Contact{ID: "c-1", Kind: consent.BusinessGeneric, Country: address.MustCountry("NL"),
		Location: mustLocation("Europe/Amsterdam")})
	if strings.Contains(string(none), "published_for_marketing") {
		t.Errorf("a contact with no published address encodes the field: %s", none)
	}
}

func TestContactPublishedForMarketingErrors(t *testing.T) {
	tests := []struct {
		name      string
		mod       func(m map[string]any)
		wantField string
		wantErr   error
	}{
		{"a consumer's address", func(m map[string]any) { m["kind"] = "consumer" },
			"contact.published_for_marketing", consent.ErrInvalid},
		{"a sole trader's address: a natural person publishes none for that purpose", func(m map[string]any) { m["kind"] = "sole_trader" },
			"contact.published_for_marketing", consent.ErrInvalid},
		{"a push address", func(m map[string]any) {
			m["published_for_marketing"] = []any{"push:com.example.shop/inst-1"}
		}, "contact.published_for_marketing[0]", consent.ErrInvalid},
		{"a postal address", func(m map[string]any) {
			m["published_for_marketing"] = []any{inkoopMail, "Voorbeeld BV\nDamrak 1\n1012 LG Amsterdam\nNL"}
		}, "contact.published_for_marketing[1]", consent.ErrInvalid},
		{"a malformed number", func(m map[string]any) { m["published_for_marketing"] = []any{"020 55"} },
			"contact.published_for_marketing[0]", consent.ErrInvalid},
		{"an empty string", func(m map[string]any) { m["published_for_marketing"] = []any{""} },
			"contact.published_for_marketing[0]", nil},
		{"a channel name", func(m map[string]any) { m["published_for_marketing"] = []any{"email"} },
			"contact.published_for_marketing[0]", nil},
		{"not a list", func(m map[string]any) { m["published_for_marketing"] = inkoopMail }, "", consent.ErrInvalid},
		{"too many", func(m map[string]any) {
			l := make([]any, 33)
			for i := range l {
				l[i] = inkoopMail
			}
			m["published_for_marketing"] = l
		}, "contact.published_for_marketing", consent.ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := publishedContactJSON()
			tt.mod(m)
			got := consent.Contact{ID: "untouched"}
			err := json.Unmarshal(mustJSON(t, m), &got)
			if err == nil {
				t.Fatalf("json.Unmarshal() decoded %+v, want an error", got)
			}
			if tt.wantErr != nil {
				checkFieldError(t, err, tt.wantField, tt.wantErr)
			} else if fe, ok := err.(*consent.FieldError); !ok || fe.Field != tt.wantField {
				t.Errorf("json.Unmarshal() error = %v, want a *FieldError at %s", err, tt.wantField)
			}
			if got.ID != "untouched" {
				t.Errorf("a failed decode changed the contact: %+v", got)
			}
		})
	}
}

// TestContactCheckPublished: Check, which every decision runs, refuses
// published addresses a contact built in Go cannot have.
func TestContactCheckPublished(t *testing.T) {
	base := func() consent.Contact {
		return consent.Contact{ID: "c-1", Kind: consent.BusinessNamed, Country: address.MustCountry("NL"),
			Location: mustLocation("Europe/Amsterdam"), PublishedForMarketing: []address.Address{addr(inkoopMail)}}
	}
	tests := []struct {
		name      string
		mod       func(c *consent.Contact)
		wantField string
		wantErr   error
	}{
		{"a named business address", func(c *consent.Contact) {}, "", nil},
		{"a generic business number", func(c *consent.Contact) {
			c.Kind, c.PublishedForMarketing = consent.BusinessGeneric, []address.Address{addr(inkoopTel)}
		}, "", nil},
		{"a consumer", func(c *consent.Contact) { c.Kind = consent.Consumer }, "contact.published_for_marketing", consent.ErrInvalid},
		{"a sole trader", func(c *consent.Contact) { c.Kind = consent.SoleTrader }, "contact.published_for_marketing", consent.ErrInvalid},
		{"the zero address", func(c *consent.Contact) { c.PublishedForMarketing = append(c.PublishedForMarketing, address.Address{}) },
			"contact.published_for_marketing[1]", consent.ErrMissing},
		{"a push address", func(c *consent.Contact) {
			c.PublishedForMarketing = []address.Address{address.MustParsePush("push:com.example.shop/inst-1")}
		}, "contact.published_for_marketing[0]", consent.ErrInvalid},
		{"too many", func(c *consent.Contact) { c.PublishedForMarketing = make([]address.Address, 33) },
			"contact.published_for_marketing", consent.ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base()
			tt.mod(&c)
			err := c.Check()
			if tt.wantErr == nil {
				if err != nil {
					t.Errorf("Check() error = %v, want nil", err)
				}
				return
			}
			checkFieldError(t, err, tt.wantField, tt.wantErr)
		})
	}
}
