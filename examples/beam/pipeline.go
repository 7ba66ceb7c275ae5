package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"reflect"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/sdf"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/rtrackers/offsetrange"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/ingest"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

func init() {
	// Types and functions a runner's workers meet by name: registered so
	// that they are found without reflection on a distributed runner.
	beam.RegisterType(reflect.TypeFor[line]())
	beam.RegisterType(reflect.TypeFor[ruleFile]())
	beam.RegisterType(reflect.TypeFor[tallies]())
	register.DoFn4x1[context.Context, *sdf.LockRTracker, fileio.ReadableFile, func(line), error](&readLinesFn{})
	register.Emitter1[line]()
	register.DoFn6x1[context.Context, line, func(string), func(string), func(string), func(string), error](&decideFn{})
	register.Emitter1[string]()
	register.DoFn1x2[string, int, string](&shardFn{})
	register.DoFn3x1[context.Context, int, func(*string) bool, error](&writeShardFn{})
	register.Iter1[string]()
	register.Combiner3[tallies, string, string](&countFn{})
}

// plan is what the pipeline is built from; everything in it travels to
// the workers.
type plan struct {
	In, Out string
	Shards  int
	Block   int64
	Message string // the campaign's documented JSON form
	House   []ruleFile
}

// build adds the pipeline to s: read the audience's lines, decide each,
// write the three outputs and the summary.
func build(s beam.Scope, pl plan) {
	// A glob that matches no file fails the pipeline: an audience that
	// was not found is not an empty one.
	files := fileio.ReadMatches(s, fileio.MatchFiles(s, pl.In, fileio.MatchEmptyDisallow()), fileio.ReadUncompressed())
	lines := beam.ParDo(s, &readLinesFn{Block: pl.Block}, files)
	// Reading a block is cheap, deciding its lines is not: spread the lines
	// over every worker before deciding them.
	lines = beam.Reshuffle(s, lines)
	allowed, deferred, denied, keys := beam.ParDo4(s, &decideFn{Message: pl.Message, House: pl.House}, lines)
	for _, o := range [...]struct {
		name string
		col  beam.PCollection
	}{{"allowed", allowed}, {"deferred", deferred}, {"denied", denied}} {
		s := s.Scope("write " + o.name)
		shards := beam.GroupByKey(s, beam.ParDo(s, &shardFn{N: pl.Shards}, o.col))
		beam.ParDo0(s, &writeShardFn{Prefix: pl.Out + o.name, N: pl.Shards}, shards)
	}
	// The empty key, which counts nothing, makes the summary of an
	// audience without contacts say so rather than be missing.
	keys = beam.Flatten(s, keys, beam.Create(s, ""))
	textio.Write(s, pl.Out+"summary.txt", beam.Combine(s, &countFn{}, keys))
}

// line is one line of an input file.
type line struct {
	// File is the file's path as matched.
	File string
	// Offset is the byte offset of the line's first byte in the file.
	Offset int64
	// Text is the line without its terminator; empty when Long.
	Text string
	// Long says the line is longer than ingest.MaxLine: its bytes are
	// dropped, and it is a deny.
	Long bool
}

// readLinesFn reads the lines of a file, split into blocks of Block bytes
// read independently: a line belongs to the block its first byte is in.
// It is a splittable DoFn, so that a runner can also split a block that
// is slow to read.
type readLinesFn struct {
	Block int64
}

// CreateInitialRestriction is the whole file.
func (fn *readLinesFn) CreateInitialRestriction(f fileio.ReadableFile) offsetrange.Restriction {
	return offsetrange.Restriction{Start: 0, End: f.Metadata.Size}
}

// SplitRestriction cuts the file into blocks.
func (fn *readLinesFn) SplitRestriction(_ fileio.ReadableFile, r offsetrange.Restriction) []offsetrange.Restriction {
	return r.SizedSplits(max(fn.Block, 1))
}

// RestrictionSize is the block's size in bytes.
func (fn *readLinesFn) RestrictionSize(_ fileio.ReadableFile, r offsetrange.Restriction) float64 {
	return r.Size()
}

// CreateTracker tracks the offsets of the lines claimed.
func (fn *readLinesFn) CreateTracker(r offsetrange.Restriction) *sdf.LockRTracker {
	return sdf.NewLockRTracker(offsetrange.NewTracker(r))
}

// ProcessElement emits every line that starts inside the restriction,
// claiming each line's offset before emitting it.
func (fn *readLinesFn) ProcessElement(ctx context.Context, rt *sdf.LockRTracker, f fileio.ReadableFile, emit func(line)) error {
	path := f.Metadata.Path
	for _, ext := range [...]string{".gz", ".bz2", ".zst", ".zip", ".deflate"} {
		if strings.HasSuffix(strings.ToLower(path), ext) {
			return fmt.Errorf("%s: compressed input is not read: decompress it first", path)
		}
	}
	rest := rt.GetRestriction().(offsetrange.Restriction)
	rc, err := f.Open(ctx)
	if err != nil {
		return err
	}
	defer rc.Close()
	r := newLineReader(rc)
	pos := rest.Start
	if pos > 0 {
		// The line holding byte pos-1 belongs to an earlier block: skip to
		// its end, which is where the first line of this block starts.
		if err := r.skip(pos - 1); err != nil {
			return err
		}
		n, err := r.skipLine()
		pos += n - 1
		if err == io.EOF {
			rt.TryClaim(rest.End) // no line starts in this block
			return nil
		} else if err != nil {
			return err
		}
	}
	for rt.TryClaim(pos) {
		text, n, long, err := r.next()
		if n > 0 {
			if pos == 0 {
				text = bytes.TrimPrefix(text, []byte("\ufeff"))
			}
			if long || len(bytes.Trim(text, " \t")) > 0 {
				emit(line{File: path, Offset: pos, Text: string(text), Long: long})
			}
			pos += n
		}
		if err == io.EOF {
			rt.TryClaim(rest.End) // the file ends in this block
			return nil
		} else if err != nil {
			return err
		}
	}
	return nil
}

// lineReader splits a file into lines bounded by ingest.MaxLine.
type lineReader struct {
	br  *bufio.Reader
	src io.Reader
	buf []byte
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 64<<10), src: r}
}

// skip passes over the first n bytes of the file, seeking when it can.
func (r *lineReader) skip(n int64) error {
	if s, ok := r.src.(io.Seeker); ok {
		if _, err := s.Seek(n, io.SeekStart); err == nil {
			r.br.Reset(r.src)
			return nil
		}
	}
	_, err := io.CopyN(io.Discard, r.br, n)
	if err == io.EOF {
		return fmt.Errorf("the file is shorter than its listed size (%d bytes)", n)
	}
	return err
}

// skipLine passes over the rest of the current line, terminator
// included, and returns the number of bytes passed; err is io.EOF when the
// file ends first.
func (r *lineReader) skipLine() (int64, error) {
	var n int64
	for {
		chunk, err := r.br.ReadSlice('\n')
		n += int64(len(chunk))
		if err != bufio.ErrBufferFull {
			return n, err
		}
	}
}

// next returns the next line without its terminator ("\n" or "\r\n") and
// the number of bytes it takes in the file, terminator included; long is
// true when it is longer than ingest.MaxLine (its bytes are then not
// returned). err is io.EOF at the end of the file, possibly together with
// a last line that has no terminator. The line is valid until the next
// call.
func (r *lineReader) next() (text []byte, n int64, long bool, err error) {
	r.buf = r.buf[:0]
	for {
		chunk, err := r.br.ReadSlice('\n')
		n += int64(len(chunk))
		if !long {
			if len(r.buf)+len(chunk) > ingest.MaxLine+2 {
				long, r.buf = true, r.buf[:0]
			} else {
				r.buf = append(r.buf, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		text = bytes.TrimSuffix(bytes.TrimSuffix(r.buf, []byte("\n")), []byte("\r"))
		if long || len(text) > ingest.MaxLine {
			long, text = true, nil
		}
		return text, n, long, err
	}
}

// ruleFile is a house rule file, carried to the workers whole.
type ruleFile struct {
	Name, Text string
}

// decideFn decides each line for the campaign. Setup compiles the policy
// once per instance of the DoFn, which a runner keeps for many bundles.
type decideFn struct {
	Message string
	House   []ruleFile

	pol *eligibility.Policy
	msg consent.Message
}

// policy compiles the built-in law with the house rule files.
func (fn *decideFn) policy() (*eligibility.Policy, error) {
	if len(fn.House) == 0 {
		return eligibility.Default()
	}
	sets, err := rules.Builtin()
	if err != nil {
		return nil, err
	}
	for _, f := range fn.House {
		s, err := rules.Parse(f.Name, []byte(f.Text))
		if err != nil {
			return nil, err
		}
		sets = append(sets, s)
	}
	return eligibility.Compile(sets, eligibility.Params{})
}

// Setup compiles the policy and decodes the campaign.
func (fn *decideFn) Setup() error {
	if err := json.Unmarshal([]byte(fn.Message), &fn.msg); err != nil {
		return fmt.Errorf("campaign: %w", err)
	}
	pol, err := fn.policy()
	if err != nil {
		return err
	}
	fn.pol = pol
	return nil
}

// record is one line of an output: one contact's decision.
type record struct {
	// File and Offset say where the contact's line is.
	File   string `json:"file"`
	Offset int64  `json:"offset"`
	// ID is the contact's id; empty for a line that is not a contact.
	ID string `json:"id,omitempty"`
	// Error says why the line is not a contact; it never repeats the
	// line.
	Error string `json:"error,omitempty"`
	// Decision is the contact's decision: a deny for a line in error.
	Decision eligibility.Decision `json:"decision"`
}

// counter namespace of the pipeline's metrics.
const metricsNamespace = "sendright"

// ProcessElement decodes the line, decides it and emits its record to the
// output of its verdict (an Undetermined verdict, which never happens
// without an error, goes with the denials: only Allow sends), and its
// verdict, basis and reason to keys.
func (fn *decideFn) ProcessElement(ctx context.Context, l line, allowed, deferred, denied, keys func(string)) error {
	rec := record{File: l.File, Offset: l.Offset}
	var c *consent.Contact
	var lineErr error
	if l.Long {
		lineErr = fmt.Errorf("line longer than %d bytes", ingest.MaxLine)
	} else {
		c = new(consent.Contact)
		if err := c.UnmarshalJSON([]byte(l.Text)); err != nil {
			c, lineErr = nil, err
		}
	}
	if c != nil {
		rec.ID = c.ID
	}
	// A line in error is decided as a request without a contact — a deny
	// that carries the policy's version and the instant — then says why.
	rec.Decision, _ = fn.pol.Decide(eligibility.Request{Contact: c, Message: fn.msg})
	if lineErr != nil {
		d := &rec.Decision
		rec.Error = lineErr.Error()
		d.Verdict, d.Basis, d.Reason, d.Detail = eligibility.Deny, rules.NoLegalBasis, eligibility.ReasonInvalidRequest, rec.Error
		beam.NewCounter(metricsNamespace, "unreadable").Inc(ctx, 1)
	}
	b, err := json.Marshal(&rec)
	if err != nil {
		return err
	}
	switch rec.Decision.Verdict {
	case eligibility.Allow:
		allowed(string(b))
	case eligibility.Defer:
		deferred(string(b))
	default:
		denied(string(b))
	}
	d := &rec.Decision
	for i, v := range [...]string{d.Verdict.String(), d.Basis.String(), d.Reason} {
		beam.NewCounter(metricsNamespace, dimensions[i]+"."+v).Inc(ctx, 1)
	}
	keys(tallyKey(d.Verdict.String(), d.Basis.String(), d.Reason, lineErr != nil))
	return nil
}

// shardFn keys each record with its shard, a hash of the record.
type shardFn struct {
	N int
}

// ProcessElement keys the record.
func (fn *shardFn) ProcessElement(rec string) (int, string) {
	h := fnv.New32a()
	h.Write([]byte(rec))
	return int(h.Sum32() % uint32(max(fn.N, 1))), rec
}

// writeShardFn writes one shard of an output as JSON Lines, to
// Prefix-SSSSS-of-NNNNN.jsonl; a shard with no record writes no file.
type writeShardFn struct {
	Prefix string
	N      int
}

// ProcessElement writes the shard's records.
func (fn *writeShardFn) ProcessElement(ctx context.Context, shard int, recs func(*string) bool) (err error) {
	name := fmt.Sprintf("%s-%05d-of-%05d.jsonl", fn.Prefix, shard, fn.N)
	fsys, err := filesystem.New(ctx, name)
	if err != nil {
		return err
	}
	defer fsys.Close()
	f, err := fsys.OpenWrite(ctx, name)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var rec string
	for recs(&rec) {
		w.WriteString(rec)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
