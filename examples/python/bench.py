"""Benchmark of the Python binding, with Go's figures measured in the same run.

    examples/embed/build.sh c cases && python3 examples/python/bench.py

It decides the requests of the scenarios of the default policy (the cases
examples/embed/exportscenarios writes) and prints, per request:

- one call from Python: the request's JSON bytes in, the result's JSON bytes
  out (the crossing and the library's JSON), and with json.dumps and
  json.loads around it (what Policy.decide costs);
- a batch of N requests in one call: the rate in requests a second;

and the same requests through Go's Decide and DecideAll (decoded requests,
no JSON) and through the interface in Go (JSON, no crossing), timed by
examples/embed/benchgo, with the ratios.
"""

import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sendright  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CASES = os.environ.get("SENDRIGHT_CASES") or os.path.join(ROOT, "examples", "embed", "out", "cases.jsonl")
N = int(os.environ.get("BENCH_N", "20000"))
DURATION = float(os.environ.get("BENCH_SECONDS", "1"))


def per_call(f, items):
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < DURATION:
        for x in items[:100]:
            f(x)
        n += min(100, len(items))
        items = items[100:] + items[:100]
    return (time.perf_counter() - start) / n * 1e9


def per_second(f, n):
    runs, start = 0, time.perf_counter()
    while runs == 0 or time.perf_counter() - start < DURATION:
        f()
        runs += 1
    return runs * n / (time.perf_counter() - start)


def main():
    with open(CASES, "rb") as f:
        cases = [json.loads(l) for l in f]
    reqs = [c["request"] for c in cases if c["config"] == {} and not c.get("error")]
    raw = [json.dumps(r, separators=(",", ":")).encode() for r in reqs]
    go = json.loads(subprocess.run(["go", "run", "./examples/embed/benchgo", "-cases", CASES, "-n", str(N),
                                    "-d", f"{DURATION}s"], cwd=ROOT, capture_output=True, check=True).stdout)
    lines = b"\n".join(raw[i % len(raw)] for i in range(N)) + b"\n"
    with sendright.Policy() as p:
        lib = p._lib
        call_raw = per_call(lambda r: lib.call("sendright_decide", p.handle, r), raw)
        call_py = per_call(p.decide, reqs)
        batch_raw = per_second(lambda: p.decide_batch_raw(lines), N)
        batch_py = per_second(lambda: [json.loads(l) for l in p.decide_batch_raw(lines).splitlines()], N)
    rows = [
        ("Go Decide (decoded request)", go["decide_ns"], 1e9 / go["decide_ns"]),
        ("Go interface Decide (JSON, no crossing)", go["abi_decide_ns"], 1e9 / go["abi_decide_ns"]),
        ("Python one call, bytes in and out", call_raw, 1e9 / call_raw),
        ("Python Policy.decide (dicts)", call_py, 1e9 / call_py),
        ("Go DecideAll (decoded requests)", 1e9 / go["decideall_per_s"], go["decideall_per_s"]),
        ("Go interface Batch (JSON, no crossing)", 1e9 / go["abi_batch_per_s"], go["abi_batch_per_s"]),
        (f"Python batch of {N}, bytes in and out", 1e9 / batch_raw, batch_raw),
        (f"Python batch of {N}, results parsed", 1e9 / batch_py, batch_py),
    ]
    print(f"{len(reqs)} distinct requests (the default policy's scenarios), {os.cpu_count()} cores")
    for name, ns, rate in rows:
        print(f"{name:45s} {ns / 1000:9.1f} µs/request {rate:10.0f} requests/s")
    print(f"one call: Python (bytes) / Go Decide = {call_raw / go['decide_ns']:.1f}x the time; "
          f"Python (bytes) - Go interface Decide = {(call_raw - go['abi_decide_ns']) / 1000:.1f} µs crossing")
    print(f"batch: Python (bytes) / Go DecideAll = {batch_raw / go['decideall_per_s']:.2f} of the rate; "
          f"Python (bytes) / Go interface Batch = {batch_raw / go['abi_batch_per_s']:.2f}")


if __name__ == "__main__":
    main()
