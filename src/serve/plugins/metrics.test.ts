import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureDetector, fixtureServer, recordsOf, RECORDS_FILE } from '../testdata/fixtures.js';
import { createServer } from '../server.js';

/** The value of one sample line `name{labels} value`. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

test('/metrics: requests and latency by route pattern and status, predictions by model and label, load time, process metrics', async () => {
  const d = await fixtureDetector('gbdt-binary');
  const app = await createServer({ models: [{ id: 'm', detector: d, loadSeconds: 0.25 }], limits: { rateLimit: false } });
  const { records } = await recordsOf(d, RECORDS_FILE);
  const batch = await app.inject({ method: 'POST', url: '/api/v1/models/m/predict', payload: { records: records.slice(0, 50) } });
  const labels = batch.json().predictions.map((p: { label: string }) => p.label) as string[];
  const single = (await app.inject({ method: 'POST', url: '/api/v1/predict', payload: records[0] })).json().label as string;
  await app.inject({ method: 'POST', url: '/api/v1/models/secret-value-123/predict', payload: records[0] });
  await app.inject('/no/such/route/abc123');
  const r = await app.inject('/metrics');
  assert.equal(r.statusCode, 200);
  assert.match(String(r.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  const m = r.body;
  assert.equal(sample(m, 'nadir_http_requests_total', 'method="POST",route="/api/v1/models/m/predict",status="200"'), 1);
  assert.equal(sample(m, 'nadir_http_requests_total', 'method="POST",route="/api/v1/models/:id/predict",status="404"'), 1);
  assert.equal(sample(m, 'nadir_http_requests_total', 'method="GET",route="unmatched",status="404"'), 1);
  assert.equal(sample(m, 'nadir_http_request_duration_seconds_count', 'method="POST",route="/api/v1/predict",status="200"'), 1);
  assert.ok(sample(m, 'nadir_http_request_duration_seconds_bucket', 'le="10",method="POST",route="/api/v1/predict",status="200"') === 1);
  const count = (label: string): number => labels.filter((l) => l === label).length + (single === label ? 1 : 0);
  assert.equal(sample(m, 'nadir_predictions_total', 'model="m",label="Attack"'), count('Attack'));
  assert.equal(sample(m, 'nadir_predictions_total', 'model="m",label="Normal"'), count('Normal'));
  assert.equal(count('Attack') + count('Normal'), 51);
  assert.equal(sample(m, 'nadir_model_load_seconds', 'model="m"'), 0.25);
  assert.match(m, /^nadir_models_loaded 1$/m);
  assert.match(m, /^nadir_process_cpu_seconds_total /m);
  assert.match(m, /^nadir_nodejs_eventloop_lag_seconds /m);
  // bounded labels only: no URL as sent, no record value, no address
  assert.doesNotMatch(m, /secret-value-123|abc123|127\.0\.0\.1/);
  // counters end in _total, durations are in seconds
  for (const line of m.split('\n').filter((l) => l.startsWith('# TYPE nadir_'))) {
    const [, , name, type] = line.split(' ');
    if (type === 'counter') assert.match(name!, /_total$/, name);
  }
  await app.close();
});

test('every label of every model is there from the first scrape (at 0)', async () => {
  const app = await fixtureServer(['gbdt-category']);
  const m = (await app.inject('/metrics')).body;
  for (const label of ['normal', 'DoS', 'Probe', 'R2L', 'U2R']) assert.equal(sample(m, 'nadir_predictions_total', `model="gbdt-category",label="${label}"`), 0);
  await app.close();
});
