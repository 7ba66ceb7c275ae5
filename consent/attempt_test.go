package consent_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
)

func TestOutcomeText(t *testing.T) {
	for o, want := range map[consent.Outcome]string{consent.NoAnswer: "no_answer", consent.Answered: "answered", consent.Refused: "refused"} {
		b, err := o.MarshalText()
		if err != nil || string(b) != want || o.String() != want {
			t.Errorf("MarshalText(%d) = %q, %v; want %q", o, b, err, want)
		}
		var back consent.Outcome
		if err := back.UnmarshalText(b); err != nil || back != o {
			t.Errorf("UnmarshalText(%q) = %v, %v", b, back, err)
		}
	}
	for _, bad := range []string{"", "Refused", "busy"} {
		var o consent.Outcome
		if err := o.UnmarshalText([]byte(bad)); !errors.Is(err, consent.ErrUnknownValue) || o != 0 {
			t.Errorf("UnmarshalText(%q) = %v, %v; want ErrUnknownValue", bad, o, err)
		}
	}
	if _, err := consent.Outcome(0).MarshalText(); !errors.Is(err, consent.ErrUnknownValue) {
		t.Errorf("MarshalText(0) error = %v, want ErrUnknownValue", err)
	}
}

func TestAttemptJSON(t *testing.T) {
	want := consent.Attempt{At: time.Date(2026, 3, 2, 10, 15, 0, 0, time.UTC), Channel: consent.VoiceAutomated, Sender: shop,
		Outcome: consent.NoAnswer}
	const doc = `{"at":"2026-03-02T10:15:00Z","channel":"voice_automated","sender":"Maison Exemple SAS","outcome":"no_answer"}`
	var got consent.Attempt
	if err := json.Unmarshal([]byte(doc), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decoded attempt mismatch (-want +got):\n%s", diff)
	}
	if b := mustJSON(t, want); string(b) != doc {
		t.Errorf("encoded %s, want %s", b, doc)
	}
	for _, tc := range []struct{ doc, field string }{
		{`{"at":"2026-03-02T10:15:00Z","channel":"fax","sender":"S","outcome":"answered"}`, "channel"},
		{`{"at":"2026-03-02T10:15:00Z","channel":"voice_live","sender":"S","outcome":"answered","Outcome":"refused"}`, "Outcome"},
		{`{"at":"2026-03-02T10:15:00Z","channel":"voice_live","sender":"S","outcome":"answered","outcome":"refused"}`, "outcome"},
	} {
		var a consent.Attempt
		err := json.Unmarshal([]byte(tc.doc), &a)
		var fe *consent.FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("Unmarshal(%s) error = %v, want a *FieldError naming %s", tc.doc, err, tc.field)
		}
	}
}

func TestContactAddressPushAndPost(t *testing.T) {
	c := validContact(t)
	for ch, want := range map[consent.Channel]string{consent.Email: c.Email.String(), consent.SMS: leaTel,
		consent.VoiceLive: leaTel, consent.VoiceAutomated: leaTel, consent.Push: "push:com.example.shop/inst-7f3a9c",
		consent.Post: "Léa Martin\n12 rue de l'Exemple\n57000 Metz\nFR", consent.AllChannels: ""} {
		if got := c.Address(ch).String(); got != want {
			t.Errorf("Address(%v) = %q, want %q", ch, got, want)
		}
	}
}
