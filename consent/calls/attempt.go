package calls

import (
	"time"

	"github.com/sendright/sendright/internal/canon"
	"github.com/sendright/sendright/internal/enum"
	"github.com/sendright/sendright/internal/fielderr"
	"github.com/sendright/sendright/internal/limits"
)

// Channel is how a call was made: live or automated. Its text forms are
// those of the consent channels of the same names, so that an attempt's
// JSON reads "voice_live" or "voice_automated". The zero Channel is
// invalid.
type Channel uint8

// Channels. Stored forms use the names, never the numbers. Do not reorder.
const (
	// VoiceLive is a call by a person (consent.VoiceLive).
	VoiceLive Channel = iota + 1
	// VoiceAutomated is a call by an automated calling system, without
	// human intervention (consent.VoiceAutomated).
	VoiceAutomated
)

var channelNames = enum.New[Channel]("calls", "channel", "", "voice_live", "voice_automated")

// String returns the text form, e.g. "voice_live".
func (c Channel) String() string { return channelNames.String(c) }

// MarshalText implements encoding.TextMarshaler; the zero Channel is an
// error.
func (c Channel) MarshalText() ([]byte, error) { return channelNames.Marshal(c) }

// UnmarshalText implements encoding.TextUnmarshaler; any text but
// "voice_live" and "voice_automated" is an error, the other message
// channels included: only calls are counted.
func (c *Channel) UnmarshalText(b []byte) error { return channelNames.Unmarshal(c, b) }

// Outcome is how an attempt to reach the contact ended.
type Outcome uint8

// Outcomes. Do not reorder.
const (
	NoAnswer Outcome = iota + 1 // nobody answered (voicemail, busy, no reply)
	Answered                    // the call was answered, without a refusal
	Refused                     // the person refused the offer or further calls during the call
)

var outcomeNames = enum.New[Outcome]("calls", "outcome", "", "no_answer", "answered", "refused")

// String returns the text form, e.g. "no_answer".
func (o Outcome) String() string { return outcomeNames.String(o) }

// MarshalText implements encoding.TextMarshaler; the zero Outcome is an error.
func (o Outcome) MarshalText() ([]byte, error) { return outcomeNames.Marshal(o) }

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an error.
func (o *Outcome) UnmarshalText(b []byte) error { return outcomeNames.Unmarshal(o, b) }

// Attempt is one call by a sender to the contact, as the host logged it:
// what frequency caps and cool-offs count (in France, at most four calls
// in 30 days and none for 60 days after a refusal: Décret 2022-1313). The
// host supplies the history; a contact holds at most 10,000 attempts.
// Only calls are counted: an attempt on a channel other than [VoiceLive]
// and [VoiceAutomated] is refused.
//
// A refusal during a call is not an objection: it does not stop marketing
// on other channels. A person who objects to the sender's marketing is
// recorded as a consent.Objection record, which stops it whatever the
// attempts say.
//
// JSON form:
//
//	{"at": "2026-03-02T10:15:00Z", "channel": "voice_live",
//	 "sender": "Maison Exemple SAS", "outcome": "refused"}
type Attempt struct {
	// At is when the attempt was made. Required. Attempts after the instant
	// decided do not count.
	At time.Time `json:"at"`
	// Channel is how the call was made. Required.
	Channel Channel `json:"channel"`
	// Sender is the legal entity that made (or had made) the call,
	// compared by consent.EntityKey and the policy's aliases. Required.
	Sender string `json:"sender"`
	// Outcome is how it ended. Required.
	Outcome Outcome `json:"outcome"`
}

// Validate reports what makes a unusable, as a *FieldError (see package
// consent): a missing instant, a channel that is not a call, a sender
// that is missing, too long or names no entity, or an outcome outside
// the vocabulary.
func (a *Attempt) Validate() error {
	switch {
	case a.At.IsZero():
		return &fielderr.FieldError{Field: "at", Err: fielderr.ErrMissing()}
	case !channelNames.Valid(a.Channel):
		return &fielderr.FieldError{Field: "channel", Err: channelNames.Unknown(a.Channel.String())}
	case a.Sender == "":
		return &fielderr.FieldError{Field: "sender", Err: fielderr.ErrMissing()}
	case len(a.Sender) > limits.MaxIDLen:
		return &fielderr.FieldError{Field: "sender", Err: fielderr.ErrTooLarge()}
	case !canon.HasEntityKey(a.Sender):
		return fielderr.Invalid("sender", "no letter, digit or symbol: names no entity")
	case !outcomeNames.Valid(a.Outcome):
		return &fielderr.FieldError{Field: "outcome", Err: outcomeNames.Unknown(a.Outcome.String())}
	}
	return nil
}

// UnmarshalJSON decodes an attempt strictly: keys match exactly and appear
// once, unknown keys and values (a channel that is not a call among them)
// are *FieldErrors. The attempt is validated ([Attempt.Validate]) when the
// contact holding it is.
func (a *Attempt) UnmarshalJSON(b []byte) error {
	if len(b) > maxJSON {
		return &fielderr.FieldError{Err: fielderr.ErrTooLarge(), Msg: "attempt larger than 4096 bytes"}
	}
	type plain Attempt
	var p plain
	if err := fielderr.JSON(b, &p); err != nil {
		return err
	}
	*a = Attempt(p)
	return nil
}
