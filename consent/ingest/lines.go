package ingest

import (
	"bufio"
	"bytes"
	"io"
	"iter"
	"runtime"
	"strconv"
	"sync"

	"github.com/sendright/sendright/consent"
)

// Lines decodes contacts from JSON Lines: one contact per line, in the
// documented JSON form of [consent.Contact]. It yields, in the order of
// the input, a [Row] for each contact and a [*LineError] for each line
// that is not one (malformed, invalid, or longer than [MaxLine]); a line
// ends with "\n" or "\r\n", and the last line may lack it. Lines holding
// only spaces and tabs hold no contact and are passed over, though they
// are counted. A UTF-8 byte order mark before the first line is ignored.
//
// Any other error is the input's: it is yielded last, not wrapped in a
// LineError, and reading stops.
//
// Lines are decoded on every core ([runtime.GOMAXPROCS]) in batches, and
// yielded in their order; at most a few batches are in memory at once,
// whatever the length of the input. Stopping the iteration early stops
// reading.
func Lines(r io.Reader) iter.Seq2[Row, error] { return lines(r, runtime.GOMAXPROCS(0)) }

// LinesFunc decodes contacts from JSON Lines as [Lines] does, and calls f
// with each one as soon as it is decoded, on the decoding goroutine; it
// yields, in the order of the input, f's result for each contact and a
// [*LineError] (with the zero T) for each line that is not one, as Lines
// yields it. Any other error is the input's: it is yielded last, with the
// zero T, and reading stops.
//
// The contact is lent to f for the duration of the call: it belongs to
// the goroutine's [consent.ContactDecoder], which decodes a later line
// into the same [consent.Contact] and the same arrays once f returns. So
// f must not retain, past the call, row.Contact, a copy of *row.Contact
// (a copied Contact shares its slices and its ledger), nor any of its
// slices or its [consent.Ledger], nor hand them to another goroutine that
// outlives the call. Its strings and the values copied out of it (an
// address, a [consent.Record], a time) stay valid and never change. What
// f computes during the call, such as a decision of
// [github.com/sendright/sendright/eligibility.Policy.Decide] (a value
// that holds no pointer into the contact: its evidence is an id, a
// string), is made from that line's contact and nothing can change it
// afterwards; only a contact retained against this rule would see another
// line's data. A contact to keep comes from [Lines].
//
// f is called concurrently from the decoding goroutines (one per core,
// [runtime.GOMAXPROCS]) and must be safe for that. Lending the contact
// spares decoding the allocation of each contact, of its lists and
// strings, and the collection of their garbage: it is the way to decode
// and decide a long list at the rate of the decoder.
func LinesFunc[T any](r io.Reader, f func(row Row) T) iter.Seq2[T, error] {
	return linesFunc(r, runtime.GOMAXPROCS(0), f)
}

// linesFunc is [LinesFunc] with a number of decoding goroutines.
func linesFunc[T any](r io.Reader, workers int, f func(Row) T) iter.Seq2[T, error] {
	return run(r, workers, func() decodeFunc[T] {
		var d consent.ContactDecoder // the contact lent to f, one per goroutine
		return func(b []byte, n int, long bool) (T, error, bool) {
			var zero T
			if err, ok := checkLine(b, n, long); !ok || err != nil {
				return zero, err, ok
			}
			c, err := d.Decode(b)
			if err != nil {
				return zero, &LineError{Line: n, Err: err}, true
			}
			return f(Row{Line: n, Contact: c}), nil, true
		}
	})
}

// decodeFunc decodes one line numbered n into a T; ok is false for a blank
// line. Each decoding goroutine has its own.
type decodeFunc[T any] func(b []byte, n int, long bool) (v T, err error, ok bool)

// Batches of lines handed to one decoding goroutine: at most batchLines
// lines, and a batch is closed once it holds batchBytes bytes.
const (
	batchLines = 256
	batchBytes = 1 << 20
)

// lines is [Lines] with a number of decoding goroutines; with one or
// fewer, the caller's goroutine decodes.
func lines(r io.Reader, workers int) iter.Seq2[Row, error] {
	return run(r, workers, func() decodeFunc[Row] { return decodeLine })
}

// run reads the lines of r and decodes them with the decoders newDecoder
// makes, one per decoding goroutine; with one goroutine or fewer, the
// caller's goroutine decodes.
func run[T any](r io.Reader, workers int, newDecoder func() decodeFunc[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		lr := newLineReader(r)
		if workers <= 1 {
			decode := newDecoder()
			for {
				b, n, long, err := lr.next()
				if err != nil {
					if err != io.EOF {
						yield(zero, err)
					}
					return
				}
				if v, err, ok := decode(b, n, long); ok && !yield(v, err) {
					return
				}
			}
		}
		p := newPipe(workers, newDecoder)
		defer p.close()
		for {
			b := p.fill(lr)
			if len(b.ends) > 0 {
				p.submit(b)
			}
			if b.err != nil || len(b.ends) == 0 {
				for len(p.pending) > 0 {
					if !p.yieldOldest(yield) {
						return
					}
				}
				if b.err != io.EOF && b.err != nil {
					yield(zero, b.err)
				}
				return
			}
			for len(p.pending) >= p.window {
				if !p.yieldOldest(yield) {
					return
				}
			}
		}
	}
}

// decodeLine decodes one line numbered n into a new contact; ok is false
// for a blank line.
func decodeLine(b []byte, n int, long bool) (row Row, err error, ok bool) {
	c := new(consent.Contact)
	if err, ok := decodeInto(c, b, n, long); !ok || err != nil {
		return Row{}, err, ok
	}
	return Row{Line: n, Contact: c}, nil, true
}

// decodeInto decodes one line numbered n into c; ok is false for a blank
// line. On an error, c may hold anything.
func decodeInto(c *consent.Contact, b []byte, n int, long bool) (err error, ok bool) {
	if err, ok := checkLine(b, n, long); !ok || err != nil {
		return err, ok
	}
	if err := c.UnmarshalJSON(b); err != nil {
		return &LineError{Line: n, Err: err}, true
	}
	return nil, true
}

// checkLine reports a line numbered n too long to decode, and ok false for
// a blank line.
func checkLine(b []byte, n int, long bool) (err error, ok bool) {
	if long {
		return &LineError{Line: n, Err: &consent.FieldError{Err: consent.ErrTooLarge,
			Msg: "line longer than " + strconv.Itoa(MaxLine) + " bytes"}}, true
	}
	for _, c := range b {
		if c != ' ' && c != '\t' {
			return nil, true
		}
	}
	return nil, false // blank: spaces and tabs only
}

// lineReader splits its input into lines, bounded by [MaxLine].
type lineReader struct {
	br   *bufio.Reader
	n    int    // number of the last line read
	buf  []byte // the line being read
	done bool
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 64<<10)}
}

// next returns the next line without its terminator and its number, or
// long when it is longer than [MaxLine] (its bytes are then dropped, not
// returned); err is io.EOF at the end of the input. The line is valid
// until the next call.
func (lr *lineReader) next() (line []byte, n int, long bool, err error) {
	if lr.done {
		return nil, 0, false, io.EOF
	}
	lr.buf = lr.buf[:0]
	read := false
	var b []byte // the line: in the reader's buffer, or copied into lr.buf
	for {
		chunk, err := lr.br.ReadSlice('\n')
		read = read || len(chunk) > 0
		switch {
		case long:
		case err != bufio.ErrBufferFull && len(lr.buf) == 0:
			// The whole line is in the reader's buffer, as most are: it is
			// returned from there, valid until the next read, not copied.
			b = chunk
		case len(lr.buf)+len(chunk) > MaxLine+2:
			long, lr.buf = true, lr.buf[:0]
		default:
			lr.buf = append(lr.buf, chunk...)
			b = lr.buf
		}
		switch err {
		case bufio.ErrBufferFull:
			continue
		case nil:
		case io.EOF:
			lr.done = true
			if !read {
				return nil, 0, false, io.EOF
			}
		default:
			lr.done = true
			return nil, 0, false, err
		}
		lr.n++
		b = bytes.TrimSuffix(b, []byte("\n"))
		b = bytes.TrimSuffix(b, []byte("\r"))
		if lr.n == 1 {
			b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
		}
		if len(b) > MaxLine {
			long, b = true, nil
		}
		if long {
			b = nil
		}
		return b, lr.n, long, nil
	}
}

// batch is lines decoded together by one goroutine, and their results.
type batch[T any] struct {
	data []byte // the lines, one after another
	ends []int  // ends[i] is where line i ends in data
	nums []int  // nums[i] is the number of line i, negative when too long
	err  error  // the reader's error after the last line: io.EOF at the end
	vals []T
	errs []error
	ok   []bool
	done chan struct{}
}

// pipe is the state of one parallel [Lines] run: the caller's goroutine
// reads lines into batches and yields the results of pending batches,
// oldest first; workers decode them. Yielded batches are reused.
type pipe[T any] struct {
	window  int
	jobs    chan *batch[T]
	free    []*batch[T]
	pending []*batch[T]
	wg      sync.WaitGroup
}

func newPipe[T any](workers int, newDecoder func() decodeFunc[T]) *pipe[T] {
	p := &pipe[T]{window: 2 * workers, jobs: make(chan *batch[T], 2*workers)}
	for range workers {
		p.wg.Go(func() {
			decode := newDecoder()
			for b := range p.jobs {
				b.decode(decode)
				close(b.done)
			}
		})
	}
	return p
}

// close stops the workers and waits for them.
func (p *pipe[T]) close() {
	close(p.jobs)
	p.wg.Wait()
}

// fill reads lines into a fresh batch until it is full or the input ends.
func (p *pipe[T]) fill(lr *lineReader) *batch[T] {
	var b *batch[T]
	if n := len(p.free); n > 0 {
		b, p.free = p.free[n-1], p.free[:n-1]
	} else {
		b = new(batch[T])
	}
	b.data, b.ends, b.nums, b.err = b.data[:0], b.ends[:0], b.nums[:0], nil
	b.done = make(chan struct{})
	for len(b.ends) < batchLines && len(b.data) < batchBytes {
		line, n, long, err := lr.next()
		if err != nil {
			b.err = err
			break
		}
		if long {
			n = -n
		}
		b.data = append(b.data, line...)
		b.ends = append(b.ends, len(b.data))
		b.nums = append(b.nums, n)
	}
	return b
}

// submit hands b to a worker.
func (p *pipe[T]) submit(b *batch[T]) {
	p.pending = append(p.pending, b)
	p.jobs <- b
}

// yieldOldest waits for the oldest pending batch and yields its results;
// false when the caller stopped.
func (p *pipe[T]) yieldOldest(yield func(T, error) bool) bool {
	b := p.pending[0]
	p.pending = p.pending[1:]
	<-b.done
	for i := range b.vals {
		if b.ok[i] && !yield(b.vals[i], b.errs[i]) {
			return false
		}
	}
	clear(b.vals)
	clear(b.errs)
	p.free = append(p.free, b)
	return true
}

// decode decodes the lines of b with decode.
func (b *batch[T]) decode(decode decodeFunc[T]) {
	b.vals, b.errs, b.ok = b.vals[:0], b.errs[:0], b.ok[:0]
	start := 0
	for i, end := range b.ends {
		n, long := b.nums[i], false
		if n < 0 {
			n, long = -n, true
		}
		v, err, ok := decode(b.data[start:end], n, long)
		b.vals, b.errs, b.ok = append(b.vals, v), append(b.errs, err), append(b.ok, ok)
		start = end
	}
}
