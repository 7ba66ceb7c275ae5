package eligibility

import (
	"fmt"

	"github.com/sendright/sendright/rules"

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
	spec := j.spec[st.m.Channel][st.m.Purpose][c.Kind]
	var out []string
	n := 0
	for effect, tier := range j.tiers {
		for i := range tier {
			r := &tier[i]
			want, err := r.oracle(st)
			if err != nil {
				out = append(out, fmt.Sprintf("%s: cel-go error %v", r.rule.ID, err))
				continue
			}
			n++
			if r.fast(st) != want {
				out = append(out, fmt.Sprintf("%s: closure %v, cel-go %v", r.rule.ID, !want, want))
			}
			if !r.rule.Governs(st.m.Channel) {
				continue // not compiled into this channel: the closures were compared above
			}
			got := false
			for k := range spec[effect] {
				s := &spec[effect][k]
				if s.rule == r.rule {
					got = s.always || s.test(st)
				}
			}
			// A rule is specialised only into the channels it governs: on
			// another channel it is absent, whatever its condition says.
			if got != want && r.rule.Governs(st.m.Channel) {
				out = append(out, fmt.Sprintf("%s: specialised %v, cel-go %v", r.rule.ID, got, want))
			}
		}
	}
	return out, n
}

// OnCEL returns a copy of p whose every condition is evaluated by cel-go's
// interpreter, unspecialised: the oracle the compiled closures are checked
// against. A cel-go error is an evaluation error. For tests only.
func (p *Policy) OnCEL() *Policy {
	q := *p
	for i, j := range p.byCode {
		if j == nil {
			continue
		}
		k := *j
		for ch := consent.Email; ch < consent.AllChannels; ch++ {
			if !j.channels[ch] {
				continue
			}
			for pu := consent.Transactional; pu < consent.AllMarketing; pu++ {
				for kind := consent.Consumer; kind <= consent.SoleTrader; kind++ {
					ts := new(tiers)
					for effect, list := range j.tiers {
						if rules.Effect(effect) == rules.Exempt && pu != consent.Transactional {
							continue
						}
						for _, t := range list {
							if !t.rule.Governs(ch) {
								continue
							}
							c := t.compiled
							t.always = false
							t.test = func(st *evalState) bool {
								ok, err := c.oracle(st)
								if err != nil {
									st.err = "cel-go: " + err.Error()
								}
								return ok
							}
							ts[effect] = append(ts[effect], t)
						}
					}
					sortByRank(ts[rules.Allow])
					k.spec[ch][pu][kind] = ts
				}
			}
		}
		q.byCode[i] = &k
	}
	return &q
}

// DecideMessage decides through the walk directly, so that a test can pass
// a nil message, which a Request cannot carry. For tests only.
func (p *Policy) DecideMessage(c *consent.Contact, m *consent.Message) (Decision, error) {
	return p.evaluate(c, m, nil)
}

// DecideWithoutShortcuts decides req walking every rule of the tiers,
// the indirect-only rules of a contact without provenance included, and
// explaining every regime's deny, even when only its verdict is
// reported: the reference of TestShortcutsAgree.
func (p *Policy) DecideWithoutShortcuts(req Request) (Decision, error) {
	noShortcuts = true
	defer func() { noShortcuts = false }()
	return p.Decide(req)
}
