package consent

import (
	"strconv"
	"time"

	"github.com/sendright/sendright/internal/canon"
	"github.com/sendright/sendright/internal/limits"
)

// Send is one message sent to the contact, as the host logged it: what
// house rules on the frequency of messages count (at most one promotional
// e-mail a day: the rule language's sent(purpose, channel, days)). The
// host supplies the history, in any order; a contact holds at most 10,000
// sends. Calls are logged as attempts too (Contact.Attempts, with their
// outcome), which the legal call caps count (callAttempts); a call logged
// here is counted only by sent.
//
// JSON form:
//
//	{"at": "2026-03-02T10:15:00Z", "channel": "email",
//	 "purpose": "marketing_general", "sender": "Maison Exemple SAS"}
type Send struct {
	// At is when the message was sent. Required. Sends after the instant
	// decided do not count.
	At time.Time `json:"at"`
	// Channel is the channel it travelled by. Required; the record scope
	// "all" is no message's channel.
	Channel Channel `json:"channel"`
	// Purpose is the message's purpose as the host labelled it. Required;
	// the record scope "all_marketing" is no message's purpose.
	Purpose Purpose `json:"purpose"`
	// Sender is the legal entity that sent it, compared by [EntityKey]
	// and the policy's aliases. Required.
	Sender string `json:"sender"`
}

// Validate reports what makes s unusable, as a *FieldError naming the
// field: a missing instant, a channel that is a record scope or outside
// the vocabulary, a purpose that is a record scope or outside it,
// a sender that is missing, too long or names no entity.
func (s *Send) Validate() error {
	switch {
	case s.At.IsZero():
		return missing("at")
	case !s.Channel.valid():
		return enumErr("channel", s.Channel.String())
	case s.Channel == AllChannels:
		return invalid("channel", "a record scope, not a message's channel")
	case !s.Purpose.valid():
		return enumErr("purpose", s.Purpose.String())
	case s.Purpose == AllMarketing:
		return invalid("purpose", "a record scope, not a message's purpose")
	case s.Sender == "":
		return missing("sender")
	case len(s.Sender) > limits.MaxIDLen:
		return &FieldError{Field: "sender", Err: ErrTooLarge}
	case !canon.HasEntityKey(s.Sender):
		return invalid("sender", "no letter, digit or symbol: names no entity")
	}
	return nil
}

// UnmarshalJSON decodes a send strictly: keys match exactly and appear
// once, unknown keys and values outside the vocabularies are
// *FieldErrors. The send is validated ([Send.Validate]) when the contact
// holding it is.
func (s *Send) UnmarshalJSON(b []byte) error {
	type plain Send
	var p plain
	if err := strictJSON(b, &p); err != nil {
		return err
	}
	*s = Send(p)
	return nil
}

// checkSends validates [Contact.Sent].
func checkSends(sent []Send) error {
	if len(sent) > limits.MaxSends {
		return &FieldError{Field: "contact.sent", Err: ErrTooLarge}
	}
	for i := range sent {
		if err := sent[i].Validate(); err != nil {
			return prefix("contact.sent["+strconv.Itoa(i)+"]", err)
		}
	}
	return nil
}
