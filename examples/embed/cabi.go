//go:build cgo && !wasip1

package main

/*
#include <stdint.h>
#include <stdlib.h>

// libsendright: the JSON interface of sendright (github.com/sendright/sendright,
// internal/abi), safe for concurrent calls from any number of threads.
//
// Inputs are UTF-8 JSON of len bytes (no terminating NUL needed), owned by the
// caller and only read during the call. Every function returns a
// NUL-terminated UTF-8 JSON document in a buffer malloc'd by the library,
// which the caller owns and frees with sendright_free (never with another
// allocator's free); it never returns NULL but when memory is exhausted.
//
//   sendright_compile(config)          {"handle": 1, "policy_version": "...", "jurisdictions": [...]}
//                                      or {"error": {...}}; config: {"builtin": [...], "rules": [{"name", "text"}], "params": {...}}
//   sendright_decide(handle, request)  {"decision": {...}} or {"decision": {deny}, "error": {...}}
//   sendright_decide_batch(handle, jsonl)  JSON Lines, one per input line, in order:
//                                      {"line": n, "ref": "...", "decision": {...}, "error": {...}}
//   sendright_decide_batch_from(handle, first, jsonl)  as sendright_decide_batch, the lines
//                                      numbered from first (a part of a longer list)
//   sendright_decide_campaign(handle, first, jsonl)  one message for a list of contacts: the first
//                                      line {"message": {...}}, then one contact a line; JSON Lines,
//                                      one per contact line, numbered from first, in order:
//                                      {"line": n, "id": "...", "decision": {...}, "error": {...}}
//   sendright_explain(handle, request) {"decision": {...}, "audit": {...}} (+ "error")
//   sendright_release(handle)          {"released": handle} or {"error": {...}}
//   sendright_version()                {"abi": 1, "semantics": "...", "module": "..."}
//
// An error is {"code": "INVALID_REQUEST" | "INVALID_CONFIG" | "INVALID_RULES" |
// "TOO_LARGE" | "EVALUATION_ERROR" | "UNKNOWN_HANDLE" | "TOO_MANY_HANDLES" |
// "INTERNAL", "message": "...", "field": "..."}; a call that decides returns a
// deny beside it, never an allow. A released handle is UNKNOWN_HANDLE, never
// reused. Only a decision whose "verdict" is "allow" means send.
*/
import "C"

import (
	"unsafe"

	"github.com/sendright/sendright/internal/abi"
)

// in views the caller's buffer without copying it: the interface reads
// its input during the call and keeps none of it.
func in(p *C.char, n C.size_t) []byte {
	if p == nil || n == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(p)), int(n))
}

// out copies a result into a NUL-terminated buffer from C's malloc.
func out(b []byte) *C.char {
	p := C.malloc(C.size_t(len(b) + 1))
	if p == nil {
		return nil
	}
	buf := unsafe.Slice((*byte)(p), len(b)+1)
	copy(buf, b)
	buf[len(b)] = 0
	return (*C.char)(p)
}

//export sendright_version
func sendright_version() *C.char { return out(abi.Info()) }

//export sendright_compile
func sendright_compile(config *C.char, n C.size_t) *C.char { return out(abi.Compile(in(config, n))) }

//export sendright_decide
func sendright_decide(h C.uint64_t, req *C.char, n C.size_t) *C.char {
	return out(abi.Decide(uint64(h), in(req, n)))
}

//export sendright_decide_batch
func sendright_decide_batch(h C.uint64_t, lines *C.char, n C.size_t) *C.char {
	return out(abi.Batch(uint64(h), in(lines, n)))
}

//export sendright_decide_batch_from
func sendright_decide_batch_from(h C.uint64_t, first C.int64_t, lines *C.char, n C.size_t) *C.char {
	return out(abi.BatchFrom(uint64(h), int64(first), in(lines, n)))
}

//export sendright_decide_campaign
func sendright_decide_campaign(h C.uint64_t, first C.int64_t, lines *C.char, n C.size_t) *C.char {
	return out(abi.Campaign(uint64(h), int64(first), in(lines, n)))
}

//export sendright_explain
func sendright_explain(h C.uint64_t, req *C.char, n C.size_t) *C.char {
	return out(abi.Explain(uint64(h), in(req, n)))
}

//export sendright_release
func sendright_release(h C.uint64_t) *C.char { return out(abi.Release(uint64(h))) }

//export sendright_free
func sendright_free(p *C.char) { C.free(unsafe.Pointer(p)) }
