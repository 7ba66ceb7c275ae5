package consent

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/internal/canon"
	"github.com/sendright/sendright/internal/enum"
	"github.com/sendright/sendright/internal/limits"
	"github.com/sendright/sendright/internal/strictjson"
)

// maxRecords bounds the grants of a [Ledger], so that a hostile import
// cannot exhaust memory: at most 10,000 grants, and no grant is added
// once the ledger holds 20,000 records. A grant past a limit is
// refused with [ErrTooLarge]. Withdrawals and objections are never refused
// for size: a stop is accepted past every limit, since refusing it would
// mean marketing to a person who said stop (GDPR arts. 7(3), 21(3)). Nothing
// is ever dropped to make room: a superseded grant is the proof for the
// sends it allowed (art. 7(1)). Decoded documents are bounded by
// [MaxJSONSize].
const maxRecords = limits.MaxRecords

// Ledger is the append-only consent history of one contact, kept in time
// order. It answers what the state of a (purpose, channel, sender) was at an
// instant, and merges histories from several sources without ever losing a
// withdrawal or an objection.
//
// A Ledger is bounded so that a hostile import cannot exhaust memory: it
// holds at most 10,000 grants, and takes no grant once it holds 20,000
// records; a grant past a limit is refused with [ErrTooLarge].
// Withdrawals and objections are accepted past every limit.
//
// The zero Ledger is empty and ready to use. A Ledger is not safe for
// concurrent mutation: like a map, it may be read by many goroutines at once
// (State, All, Len, MarshalJSON) as long as none of them appends or merges.
// Hosts that update a contact while decisions run should build the new
// ledger on a copy ([Ledger.Clone]) and swap it in. A Ledger copied by value
// (in a copied [Contact]) shares nothing the copy can change.
type Ledger struct {
	records []Record // sorted by At, then Status, then ID
	keys    []string // keys[i] is the EntityKey of records[i].Sender
	grants  int      // how many records are grants
	// index finds records by id in large ledgers. Value copies of a Ledger
	// share it; it describes the copy whose records it was last updated
	// with (see owns).
	index *ledgerIndex
}

// ledgerIndex maps base ids (see baseID) to the positions, as sort keys, of
// the records that claim them.
type ledgerIndex struct {
	first *Record              // &records[0] of the ledger it describes
	n     int                  // len(records) of that ledger
	ids   map[string]sortKey   // the first record claiming each base id
	more  map[string][]sortKey // further records claiming one (conflicts)
}

func (ix *ledgerIndex) add(base string, k sortKey) {
	if _, ok := ix.ids[base]; !ok {
		ix.ids[base] = k
		return
	}
	if ix.more == nil {
		ix.more = map[string][]sortKey{}
	}
	ix.more[base] = append(ix.more[base], k)
}

func (ix *ledgerIndex) del(base string, k sortKey) {
	if first, ok := ix.ids[base]; ok && first == k {
		if more := ix.more[base]; len(more) > 0 {
			ix.ids[base] = more[0]
			ix.more[base] = more[1:]
		} else {
			delete(ix.ids, base)
		}
		return
	}
	ix.more[base] = slices.DeleteFunc(ix.more[base], func(x sortKey) bool { return x == k })
}

// sortKey locates a record by binary search.
type sortKey struct {
	at     time.Time
	status Status
	id     string
}

func keyOf(r *Record) sortKey { return sortKey{r.At, r.Status, r.ID} }

func (k sortKey) compare(r *Record) int {
	if c := k.at.Compare(r.At); c != 0 {
		return c
	}
	if c := cmp.Compare(k.status, r.Status); c != 0 {
		return c
	}
	return cmp.Compare(k.id, r.ID)
}

// indexFrom is the size from which a ledger keeps an id index; smaller
// ledgers are scanned.
const indexFrom = 32

// NewLedger returns a ledger holding recs, or nil and the first validation
// error. A conflict or a grant refused for size is reported as by
// [Ledger.Append], with the ledger, which holds every other record.
func NewLedger(recs ...Record) (*Ledger, error) {
	l := new(Ledger)
	for i := range recs {
		if err := recs[i].Check(); err != nil {
			return nil, prefix("records["+strconv.Itoa(i)+"]", err)
		}
	}
	return l, l.Append(recs...)
}

// Len returns the number of records.
func (l *Ledger) Len() int {
	if l == nil {
		return 0
	}
	return len(l.records)
}

// All returns the records in time order. At one instant grants come before
// withdrawals and objections, the order in which they take effect.
func (l *Ledger) All() iter.Seq[Record] {
	return func(yield func(Record) bool) {
		if l == nil {
			return
		}
		for _, r := range l.records {
			if !yield(r) {
				return
			}
		}
	}
}

// Clone returns an independent copy of l.
func (l *Ledger) Clone() *Ledger {
	if l == nil {
		return new(Ledger)
	}
	return &Ledger{records: slices.Clone(l.records), keys: slices.Clone(l.keys), grants: l.grants}
}

// Equal reports whether l and o hold the same records. (go-cmp uses it to
// compare ledgers.)
func (l Ledger) Equal(o Ledger) bool { return slices.EqualFunc(l.records, o.records, sameRecord) }

// sameRecord reports whether two records are equal, their provenance
// compared by content.
func sameRecord(a, b Record) bool {
	pa, pb := a.Provenance, b.Provenance
	a.Provenance, b.Provenance = nil, nil
	return a == b && pa.equal(pb)
}

// HasProvenance reports whether a record of l carries a [Provenance]
// (a grant another company may have collected). It does not allocate.
func (l *Ledger) HasProvenance() bool {
	for i := range l.records {
		if l.records[i].Provenance != nil {
			return true
		}
	}
	return false
}

// Append validates and adds records.
//
// A record that does not validate is an error and nothing is added. A
// record whose id is already present with identical content is ignored
// (appending is idempotent). Otherwise every withdrawal and objection is
// added, whatever the size of the ledger, and grants are added unless they
// would take the ledger past its limits (10,000 grants, or 20,000 records): then none of the batch's grants
// is, and the error wraps [ErrTooLarge].
//
// Records with one id and different content never make the ledger choose
// silently, nor refuse a stop: when several records claim one id, every
// withdrawal and objection among them is stored under a derived id (the id,
// "~" and 16 hex digits of a SHA-256 of its content), and so are the grants
// when more than one grant claims it; a single grant keeps the id. The
// renaming depends on the records only, never on the order they arrived
// in, and the ledger is changed even though Append returns a
// [*ConflictError] listing the ids concerned: a caller that ignores the
// report still keeps every record.
func (l *Ledger) Append(recs ...Record) error {
	if len(recs) == 0 {
		return nil
	}
	var one [1]incoming // a single record, the usual case, needs no slice
	items := one[:]
	if len(recs) > 1 {
		items = make([]incoming, len(recs))
	}
	prev := ""
	if len(l.keys) > 0 {
		prev = l.keys[len(l.keys)-1]
	}
	for i, r := range recs {
		n, k, err := r.normalizedKey(prev)
		prev = k
		if err != nil {
			return prefix("records["+strconv.Itoa(i)+"]", err)
		}
		items[i] = incoming{r: n, key: k}
	}
	return l.insert(items)
}

// Merge adds every record of other to l with the rules of [Ledger.Append]:
// every record that does not conflict, and every withdrawal and objection
// (under a derived id when its id is contested). Merging is commutative,
// associative and idempotent (within the grant limits of [Ledger]: 10,000 grants, 20,000 records),
// and keeps every withdrawal and objection of both histories; conflicts
// are reported with a [*ConflictError] after the merge is done.
func (l *Ledger) Merge(other *Ledger) error {
	if other == nil || len(other.records) == 0 {
		return nil
	}
	if other == l {
		return nil // a ledger merged with itself is itself
	}
	items := make([]incoming, len(other.records))
	for i := range other.records {
		items[i] = incoming{r: other.records[i], key: other.keys[i]}
	}
	return l.insert(items)
}

// incoming is a normalised record to insert, with its entity key and the
// id it claims (see baseID).
type incoming struct {
	r    Record
	key  string
	base string
}

// insert adds normalised records with their entity keys. It reuses items.
func (l *Ledger) insert(items []incoming) error {
	l.own()
	grants := l.grants
	news, contested, newGrants := l.fresh(items)
	var tooLarge error
	if newGrants > 0 && (grants+newGrants > maxRecords || len(l.records)+len(news) > 2*maxRecords) {
		tooLarge = &FieldError{Field: "records", Err: ErrTooLarge,
			Msg: "more than " + strconv.Itoa(maxRecords) + " grants, or " + strconv.Itoa(2*maxRecords) +
				" records, in one ledger: grants refused, withdrawals and objections kept"}
		news = slices.DeleteFunc(news, func(o incoming) bool { return o.r.Status == Granted })
	}
	// Settle contested ids before placing anything, so that no two records
	// ever share an id in the ledger.
	var conflicts []Conflict
	for _, base := range sortedKeys(contested) {
		if c, changed := l.settle(base, news); changed {
			// Reported when this call changed something: a record renamed,
			// or a new record stored under a derived id. Merging a settled
			// ledger again reports nothing.
			conflicts = append(conflicts, c)
		}
	}
	l.placeAll(news)
	var conflict error
	if len(conflicts) > 0 {
		conflict = &ConflictError{ID: conflicts[0].ID, Conflicts: conflicts}
	}
	switch {
	case tooLarge == nil:
		return conflict
	case conflict == nil:
		return tooLarge
	}
	return errors.Join(tooLarge, conflict)
}

// fresh returns, in items' storage, the items not already in the ledger
// or earlier in items; the base ids that are contested (claimed by records
// with different content, or by one record under two ids, plain and
// derived); and how many of the fresh items are grants.
func (l *Ledger) fresh(items []incoming) (news []incoming, contested map[string]bool, newGrants int) {
	news = items[:0]
	for i := range items {
		it := items[i]
		base, _ := baseID(&it.r)
		it.base = base
		dup, differs := false, false
		for _, j := range l.claimsOf(base) {
			d, x := compareClaim(&l.records[j], &it.r)
			dup, differs = dup || d, differs || x
		}
		for k := range news {
			if news[k].base == base {
				d, x := compareClaim(&news[k].r, &it.r)
				dup, differs = dup || d, differs || x
			}
		}
		if differs {
			if contested == nil {
				contested = map[string]bool{} // allocated at the first contested id
			}
			contested[base] = true
		}
		if dup {
			continue
		}
		if it.r.Status == Granted {
			newGrants++
		}
		news = append(news, it)
	}
	return news, contested, newGrants
}

// placeAll stores news in ledger order: one by one for a few, else by
// merging two sorted runs.
func (l *Ledger) placeAll(news []incoming) {
	if len(news) <= 8 {
		for _, o := range news {
			l.place(o.r, o.key)
		}
		return
	}
	// A large batch or a merge: sort it and merge the two sorted runs into
	// new arrays, O(n+m), instead of m insertions.
	slices.SortFunc(news, func(a, b incoming) int { return compareRecords(a.r, b.r) })
	recs := make([]Record, 0, len(l.records)+len(news))
	keys := make([]string, 0, len(l.records)+len(news))
	i := 0
	for _, o := range news {
		for ; i < len(l.records) && compareRecords(l.records[i], o.r) < 0; i++ {
			recs, keys = append(recs, l.records[i]), append(keys, l.keys[i])
		}
		recs, keys = append(recs, o.r), append(keys, o.key)
		if o.r.Status == Granted {
			l.grants++
		}
	}
	recs, keys = append(recs, l.records[i:]...), append(keys, l.keys[i:]...)
	l.records, l.keys = recs, keys
	if l.index.ids == nil && len(l.records) >= indexFrom {
		l.buildIndex()
		return
	}
	for _, o := range news {
		if l.index.ids != nil {
			l.index.add(o.base, keyOf(&o.r))
		}
	}
	l.sync()
}

func sortedKeys(m map[string]bool) []string {
	if len(m) == 0 {
		return nil
	}
	return slices.Sorted(maps.Keys(m))
}

// settle gives the records claiming base, those stored and fresh ones
// about to be placed, their ids: a derived id to every withdrawal and
// objection, and to every grant when more than one grant claims it; a
// single grant keeps base. It returns the derived ids in use and whether a
// record, stored or fresh, was given another id than the one it had: a
// ledger settled elsewhere merges without a report.
func (l *Ledger) settle(base string, news []incoming) (Conflict, bool) {
	var fresh []*Record
	for k := range news {
		if news[k].base == base {
			fresh = append(fresh, &news[k].r)
		}
	}
	pos := l.claimsOf(base)
	grants := 0
	for _, j := range pos {
		if l.records[j].Status == Granted {
			grants++
		}
	}
	for _, r := range fresh {
		if r.Status == Granted {
			grants++
		}
	}
	want := func(r *Record) string {
		if r.Status != Granted || grants > 1 {
			return derivedID(r, base)
		}
		return base
	}
	type rename struct {
		r   Record
		key string
	}
	var renames []rename
	changed := false
	c := Conflict{ID: base}
	for _, j := range pos {
		r := &l.records[j]
		if id := want(r); r.ID != id {
			renames = append(renames, rename{*r, l.keys[j]})
		}
	}
	for _, r := range fresh {
		id := want(r)
		changed = changed || r.ID != id
		r.ID = id
	}
	for _, rn := range renames {
		l.remove(rn.r)
		rn.r.ID = want(&rn.r)
		l.place(rn.r, rn.key)
	}
	for _, j := range l.claimsOf(base) {
		if id := l.records[j].ID; id != base {
			c.Derived = append(c.Derived, id)
		}
	}
	for _, r := range fresh {
		if r.ID != base {
			c.Derived = append(c.Derived, r.ID)
		}
	}
	slices.Sort(c.Derived)
	return c, changed || len(renames) > 0
}

// own makes l the only holder of its records and index: a ledger copied
// by value shares its arrays with the original, so the first change to
// either copies them unless the index shows this ledger made the last
// change.
func (l *Ledger) own() {
	ix := l.index
	if ix != nil && ix.n == len(l.records) && (len(l.records) == 0 || ix.first == &l.records[0]) {
		return
	}
	l.records, l.keys = slices.Clip(l.records), slices.Clip(l.keys)
	l.index = nil
	if len(l.records) >= indexFrom {
		l.buildIndex()
	} else {
		l.index = &ledgerIndex{}
		l.sync()
	}
}

func (l *Ledger) buildIndex() {
	ix := &ledgerIndex{ids: make(map[string]sortKey, len(l.records))}
	for i := range l.records {
		base, _ := baseID(&l.records[i])
		ix.add(base, keyOf(&l.records[i]))
	}
	l.index = ix
	l.sync()
}

// sync records in the index the state of l it describes.
func (l *Ledger) sync() {
	l.index.n = len(l.records)
	l.index.first = nil
	if len(l.records) > 0 {
		l.index.first = &l.records[0]
	}
}

// find returns the position of the record with sort key k, or -1.
func (l *Ledger) find(k sortKey) int {
	i, ok := slices.BinarySearchFunc(l.records, k, func(r Record, k sortKey) int { return -k.compare(&r) })
	if !ok {
		return -1
	}
	return i
}

// claimsOf returns the positions of the records whose base id is base.
func (l *Ledger) claimsOf(base string) []int {
	var out []int
	if l.index != nil && l.index.ids != nil {
		k, ok := l.index.ids[base]
		if !ok {
			return nil
		}
		for _, k := range append([]sortKey{k}, l.index.more[base]...) {
			if i := l.find(k); i >= 0 {
				out = append(out, i)
			}
		}
		return out
	}
	for i := range l.records {
		if b, _ := baseID(&l.records[i]); b == base {
			out = append(out, i)
		}
	}
	return out
}

// place inserts r at its place in time order: a binary search, then an
// append when r is the latest record (the usual case, amortised O(1)), or
// a copy into a new array otherwise.
func (l *Ledger) place(r Record, key string) {
	k := keyOf(&r)
	i := len(l.records)
	if i > 0 && k.compare(&l.records[i-1]) < 0 { // not the latest: search
		i, _ = slices.BinarySearchFunc(l.records, k, func(e Record, k sortKey) int { return -k.compare(&e) })
	}
	switch {
	case i < len(l.records):
		// Shifting in place would change what a value copy of the ledger
		// sees: insert into new arrays.
		l.records, l.keys = slices.Clip(l.records), slices.Clip(l.keys)
	case len(l.records) == cap(l.records):
		// Double, rather than append's 1.25× for large slices: records
		// are large, and a growing ledger copies them less often.
		l.records = slices.Grow(l.records, len(l.records)+1)
		l.keys = slices.Grow(l.keys, len(l.keys)+1)
	}
	l.records = slices.Insert(l.records, i, r)
	l.keys = slices.Insert(l.keys, i, key)
	if r.Status == Granted {
		l.grants++
	}
	if l.index.ids == nil && len(l.records) >= indexFrom {
		l.buildIndex()
		return
	}
	if l.index.ids != nil {
		base, _ := baseID(&r)
		l.index.add(base, k)
	}
	l.sync()
}

// remove deletes the record r (present in l).
func (l *Ledger) remove(r Record) {
	k := keyOf(&r)
	i := l.find(k)
	l.records = slices.Delete(slices.Clone(l.records), i, i+1) // a value copy may share the arrays
	if r.Status == Granted {
		l.grants--
	}
	l.keys = slices.Delete(slices.Clone(l.keys), i, i+1)
	if l.index.ids != nil {
		base, _ := baseID(&r)
		l.index.del(base, k)
	}
	l.sync()
}

// derivedSuffix is the length of "~" and 16 hex digits.
const derivedSuffix = 17

// looksDerived reports whether id ends with "~" and 16 lower-case hex
// digits, the shape of a derived id.
func looksDerived(id string) bool {
	i := len(id) - derivedSuffix
	if i <= 0 || id[i] != '~' {
		return false
	}
	for _, c := range []byte(id[i+1:]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// baseID returns the id a record claims: its own, or, for a derived id
// whose digest matches the record, the id it was derived from.
func baseID(r *Record) (base string, derived bool) {
	if !looksDerived(r.ID) {
		return r.ID, false
	}
	base = r.ID[:len(r.ID)-derivedSuffix]
	if derivedID(r, base) != r.ID {
		return r.ID, false
	}
	return base, true
}

// derivedID is base, "~" and the first 16 hex digits of the SHA-256 of the
// record's content under base.
func derivedID(r *Record, base string) string {
	h := sha256.New()
	for _, s := range []string{base, r.Subject.String(), r.Purpose.String(), r.Channel.String(), r.Sender,
		r.Status.String(), r.At.UTC().Format(time.RFC3339Nano), r.Method.String(), r.Source,
		r.WordingVersion, r.ProofRef, r.ConfirmedAt.UTC().Format(time.RFC3339Nano),
		strconv.FormatBool(r.OptOutOffered), r.Parental.String()} {
		h.Write([]byte(strconv.Quote(s)))
	}
	if r.Terms != 0 { // added with the terms: the ids derived before stay the same
		h.Write([]byte(strconv.Quote("terms:" + strconv.Itoa(int(r.Terms)))))
	}
	if r.Provenance != nil { // likewise
		b, _ := json.Marshal(r.Provenance)
		h.Write([]byte(strconv.Quote("provenance:" + string(b))))
	}
	var sum [sha256.Size]byte
	return base + "~" + hex.EncodeToString(h.Sum(sum[:0])[:8])
}

// compareClaim compares a record r with a record e claiming the same id:
// dup when r adds nothing (same content), differs when the id is contested
// (different content, or the same content under another id, plain and
// derived).
func compareClaim(e, r *Record) (dup, differs bool) {
	if !sameContent(e, r) {
		return false, true
	}
	return true, e.ID != r.ID
}

// sameContent reports whether two records are equal but for their ids.
func sameContent(a, r *Record) bool {
	x, y := *a, *r
	x.ID, y.ID = "", ""
	return sameRecord(x, y)
}

func compareRecords(a, b Record) int {
	if c := a.At.Compare(b.At); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Status, b.Status); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// MarshalJSON encodes the ledger as a JSON array of records in time order.
func (l Ledger) MarshalJSON() ([]byte, error) {
	if l.records == nil {
		return []byte("[]"), nil
	}
	return json.Marshal(l.records)
}

// UnmarshalJSON decodes a JSON array of records, validating each one; an
// invalid record is an error and leaves l unchanged. Records are added as
// by [Ledger.Append]: a conflict ([*ConflictError]) or grants past the
// limits of a [Ledger] (10,000 grants, 20,000 records: [ErrTooLarge]) are reported, and l then holds
// every other record, every withdrawal and objection included. Phone
// number subjects must be in E.164 form: a national number needs the
// contact's country (see [Contact]).
func (l *Ledger) UnmarshalJSON(b []byte) error { return l.decodeJSON(b, address.Country{}) }

// decodeRecords builds the ledger of a contact's records, decoded with the
// contact in one pass, phone number subjects in the national format of
// p's country. Like decodeJSON, it keeps every record Append accepted even
// when it reports an error: a conflict or a refused grant is reported,
// never a lost stop. With st, the records and their keys are stored in
// st's storage when fromDistinct takes them (the ledger of a contact a
// [ContactDecoder] lends); Append, otherwise, copies them.
func (l *Ledger) decodeRecords(ws []recordJSON, p *addrParser, w *wire, st *lentStore) error {
	var recs []Record
	if st != nil {
		if cap(st.records) < len(ws) {
			st.records = make([]Record, len(ws))
		}
		recs = st.records[:len(ws):len(ws)]
	} else {
		recs = make([]Record, len(ws))
	}
	for i := range ws {
		r, err := ws[i].record(p)
		if err != nil {
			return prefix("records["+strconv.Itoa(i)+"]", err)
		}
		recs[i] = r
	}
	if l.fromDistinct(recs, w, st) {
		return nil
	}
	var n Ledger
	err := n.Append(recs...)
	*l = n
	return err
}

// maxFromDistinct bounds the records fromDistinct takes: it compares every
// pair.
const maxFromDistinct = 16

// fromDistinct makes l, empty, the ledger of recs, validated and
// normalised, when Append would simply sort them: a few records (at least
// one), none
// with an id of the derived form and no two with one id, so that none is
// a duplicate, none contests another's id and no limit is reached. It
// reports whether it did; otherwise l is untouched. It takes recs as the
// ledger's storage, and shares equal entity keys (w, when not nil, gives
// a key its string: [wire.intern]). With st, the keys and the index are
// st's.
func (l *Ledger) fromDistinct(recs []Record, w *wire, st *lentStore) bool {
	if len(recs) == 0 || len(recs) > maxFromDistinct {
		return false
	}
	for i := range recs {
		if looksDerived(recs[i].ID) {
			return false
		}
		for j := range i {
			if recs[j].ID == recs[i].ID {
				return false
			}
		}
	}
	slices.SortFunc(recs, compareRecords) // ids are distinct: a total order
	var keys []string
	if st != nil {
		if cap(st.keys) < len(recs) {
			st.keys = make([]string, len(recs))
		}
		keys = st.keys[:len(recs):len(recs)]
	} else {
		keys = make([]string, len(recs))
	}
	var buf [64]byte
	grants := 0
	for i := range recs {
		if w != nil {
			keys[i] = w.entityKey(recs[i].Sender)
		} else if k := canon.AppendEntityKey(buf[:0], recs[i].Sender); i > 0 && string(k) == keys[i-1] {
			keys[i] = keys[i-1]
		} else {
			keys[i] = string(k)
		}
		if recs[i].Status == Granted {
			grants++
		}
	}
	var ix *ledgerIndex
	if st != nil {
		st.index = ledgerIndex{}
		ix = &st.index
	} else {
		ix = &ledgerIndex{}
	}
	*l = Ledger{records: recs, keys: keys, grants: grants, index: ix}
	l.sync()
	return true
}

// decodeJSON decodes a ledger whose phone number subjects may be in the
// national format of country.
func (l *Ledger) decodeJSON(b []byte, country address.Country) error {
	if err := checkJSONLimits(b); err != nil {
		return err
	}
	var raw []jsontext.Value
	if err := strictjson.Unmarshal(b, &raw); err != nil {
		err = jsonErr(err)
		var fe *FieldError
		if errors.As(err, &fe) && strings.HasPrefix(fe.Field, "[") {
			fe.Field = "records" + fe.Field // a key given twice inside records[i]
		}
		return err
	}
	recs := make([]Record, len(raw))
	for i, m := range raw {
		if err := recs[i].decodeJSON(m, country); err != nil {
			return prefix("records["+strconv.Itoa(i)+"]", err)
		}
	}
	var n Ledger
	err := n.Append(recs...)
	*l = n // a conflict or a refused grant is reported, never a lost stop
	return err
}

// Defect says why a grant on file does not count as consent. The zero Defect
// means it counts.
type Defect uint8

// Defects of a grant.
const (
	// NoDefect: the grant counts as consent.
	NoDefect Defect = iota
	// DefectPreTicked: captured by a pre-ticked box (GDPR recital 32; CJEU
	// C-673/17 Planet49).
	DefectPreTicked
	// DefectMethodUnknown: the capture method was not recorded, so the
	// consent cannot be demonstrated (GDPR art. 7(1)).
	DefectMethodUnknown
	// DefectUnproven: imported without a proof reference (GDPR art. 7(1),
	// recital 171 for pre-2018 consent).
	DefectUnproven
	// DefectUnconfirmed: a double opt-in never confirmed by the decision
	// instant.
	DefectUnconfirmed
	// DefectMinor: given below the age of digital consent without the
	// parental (or, in France, joint) consent the law asks for (GDPR art. 8).
	DefectMinor
	// The defects of a grant another entity collected (indirect consent,
	// see [Provenance]), checked before the others, in this order.

	// DefectObjectionPropagated: the person objected to the collector or
	// to an entity of the chain (or withdrew consent to partners' offers
	// there), for the channel, after the grant was given: the objection
	// binds the partners too (CNIL, 28 December 2018; CJEU C-129/21
	// Proximus).
	DefectObjectionPropagated
	// DefectOnwardTransfer: the data came through more than one entity
	// (a partner passed them on to its own partners) without a new
	// consent (CNIL, 28 December 2018).
	DefectOnwardTransfer
	// DefectPartnerNotNamed: no list shown at collection names the sender
	// (by entity or legal identifier) and no category was given either
	// (GDPR art. 4(11); EDPB Guidelines 05/2020 ¶65; CNIL Groupe Canal+
	// SAN-2023-015).
	DefectPartnerNotNamed
	// DefectPartnerCategoryOnly: the person was shown only a category of
	// recipients, the sender not named (ICO consent guidance; CNIL Groupe
	// Canal+ SAN-2023-015; the question is pending before the CJEU,
	// C-317/25).
	DefectPartnerCategoryOnly
	// DefectSenderAddedLater: the sender was added to the partner list
	// after the grant was given, so the person could not know it.
	DefectSenderAddedLater
	// DefectInvalidPartnerConsent: the partner consent was not a separate
	// choice, was bundled with something else (a contest) or was obtained
	// through an asymmetric, deceptive interface (GDPR art. 4(11), 7(4);
	// CNIL Tagadamedia 2023, Foriou SAN-2024-003, Caloga SAN-2025-002).
	DefectInvalidPartnerConsent
	// DefectNoIndividualProof: no proof of this person's own submission is
	// kept, only a template form (GDPR art. 7(1); CNIL EDF SAN-2022-021).
	DefectNoIndividualProof
)

var defectNames = enum.WithZero[Defect]("consent", "consent defect", "", "pre_ticked", "method_unknown", "unproven", "unconfirmed", "minor",
	"objection_propagated", "onward_partner_transfer", "partner_not_named", "partner_category_only",
	"sender_added_after_consent", "invalid_partner_consent", "no_individual_proof")

// String returns the text form, e.g. "pre_ticked", or "" for NoDefect.
func (d Defect) String() string { return defectNames.String(d) }

// MarshalText implements encoding.TextMarshaler: the text form, "" for
// NoDefect; an undefined Defect is an error.
func (d Defect) MarshalText() ([]byte, error) { return defectNames.Marshal(d) }

// MinorRule is a jurisdiction's age of digital consent (GDPR art. 8): a
// consent given before Age needs parental consent, or joint consent of the
// minor and the parent when Joint is set (France, Loi Informatique et
// Libertés art. 45).
type MinorRule struct {
	Age   int  // in years; zero means no age rule applies
	Joint bool // only joint consent counts, not a parent's alone
}

// Query asks for the consent state of one purpose, channel and sender at an
// instant. Address, BirthDate and Location come from the contact; use
// [Contact.State] to fill them.
type Query struct {
	Purpose Purpose   // the message purpose asked about
	Channel Channel   // the message channel asked about
	Sender  string    // the sender entity, compared by [EntityKey] and Aliases
	Aliases *Aliases  // the host's declared aliases ([Aliases]); nil for none
	At      time.Time // the instant; records dated after it are ignored
	Minors  MinorRule // the age of digital consent; zero: no age rule

	Address   address.Address // the contact's address on Channel; grants must name it
	BirthDate time.Time       // zero when unknown: treated as an adult
	Location  *time.Location  // for the age at capture; UTC when nil
}

// State is the answer to a [Query].
//
// The records are read in time order up to the query instant; a withdrawal or
// objection covering the query ends every grant before it, and only a later
// grant that counts as consent lifts it again. A State names the records
// in force by id ([State.GrantID], [State.StopID], [State.InvalidID]), the
// evidence a decision cites; the records themselves are in the ledger. It
// holds no copy and nothing it returns can change the ledger.
type State struct {
	grant   *Record      // the latest grant in force that counts as consent
	stop    *Record      // the stop in force (withdrawal or objection), if no valid grant came after it
	refusal *Interaction // a refusal at collection in force, read by [Contact.State]; stop is then nil
	invalid *Record      // the latest grant in force that does not count; only when grant is nil
	// since is the instant of the earliest stop of the run in force (the
	// withdrawals, objections and refusals since the last grant that
	// counted); lifted that grant's instant, zero when none.
	since, lifted time.Time
	// sinceID names the stop at since: a record's id, or an interaction's
	// when sinceRefusal.
	sinceID      string
	sinceRefusal bool
	// Defect says why the invalid grant does not count.
	Defect Defect
	// aliases are the query's, to tell whether the grant judged was
	// collected by another entity ([State.Indirect]).
	aliases *Aliases
}

// StoppedSince returns the instant of the earliest withdrawal, objection
// or refusal at collection of the stop in force — the first of the stops
// that came after the last grant that counted — or the zero time when no
// stop is in force. A later stop does not restart the count: the first
// request already obliged the sender.
func (s State) StoppedSince() time.Time {
	if s.stop == nil && s.refusal == nil {
		return time.Time{}
	}
	return s.since
}

// FirstStop names the stop at [State.StoppedSince]: a record's id, or, when
// refusal is true, the id of the interaction whose refusal at collection
// began the run; "" when no stop is in force. It does not allocate.
func (s State) FirstStop() (id string, refusal bool) {
	if s.stop == nil && s.refusal == nil {
		return "", false
	}
	return s.sinceID, s.sinceRefusal
}

// Consented reports whether a grant that counts is in force.
func (s State) Consented() bool { return s.grant != nil }

// Objected reports whether an objection (GDPR art. 21) is in force: an
// objection record, or a refusal at collection ([Interaction.Refused]).
func (s State) Objected() bool {
	return s.refusal != nil || s.stop != nil && s.stop.Status == Objection
}

// Withdrawn reports whether a withdrawal of consent is in force.
func (s State) Withdrawn() bool { return s.stop != nil && s.stop.Status == Withdrawn }

// RefusalID returns the id of the interaction whose refusal at collection
// is the objection in force, or "". Unlike [State.StopID], it does not
// allocate.
func (s State) RefusalID() string {
	if s.refusal == nil {
		return ""
	}
	return s.refusal.ID
}

// refuse applies a refusal at collection, an objection dated e.At: it is in
// force unless a grant that counts, or a withdrawal or objection record,
// came after it. At one instant the refusal wins over a grant, as an
// objection record would.
func (s *State) refuse(e *Interaction) {
	switch {
	case s.grant != nil && s.grant.At.After(e.At):
		return
	case s.stop != nil && s.stop.At.After(e.At),
		s.refusal != nil && s.refusal.At.After(e.At):
		if e.At.After(s.lifted) && e.At.Before(s.since) {
			s.since, s.sinceID, s.sinceRefusal = e.At, e.ID, true // no grant counted since the refusal: it began the run
		}
		return
	}
	inv, d := s.invalid, s.Defect
	if inv == nil || !inv.At.After(e.At) {
		inv, d = nil, NoDefect
	}
	n := State{refusal: e, invalid: inv, Defect: d, since: e.At, lifted: s.lifted, sinceID: e.ID, sinceRefusal: true, aliases: s.aliases}
	switch {
	case s.stop != nil || s.refusal != nil: // a stop before it, still in force, began the run
		n.since, n.sinceID, n.sinceRefusal = s.since, s.sinceID, s.sinceRefusal
	case s.grant != nil:
		n.lifted = s.grant.At
	}
	*s = n
}

// GrantID returns the id of the grant in force that counts as consent, or
// "". With [State.StopID] and [State.InvalidID] it names the evidence of a
// decision without copying records: the records are in the ledger
// ([Ledger.All]).
func (s State) GrantID() string { return idOf(s.grant) }

// GrantAt returns when the grant in force that counts as consent
// ([State.GrantID]) was given, or the zero time when none counts. Rules
// compare it with a do-not-call registration: a later consent to one
// caller may prevail over the registration, an earlier one may not.
func (s State) GrantAt() time.Time {
	if s.grant == nil {
		return time.Time{}
	}
	return s.grant.At
}

// GrantMethod returns how the grant in force that counts as consent
// ([State.GrantID]) was captured, or the zero Method when none counts.
// Rules read it where the law expects a particular evidence of consent
// (German courts: a confirmed double opt-in for e-mail, BGH I ZR 164/09).
func (s State) GrantMethod() Method {
	if s.grant == nil {
		return 0
	}
	return s.grant.Method
}

// GrantDocumented reports whether the grant in force that counts as
// consent records where it was captured ([Record.Source]), the wording
// the person was shown ([Record.WordingVersion]) and the stored proof
// ([Record.ProofRef]): the documentation German law asks of a consumer's
// consent to telephone advertising (UWG §7a(1)). False when none counts.
func (s State) GrantDocumented() bool {
	return s.grant != nil && s.grant.Source != "" && s.grant.WordingVersion != "" && s.grant.ProofRef != ""
}

// GrantMissing returns the first element of a written agreement, in the
// order of [Term], that the grant in force that counts as consent lacks:
// [Signature] (a grant captured with [SignedForm] is signed),
// [AutomatedMeans] or [NotPurchaseCondition] (never [Indefinite], which is
// no element of a written agreement); [NoTerm] when it has them all or
// when none counts. The number and the sender entity, which a
// written agreement must also state, every grant names ([Record.Subject],
// [Record.Sender]) and a grant counts only for them.
func (s State) GrantMissing() Term {
	if s.grant == nil {
		return NoTerm
	}
	t := s.grant.Terms
	if s.grant.Method == SignedForm {
		t |= TermsOf(Signature)
	}
	for x := NoTerm + 1; x <= lastWrittenTerm; x++ {
		if !t.Has(x) {
			return x
		}
	}
	return NoTerm
}

// GrantTerms returns the terms of the grant in force that counts as
// consent ([State.GrantID]), or the empty set when none counts. Rules
// read [Indefinite] where a consent lapses unless it was expressed to be
// for an indefinite period (Australian telemarketing calls).
func (s State) GrantTerms() Terms {
	if s.grant == nil {
		return 0
	}
	return s.grant.Terms
}

// StopID returns the id of the withdrawal or objection in force, or
// "": for a refusal at collection, "refusal:" followed by the
// interaction's id ([State.RefusalID]).
func (s State) StopID() string {
	if s.refusal != nil {
		return refusalRecordID(s.refusal.ID)
	}
	return idOf(s.stop)
}

// InvalidID returns the id of the latest grant in force that does not
// count as consent (see Defect), when no grant counts, or "".
func (s State) InvalidID() string { return idOf(s.invalid) }

// judged is the grant the state judged: the grant in force that counts,
// or, when none counts, the latest one that does not.
func (s State) judged() *Record {
	if s.grant != nil {
		return s.grant
	}
	return s.invalid
}

// Indirect reports whether the grant judged — the grant in force that
// counts ([State.GrantID]), or, when none counts, the one that does not
// ([State.InvalidID]) — was collected by another legal entity than the
// sender: its [Provenance] names another collector. It does not allocate.
func (s State) Indirect() bool {
	r := s.judged()
	return r != nil && r.Provenance.indirect(s.aliases, r.Sender)
}

// Collector returns the entity that collected the grant judged when it is
// indirect ([State.Indirect]), the source a partner's first message must
// name (GDPR art. 14(2)(f)); the zero Party otherwise.
func (s State) Collector() Party {
	if !s.Indirect() {
		return Party{}
	}
	return s.judged().Provenance.Collector
}

// Obtained returns, for an indirect grant judged ([State.Indirect]), when
// the sender obtained the data (its provenance's ObtainedAt, or the
// grant's instant when not recorded) and when the information of GDPR
// art. 14 was sent (zero: not sent); zero times otherwise.
func (s State) Obtained() (obtained, noticed time.Time) {
	if !s.Indirect() {
		return time.Time{}, time.Time{}
	}
	r := s.judged()
	return r.Provenance.obtained(r.At), r.Provenance.NoticeSentAt
}

// InformedAtCollection reports whether an indirect grant judged
// ([State.Indirect]) records that the collector told the person who
// would receive the data - a list shown that named this sender when the
// person was told (not one that named only others, nor one the sender was
// added to later), or a category of recipients - and offered a free,
// simple way to refuse the transfer ([Record.OptOutOffered]): what a
// transfer of data for post or live calls on the collector's legitimate
// interest needs (GDPR arts. 13(1)(e), 14(1)(e); CNIL, 28 December 2018).
func (s State) InformedAtCollection() bool {
	if !s.Indirect() {
		return false
	}
	r := s.judged()
	l := &r.Provenance.Partners
	return r.OptOutOffered && (l.Category != "" || l.Shown != 0 && l.names(s.aliases, r.Sender, r.At))
}

func idOf(r *Record) string {
	if r == nil {
		return ""
	}
	return r.ID
}

// State answers q. Records dated after q.At are ignored. It does not
// allocate.
func (l *Ledger) State(q Query) State {
	var s State
	if l == nil || len(l.records) == 0 {
		return s
	}
	// The query's key is built only when needed: a record whose sender is
	// the query's own text has the query's key, l.keys[i], so a ledger
	// kept by one sender is read without building any.
	var buf [256]byte
	var key []byte
	keyed, group := false, -1
	if !q.Aliases.canon().Empty() {
		key, keyed = canon.AppendEntityKey(buf[:0], q.Sender), true
		if len(key) == 0 {
			return s // names no entity: no record is for it
		}
		group = canon.GroupOf(q.Aliases.canon(), key)
	}
	var memo propagation
	for i := range l.records {
		r := &l.records[i]
		if r.At.After(q.At) {
			break
		}
		if !r.reaches(q.Channel) {
			continue
		}
		if k := l.keys[i]; r.Sender == q.Sender && !keyed {
			if k == "" {
				return State{} // names no entity: no record is for it
			}
		} else {
			if !keyed {
				key, keyed = canon.AppendEntityKey(buf[:0], q.Sender), true
				if len(key) == 0 {
					return State{}
				}
			}
			if k != string(key) && (group < 0 || canon.GroupOf(q.Aliases.canon(), k) != group) {
				continue
			}
		}
		if r.Status.stops() {
			if stopCovers(r.Status, r.Purpose, q.Purpose) {
				s = s.stopped(r)
			}
			continue
		}
		if !r.Purpose.covers(q.Purpose) {
			continue
		}
		if !q.Address.IsZero() && !r.Subject.Same(q.Address) {
			continue
		}
		d := l.partnerDefect(r, &q, &memo)
		if d == NoDefect {
			d = r.defect(&q)
		}
		if d != NoDefect {
			if s.grant == nil {
				s.invalid, s.Defect = r, d
			}
			continue
		}
		s = State{grant: r}
	}
	s.aliases = q.Aliases
	return s
}

// lastStop returns the latest withdrawal or objection covering q (its
// purpose, channel and sender, as State reads them) dated no later than
// q.At, whether or not a later grant lifted it, and its id; the zero time
// when there is none.
func (l *Ledger) lastStop(q *Query) (time.Time, string) {
	if l == nil {
		return time.Time{}, ""
	}
	var buf [256]byte
	key := canon.AppendEntityKey(buf[:0], q.Sender)
	if len(key) == 0 {
		return time.Time{}, ""
	}
	group := canon.GroupOf(q.Aliases.canon(), key)
	var at time.Time
	var id string
	for i := range l.records {
		r := &l.records[i]
		if r.At.After(q.At) {
			break
		}
		if !r.Status.stops() || !r.reaches(q.Channel) || !stopCovers(r.Status, r.Purpose, q.Purpose) {
			continue
		}
		if k := l.keys[i]; k == string(key) || group >= 0 && canon.GroupOf(q.Aliases.canon(), k) == group {
			at, id = r.At, r.ID // records are in time order: the last is the latest
		}
	}
	return at, id
}

// stopped is s after stop r, which covers the query: a new run of stops
// when a grant counted or none was in force, the same run otherwise.
func (s State) stopped(r *Record) State {
	switch {
	case s.stop != nil:
		return State{stop: r, since: s.since, lifted: s.lifted, sinceID: s.sinceID, sinceRefusal: s.sinceRefusal}
	case s.grant != nil:
		return State{stop: r, since: r.At, lifted: s.grant.At, sinceID: r.ID}
	}
	return State{stop: r, since: r.At, lifted: s.lifted, sinceID: r.ID}
}

// reaches reports whether record r speaks for a message on ch: a record
// on ch or on every channel, and an objection to one kind of call for the
// other kind too. "Stop calling me" is a request about the number, not
// about the dialling equipment: the do-not-call list a telemarketer keeps
// covers its live and automated calls alike (Canada's Unsolicited
// Telecommunications Rules, Parts III and IV; 47 CFR 64.1200(d)), and
// where the law frames the opt-out per channel, the telephone is one
// (ePrivacy Directive art. 13(2)). A withdrawal stays scoped to the consent
// withdrawn. See rules/builtin/LAW.md, "Objection scope".
func (r *Record) reaches(ch Channel) bool {
	return r.Channel.covers(ch) || r.Status == Objection && r.Channel.isCall() && ch.isCall()
}

// stopCovers reports whether a withdrawal or objection with the
// given status and scope stops a message with purpose q.
//
// An objection is to direct marketing as such: it stops every marketing
// purpose of that sender on the channels it names, whatever purpose it was
// recorded with (GDPR and UK GDPR art. 21(3), "no longer be processed for
// such purposes"; CPCE art. L34-5, "que ces communications cessent"; CDE
// art. XII.13). The purpose recorded stays as information in the history.
// See rules/builtin/LAW.md, "Objection scope".
//
// A withdrawal of consent (art. 7(3)) stops what its scope covers, on the
// conservative side: a withdrawal of general marketing also stops
// third-party offers from that sender.
func stopCovers(status Status, scope, q Purpose) bool {
	if status == Objection || scope == MarketingGeneral || scope == AllMarketing {
		return q.Marketing()
	}
	return scope.covers(q)
}

// defect judges a grant against the query instant and the minor rule.
func (r *Record) defect(q *Query) Defect {
	switch r.Method {
	case PreTicked:
		return DefectPreTicked
	case MethodUnknown, 0:
		return DefectMethodUnknown
	case Imported:
		if r.ProofRef == "" {
			return DefectUnproven
		}
	case DoubleOptIn:
		if r.ConfirmedAt.IsZero() || r.ConfirmedAt.After(q.At) {
			return DefectUnconfirmed
		}
	}
	if q.Minors.Age > 0 && !q.BirthDate.IsZero() && ageAt(q.BirthDate, r.At, q.Location) < q.Minors.Age {
		if r.Parental == NoParental || (q.Minors.Joint && r.Parental != Joint) {
			return DefectMinor
		}
	}
	return NoDefect
}

// ageAt returns the age in whole years on the local date of t.
func ageAt(birth, t time.Time, loc *time.Location) int {
	if loc == nil {
		loc = time.UTC
	}
	y1, m1, d1 := birth.Date()
	y2, m2, d2 := t.In(loc).Date()
	age := y2 - y1
	if m2 < m1 || (m2 == m1 && d2 < d1) {
		age--
	}
	return age
}

func asErr[T error](err error, target *T) bool { return errors.As(err, target) }
