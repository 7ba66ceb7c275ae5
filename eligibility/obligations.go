package eligibility

import (
	"encoding/json"
	"fmt"
	"iter"
	"strconv"

	"github.com/sendright/sendright/rules"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/internal/decode"
)

// numObligations is the number of obligations of the rule language: the
// last one, as obligations are numbered from 1.
const numObligations = rules.CommercialCallPrefix

// Obligations is the set of duties attached to a decision, each with the
// provision that imposes it. It is a small immutable value: copying it never
// allocates and the citations it refers to belong to the compiled policy.
type Obligations struct {
	mask  uint8
	cites *[numObligations]string
}

// Has reports whether o includes ob.
func (o Obligations) Has(ob rules.Obligation) bool { return ob > 0 && o.mask&(1<<ob) != 0 }

// Len returns the number of obligations.
func (o Obligations) Len() int {
	n := 0
	for m := o.mask; m != 0; m &= m - 1 {
		n++
	}
	return n
}

// Citation returns the provision behind ob, or "" when o lacks it.
func (o Obligations) Citation(ob rules.Obligation) string {
	if !o.Has(ob) {
		return ""
	}
	return o.cites[ob-1]
}

// All yields each obligation with its citation, in declaration order.
func (o Obligations) All() iter.Seq2[rules.Obligation, string] {
	return func(yield func(rules.Obligation, string) bool) {
		for ob := rules.Obligation(1); ob <= numObligations; ob++ {
			if o.Has(ob) && !yield(ob, o.cites[ob-1]) {
				return
			}
		}
	}
}

// Names returns the text forms, in declaration order.
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
	if o.mask != p.mask {
		return false
	}
	for ob := range o.All() {
		if o.Citation(ob) != p.Citation(ob) {
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
// decision can be read back. It is strict like every decoder of the module:
// keys match exactly and appear once, unknown keys are errors, and errors
// are [*consent.FieldError]s naming the field.
func (o *Obligations) UnmarshalJSON(b []byte) error {
	var refs []rules.ObligationRef
	if err := decode.JSON(b, &refs); err != nil {
		return err
	}
	for i, r := range refs {
		if r.Obligation == 0 || r.Obligation > numObligations {
			return &consent.FieldError{Field: "[" + strconv.Itoa(i) + "].obligation", Err: consent.ErrMissing}
		}
	}
	*o = Obligations{}.with(refs)
	return nil
}

// with returns o plus the obligations in refs; a later citation for one
// obligation replaces an earlier one.
func (o Obligations) with(refs []rules.ObligationRef) Obligations {
	if len(refs) == 0 {
		return o
	}
	c := new([numObligations]string)
	if o.cites != nil {
		*c = *o.cites
	}
	for _, r := range refs {
		o.mask |= 1 << r.Obligation
		c[r.Obligation-1] = r.Citation
	}
	o.cites = c
	return o
}
