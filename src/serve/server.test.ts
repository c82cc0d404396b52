import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createServer } from './server.js';
import { fixtureDetector } from './testdata/fixtures.js';

test('createServer refuses what cannot be served: no models, an id unfit for URLs, the same id twice, an empty key, bad limits', async () => {
  const detector = await fixtureDetector('gbdt-binary');
  await assert.rejects(createServer({ models: [] }), /no models to serve/);
  await assert.rejects(createServer({ models: [{ id: 'my model', detector }] }), /model id "my model" cannot be used in URLs/);
  await assert.rejects(createServer({ models: [{ id: 'a', detector }, { id: 'a', detector }] }), /two models have the id 'a'/);
  await assert.rejects(createServer({ models: [{ id: 'a', detector }], apiKey: ' ' }), /apiKey: must not be empty/);
  await assert.rejects(createServer({ models: [{ id: 'a', detector }], limits: { batchRecords: 0 } }), /invalid option batchRecords: must be a whole number ≥ 1, got 0/);
  await assert.rejects(createServer({ models: [{ id: 'a', detector }], limits: { rateLimit: { max: 1.5, windowMs: 1000 } } }), /rateLimit\.max/);
});

test('an embedder may add its own routes before listening; they get the error shape and the metrics', async () => {
  const detector = await fixtureDetector('gbdt-binary');
  const app = await createServer({ models: [{ id: 'a', detector }] });
  app.get('/mine', async () => ({ ok: true }));
  assert.deepEqual((await app.inject('/mine')).json(), { ok: true });
  assert.match((await app.inject('/metrics')).body, /route="\/mine"/);
  await app.close();
});
