package consent

import (
	"time"

	"github.com/sendright/sendright/internal/canon"
	"github.com/sendright/sendright/internal/enum"
)

// Outcome is how an attempt to reach the contact ended.
type Outcome uint8

// Outcomes. Do not reorder.
const (
	NoAnswer Outcome = iota + 1 // nobody answered (voicemail, busy, no reply)
	Answered                    // the call was answered, without a refusal
	Refused                     // the person refused the offer or further calls during the call
)

var outcomeNames = enum.New[Outcome]("consent", "outcome", "", "no_answer", "answered", "refused")

// String returns the text form, e.g. "no_answer".
func (o Outcome) String() string { return outcomeNames.String(o) }

// MarshalText implements encoding.TextMarshaler; the zero Outcome is an error.
func (o Outcome) MarshalText() ([]byte, error) { return outcomeNames.Marshal(o) }

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an error.
func (o *Outcome) UnmarshalText(b []byte) error { return outcomeNames.Unmarshal(o, b) }

// Attempt is one attempt by a sender to reach the contact, as the host
// logged it: what frequency caps and cool-offs count (in France, at most
// four calls in 30 days and none for 60 days after a refusal: Décret
// 2022-1313). The host supplies the history; a contact holds at most
// 10,000 attempts.
//
// A refusal during a call is not an objection: it does not stop marketing
// on other channels. A person who objects to the sender's marketing is
// recorded as an [Objection] record, which stops it whatever the attempts
// say.
//
// JSON form:
//
//	{"at": "2026-03-02T10:15:00Z", "channel": "voice_live",
//	 "sender": "Maison Exemple SAS", "outcome": "refused"}
type Attempt struct {
	// At is when the attempt was made. Required. Attempts after the instant
	// decided do not count.
	At time.Time `json:"at"`
	// Channel is how: [VoiceLive] and [VoiceAutomated] are calls; other
	// message channels may be logged too. Required.
	Channel Channel `json:"channel"`
	// Sender is the legal entity that made (or had made) the attempt,
	// compared by [EntityKey] and the policy's aliases. Required.
	Sender string `json:"sender"`
	// Outcome is how it ended. Required.
	Outcome Outcome `json:"outcome"`
}

// check verifies an attempt.
func (a *Attempt) check() error {
	switch {
	case a.At.IsZero():
		return missing("at")
	case !a.Channel.valid() || a.Channel == AllChannels:
		return enumErr("channel", a.Channel.String())
	case a.Sender == "":
		return missing("sender")
	case len(a.Sender) > maxIDLen:
		return &FieldError{Field: "sender", Err: ErrTooLarge}
	case !canon.HasEntityKey(a.Sender):
		return invalid("sender", "no letter, digit or symbol: names no entity")
	case !outcomeNames.Valid(a.Outcome):
		return enumErr("outcome", a.Outcome.String())
	}
	return nil
}

// UnmarshalJSON decodes an attempt strictly: keys match exactly and appear
// once, unknown keys and values are [*FieldError]s. The attempt is checked
// when the contact holding it is.
func (a *Attempt) UnmarshalJSON(b []byte) error {
	type plain Attempt
	var p plain
	if err := strictJSON(b, &p); err != nil {
		return err
	}
	*a = Attempt(p)
	return nil
}
