package consent

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// lentOpts compare a lent contact with a fresh one exactly: every field,
// nil and empty lists told apart, ledgers by their records, keys and grant
// count (and each must be in step with its own index), zones by identity.
var lentOpts = cmp.Options{
	cmp.Exporter(func(reflect.Type) bool { return true }),
	cmp.Comparer(func(a, b *time.Location) bool { return a == b }),
	cmp.Comparer(func(a, b Ledger) bool {
		return slices.Equal(a.records, b.records) && slices.Equal(a.keys, b.keys) && a.grants == b.grants &&
			(a.records == nil) == (b.records == nil) && inStep(a) && inStep(b)
	}),
}

// inStep reports whether l's index describes l, as own checks.
func inStep(l Ledger) bool {
	ix := l.index
	if len(l.records) == 0 {
		return ix == nil || ix.n == 0
	}
	return ix != nil && ix.n == len(l.records) && ix.first == &l.records[0]
}

// lentDocs is a sequence of contacts that exercises the reuse of a lent
// contact's storage: many records then none, lists that grow and shrink,
// empty lists after full ones, bad lines in between.
func lentDocs() []string {
	head := `{"id":"%s","kind":"%s","country":"FR","time_zone":"Europe/Paris"`
	rec := func(id, subject, channel, status string, month int) string {
		if status != "granted" {
			return fmt.Sprintf(`{"id":"%s","purpose":"all_marketing","channel":"%s","sender":"Maison Exemple SAS",`+
				`"status":"%s","at":"2025-%02d-02T10:00:00Z"}`, id, channel, status, month)
		}
		return fmt.Sprintf(`{"id":"%s","subject":"%s","purpose":"marketing_general","channel":"%s",`+
			`"sender":"Maison Exemple SAS","status":"%s","at":"2025-%02d-01T10:00:00Z","method":"double_opt_in",`+
			`"confirmed_at":"2025-%02d-01T10:05:00Z","source":"https://shop.example/signup","terms":["signature"]}`,
			id, subject, channel, status, month, month)
	}
	many := func(id string, n int, plain bool) string {
		var b strings.Builder
		fmt.Fprintf(&b, head+`,"email":"lea@example.com","phone":"06 39 98 00 01","records":[`, id, "consumer")
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			status := "granted"
			if i%5 == 4 {
				status = "withdrawn"
			}
			b.WriteString(rec(fmt.Sprintf("%s-r%d", id, i), "lea@example.com", "email", status, i%12+1))
		}
		b.WriteString(`],"relationship":{"purchases":[`)
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"id":"%s-p%d","at":"2025-02-03T10:00:00Z","seller":"Maison Exemple SAS","category":"tea",`+
				`"collected":["lea@example.com","06 39 98 00 01"],"opt_out_offered":true}`, id, i)
		}
		if plain {
			b.WriteString(`]}}`)
			return b.String()
		}
		b.WriteString(`],"responses":[{"id":"x","at":"2025-03-05T08:00:00Z","seller":"S"}],` +
			`"contracts":[{"id":"k-1","seller":"S","start":"2025-02-01T00:00:00Z"},{"id":"k-2","seller":"S","start":"2025-02-01T00:00:00Z"}]},` +
			`"attempts":[{"at":"2025-03-02T10:15:00+01:00","channel":"voice_live","sender":"S","outcome":"refused"}],` +
			`"sent":[{"at":"2025-03-03T08:00:00+01:00","channel":"email","purpose":"marketing_general","sender":"S"},` +
			`{"at":"2025-03-04T08:00:00+01:00","channel":"sms","purpose":"marketing_general","sender":"S"}],` +
			`"registries":[{"registry":"bloctel","number":"06 39 98 00 01","listed":true,` +
			`"listed_since":"2025-02-01T00:00:00Z","checked_at":"2025-03-01T00:00:00Z"}]}`)
		return b.String()
	}
	none := fmt.Sprintf(head+`}`, "c-none", "consumer")
	empty := fmt.Sprintf(head+`,"records":[],"attempts":[],"sent":[],"registries":[],"published_for_marketing":[],`+
		`"relationship":{"purchases":[],"inquiries":[],"support":[],"contracts":[],"responses":[]}}`, "c-empty", "consumer")
	business := fmt.Sprintf(head+`,"email":"info@example.com","published_for_marketing":["info@example.com","+33 1 55 55 01 01"],`+
		`"records":[%s,%s],"relationship":{"inquiries":[{"id":"i","at":"2025-01-05T08:00:00Z","seller":"S","collected":["info@example.com"]}],`+
		`"support":[{"id":"s","at":"2025-01-05T08:00:00Z","seller":"S"}]}}`, "c-biz", "business_generic",
		rec("b-1", "info@example.com", "email", "granted", 1), rec("b-2", "info@example.com", "email", "objection", 2))
	// Two records claiming one id: Append's path, a conflict reported
	// and both kept.
	conflict := fmt.Sprintf(head+`,"email":"lea@example.com","records":[%s,%s]}`, "c-conflict", "consumer",
		rec("same", "lea@example.com", "email", "granted", 1), rec("same", "lea@example.com", "email", "withdrawn", 2))
	escaped := fmt.Sprintf(head+`,"email":"l\u00e9a@example.com","records":[%s]}`, "c-\\u0035", "consumer",
		rec("e-1", "l\\u00e9a@example.com", "email", "granted", 3))
	return []string{
		many("c-1", 20, false), // more than fromDistinct takes: Append's path
		none,
		`{"id":"c-bad","kind":"consumer","country":"FR","time_zone":"Europe/Paris","records":[{"id":"x","channel":"fax"}]}`,
		many("c-2", 5, false),
		`{bad`,
		empty,
		many("c-3", 3, false),
		// Refused by Check, after every list was built.
		strings.Replace(many("c-4", 2, false), `"seller":"S"}],"contracts"`, `"seller":"S","refused":true}],"contracts"`, 1),
		business,
		conflict,
		many("c-5", 16, false),
		escaped,
		none,
		many("c-6", 1, false),
		many("c-8", 5, true), // only records and purchases
		`{"id":"c-7","kind":"consumer","country":"FR","time_zone":"Europe/Nowhere"}`,
		empty,
	}
}

// TestContactDecoderMatchesUnmarshal decodes a sequence of different
// contacts (and bad lines) into one ContactDecoder and compares each lent
// contact, and each error, with a fresh Contact.UnmarshalJSON of the same
// bytes; the strings copied out of the lent contacts must still hold what
// they held once the decoder has moved on.
func TestContactDecoderMatchesUnmarshal(t *testing.T) {
	var docs [][]byte
	for _, d := range lentDocs() {
		docs = append(docs, []byte(d))
	}
	docs = append(docs, wireDocs(t)...)
	docs = append(docs, docs[:len(lentDocs())]...) // again, with grown storage
	var d ContactDecoder
	var copied, want []string
	bad := 0
	for i, b := range docs {
		var fresh Contact
		wantErr := fresh.UnmarshalJSON(b)
		got, err := d.Decode(b)
		if (err == nil) != (wantErr == nil) || err != nil && !sameFieldError(err, wantErr) {
			t.Errorf("doc %d %q: Decode error %s, UnmarshalJSON's %s", i, b, describeErr(err), describeErr(wantErr))
			continue
		}
		if err != nil {
			bad++
			if got != nil {
				t.Errorf("doc %d: Decode returned a contact with its error", i)
			}
			continue
		}
		if diff := cmp.Diff(fresh, *got, lentOpts); diff != "" {
			t.Errorf("doc %d %q: lent contact differs (-UnmarshalJSON +Decode):\n%s", i, b, diff)
		}
		copied = append(copied, got.ID, got.Email.String())
		want = append(want, fresh.ID, fresh.Email.String())
		for r := range got.Records.All() {
			copied = append(copied, r.ID, r.Sender, r.Source)
		}
		for r := range fresh.Records.All() {
			want = append(want, r.ID, r.Sender, r.Source)
		}
	}
	if diff := cmp.Diff(want, copied); diff != "" {
		t.Errorf("strings copied out of lent contacts changed (-fresh +lent):\n%s", diff)
	}
	if bad < 6 || len(docs)-bad < 10 {
		t.Errorf("%d bad documents of %d: the test needs both", bad, len(docs))
	}
}

// TestContactDecoderLendsItsStorage checks that the decoder does reuse
// its storage (the point of it), that the lists it lends are clipped, so
// that appending to one never writes into another's storage, and that
// decoding a long list allocates at most one object per contact (the
// phone number's canonical text).
func TestContactDecoderLendsItsStorage(t *testing.T) {
	docs := lentDocs()
	var d ContactDecoder
	first, err := d.Decode([]byte(docs[3])) // c-2: five records, five purchases
	if err != nil {
		t.Fatal(err)
	}
	recs := first.Records.records
	p := first.Relationship.Purchases
	if cap(p) != len(p) || cap(p[0].Collected) != len(p[0].Collected) || cap(recs) != len(recs) ||
		cap(first.Sent) != len(first.Sent) {
		t.Errorf("lent lists not clipped: purchases %d/%d, collected %d/%d, records %d/%d, sent %d/%d", len(p), cap(p),
			len(p[0].Collected), cap(p[0].Collected), len(recs), cap(recs), len(first.Sent), cap(first.Sent))
	}
	p0 := p[0].Collected
	_ = append(p0, p0[0])
	if !p[1].Collected[0].Same(first.Email) {
		t.Errorf("appending to one interaction's list changed the next one's")
	}
	next, err := d.Decode([]byte(docs[6])) // c-3: three records, three purchases
	if err != nil {
		t.Fatal(err)
	}
	if next != first || &next.Records.records[0] != &recs[0] || &next.Relationship.Purchases[0] != &p[0] {
		t.Errorf("the decoder did not reuse its contact and lists")
	}
	line := []byte(docs[len(docs)-3]) // c-8: five records, five purchases, no attempts nor sends
	if n := testing.AllocsPerRun(200, func() {
		if _, err := d.Decode(line); err != nil {
			t.Fatal(err)
		}
	}); n > 1.5 && !raceEnabled {
		t.Errorf("Decode allocates %.1f objects per contact, want at most about one", n)
	}
}

// FuzzContactDecoder: two documents decoded one after the other into one
// ContactDecoder give what Contact.UnmarshalJSON gives for each, value and
// error.
func FuzzContactDecoder(f *testing.F) {
	docs := lentDocs()
	for i := range docs {
		f.Add([]byte(docs[i]), []byte(docs[(i+1)%len(docs)]))
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		var d ContactDecoder
		for _, doc := range [][]byte{a, b, a} {
			var fresh Contact
			wantErr := fresh.UnmarshalJSON(doc)
			got, err := d.Decode(doc)
			if (err == nil) != (wantErr == nil) || err != nil && !sameFieldError(err, wantErr) {
				t.Fatalf("%q: Decode error %s, UnmarshalJSON's %s", doc, describeErr(err), describeErr(wantErr))
			}
			if err == nil {
				if diff := cmp.Diff(fresh, *got, lentOpts); diff != "" {
					t.Fatalf("%q: lent contact differs (-UnmarshalJSON +Decode):\n%s", doc, diff)
				}
			}
		}
	})
}

// BenchmarkContactDecoder decodes a contact with one record and one
// purchase (the audit benchmarks' contact) with a ContactDecoder, which
// lends it, and with Contact.UnmarshalJSON, which allocates it.
func BenchmarkContactDecoder(b *testing.B) {
	doc := []byte(`{"id":"c-7","kind":"consumer","country":"FR","time_zone":"Europe/Paris","email":"client7@example.com",` +
		`"phone":"+33 6 39 98 00 07","records":[{"id":"r-7-0","subject":"client7@example.com","purpose":"marketing_general",` +
		`"channel":"email","sender":"Maison Exemple SAS","status":"granted","at":"2025-01-01T10:00:00Z","method":"double_opt_in",` +
		`"confirmed_at":"2025-01-01T10:05:00Z","source":"https://shop.example/signup"}],"relationship":{"purchases":[{"id":"p-7-0",` +
		`"at":"2025-02-01T10:00:00Z","seller":"Maison Exemple SAS","category":"tea","collected":["client7@example.com"],"opt_out_offered":true}]}}`)
	b.Run("lent", func(b *testing.B) {
		b.ReportAllocs()
		var d ContactDecoder
		for b.Loop() {
			if _, err := d.Decode(doc); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var c Contact
			if err := c.UnmarshalJSON(doc); err != nil {
				b.Fatal(err)
			}
		}
	})
}
