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
import { WASI } from 'node:wasi';
import { fileURLToPath } from 'node:url';

const defaultPath = fileURLToPath(new URL('../embed/out/sendright.wasm', import.meta.url));

/** An error of the library, with its typed code (INVALID_REQUEST, UNKNOWN_HANDLE, ...). */
export class SendrightError extends Error {
  constructor(e) {
    super(`${e.code}: ${e.message}`);
    this.code = e.code;
    this.field = e.field ?? '';
  }
}

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

export class Library {
  /** Instantiates the module from its bytes or its compiled WebAssembly.Module; options as load's. */
  static async fromBytes(bytes, options = {}) {
    const wasi = new WASI({ version: 'preview1', args: [], env: options.env ?? {} });
    const module = bytes instanceof WebAssembly.Module ? bytes : await WebAssembly.compile(bytes);
    const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
    wasi.initialize(instance); // a reactor: runs the Go runtime's initialisation
    return new Library(instance.exports);
  }

  constructor(exports) {
    this.x = exports;
  }

  // call passes bytes (or nothing) to an export and returns the result's bytes.
  callBytes(name, handle, input) {
    const x = this.x;
    let p = 0;
    let n = 0;
    if (input !== undefined) {
      n = input.length;
      p = x.sendright_alloc(n);
      new Uint8Array(x.memory.buffer, p, n).set(input);
    }
    let r;
    try {
      r = handle === undefined ? x[name](p, n) : x[name](BigInt(handle), p, n);
    } finally {
      if (input !== undefined) x.sendright_free(p);
    }
    return this.take(r);
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

  /** Decides JSON Lines of requests (bytes or a string) in one call; returns the result's JSON Lines as bytes. */
  decideBatchRaw(lines) {
    return this.lib.callBytes('sendright_decide_batch', this.handle, asBytes(lines));
  }

  /**
   * Decides the requests (objects or JSON strings) in one call: [{line, ref, decision, error}], in order.
   * A batch refused as a whole (unknown handle, too large) throws SendrightError.
   */
  decideBatch(requests) {
    if (requests.length === 0) return [];
    const lines = requests.map((r) => (typeof r === 'string' ? r : JSON.stringify(r)).replaceAll('\n', ' ')).join('\n');
    const out = decoder.decode(this.decideBatchRaw(lines)).split('\n');
    out.pop(); // after the last line's end
    return out.map((l) => {
      const res = JSON.parse(l);
      if (res.line === 0) throw new SendrightError(res.error);
      return withError(res);
    });
  }

  /** Releases the policy; later calls are denies with UNKNOWN_HANDLE. */
  close() {
    this.lib.callJSON('sendright_release', this.handle);
  }
}
