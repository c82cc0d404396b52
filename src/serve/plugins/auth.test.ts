import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { fixtureDetector, fixtureServer, recordsOf, RECORDS_FILE } from '../testdata/fixtures.js';
import { presentedKey } from './auth.js';

const KEY = 's3cret-key';
let app: FastifyInstance;
let record: Record<string, unknown>;
before(async () => {
  app = await fixtureServer(['gbdt-binary'], { apiKey: KEY });
  record = (await recordsOf(await fixtureDetector('gbdt-binary'), RECORDS_FILE)).records[0]!;
});
after(() => app.close());

test('with a key, every /api and /v2 route needs it: 401 without it or with a wrong one, then still serving', async () => {
  const routes: Array<{ method: 'GET' | 'POST'; url: string; payload?: unknown }> = [
    { method: 'GET', url: '/api/v1/models' },
    { method: 'GET', url: '/api/v1/models/gbdt-binary' },
    { method: 'POST', url: '/api/v1/predict', payload: record },
    { method: 'POST', url: '/api/v1/models/gbdt-binary/predict', payload: record },
    { method: 'GET', url: '/v2/models/gbdt-binary' },
    { method: 'GET', url: '/v2/health/ready' },
  ];
  for (const r of routes) {
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { 'x-api-key': `${KEY}x` }, { authorization: KEY }, { 'x-api-key': '' }]) {
      const res = await app.inject({ ...r, headers, payload: r.payload as object });
      assert.equal(res.statusCode, 401, `${r.method} ${r.url} ${JSON.stringify(headers)}`);
      assert.equal(res.json().error.code, 'NADIR_ERR_UNAUTHORIZED');
      assert.equal(res.headers['www-authenticate'], 'Bearer realm="nadir"');
      assert.doesNotMatch(res.body, new RegExp(KEY));
    }
    for (const headers of [{ authorization: `Bearer ${KEY}` }, { authorization: `bearer  ${KEY} ` }, { 'x-api-key': KEY }]) {
      const res = await app.inject({ ...r, headers, payload: r.payload as object });
      assert.equal(res.statusCode, 200, `${r.method} ${r.url} ${JSON.stringify(headers)}: ${res.body}`);
    }
  }
});

test('the message says what is missing: no key vs a wrong key', async () => {
  const none = await app.inject('/api/v1/models');
  assert.match(none.json().error.message, /an API key is required: send Authorization: Bearer <key> or x-api-key: <key>/);
  const wrong = await app.inject({ url: '/api/v1/models', headers: { 'x-api-key': 'nope' } });
  assert.equal(wrong.json().error.message, 'the API key is not valid');
});

test('the key is checked before the body is read: an unauthenticated oversized or malformed body is a 401', async () => {
  const res = await app.inject({ method: 'POST', url: '/api/v1/predict', payload: '{not json', headers: { 'content-type': 'application/json' } });
  assert.equal(res.statusCode, 401);
});

test('probes, metrics and the docs stay open', async () => {
  for (const url of ['/healthz', '/readyz', '/metrics', '/openapi.json']) assert.equal((await app.inject(url)).statusCode, 200, url);
});

test('without a key, the API is open', async () => {
  const open = await fixtureServer(['gbdt-binary']);
  assert.equal((await open.inject('/api/v1/models')).statusCode, 200);
  await open.close();
});

test('presentedKey: Bearer (any case) first, then x-api-key', () => {
  assert.equal(presentedKey({ authorization: 'Bearer abc' }), 'abc');
  assert.equal(presentedKey({ authorization: 'BEARER abc', 'x-api-key': 'def' }), 'abc');
  assert.equal(presentedKey({ authorization: 'Basic abc', 'x-api-key': 'def' }), 'def');
  assert.equal(presentedKey({ authorization: 'Bearer a b' }), null);
  assert.equal(presentedKey({}), null);
});
