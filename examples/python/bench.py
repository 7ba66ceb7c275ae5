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
examples/embed/benchgo, with the ratios. It measures BENCH_RUNS rounds
(default 3), Go then Python in each, and prints the median of each figure
and the median and best of each round's ratios.
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
RUNS = int(os.environ.get("BENCH_RUNS", "3"))


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


def median(xs):
    s = sorted(xs)
    m = len(s) // 2
    return s[m] if len(s) % 2 else (s[m - 1] + s[m]) / 2


def main():
    with open(CASES, "rb") as f:
        cases = [json.loads(l) for l in f]
    reqs = [c["request"] for c in cases if c["config"] == {} and not c.get("error")]
    raw = [json.dumps(r, separators=(",", ":")).encode() for r in reqs]
    lines = b"\n".join(raw[i % len(raw)] for i in range(N)) + b"\n"
    rounds = []
    with sendright.Policy() as p:
        lib = p._lib
        p.decide_batch_raw(lines)  # warm up: the library's caches and the allocator
        for r in range(RUNS):
            go = json.loads(subprocess.run(["go", "run", "./examples/embed/benchgo", "-cases", CASES, "-n", str(N),
                                            "-d", f"{DURATION}s"], cwd=ROOT, capture_output=True, check=True).stdout)
            f = {
                "go_decide": go["decide_ns"],
                "go_abi_decide": go["abi_decide_ns"],
                "call_raw": per_call(lambda q: lib.call("sendright_decide", p.handle, q), raw),
                "call_py": per_call(p.decide, reqs),
                "go_decideall": 1e9 / go["decideall_per_s"],
                "go_abi_batch": 1e9 / go["abi_batch_per_s"],
                "batch_raw": 1e9 / per_second(lambda: p.decide_batch_raw(lines), N),
                "batch_py": 1e9 / per_second(lambda: [json.loads(l) for l in p.decide_batch_raw(lines).splitlines()], N),
            }
            rounds.append(f)
            print(f"round {r + 1}/{RUNS}: batch / DecideAll = {f['go_decideall'] / f['batch_raw']:.3f}", file=sys.stderr)
    rows = [
        ("go_decide", "Go Decide (decoded request)"),
        ("go_abi_decide", "Go interface Decide (JSON, no crossing)"),
        ("call_raw", "Python one call, bytes in and out"),
        ("call_py", "Python Policy.decide (dicts)"),
        ("go_decideall", "Go DecideAll (decoded requests)"),
        ("go_abi_batch", "Go interface Batch (JSON, no crossing)"),
        ("batch_raw", f"Python batch of {N}, bytes in and out"),
        ("batch_py", f"Python batch of {N}, results parsed"),
    ]
    print(f"{len(reqs)} distinct requests (the default policy's scenarios), {os.cpu_count()} cores, {RUNS} rounds, medians")
    for k, name in rows:
        ns = median([f[k] for f in rounds])
        print(f"{name:45s} {ns / 1000:9.1f} µs/request {1e9 / ns:10.0f} requests/s")

    def ratio(a, b):
        """The rate of a over b's (b's time over a's), median and best of the rounds."""
        rs = [f[b] / f[a] for f in rounds]
        return f"{median(rs):.2f} (best {max(rs):.2f})"

    crossing = median([f["call_raw"] - f["go_abi_decide"] for f in rounds])
    print(f"one call: Python (bytes) / Go Decide = {median([f['call_raw'] / f['go_decide'] for f in rounds]):.1f}x the time; "
          f"Python (bytes) - Go interface Decide = {crossing / 1000:.1f} µs crossing")
    print(f"batch: Python (bytes) / Go DecideAll = {ratio('batch_raw', 'go_decideall')} of the rate; "
          f"Python (bytes) / Go interface Batch = {ratio('batch_raw', 'go_abi_batch')}")


if __name__ == "__main__":
    main()
