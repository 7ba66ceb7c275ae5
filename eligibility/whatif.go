package eligibility

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"iter"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/sendright/sendright/rules"
)

// WhatIfExamples is the number of example requests a [Comparison] keeps
// for each transition: the first ones in the order of the audience.
const WhatIfExamples = 3

// Comparison is what [WhatIf] found: how an audience is decided under the
// active policy and under the candidate, and the requests that change.
// Its JSON form has the members named in the field tags; it holds no
// personal data: an example names its request by position and contact id.
type Comparison struct {
	// ActiveVersion and CandidateVersion are the policies' versions.
	ActiveVersion    string `json:"active_version"`
	CandidateVersion string `json:"candidate_version"`
	// Requests is the number of requests decided (under both policies).
	Requests int `json:"requests"`
	// Changed is the number of requests whose decisions disagree
	// ([Disagree]).
	Changed int `json:"changed"`
	// Active and Candidate count the decisions under each policy.
	Active    Tally `json:"active"`
	Candidate Tally `json:"candidate"`
	// Transitions are the changed requests by verdict before and after,
	// sorted by From then To (allow, deny, defer, undetermined). A
	// request whose verdict stays but whose basis, rule or reason changes
	// is in a transition from a verdict to itself.
	Transitions []Transition `json:"transitions"`
}

// Tally counts the decisions of one policy over an audience, by verdict,
// basis and reason (the text forms: "allow", "soft_opt_in",
// "OBJECTION_ON_FILE"), and the requests whose decision came with an
// error (a malformed request, a rule failing at run time).
type Tally struct {
	Verdicts map[string]int `json:"verdicts"`
	Bases    map[string]int `json:"bases"`
	Reasons  map[string]int `json:"reasons"`
	Errors   int            `json:"errors"`
}

// Transition is the requests whose decision changed from one verdict to
// another, with the first few as examples.
type Transition struct {
	From  Verdict `json:"from"`
	To    Verdict `json:"to"`
	Count int     `json:"count"`
	// Examples are the first [WhatIfExamples] requests of the transition,
	// in the order of the audience.
	Examples []Example `json:"examples"`
}

// Example is one request of a transition and its two decisions.
type Example struct {
	// Index is the request's position in the audience, from 0.
	Index int `json:"index"`
	// ContactID is the id of the request's contact.
	ContactID string `json:"contact_id"`
	// Request is the request itself; it is not part of the JSON form,
	// which holds no personal data.
	Request   Request  `json:"-"`
	Active    Decision `json:"active"`
	Candidate Decision `json:"candidate"`
}

// whatIfResult is one request decided under both policies.
type whatIfResult struct {
	req                Request
	active, candidate  Decision
	activeErr, candErr bool
}

// WhatIf decides every request of audience under the active policy and
// under the candidate, and compares: the counts under each by verdict,
// basis and reason, the number of requests that change ([Disagree]), and
// the transitions between verdicts with their first examples. It answers
// "what would this change of rules do to our audience?" before the change
// is rolled out.
//
// It streams on every core as [Policy.DecideAll] does: requests are read
// on the calling goroutine and decided by GOMAXPROCS workers, a few
// batches at a time, and the comparison keeps only counts and at most
// [WhatIfExamples] requests per transition, so its memory does not grow
// with the audience (the README states the peak measured over a million
// requests). The result does not depend on the number of cores: examples
// are the first in the order of the audience.
//
// When ctx is done, WhatIf stops reading the audience and returns the
// comparison of the requests decided so far with context.Cause(ctx). A
// nil policy decides every request as a deny with an error, counted in
// its Tally's Errors, as [Policy.Decide] does.
func WhatIf(ctx context.Context, active, candidate *Policy, audience iter.Seq[Request]) (*Comparison, error) {
	c := &Comparison{ActiveVersion: active.policyVersion(), CandidateVersion: candidate.policyVersion()}
	var counts [2]counter
	trans := map[[2]Verdict]*Transition{}
	decide := func(r Request) whatIfResult {
		a, aerr := active.Decide(r)
		b, berr := candidate.Decide(r)
		return whatIfResult{req: r, active: a, candidate: b, activeErr: aerr != nil, candErr: berr != nil}
	}
	p := newPipeline(ctx, decide, func(r whatIfResult) bool {
		c.add(&r, &counts, trans)
		return true
	})
	if p.feed(audience) {
		p.flush()
	}
	p.close()
	c.Active, c.Candidate = counts[0].tally(), counts[1].tally()
	c.Transitions = slices.SortedFunc(func(yield func(Transition) bool) {
		for _, t := range trans {
			if !yield(*t) {
				return
			}
		}
	}, func(a, b Transition) int {
		return cmp.Or(cmp.Compare(verdictRank(a.From), verdictRank(b.From)), cmp.Compare(verdictRank(a.To), verdictRank(b.To)))
	})
	if p.cancelled {
		return c, context.Cause(ctx)
	}
	return c, nil
}

// verdictRank orders verdicts for reports: allow, deny, defer, then
// undetermined.
func verdictRank(v Verdict) int {
	if v == Undetermined {
		return int(Defer) + 1
	}
	return int(v)
}

// counter is a Tally while WhatIf runs: verdicts and bases counted by
// number, which costs less than a map on the goroutine every result
// passes through.
type counter struct {
	verdicts [256]int
	bases    [256]int
	reasons  map[string]int
	errors   int
}

func (k *counter) add(d *Decision, failed bool) {
	k.verdicts[d.Verdict]++
	k.bases[d.Basis]++
	if k.reasons == nil {
		k.reasons = map[string]int{}
	}
	k.reasons[d.Reason]++
	if failed {
		k.errors++
	}
}

// tally returns the counts by text form.
func (k *counter) tally() Tally {
	t := Tally{Verdicts: map[string]int{}, Bases: map[string]int{}, Reasons: maps.Clone(k.reasons), Errors: k.errors}
	if t.Reasons == nil {
		t.Reasons = map[string]int{}
	}
	for v, n := range k.verdicts {
		if n > 0 {
			t.Verdicts[Verdict(v).String()] += n
		}
	}
	for b, n := range k.bases {
		if n > 0 {
			t.Bases[rules.Basis(b).String()] += n
		}
	}
	return t
}

// add counts one request; it runs on the calling goroutine, in the order
// of the audience.
func (c *Comparison) add(r *whatIfResult, counts *[2]counter, trans map[[2]Verdict]*Transition) {
	i := c.Requests
	c.Requests++
	counts[0].add(&r.active, r.activeErr)
	counts[1].add(&r.candidate, r.candErr)
	if !Disagree(r.active, r.candidate) {
		return
	}
	c.Changed++
	k := [2]Verdict{r.active.Verdict, r.candidate.Verdict}
	t := trans[k]
	if t == nil {
		t = &Transition{From: k[0], To: k[1]}
		trans[k] = t
	}
	t.Count++
	if len(t.Examples) < WhatIfExamples {
		id := ""
		if r.req.Contact != nil {
			id = r.req.Contact.ID
		}
		t.Examples = append(t.Examples, Example{Index: i, ContactID: id, Request: r.req, Active: r.active, Candidate: r.candidate})
	}
}

// WriteText writes the comparison as text tables: the totals, the counts
// by verdict, basis and reason under each policy (with the change), and
// the transitions with their examples, e.g.
//
//	requests  4096  changed  811
//
//	verdict  active  candidate  change
//	allow    2457    1646       -811
//	deny     1639    2450       +811
//	...
//	transitions
//	allow → deny  811
//	  #3 c-0003: allow soft_opt_in FR_SOFT_OPT_IN SOFT_OPT_IN → deny no_legal_basis NO_LEGAL_BASIS
func (c *Comparison) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "active\t%s\ncandidate\t%s\nrequests\t%d\nchanged\t%d\n", short(c.ActiveVersion), short(c.CandidateVersion), c.Requests, c.Changed)
	if c.Active.Errors+c.Candidate.Errors > 0 {
		fmt.Fprintf(tw, "errors\t%d → %d\n", c.Active.Errors, c.Candidate.Errors)
	}
	for _, part := range []struct {
		name         string
		active, cand map[string]int
	}{{"verdict", c.Active.Verdicts, c.Candidate.Verdicts}, {"basis", c.Active.Bases, c.Candidate.Bases},
		{"reason", c.Active.Reasons, c.Candidate.Reasons}} {
		fmt.Fprintf(tw, "\n%s\tactive\tcandidate\tchange\n", part.name)
		keys := slices.Sorted(maps.Keys(part.active))
		for k := range part.cand {
			if _, ok := part.active[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			a, b := part.active[k], part.cand[k]
			fmt.Fprintf(tw, "%s\t%d\t%d\t%s\n", k, a, b, change(b-a))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(c.Transitions) == 0 {
		_, err := fmt.Fprintln(w, "\nno transitions")
		return err
	}
	var b strings.Builder
	b.WriteString("\ntransitions\n")
	for _, t := range c.Transitions {
		fmt.Fprintf(&b, "%s → %s  %d\n", t.From, t.To, t.Count)
		for _, e := range t.Examples {
			fmt.Fprintf(&b, "  #%d %s: %s → %s\n", e.Index, e.ContactID, e.Active, e.Candidate)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// change formats a difference of counts: "0", "+3", "-2".
func change(n int) string {
	if n > 0 {
		return fmt.Sprintf("+%d", n)
	}
	return fmt.Sprint(n)
}

// short abbreviates a policy version (32 hexadecimal digits) for text to
// its first twelve; a label the host put in its place is kept whole.
func short(v string) string {
	if v == "" {
		return "(none)"
	}
	if len(v) == 32 && strings.Trim(v, "0123456789abcdef") == "" {
		return v[:12]
	}
	return v
}
