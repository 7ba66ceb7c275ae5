// A worker thread of a Pool (sendright.mjs): its own instance of the
// WebAssembly module, compiled once by the pool and shared, and its own copy
// of the pool's policy. It answers the pool's messages one at a time:
//
//   {id, call: 'sendright_decide_batch_from', first, input}  ->  {id, output}
//
// input and output are bytes (Uint8Array), transferred, not copied.

import { parentPort, workerData } from 'node:worker_threads';
import { Library } from './sendright.mjs';

const { module, config, env } = workerData;
let policy;
try {
  const lib = await Library.fromBytes(module, { env });
  policy = lib.compile(config);
  parentPort.postMessage({ ready: { handle: policy.handle, policy_version: policy.version, jurisdictions: policy.jurisdictions } });
} catch (e) {
  parentPort.postMessage({ failed: e.code ? { code: e.code, message: e.message, field: e.field } : { code: 'INTERNAL', message: String(e) } });
}

parentPort.on('message', ({ id, call, first, input }) => {
  try {
    const output = policy.lib.callBytes(call, policy.handle, input, BigInt(first));
    parentPort.postMessage({ id, output }, [output.buffer]);
  } catch (e) {
    parentPort.postMessage({ id, failed: String(e?.stack ?? e) });
  }
});
