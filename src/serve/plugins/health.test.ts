import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureServer } from '../testdata/fixtures.js';

test('/healthz and /readyz answer without an API key and outside the rate limit', async () => {
  const app = await fixtureServer(['gbdt-binary'], { apiKey: 'k', limits: { rateLimit: { max: 1, windowMs: 60_000 } } });
  for (let i = 0; i < 3; i++) {
    assert.deepEqual((await app.inject('/healthz')).json(), { status: 'ok' });
    const ready = await app.inject('/readyz');
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: 'ready', models: ['gbdt-binary'] });
  }
  await app.close();
});

test('while draining, /readyz and every new request answer 503 (the catalogue\'s JSON), with Connection: close', async () => {
  const app = await fixtureServer(['gbdt-binary']);
  await app.ready();
  app.nadir.state.draining = true;
  const r = await app.inject('/readyz');
  assert.equal(r.statusCode, 503);
  assert.equal(r.headers.connection, 'close');
  assert.deepEqual(r.json(), { error: { code: 'NADIR_ERR_UNAVAILABLE', message: 'the server is shutting down' } });
  assert.equal((await app.inject('/api/v1/models')).statusCode, 503);
  app.nadir.state.draining = false;
  await app.close();
  assert.equal(app.nadir.state.draining, true, 'close() sets draining (preClose)');
});
