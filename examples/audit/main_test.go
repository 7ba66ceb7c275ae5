package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/ingest"
	"github.com/sendright/sendright/eligibility"
	gen "github.com/sendright/sendright/examples/audit/internal/audience"
	"github.com/sendright/sendright/rules"
)

// campaignArgs is the campaign of the tests, as flags.
var campaignArgs = []string{"-purpose", "marketing_general", "-channel", "email",
	"-sender", "Maison Exemple SAS", "-sender-kind", "company", "-at", "2026-03-10T10:00:00Z"}

// contact returns the i-th contact of a varied audience (fictional data):
// countries with and without rules, consent granted, withdrawn or absent,
// a customer's purchase. Command gen writes the same audience.
func contact(i int) string { return gen.Line(i) }

// badLines are the lines of the audience that cannot be read, by line
// number.
var badLines = map[int]string{
	7:   `{"id":"c-bad-1","kind":"consumer","Country":"FR"}`, // a key in the wrong case
	150: `{"id":"c-bad-2",`,                                  // cut short
	299: `not json at all`,
}

// audience returns n lines of JSON Lines with the bad lines in place.
func audience(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if bad, ok := badLines[i]; ok {
			b.WriteString(bad)
		} else {
			b.WriteString(contact(i))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// expected counts an audience's decisions as the library's own DecideAll
// does on the contacts decoded one by one, each bad line a deny with
// reason INVALID_REQUEST.
func expected(t *testing.T, pol *eligibility.Policy, msg consent.Message, n int) *summary {
	t.Helper()
	var reqs []eligibility.Request
	for i := 1; i <= n; i++ {
		if _, ok := badLines[i]; ok {
			continue
		}
		c := new(consent.Contact)
		if err := json.Unmarshal([]byte(contact(i)), c); err != nil {
			t.Fatalf("contact %d: %v", i, err)
		}
		reqs = append(reqs, eligibility.Request{Contact: c, Message: msg})
	}
	want := newSummary(msg)
	for res := range pol.DecideAll(context.Background(), slices.Values(reqs)) {
		want.add(&line{Decision: res.Decision})
	}
	for range badLines {
		want.add(&line{Error: "bad", Decision: eligibility.Decision{Verdict: eligibility.Deny,
			Basis: rules.NoLegalBasis, Reason: eligibility.ReasonInvalidRequest}})
	}
	return want
}

// setUp reads the command's flags as main does: the campaign's message
// and the policy (the default one, or the built-ins with -rules files).
func setUp(t *testing.T, args []string) (consent.Message, *eligibility.Policy) {
	t.Helper()
	c, err := parseFlags(args, new(bytes.Buffer))
	if err != nil {
		t.Fatal(err)
	}
	msg, err := c.message()
	if err != nil {
		t.Fatal(err)
	}
	pol, err := c.policy()
	if err != nil {
		t.Fatal(err)
	}
	return msg, pol
}

func TestCountsAgreeWithDecideAll(t *testing.T) {
	const n = 1200
	msg, pol := setUp(t, campaignArgs)
	var out, errs bytes.Buffer
	got, err := audit(context.Background(), pol, msg, ingest.Lines(strings.NewReader(audience(n))), &out, &errs)
	if err != nil {
		t.Fatal(err)
	}
	want := expected(t, pol, msg, n)
	if got.total != n || got.bad != len(badLines) {
		t.Errorf("total %d, bad %d; want %d, %d", got.total, got.bad, n, len(badLines))
	}
	if diff := cmp.Diff(want.counts, got.counts); diff != "" {
		t.Errorf("counts differ from DecideAll's (-want +got):\n%s", diff)
	}
	if len(got.counts[0]) < 2 || len(got.counts[2]) < 4 || len(got.counts[3]) < 3 {
		t.Errorf("the audience is not varied enough to test anything: %v", got.counts)
	}
	// One output line per input line, in order.
	sc := bufio.NewScanner(&out)
	for i := 1; sc.Scan(); i++ {
		var l struct {
			Line int `json:"line"`
		}
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil || l.Line != i {
			t.Fatalf("output line %d: line %d, %v", i, l.Line, err)
		}
	}
}

// TestAuditLinesAgreesWithAudit checks that the JSON Lines path, which
// decides each lent contact on the decoding goroutine, writes what the
// DecideAll path writes, byte for byte, with the same reports of bad lines
// and the same summary.
func TestAuditLinesAgreesWithAudit(t *testing.T) {
	const n = 1500
	msg, pol := setUp(t, campaignArgs)
	var out, errs, lentOut, lentErrs bytes.Buffer
	want, err := audit(context.Background(), pol, msg, ingest.Lines(strings.NewReader(audience(n))), &out, &errs)
	if err != nil {
		t.Fatal(err)
	}
	got, err := auditLines(pol, msg, strings.NewReader(audience(n)), &lentOut, &lentErrs)
	if err != nil {
		t.Fatal(err)
	}
	if got.total != n || got.bad != len(badLines) || got.bad != want.bad {
		t.Errorf("total %d, bad %d; want %d, %d", got.total, got.bad, n, len(badLines))
	}
	if diff := cmp.Diff(want.counts, got.counts); diff != "" {
		t.Errorf("counts differ from audit's (-audit +auditLines):\n%s", diff)
	}
	if diff := cmp.Diff(out.String(), lentOut.String()); diff != "" {
		t.Errorf("decisions differ from audit's (-audit +auditLines):\n%s", diff)
	}
	if diff := cmp.Diff(errs.String(), lentErrs.String()); diff != "" || errs.Len() == 0 {
		t.Errorf("bad lines reported differently (-audit +auditLines):\n%s", diff)
	}
}

// run runs the command on files in a temporary directory and returns the
// output lines by input line, standard error and the HTML report.
func runAudit(t *testing.T, input, name string, extra ...string) (map[int]line, string, string) {
	t.Helper()
	dir := t.TempDir()
	in, out, html := filepath.Join(dir, name), filepath.Join(dir, "decisions.jsonl"), filepath.Join(dir, "report.html")
	if err := os.WriteFile(in, []byte(input), 0o600); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"-in", in, "-out", out, "-html", html, "-progress=false"}, campaignArgs...)
	var stdout, stderr bytes.Buffer
	if err := run(append(args, extra...), nil, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines := map[int]line{}
	for sc := bufio.NewScanner(f); sc.Scan(); {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("%s: %v", sc.Text(), err)
		}
		lines[l.Line] = l
	}
	page, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	return lines, stderr.String(), string(page)
}

func TestBadRowIsADenyWithItsLine(t *testing.T) {
	lines, stderr, _ := runAudit(t, audience(300), "contacts.jsonl")
	if len(lines) != 300 {
		t.Fatalf("%d output lines, want 300", len(lines))
	}
	for n := range badLines {
		l := lines[n]
		if l.Decision.Verdict != eligibility.Deny || l.Decision.Reason != eligibility.ReasonInvalidRequest || l.Error == "" {
			t.Errorf("line %d: %+v, want a deny INVALID_REQUEST with an error", n, l)
		}
		if want := fmt.Sprintf("line %d:", n); !strings.Contains(l.Error, want) || !strings.Contains(stderr, want) {
			t.Errorf("line %d: error %q, stderr %q: want %q in both", n, l.Error, stderr, want)
		}
	}
	if !strings.Contains(stderr, "300 contacts audited, 3 unreadable") {
		t.Errorf("summary missing from stderr:\n%s", stderr)
	}
}

func TestCSVBadRow(t *testing.T) {
	contacts := "Contact ID,Type,Country,Zone,Email\n" +
		"c-1,consumer,FR,Europe/Paris,lea@example.com\n" +
		"c-2,martian,FR,Europe/Paris,sam@example.org\n" +
		"c-3,consumer,GB,Europe/London,ada@example.net\n"
	dir := t.TempDir()
	mapping := filepath.Join(dir, "mapping.json")
	if err := os.WriteFile(mapping, []byte(`{"contacts":{"Contact ID":"id","Type":"kind","Country":"country","Zone":"time_zone","Email":"email"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	lines, _, _ := runAudit(t, contacts, "contacts.csv", "-mapping", mapping)
	got := map[int]string{}
	for n, l := range lines {
		got[n] = l.ID + " " + l.Decision.Verdict.String() + " " + l.Decision.Reason
	}
	want := map[int]string{2: "c-1 deny NO_CONSENT", 3: " deny INVALID_REQUEST", 4: "c-3 deny NO_CONSENT"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decisions by line (-want +got):\n%s", diff)
	}
}

func TestHTMLIsSelfContained(t *testing.T) {
	_, _, page := runAudit(t, audience(40), "contacts.jsonl")
	for _, c := range []string{"<svg", "<rect", "By reason", "INVALID_REQUEST", "40 contacts audited"} {
		if !strings.Contains(page, c) {
			t.Errorf("the report lacks %q", c)
		}
	}
	// Nothing that would fetch: no URL, no src or href, no CSS url() or
	// @import, no script.
	if m := regexp.MustCompile(`(?i)(https?:|//[a-z0-9]|\bsrc\s*=|\bhref\s*=|url\(|@import|<script|<link|<iframe|<object|<embed)`).FindString(page); m != "" {
		t.Errorf("the report refers outside itself: %q", m)
	}
}

func TestCampaignFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "campaign.json")
	doc := `{"purpose":"marketing_general","channel":"sms","sender":{"entity":"Maison Exemple SAS","kind":"company"},"at":"2026-03-10T10:00:00Z"}`
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := parseFlags([]string{"-campaign", path, "-channel", "email", "-category", "tea"}, new(bytes.Buffer))
	if err != nil {
		t.Fatal(err)
	}
	m, err := c.message()
	if err != nil {
		t.Fatal(err)
	}
	got := []string{m.Purpose.String(), m.Channel.String(), m.Sender.Entity, m.Sender.Kind.String(), m.Category, m.At.String()}
	want := []string{"marketing_general", "email", "Maison Exemple SAS", "company", "tea", "2026-03-10 10:00:00 +0000 UTC"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("campaign (-want +got):\n%s", diff)
	}
	// A misspelt key is refused, not ignored.
	if err := os.WriteFile(path, []byte(`{"Purpose":"marketing_general","at":"2026-03-10T10:00:00Z"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := c.message(); err == nil {
		t.Error("a campaign file with a misspelt key was accepted")
	}
}

func TestHouseRules(t *testing.T) {
	const n = 400
	// A Sunday: the house file defers what the law allows.
	args := []string{"-purpose", "marketing_general", "-channel", "email", "-sender", "Maison Exemple SAS",
		"-sender-kind", "company", "-at", "2026-03-08T10:00:00Z", "-rules", filepath.Join("testdata", "sunday.yaml")}
	msg, pol := setUp(t, args)
	got, err := audit(context.Background(), pol, msg, ingest.Lines(strings.NewReader(audience(n))), io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(expected(t, pol, msg, n).counts, got.counts); diff != "" {
		t.Errorf("counts differ from DecideAll's (-want +got):\n%s", diff)
	}
	if got.counts[0]["defer"] == 0 || got.counts[3]["EXAMPLE_SUNDAY"] != got.counts[0]["defer"] {
		t.Errorf("the house rule deferred nothing, or something else deferred: %v", got.counts)
	}
}

// TestConstantMemory audits a long stream read through a pipe, as a file
// would be, and checks that the live heap stays bounded while the input
// grows far beyond it.
func TestConstantMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("long input")
	}
	n := 60_000
	if raceEnabled {
		n = 10_000
	}
	msg, pol := setUp(t, campaignArgs)
	pr, pw := io.Pipe()
	go func() {
		w := bufio.NewWriter(pw)
		for i := range n {
			fmt.Fprintln(w, contact(i))
		}
		w.Flush()
		pw.Close()
	}()
	var written int64
	var peak uint64
	out := writerFunc(func(p []byte) (int, error) {
		written += int64(len(p))
		if written>>20 != (written-int64(len(p)))>>20 { // every MiB of output
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		return len(p), nil
	})
	sum, err := audit(context.Background(), pol, msg, ingest.Lines(pr), out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if sum.total != n {
		t.Fatalf("%d audited, want %d", sum.total, n)
	}
	t.Logf("%d lines, %d MiB of decisions written, peak live heap %.1f MiB", n, written>>20, float64(peak)/(1<<20))
	if peak == 0 || peak > 24<<20 {
		t.Errorf("peak live heap %d bytes, want at most 24 MiB", peak)
	}
	if written < 2*int64(peak) && !raceEnabled {
		t.Errorf("the output (%d bytes) is not much larger than the heap (%d bytes): the test shows nothing", written, peak)
	}
}

// writerFunc is an io.Writer from a function.
type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestQueueStaysSmall: the queue of pending entries holds storage for
// about the entries queued at once, not for every entry that went through
// it (it used to grow with the input when pushes kept ahead of pops: 10
// million contacts took a gigabyte).
func TestQueueStaysSmall(t *testing.T) {
	var q fifo
	const window = 300
	for i := range window {
		q.push(pending{line: i})
	}
	for i := window; i < 1_000_000; i++ {
		q.push(pending{line: i})
		if p := q.pop(); p.line != i-window {
			t.Fatalf("popped line %d, want %d: not first in, first out", p.line, i-window)
		}
	}
	if c := cap(q.items); c > 4*window {
		t.Errorf("after a million entries through a window of %d, the queue holds storage for %d", window, c)
	}
}
