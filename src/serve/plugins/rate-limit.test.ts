import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureServer } from '../testdata/fixtures.js';

test('over the per-client limit: 429 from the catalogue with Retry-After; other clients and the probes are still served', async () => {
  const app = await fixtureServer(['gbdt-binary'], { limits: { rateLimit: { max: 3, windowMs: 60_000 } } });
  for (let i = 0; i < 3; i++) assert.equal((await app.inject('/api/v1/models')).statusCode, 200);
  const r = await app.inject('/api/v1/models');
  assert.equal(r.statusCode, 429);
  assert.equal(r.json().error.code, 'NADIR_ERR_RATE_LIMITED');
  assert.match(r.json().error.message, /^rate limit reached: at most 3 requests per minute from one client; retry in \d+ (seconds?|minutes?)$/);
  assert.ok(Number(r.headers['retry-after']) > 0);
  assert.equal(r.headers['x-ratelimit-limit'], '3');
  // another client address has its own budget
  assert.equal((await app.inject({ url: '/api/v1/models', remoteAddress: '10.1.2.3' })).statusCode, 200);
  for (const url of ['/healthz', '/readyz', '/metrics']) assert.equal((await app.inject(url)).statusCode, 200, url);
  // the limit counts requests refused for a bad key too: guessing keys is rate limited
  await app.close();
});

test('wrong API keys count against the limit', async () => {
  const app = await fixtureServer(['gbdt-binary'], { apiKey: 'k', limits: { rateLimit: { max: 2, windowMs: 60_000 } } });
  const codes: number[] = [];
  for (let i = 0; i < 4; i++) codes.push((await app.inject({ url: '/api/v1/models', headers: { 'x-api-key': `guess${i}` } })).statusCode);
  assert.deepEqual(codes, [401, 401, 429, 429]);
  await app.close();
});

test('rateLimit: false turns it off', async () => {
  const app = await fixtureServer(['gbdt-binary'], { limits: { rateLimit: false } });
  for (let i = 0; i < 20; i++) assert.equal((await app.inject('/api/v1/models')).statusCode, 200);
  await app.close();
});
