package calls_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/calls"
)

const shop = "Maison Exemple SAS"

func TestOutcomeText(t *testing.T) {
	for o, want := range map[calls.Outcome]string{calls.NoAnswer: "no_answer", calls.Answered: "answered", calls.Refused: "refused"} {
		b, err := o.MarshalText()
		if err != nil || string(b) != want || o.String() != want {
			t.Errorf("MarshalText(%d) = %q, %v; want %q", o, b, err, want)
		}
		var back calls.Outcome
		if err := back.UnmarshalText(b); err != nil || back != o {
			t.Errorf("UnmarshalText(%q) = %v, %v", b, back, err)
		}
	}
	for _, bad := range []string{"", "Refused", "busy"} {
		var o calls.Outcome
		if err := o.UnmarshalText([]byte(bad)); !errors.Is(err, consent.ErrUnknownValue) || o != 0 {
			t.Errorf("UnmarshalText(%q) = %v, %v; want ErrUnknownValue", bad, o, err)
		}
	}
	if _, err := calls.Outcome(0).MarshalText(); !errors.Is(err, consent.ErrUnknownValue) {
		t.Errorf("MarshalText(0) error = %v, want ErrUnknownValue", err)
	}
}

// TestChannelText: a call's channel has exactly the text forms of the
// consent channels of the same names, and no other channel parses.
func TestChannelText(t *testing.T) {
	for c, want := range map[calls.Channel]consent.Channel{calls.VoiceLive: consent.VoiceLive,
		calls.VoiceAutomated: consent.VoiceAutomated} {
		b, err := c.MarshalText()
		if err != nil || string(b) != want.String() || c.String() != want.String() {
			t.Errorf("MarshalText(%d) = %q, %v; want %q", c, b, err, want)
		}
		var back calls.Channel
		if err := back.UnmarshalText(b); err != nil || back != c {
			t.Errorf("UnmarshalText(%q) = %v, %v", b, back, err)
		}
	}
	for _, bad := range []string{"", "sms", "email", "push", "post", "all", "Voice_Live", "voice_live "} {
		var c calls.Channel
		if err := c.UnmarshalText([]byte(bad)); !errors.Is(err, consent.ErrUnknownValue) || c != 0 {
			t.Errorf("UnmarshalText(%q) = %v, %v; want ErrUnknownValue", bad, c, err)
		}
	}
	if _, err := calls.Channel(3).MarshalText(); !errors.Is(err, consent.ErrUnknownValue) {
		t.Errorf("MarshalText(3) error = %v, want ErrUnknownValue", err)
	}
}

func TestAttemptJSON(t *testing.T) {
	want := calls.Attempt{At: time.Date(2026, 3, 2, 10, 15, 0, 0, time.UTC), Channel: calls.VoiceAutomated, Sender: shop,
		Outcome: calls.NoAnswer}
	const doc = `{"at":"2026-03-02T10:15:00Z","channel":"voice_automated","sender":"Maison Exemple SAS","outcome":"no_answer"}`
	var got calls.Attempt
	if err := json.Unmarshal([]byte(doc), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decoded attempt mismatch (-want +got):\n%s", diff)
	}
	if b, err := json.Marshal(want); err != nil || string(b) != doc {
		t.Errorf("encoded %s, %v; want %s", b, err, doc)
	}
	for _, tc := range []struct {
		doc, field string
		want       error
	}{
		{`{"at":"2026-03-02T10:15:00Z","channel":"fax","sender":"S","outcome":"answered"}`, "channel", consent.ErrUnknownValue},
		{`{"at":"2026-03-02T10:15:00Z","channel":"sms","sender":"S","outcome":"answered"}`, "channel", consent.ErrUnknownValue},
		{`{"at":"2026-03-02T10:15:00Z","channel":"all","sender":"S","outcome":"answered"}`, "channel", consent.ErrUnknownValue},
		{`{"at":"2026-03-02T10:15:00Z","channel":"voice_live","sender":"S","outcome":"answered","Outcome":"refused"}`, "Outcome",
			consent.ErrUnknownField},
		{`{"at":"2026-03-02T10:15:00Z","channel":"voice_live","sender":"S","outcome":"answered","outcome":"refused"}`, "outcome",
			consent.ErrDuplicateKey},
		{`{"at":"2026-03-02T10:15:00Z","channel":"voice_live","sender":"S","outcome":"hung_up"}`, "outcome", consent.ErrUnknownValue},
	} {
		var a calls.Attempt
		err := json.Unmarshal([]byte(tc.doc), &a)
		var fe *consent.FieldError
		if !errors.Is(err, tc.want) || !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("Unmarshal(%s) error = %v, want a *FieldError naming %s wrapping %v", tc.doc, err, tc.field, tc.want)
		}
		if a != (calls.Attempt{}) {
			t.Errorf("Unmarshal(%s) left %+v on error", tc.doc, a)
		}
	}
	big := `{"at":"2026-03-02T10:15:00Z","channel":"voice_live","sender":"` + strings.Repeat("S", 5000) + `","outcome":"answered"}`
	if err := json.Unmarshal([]byte(big), new(calls.Attempt)); !errors.Is(err, consent.ErrTooLarge) {
		t.Errorf("Unmarshal(5 kB attempt) error = %v, want ErrTooLarge", err)
	}
}

func TestAttemptValidate(t *testing.T) {
	valid := calls.Attempt{At: time.Date(2026, 3, 2, 10, 15, 0, 0, time.UTC), Channel: calls.VoiceLive, Sender: shop,
		Outcome: calls.Refused}
	if err := valid.Validate(); err != nil {
		t.Fatalf("Validate(%+v) = %v", valid, err)
	}
	for _, tc := range []struct {
		name  string
		mod   func(*calls.Attempt)
		field string
		want  error
	}{
		{"no instant", func(a *calls.Attempt) { a.At = time.Time{} }, "at", consent.ErrMissing},
		{"zero channel", func(a *calls.Attempt) { a.Channel = 0 }, "channel", consent.ErrUnknownValue},
		{"channel outside the vocabulary", func(a *calls.Attempt) { a.Channel = 9 }, "channel", consent.ErrUnknownValue},
		{"no sender", func(a *calls.Attempt) { a.Sender = "" }, "sender", consent.ErrMissing},
		{"sender too long", func(a *calls.Attempt) { a.Sender = strings.Repeat("S", 257) }, "sender", consent.ErrTooLarge},
		{"sender naming no entity", func(a *calls.Attempt) { a.Sender = " - " }, "sender", consent.ErrInvalid},
		{"zero outcome", func(a *calls.Attempt) { a.Outcome = 0 }, "outcome", consent.ErrUnknownValue},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := valid
			tc.mod(&a)
			err := a.Validate()
			var fe *consent.FieldError
			if !errors.Is(err, tc.want) || !errors.As(err, &fe) || fe.Field != tc.field {
				t.Errorf("Validate() = %v, want a *FieldError naming %s wrapping %v", err, tc.field, tc.want)
			}
		})
	}
}

// FuzzAttemptJSON: an attempt either fails with a *consent.FieldError (or
// a JSON syntax error) and leaves the target alone, or round-trips through
// its JSON form; one that validates has a call's channel.
func FuzzAttemptJSON(f *testing.F) {
	f.Add([]byte(`{"at":"2026-03-02T10:15:00Z","channel":"voice_live","sender":"Maison Exemple SAS","outcome":"refused"}`))
	f.Add([]byte(`{"at":"2026-03-02T10:15:00Z","channel":"voice_automated","sender":" - ","outcome":"no_answer"}`))
	f.Add([]byte(`{"at":"2026-03-02T10:15:00Z","channel":"sms","sender":"S","outcome":"answered"}`))
	f.Add([]byte(`{"channel":"voice_live","channel":"voice_live"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var a calls.Attempt
		err := json.Unmarshal(b, &a)
		if err != nil {
			var fe *consent.FieldError
			var se *json.SyntaxError
			if !errors.As(err, &fe) && !errors.As(err, &se) {
				t.Fatalf("Unmarshal(%q) error %T %v: want a *consent.FieldError", b, err, err)
			}
			if a != (calls.Attempt{}) {
				t.Fatalf("Unmarshal(%q) left %+v on error", b, a)
			}
			return
		}
		if a.Validate() != nil {
			return
		}
		if a.Channel != calls.VoiceLive && a.Channel != calls.VoiceAutomated {
			t.Fatalf("Unmarshal(%q) = %+v: a valid attempt on a channel that is not a call", b, a)
		}
		out, err := json.Marshal(a)
		if err != nil {
			t.Fatalf("Marshal(%+v) error = %v", a, err)
		}
		var back calls.Attempt
		if err := json.Unmarshal(out, &back); err != nil || !back.At.Equal(a.At) || back.Channel != a.Channel ||
			back.Sender != a.Sender || back.Outcome != a.Outcome {
			t.Fatalf("round trip of %s: %+v, %v; want %+v", out, back, err, a)
		}
	})
}

// FuzzParseText: a text form either parses and round-trips through
// String and MarshalText, or fails with consent.ErrUnknownValue leaving
// the target zero.
func FuzzParseText(f *testing.F) {
	for _, s := range []string{"", "no_answer", "answered", "refused", "Answered", "voice_live", "voice_automated", "sms",
		"all", "bloctel", "dncm", "tps", "ctps", "rpo", "ndd", "NDD", "TPS", "robinson", "invalid(0)", "\x00", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkParse[calls.Outcome](t, s)
		checkParse[calls.Channel](t, s)
		checkParse[calls.Registry](t, s)
	})
}

type textual interface {
	~uint8
	String() string
	MarshalText() ([]byte, error)
}

func checkParse[T textual, P interface {
	*T
	UnmarshalText([]byte) error
}](t *testing.T, s string) {
	t.Helper()
	var v T
	if err := P(&v).UnmarshalText([]byte(s)); err != nil {
		if !errors.Is(err, consent.ErrUnknownValue) || v != 0 {
			t.Errorf("%T.UnmarshalText(%q) = %v, %v; want zero and ErrUnknownValue", v, s, v, err)
		}
		return
	}
	if v.String() != s {
		t.Errorf("%T.UnmarshalText(%q) = %v, whose String() differs", v, s, v)
	}
	if b, err := v.MarshalText(); err != nil || string(b) != s {
		t.Errorf("%T(%q).MarshalText() = %q, %v", v, s, b, err)
	}
}
