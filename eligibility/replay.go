package eligibility

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/calls"
)

// Replay decides req as it was, or would have been, decided at its
// instant req.At: with the contact as the host knew it then. Every event
// dated after req.At is left out first: consent records, the confirmation
// of a double opt-in confirmed later (the grant reads as unconfirmed),
// purchases, inquiries, support, responses, contracts starting later,
// call attempts, messages sent and registry lookups. Contracts that started by req.At
// keep their end, and the contact's other fields (addresses, CollectedAt)
// are taken as they are.
//
// [Policy.Decide] already ignores such events for the question "may this
// be sent at req.At?", but not for the answer's NotBefore: a Defer looks
// ahead, through the contact's later events, for the instant at which the
// send becomes lawful, and a later objection turns it into a Deny. A
// replay must not know the future, so it cuts it off. With no event after
// req.At, Replay is Decide.
//
// To replay a stored decision, decide the stored request with the policy
// of the decision's PolicyVersion (see [Archive]); the contact may be the
// one the host holds today, as long as its history is append-only.
// Replay allocates a copy of what it cuts; the caller's contact is never
// modified.
func (p *Policy) Replay(req Request) (Decision, error) {
	if req.Contact != nil && !req.At.IsZero() {
		req.Contact = asOf(req.Contact, req.At)
	}
	return p.Decide(req)
}

// asOf returns c with every event after t left out (see [Policy.Replay]):
// c itself when it has none, otherwise a copy sharing what it keeps.
func asOf(c *consent.Contact, t time.Time) *consent.Contact {
	var cut consent.Contact
	changed := false
	copyOnce := func() {
		if !changed {
			cut, changed = *c, true
		}
	}
	later := false
	for r := range c.Records.All() {
		if r.At.After(t) || r.ConfirmedAt.After(t) {
			later = true
			break
		}
	}
	if later {
		var keep []consent.Record
		for r := range c.Records.All() {
			if r.At.After(t) {
				continue
			}
			if r.ConfirmedAt.After(t) {
				r.ConfirmedAt = time.Time{}
			}
			keep = append(keep, r)
		}
		// The records were valid in c's ledger, so they are in the new
		// one; an id two of them claim is a conflict again, reported with
		// a ledger holding both, as c's does. A ledger that could not be
		// rebuilt at all is decided whole: Decide reports its problem.
		if l, _ := consent.NewLedger(keep...); l != nil {
			copyOnce()
			cut.Records = *l
		}
	}
	interactions := func(evs []consent.Interaction) ([]consent.Interaction, bool) {
		if !slices.ContainsFunc(evs, func(e consent.Interaction) bool { return e.At.After(t) }) {
			return evs, false
		}
		return slices.DeleteFunc(slices.Clone(evs), func(e consent.Interaction) bool { return e.At.After(t) }), true
	}
	rel := c.Relationship
	for _, l := range []*[]consent.Interaction{&rel.Purchases, &rel.Inquiries, &rel.Support, &rel.Responses} {
		if kept, cutSome := interactions(*l); cutSome {
			copyOnce()
			*l = kept
		}
	}
	if slices.ContainsFunc(rel.Contracts, func(k consent.Contract) bool { return k.Start.After(t) }) {
		copyOnce()
		rel.Contracts = slices.DeleteFunc(slices.Clone(rel.Contracts), func(k consent.Contract) bool { return k.Start.After(t) })
	}
	if changed {
		cut.Relationship = rel
	}
	if slices.ContainsFunc(c.Attempts, func(a calls.Attempt) bool { return a.At.After(t) }) {
		copyOnce()
		cut.Attempts = slices.DeleteFunc(slices.Clone(c.Attempts), func(a calls.Attempt) bool { return a.At.After(t) })
	}
	if slices.ContainsFunc(c.Registries, func(r calls.RegistryCheck) bool { return r.CheckedAt.After(t) }) {
		copyOnce()
		cut.Registries = slices.DeleteFunc(slices.Clone(c.Registries), func(r calls.RegistryCheck) bool { return r.CheckedAt.After(t) })
	}
	if slices.ContainsFunc(c.Sent, func(s consent.Send) bool { return s.At.After(t) }) {
		copyOnce()
		cut.Sent = slices.DeleteFunc(slices.Clone(c.Sent), func(s consent.Send) bool { return s.At.After(t) })
	}
	if !changed {
		return c
	}
	return &cut
}

// ErrUnknownVersion is wrapped by the error of [Archive.Replay] when the
// archive holds no policy of the version asked for; the decision is then
// a deny.
var ErrUnknownVersion = errors.New("eligibility: policy version not in the archive")

// ErrVersionMismatch is wrapped by the error of [Archive.Restore] when a
// policy rebuilt from stored sources does not have the version it was
// stored under.
var ErrVersionMismatch = errors.New("eligibility: rebuilt policy has another version")

// Archive holds policies by version ([Policy.Version]), so that a decision
// can be replayed with the policy that made it: the version every
// [Decision] carries in PolicyVersion. The zero Archive is empty and ready
// to use; it is safe for concurrent use.
//
// # Keeping old versions
//
// A policy's version is a hash of everything that decides: every rule of
// every set, the sets' parameters, the host's [Params] (its functions by
// name and version) and [SemanticsVersion], the library's own meaning of
// rules. To replay the decisions of a version, a host keeps, under that
// version, what compiles to it again:
//
//   - the rule sets, as YAML: [Policy.Sets] marshalled with
//     go.yaml.in/yaml/v3, set by set, house files and overrides included,
//     reads back through [github.com/sendright/sendright/rules.Parse] into
//     a policy of the same version (formatting is not part of it). Keep
//     the built-in sets too, not only the host's own: a library upgrade
//     changes the sets [github.com/sendright/sendright/rules.Builtin]
//     returns;
//   - the parameters, as JSON ([Params] marshals and decodes strictly);
//     host functions are code, not data: the host keeps each version of a
//     function it ever registered, since a policy naming "myFunc" version 2
//     compiles to its version only with that function version;
//   - the library version that compiled it. SemanticsVersion is part of
//     every policy version, so a library whose semantics changed compiles
//     the same files to another version, and [Archive.Restore] refuses the
//     result: its decisions could differ. Such replays need the old library
//     (a small replay program pinned to the old module version), or are
//     made knowingly with the new one, whose decisions carry the new
//     version.
//
// At start-up, the host compiles each stored version and restores it with
// [Archive.Restore], which checks the version; a version that no longer
// compiles to itself is reported, never silently replaced.
type Archive struct {
	mu       sync.RWMutex
	policies map[string]*Policy
}

// Add stores p under its version. A nil or zero policy is ignored.
func (a *Archive) Add(p *Policy) {
	if p.policyVersion() == "" {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.policies == nil {
		a.policies = map[string]*Policy{}
	}
	a.policies[p.version] = p
}

// Restore stores p, rebuilt from sources kept under version, after
// checking that it has that version: otherwise it stores nothing and
// returns an error wrapping [ErrVersionMismatch], naming both versions.
func (a *Archive) Restore(version string, p *Policy) error {
	if got := p.policyVersion(); got != version {
		return fmt.Errorf("%w: stored as %q, compiles to %q", ErrVersionMismatch, version, got)
	}
	a.Add(p)
	return nil
}

// Policy returns the policy of version, if the archive holds it.
func (a *Archive) Policy(version string) (*Policy, bool) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	p, ok := a.policies[version]
	return p, ok
}

// Versions returns the versions the archive holds, sorted.
func (a *Archive) Versions() []string {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return slices.Sorted(maps.Keys(a.policies))
}

// Replay replays req ([Policy.Replay]) with the policy of version. When
// the archive does not hold it, the decision is a deny
// ([ReasonEvaluationError]) and the error wraps [ErrUnknownVersion].
func (a *Archive) Replay(version string, req Request) (Decision, error) {
	p, ok := a.Policy(version)
	if !ok {
		d := noPolicy(req.At)
		d.Detail = "policy version not in the archive"
		return d, fmt.Errorf("%w: %q", ErrUnknownVersion, version)
	}
	return p.Replay(req)
}
