package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/sdf"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/rtrackers/offsetrange"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/google/go-cmp/cmp"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/consent/ingest"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/internal/audience"
)

// TestMain runs the pipelines of the tests on Beam's in-process prism
// runner unless -runner says otherwise.
func TestMain(m *testing.M) { ptest.Main(m) }

// campaignArgs is the campaign of the tests, as flags: a Sunday, so that
// the house rule of testdata/sunday.yaml defers contacts in UTC, while
// it is already Monday for those in Paris.
var campaignArgs = []string{"-purpose", "marketing_general", "-channel", "email",
	"-sender", "Maison Exemple SAS", "-sender-kind", "company", "-at", "2026-03-08T23:30:00Z"}

// badLines are the lines of the first file that are not contacts, by
// index; each must come out a deny with its offset.
var badLines = map[int]string{
	4:   `{"id":"c-bad-1","kind":"consumer","Country":"FR"}`, // a key in the wrong case
	700: `{"id":"c-bad-2",`,                                  // cut short
	998: `not json at all`,
}

// generated is an audience written to files, with what the library's
// own batch evaluation says of it.
type generated struct {
	glob     string
	ids      []string         // every contact's id, in no order
	badAt    map[int64]string // the bad lines' offsets in the first file, with their text
	requests []eligibility.Request
}

// generate writes a fictional audience of about n contacts over two
// files: several countries, recipients of every kind with ledgers on
// every channel (internal/audience's realistic and rule-exercising
// generators), a byte order mark, CRLF endings, blank lines and the bad
// lines. Each contact's line is decoded again for the expected requests,
// so that both sides read the same bytes.
func generate(t *testing.T, msg consent.Message, n int) generated {
	t.Helper()
	dir := t.TempDir()
	g := generated{glob: filepath.Join(dir, "audience-*.jsonl"), badAt: map[int64]string{}}
	var contacts []*consent.Contact
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	countries := []string{"FR", "GB", "BE", "DE", "IT", "ES", "US"}
	for i, cc := range countries {
		country := address.MustCountry(cc)
		for _, ch := range []consent.Channel{consent.Email, consent.SMS} {
			for _, req := range audience.New(uint64(10+i), country, ch, audience.DefaultMix()).Requests(n / len(countries) / 4) {
				contacts = append(contacts, req.Contact)
			}
		}
		rnd := audience.NewRandom(uint64(20+i), country, paris, consent.Email, consent.SMS, consent.VoiceLive, consent.Push, consent.Post)
		for _, req := range rnd.Requests(n / len(countries) / 2) {
			contacts = append(contacts, req.Contact)
		}
	}
	var files [2]strings.Builder
	files[0].WriteString("\ufeff")
	for i, c := range contacts {
		c.ID = fmt.Sprintf("%s-%05d", c.Country, i)
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		f := &files[i%2]
		if bad, ok := badLines[i]; ok && i%2 == 0 {
			g.badAt[int64(f.Len())] = bad
			f.WriteString(bad + "\n")
		}
		switch i % 97 {
		case 5:
			f.WriteString("\n \t\n") // blank lines hold no contact
		case 6:
			b = append(b, '\r')
		}
		f.Write(b)
		f.WriteByte('\n')
		c2 := new(consent.Contact)
		if err := c2.UnmarshalJSON(b); err != nil {
			t.Fatalf("contact %d does not decode: %v", i, err)
		}
		g.ids = append(g.ids, c.ID)
		g.requests = append(g.requests, eligibility.Request{Contact: c2, Message: msg})
	}
	if len(g.badAt) != len(badLines) {
		t.Fatalf("%d bad lines placed, want %d", len(g.badAt), len(badLines))
	}
	for i := range files {
		name := filepath.Join(dir, fmt.Sprintf("audience-%d.jsonl", i))
		if err := os.WriteFile(name, []byte(files[i].String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return g
}

// want returns the library's own batch evaluation of the audience —
// DecideAll on the same policy — as the summary's tallies, each bad line
// a deny with reason INVALID_REQUEST.
func (g generated) want(t *testing.T, pol *eligibility.Policy) tallies {
	t.Helper()
	want := tallies{N: map[string]int64{}}
	for res := range pol.DecideAll(context.Background(), slices.Values(g.requests)) {
		d := res.Decision
		want.N[tallyKey(d.Verdict.String(), d.Basis.String(), d.Reason, false)]++
	}
	want.N[tallyKey("deny", "no_legal_basis", eligibility.ReasonInvalidRequest, true)] += int64(len(g.badAt))
	return want
}

// runPipeline runs the command's pipeline on args and returns the output
// prefix and the counters.
func runPipeline(t *testing.T, args []string) (string, map[string]int64) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "run") + string(filepath.Separator)
	c, err := parseFlags(flag.NewFlagSet("beam", flag.ContinueOnError), append(args, "-out", out))
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.pipeline()
	if err != nil {
		t.Fatal(err)
	}
	res, err := ptest.RunWithMetrics(p)
	if err != nil {
		t.Fatalf("pipeline: %v", err)
	}
	return out, counters(res)
}

// readOutput reads every record of one output's shards.
func readOutput(t *testing.T, prefix string) []record {
	t.Helper()
	names, err := filepath.Glob(prefix + "-*-of-*.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var recs []record
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var r record
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			recs = append(recs, r)
		}
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	return recs
}

// The pipeline on prism decides a generated audience of a few thousand
// contacts, read in small blocks over two files and written in three
// shards per output, exactly as DecideAll does: the same counts per
// verdict, basis and reason in the outputs, the summary file and the
// metrics; every contact once, in the output of its verdict; every bad
// line a deny at its offset.
func TestCountsAgreeWithDecideAll(t *testing.T) {
	const n = 3500
	args := append(slices.Clone(campaignArgs), "-rules", filepath.Join("testdata", "sunday.yaml"))
	c, err := parseFlags(flag.NewFlagSet("beam", flag.ContinueOnError), args)
	if err != nil {
		t.Fatal(err)
	}
	msgJSON, err := c.message()
	if err != nil {
		t.Fatal(err)
	}
	var msg consent.Message
	if err := json.Unmarshal([]byte(msgJSON), &msg); err != nil {
		t.Fatal(err)
	}
	house, err := c.houseFiles()
	if err != nil {
		t.Fatal(err)
	}
	pol, err := (&decideFn{House: house}).policy()
	if err != nil {
		t.Fatal(err)
	}
	g := generate(t, msg, n)
	want := g.want(t, pol)

	out, metrics := runPipeline(t, append(args, "-in", g.glob, "-block", "16384", "-shards", "3"))

	got := tallies{N: map[string]int64{}}
	seen := map[string]int{}
	badSeen := map[int64]string{}
	for _, o := range [...]struct{ name, verdicts string }{{"allowed", "allow"}, {"deferred", "defer"}, {"denied", "deny undetermined"}} {
		for _, r := range readOutput(t, out+o.name) {
			d := r.Decision
			if !slices.Contains(strings.Fields(o.verdicts), d.Verdict.String()) {
				t.Errorf("%s output holds a %s decision (%s)", o.name, d.Verdict, r.ID)
			}
			got.N[tallyKey(d.Verdict.String(), d.Basis.String(), d.Reason, r.Error != "")]++
			if r.Error != "" {
				badSeen[r.Offset] = r.Error
				if filepath.Base(r.File) != "audience-0.jsonl" || d.Verdict != eligibility.Deny || r.ID != "" {
					t.Errorf("bad line at %s:%d: %+v", r.File, r.Offset, r)
				}
				continue
			}
			seen[r.ID]++
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the outputs' counts differ from DecideAll's (-want +got):\n%s", diff)
	}
	for _, id := range g.ids {
		if seen[id] != 1 {
			t.Errorf("contact %s decided %d times, want once", id, seen[id])
		}
	}
	if len(seen) != len(g.ids) {
		t.Errorf("%d contacts in the outputs, want %d", len(seen), len(g.ids))
	}
	for off := range g.badAt {
		if badSeen[off] == "" {
			t.Errorf("no deny for the bad line at offset %d (denies at %v)", off, badSeen)
		}
	}
	if len(badSeen) != len(g.badAt) {
		t.Errorf("%d lines in error, want %d", len(badSeen), len(g.badAt))
	}
	for _, v := range []string{"allow", "defer", "deny"} {
		if metrics["verdict."+v] == 0 {
			t.Errorf("no %s in the audience: the test does not cover that output", v)
		}
	}

	summary, err := os.ReadFile(out + "summary.txt")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(summaryText(want)+"\n", string(summary)); diff != "" {
		t.Errorf("summary.txt (-want +got):\n%s", diff)
	}
	wantMetrics := map[string]int64{"unreadable": int64(len(g.badAt))}
	for k, n := range want.N {
		f := strings.Split(k, "\t")
		for i, dim := range dimensions {
			wantMetrics[dim+"."+f[i]] += n
		}
	}
	if diff := cmp.Diff(wantMetrics, metrics); diff != "" {
		t.Errorf("metrics (-want +got):\n%s", diff)
	}
}

// The reader gives every line that starts in a block to that block, and
// no other: for every cut of a file into two blocks, the lines of both
// blocks, with their offsets, are the file's lines, once each.
func TestBlocksCoverEveryLineOnce(t *testing.T) {
	file := "\ufeff{\"a\":1}\r\n\n  \n{\"b\":2}\nlast-without-newline"
	want := []line{{Offset: 0, Text: `{"a":1}`}, {Offset: 16, Text: `{"b":2}`}, {Offset: 24, Text: "last-without-newline"}}
	for cut := int64(0); cut <= int64(len(file)); cut++ {
		var got []line
		for _, r := range [][2]int64{{0, cut}, {cut, int64(len(file))}} {
			got = append(got, readBlock(t, file, r[0], r[1])...)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("cut at %d (-want +got):\n%s", cut, diff)
		}
	}
}

// A line longer than the library's bound is reported long, without its
// bytes, and the next line is read whole.
func TestLongLine(t *testing.T) {
	long := strings.Repeat("x", 9<<20)
	r := newLineReader(strings.NewReader(long + "\n{}\n"))
	text, n, isLong, err := r.next()
	if !isLong || text != nil || n != int64(len(long)+1) || err != nil {
		t.Errorf("long line: %d bytes of text, %d read, long %v, %v", len(text), n, isLong, err)
	}
	text, n, isLong, err = r.next()
	if string(text) != "{}" || n != 3 || isLong || err != nil {
		t.Errorf("line after: %q, %d read, long %v, %v", text, n, isLong, err)
	}
	if _, n, _, err := r.next(); n != 0 || err != io.EOF {
		t.Errorf("end: %d read, %v; want 0, EOF", n, err)
	}
}

// readBlock reads the lines of file's block [start, end) as a worker
// does, and checks that the block is then done.
func readBlock(t *testing.T, file string, start, end int64) []line {
	t.Helper()
	path := filepath.Join(t.TempDir(), "f.jsonl")
	if err := os.WriteFile(path, []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	f := fileio.ReadableFile{Metadata: fileio.FileMetadata{Path: path, Size: int64(len(file))}}
	rt := sdf.NewLockRTracker(offsetrange.NewTracker(offsetrange.Restriction{Start: start, End: end}))
	var got []line
	err := (&readLinesFn{}).ProcessElement(context.Background(), rt, f, func(l line) {
		l.File = ""
		got = append(got, l)
	})
	if err != nil {
		t.Fatalf("block [%d, %d): %v", start, end, err)
	}
	if err := rt.GetError(); err != nil || !rt.IsDone() {
		t.Errorf("block [%d, %d): not done (%v)", start, end, err)
	}
	return got
}

// outcome is what becomes of one line: a contact's id, or why it is not one.
type outcome struct{ ID, Err string }

// FuzzBlocks checks the reader against the library's own JSON Lines
// reader: a file cut into two blocks at any point yields, in order, the
// lines that ingest.Lines yields, each decoded to the same contact or the
// same error.
func FuzzBlocks(f *testing.F) {
	f.Add([]byte("\ufeff{\"id\":\"c-1\",\"kind\":\"consumer\",\"country\":\"FR\"}\r\n\n \t\nnot json\n{\"id\":\"c-2\""), uint16(20))
	f.Add([]byte("\n\n\r\n{}\n\ufeff{}"), uint16(3))
	f.Add([]byte(`{"id":"c-3","kind":"consumer","country":"GB","email":"a@example.org"}`), uint16(0))
	f.Fuzz(func(t *testing.T, file []byte, cut uint16) {
		at := int64(cut) % int64(len(file)+1)
		var got []outcome
		for _, r := range [][2]int64{{0, at}, {at, int64(len(file))}} {
			for _, l := range readBlock(t, string(file), r[0], r[1]) {
				c := new(consent.Contact)
				if err := c.UnmarshalJSON([]byte(l.Text)); err != nil {
					got = append(got, outcome{Err: err.Error()})
				} else {
					got = append(got, outcome{ID: c.ID})
				}
			}
		}
		var want []outcome
		for row, err := range ingest.Lines(strings.NewReader(string(file))) {
			var le *ingest.LineError
			switch {
			case err == nil:
				want = append(want, outcome{ID: row.Contact.ID})
			case errors.As(err, &le):
				want = append(want, outcome{Err: le.Err.Error()})
			default:
				t.Fatalf("ingest.Lines: %v", err)
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("cut at %d of %q (-ingest.Lines +blocks):\n%s", at, file, diff)
		}
	})
}

// A command line that cannot make a pipeline fails before anything runs,
// with an error naming what is wrong.
func TestCommandLineRefused(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("house: x\nrules: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	in := []string{"-in", "audience.jsonl", "-out", "out/"}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no input", append([]string{"-out", "out/"}, campaignArgs...), "-in is required"},
		{"no output", append([]string{"-in", "a.jsonl"}, campaignArgs...), "-out is required"},
		{"no instant", append(slices.Clone(in), campaignArgs[:len(campaignArgs)-2]...), "send instant"},
		{"bad channel", append(append(slices.Clone(in), campaignArgs...), "-channel", "pigeon"), "pigeon"},
		{"no shards", append(append(slices.Clone(in), campaignArgs...), "-shards", "0"), "-shards"},
		{"bad house file", append(append(slices.Clone(in), campaignArgs...), "-rules", bad), "bad.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := parseFlags(flag.NewFlagSet("beam", flag.ContinueOnError), tc.args)
			if err == nil {
				_, err = c.pipeline()
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// The command runs the pipeline on prism and prints the counters; the bad
// line is a deny at its offset.
func TestRunPrintsCounters(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "a.jsonl")
	contact := `{"id":"c-1","kind":"consumer","country":"FR","time_zone":"Europe/Paris","email":"client1@example.com"}`
	if err := os.WriteFile(in, []byte(contact+"\nnot json\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"-in", in, "-out", filepath.Join(dir, "out") + "/"}, campaignArgs...)
	c, err := parseFlags(flag.NewFlagSet("beam", flag.ContinueOnError), args)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := run(context.Background(), c, &b); err != nil {
		t.Fatal(err)
	}
	want := "basis.no_legal_basis\t2\nreason.INVALID_REQUEST\t1\nreason.NO_CONSENT\t1\nunreadable\t1\nverdict.deny\t2\n"
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("counters (-want +got):\n%s", diff)
	}
	recs := readOutput(t, filepath.Join(dir, "out", "denied"))
	slices.SortFunc(recs, func(a, b record) int { return int(a.Offset - b.Offset) })
	got := []outcome{}
	for _, r := range recs {
		got = append(got, outcome{ID: r.ID, Err: r.Error})
	}
	if diff := cmp.Diff([]outcome{{ID: "c-1"}, {Err: "consent: malformed JSON at byte 1"}}, got); diff != "" {
		t.Errorf("denied (-want +got):\n%s", diff)
	}
	if recs[1].Offset != int64(len(contact)+1) {
		t.Errorf("the bad line's offset is %d, want %d", recs[1].Offset, len(contact)+1)
	}
}

// An audience without contacts has a summary that says so; a glob that
// matches no file fails the pipeline rather than decide nothing.
func TestEmptyAudience(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "a.jsonl")
	if err := os.WriteFile(in, []byte("\n \n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, metrics := runPipeline(t, append([]string{"-in", in}, campaignArgs...))
	summary, err := os.ReadFile(out + "summary.txt")
	if err != nil {
		t.Fatal(err)
	}
	if want := summaryText(tallies{}) + "\n"; string(summary) != want || !strings.HasPrefix(want, "0 contacts decided, 0 unreadable") {
		t.Errorf("summary %q, want %q", summary, want)
	}
	if len(metrics) != 0 {
		t.Errorf("counters %v, want none", metrics)
	}

	c, err := parseFlags(flag.NewFlagSet("beam", flag.ContinueOnError),
		append([]string{"-in", filepath.Join(dir, "none-*.jsonl"), "-out", filepath.Join(dir, "out") + "/"}, campaignArgs...))
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.pipeline()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ptest.RunWithMetrics(p); err == nil {
		t.Error("a glob that matches no file ran")
	}
}
