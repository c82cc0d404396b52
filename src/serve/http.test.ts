/**
 * The server over real HTTP on 127.0.0.1 (an ephemeral port, opened and closed by the test):
 * the same predictions as nadir predict on all of KDDTest+, single records one request each,
 * and the error paths on live connections, the server serving on after each.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { predictData } from '../app/predict.js';
import { predictionRecords } from '../app/prediction-records.js';
import type { Detector } from '../model/detector.js';
import { DATA, fixtureDetector, fixtureServer, recordsOf } from './testdata/fixtures.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const KEY = 'test-key-1';
let app: FastifyInstance;
let base: string;
let gbdt: Detector;
let records: Array<Record<string, unknown>>;
let expected: ReturnType<typeof predictionRecords>;
before(async () => {
  app = await fixtureServer(['gbdt-binary', 'rf-binary'], { apiKey: KEY, limits: { bodyBytes: 1 << 20, batchRecords: 1000, rateLimit: { max: 100_000, windowMs: 60_000 } } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  gbdt = await fixtureDetector('gbdt-binary');
  const r = await recordsOf(gbdt, `${DATA}KDDTest+.txt.gz`);
  records = r.records;
  expected = predictionRecords(gbdt, predictData(gbdt, r.data));
});
after(() => app.close());

const auth = { authorization: `Bearer ${KEY}` };
async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json; headers: Headers }> {
  const r = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: r.status, body: (await r.json()) as Json, headers: r.headers };
}

describe('over HTTP', () => {
  test('all of KDDTest+ in batches of 1000: the labels and probabilities nadir predict gives', async () => {
    for (let start = 0; start < records.length; start += 1000) {
      const { status, body } = await post('/api/v1/predict', { records: records.slice(start, start + 1000) });
      assert.equal(status, 200);
      body.predictions.forEach((p: Json, j: number) => {
        const e = expected[start + j]!;
        assert.equal(p.label, e.label);
        assert.ok(Math.abs(p.probability - e.probability) <= 1e-12);
      });
    }
  });

  test('single records, one request each, 8 in flight: the same answers', async () => {
    const n = 800;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < n) {
        const i = (next++ * 28) % records.length;
        const { status, body } = await post('/api/v1/models/gbdt-binary/predict', records[i]);
        assert.equal(status, 200);
        assert.equal(body.label, expected[i]!.label);
        assert.equal(body.probability, expected[i]!.probability);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  });

  test('error paths answer the catalogue\'s JSON and the server keeps serving', async () => {
    const ok = async (): Promise<void> => {
      const r = await post('/api/v1/predict', records[0]);
      assert.equal(r.status, 200);
    };
    const cases: Array<[string, () => Promise<{ status: number; body: Json }>, number, string]> = [
      ['no key', () => post('/api/v1/predict', records[0], { authorization: '' }), 401, 'NADIR_ERR_UNAUTHORIZED'],
      ['wrong key', () => post('/api/v1/predict', records[0], { authorization: 'Bearer nope' }), 401, 'NADIR_ERR_UNAUTHORIZED'],
      ['malformed JSON', () => post('/api/v1/predict', '{"duration": 0,'), 400, 'NADIR_ERR_BAD_FORMAT'],
      ['wrong content type', () => post('/api/v1/predict', 'duration=0', { 'content-type': 'text/plain' }), 415, 'NADIR_ERR_UNSUPPORTED_MEDIA_TYPE'],
      ['oversized body', () => post('/api/v1/predict', { ...records[0], pad: 'x'.repeat(1 << 20) }), 413, 'NADIR_ERR_TOO_LARGE'],
      ['missing field', () => post('/api/v1/predict', { ...records[0], flag: undefined }), 400, 'NADIR_ERR_BAD_VALUE'],
      ['unknown model', () => post('/api/v1/models/none/predict', records[0]), 404, 'NADIR_ERR_NOT_FOUND'],
    ];
    for (const [what, send, status, code] of cases) {
      const r = await send();
      assert.equal(r.status, status, `${what}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error.code, code, what);
      await ok();
    }
    const batch = await post('/api/v1/predict', { records: [records[0], { ...records[1], duration: 'x' }, records[2]] });
    assert.deepEqual([batch.body.scored, batch.body.failed, batch.body.predictions[1].error.field], [2, 1, 'duration']);
  });

  test('the rate limit answers 429 on a live connection', async () => {
    const limited = await fixtureServer(['gbdt-binary'], { limits: { rateLimit: { max: 2, windowMs: 60_000 } } });
    await limited.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(limited.server.address() as AddressInfo).port}/api/v1/models`;
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await fetch(url)).status);
    assert.deepEqual(codes, [200, 200, 429]);
    const r = await fetch(url);
    assert.equal(((await r.json()) as Json).error.code, 'NADIR_ERR_RATE_LIMITED');
    assert.equal((await fetch(url.replace('/api/v1/models', '/healthz'))).status, 200);
    await limited.close();
  });
});
