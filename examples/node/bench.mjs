// Benchmark of the Node binding, with Go's figures measured in the same run.
//
//   examples/embed/build.sh wasm cases && node examples/node/bench.mjs
//
// It decides the requests of the scenarios of the default policy (the cases
// examples/embed/exportscenarios writes) through the WebAssembly module: one
// call (bytes in and out, and with JSON.stringify and JSON.parse around it),
// a batch of N requests in one call on one instance, and the same batch on a
// Pool of worker threads (BENCH_WORKERS, default os.availableParallelism());
// and the same requests through Go's Decide and DecideAll (decoded requests,
// no JSON, DecideAll on every core) and the interface in Go (JSON, no
// crossing), timed by examples/embed/benchgo; and a campaign, the requests'
// contacts with one message, through the module (one instance and the Pool)
// and through DecideAll on the same requests. It measures BENCH_RUNS rounds
// (default 5), Go then Node in each, and prints the median of each figure
// and the median and best of each round's ratios. GOGC, when set, is passed
// to the module (which otherwise runs at its default, 400).

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { compileModule, Library, Pool } from './sendright.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const casesPath = process.env.SENDRIGHT_CASES || `${root}examples/embed/out/cases.jsonl`;
const N = Number(process.env.BENCH_N || 20000);
const seconds = Number(process.env.BENCH_SECONDS || 1);
const runs = Number(process.env.BENCH_RUNS || 5);
const workers = Number(process.env.BENCH_WORKERS || availableParallelism());
const env = process.env.GOGC ? { GOGC: process.env.GOGC } : {};

const cases = readFileSync(casesPath, 'utf8').split('\n').filter((l) => l).map((l) => JSON.parse(l));
const reqs = cases.filter((c) => JSON.stringify(c.config) === '{}' && !c.error).map((c) => c.request);
const enc = new TextEncoder();
const dec = new TextDecoder();
const raw = reqs.map((r) => enc.encode(JSON.stringify(r)));
// The campaign: the requests' contacts, with one message (benchgo's
// DecideAll decides the same requests).
const message = { purpose: 'marketing_general', channel: 'email',
  sender: { entity: 'Maison Exemple SAS', kind: 'company', country: 'FR' }, at: '2026-03-10T10:00:00Z' };

function goFigures() {
  return JSON.parse(execFileSync('go', ['run', './examples/embed/benchgo', '-cases', casesPath, '-n', String(N),
    '-d', `${seconds}s`, '-message', JSON.stringify(message)], { cwd: root, encoding: 'utf8' }));
}

function perCall(f, items) {
  let n = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(seconds * 1e9);
  while (process.hrtime.bigint() - start < budget) {
    for (let k = 0; k < 100; k++, n++) f(items[n % items.length]);
  }
  return Number(process.hrtime.bigint() - start) / n;
}

async function perSecond(f, n) {
  let done = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(seconds * 1e9);
  while (done === 0 || process.hrtime.bigint() - start < budget) {
    await f();
    done++;
  }
  return (done * n) / (Number(process.hrtime.bigint() - start) / 1e9);
}

const module = await compileModule();
const lib = await Library.fromBytes(module, { env });
const policy = lib.compile({});
const pool = await Pool.open({ module, workers, env });
const lines = enc.encode(Array.from({ length: N }, (_, i) => JSON.stringify(reqs[i % reqs.length])).join('\n') + '\n');
const contacts = enc.encode(Array.from({ length: N }, (_, i) => JSON.stringify(reqs[i % reqs.length].contact)).join('\n') + '\n');
// Warm up: the engine compiles the module's hot code again, optimised, as
// it runs.
const warm = lines.subarray(0, lines.indexOf(10, 1 << 20) + 1 || lines.length);
for (let i = 0; i < 3; i++) {
  policy.decideBatchRaw(warm);
  await pool.decideBatchRaw(warm);
  policy.decideCampaignRaw(message, contacts);
  await pool.decideCampaignRaw(message, contacts);
}

const rounds = [];
for (let r = 0; r < runs; r++) {
  const go = goFigures();
  const f = {
    go_decide: go.decide_ns,
    go_abi_decide: go.abi_decide_ns,
    call_raw: perCall((q) => lib.callBytes('sendright_decide', policy.handle, q), raw),
    call_js: perCall((q) => policy.decide(q), reqs),
    go_decideall: 1e9 / go.decideall_per_s,
    go_abi_batch: 1e9 / go.abi_batch_per_s,
    batch_raw: 1e9 / await perSecond(() => policy.decideBatchRaw(lines), N),
    pool_raw: 1e9 / await perSecond(() => pool.decideBatchRaw(lines), N),
    pool_js: 1e9 / await perSecond(async () => dec.decode(await pool.decideBatchRaw(lines)).trim().split('\n').map((l) => JSON.parse(l)), N),
    go_decideall_campaign: 1e9 / go.decideall_campaign_per_s,
    go_abi_campaign: 1e9 / go.abi_campaign_per_s,
    campaign_raw: 1e9 / await perSecond(() => policy.decideCampaignRaw(message, contacts), N),
    pool_campaign_raw: 1e9 / await perSecond(() => pool.decideCampaignRaw(message, contacts), N),
    pool_campaign_js: 1e9 / await perSecond(async () => dec.decode(await pool.decideCampaignRaw(message, contacts)).trim().split('\n').map((l) => JSON.parse(l)), N),
  };
  rounds.push(f);
  console.error(`round ${r + 1}/${runs}: pool / DecideAll = ${(f.go_decideall / f.pool_raw).toFixed(3)}, ` +
    `pool campaign / DecideAll = ${(f.go_decideall_campaign / f.pool_campaign_raw).toFixed(3)}`);
}
policy.close();
await pool.close();

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const rows = [
  ['go_decide', 'Go Decide (decoded request)'],
  ['go_abi_decide', 'Go interface Decide (JSON, no crossing)'],
  ['call_raw', 'Node one call, bytes in and out'],
  ['call_js', 'Node Policy.decide (objects)'],
  ['go_decideall', 'Go DecideAll (decoded requests, every core)'],
  ['go_abi_batch', 'Go interface Batch (JSON, no crossing)'],
  ['batch_raw', `Node batch of ${N}, one instance, bytes`],
  ['pool_raw', `Node batch of ${N}, Pool of ${workers}, bytes`],
  ['pool_js', `Node batch of ${N}, Pool of ${workers}, parsed`],
  ['go_decideall_campaign', 'Go DecideAll, the campaign\'s requests'],
  ['go_abi_campaign', 'Go interface Campaign (JSON, no crossing)'],
  ['campaign_raw', `Node campaign of ${N}, one instance, bytes`],
  ['pool_campaign_raw', `Node campaign of ${N}, Pool of ${workers}, bytes`],
  ['pool_campaign_js', `Node campaign of ${N}, Pool of ${workers}, parsed`],
];
console.log(`${reqs.length} distinct requests (the default policy's scenarios), ${availableParallelism()} cores, ` +
  `${runs} rounds, medians`);
for (const [k, name] of rows) {
  const ns = median(rounds.map((f) => f[k]));
  console.log(`${name.padEnd(48)} ${(ns / 1000).toFixed(1).padStart(9)} µs/request ${(1e9 / ns).toFixed(0).padStart(10)} requests/s`);
}
// A rate ratio of a over b: b's time over a's time, in each round.
const ratio = (a, b) => {
  const rs = rounds.map((f) => f[b] / f[a]);
  return `${median(rs).toFixed(3)} (best ${Math.max(...rs).toFixed(3)})`;
};
console.log(`one call: Node (bytes) takes ${median(rounds.map((f) => f.call_raw / f.go_decide)).toFixed(1)}x Go Decide's time`);
console.log(`batch rate / Go DecideAll's, median of rounds (target 0.1): one instance ${ratio('batch_raw', 'go_decideall')}, ` +
  `Pool of ${workers} ${ratio('pool_raw', 'go_decideall')}, parsed ${ratio('pool_js', 'go_decideall')}`);
console.log(`batch rate / Go interface Batch's: one instance ${ratio('batch_raw', 'go_abi_batch')}, Pool ${ratio('pool_raw', 'go_abi_batch')}`);
console.log(`campaign rate / Go DecideAll's on its requests (target 0.1): one instance ${ratio('campaign_raw', 'go_decideall_campaign')}, ` +
  `Pool of ${workers} ${ratio('pool_campaign_raw', 'go_decideall_campaign')}, parsed ${ratio('pool_campaign_js', 'go_decideall_campaign')}`);
console.log(`campaign rate / Go interface Campaign's: one instance ${ratio('campaign_raw', 'go_abi_campaign')}, ` +
  `Pool ${ratio('pool_campaign_raw', 'go_abi_campaign')}`);
