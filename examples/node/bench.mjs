// Benchmark of the Node binding, with Go's figures measured in the same run.
//
//   examples/embed/build.sh wasm cases && node examples/node/bench.mjs
//
// It decides the requests of the scenarios of the default policy (the cases
// examples/embed/exportscenarios writes) through the WebAssembly module: one
// call (bytes in and out, and with JSON.stringify and JSON.parse around it)
// and a batch of N requests in one call; and the same requests through Go's
// Decide and DecideAll (decoded requests, no JSON) and the interface in Go
// (JSON, no crossing), timed by examples/embed/benchgo, with the ratios.
// GOGC, when set, is passed to the module.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { load } from './sendright.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const casesPath = process.env.SENDRIGHT_CASES || `${root}examples/embed/out/cases.jsonl`;
const N = Number(process.env.BENCH_N || 20000);
const seconds = Number(process.env.BENCH_SECONDS || 1);

const cases = readFileSync(casesPath, 'utf8').split('\n').filter((l) => l).map((l) => JSON.parse(l));
const reqs = cases.filter((c) => JSON.stringify(c.config) === '{}' && !c.error).map((c) => c.request);
const enc = new TextEncoder();
const raw = reqs.map((r) => enc.encode(JSON.stringify(r)));
const go = JSON.parse(execFileSync('go', ['run', './examples/embed/benchgo', '-cases', casesPath, '-n', String(N),
  '-d', `${seconds}s`], { cwd: root, encoding: 'utf8' }));

function perCall(f, items) {
  let n = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(seconds * 1e9);
  while (process.hrtime.bigint() - start < budget) {
    for (let k = 0; k < 100; k++, n++) f(items[n % items.length]);
  }
  return Number(process.hrtime.bigint() - start) / n;
}

function perSecond(f, n) {
  let runs = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(seconds * 1e9);
  while (runs === 0 || process.hrtime.bigint() - start < budget) {
    f();
    runs++;
  }
  return (runs * n) / (Number(process.hrtime.bigint() - start) / 1e9);
}

const lib = await load(undefined, { env: process.env.GOGC ? { GOGC: process.env.GOGC } : {} });
const policy = lib.compile({});
const lines = enc.encode(Array.from({ length: N }, (_, i) => JSON.stringify(reqs[i % reqs.length])).join('\n') + '\n');
// Warm up: the engine compiles the module's hot code again, optimised, as
// it runs.
for (let i = 0; i < 3; i++) policy.decideBatchRaw(lines.subarray(0, lines.indexOf(10, 1 << 20) + 1 || lines.length));
const callRaw = perCall((r) => lib.callBytes('sendright_decide', policy.handle, r), raw);
const callJS = perCall((r) => policy.decide(r), reqs);
const batchRaw = perSecond(() => policy.decideBatchRaw(lines), N);
const dec = new TextDecoder();
const batchJS = perSecond(() => dec.decode(policy.decideBatchRaw(lines)).trim().split('\n').map((l) => JSON.parse(l)), N);
policy.close();

const rows = [
  ['Go Decide (decoded request)', go.decide_ns],
  ['Go interface Decide (JSON, no crossing)', go.abi_decide_ns],
  ['Node one call, bytes in and out', callRaw],
  ['Node Policy.decide (objects)', callJS],
  ['Go DecideAll (decoded requests)', 1e9 / go.decideall_per_s],
  ['Go interface Batch (JSON, no crossing)', 1e9 / go.abi_batch_per_s],
  [`Node batch of ${N}, bytes in and out`, 1e9 / batchRaw],
  [`Node batch of ${N}, results parsed`, 1e9 / batchJS],
];
console.log(`${reqs.length} distinct requests (the default policy's scenarios), ${availableParallelism()} cores`);
for (const [name, ns] of rows) {
  console.log(`${name.padEnd(45)} ${(ns / 1000).toFixed(1).padStart(9)} µs/request ${(1e9 / ns).toFixed(0).padStart(10)} requests/s`);
}
console.log(`one call: Node (bytes) / Go Decide = ${(callRaw / go.decide_ns).toFixed(1)}x the time`);
console.log(`batch: Node (bytes) / Go DecideAll = ${(batchRaw / go.decideall_per_s).toFixed(3)} of the rate (target 0.1); ` +
  `Node (bytes) / Go interface Batch = ${(batchRaw / go.abi_batch_per_s).toFixed(2)}`);
