package rules

import (
	"fmt"

	"cel.dev/cel-go/common/types"
	"github.com/sendright/sendright/consent"
)

// OracleMismatches evaluates every rule of the contact's jurisdiction three
// ways — the general compiled closure, the closure specialised to the
// message's purpose and recipient kind (or its absence from that slot,
// meaning false), and cel-go's interpreter — and describes every
// disagreement. For tests only.
func (p *Policy) OracleMismatches(c *consent.Contact, m *consent.Message) ([]string, int) {
	if c.Check() != nil || m.Check() != nil {
		return nil, 0
	}
	j := p.lookup(c.Country)
	if j == nil {
		return nil, 0
	}
	st := p.bind(c, m, j)
	defer st.release()
	spec := j.spec[st.m.Purpose][c.Kind]
	var out []string
	n := 0
	for effect, tier := range j.tiers {
		for i := range tier {
			r := &tier[i]
			v, _, err := r.prg.Eval((*activation)(st))
			if err != nil {
				out = append(out, fmt.Sprintf("%s: cel-go error %v", r.rule.ID, err))
				continue
			}
			want := bool(v.(types.Bool))
			n++
			if r.fast != nil && r.fast(st) != want {
				out = append(out, fmt.Sprintf("%s: closure %v, cel-go %v", r.rule.ID, !want, want))
			}
			got := false
			for k := range spec[effect] {
				s := &spec[effect][k]
				if s.rule == r.rule {
					got = s.always || (s.test != nil && s.test(st))
					if s.test == nil && !s.always {
						got = want // a fallback rule: evaluated by cel-go anyway
					}
				}
			}
			if got != want {
				out = append(out, fmt.Sprintf("%s: specialised %v, cel-go %v", r.rule.ID, got, want))
			}
		}
	}
	return out, n
}
