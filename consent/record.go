package consent

import (
	"strconv"
	"time"

	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/internal/canon"
	"github.com/sendright/sendright/internal/enum"
	"github.com/sendright/sendright/internal/fielderr"
	"github.com/sendright/sendright/internal/limits"
	"github.com/sendright/sendright/internal/strictjson"
)

// Record is one event in a contact's consent history: a grant, a withdrawal
// of consent or an objection to direct marketing. A record is immutable once
// in a [Ledger]; corrections are new records.
//
// Records carry what the sender needs to prove consent (GDPR art. 7(1)): who collected it and
// for whom, channel, purpose scope, time, capture method, source, wording
// version, proof reference and double-opt-in confirmation.
//
// An id, a sender entity or a category (of a record, an interaction, a
// contract or a message) is at most 256 bytes; a record's source, wording
// version and proof reference at most 2,048. A longer value is a
// [*FieldError] wrapping [ErrTooLarge].
type Record struct {
	// ID identifies the record across every system that holds a copy; it is
	// how ledgers merge without duplicates.
	ID string `json:"id"`
	// Subject is the e-mail address or phone number the record concerns,
	// compared as by [address.Address.Same]. Required on grants: consent given for
	// one address does not follow the person to another. Optional on
	// withdrawals and objections, which apply to the contact whatever
	// address they name. Decoded inside a [Contact], a number may be in the
	// national format of the contact's country; decoded alone (a record, a
	// [Ledger]), it must be in E.164 form.
	Subject address.Address `json:"subject,omitzero"`
	// Purpose is the scope. [AllMarketing] is valid only on withdrawals and
	// objections. An objection stops every marketing purpose of that
	// sender on its channel, whatever purpose it names (GDPR art. 21(3)):
	// its purpose is kept as information. A withdrawal scoped to
	// [MarketingGeneral] stops every marketing purpose of that sender,
	// third-party offers included; one scoped to a narrower purpose stops
	// only what that purpose covers.
	Purpose Purpose `json:"purpose"`
	// Channel is the medium. [AllChannels] is valid only on withdrawals and
	// objections: a grant names exactly one channel (GDPR art. 4(11), "specific").
	Channel Channel `json:"channel"`
	// Sender is the legal entity the consent was given to or the objection
	// addressed to. Consent for one entity is not consent for its affiliates.
	Sender string `json:"sender"`
	// Status says whether the record is a grant, a withdrawal or an
	// objection.
	Status Status `json:"status"`
	// At is when the grant was captured or the withdrawal or objection
	// received.
	At time.Time `json:"at"`
	// Method is how a grant was captured. Required on grants.
	Method Method `json:"method,omitzero"`
	// Source names where it was captured: a URL, a form id, a campaign.
	Source string `json:"source,omitempty"`
	// WordingVersion identifies the text the person was shown.
	WordingVersion string `json:"wording_version,omitempty"`
	// ProofRef points at the stored proof (screenshot, signed form,
	// recording, import batch). Required for an [Imported] grant to count.
	ProofRef string `json:"proof_ref,omitempty"`
	// ConfirmedAt is when a [DoubleOptIn] grant was confirmed. A double
	// opt-in that was never confirmed is not consent.
	ConfirmedAt time.Time `json:"confirmed_at,omitzero"`
	// OptOutOffered records that a free, simple way to refuse was offered at
	// collection.
	OptOutOffered bool `json:"opt_out_offered,omitempty"`
	// Parental records parental or joint consent for a minor (GDPR art. 8).
	Parental Parental `json:"parental_consent,omitzero"`
	// Terms are the elements of the agreement the grant was captured
	// with, as the host attests from its proof: a signature, an
	// authorisation of calls or texts by automated means, the disclosure
	// that agreeing is no condition of purchase, a consent expressed to be
	// for an indefinite period ([Term]). Where the law asks for a written
	// agreement (United States telemarketing by automated means, 47 CFR
	// 64.1200(f)(9)), a grant lacking one of the first three is no consent
	// and the rule language's writtenConsentMissing names the first
	// missing; where a consent lapses after a period unless expressed to be
	// indefinite (Australian telemarketing calls, three months), the rule
	// language's consentCurrent reads [Indefinite]. Only a grant carries
	// terms.
	Terms Terms `json:"terms,omitzero"`
	// Provenance says who collected a grant and how the sender came to
	// hold it, when another company collected it (partner, co-registration
	// or purchased data; see [Provenance]). Nil: the sender collected it
	// (direct consent). Only a grant carries provenance. It is shared by
	// the record's copies: never modify it once the record is in a
	// ledger.
	Provenance *Provenance `json:"provenance,omitempty"`
}

// maxIDLen bounds, in bytes (256), an id, a sender entity or a category (of a
// record, an interaction, a contract or a message), so that a hostile
// import cannot make one arbitrarily large; the source, wording version and
// proof reference of a record are bounded at 2,048 bytes. A longer value is
// a [*FieldError] wrapping [ErrTooLarge].
const maxIDLen = limits.MaxIDLen

// maxTextLen bounds a record's source, wording version and proof reference.
const maxTextLen = 2048

// Check reports the first problem with r as a [*FieldError]. A record that
// validates may still not count as consent (pre-ticked, unproven, given by a
// child): that is a legal question answered at decision time, not an error.
func (r Record) Check() error {
	_, err := r.normalized()
	return err
}

// normalizedKey is normalized with the [EntityKey] of the sender; prev is
// a key already held, returned instead of a new string when equal (a
// ledger's records mostly name one sender).
func (r Record) normalizedKey(prev string) (Record, string, error) {
	n, err := r.normalized()
	if err != nil {
		return r, "", err
	}
	var buf [64]byte
	k := canon.AppendEntityKey(buf[:0], n.Sender)
	switch {
	case len(k) == 0:
		return r, "", invalid("sender", "no letter, digit or symbol: names no entity")
	case string(k) == prev:
		return n, prev, nil
	}
	return n, string(k), nil
}

// normalized validates r and returns it with times in UTC.
func (r Record) normalized() (Record, error) {
	switch {
	case r.ID == "":
		return r, missing("id")
	case len(r.ID) > maxIDLen+derivedSuffix:
		return r, &FieldError{Field: "id", Err: ErrTooLarge}
	case !r.Status.valid():
		return r, enumErr("status", r.Status.String())
	case !r.Purpose.valid():
		return r, enumErr("purpose", r.Purpose.String())
	case r.Purpose == Transactional:
		return r, invalid("purpose", "transactional messages need no consent; a record cannot be scoped to them")
	case !r.Channel.valid():
		return r, enumErr("channel", r.Channel.String())
	case r.Sender == "":
		return r, missing("sender")
	case len(r.Sender) > maxIDLen:
		return r, &FieldError{Field: "sender", Err: ErrTooLarge}
	case !canon.HasEntityKey(r.Sender):
		return r, invalid("sender", "no letter, digit or symbol: names no entity")
	case r.At.IsZero():
		return r, missing("at")
	case !yearOK(r.At):
		return r, invalid("at", "year outside 1900-9999 (UTC)")
	case !r.ConfirmedAt.IsZero() && !yearOK(r.ConfirmedAt):
		return r, invalid("confirmed_at", "year outside 1900-9999 (UTC)")
	case len(r.Source) > maxTextLen:
		return r, &FieldError{Field: "source", Err: ErrTooLarge}
	case len(r.WordingVersion) > maxTextLen:
		return r, &FieldError{Field: "wording_version", Err: ErrTooLarge}
	case len(r.ProofRef) > maxTextLen:
		return r, &FieldError{Field: "proof_ref", Err: ErrTooLarge}
	case r.Parental > Joint:
		return r, enumErr("parental_consent", r.Parental.String())
	case r.Method != 0 && !r.Method.valid():
		return r, enumErr("method", r.Method.String())
	case !r.Terms.valid():
		return r, enumErr("terms", "invalid("+strconv.Itoa(int(r.Terms))+")")
	case r.Terms != 0 && r.Status != Granted:
		return r, invalid("terms", "only a grant carries the terms of a written agreement")
	case r.Provenance != nil && r.Status != Granted:
		return r, invalid("provenance", "only a grant carries provenance")
	}
	if r.Status == Granted {
		switch {
		case r.Channel == AllChannels:
			return r, invalid("channel", "a grant must name one channel, not all")
		case r.Purpose == AllMarketing:
			return r, invalid("purpose", "a grant must name one purpose, not all_marketing")
		case r.Method == 0:
			return r, missing("method")
		case r.Subject.IsZero():
			return r, missing("subject")
		}
	}
	if !r.ConfirmedAt.IsZero() {
		if r.ConfirmedAt.Before(r.At) {
			return r, invalid("confirmed_at", "confirmation before capture")
		}
		r.ConfirmedAt = r.ConfirmedAt.UTC()
	}
	if r.Provenance != nil {
		p, err := r.Provenance.normalized(r.At)
		if err != nil {
			return r, err
		}
		r.Provenance = p
	}
	r.At = r.At.UTC()
	if looksDerived(r.ID) {
		if _, derived := baseID(&r); !derived {
			return r, invalid("id", "ends like a derived id (~ and 16 hex digits) but does not match the record")
		}
	} else if len(r.ID) > maxIDLen {
		return r, &FieldError{Field: "id", Err: ErrTooLarge}
	}
	return r, nil
}

func enumErr(field, value string) error {
	return &FieldError{Field: field, Err: &UnknownValueError{Type: field, Value: value}}
}

// UnmarshalJSON decodes a record, rejecting unknown fields and invalid
// values with a [*FieldError]. A phone number subject must be in E.164
// form: a national number needs the contact's country (see [Contact]).
func (r *Record) UnmarshalJSON(b []byte) error { return r.decodeJSON(b, address.Country{}) }

// decodeJSON decodes a record whose phone number subject may be in the
// national format of country.
func (r *Record) decodeJSON(b []byte, country address.Country) error {
	var w recordJSON
	if err := decodeWire(b, &w, readRecord); err != nil {
		return err
	}
	n, err := w.record(&addrParser{country: country})
	if err != nil {
		return err
	}
	*r = n
	return nil
}

// recordJSON is the wire form of a [Record]. Enumerations arrive as text
// and are parsed by record, so that an error names the JSON field rather
// than the vocabulary.
type recordJSON struct {
	ID             string      `json:"id"`
	Subject        string      `json:"subject"`
	Purpose        string      `json:"purpose"`
	Channel        string      `json:"channel"`
	Sender         string      `json:"sender"`
	Status         string      `json:"status"`
	At             time.Time   `json:"at"`
	Method         *string     `json:"method"`
	Source         string      `json:"source"`
	WordingVersion string      `json:"wording_version"`
	ProofRef       string      `json:"proof_ref"`
	ConfirmedAt    time.Time   `json:"confirmed_at"`
	OptOutOffered  bool        `json:"opt_out_offered"`
	Parental       *string     `json:"parental_consent"`
	Terms          []string    `json:"terms"`
	Provenance     *Provenance `json:"provenance"`
}

// record parses and validates w, its phone number subject in the national
// format of p's country or in E.164.
func (w *recordJSON) record(p *addrParser) (Record, error) {
	n := Record{ID: w.ID, Sender: w.Sender, At: w.At, Source: w.Source,
		WordingVersion: w.WordingVersion, ProofRef: w.ProofRef, ConfirmedAt: w.ConfirmedAt, OptOutOffered: w.OptOutOffered,
		Provenance: w.Provenance}
	var err error
	if w.Subject != "" {
		if n.Subject, err = p.parse(w.Subject); err != nil {
			return Record{}, prefix("subject", err)
		}
	}
	if n.Status, err = parseEnum("status", w.Status, &statusNames); err != nil {
		return Record{}, err
	}
	if n.Purpose, err = parseEnum("purpose", w.Purpose, &purposeNames); err != nil {
		return Record{}, err
	}
	if n.Channel, err = parseEnum("channel", w.Channel, &channelNames); err != nil {
		return Record{}, err
	}
	if w.Method != nil {
		if n.Method, err = parseEnum("method", *w.Method, &methodNames); err != nil {
			return Record{}, err
		}
	}
	if w.Parental != nil {
		if err := n.Parental.UnmarshalText([]byte(*w.Parental)); err != nil {
			return Record{}, &FieldError{Field: "parental_consent", Err: err}
		}
	}
	if n.Terms, err = parseTerms("terms", w.Terms); err != nil {
		return Record{}, err
	}
	return n.normalized()
}

// parseField parses an enumeration's text, naming the field in the error.
// Empty text is a missing field.
func parseField[T any](field, text string, parse func(string) (T, error)) (T, error) {
	if text == "" {
		var zero T
		return zero, missing(field)
	}
	v, err := parse(text)
	if err != nil {
		return v, &FieldError{Field: field, Err: err}
	}
	return v, nil
}

// parseEnum is parseField with names.Parse, which it calls only for the
// error of a text that names no member: names.Lookup finds the others.
func parseEnum[T ~uint8](field, text string, names *enum.Names[T]) (T, error) {
	if v, ok := names.Lookup(text); ok && text != "" {
		return v, nil
	}
	return parseField(field, text, names.Parse)
}

// yearOK reports whether t falls in the years 1900 to 9999 once in UTC, the
// form records are stored and encoded in.
func yearOK(t time.Time) bool {
	// Compared with the first instants of 1900 and 10000: the year itself
	// is a calendar computation, on every record decoded.
	return !t.Before(firstOf1900) && t.Before(firstOf10000)
}

// The bounds of yearOK.
var (
	firstOf1900  = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	firstOf10000 = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
)

// strictJSON decodes one JSON value into v as strictly as the types are
// defined (see package internal/strictjson): keys match field names
// exactly, a key given twice, an unknown key, invalid UTF-8 and trailing
// data are [*FieldError]s naming the field, and no error repeats the
// input's text.
func strictJSON(b []byte, v any) error {
	if err := checkJSONLimits(b); err != nil {
		return err
	}
	if err := strictjson.Unmarshal(b, v); err != nil {
		return jsonErr(err)
	}
	return nil
}

// jsonErr converts a decoding error into a [*FieldError] that wraps this
// package's sentinels and never quotes the input. An error a nested
// decoder of this package returned passes through, re-rooted.
func jsonErr(err error) error { return fielderr.FromJSON(err) }

// UnmarshalJSON decodes a contract strictly: keys must match the field
// names exactly and appear once; unknown keys are errors. The contract is
// checked when the contact holding it is.
func (k *Contract) UnmarshalJSON(b []byte) error {
	type plain Contract
	var p plain
	if err := strictJSON(b, &p); err != nil {
		return err
	}
	*k = Contract(p)
	return nil
}

// UnmarshalJSON decodes a sender strictly, like [Contract.UnmarshalJSON];
// an unknown kind or country is an error. The sender is checked when the
// message holding it is.
func (s *Sender) UnmarshalJSON(b []byte) error {
	type plain Sender
	var p plain
	if err := strictJSON(b, &p); err != nil {
		return err
	}
	*s = Sender(p)
	return nil
}
