//go:build wasip1

package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"unsafe"

	"github.com/sendright/sendright/internal/abi"
)

// The WebAssembly module (GOOS=wasip1 GOARCH=wasm, -buildmode=c-shared: a
// WASI preview 1 reactor; call its _initialize export once, as node:wasi's
// WASI.initialize does, before any other). Guest memory the host reads or
// writes is held in a table here, so the Go collector keeps it in place
// until the host frees it:
//
//   - sendright_alloc(n) returns the address of n bytes for an input, which
//     the host writes, passes to a call with its length, and frees;
//   - every call returns its result as one 64-bit number, the address in
//     the high 32 bits and the length in the low 32 (0 for an empty
//     result), which the host reads and then frees with sendright_free.
//
// The calls and their JSON are those of the C library (cabi.go): compile,
// decide, decide_batch, decide_batch_from, decide_campaign, explain,
// release, version.
// Handles are 64-bit.

// defaultGOGC is the module's garbage collection target (GOGC) unless the
// host passes GOGC in the module's environment: the collector runs on the
// module's one thread, between decisions, so collecting less often is
// faster (about a third more requests a second at 400 than at Go's 100,
// measured with examples/node/bench.mjs), for a heap that grows up to
// five times the live data between collections instead of twice.
const defaultGOGC = 400

func init() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(defaultGOGC)
	}
	reserve()
}

// reservedHeap is the memory the module takes for its heap at once when
// it starts (see reserve).
const reservedHeap = 256 << 20

// reserve grows the module's memory by reservedHeap in one step, by
// allocating that much and letting it go: the collector then hands those
// pages out again instead of growing the memory a few megabytes at a time
// while batches are decided. Each growth of a WebAssembly memory makes V8
// (Node 20) run a full collection of the JavaScript heap, about 4 ms: the
// thirty-odd growths of the first batches of 20,000 requests cost them a
// third of their time. The pages are never written here, so they take no
// physical memory until the heap uses them.
func reserve() {
	b := make([]byte, reservedHeap)
	runtime.KeepAlive(b)
}

// buffers holds the memory handed to the host, by address.
var buffers = struct {
	sync.Mutex
	m map[uint32][]byte
}{m: map[uint32][]byte{}}

// hold keeps b for the host and returns its address; b is not empty.
func hold(b []byte) uint32 {
	p := uint32(uintptr(unsafe.Pointer(unsafe.SliceData(b))))
	buffers.Lock()
	buffers.m[p] = b
	buffers.Unlock()
	return p
}

// input returns the n first bytes of the buffer at p, or nil when p is not
// a buffer of sendright_alloc or shorter than n.
func input(p, n uint32) []byte {
	buffers.Lock()
	b, ok := buffers.m[p]
	buffers.Unlock()
	if !ok || n > uint32(len(b)) {
		return nil
	}
	return b[:n]
}

// result holds a result for the host: its address and length in one number.
func result(b []byte) uint64 {
	if len(b) == 0 {
		return 0
	}
	return uint64(hold(b))<<32 | uint64(len(b))
}

//go:wasmexport sendright_alloc
func sendrightAlloc(n uint32) uint32 { return hold(make([]byte, max(n, 1))) }

//go:wasmexport sendright_free
func sendrightFree(p uint32) {
	buffers.Lock()
	delete(buffers.m, p)
	buffers.Unlock()
}

//go:wasmexport sendright_version
func sendrightVersion() uint64 { return result(abi.Info()) }

//go:wasmexport sendright_compile
func sendrightCompile(p, n uint32) uint64 { return result(abi.Compile(input(p, n))) }

//go:wasmexport sendright_decide
func sendrightDecide(h uint64, p, n uint32) uint64 { return result(abi.Decide(h, input(p, n))) }

//go:wasmexport sendright_decide_batch
func sendrightDecideBatch(h uint64, p, n uint32) uint64 { return result(abi.Batch(h, input(p, n))) }

//go:wasmexport sendright_decide_batch_from
func sendrightDecideBatchFrom(h uint64, first int64, p, n uint32) uint64 {
	return result(abi.BatchFrom(h, first, input(p, n)))
}

//go:wasmexport sendright_decide_campaign
func sendrightDecideCampaign(h uint64, first int64, p, n uint32) uint64 {
	return result(abi.Campaign(h, first, input(p, n)))
}

//go:wasmexport sendright_explain
func sendrightExplain(h uint64, p, n uint32) uint64 { return result(abi.Explain(h, input(p, n))) }

//go:wasmexport sendright_release
func sendrightRelease(h uint64) uint64 { return result(abi.Release(h)) }
