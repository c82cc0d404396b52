import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nadirError } from '../../errors.js';
import { fixtureServer } from '../testdata/fixtures.js';

test('an unexpected error is a 500 in the one shape: no stack, no internal path, the request id to find it in the log', async () => {
  const logged: string[] = [];
  const app = await fixtureServer(['gbdt-binary'], { logger: { level: 'error', stream: { write: (s: string) => logged.push(s) } } as never });
  app.get('/boom', async () => {
    throw new Error('ENOENT: no such file /srv/secret/models/x.nadir');
  });
  app.get('/typed', async () => {
    throw nadirError('NADIR_ERR_BAD_OPTION', 'top', 'must be small');
  });
  const r = await app.inject('/boom');
  assert.equal(r.statusCode, 500);
  assert.deepEqual(Object.keys(r.json().error), ['code', 'message']);
  assert.equal(r.json().error.code, 'NADIR_ERR_INTERNAL');
  assert.match(r.json().error.message, /^internal error: the request could not be completed \(request req-\w+; see the server log\)$/);
  assert.doesNotMatch(r.body, /secret|ENOENT|at |\.js/);
  assert.ok(logged.some((l) => l.includes('/srv/secret/models/x.nadir')), 'the log has the details');
  const t = await app.inject('/typed');
  assert.equal(t.statusCode, 400);
  assert.deepEqual(t.json(), { error: { code: 'NADIR_ERR_BAD_OPTION', message: 'invalid option top: must be small' } });
  await app.close();
});

test('an unknown route: 404 naming it (without its query string)', async () => {
  const app = await fixtureServer(['gbdt-binary']);
  const r = await app.inject({ method: 'DELETE', url: '/api/v1/models/gbdt-binary?token=abc' });
  assert.equal(r.statusCode, 404);
  assert.deepEqual(r.json(), { error: { code: 'NADIR_ERR_NOT_FOUND', message: 'route DELETE /api/v1/models/gbdt-binary not found' } });
  await app.close();
});

test('Fastify\'s own errors are mapped onto the catalogue: wrong type 415, malformed JSON 400, empty body 400, too large 413', async () => {
  const app = await fixtureServer(['gbdt-binary'], { limits: { bodyBytes: 2048 } });
  const post = (payload: string, type: string) => app.inject({ method: 'POST', url: '/api/v1/predict', payload, headers: { 'content-type': type } });
  const cases: Array<[string, string, number, string, RegExp]> = [
    ['duration=1', 'application/x-www-form-urlencoded', 415, 'NADIR_ERR_UNSUPPORTED_MEDIA_TYPE', /^unsupported content type application\/x-www-form-urlencoded \(expected application\/json\)$/],
    ['{"a":1', 'application/json', 400, 'NADIR_ERR_BAD_FORMAT', /^request body: not valid JSON$/],
    ['{"__proto__":{"x":1}}', 'application/json', 400, 'NADIR_ERR_BAD_FORMAT', /not valid JSON/],
    ['', 'application/json', 400, 'NADIR_ERR_BAD_FORMAT', /request body: empty/],
    [`{"a":"${'x'.repeat(4096)}"}`, 'application/json', 413, 'NADIR_ERR_TOO_LARGE', /^request body is larger than the limit of 2,048 bytes$/],
  ];
  for (const [payload, type, status, code, message] of cases) {
    const r = await post(payload, type);
    assert.equal(r.statusCode, status, `${type} ${payload.slice(0, 20)}: ${r.body}`);
    assert.equal(r.json().error.code, code);
    assert.match(r.json().error.message, message);
  }
  await app.close();
});
