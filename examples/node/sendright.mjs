// sendright from Node: the decisions of the Go library, in-process, through
// its WebAssembly module (examples/embed/out/sendright.wasm, built by
// examples/embed/build.sh), with node:wasi and nothing else.
//
//   import { load } from './sendright.mjs';
//   const lib = await load();
//   const policy = lib.compile({});            // every built-in rule set
//   const { decision, error } = policy.decide({ contact: {...}, message: {...} });
//   if (decision.verdict === 'allow' && !error) send();
//   policy.close();
//
// Only a decision whose verdict is "allow" means send. An error (malformed
// request, unknown handle) always comes with a deny, never an allow. A
// module instance runs one call at a time (JavaScript is single-threaded);
// use one instance per worker thread to decide in parallel.

import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { WASI } from 'node:wasi';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const defaultPath = fileURLToPath(new URL('../embed/out/sendright.wasm', import.meta.url));

/** An error of the library, with its typed code (INVALID_REQUEST, UNKNOWN_HANDLE, ...). */
export class SendrightError extends Error {
  constructor(e) {
    super(`${e.code}: ${e.message}`);
    this.code = e.code;
    this.field = e.field ?? '';
  }
}

// keptInput is the largest input buffer an instance keeps between calls.
const keptInput = 64 << 20;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Loads the module (path: $SENDRIGHT_WASM or the build's output) and returns a Library.
 * options.env is the module's environment: {GOGC: '400'} trades memory for speed
 * (the Go collector runs on the one thread of the module).
 */
export async function load(path = process.env.SENDRIGHT_WASM || defaultPath, options = {}) {
  return Library.fromBytes(await readFile(path), options);
}

/** The module's compiled code, to instantiate several libraries (one per worker). */
export async function compileModule(path = process.env.SENDRIGHT_WASM || defaultPath) {
  return WebAssembly.compile(await readFile(path));
}

// wrapped returns the WASI imports of wasi, each called through a plain
// JavaScript function. Node's own imports are V8 "fast API" calls, during
// which the engine must not collect garbage; poll_oneoff, which the Go
// scheduler calls when it sleeps, allocates in Node's WASI code and can
// start a collection there, which corrupts the stack and crashes the process
// (seen with Node 20.20 on batches of a few thousand requests; Node issues
// #46777 and #53087). A plain function is never a fast call.
function wrapped(wasi) {
  const imports = wasi.getImportObject().wasi_snapshot_preview1;
  const out = {};
  for (const [name, f] of Object.entries(imports)) {
    out[name] = typeof f === 'function' ? (...args) => f(...args) : f;
  }
  return out;
}

export class Library {
  /** Instantiates the module from its bytes or its compiled WebAssembly.Module; options as load's. */
  static async fromBytes(bytes, options = {}) {
    const wasi = new WASI({ version: 'preview1', args: [], env: options.env ?? {} });
    const module = bytes instanceof WebAssembly.Module ? bytes : await WebAssembly.compile(bytes);
    const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: wrapped(wasi) });
    wasi.initialize(instance); // a reactor: runs the Go runtime's initialisation
    return new Library(instance.exports);
  }

  constructor(exports) {
    this.x = exports;
  }

  // callBytes passes bytes (or nothing) to an export, after the handle and
  // the optional 64-bit argument extra, and returns the result's bytes.
  callBytes(name, handle, input, extra) {
    const x = this.x;
    let p = 0;
    let n = 0;
    if (input !== undefined) {
      n = input.length;
      p = this.place(input);
    }
    let r;
    try {
      if (handle === undefined) r = x[name](p, n);
      else if (extra === undefined) r = x[name](BigInt(handle), p, n);
      else r = x[name](BigInt(handle), extra, p, n);
    } finally {
      if (this.inCap > keptInput) this.dropInput();
    }
    return this.take(r);
  }

  // place copies input into the instance's input buffer, which it keeps
  // from one call to the next (growing it when an input is larger): one
  // allocation in the module for many calls instead of one each. A buffer
  // over keptInput bytes is freed after its call.
  place(input) {
    const x = this.x;
    if (this.inCap === undefined || input.length > this.inCap) {
      this.dropInput();
      this.inCap = Math.max(input.length, 2 * (this.inCap ?? 0), 64 << 10);
      this.inP = x.sendright_alloc(this.inCap);
    }
    // The view after the allocation: growing the memory replaces its buffer.
    new Uint8Array(x.memory.buffer, this.inP, input.length).set(input);
    return this.inP;
  }

  dropInput() {
    if (this.inCap !== undefined) this.x.sendright_free(this.inP);
    this.inCap = undefined;
    this.inP = 0;
  }

  // take copies a result out of guest memory and frees it.
  take(r) {
    if (r === 0n) return new Uint8Array(0);
    const p = Number(r >> 32n);
    const n = Number(r & 0xffffffffn);
    const out = new Uint8Array(n);
    out.set(new Uint8Array(this.x.memory.buffer, p, n));
    this.x.sendright_free(p);
    return out;
  }

  callJSON(name, handle, input) {
    return JSON.parse(decoder.decode(this.callBytes(name, handle, input)));
  }

  /** {abi, semantics, module} */
  version() {
    return JSON.parse(decoder.decode(this.take(this.x.sendright_version())));
  }

  /**
   * Compiles a policy: {builtin: ['FR', ...], rules: [{name, text}], params: {...}}, all optional.
   * Throws SendrightError when the configuration or a rule file is wrong.
   */
  compile(config = {}) {
    const res = this.callJSON('sendright_compile', undefined, encoder.encode(JSON.stringify(config)));
    if (res.error) throw new SendrightError(res.error);
    return new Policy(this, res);
  }
}

// joinLines writes requests (objects or JSON strings) as JSON Lines.
function joinLines(requests) {
  return requests.map((r) => (typeof r === 'string' ? r : JSON.stringify(r)).replaceAll('\n', ' ')).join('\n');
}

// parseLines parses the JSON Lines of a batch's result; a batch refused as
// a whole (its one line numbered 0) throws.
function parseLines(bytes) {
  const out = decoder.decode(bytes).split('\n');
  out.pop(); // after the last line's end
  return out.map((l) => {
    const res = JSON.parse(l);
    if (res.line === 0) throw new SendrightError(res.error);
    return withError(res);
  });
}

// campaignInput writes a campaign's input: its first line, the message,
// then the contacts' JSON Lines.
function campaignInput(message, contacts) {
  const m = typeof message === 'string' ? message : JSON.stringify(message);
  return concat([encoder.encode(`{"message":${m.replaceAll('\n', ' ')}}\n`), asBytes(contacts)]);
}

function asBytes(request) {
  if (request instanceof Uint8Array) return request;
  return encoder.encode(typeof request === 'string' ? request : JSON.stringify(request));
}

function withError(res) {
  return { ...res, error: res.error ? new SendrightError(res.error) : null };
}

export class Policy {
  constructor(lib, compiled) {
    this.lib = lib;
    this.handle = compiled.handle;
    this.version = compiled.policy_version;
    this.jurisdictions = compiled.jurisdictions;
  }

  /** Decides one request (an object, or its JSON): {decision, error}; with an error the decision is a deny. */
  decide(request) {
    return withError(this.lib.callJSON('sendright_decide', this.handle, asBytes(request)));
  }

  /** Decides one request and returns {decision, audit, error}; audit is absent when the request did not decode. */
  explain(request) {
    return withError(this.lib.callJSON('sendright_explain', this.handle, asBytes(request)));
  }

  /**
   * Decides JSON Lines of requests (bytes or a string) in one call; returns the result's JSON Lines as bytes.
   * first, when given, is the number of the first line (a part of a longer list); 1 otherwise.
   */
  decideBatchRaw(lines, first) {
    if (first === undefined) return this.lib.callBytes('sendright_decide_batch', this.handle, asBytes(lines));
    return this.lib.callBytes('sendright_decide_batch_from', this.handle, asBytes(lines), BigInt(first));
  }

  /**
   * Decides the requests (objects or JSON strings) in one call: [{line, ref, decision, error}], in order.
   * A batch refused as a whole (unknown handle, too large) throws SendrightError.
   */
  decideBatch(requests) {
    if (requests.length === 0) return [];
    return parseLines(this.decideBatchRaw(joinLines(requests)));
  }

  /**
   * Decides one message (an object, or its JSON) for every contact of contacts, JSON Lines of contacts (bytes or
   * a string), in one call: the campaign form of a batch, several times faster. Returns the result's JSON Lines
   * as bytes, one per contact line, in order: {line, id, decision, error}, lines numbered from first (default 1).
   */
  decideCampaignRaw(message, contacts, first = 1) {
    return this.lib.callBytes('sendright_decide_campaign', this.handle, campaignInput(message, contacts), BigInt(first));
  }

  /**
   * Decides one message for the contacts (objects or JSON strings) in one call: [{line, id, decision, error}], in
   * order. A campaign refused as a whole (a message that does not decode, unknown handle, too large) throws.
   */
  decideCampaign(message, contacts) {
    if (contacts.length === 0) return [];
    return parseLines(this.decideCampaignRaw(message, joinLines(contacts)));
  }

  /** Releases the policy; later calls are denies with UNKNOWN_HANDLE. */
  close() {
    this.lib.callJSON('sendright_release', this.handle);
  }
}

// The bounds of one batch (internal/abi's MaxBatchLines and MaxBatchSize):
// a Pool hands a larger batch whole to one worker, which refuses it as
// the module does.
const maxBatchLines = 100_000;
const maxBatchSize = 256 << 20;

// Parts smaller than this many lines are not split further: the messages
// between threads would cost more than they save.
const minPartLines = 64;

/**
 * A pool of worker threads (node:worker_threads), each with its own instance of the module, compiled once
 * and shared, and its own copy of one policy: a batch is cut into contiguous parts decided at once on
 * every core, and the results come back in the order of the input, numbered as lines of the whole batch,
 * byte for byte as Policy.decideBatchRaw writes them.
 *
 *   const pool = await Pool.open({ config: {}, workers: 4 });
 *   const results = await pool.decideBatch(requests);
 *   await pool.close();
 */
export class Pool {
  /**
   * Starts the workers and compiles the policy in each. options: config (as Library.compile's), workers
   * (default os.availableParallelism()), module (a WebAssembly.Module, default compiled from path),
   * path (default as load's), env (the module's environment, as load's).
   * Throws SendrightError when the configuration or a rule file is wrong.
   */
  static async open({ config = {}, workers = availableParallelism(), module, path, env = {} } = {}) {
    if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers: want a positive integer, got ${workers}`);
    module ??= await compileModule(path);
    const threads = [];
    try {
      const ready = [];
      for (let i = 0; i < workers; i++) {
        const w = new Worker(new URL('./worker.mjs', import.meta.url), { workerData: { module, config, env } });
        threads.push(w);
        ready.push(new Promise((resolve, reject) => {
          w.once('message', (m) => (m.ready ? resolve(m.ready) : reject(new SendrightError(m.failed))));
          w.once('error', reject);
        }));
      }
      const compiled = await Promise.all(ready);
      return new Pool(threads, compiled[0]);
    } catch (e) {
      await Promise.all(threads.map((w) => w.terminate()));
      throw e;
    }
  }

  constructor(threads, compiled) {
    this.threads = threads;
    this.version = compiled.policy_version;
    this.jurisdictions = compiled.jurisdictions;
    this.pending = new Map();
    this.next = 1;
    this.closed = false;
    for (const w of threads) {
      w.on('message', (m) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.failed) p.reject(new Error(m.failed));
        else p.resolve(m.output);
      });
      w.on('error', (e) => this.fail(e));
      w.on('exit', () => this.fail(new Error('sendright: a worker thread stopped')));
    }
  }

  // fail rejects every call in progress: a worker is gone.
  fail(e) {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  // call sends one part to worker i and resolves to its result's bytes;
  // input is transferred to the worker when owned, else copied.
  call(i, call, first, input, owned = false) {
    if (this.closed) return Promise.reject(new Error('sendright: the pool is closed'));
    const id = this.next++;
    const bytes = owned ? input : input.slice();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.threads[i].postMessage({ id, call, first, input: bytes }, [bytes.buffer]);
    });
  }

  /**
   * Decides JSON Lines of requests (bytes or a string) on every worker; resolves to the result's JSON Lines
   * as bytes, identical to Policy.decideBatchRaw's (lines numbered from 1, in order; a batch over the
   * module's bounds refused as a whole, in one line numbered 0).
   */
  async decideBatchRaw(lines) {
    const input = asBytes(lines);
    const parts = split(input, this.threads.length);
    const outs = await Promise.all(parts.map((p, i) => this.call(i, 'sendright_decide_batch_from', p.first, p.bytes)));
    const refused = outs.find((o) => o.length > 9 && decoder.decode(o.subarray(0, 9)) === '{"line":0');
    if (refused) return refused;
    return concat(outs);
  }

  /** Decides the requests (objects or JSON strings) on every worker: [{line, ref, decision, error}], in order. */
  async decideBatch(requests) {
    if (requests.length === 0) return [];
    return parseLines(await this.decideBatchRaw(joinLines(requests)));
  }

  /**
   * Decides one message for every contact of contacts (JSON Lines, bytes or a string) on every worker, as
   * Policy.decideCampaignRaw; resolves to the result's JSON Lines as bytes, identical to one instance's.
   */
  async decideCampaignRaw(message, contacts) {
    const m = typeof message === 'string' ? message : JSON.stringify(message);
    const head = encoder.encode(`{"message":${m.replaceAll('\n', ' ')}}\n`);
    const parts = split(asBytes(contacts), this.threads.length);
    if (parts.length === 0) parts.push({ first: 1, bytes: new Uint8Array(0) }); // the message is still checked
    const outs = await Promise.all(parts.map((p, i) => this.call(i, 'sendright_decide_campaign', p.first, concat([head, p.bytes]), true)));
    const refused = outs.find((o) => o.length > 9 && decoder.decode(o.subarray(0, 9)) === '{"line":0');
    if (refused) return refused;
    return concat(outs);
  }

  /** Decides one message for the contacts (objects or JSON strings) on every worker: [{line, id, decision, error}]. */
  async decideCampaign(message, contacts) {
    if (contacts.length === 0) return [];
    return parseLines(await this.decideCampaignRaw(message, joinLines(contacts)));
  }

  /** Stops the workers; calls in progress are rejected. */
  async close() {
    this.closed = true;
    await Promise.all(this.threads.map((w) => w.terminate()));
    this.fail(new Error('sendright: the pool is closed'));
  }
}

// split cuts JSON Lines into at most n contiguous parts of about as many
// bytes each, cut after a line's end, with the number of each part's first
// line. A batch over the module's bounds is one part, which the module
// refuses whole; empty input is no part.
function split(input, n) {
  if (input.length === 0) return [];
  let total = 0;
  for (let i = input.indexOf(10); i >= 0; i = input.indexOf(10, i + 1)) total++;
  if (input[input.length - 1] !== 10) total++;
  n = Math.min(n, Math.ceil(total / minPartLines));
  if (n <= 1 || total > maxBatchLines || input.length > maxBatchSize) return [{ first: 1, bytes: input }];
  const parts = [];
  let start = 0;
  let first = 1;
  for (let k = 1; k <= n && start < input.length; k++) {
    let end = input.length;
    if (k < n) {
      const cut = input.indexOf(10, Math.max(start, Math.floor((input.length * k) / n) - 1));
      end = cut < 0 ? input.length : cut + 1;
    }
    const bytes = input.subarray(start, end);
    parts.push({ first, bytes });
    for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) first++;
    start = end;
  }
  return parts;
}

function concat(outs) {
  const out = new Uint8Array(outs.reduce((n, o) => n + o.length, 0));
  let at = 0;
  for (const o of outs) {
    out.set(o, at);
    at += o.length;
  }
  return out;
}
