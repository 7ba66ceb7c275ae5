package abi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/sendright/sendright/eligibility"
)

// Decide decides one request, given in the JSON form of
// [eligibility.Request], with the policy of handle h, and returns
//
//	{"decision": {...}}
//
// the decision in the JSON form of [eligibility.Decision], exactly as
// [eligibility.Policy.Decide] returns it, or, when the request is malformed
// or cannot be decided,
//
//	{"decision": {"verdict": "deny", ...}, "error": {"code": ..., ...}}
//
// A request that does not decode is decided as a request without a
// contact: the Go API's deny, whose detail is the decoding error.
func Decide(h uint64, req []byte) (out []byte) {
	defer recovered(&out, func(e *Error) []byte { return marshal(result{&internalDeny, e}) })
	d, e := decide(policy(h), h, req)
	return appendResult(nil, &result{&d, e})
}

// decide decodes and decides one request with pol (nil: handle h is not
// held).
func decide(pol *eligibility.Policy, h uint64, req []byte) (eligibility.Decision, *Error) {
	if pol == nil {
		d, _ := pol.Decide(eligibility.Request{})
		return d, unknownHandle(h)
	}
	q := requestDecoders.Get().(*requestDecoder)
	d, e, _ := decideLine(pol, q, req)
	requestDecoders.Put(q) // the decision holds nothing of the lent contact
	return d, e
}

// requestDecoders are the decoders of Decide's requests, each lent to one
// call at a time (a panic loses one, which is harmless).
var requestDecoders = sync.Pool{New: func() any { return new(requestDecoder) }}

// undecodable is the decision on a request that does not decode: the Go
// API's deny of a request without a contact, with the decoding error as
// detail.
func undecodable(pol *eligibility.Policy, err error) (eligibility.Decision, *Error) {
	d, _ := pol.Decide(eligibility.Request{})
	d.Detail = err.Error()
	return d, errorOf(CodeInvalidRequest, err)
}

// Explain decides one request like [Decide] and returns the decision with
// its audit, in the JSON form of [eligibility.Audit], as
// [eligibility.Policy.Explain] returns it without a keyring (so without a
// request digest):
//
//	{"decision": {...}, "audit": {"schema": "sendright.audit/3", "decision": {...}, "trace": [...], ...}}
//
// with "error" beside them when the request is malformed or the handle
// unknown, the decision then a deny; the audit is left out when the request
// did not decode.
func Explain(h uint64, req []byte) (out []byte) {
	defer recovered(&out, func(e *Error) []byte { return marshal(result{&internalDeny, e}) })
	pol := policy(h)
	var r eligibility.Request
	if err := r.UnmarshalJSON(req); err != nil {
		if pol == nil {
			d, _ := pol.Decide(eligibility.Request{}) // the no-policy deny
			return marshal(result{&d, unknownHandle(h)})
		}
		d, e := undecodable(pol, err)
		return marshal(result{&d, e})
	}
	a, err := pol.Explain(r, nil)
	switch {
	case pol == nil:
		return explained(&a, unknownHandle(h))
	case err != nil:
		return explained(&a, errorOf(CodeInvalidRequest, err))
	}
	return explained(&a, nil)
}

// explained writes the result of Explain: the audit's decision, the audit
// when it has a JSON form, and e.
func explained(a *eligibility.Audit, e *Error) []byte {
	audit, err := json.Marshal(a)
	if err != nil {
		audit = nil
	}
	return marshal(struct {
		Decision *eligibility.Decision `json:"decision"`
		Audit    json.RawMessage       `json:"audit,omitempty"`
		Error    *Error                `json:"error,omitempty"`
	}{&a.Decision, audit, e})
}

// line is one line of a batch's result.
type line struct {
	Line     int                   `json:"line"`
	Ref      string                `json:"ref,omitempty"`
	Decision *eligibility.Decision `json:"decision"`
	Error    *Error                `json:"error,omitempty"`
}

// Batch decides the requests of lines, JSON Lines of [eligibility.Request]
// (one request a line, ending in "\n" or "\r\n", the last line's end
// optional), each as [Decide] decides one request, on every core, and
// returns JSON Lines in the same order, one line per input line:
//
//	{"line": 1, "ref": "send-1", "decision": {...}}
//	{"line": 2, "decision": {"verdict": "deny", ...}, "error": {"code": "INVALID_REQUEST", ...}}
//
// line is the input line's number from 1, ref the request's reference when
// it has one. A line that is not a request (an empty line included) is
// never skipped: its result is an error and the Go API's deny, as in
// [Decide]. Empty input gives empty output.
//
// A batch refused as a whole — an unknown handle, more than
// [MaxBatchLines] lines or [MaxBatchSize] bytes, an internal error —
// gives one line numbered 0, with the error and a deny, which stands for
// every request of the batch.
func Batch(h uint64, lines []byte) []byte { return BatchFrom(h, 1, lines) }

// BatchFrom is [Batch] with the lines numbered from first (1 when first is
// below 1): a host that splits a long list into contiguous parts, decided
// on several threads or module instances, numbers each part's results as
// lines of the whole list.
func BatchFrom(h uint64, first int64, lines []byte) (out []byte) {
	defer recovered(&out, func(e *Error) []byte { return refuse(&internalDeny, e) })
	pol, refused := batchPolicy(h, len(lines))
	if refused != nil {
		return refused
	}
	chunks, n := chunksOf(lines, MaxBatchLines)
	if n > MaxBatchLines {
		return refuseTooLarge(pol)
	}
	return batch(pol, chunks, len(lines), firstLine(first))
}

// firstLine bounds the number of a batch's first line: from 1, and low
// enough that no line's number overflows or exceeds 2^53 (JavaScript's
// exact integers).
func firstLine(first int64) int {
	const most = 1<<53 - MaxBatchLines
	return int(min(max(first, 1), most))
}

// chunkLines is the number of lines a worker of a batch decides at a time:
// enough that handing out work costs little, few enough that a slow
// stretch of lines does not keep the other workers waiting at the end.
const chunkLines = 128

// batch decides the lines of chunks (size bytes in all) with pol, chunk
// by chunk on every core ([decideChunks]), each line as [Decide] decides
// one request, and concatenates the results in order.
func batch(pol *eligibility.Policy, chunks [][]byte, size, first int) []byte {
	return decideChunks(chunks, 2*size, // a result line is about 1.6 times its request's
		func(out []byte, q *requestDecoder, i int) []byte {
			return decideChunk(out, pol, q, chunks[i], first+i*chunkLines)
		})
}

// decideChunks appends the results of every chunk, by decide, and returns
// them in the order of the chunks: on one goroutine into one buffer of
// capacity size when there is one thread (a WebAssembly module), else
// chunk by chunk on every core (GOMAXPROCS workers), each worker with its
// own decoder D, the results joined. A panic of a worker is re-raised on
// the calling goroutine, where the entry point recovers it.
func decideChunks[D any](chunks [][]byte, size int, decide func(out []byte, dec *D, i int) []byte) []byte {
	workers := min(runtime.GOMAXPROCS(0), len(chunks))
	if workers <= 1 { // one thread: no goroutine to wait for
		var dec D
		out := make([]byte, 0, size)
		for i := range chunks {
			out = decide(out, &dec, i)
		}
		return out
	}
	outs := make([][]byte, len(chunks))
	var next atomic.Int64
	var panicked atomic.Value
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			defer func() {
				if v := recover(); v != nil {
					panicked.CompareAndSwap(nil, fmt.Sprint(v))
				}
			}()
			var dec D
			for {
				i := int(next.Add(1) - 1)
				if i >= len(chunks) || panicked.Load() != nil {
					return
				}
				outs[i] = decide(make([]byte, 0, 2*len(chunks[i])), &dec, i)
			}
		})
	}
	wg.Wait()
	if v := panicked.Load(); v != nil {
		panic(v)
	}
	return joined(outs)
}

// joined returns the concatenation of outs.
func joined(outs [][]byte) []byte {
	size := 0
	for _, o := range outs {
		size += len(o)
	}
	out := make([]byte, 0, size)
	for _, o := range outs {
		out = append(out, o...)
	}
	return out
}

// decideChunk appends the results of the lines of chunk, the first
// numbered first, decoded with q.
func decideChunk(out []byte, pol *eligibility.Policy, q *requestDecoder, chunk []byte, first int) []byte {
	for i, rest := first, chunk; len(rest) > 0; i++ {
		var l []byte
		l, rest = cut(rest)
		d, e, ref := decideLine(pol, q, l)
		out = appendLine(out, i, ref, &d, e)
	}
	return out
}

// decideLine decodes with q and decides one request, a line of a batch or
// the request of [Decide]; ref is the request's reference.
func decideLine(pol *eligibility.Policy, q *requestDecoder, l []byte) (eligibility.Decision, *Error, string) {
	if len(bytes.TrimSpace(l)) == 0 {
		d, e := undecodable(pol, errEmptyLine)
		return d, e, ""
	}
	r, err := q.decode(l)
	if err != nil {
		d, e := undecodable(pol, err)
		return d, e, ""
	}
	d, err := pol.Decide(r)
	if err != nil {
		return d, errorOf(CodeInvalidRequest, err), r.Ref
	}
	return d, nil, r.Ref
}

// errEmptyLine is the error of an empty request, or an empty line of a
// batch.
var errEmptyLine = errors.New("empty: no request")

// cut returns the first line of b, without its end, and the rest.
func cut(b []byte) (l, rest []byte) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return b, nil
	}
	l, rest = b[:i], b[i+1:]
	if n := len(l); n > 0 && l[n-1] == '\r' {
		l = l[:n-1]
	}
	return l, rest
}

// refuse returns the one line of a batch refused as a whole.
func refuse(d *eligibility.Decision, e *Error) []byte {
	return append(marshal(line{Decision: d, Error: e}), '\n')
}

// batchPolicy returns the policy of handle h for a batch or a campaign of
// size bytes, or the refusal of the whole input: an unknown handle, or
// more than [MaxBatchSize] bytes (one line numbered 0, with a deny).
func batchPolicy(h uint64, size int) (*eligibility.Policy, []byte) {
	pol := policy(h)
	if pol == nil {
		d, _ := pol.Decide(eligibility.Request{})
		return nil, refuse(&d, unknownHandle(h))
	}
	if size > MaxBatchSize {
		return nil, refuseTooLarge(pol)
	}
	return pol, nil
}
