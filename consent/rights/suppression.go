package rights

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/internal/enum"
	"github.com/sendright/sendright/internal/limits"
)

// SuppressionSource is the [consent.Record.Source] of the objections
// [Suppression.Objection] makes.
const SuppressionSource = "suppression list"

// Suppression is the minimal entry kept after a contact is erased so that
// their objection outlives their data (GDPR art. 17(3)(e) and art. 21(3):
// a person who objected must not be marketed to again when their address
// comes back in a later import). It holds no address, no plain hash and no
// contact id: only a keyed digest of the address, the sender the person had
// dealings with, the scope and the instant.
//
// JSON form:
//
//	{"key_version": 1, "hmac": "5a62c810aa21f61f405772b71b52470fb17903d38c5588be72c3b8efe5533e24",
//	 "kind": "email", "sender": "Maison Exemple SAS", "purpose": "all_marketing",
//	 "channel": "all", "at": "2026-03-10T09:00:00Z"}
type Suppression struct {
	// KeyVersion is the [Keyring] version HMAC was computed under.
	KeyVersion uint32 `json:"key_version"`
	// HMAC is the lower-case hex HMAC-SHA256, under the key of KeyVersion,
	// of the address's [address.Address.Key]: for an e-mail address its canonical
	// form with the local part also lower-cased (then NFC), because mailbox
	// providers ignore its case and a missed match would mean marketing to
	// a person who objected; for a phone number the E.164 number.
	HMAC string `json:"hmac"`
	// Kind is whether HMAC stands for an e-mail address, a number, a push
	// address or a postal address.
	Kind address.Kind `json:"kind"`
	// Sender is the legal entity the suppression binds.
	Sender string `json:"sender"`
	// Purpose and Channel are the scope; [Erase] always uses
	// [consent.AllMarketing] and [consent.AllChannels].
	Purpose consent.Purpose `json:"purpose"`
	Channel consent.Channel `json:"channel"`
	// At is the erasure instant, in UTC.
	At time.Time `json:"at"`
}

// Check reports the first problem with s as a [*consent.FieldError].
func (s Suppression) Check() error {
	switch {
	case s.KeyVersion == 0:
		return missing("key_version")
	case len(s.HMAC) != 2*sha256.Size || strings.Trim(s.HMAC, "0123456789abcdef") != "":
		return invalid("hmac", "not 64 lower-case hex digits")
	case !enum.Valid(s.Kind):
		return enumErr("kind", s.Kind.String())
	case s.Sender == "":
		return missing("sender")
	case len(s.Sender) > limits.MaxIDLen:
		return &consent.FieldError{Field: "sender", Err: consent.ErrTooLarge}
	case !enum.Valid(s.Purpose) || s.Purpose == consent.Transactional:
		return enumErr("purpose", s.Purpose.String())
	case !enum.Valid(s.Channel):
		return enumErr("channel", s.Channel.String())
	case s.At.IsZero():
		return missing("at")
	}
	return nil
}

// UnmarshalJSON decodes and validates a suppression, rejecting unknown
// fields; At is put in UTC.
func (s *Suppression) UnmarshalJSON(b []byte) error {
	type plain Suppression
	var p plain
	if err := strictJSON(b, &p); err != nil {
		return err
	}
	n := Suppression(p)
	if err := n.Check(); err != nil {
		return err
	}
	n.At = n.At.UTC()
	*s = n
	return nil
}

// Objection returns the record a host appends to the ledger of a contact
// whose address matched s: an objection ([consent.Objection]) by s.Sender to all
// marketing ([consent.AllMarketing]) on all channels ([consent.AllChannels]), from source
// [SuppressionSource], at at (the instant of the import). Whatever the scope
// of s, the objection covers everything: the conservative reading. It names
// no subject, so it applies whatever address the new contact uses.
func (s Suppression) Objection(id string, at time.Time) consent.Record {
	return consent.Record{ID: id, Purpose: consent.AllMarketing, Channel: consent.AllChannels, Sender: s.Sender,
		Status: consent.Objection, At: at, Source: SuppressionSource}
}

// SuppressionList is the suppressions a host keeps after erasures. Its JSON
// form is an array of [Suppression]s.
type SuppressionList []Suppression

// Match reports the first suppression, in list order, for a: the address of
// a contact being imported. It is compared by its [address.Address.Key], so
// "Lea@EXAMPLE.com", the IDNA Unicode form of a domain or a national phone
// number match the suppression made from any spelling of the same address.
// Its HMAC is compared under every key version
// that the keyring holds and the list uses; suppressions made under a
// version missing from kr never match. The zero Address matches nothing.
//
// One address has one suppression per sender: a host importing a contact
// for a given sender, or for several, should use [SuppressionList.MatchAll]
// and append the [Suppression.Objection] of each match. Match is linear in
// the list; large lists are best indexed by [Keyring.Digest].
func (l SuppressionList) Match(a address.Address, kr *Keyring) (Suppression, bool) {
	var found Suppression
	ok := false
	l.match(a, kr, func(s Suppression) bool {
		found, ok = s, true
		return false
	})
	return found, ok
}

// MatchAll returns every suppression for a, in list order, compared as by
// [SuppressionList.Match]; nil when none.
func (l SuppressionList) MatchAll(a address.Address, kr *Keyring) []Suppression {
	var out []Suppression
	l.match(a, kr, func(s Suppression) bool {
		out = append(out, s)
		return true
	})
	return out
}

func (l SuppressionList) match(a address.Address, kr *Keyring, yield func(Suppression) bool) {
	if len(l) == 0 || kr == nil || a.IsZero() {
		return
	}
	kind, form := a.Kind(), a.Key()
	type digest struct {
		sum [sha256.Size]byte
		ok  bool
	}
	sums := make(map[uint32]digest, len(kr.keys))
	var got [sha256.Size]byte
	for _, s := range l {
		if s.Kind != kind || len(s.HMAC) != 2*sha256.Size {
			continue
		}
		d, seen := sums[s.KeyVersion]
		if !seen {
			d.sum, d.ok = kr.sum(s.KeyVersion, form)
			sums[s.KeyVersion] = d
		}
		if !d.ok {
			continue
		}
		if _, err := hex.Decode(got[:], []byte(s.HMAC)); err != nil {
			continue
		}
		if hmac.Equal(got[:], d.sum[:]) && !yield(s) {
			return
		}
	}
}

// KeyVersions returns the key versions the list's suppressions were made
// under, in increasing order: the versions a [Keyring] must keep for the
// list to go on matching.
func (l SuppressionList) KeyVersions() []uint32 {
	seen := make(map[uint32]struct{})
	for _, s := range l {
		seen[s.KeyVersion] = struct{}{}
	}
	return slices.Sorted(maps.Keys(seen))
}
