// Package campaign reads the message of a campaign from a command line:
// the flags examples/audit and examples/beam share (-campaign, a file
// holding the message in its documented JSON form, and one flag per
// field: -purpose, -channel, -sender, -sender-kind, -sender-country, -at,
// -category), merged and validated as [consent.Message] decodes them.
//
// The examples import it across their own modules (the toolchain allows
// it: their import paths are under this module's). A copy of an example
// outside this module keeps the package by copying it beside the example.
package campaign

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/sendright/sendright/consent"
)

// ErrUsage marks an error of the command line, such as a campaign
// without its send instant.
var ErrUsage = errors.New("usage")

// fields are the message's flags: name, usage.
var fields = [...]struct{ name, usage string }{
	{"purpose", "the campaign's purpose, e.g. marketing_general"},
	{"channel", "the channel, e.g. email"},
	{"sender", "the sending entity"},
	{"sender-kind", "the sender's kind, e.g. company"},
	{"sender-country", "the sender's country code"},
	{"at", "the send instant, RFC 3339"},
	{"category", "the product category promoted"},
}

// Flags are the campaign's flags once parsed. The zero Flags is empty;
// [Flags.Register] defines the flags that fill it.
type Flags struct {
	// File is the -campaign file, or "" when none.
	File string
	set  map[string]string // the fields given as flags, by flag name
}

// Register defines -campaign and the message's flags on fs.
func (f *Flags) Register(fs *flag.FlagSet) {
	fs.StringVar(&f.File, "campaign", "", "a JSON file holding the message (its documented JSON form); flags override its fields")
	for _, fl := range fields {
		fs.Func(fl.name, fl.usage, func(v string) error { f.Set(fl.name, v); return nil })
	}
}

// Set gives the field of the flag named name (without its dash) the
// value v, as the flag does.
func (f *Flags) Set(name, v string) {
	if f.set == nil {
		f.set = map[string]string{}
	}
	f.set[name] = v
}

// Message builds the campaign's message: the -campaign file's, decoded
// strictly (a duplicate or misspelt key is an error), with the fields
// given as flags replacing its own; the result is decoded as a
// [consent.Message] (so validated) and returned with its JSON form. A
// message without a send instant is an error wrapping [ErrUsage].
func (f *Flags) Message() (consent.Message, []byte, error) {
	doc := map[string]any{}
	if f.File != "" {
		b, err := os.ReadFile(f.File)
		if err != nil {
			return consent.Message{}, nil, err
		}
		var m consent.Message // strict decoding first: duplicate or misspelt keys are errors
		if err := json.Unmarshal(b, &m); err != nil {
			return consent.Message{}, nil, fmt.Errorf("campaign %s: %w", f.File, err)
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			return consent.Message{}, nil, err
		}
	}
	sender, _ := doc["sender"].(map[string]any)
	if sender == nil {
		sender = map[string]any{}
	}
	for name, v := range f.set {
		switch name {
		case "sender":
			sender["entity"] = v
		case "sender-kind":
			sender["kind"] = v
		case "sender-country":
			sender["country"] = v
		default:
			doc[name] = v
		}
	}
	if len(sender) > 0 {
		doc["sender"] = sender
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return consent.Message{}, nil, err
	}
	var m consent.Message
	if err := json.Unmarshal(b, &m); err != nil {
		return consent.Message{}, nil, fmt.Errorf("campaign: %w", err)
	}
	if m.At.IsZero() {
		return consent.Message{}, nil, fmt.Errorf("%w: the campaign needs a send instant (-at)", ErrUsage)
	}
	return m, b, nil
}
