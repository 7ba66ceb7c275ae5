package eligibility

import (
	"context"
	"iter"
	"runtime"
	"sync"

	"github.com/sendright/sendright/rules"
)

// Result is one request of a batch with its decision and error, which
// travel together so that an error cannot be ignored by accident.
type Result struct {
	// Request is the request decided; zero in the last Result of a
	// cancelled batch.
	Request Request
	// Decision is its decision: a Deny whenever Err is set.
	Decision Decision
	// Err is the error Decide returned, or context.Cause(ctx) in the last
	// Result of a cancelled batch.
	Err error
}

// batchSize is the number of requests a worker decides at a time: large
// enough that handing work between goroutines costs little per decision,
// small enough that the memory in flight stays a few megabytes.
const batchSize = 512

// DecideAll decides every request of reqs on all cores (GOMAXPROCS workers)
// and yields the results in the order of reqs. It streams: at most a few
// batches of requests are in flight whatever the size of the audience, so
// memory stays constant. The iterator is single-use.
//
// reqs is read on the calling goroutine. Requests are handed to the workers
// in batches of up to 512, or one by one while the workers are idle, so a
// slow source is not held back; a result is yielded as soon as it and every
// result before it are ready, checked between requests. A source that
// blocks therefore delays results and cancellation until it yields again.
//
// When ctx is done, DecideAll stops reading reqs and yields one last Result
// whose Err is context.Cause(ctx) and whose Decision is a Deny with reason
// CANCELLED; requests read but not yet yielded are dropped. Stopping the
// range loop early stops DecideAll as well.
func (pol *Policy) DecideAll(ctx context.Context, reqs iter.Seq[Request]) iter.Seq[Result] {
	return func(yield func(Result) bool) {
		p := newPipeline(ctx, func(r Request) Result {
			d, err := pol.Decide(r)
			return Result{Request: r, Decision: d, Err: err}
		}, yield)
		defer p.close()
		if p.feed(reqs) {
			p.flush()
		}
		if p.cancelled {
			yield(Result{Err: context.Cause(ctx), Decision: Decision{Verdict: Deny, Basis: rules.NoLegalBasis,
				Reason: ReasonCancelled, Detail: "batch cancelled before this point", PolicyVersion: pol.policyVersion()}})
		}
	}
}

// batch is up to batchSize requests decided together by one worker, and
// their results; done is closed when every result is in.
type batch[T any] struct {
	reqs []Request
	res  []T
	done chan struct{}
}

// pipeline is the state of one DecideAll (or WhatIf) run: it applies
// decide to every request and yields the results, of type T, in the order
// of the source. The calling goroutine reads
// the source into cur, hands batches to the workers through jobs, and
// yields the results of pending, oldest first. At most window batches are
// in flight; yielded batches are reused through free, so memory stays
// constant whatever the size of the audience.
type pipeline[T any] struct {
	ctx    context.Context
	decide func(Request) T
	yield  func(T) bool
	window int // batches in flight: two per worker

	jobs    chan *batch[T] // to the workers
	free    chan *batch[T] // yielded batches, for reuse
	workers sync.WaitGroup // the workers, which exit when jobs is closed
	pending []*batch[T]    // submitted, in the order of the source
	cur     *batch[T]      // being filled from the source

	// cancelled is set when ctx is done: the run stops and its last result
	// is a CANCELLED deny.
	cancelled bool
}

// newPipeline starts GOMAXPROCS workers applying decide.
func newPipeline[T any](ctx context.Context, decide func(Request) T, yield func(T) bool) *pipeline[T] {
	workers := runtime.GOMAXPROCS(0)
	p := &pipeline[T]{ctx: ctx, decide: decide, yield: yield, window: 2 * workers}
	p.jobs = make(chan *batch[T], p.window)
	p.free = make(chan *batch[T], p.window+1)
	for range workers {
		p.workers.Go(p.work)
	}
	p.cur = p.get()
	return p
}

// work decides the batches sent on jobs until it is closed.
func (p *pipeline[T]) work() {
	for b := range p.jobs {
		for i := range b.reqs {
			b.res = append(b.res, p.decide(b.reqs[i]))
		}
		close(b.done)
	}
}

// close stops the workers and waits for them: no goroutine outlives the
// iteration, however it ended.
func (p *pipeline[T]) close() {
	close(p.jobs)
	p.workers.Wait()
}

// get returns an empty batch, reused if one is free.
func (p *pipeline[T]) get() *batch[T] {
	select {
	case b := <-p.free:
		b.reqs, b.res = b.reqs[:0], b.res[:0]
		b.done = make(chan struct{})
		return b
	default:
		return &batch[T]{reqs: make([]Request, 0, batchSize), res: make([]T, 0, batchSize), done: make(chan struct{})}
	}
}

// feed reads the source until it ends, and reports whether it did: false
// if ctx was done or the consumer stopped.
func (p *pipeline[T]) feed(reqs iter.Seq[Request]) bool {
	done := p.ctx.Done()
	for r := range reqs {
		select {
		case <-done:
			p.cancelled = true
			return false
		default:
		}
		p.cur.reqs = append(p.cur.reqs, r)
		// Hand back whatever is finished, oldest first.
		for p.ready() {
			if !p.drain() {
				return false
			}
		}
		// A full batch goes to the workers; so does a partial one when none
		// is in flight, so that a slow source is not held back waiting for
		// batchSize requests.
		if len(p.cur.reqs) == batchSize || len(p.pending) == 0 {
			if !p.submit(p.cur) {
				return false
			}
			p.cur = p.get()
		}
	}
	return true
}

// flush submits the last partial batch and yields every pending result.
func (p *pipeline[T]) flush() {
	if len(p.cur.reqs) > 0 && !p.submit(p.cur) {
		return
	}
	for len(p.pending) > 0 {
		if !p.drain() {
			return
		}
	}
}

// submit hands b to the workers, then yields results while window batches
// are in flight. It reports whether to go on.
func (p *pipeline[T]) submit(b *batch[T]) bool {
	p.pending = append(p.pending, b)
	select {
	case p.jobs <- b:
	case <-p.ctx.Done():
		p.cancelled = true
		return false
	}
	for len(p.pending) >= p.window {
		if !p.drain() {
			return false
		}
	}
	return true
}

// ready reports whether the oldest pending batch is done, without waiting.
func (p *pipeline[T]) ready() bool {
	if len(p.pending) == 0 {
		return false
	}
	select {
	case <-p.pending[0].done:
		return true
	default:
		return false
	}
}

// drain waits for the oldest pending batch, yields its results and frees
// it. It reports whether to go on: false if ctx was done first or the
// consumer stopped.
func (p *pipeline[T]) drain() bool {
	b := p.pending[0]
	select {
	case <-b.done:
	case <-p.ctx.Done():
		p.cancelled = true
		return false
	}
	p.pending = p.pending[1:]
	for i := range b.res {
		if !p.yield(b.res[i]) {
			return false
		}
	}
	clear(b.reqs) // drop references to contacts
	clear(b.res)
	select {
	case p.free <- b:
	default:
	}
	return true
}

// policyVersion is p's version, or "" for a nil policy.
func (p *Policy) policyVersion() string {
	if p == nil {
		return ""
	}
	return p.version
}

// ReasonCancelled is the reason of the last Result of a cancelled batch.
const ReasonCancelled = "CANCELLED"
