package eligibility

import (
	"encoding/json"
	"fmt"
	"iter"
	"math/bits"
	"slices"
	"strconv"
	"strings"

	"github.com/sendright/sendright/rules"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/internal/decode"
)

// maxObligations is how many obligations a policy may name, the built-in
// ones and the host's ([Params.Obligations]) together: a decision holds
// them as the bits of a mask.
const maxObligations = 64

// Obligations is the set of duties attached to a decision, each with the
// provision that imposes it: built-in obligations and the host's own
// ([HostObligation]). It is a small immutable value: copying it never
// allocates and the names and citations it refers to belong to the
// compiled policy.
type Obligations struct {
	mask  uint64            // bit i: names[i] is included, by one regime or more
	own   uint64            // the bits cited holds citations for: the first regime's
	cited *citedObligations // nil: none
	// more are the obligations the other regimes of a decision add (see
	// [Decision.Regimes]), and those of its transfer check, each with
	// their own citations: a name several regimes impose is cited by
	// each.
	more [MaxRegimes]oblPart
}

// oblPart is one more regime's obligations: their bits and citations.
type oblPart struct {
	mask  uint64
	cited *citedObligations
}

// citedObligations are a policy's obligations by bit (names, shared by the
// policy: the built-in ones in declaration order, then the host's) and the
// citations the rules of one allow give them.
type citedObligations struct {
	names []rules.Obligation
	cites []string
}

// index returns ob's bit, or -1.
func (o Obligations) index(ob rules.Obligation) int {
	if n := o.names(); n != nil {
		return slices.Index(n, ob)
	}
	return -1
}

// names returns the policy's obligations by bit (every regime's table
// holds the policy's), or nil when o is empty.
func (o Obligations) names() []rules.Obligation {
	if o.cited != nil {
		return o.cited.names
	}
	for _, m := range o.more {
		if m.cited != nil {
			return m.cited.names
		}
	}
	return nil
}

// cite returns the citation of bit i: that of the one regime imposing
// it, or those of every regime imposing it, distinct, joined by "; " in
// the regimes' order (which allocates: never on the decision path).
func (o Obligations) cite(i int) string {
	bit := uint64(1) << i
	var seen [MaxRegimes + 1]string
	n := 0
	add := func(c string) {
		if !slices.Contains(seen[:n], c) {
			seen[n], n = c, n+1
		}
	}
	if o.own&bit != 0 {
		add(o.cited.cites[i])
	}
	for _, m := range o.more {
		if m.mask&bit != 0 {
			add(m.cited.cites[i])
		}
	}
	return strings.Join(seen[:n], "; ")
}

// merge returns o plus the obligations of p, another regime's, each
// with its citations: no allocation, so that a decision applying
// several regimes merges theirs for free.
func (o Obligations) merge(p Obligations) Obligations {
	parts := [MaxRegimes + 1]oblPart{{p.own, p.cited}}
	copy(parts[1:], p.more[:])
	for _, q := range parts {
		if q.mask == 0 {
			continue
		}
		o.mask |= q.mask
		switch {
		case o.cited == nil || o.cited == q.cited:
			o.own |= q.mask
			o.cited = q.cited
			continue
		}
		for k := range o.more {
			if m := &o.more[k]; m.cited == nil || m.cited == q.cited {
				m.mask |= q.mask
				m.cited = q.cited
				break
			}
		}
	}
	return o
}

// Has reports whether o includes ob.
func (o Obligations) Has(ob rules.Obligation) bool {
	i := o.index(ob)
	return i >= 0 && o.mask&(1<<i) != 0
}

// Len returns the number of obligations.
func (o Obligations) Len() int { return bits.OnesCount64(o.mask) }

// Citation returns the provision behind ob, or "" when o lacks it.
func (o Obligations) Citation(ob rules.Obligation) string {
	if !o.Has(ob) {
		return ""
	}
	return o.cite(o.index(ob))
}

// All yields each obligation with its citation: the built-in ones in
// declaration order, then the host's in the order of
// [Params.Obligations].
func (o Obligations) All() iter.Seq2[rules.Obligation, string] {
	return func(yield func(rules.Obligation, string) bool) {
		for m := o.mask; m != 0; m &= m - 1 {
			i := bits.TrailingZeros64(m)
			if !yield(o.names()[i], o.cite(i)) {
				return
			}
		}
	}
}

// Names returns the names, in the order of [Obligations.All].
func (o Obligations) Names() []string {
	var out []string
	for ob := range o.All() {
		out = append(out, ob.String())
	}
	return out
}

// Equal reports whether o and p hold the same obligations with the same
// citations. It makes a [Decision] comparable with go-cmp's cmp.Equal and
// cmp.Diff without options (cmp uses an Equal method where a type has one).
func (o Obligations) Equal(p Obligations) bool {
	if o.Len() != p.Len() {
		return false
	}
	for ob, c := range o.All() {
		if !p.Has(ob) || p.Citation(ob) != c {
			return false
		}
	}
	return true
}

// String lists the obligations, e.g. "[sender_identity opt_out]".
func (o Obligations) String() string { return fmt.Sprint(o.Names()) }

// MarshalJSON encodes the obligations as a list of {obligation, citation}.
func (o Obligations) MarshalJSON() ([]byte, error) {
	type item struct {
		Obligation rules.Obligation `json:"obligation"`
		Citation   string           `json:"citation"`
	}
	out := make([]item, 0, o.Len())
	for ob, c := range o.All() {
		out = append(out, item{ob, c})
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads the list MarshalJSON writes, so that a stored
// decision can be read back; a host's obligations are read back by name.
// It is strict like every decoder of the module: keys match exactly and
// appear once, unknown keys are errors, a name must be well formed
// ([rules.Obligation.WellFormed]), and errors are [*consent.FieldError]s
// naming the field.
func (o *Obligations) UnmarshalJSON(b []byte) error {
	var refs []rules.ObligationRef
	if err := decode.JSON(b, &refs); err != nil {
		return err
	}
	names := rules.BuiltinObligations()
	for i, r := range refs {
		if r.Obligation == "" {
			return &consent.FieldError{Field: "[" + strconv.Itoa(i) + "].obligation", Err: consent.ErrMissing}
		}
		if !slices.Contains(names, r.Obligation) {
			if len(names) == maxObligations {
				return &consent.FieldError{Field: "[" + strconv.Itoa(i) + "].obligation", Err: consent.ErrTooLarge}
			}
			names = append(names, r.Obligation)
		}
	}
	*o = Obligations{}.with(names, refs)
	return nil
}

// with returns o plus the obligations in refs, whose bits are their
// indexes in names (the policy's; at most maxObligations); a later
// citation for one obligation replaces an earlier one. A name not in
// names is left out: Compile refuses it before.
func (o Obligations) with(names []rules.Obligation, refs []rules.ObligationRef) Obligations {
	if len(refs) == 0 {
		return o
	}
	c := &citedObligations{names: names, cites: make([]string, len(names))}
	if o.cited != nil {
		copy(c.cites, o.cited.cites)
	}
	for _, r := range refs {
		if i := slices.Index(names, r.Obligation); i >= 0 {
			o.mask |= 1 << i
			o.own |= 1 << i
			c.cites[i] = r.Citation
		}
	}
	o.cited = c
	return o
}

// HostObligation is a host's own obligation, declared in
// [Params.Obligations]: a duty of its own that its rule files attach to
// allows, at set level or rule level, beside the built-in ones, e.g.
//
//	eligibility.Params{Obligations: []eligibility.HostObligation{{
//		Name:        "list_unsubscribe",
//		Description: "a List-Unsubscribe header with a one-click URL (RFC 8058)",
//	}}}
//
//	obligations:
//	  - obligation: list_unsubscribe
//	    citation: House policy E-3; RFC 8058
//
// A decision's [Obligations] include it, by name and with the file's
// citation, like a built-in one. A rule file naming an obligation that is
// neither built-in nor declared does not compile.
type HostObligation struct {
	// Name is how rule files and decisions name it: lower case letters,
	// digits and underscores, starting with a letter, at most 64 bytes
	// ([rules.Obligation.WellFormed]); not a built-in obligation's name.
	Name rules.Obligation `json:"name" yaml:"name"`
	// Description says what a message must do to meet it, for people.
	Description string `json:"description,omitempty" yaml:"description,omitempty"`
}

// checkObligations checks the host's obligations, indexes them after the
// built-in ones (c.obligations), and resolves the obligations every set
// and rule names.
func (c *compiler) checkObligations() {
	c.obligations = rules.BuiltinObligations()
	for i, h := range c.params.Obligations {
		at := "obligations[" + strconv.Itoa(i) + "]"
		switch {
		case !h.Name.WellFormed():
			c.errs = append(c.errs, &rules.Error{Msg: fmt.Sprintf("%s: %q: want lower case letters, digits and underscores", at, clip(string(h.Name)))})
		case h.Name.Valid():
			c.errs = append(c.errs, &rules.Error{Msg: fmt.Sprintf("%s: %s: a built-in obligation", at, h.Name)})
		case slices.Contains(c.obligations, h.Name):
			c.errs = append(c.errs, &rules.Error{Msg: fmt.Sprintf("%s: %s: declared twice", at, h.Name)})
		case len(c.obligations) == maxObligations:
			c.errs = append(c.errs, &rules.Error{Msg: fmt.Sprintf("%s: %s: more than %d obligations", at, h.Name, maxObligations)})
		default:
			c.obligations = append(c.obligations, h.Name)
		}
	}
	for _, s := range c.sets {
		if s == nil {
			continue
		}
		for i, ref := range s.Obligations {
			pos := s.ObligationPosition(i)
			c.resolveObligation(ref, &rules.Error{File: s.File, Line: pos.Line, Column: pos.Column})
		}
		for i := range s.Rules {
			r := &s.Rules[i]
			for _, ref := range r.Obligations {
				pos := r.Position()
				c.resolveObligation(ref, &rules.Error{File: s.File, Rule: r.ID, Line: pos.Line, Column: pos.Column})
			}
		}
	}
}

// resolveObligation reports, as e, an obligation that is neither built-in
// nor declared by the host, with the nearest name suggested. A malformed
// name is left to rules.Check.
func (c *compiler) resolveObligation(ref rules.ObligationRef, e *rules.Error) {
	if !ref.Obligation.WellFormed() || slices.Contains(c.obligations, ref.Obligation) {
		return
	}
	names := make([]string, len(c.obligations))
	for i, o := range c.obligations {
		names[i] = o.String()
	}
	e.Msg = "obligation " + ref.Obligation.String() + ": not a built-in obligation nor one of Params.Obligations" +
		didYouMean(ref.Obligation.String(), names)
	c.errs = append(c.errs, e)
}
