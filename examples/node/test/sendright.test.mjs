// Tests of the Node binding: every scenario of the project decided through
// the WebAssembly module, one by one and in batches, gives the Go API's
// decision; malformed input gives an error and a deny.
//
//   examples/embed/build.sh wasm && (cd examples/node && node --test)
//
// The cases (each scenario's policy, request and Go decision) are written by
// examples/embed/exportscenarios here, or read from $SENDRIGHT_CASES.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { load, Pool, SendrightError } from '../sendright.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const text = process.env.SENDRIGHT_CASES
  ? readFileSync(process.env.SENDRIGHT_CASES, 'utf8')
  : execFileSync('go', ['run', './examples/embed/exportscenarios', 'eligibility/testdata/scenarios'],
    { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30 });
const cases = text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
const lib = await load();

// The cases grouped by policy configuration, in file order.
const byConfig = new Map();
for (const c of cases) {
  const k = JSON.stringify(c.config);
  if (!byConfig.has(k)) byConfig.set(k, []);
  byConfig.get(k).push(c);
}

// One policy per configuration, compiled once (compiling in WebAssembly
// takes a second or more) and shared by the tests.
const policies = new Map();
function policyFor(config) {
  if (!policies.has(config)) policies.set(config, lib.compile(JSON.parse(config)));
  return policies.get(config);
}
after(() => {
  for (const p of policies.values()) p.close();
});

function check(c, { decision, error }) {
  const where = `${c.file} ${c.id}`;
  if (c.error) assert.ok(error, `${where}: no error, the Go API's: ${c.error}`);
  else assert.equal(error, null, `${where}: ${error}`);
  if (error) assert.equal(decision.verdict, 'deny', where);
  if (c.decision === null) { // the request does not decode in Go either
    assert.equal(error.code, 'INVALID_REQUEST', where);
    return;
  }
  assert.deepEqual(decision, c.decision, where);
}

test('every scenario, one by one, as the Go API decides it', () => {
  assert.ok(cases.length > 100);
  assert.ok(cases.some((c) => c.error), 'no malformed case exported');
  for (const [config, cs] of byConfig) {
    const policy = policyFor(config);
    for (const c of cs) check(c, policy.decide(c.request));
  }
});

test('every scenario, in one batch per policy', () => {
  for (const [config, cs] of byConfig) {
    const results = policyFor(config).decideBatch(cs.map((c) => c.request));
    assert.equal(results.length, cs.length);
    results.forEach((r, i) => {
      assert.equal(r.line, i + 1);
      check(cs[i], r);
    });
  }
});

const allow = {
  contact: {
    id: 'c-1', kind: 'consumer', country: 'FR', time_zone: 'Europe/Paris', email: 'lea.exemple@example.com',
    records: [{
      id: 'r-1', subject: 'lea.exemple@example.com', purpose: 'marketing_general', channel: 'email',
      sender: 'Maison Exemple SAS', status: 'granted', at: '2025-09-01T10:00:00+02:00', method: 'unticked_checkbox',
    }],
  },
  message: {
    purpose: 'marketing_general', channel: 'email', sender: { entity: 'Maison Exemple SAS', kind: 'company' },
    at: '2026-03-10T11:00:00+01:00',
  },
  ref: 'send-1',
};

test('malformed requests give an error and a deny', () => {
  const policy = policyFor('{}');
  const bad = ['', 'not json', 'null', '[]', '{"contact": 1}', '{"contact": {"id": "\u00e9"',
    JSON.stringify({ ...allow, Ref: 'x' }), JSON.stringify({ ...allow, ref: 'lea@example.com' }),
    JSON.stringify({ ...allow, message: { ...allow.message, channel: 'fax' } }), new Uint8Array([0xff, 0xfe, 0x7b])];
  for (const b of bad) {
    const { decision, error } = policy.decide(b);
    assert.ok(error instanceof SendrightError, String(b));
    assert.equal(error.code, 'INVALID_REQUEST');
    assert.equal(decision.verdict, 'deny');
  }
  const lines = `${JSON.stringify(allow)}\nnot json\n\n${JSON.stringify(allow)}\n`;
  const out = new TextDecoder().decode(policy.decideBatchRaw(lines)).trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(out.map((o) => [o.line, o.decision.verdict, o.error?.code]),
    [[1, 'allow', undefined], [2, 'deny', 'INVALID_REQUEST'], [3, 'deny', 'INVALID_REQUEST'], [4, 'allow', undefined]]);
  assert.equal(out[0].ref, 'send-1');
});

test('a closed policy denies with UNKNOWN_HANDLE', () => {
  const policy = lib.compile({ builtin: ['GB'] });
  policy.close();
  const { decision, error } = policy.decide(allow);
  assert.equal(decision.verdict, 'deny');
  assert.equal(error.code, 'UNKNOWN_HANDLE');
  assert.throws(() => policy.decideBatch([allow]), (e) => e.code === 'UNKNOWN_HANDLE');
});

test('configuration errors throw with their code', () => {
  for (const [config, code] of [[{ builtin: ['XX'] }, 'INVALID_CONFIG'], [{ params: { nope: 1 } }, 'INVALID_CONFIG'],
    [{ rules: [{ name: 'house.yaml', text: 'house: [\n' }] }, 'INVALID_RULES']]) {
    assert.throws(() => lib.compile(config), (e) => e instanceof SendrightError && e.code === code);
  }
});

test('explain returns the decision with its audit', () => {
  const policy = policyFor('{}');
  const { decision, audit, error } = policy.explain(allow);
  assert.equal(error, null);
  assert.equal(decision.verdict, 'allow');
  assert.deepEqual(audit.decision, decision);
  assert.match(audit.schema, /^sendright\.audit\/\d+$/);
  assert.ok(audit.trace.length > 0);
  const bad = policy.explain('{');
  assert.equal(bad.decision.verdict, 'deny');
  assert.equal(bad.error.code, 'INVALID_REQUEST');
  assert.equal(bad.audit, undefined);
});

test('house rules and the version', () => {
  const text = readFileSync(new URL('../../../eligibility/testdata/house/acme.yaml', import.meta.url), 'utf8');
  const policy = lib.compile({ rules: [{ name: 'acme.yaml', text }] });
  const { decision, error } = policy.decide({ ...allow, message: { ...allow.message, at: '2026-03-08T11:00:00+01:00' } });
  assert.equal(error, null);
  assert.equal(decision.verdict, 'defer');
  assert.equal(decision.origin, 'house');
  policy.close();
  const v = lib.version();
  assert.equal(v.abi, 1);
  assert.match(v.semantics, /^sendright\//);
});

// The other policies have too few scenarios to be cut into parts; the next
// test cuts small batches.
test('every scenario of the default policy, in one batch on a pool of threads, byte for byte as one instance', async () => {
  for (const [config, cs] of [['{}', byConfig.get('{}')]]) {
    const lines = cs.map((c) => JSON.stringify(c.request)).join('\n') + '\n';
    const pool = await Pool.open({ config: JSON.parse(config), workers: 3 });
    try {
      const one = policyFor(config).decideBatchRaw(lines);
      assert.deepEqual(await pool.decideBatchRaw(lines), one, config);
      const results = await pool.decideBatch(cs.map((c) => c.request));
      assert.equal(results.length, cs.length);
      results.forEach((r, i) => {
        assert.equal(r.line, i + 1);
        check(cs[i], r);
      });
    } finally {
      await pool.close();
    }
  }
});

test('a pool: parts numbered as lines of the whole, bounds as one instance, errors', async () => {
  const policy = policyFor('{}');
  const pool = await Pool.open({ workers: 2 });
  try {
    const line = JSON.stringify(allow);
    // Empty and blank lines, \r\n and a last line without its end, cut anywhere.
    for (const text of ['', '\n', `${line}\r\n\nnot json\r\n${line}`, `${line}\n`.repeat(300) + 'x',
      `${line}\n \n`.repeat(97)]) {
      const got = await pool.decideBatchRaw(text);
      assert.deepEqual(got, policy.decideBatchRaw(text), JSON.stringify(text.slice(0, 80)));
    }
    const many = '\n'.repeat(100_001);
    assert.deepEqual(await pool.decideBatchRaw(many), policy.decideBatchRaw(many));
    await assert.rejects(pool.decideBatch(Array(100_001).fill('x')), (e) => e.code === 'TOO_LARGE');
  } finally {
    await pool.close();
  }
  await assert.rejects(pool.decideBatchRaw('{}'), /closed/);
  await assert.rejects(Pool.open({ config: { builtin: ['XX'] }, workers: 1 }), (e) => e.code === 'INVALID_CONFIG');
  await assert.rejects(Pool.open({ workers: 0 }), RangeError);
});

// Node's WASI imports are fast API calls, in which a garbage collection
// crashed the process while the module's scheduler slept (poll_oneoff), on
// the second or third batch of a few thousand requests: the binding calls
// them through plain functions.
test('large batches one after another, on one instance', () => {
  const reqs = byConfig.get('{}').filter((c) => !c.error).map((c) => JSON.stringify(c.request));
  const lines = Array.from({ length: 5000 }, (_, i) => reqs[i % reqs.length]).join('\n') + '\n';
  const policy = policyFor('{}');
  const first = policy.decideBatchRaw(lines);
  for (let i = 0; i < 4; i++) assert.deepEqual(policy.decideBatchRaw(lines), first);
});

test('every scenario whose request decodes, in campaigns: one per policy and message', () => {
  let n = 0;
  for (const [config, cs] of byConfig) {
    const groups = new Map();
    for (const c of cs) {
      if (c.decision === null) continue; // the request does not decode: no contact to send alone
      const k = JSON.stringify(c.request.message);
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k).push(c);
    }
    for (const [message, group] of groups) {
      const results = policyFor(config).decideCampaign(message, group.map((c) => c.request.contact));
      assert.equal(results.length, group.length);
      results.forEach((r, i) => {
        const c = group[i];
        assert.equal(r.line, i + 1);
        if (c.error && !r.error && c.request.ref !== undefined) return; // the ref was at fault: a campaign has none
        check(c, r);
        if (!r.error) assert.equal(r.id, c.request.contact.id);
        n++;
      });
    }
  }
  assert.ok(n > 100, `${n} scenarios`);
});

test('a campaign on a pool, byte for byte as one instance; malformed lines and messages', async () => {
  const policy = policyFor('{}');
  const contacts = byConfig.get('{}').filter((c) => c.decision !== null).map((c) => JSON.stringify(c.request.contact));
  const text = contacts.join('\n') + '\nnot json\n\n' + JSON.stringify(allow.contact);
  const pool = await Pool.open({ workers: 3 });
  try {
    const one = policy.decideCampaignRaw(allow.message, text);
    assert.deepEqual(await pool.decideCampaignRaw(allow.message, text), one);
    const results = await pool.decideCampaign(JSON.stringify(allow.message), text.split('\n'));
    assert.equal(results.length, contacts.length + 3);
    assert.deepEqual(results.slice(-3).map((r) => [r.line, r.id, r.decision.verdict, r.error?.code]),
      [[contacts.length + 1, undefined, 'deny', 'INVALID_REQUEST'], [contacts.length + 2, undefined, 'deny', 'INVALID_REQUEST'],
        [contacts.length + 3, 'c-1', 'allow', undefined]]);
    assert.deepEqual(results.at(-1).decision, policy.decide(allow).decision);
    const bad = { ...allow.message, channel: 'fax' };
    assert.throws(() => policy.decideCampaign(bad, [allow.contact]), (e) => e.code === 'INVALID_REQUEST');
    await assert.rejects(pool.decideCampaign(bad, [allow.contact]), (e) => e.code === 'INVALID_REQUEST');
    assert.deepEqual(await pool.decideCampaignRaw(bad, ''), policy.decideCampaignRaw(bad, ''));
    assert.deepEqual(await pool.decideCampaign(allow.message, []), []);
  } finally {
    await pool.close();
  }
});
