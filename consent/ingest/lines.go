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

// Batches of lines handed to one decoding goroutine: at most batchLines
// lines, and a batch is closed once it holds batchBytes bytes.
const (
	batchLines = 256
	batchBytes = 1 << 20
)

// lines is [Lines] with a number of decoding goroutines; with one or
// fewer, the caller's goroutine decodes.
func lines(r io.Reader, workers int) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		lr := newLineReader(r)
		if workers <= 1 {
			for {
				b, n, long, err := lr.next()
				if err != nil {
					if err != io.EOF {
						yield(Row{}, err)
					}
					return
				}
				if row, err, ok := decodeLine(b, n, long); ok && !yield(row, err) {
					return
				}
			}
		}
		p := newPipe(workers)
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
					yield(Row{}, b.err)
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

// decodeLine decodes one line numbered n; ok is false for a blank line.
func decodeLine(b []byte, n int, long bool) (row Row, err error, ok bool) {
	if long {
		return Row{}, &LineError{Line: n, Err: &consent.FieldError{Err: consent.ErrTooLarge,
			Msg: "line longer than " + strconv.Itoa(MaxLine) + " bytes"}}, true
	}
	if len(bytes.Trim(b, " \t")) == 0 {
		return Row{}, nil, false
	}
	c := new(consent.Contact)
	if err := c.UnmarshalJSON(b); err != nil {
		return Row{}, &LineError{Line: n, Err: err}, true
	}
	return Row{Line: n, Contact: c}, nil, true
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
	for {
		chunk, err := lr.br.ReadSlice('\n')
		read = read || len(chunk) > 0
		if !long {
			if len(lr.buf)+len(chunk) > MaxLine+2 {
				long, lr.buf = true, lr.buf[:0]
			} else {
				lr.buf = append(lr.buf, chunk...)
			}
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
		b := lr.buf
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
type batch struct {
	data []byte // the lines, one after another
	ends []int  // ends[i] is where line i ends in data
	nums []int  // nums[i] is the number of line i, negative when too long
	err  error  // the reader's error after the last line: io.EOF at the end
	rows []Row
	errs []error
	ok   []bool
	done chan struct{}
}

// pipe is the state of one parallel [Lines] run: the caller's goroutine
// reads lines into batches and yields the results of pending batches,
// oldest first; workers decode them. Yielded batches are reused.
type pipe struct {
	window  int
	jobs    chan *batch
	free    []*batch
	pending []*batch
	wg      sync.WaitGroup
}

func newPipe(workers int) *pipe {
	p := &pipe{window: 2 * workers, jobs: make(chan *batch, 2*workers)}
	for range workers {
		p.wg.Go(func() {
			for b := range p.jobs {
				b.decode()
				close(b.done)
			}
		})
	}
	return p
}

// close stops the workers and waits for them.
func (p *pipe) close() {
	close(p.jobs)
	p.wg.Wait()
}

// fill reads lines into a fresh batch until it is full or the input ends.
func (p *pipe) fill(lr *lineReader) *batch {
	var b *batch
	if n := len(p.free); n > 0 {
		b, p.free = p.free[n-1], p.free[:n-1]
	} else {
		b = new(batch)
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
func (p *pipe) submit(b *batch) {
	p.pending = append(p.pending, b)
	p.jobs <- b
}

// yieldOldest waits for the oldest pending batch and yields its results;
// false when the caller stopped.
func (p *pipe) yieldOldest(yield func(Row, error) bool) bool {
	b := p.pending[0]
	p.pending = p.pending[1:]
	<-b.done
	for i := range b.rows {
		if b.ok[i] && !yield(b.rows[i], b.errs[i]) {
			return false
		}
	}
	clear(b.rows)
	clear(b.errs)
	p.free = append(p.free, b)
	return true
}

// decode decodes the lines of b.
func (b *batch) decode() {
	b.rows, b.errs, b.ok = b.rows[:0], b.errs[:0], b.ok[:0]
	start := 0
	for i, end := range b.ends {
		n, long := b.nums[i], false
		if n < 0 {
			n, long = -n, true
		}
		row, err, ok := decodeLine(b.data[start:end], n, long)
		b.rows, b.errs, b.ok = append(b.rows, row), append(b.errs, err), append(b.ok, ok)
		start = end
	}
}
