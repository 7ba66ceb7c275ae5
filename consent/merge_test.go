package consent_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
)

// historyGen makes random valid consent histories. Every history of one case
// draws from one pool of records, so two histories often share an id, always
// with identical content (a conflict is another test's business).
type historyGen struct {
	r *rand.Rand
}

var (
	// Two spellings of shop's entity, which match up to case and space.
	genSenders  = []string{shop, other, " MAISON exemple sas "}
	genPurposes = []consent.Purpose{consent.MarketingSimilar, consent.MarketingGeneral,
		consent.MarketingThirdParty, consent.ConsentRequest, consent.FeedbackRequest}
	genChannels = []consent.Channel{consent.Email, consent.SMS}
	genMethods  = []consent.Method{consent.UntickedCheckbox, consent.DoubleOptIn, consent.SignedForm,
		consent.RecordedVerbal, consent.Imported, consent.PreTicked, consent.MethodUnknown}
	genAddresses = map[consent.Channel][]address.Address{consent.Email: {addr(leaMail), addr(bobMail), addr("Lea.Martin@Example.COM")},
		consent.SMS: {addr(leaTel), addr(bobTel)}}
)

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// instant returns one of a few instants, so that records often tie.
func (g *historyGen) instant() time.Time { return day(g.r.IntN(6)) }

func (g *historyGen) record(id string) consent.Record {
	r := consent.Record{ID: id, Sender: pick(g.r, genSenders), At: g.instant()}
	switch n := g.r.IntN(10); {
	case n < 6:
		r.Status = consent.Granted
		r.Purpose = pick(g.r, genPurposes)
		r.Channel = pick(g.r, genChannels)
		r.Subject = pick(g.r, genAddresses[r.Channel])
		r.Method = pick(g.r, genMethods)
		if g.r.IntN(2) == 0 {
			r.ProofRef = "proof-" + id
		}
		if g.r.IntN(2) == 0 {
			r.ConfirmedAt = r.At.Add(time.Duration(g.r.IntN(4)) * 24 * time.Hour)
		}
	default:
		r.Status = consent.Withdrawn
		if n == 9 {
			r.Status = consent.Objection
		}
		r.Purpose = pick(g.r, append(genPurposes, consent.AllMarketing, consent.AllMarketing))
		r.Channel = pick(g.r, append(genChannels, consent.AllChannels))
		if g.r.IntN(3) == 0 {
			r.Channel = consent.AllChannels
		}
	}
	return r
}

// pool returns n records with ids r00, r01, …
func (g *historyGen) pool(n int) []consent.Record {
	out := make([]consent.Record, n)
	for i := range out {
		out[i] = g.record(fmt.Sprintf("r%02d", i))
	}
	return out
}

// history draws a random subset of the pool, in random order.
func (g *historyGen) history(pool []consent.Record) []consent.Record {
	var out []consent.Record
	for _, r := range pool {
		if g.r.IntN(5) < 2 {
			out = append(out, r)
		}
	}
	g.r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// merged returns the union of the ledgers, leaving them untouched.
// It is called often and so does not call t.Helper.
func merged(t *testing.T, first *consent.Ledger, rest ...*consent.Ledger) *consent.Ledger {
	out := first.Clone()
	for _, l := range rest {
		if err := out.Merge(l); err != nil {
			t.Fatalf("Merge() error = %v", err)
		}
	}
	return out
}

// queries are the questions asked of every generated ledger.
func queries() []consent.Query {
	var qs []consent.Query
	for _, p := range genPurposes {
		for _, ch := range genChannels {
			for _, s := range genSenders {
				for _, at := range []time.Time{day(0).Add(-time.Hour), day(2), day(3).Add(time.Hour), day(7)} {
					for _, a := range append([]address.Address{{}}, genAddresses[ch][0]) {
						qs = append(qs, consent.Query{Purpose: p, Channel: ch, Sender: s, At: at, Address: a})
					}
				}
			}
		}
	}
	return qs
}

// modelState computes the answer to q from the rules of the package
// documentation, independently of the ledger's single pass: the latest
// covering stop S and the valid grants after it.
func modelState(recs []consent.Record, q consent.Query) summary {
	defect := func(r *consent.Record) consent.Defect {
		switch r.Method {
		case consent.PreTicked:
			return consent.DefectPreTicked
		case consent.MethodUnknown:
			return consent.DefectMethodUnknown
		case consent.Imported:
			if r.ProofRef == "" {
				return consent.DefectUnproven
			}
		case consent.DoubleOptIn:
			if r.ConfirmedAt.IsZero() || r.ConfirmedAt.After(q.At) {
				return consent.DefectUnconfirmed
			}
		}
		return consent.NoDefect
	}
	later := func(a, b *consent.Record) bool { // a after b in ledger order among one status class
		return a.At.After(b.At) || (a.At.Equal(b.At) && a.ID > b.ID)
	}
	// Sender entities match up to case and surrounding space.
	applies := func(r *consent.Record) bool {
		if r.At.After(q.At) || !r.Channel.Covers(q.Channel) ||
			!strings.EqualFold(strings.TrimSpace(r.Sender), strings.TrimSpace(q.Sender)) {
			return false
		}
		if !r.Status.Stops() {
			return r.Purpose.Covers(q.Purpose)
		}
		// An objection, whatever its purpose, and a withdrawal of general
		// (or all) marketing stop every marketing purpose, third-party
		// offers included; a narrower withdrawal stops what its purpose
		// covers.
		if r.Status == consent.Objection || r.Purpose == consent.MarketingGeneral || r.Purpose == consent.AllMarketing {
			return q.Purpose.Marketing() && q.Purpose != consent.AllMarketing
		}
		return r.Purpose.Covers(q.Purpose)
	}
	// The latest stop; at one instant an objection outranks a
	// withdrawal.
	var sup *consent.Record
	for i := range recs {
		r := &recs[i]
		if !applies(r) || !r.Status.Stops() {
			continue
		}
		if sup == nil || r.At.After(sup.At) || (r.At.Equal(sup.At) &&
			(r.Status > sup.Status || (r.Status == sup.Status && r.ID > sup.ID))) {
			sup = r
		}
	}
	// The latest valid and invalid grants after it (a tie goes to the
	// stop).
	var valid, invalid *consent.Record
	for i := range recs {
		g := &recs[i]
		if !applies(g) || g.Status != consent.Granted || (!q.Address.IsZero() && !g.Subject.Same(q.Address)) ||
			(sup != nil && !g.At.After(sup.At)) {
			continue
		}
		if defect(g) == consent.NoDefect {
			if valid == nil || later(g, valid) {
				valid = g
			}
		} else if invalid == nil || later(g, invalid) {
			invalid = g
		}
	}
	switch {
	case valid != nil:
		return consented(valid.ID)
	case sup != nil:
		s := summary{Stop: sup.ID, Withdrawn: sup.Status == consent.Withdrawn,
			Objected: sup.Status == consent.Objection}
		if invalid != nil {
			s.Invalid, s.Defect = invalid.ID, defect(invalid)
		}
		return s
	case invalid != nil:
		return defective(invalid.ID, defect(invalid))
	}
	return summary{}
}

func TestMergeProperties(t *testing.T) {
	cases := 10_000
	if testing.Short() {
		cases = 1_000
	}
	g := &historyGen{r: rand.New(rand.NewPCG(20250110, 42))}
	qs := queries()
	for i := range cases {
		pool := g.pool(4 + g.r.IntN(12))
		ha, hb, hc := g.history(pool), g.history(pool), g.history(pool)
		a, errA := consent.NewLedger(ha...)
		b, errB := consent.NewLedger(hb...)
		c, errC := consent.NewLedger(hc...)
		if err := errors.Join(errA, errB, errC); err != nil {
			t.Fatalf("case %d: NewLedger() error = %v", i, err)
		}
		ok := true
		check := func(what string, want, got *consent.Ledger) {
			if w, g := slices.Collect(want.All()), slices.Collect(got.All()); !slices.Equal(w, g) {
				sameRecords(t, fmt.Sprintf("case %d: %s", i, what), w, g)
				ok = false
			}
		}

		ab, ba := merged(t, a, b), merged(t, b, a)
		check("a∪b vs b∪a (commutative)", ab, ba)
		check("(a∪b)∪c vs a∪(b∪c) (associative)", merged(t, ab, c), merged(t, a, merged(t, b, c)))
		check("a∪a vs a (idempotent)", a, merged(t, a, a))
		self := a.Clone()
		if err := self.Merge(self); err != nil {
			t.Fatalf("case %d: Merge(self) error = %v", i, err)
		}
		check("a.Merge(a) vs a", a, self)

		// a∪b holds exactly the records of a and b, every withdrawal and
		// objection included.
		byID := map[string]consent.Record{}
		for r := range ab.All() {
			byID[r.ID] = r
		}
		ids := map[string]bool{}
		for _, l := range []*consent.Ledger{a, b} {
			for r := range l.All() {
				ids[r.ID] = true
				if got, found := byID[r.ID]; !found || got != r {
					ok = false
					t.Errorf("case %d: a∪b lacks %s record %s (found %v)", i, r.Status, r.ID, found)
				}
			}
		}
		if len(ids) != ab.Len() {
			ok = false
			t.Errorf("case %d: a∪b has %d records, want %d", i, ab.Len(), len(ids))
		}

		// The answers do not depend on the order records arrived in, and
		// agree with the model.
		recs := slices.Collect(ab.All())
		shuffled := slices.Clone(recs)
		g.r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		rebuilt := new(consent.Ledger)
		for len(shuffled) > 0 {
			n := 1 + g.r.IntN(len(shuffled))
			if err := rebuilt.Append(shuffled[:n]...); err != nil {
				t.Fatalf("case %d: Append() error = %v", i, err)
			}
			shuffled = shuffled[n:]
		}
		check("rebuilt in shuffled order vs a∪b", ab, rebuilt)
		for range 24 { // a sample of the questions keeps the race-detector run short
			q := pick(g.r, qs)
			want := summarize(ab.State(q))
			if got := summarize(rebuilt.State(q)); got != want {
				ok = false
				t.Errorf("case %d: State(%v %v %s at %v %q) depends on append order:\n%s", i, q.Purpose,
					q.Channel, q.Sender, q.At, q.Address, cmp.Diff(want, got))
			}
			if model := modelState(recs, q); model != want {
				ok = false
				t.Errorf("case %d: State(%v %v %s at %v %q) disagrees with the model (-model +got):\n%s", i,
					q.Purpose, q.Channel, q.Sender, q.At, q.Address, cmp.Diff(model, want))
			}
		}
		if !ok {
			t.Fatalf("case %d failed; records of a∪b:\n%+v", i, recs)
		}
	}
}

// TestMergeConflict: a conflict in a merge keeps every record of both
// sides, renames the contested stops deterministically, and is reported.
func TestMergeConflict(t *testing.T) {
	smsW1 := with(withdrawal("w-1", day(2)), func(r *consent.Record) { r.Channel = consent.SMS })
	a := mustLedger(t, grant("g-1", day(1)), withdrawal("w-1", day(2)))
	b := mustLedger(t, grant("g-2", day(3)), smsW1)
	ab, ba := a.Clone(), b.Clone()
	errAB, errBA := ab.Merge(b), ba.Merge(a)
	for _, err := range []error{errAB, errBA} {
		var ce *consent.ConflictError
		if !errors.As(err, &ce) || ce.ID != "w-1" || !errors.Is(err, consent.ErrConflict) {
			t.Fatalf("Merge() error = %v, want a *ConflictError for w-1", err)
		}
	}
	want := []string{"g-1", derived(withdrawal("w-1", day(2))), derived(smsW1), "g-2"}
	slices.Sort(want[1:3])
	if diff := cmp.Diff(want, recordIDs(ab)); diff != "" {
		t.Errorf("a∪b ids mismatch (-want +got):\n%s", diff)
	}
	sameRecords(t, "a∪b vs b∪a", slices.Collect(ab.All()), slices.Collect(ba.All()))
	// Merging the settled result again changes and reports nothing.
	again := ab.Clone()
	if err := again.Merge(a); err != nil {
		t.Errorf("merging a again: %v", err)
	}
	sameRecords(t, "(a∪b)∪a vs a∪b", slices.Collect(ab.All()), slices.Collect(again.All()))
	// Both withdrawals are in force for their channels.
	for _, ch := range []consent.Channel{consent.Email, consent.SMS} {
		s := ab.State(consent.Query{Purpose: consent.MarketingGeneral, Channel: ch, Sender: shop, At: day(2)})
		if !s.Withdrawn() {
			t.Errorf("State(%v) after the merge: not withdrawn", ch)
		}
	}
}

// TestMergePropertiesWithConflicts: with pools where an id often has two
// versions, merges stay commutative, associative and idempotent, and keep
// every withdrawal and objection of both sides (by content: a stop may
// carry a derived id).
func TestMergePropertiesWithConflicts(t *testing.T) {
	cases := 3_000
	if testing.Short() {
		cases = 300
	}
	g := &historyGen{r: rand.New(rand.NewPCG(20261204, 7))}
	merge := func(first *consent.Ledger, rest ...*consent.Ledger) *consent.Ledger {
		out := first.Clone()
		for _, l := range rest {
			if err := out.Merge(l); err != nil && !errors.Is(err, consent.ErrConflict) {
				t.Fatalf("Merge() error = %v", err)
			}
		}
		return out
	}
	content := func(r consent.Record) consent.Record { r.ID = ""; return r }
	for i := range cases {
		pool := g.pool(3 + g.r.IntN(8))
		for _, r := range slices.Clone(pool) { // a second version of some ids
			if g.r.IntN(2) == 0 {
				v := g.record(r.ID)
				pool = append(pool, v)
			}
		}
		var ls [3]*consent.Ledger
		for k := range ls {
			l := new(consent.Ledger)
			for _, r := range g.history(pool) {
				if err := l.Append(r); err != nil && !errors.Is(err, consent.ErrConflict) {
					t.Fatalf("case %d: Append() error = %v", i, err)
				}
			}
			ls[k] = l
		}
		a, b, c := ls[0], ls[1], ls[2]
		check := func(what string, want, got *consent.Ledger) {
			if !slices.Equal(slices.Collect(want.All()), slices.Collect(got.All())) {
				sameRecords(t, fmt.Sprintf("case %d: %s", i, what), slices.Collect(want.All()), slices.Collect(got.All()))
				t.FailNow()
			}
		}
		ab := merge(a, b)
		check("a∪b vs b∪a", ab, merge(b, a))
		check("(a∪b)∪c vs a∪(b∪c)", merge(ab, c), merge(a, merge(b, c)))
		check("a∪a vs a", a, merge(a, a))
		check("(a∪b)∪b vs a∪b", ab, merge(ab, b))
		have := map[consent.Record]bool{}
		for r := range ab.All() {
			have[content(r)] = true
		}
		for _, l := range []*consent.Ledger{a, b} {
			for r := range l.All() {
				if !have[content(r)] {
					t.Fatalf("case %d: a∪b lost the %s record %s", i, r.Status, r.ID)
				}
			}
		}
	}
}
