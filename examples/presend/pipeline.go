package main

import (
	"container/heap"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sendright/sendright/eligibility"
)

// Transport is the fake mail transport: it records what it was handed.
type Transport struct {
	mu   sync.Mutex
	sent []Sent
}

// Sent is one message handed to the transport, with the decision that let it go.
type Sent struct {
	Request  eligibility.Request
	Decision eligibility.Decision
}

// Send hands one allowed message to the transport.
func (t *Transport) Send(req eligibility.Request, d eligibility.Decision) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.sent = append(t.sent, Sent{req, d})
}

// Sent returns a copy of what the transport was handed, in order.
func (t *Transport) Sent() []Sent {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Sent(nil), t.sent...)
}

// deferred is one message waiting in the scheduler.
type deferred struct {
	notBefore time.Time
	seq       uint64 // arrival order, so that equal instants release first in, first out
	req       eligibility.Request
}

type queue []deferred

func (q queue) Len() int { return len(q) }
func (q queue) Less(i, j int) bool {
	if !q[i].notBefore.Equal(q[j].notBefore) {
		return q[i].notBefore.Before(q[j].notBefore)
	}
	return q[i].seq < q[j].seq
}
func (q queue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *queue) Push(x any)   { *q = append(*q, x.(deferred)) }
func (q *queue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

// Counts are the pipeline's tallies of first decisions by verdict.
type Counts struct {
	Allowed, Deferred, Denied, Undetermined int
}

// Pipeline decides each message with the policy in force and routes it: an
// Allow to the transport, a Defer to the scheduler queue keyed by its
// NotBefore, anything else (Deny, Undetermined) to the deny log with its
// reason. Only Allow sends.
type Pipeline struct {
	// Policy is the policy in force, swapped by the Watcher.
	Policy *atomic.Pointer[eligibility.Policy]
	// Transport receives allowed messages.
	Transport *Transport
	// DenyLog receives one line per message not sent, with its reason.
	DenyLog io.Writer

	mu     sync.Mutex
	q      queue
	seq    uint64
	counts Counts
}

// Submit decides one incoming message and routes it. It returns the decision.
func (p *Pipeline) Submit(req eligibility.Request) eligibility.Decision {
	d := p.route(req, false)
	p.mu.Lock()
	defer p.mu.Unlock()
	switch d.Verdict {
	case eligibility.Allow:
		p.counts.Allowed++
	case eligibility.Defer:
		p.counts.Deferred++
	case eligibility.Deny:
		p.counts.Denied++
	default:
		p.counts.Undetermined++
	}
	return d
}

// route decides req with the policy in force and sends, queues or logs it.
func (p *Pipeline) route(req eligibility.Request, released bool) eligibility.Decision {
	d, err := p.Policy.Load().Decide(req)
	switch {
	case err == nil && d.Verdict == eligibility.Allow:
		p.Transport.Send(req, d)
	case err == nil && d.Verdict == eligibility.Defer:
		p.mu.Lock()
		p.seq++
		heap.Push(&p.q, deferred{notBefore: d.NotBefore, seq: p.seq, req: req})
		p.mu.Unlock()
	default:
		p.logDenied(req, d, err, released)
	}
	return d
}

func (p *Pipeline) logDenied(req eligibility.Request, d eligibility.Decision, err error, released bool) {
	if p.DenyLog == nil {
		return
	}
	id := "(no contact)"
	if req.Contact != nil {
		id = req.Contact.ID
	}
	when := ""
	if released {
		when = " (on release)"
	}
	line := fmt.Sprintf("%s %s%s: %s reason=%s rule=%s policy=%s", req.At.UTC().Format(time.RFC3339), id, when,
		d.Verdict, d.Reason, d.Rule, d.PolicyVersion)
	if err != nil {
		line += " error=" + err.Error()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintln(p.DenyLog, line)
}

// Pending returns the number of messages waiting in the scheduler.
func (p *Pipeline) Pending() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.q.Len()
}

// Next returns the NotBefore of the first message waiting, if any.
func (p *Pipeline) Next() (time.Time, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.q.Len() == 0 {
		return time.Time{}, false
	}
	return p.q[0].notBefore, true
}

// Release takes every message due at now (NotBefore not after now) off the
// scheduler queue, in NotBefore order, and decides it again as of its
// NotBefore with the policy then in force: it is sent, queued again (a new
// defer, e.g. after a policy change) or logged. It returns how many it took.
func (p *Pipeline) Release(now time.Time) int {
	n := 0
	for {
		p.mu.Lock()
		if p.q.Len() == 0 || p.q[0].notBefore.After(now) {
			p.mu.Unlock()
			return n
		}
		item := heap.Pop(&p.q).(deferred)
		p.mu.Unlock()
		req := item.req
		req.At = item.notBefore
		p.route(req, true)
		n++
	}
}

// Counts returns the tallies of first decisions so far.
func (p *Pipeline) Counts() Counts {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.counts
}
