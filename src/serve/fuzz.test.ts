/**
 * Property-based fuzzing (fast-check): random bodies, content types and query strings at the
 * predict routes — JSON values of every shape, real records with fields removed, retyped or
 * replaced by random JSON, batches of them, raw text, CSV and v2 tensors. Whatever comes in,
 * the answer is never a 5xx, and every 4xx is the one error shape.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { fixtureDetector, fixtureServer, recordsOf, RECORDS_FILE } from './testdata/fixtures.js';

let app: FastifyInstance;
let records: Array<Record<string, unknown>>;
let fields: string[];
before(async () => {
  app = await fixtureServer(['gbdt-binary', 'gbdt-category', 'iforest-binary', 'logreg-binary'], { limits: { batchRecords: 50, bodyBytes: 256 * 1024, csvBytes: 256 * 1024, rateLimit: false } });
  const d = await fixtureDetector('gbdt-binary');
  records = (await recordsOf(d, RECORDS_FILE)).records;
  fields = Object.keys(records[0]!);
});
after(() => app.close());

const RUNS = 10_000;

test(`${RUNS} random requests at the predict routes: no 5xx, every error in the one shape`, async () => {
  const record = fc.record({
    base: fc.nat({ max: 300 }),
    edits: fc.array(
      fc.tuple(
        fc.oneof({ weight: 40, arbitrary: fc.constantFrom(...fields) }, { weight: 3, arbitrary: fc.string({ maxLength: 12 }) }, fc.constant('records'), fc.constant('__proto__'), fc.constant('constructor')),
        fc.oneof(
          { weight: 2, arbitrary: fc.constant(undefined) },
          { weight: 2, arbitrary: fc.constant(null) },
          { weight: 3, arbitrary: fc.double() },
          { weight: 3, arbitrary: fc.integer() },
          { weight: 3, arbitrary: fc.constantFrom('NaN', 'Infinity', '-inf', '', 'NA', '?', 'tcp', 'http', 'SF', 'zzz', '1e400', '0x10') },
          { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
          { weight: 1, arbitrary: fc.boolean() },
          { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
        ),
      ),
      { maxLength: 4 },
    ),
  }).map(({ base, edits }) => {
    const r: Record<string, unknown> = { ...records[base % records.length]! };
    for (const [k, v] of edits) {
      if (v === undefined) delete r[k];
      else Object.defineProperty(r, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return r;
  });
  const jsonBody = fc.oneof(
    { weight: 4, arbitrary: record },
    { weight: 3, arbitrary: fc.array(fc.oneof({ weight: 5, arbitrary: record }, fc.jsonValue({ maxDepth: 2 })), { maxLength: 60 }).map((rs) => ({ records: rs })) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.record({ records: fc.jsonValue({ maxDepth: 2 }) }) },
  );
  const payload = fc.oneof(
    { weight: 6, arbitrary: jsonBody.map((b) => ({ text: JSON.stringify(b) ?? 'null', type: 'application/json' })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((text) => ({ text, type: 'application/json' })) },
    { weight: 1, arbitrary: jsonBody.map((b) => JSON.stringify(b) ?? '').chain((text) => fc.record({ text: fc.constant(text), type: fc.constantFrom('text/plain', 'text/csv', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'multipart/form-data', '') })) },
  );
  const url = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('/api/v1/predict', '/api/v1/models/gbdt-binary/predict', '/api/v1/models/gbdt-category/predict', '/api/v1/models/iforest-binary/predict', '/api/v1/models/logreg-binary/predict') },
    { weight: 1, arbitrary: fc.string({ maxLength: 10 }).map((id) => `/api/v1/models/${encodeURIComponent(id)}/predict`) },
  );
  const query = fc.oneof(
    fc.constant(''),
    fc.constantFrom('?explain=true', '?explain=1', '?explain=yes', '?top=3&explain=true', '?top=0', '?top=1000', '?top=-1', '?top=abc', '?explain=true&explain=false', '?x=1'),
    fc.string({ maxLength: 15 }).map((s) => `?${s}`),
  );
  const csv = fc.oneof(
    fc.array(fc.nat({ max: 300 }), { minLength: 1, maxLength: 20 }).map((rows) => rows.map((i) => Object.values(records[i]!).join(',')).join('\n')),
    fc.string({ maxLength: 300 }),
    fc.array(fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.double().map(String)), { maxLength: 45 }), { maxLength: 10 }).map((rows) => rows.map((r) => r.join(',')).join('\n')),
  );
  const request = fc.oneof(
    { weight: 8, arbitrary: fc.record({ url, query, payload }).map(({ url: u, query: q, payload: p }) => ({ url: `${u}${q}`, text: p.text, type: p.type })) },
    { weight: 1, arbitrary: fc.record({ query, text: csv, type: fc.constantFrom('text/csv', 'application/gzip', 'application/octet-stream') }).map(({ query: q, text, type }) => ({ url: `/api/v1/predict/csv${q}`, text, type })) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => ({ url: '/v2/models/gbdt-binary/infer', text: JSON.stringify({ inputs: v }), type: 'application/json' })) },
  );
  let n = 0;
  await fc.assert(
    fc.asyncProperty(request, async (req) => {
      n++;
      const headers: Record<string, string> = req.type ? { 'content-type': req.type } : {};
      const r = await app.inject({ method: 'POST', url: req.url, payload: req.text, headers });
      assert.ok(r.statusCode < 500, `${r.statusCode} for POST ${req.url} (${req.type}) ${req.text.slice(0, 300)}\n→ ${r.body.slice(0, 300)}`);
      if (r.statusCode >= 400) {
        const body = r.json() as { error?: { code?: unknown; message?: unknown } };
        assert.ok(typeof body.error?.code === 'string' && String(body.error.code).startsWith('NADIR_ERR_') && typeof body.error.message === 'string', r.body);
      }
    }),
    { numRuns: RUNS },
  );
  assert.equal(n, RUNS);
  // and it still answers
  const ok = await app.inject({ method: 'POST', url: '/api/v1/predict', payload: records[0]! });
  assert.equal(ok.statusCode, 200);
});
