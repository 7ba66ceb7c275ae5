// Command audit checks a list of contacts before a campaign: it decides
// every contact for one message with the library's default policy (and any
// house rule files), writes one decision per contact as JSON Lines, prints
// a summary table — counts by verdict, basis, jurisdiction and reason — and,
// with -html, writes a self-contained HTML report with bar charts that
// opens without a network.
//
// Contacts come as JSON Lines (the documented contact form, one per line)
// or as CSV tables (a contacts table, and optionally consent events and
// purchases joined by contact id, with a column mapping). The campaign
// comes from flags or from a file holding a message's JSON form:
//
//	go run . -in contacts.jsonl -purpose marketing_general -channel email \
//	    -sender 'Maison Exemple SAS' -sender-kind company \
//	    -at 2026-03-10T10:00:00Z -out decisions.jsonl -html report.html
//
// A malformed line or row is reported with its line number and counted as
// a deny (reason INVALID_REQUEST); it is never skipped. JSON Lines are
// streamed: memory stays constant whatever the length of the list. CSV
// events and purchases tables are read into memory to be joined; the
// contacts table is streamed.
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
	"runtime/debug"
	"strings"
	"sync"

	"github.com/schollz/progressbar/v3"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/ingest"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/internal/campaign"
	"github.com/sendright/sendright/rules"
)

func main() {
	if os.Getenv("GOGC") == "" {
		// The audit's live heap is small and constant (a few batches of
		// lines in flight); letting the heap grow to five times it before
		// a collection, not twice, spends less of the CPU collecting. The
		// peak resident memory stays constant (see the README). GOGC in
		// the environment overrides it.
		debug.SetGCPercent(gcPercent)
	}
	if err := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "audit:", err)
		if errors.Is(err, flag.ErrHelp) || errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// gcPercent is the collector's target the command sets, unless GOGC is
// set.
const gcPercent = 400

// errUsage marks an error in the command line (the campaign's included).
var errUsage = campaign.ErrUsage

// config is the command line.
type config struct {
	in, format, events, purchases, mapping string
	campaign                               campaign.Flags // -campaign and the message's flags
	ruleFiles                              []string
	out, html                              string
	progress                               bool
}

// parseFlags reads the command line.
func parseFlags(args []string, stderr io.Writer) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.in, "in", "-", "contacts: a JSON Lines file, or the CSV contacts table (- for standard input)")
	fs.StringVar(&c.format, "format", "", "jsonl or csv (default: csv when -in ends in .csv, else jsonl)")
	fs.StringVar(&c.events, "events", "", "CSV: the consent events table")
	fs.StringVar(&c.purchases, "purchases", "", "CSV: the purchases table")
	fs.StringVar(&c.mapping, "mapping", "", `CSV: a JSON file {"contacts": {header: field}, "events": {...}, "purchases": {...}}`)
	c.campaign.Register(fs)
	fs.Func("rules", "a house rule file compiled beside the built-in law (repeatable)", func(path string) error {
		if path == "" {
			return errors.New("empty path")
		}
		c.ruleFiles = append(c.ruleFiles, path)
		return nil
	})
	fs.StringVar(&c.out, "out", "-", "where to write one decision per contact as JSON Lines (- for standard output)")
	fs.StringVar(&c.html, "html", "", "write a self-contained HTML report to this file")
	fs.BoolVar(&c.progress, "progress", true, "show a progress bar on standard error")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if c.format == "" {
		c.format = "jsonl"
		if strings.EqualFold(filepath.Ext(c.in), ".csv") {
			c.format = "csv"
		}
	}
	if c.format != "jsonl" && c.format != "csv" {
		return nil, fmt.Errorf("%w: -format %q: want jsonl or csv", errUsage, c.format)
	}
	return c, nil
}

// message builds the campaign from the file and flags, decoded (and so
// validated) as the documented JSON form of a message.
func (c *config) message() (consent.Message, error) {
	m, _, err := c.campaign.Message()
	return m, err
}

// policy compiles the built-in law with the house rule files.
func (c *config) policy() (*eligibility.Policy, error) {
	if len(c.ruleFiles) == 0 {
		return eligibility.Default()
	}
	sets, err := rules.Builtin()
	if err != nil {
		return nil, err
	}
	for _, path := range c.ruleFiles {
		s, err := rules.ParseFile(path)
		if err != nil {
			return nil, err
		}
		sets = append(sets, s)
	}
	return eligibility.Compile(sets, eligibility.Params{})
}

// run is the command: args without the program name.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	msg, err := c.message()
	if err != nil {
		return err
	}
	pol, err := c.policy()
	if err != nil {
		return err
	}
	in, size, closeIn, err := open(c.in, stdin)
	if err != nil {
		return err
	}
	defer closeIn()
	if c.progress {
		bar := progressbar.NewOptions64(size, progressbar.OptionSetWriter(stderr),
			progressbar.OptionSetDescription("auditing"), progressbar.OptionShowBytes(true),
			progressbar.OptionThrottle(200_000_000), progressbar.OptionClearOnFinish())
		r := progressbar.NewReader(in, bar)
		in = &r
		defer bar.Finish()
	}
	rows, err := c.rows(in)
	if err != nil {
		return err
	}
	out, closeOut, err := create(c.out, stdout)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(out, 64<<10)
	var sum *summary
	if c.format == "jsonl" {
		sum, err = auditLines(pol, msg, in, w, stderr)
	} else {
		sum, err = audit(context.Background(), pol, msg, rows, w, stderr)
	}
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if c.progress {
		fmt.Fprintln(stderr)
	}
	if err := sum.writeText(stderr); err != nil {
		return err
	}
	if c.html != "" {
		f, err := os.Create(c.html)
		if err != nil {
			return err
		}
		if err := sum.writeHTML(f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	return nil
}

// rows returns the contacts of the input in its format.
func (c *config) rows(in io.Reader) (func(yield func(ingest.Row, error) bool), error) {
	if c.format == "jsonl" {
		if c.events != "" || c.purchases != "" || c.mapping != "" {
			return nil, fmt.Errorf("%w: -events, -purchases and -mapping are for CSV input", errUsage)
		}
		return ingest.Lines(in), nil
	}
	src := ingest.CSV{Contacts: in}
	if c.mapping != "" {
		b, err := os.ReadFile(c.mapping)
		if err != nil {
			return nil, err
		}
		var m struct {
			Contacts, Events, Purchases ingest.Mapping
		}
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&m); err != nil {
			return nil, fmt.Errorf("mapping %s: %w", c.mapping, err)
		}
		src.ContactColumns, src.EventColumns, src.PurchaseColumns = m.Contacts, m.Events, m.Purchases
	}
	for _, t := range [...]struct {
		path string
		dst  *io.Reader
	}{{c.events, &src.Events}, {c.purchases, &src.Purchases}} {
		if t.path == "" {
			continue
		}
		// Read whole: ReadCSV holds these tables in memory to join them.
		b, err := os.ReadFile(t.path)
		if err != nil {
			return nil, err
		}
		*t.dst = strings.NewReader(string(b))
	}
	return ingest.ReadCSV(src), nil
}

// open opens the input; size is -1 when unknown.
func open(path string, stdin io.Reader) (r io.Reader, size int64, closeFn func() error, err error) {
	if path == "-" {
		return stdin, -1, func() error { return nil }, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, nil, err
	}
	size = -1
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		size = st.Size()
	}
	return f, size, f.Close, nil
}

// create opens the decisions output.
func create(path string, stdout io.Writer) (io.Writer, func() error, error) {
	if path == "-" {
		return stdout, func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	return f, f.Close, nil
}

// line is one line of the decisions output.
type line struct {
	// Line is the contact's line in the input.
	Line int `json:"line"`
	// ID is the contact's id; empty for a row that could not be read.
	ID string `json:"id,omitempty"`
	// Error says why the row could not be read; it never repeats the
	// input.
	Error string `json:"error,omitempty"`
	// Decision is the contact's decision: a deny for a row in error.
	Decision eligibility.Decision `json:"decision"`
}

// pending is what the audit knows of a request in flight: DecideAll yields
// results in the order of its requests, so pending entries are matched
// with results first in, first out.
type pending struct {
	line int
	id   string
	err  error
}

// fifo is the queue of pending entries, safe for concurrent use: the
// producer runs ahead of the consumer by DecideAll's window, and the queue
// holds about that many entries, never the whole input.
type fifo struct {
	mu    sync.Mutex
	items []pending
	head  int // items[head:] are queued
}

// push queues p. The entries already popped are dropped once they are
// half the storage, so that the storage stays about twice the entries
// queued at once however many go through.
func (q *fifo) push(p pending) {
	q.mu.Lock()
	if q.head > 0 && q.head*2 >= len(q.items) {
		n := copy(q.items, q.items[q.head:])
		clear(q.items[n:])
		q.items, q.head = q.items[:n], 0
	}
	q.items = append(q.items, p)
	q.mu.Unlock()
}

// pop returns the oldest queued entry; there must be one.
func (q *fifo) pop() pending {
	q.mu.Lock()
	defer q.mu.Unlock()
	p := q.items[q.head]
	q.items[q.head] = pending{}
	q.head++
	return p
}

// audit decides every row for msg, writes one line per row to out, reports
// each bad row on errs, and returns the counts. A row in error is decided
// as a request without a contact — a deny — and its decision carries the
// row's error. An error that stops the input (a read failure, a bad CSV
// header) stops the audit.
func audit(ctx context.Context, pol *eligibility.Policy, msg consent.Message,
	rows func(yield func(ingest.Row, error) bool), out, errs io.Writer) (*summary, error) {
	var (
		queue   fifo
		stopErr error
	)
	push, pop := queue.push, queue.pop
	reqs := func(yield func(eligibility.Request) bool) {
		for row, err := range rows {
			var le *ingest.LineError
			switch {
			case err == nil:
				push(pending{line: row.Line, id: row.Contact.ID})
				if !yield(eligibility.Request{Contact: row.Contact, Message: msg}) {
					return
				}
			case errors.As(err, &le):
				push(pending{line: le.Line, err: le})
				if !yield(eligibility.Request{Message: msg}) {
					return
				}
			default:
				stopErr = err
				return
			}
		}
	}
	sum := newSummary(msg)
	enc := json.NewEncoder(out)
	for res := range pol.DecideAll(ctx, reqs) {
		if res.Request.Contact == nil && res.Decision.Reason == eligibility.ReasonCancelled {
			return sum, res.Err
		}
		p := pop()
		l := line{Line: p.line, ID: p.id, Decision: res.Decision}
		if p.err != nil {
			fmt.Fprintln(errs, p.err)
			l.Error = p.err.Error()
			l.Decision.Verdict, l.Decision.Basis = eligibility.Deny, rules.NoLegalBasis
			l.Decision.Reason, l.Decision.Detail = eligibility.ReasonInvalidRequest, l.Error
		}
		sum.add(&l)
		if err := enc.Encode(&l); err != nil {
			return sum, err
		}
	}
	return sum, stopErr
}

// auditLines is [audit] for JSON Lines: each contact is decided as soon as
// it is decoded, on the decoding goroutine, while [ingest.LinesFunc] lends
// it (no contact is allocated per line, nor kept: only its id and its
// decision, values, leave the call). A bad line is decided as a request
// without a contact, as audit does it.
func auditLines(pol *eligibility.Policy, msg consent.Message, in io.Reader, out, errs io.Writer) (*summary, error) {
	invalid, _ := pol.Decide(eligibility.Request{Message: msg}) // a deny: no contact
	sum := newSummary(msg)
	enc := json.NewEncoder(out)
	lines := ingest.LinesFunc(in, func(row ingest.Row) line {
		d, _ := pol.Decide(eligibility.Request{Contact: row.Contact, Message: msg})
		return line{Line: row.Line, ID: row.Contact.ID, Decision: d}
	})
	for l, err := range lines {
		if err != nil {
			var le *ingest.LineError
			if !errors.As(err, &le) {
				return sum, err
			}
			fmt.Fprintln(errs, le)
			l = line{Line: le.Line, Error: le.Error(), Decision: invalid}
			l.Decision.Verdict, l.Decision.Basis = eligibility.Deny, rules.NoLegalBasis
			l.Decision.Reason, l.Decision.Detail = eligibility.ReasonInvalidRequest, l.Error
		}
		sum.add(&l)
		if err := enc.Encode(&l); err != nil {
			return sum, err
		}
	}
	return sum, nil
}
