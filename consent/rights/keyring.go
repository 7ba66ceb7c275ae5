package rights

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
)

// MinKeyLen is the shortest key a [Keyring] accepts, in bytes: the output
// size of SHA-256, below which HMAC-SHA256 is weaker than it can be.
const MinKeyLen = 32

// Keyring holds the host's secret keys for suppression-list digests, by key
// version. New suppressions use the current version; matching tries every
// version the keyring holds, so the current key can rotate without dropping
// suppressions made under older ones.
//
// An HMAC cannot be recomputed under a new key without the address it was
// made from, which erasure has deleted: a suppression list cannot be
// re-keyed. Keep every old key version in the keyring for as long as any
// suppression made under it is kept ([SuppressionList.KeyVersions] lists
// them); a version dropped from the keyring silently stops matching.
//
// The keys must come from the host's secret store, be random (at least
// [MinKeyLen] bytes from a CSPRNG) and never be stored beside the list: with
// the key, each digest can be tested against candidate addresses.
//
// A Keyring never shows its keys: fmt (every verb), String and JSON print
// only the versions. It is immutable, so safe for concurrent use.
type Keyring struct {
	current uint32
	keys    map[uint32][]byte
}

// NewKeyring returns a keyring holding a copy of keys, with current as the
// version new suppressions use. Versions start at 1; every key must be at
// least [MinKeyLen] bytes; current must be one of the versions. Errors are
// [*consent.FieldError]s wrapping [consent.ErrMissing] or [consent.ErrInvalid] and name versions,
// never keys.
func NewKeyring(current uint32, keys map[uint32][]byte) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, &consent.FieldError{Field: "keyring", Err: consent.ErrMissing, Msg: "no keys"}
	}
	k := &Keyring{current: current, keys: make(map[uint32][]byte, len(keys))}
	for _, v := range slices.Sorted(maps.Keys(keys)) {
		key := keys[v]
		switch {
		case v == 0:
			return nil, invalid("keyring", "key version 0: versions start at 1")
		case len(key) < MinKeyLen:
			return nil, invalid("keyring["+strconv.FormatUint(uint64(v), 10)+"]",
				"key shorter than "+strconv.Itoa(MinKeyLen)+" bytes")
		}
		k.keys[v] = bytes.Clone(key)
	}
	if _, ok := k.keys[current]; !ok {
		return nil, invalid("keyring.current", "no key for the current version")
	}
	return k, nil
}

// Current returns the key version new suppressions use (0 for the zero
// Keyring, which holds no key).
func (k *Keyring) Current() uint32 {
	if k == nil {
		return 0
	}
	return k.current
}

// Versions returns the key versions held, in increasing order.
func (k *Keyring) Versions() []uint32 {
	if k == nil {
		return nil
	}
	return slices.Sorted(maps.Keys(k.keys))
}

// String returns the versions, never a key: "rights.Keyring{current: 2,
// versions: [1 2]}".
func (k Keyring) String() string {
	return fmt.Sprintf("rights.Keyring{current: %d, versions: %v}", k.current, k.Versions())
}

// GoString is String, so that %#v shows no key either.
func (k Keyring) GoString() string { return k.String() }

// Format prints [Keyring.String] for every verb, so that no verb (%x, %d,
// %+v, …) reaches the keys.
func (k Keyring) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, k.String()) }

// MarshalJSON encodes the versions only:
// {"current_version":2,"key_versions":[1,2]}.
func (k Keyring) MarshalJSON() ([]byte, error) {
	v := k.Versions()
	if v == nil {
		v = []uint32{}
	}
	return json.Marshal(struct {
		Current  uint32   `json:"current_version"`
		Versions []uint32 `json:"key_versions"`
	}{k.current, v})
}

// UnmarshalJSON always fails: keys are never read from JSON, since the JSON
// form holds none. Use [NewKeyring] with keys from the host's secret store.
func (k *Keyring) UnmarshalJSON([]byte) error {
	return invalid("keyring", "a keyring is not decoded from JSON: use NewKeyring")
}

// Digest returns the hex HMAC-SHA256, under key version, that a
// [Suppression] holds for a (of kind a.Kind()): the value to index a large
// suppression list by. See [Suppression.HMAC] for what is digested. The
// error is a [*consent.FieldError] that never repeats the address.
func (k *Keyring) Digest(version uint32, a address.Address) (string, error) {
	if a.IsZero() {
		return "", missing("address")
	}
	sum, ok := k.sum(version, a.Key())
	if !ok {
		return "", invalid("keyring", "no key for version "+strconv.FormatUint(uint64(version), 10))
	}
	return hex.EncodeToString(sum[:]), nil
}

// Sum returns the current key version and the hex HMAC-SHA256 of data
// under it: a keyed digest for audit records, which a dictionary of
// addresses cannot reverse as it could a plain hash. A nil Keyring gives
// (0, "").
func (k *Keyring) Sum(data []byte) (version uint32, mac string) {
	if k == nil {
		return 0, ""
	}
	out, ok := k.sum(k.current, string(data))
	if !ok {
		return 0, ""
	}
	return k.current, hex.EncodeToString(out[:])
}

// CheckSum reports whether mac is the lower-case hexadecimal HMAC-SHA256 of
// data under the key of version, as [Keyring.Sum] made it under the key
// current then. It compares in constant time; a version the keyring does not
// hold, or a nil keyring, reports false.
func (k *Keyring) CheckSum(version uint32, data []byte, mac string) bool {
	want, ok := k.sum(version, string(data))
	if !ok {
		return false
	}
	got, err := hex.DecodeString(mac)
	return err == nil && len(mac) == 2*sha256.Size && mac == strings.ToLower(mac) && hmac.Equal(got, want[:])
}

// sum is HMAC-SHA256 of form under version.
func (k *Keyring) sum(version uint32, form string) (out [sha256.Size]byte, ok bool) {
	if k == nil {
		return out, false
	}
	key, ok := k.keys[version]
	if !ok {
		return out, false
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(form))
	m.Sum(out[:0])
	return out, true
}
