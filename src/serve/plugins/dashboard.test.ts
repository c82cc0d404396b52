import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureServer } from '../testdata/fixtures.js';

test('/ serves the dashboard page; its module, stylesheet and the vega bundles are served from the package, not a CDN', async () => {
  const app = await fixtureServer(['gbdt-binary'], { apiKey: 'k', limits: { rateLimit: { max: 2, windowMs: 60_000 } } });
  const page = await app.inject('/');
  assert.equal(page.statusCode, 200);
  assert.match(page.headers['content-type'] as string, /^text\/html/);
  const refs = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string).filter((u) => !u.startsWith('data:') && !u.startsWith('#'));
  assert.deepEqual(refs.filter((u) => !u.startsWith('/dashboard/')), [], 'every asset is local');
  assert.equal(refs.length, 5);
  // static files: no API key, no rate limit (more requests than max)
  for (const u of refs) {
    const r = await app.inject(u);
    assert.equal(r.statusCode, 200, u);
    assert.match(r.headers['content-type'] as string, u.endsWith('.css') ? /^text\/css/ : /^text\/javascript/, u);
    assert.ok(r.body.length > 100, u);
  }
  assert.match((await app.inject('/dashboard/vendor/vega-embed.min.js')).body, /vegaEmbed/);
  await app.close();
});

test('unknown dashboard files are a 404 from the catalogue; no path escapes the file list', async () => {
  const app = await fixtureServer(['gbdt-binary']);
  for (const u of ['/dashboard/nope.js', '/dashboard/../package.json', '/dashboard/vendor/../../package.json', '/dashboard/%2e%2e/package.json']) {
    const r = await app.inject(u);
    assert.equal(r.statusCode, 404, u);
    assert.equal(r.json().error.code, 'NADIR_ERR_NOT_FOUND', u);
  }
  await app.close();
});

test("the dashboard's charts are the training report's Vega-Lite specs, behind the API key like the model card", async () => {
  const app = await fixtureServer(['gbdt-binary', 'gbdt-category'], { apiKey: 'k' });
  assert.equal((await app.inject('/api/v1/dashboard/models/gbdt-binary/charts')).statusCode, 401);
  const r = await app.inject({ url: '/api/v1/dashboard/models/gbdt-binary/charts', headers: { 'x-api-key': 'k' } });
  assert.equal(r.statusCode, 200);
  const charts = r.json();
  assert.deepEqual(Object.keys(charts.confusion), ['cv']);
  assert.equal(charts.gain.title.text, 'Gain importance');
  assert.equal(charts.gain.data.values[0].feature, 'src_bytes');
  assert.equal(charts.confusion.cv.title.text, 'Cross-validation (out of fold)');
  const missing = await app.inject({ url: '/api/v1/dashboard/models/nope/charts', headers: { 'x-api-key': 'k' } });
  assert.equal(missing.statusCode, 404);
  assert.ok(!('/api/v1/dashboard/models/{id}/charts' in (await app.inject('/openapi.json')).json().paths), 'hidden from OpenAPI');
  await app.close();
});

test('the Predict examples are real NSL-KDD records in the model input schema: one scored Normal, one Attack', async () => {
  const app = await fixtureServer(['gbdt-binary']);
  const ex = (await app.inject('/api/v1/dashboard/models/gbdt-binary/examples')).json();
  const inputs = (await app.inject('/api/v1/models/gbdt-binary')).json().inputs as Array<{ name: string }>;
  for (const kind of ['normal', 'attack']) {
    assert.deepEqual(Object.keys(ex[kind]), inputs.map((i) => i.name), kind);
    const r = await app.inject({ method: 'POST', url: '/api/v1/predict?explain=true', payload: ex[kind] });
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().label, kind === 'normal' ? 'Normal' : 'Attack');
    assert.ok(r.json().explanation.length > 0);
  }
  await app.close();
});
