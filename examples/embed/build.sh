#!/usr/bin/env bash
# Builds the library for other languages into examples/embed/out (ignored by
# git): the C shared library libsendright.so with its header libsendright.h
# (needs cgo and a C compiler), the WebAssembly module sendright.wasm (WASI
# preview 1), and cases.jsonl, every scenario of the project with the Go
# API's decision, which the bindings' tests decide again.
#
#   examples/embed/build.sh [c|wasm|cases]...   # default: all three
set -euo pipefail
cd "$(dirname "$0")/../.."
out=examples/embed/out
mkdir -p "$out"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(c wasm cases)
for t in "${targets[@]}"; do
  case "$t" in
  c) CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -buildmode=c-shared -o "$out/libsendright.so" ./examples/embed ;;
  wasm) GOOS=wasip1 GOARCH=wasm go build -trimpath -ldflags="-s -w" -buildmode=c-shared -o "$out/sendright.wasm" ./examples/embed ;;
  cases) go run ./examples/embed/exportscenarios eligibility/testdata/scenarios > "$out/cases.jsonl" ;;
  *) echo "unknown target $t (c, wasm, cases)" >&2; exit 2 ;;
  esac
done
