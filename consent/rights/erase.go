package rights

import (
	"cmp"
	"encoding/hex"
	"slices"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
)

// Erasure is what survives the erasure of a contact ([Erase]).
type Erasure struct {
	// Ledger is a new ledger holding only the records the host must keep
	// by law — the proof of consent (GDPR art. 7(1); for example five years
	// for telephone consent in Germany and under the US Telemarketing
	// Sales Rule), of a withdrawal or of an objection — and nothing else.
	// Those records still name the address they concern: store them apart
	// from marketing data, restrict access, and delete them when the
	// retention period ends.
	Ledger *consent.Ledger `json:"ledger"`
	// Suppressions are the entries to add to the host's suppression list.
	Suppressions SuppressionList `json:"suppressions"`
}

// Erase computes what the host keeps when it erases the contact (GDPR art.
// 17) without forgetting that the person objected (art. 21(3); the
// suppression is kept under art. 17(3)(e) and, for the UK, on the ICO's
// guidance that a suppression list is how an objection is respected):
//
//   - a new [consent.Ledger] holding the records retain keeps (none when retain is
//     nil), the proof the host is required to retain;
//   - one [Suppression] per address and per sender: every e-mail address and
//     number the contact had (its Email, Phone, Push and Postal, its addresses published for
//     marketing, every record subject and every address collected in its relationship), by [address.Address.Key], for
//     every sender entity named by a record or a relationship event (one per
//     entity as [consent.EntityKey] tells them apart, under its first spelling; the
//     objection a match yields, [Suppression.Objection], binds every
//     spelling of that entity, since records compare senders by key), under
//     the keyring's current key version, scoped to all marketing on all
//     channels, dated at.
//
// Suppressions are made whatever the records say, since an erasure request
// is also, at the least, a request not to be marketed to. A contact without
// any sender yields no suppression.
//
// Erase does not modify the contact: the host deletes it, and every copy,
// itself. It fails, with a [*consent.FieldError], when kr holds no key or at is
// zero.
func Erase(c *consent.Contact, kr *Keyring, retain func(consent.Record) bool, at time.Time) (Erasure, error) {
	switch {
	case c == nil:
		return Erasure{}, missing("contact")
	case kr == nil || len(kr.keys) == 0:
		return Erasure{}, &consent.FieldError{Field: "keyring", Err: consent.ErrMissing, Msg: "no keys: use NewKeyring"}
	case at.IsZero():
		return Erasure{}, missing("at")
	}

	type addressKey struct {
		kind address.Kind
		form string
	}
	addresses := make(map[addressKey]struct{})
	add := func(a address.Address) {
		if !a.IsZero() {
			addresses[addressKey{a.Kind(), a.Key()}] = struct{}{}
		}
	}
	add(c.Email)
	add(c.Phone)
	add(c.Push)
	add(c.Postal)
	for _, a := range c.PublishedForMarketing {
		add(a)
	}
	var senders entities
	var kept []consent.Record
	for r := range c.Records.All() {
		add(r.Subject)
		senders.add(r.Sender)
		if retain != nil && retain(r) {
			kept = append(kept, r)
		}
	}
	rel := &c.Relationship
	for _, list := range [...][]consent.Interaction{rel.Purchases, rel.Inquiries, rel.Support} {
		for _, e := range list {
			senders.add(e.Seller)
			for _, a := range e.Collected {
				add(a)
			}
		}
	}
	for _, k := range rel.Contracts {
		senders.add(k.Seller)
	}

	ledger, err := consent.NewLedger(kept...)
	if err != nil {
		return Erasure{}, err
	}
	out := Erasure{Ledger: ledger, Suppressions: SuppressionList{}}
	at = at.UTC()
	for a := range addresses {
		sum, _ := kr.sum(kr.current, a.form)
		h := hex.EncodeToString(sum[:])
		for _, s := range senders.names {
			if s == "" {
				continue
			}
			out.Suppressions = append(out.Suppressions, Suppression{KeyVersion: kr.current, HMAC: h,
				Kind: a.kind, Sender: s, Purpose: consent.AllMarketing, Channel: consent.AllChannels, At: at})
		}
	}
	slices.SortFunc(out.Suppressions, func(a, b Suppression) int {
		return cmp.Or(cmp.Compare(a.Sender, b.Sender), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.HMAC, b.HMAC))
	})
	return out, nil
}

// UnmarshalJSON decodes an erasure strictly, like [Export.UnmarshalJSON]:
// a key given twice (a second "ledger" would drop the kept records) or in
// another case is an error.
func (e *Erasure) UnmarshalJSON(b []byte) error {
	type plain Erasure
	var v plain
	if err := strictJSON(b, &v); err != nil {
		return err
	}
	*e = Erasure(v)
	return nil
}
