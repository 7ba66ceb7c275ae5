package abi

import (
	"encoding/json"
	"testing"

	"github.com/sendright/sendright/eligibility"
)

// BenchmarkDecide times one request through the interface: decoding its
// JSON, Decide, encoding the result.
func BenchmarkDecide(b *testing.B) {
	h := fuzzHandle()
	req := []byte(oneLine(allowReq))
	for b.Loop() {
		Decide(h, req)
	}
}

// BenchmarkDecodeRequest times the request's decoding alone.
func BenchmarkDecodeRequest(b *testing.B) {
	req := []byte(oneLine(allowReq))
	for b.Loop() {
		var r eligibility.Request
		if err := r.UnmarshalJSON(req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRequestDecoder times the request's decoding as a batch decodes
// its lines, one decoder for every line (compare BenchmarkDecodeRequest).
func BenchmarkRequestDecoder(b *testing.B) {
	req := []byte(oneLine(allowReq))
	var q requestDecoder
	for b.Loop() {
		if _, err := q.decode(req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodeDecision times the result's encoding alone.
func BenchmarkEncodeDecision(b *testing.B) {
	var r eligibility.Request
	if err := r.UnmarshalJSON([]byte(allowReq)); err != nil {
		b.Fatal(err)
	}
	pol, _ := eligibility.Default()
	d, _ := pol.Decide(r)
	for b.Loop() {
		if _, err := json.Marshal(result{Decision: &d}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendLine times the writing of a batch's line by hand, as a
// batch writes it.
func BenchmarkAppendLine(b *testing.B) {
	var r eligibility.Request
	if err := r.UnmarshalJSON([]byte(allowReq)); err != nil {
		b.Fatal(err)
	}
	pol, _ := eligibility.Default()
	d, _ := pol.Decide(r)
	buf := make([]byte, 0, 4096)
	for b.Loop() {
		buf = appendLine(buf[:0], 1, r.Ref, &d, nil)
	}
}
