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
func (e *Evaluator) DecideAll(ctx context.Context, reqs iter.Seq[Request]) iter.Seq[Result] {
	return func(yield func(Result) bool) {
		workers := runtime.GOMAXPROCS(0)
		window := 2 * workers // batches in flight

		type batch struct {
			reqs []Request
			res  []Result
			done chan struct{}
		}
		free := make(chan *batch, window+1)
		get := func() *batch {
			select {
			case b := <-free:
				b.reqs, b.res = b.reqs[:0], b.res[:0]
				b.done = make(chan struct{})
				return b
			default:
				return &batch{reqs: make([]Request, 0, batchSize), res: make([]Result, 0, batchSize), done: make(chan struct{})}
			}
		}
		jobs := make(chan *batch, window)
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for b := range jobs {
					for i := range b.reqs {
						d, err := e.Decide(b.reqs[i])
						b.res = append(b.res, Result{Request: b.reqs[i], Decision: d, Err: err})
					}
					close(b.done)
				}
			})
		}
		defer func() {
			close(jobs)
			wg.Wait()
		}()

		var pending []*batch // submitted, in order
		cancelled := false
		// drain yields the oldest batch's results once it is done.
		drain := func() bool {
			b := pending[0]
			select {
			case <-b.done:
			case <-ctx.Done():
				cancelled = true
				return false
			}
			pending = pending[1:]
			for i := range b.res {
				if !yield(b.res[i]) {
					return false
				}
			}
			clear(b.reqs) // drop references to contacts
			clear(b.res)
			select {
			case free <- b:
			default:
			}
			return true
		}
		submit := func(b *batch) bool {
			pending = append(pending, b)
			select {
			case jobs <- b:
			case <-ctx.Done():
				cancelled = true
				return false
			}
			for len(pending) >= window {
				if !drain() {
					return false
				}
			}
			return true
		}

		// ready reports whether the oldest batch is done, without waiting.
		ready := func() bool {
			if len(pending) == 0 {
				return false
			}
			select {
			case <-pending[0].done:
				return true
			default:
				return false
			}
		}
		done := ctx.Done()
		cur := get()
		stopped := false
		for r := range reqs {
			select {
			case <-done:
				cancelled = true
			default:
			}
			if cancelled {
				stopped = true
				break
			}
			cur.reqs = append(cur.reqs, r)
			// Hand back whatever is finished, oldest first.
			for ready() {
				if !drain() {
					stopped = true
					break
				}
			}
			if stopped {
				break
			}
			// A full batch goes to the workers; so does a partial one when
			// none is in flight, so that a slow source is not held back
			// waiting for 512 requests.
			if len(cur.reqs) == batchSize || len(pending) == 0 {
				if !submit(cur) {
					stopped = true
					break
				}
				cur = get()
			}
		}
		if !stopped && len(cur.reqs) > 0 {
			stopped = !submit(cur)
		}
		for !stopped && len(pending) > 0 {
			stopped = !drain()
		}
		if cancelled {
			yield(Result{Err: context.Cause(ctx), Decision: Decision{Verdict: Deny, Basis: rules.NoLegalBasis,
				Reason: ReasonCancelled, Detail: "batch cancelled before this point", PolicyVersion: e.policyVersion()}})
		}
	}
}

func (e *Evaluator) policyVersion() string {
	if e == nil || e.policy == nil {
		return ""
	}
	return e.policy.Version()
}

// ReasonCancelled is the reason of the last Result of a cancelled batch.
const ReasonCancelled = "CANCELLED"
