// Command embed is the library for hosts written in other languages: built
// with -buildmode=c-shared it is a C shared library (libsendright.so and
// its header libsendright.h, loadable by Python's ctypes, the JVM's
// foreign-function API, PHP FFI or Ruby FFI) and, for GOOS=wasip1
// GOARCH=wasm, a WebAssembly (WASI preview 1) reactor module loadable by
// Node's node:wasi, wasmtime and other runtimes. Both export the JSON
// interface of internal/abi (compile a policy into a handle, decide one
// request, decide a batch of JSON Lines, explain, release), which decides
// with the Go API itself.
//
//	examples/embed/build.sh   # writes examples/embed/out/{libsendright.so,libsendright.h,sendright.wasm}
//
// The bindings are examples/python (ctypes) and examples/node (node:wasi).
// The exported functions and the ownership of their buffers are documented
// in cabi.go (the C header repeats it) and wasm.go.
package main

// The IANA time zone database, for the recipients' zones: a WebAssembly
// module has no file system to read it from, and a host without the
// system's zoneinfo files still decides (the system's files come first
// when present, as in a Go host).
import _ "time/tzdata"

// main is not called in a shared library or a reactor module.
func main() {}
