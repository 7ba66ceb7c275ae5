package fielderr_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/internal/fielderr"
)

func TestText(t *testing.T) {
	addr := fielderr.InvalidIn("address", "", "not an e-mail address").(*fielderr.FieldError)
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"consent, a field", fielderr.Invalid("records[1].channel", "a grant names one channel"),
			"consent: records[1].channel: a grant names one channel"},
		{"consent, no field", &fielderr.FieldError{Err: fielderr.ErrTooLarge()}, "consent: too large"},
		{"no condition", &fielderr.FieldError{Field: "id"}, "consent: id: invalid"},
		{"an address alone", addr, "address: not an e-mail address"},
		// An address error re-rooted in a contact is the contact's.
		{"an address in a contact", fielderr.WithField(addr, "contact.email"), "consent: contact.email: not an e-mail address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.err.Error()); diff != "" {
				t.Errorf("Error() mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if !errors.Is(addr, fielderr.ErrInvalid()) || addr.Field != "" {
		t.Errorf("InvalidIn = %#v, want ErrInvalid and no field", addr)
	}
	if c := fielderr.WithField(addr, "x"); addr.Field != "" || c.Field != "x" || !errors.Is(c, fielderr.ErrInvalid()) {
		t.Errorf("WithField changed its argument or lost the condition: %#v, %#v", addr, c)
	}
}
