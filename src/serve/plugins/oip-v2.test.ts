import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { predictData } from '../../app/predict.js';
import { predictionRecords } from '../../app/prediction-records.js';
import { fixtureDetector, fixtureServer, recordsOf, RECORDS_FILE } from '../testdata/fixtures.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let app: FastifyInstance;
let records: Array<Record<string, unknown>>;
let names: string[];
before(async () => {
  app = await fixtureServer(['gbdt-binary', 'gbdt-category']);
  const d = await fixtureDetector('gbdt-binary');
  records = (await recordsOf(d, RECORDS_FILE)).records;
  names = d.pipeline.inputs.map((i) => i.name);
});
after(() => app.close());

function tensors(recs: Array<Record<string, unknown>>, nested = false): Json[] {
  return names.map((name) => {
    const data = recs.map((r) => r[name]);
    const numeric = typeof data.find((v) => v !== null) === 'number';
    return { name, shape: nested ? [recs.length, 1] : [recs.length], datatype: numeric ? 'FP64' : 'BYTES', data: nested ? data.map((v) => [v]) : data };
  });
}

test('server and model metadata, liveness and readiness', async () => {
  assert.deepEqual((await app.inject('/v2')).json(), { name: 'nadir', version: (await app.inject('/v2')).json().version, extensions: [] });
  assert.deepEqual((await app.inject('/v2/health/live')).json(), { live: true });
  assert.deepEqual((await app.inject('/v2/health/ready')).json(), { ready: true });
  assert.deepEqual((await app.inject('/v2/models/gbdt-category/ready')).json(), { name: 'gbdt-category', ready: true });
  const meta = (await app.inject('/v2/models/gbdt-binary')).json();
  assert.equal(meta.name, 'gbdt-binary');
  assert.equal(meta.platform, 'nadir-gbdt');
  assert.deepEqual(meta.inputs.find((i: Json) => i.name === 'service'), { name: 'service', datatype: 'BYTES', shape: [-1] });
  assert.deepEqual(meta.inputs.find((i: Json) => i.name === 'src_bytes'), { name: 'src_bytes', datatype: 'FP64', shape: [-1] });
  assert.deepEqual(meta.outputs.map((o: Json) => o.name), ['label', 'class', 'probability']);
  assert.equal((await app.inject('/v2/models/nope')).statusCode, 404);
});

test('infer: one tensor per column in, label/class/probability tensors out — the numbers nadir predict gives', async () => {
  const d = await fixtureDetector('gbdt-binary');
  const expected = predictionRecords(d, predictData(d, (await recordsOf(d, RECORDS_FILE)).data));
  for (const nested of [false, true]) {
    const r = await app.inject({ method: 'POST', url: '/v2/models/gbdt-binary/infer', payload: { id: 'req-7', inputs: tensors(records, nested) } });
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json();
    assert.equal(body.model_name, 'gbdt-binary');
    assert.equal(body.id, 'req-7');
    const [label, cls, prob] = body.outputs;
    assert.deepEqual([label.name, label.datatype, label.shape], ['label', 'BYTES', [records.length]]);
    assert.deepEqual(label.data, expected.map((e) => e.label));
    assert.deepEqual(cls.data, expected.map((e) => e.class));
    assert.deepEqual(prob.data, expected.map((e) => e.probability));
    assert.equal(prob.datatype, 'FP64');
  }
  const only = await app.inject({ method: 'POST', url: '/v2/models/gbdt-binary/infer', payload: { inputs: tensors(records.slice(0, 2)), outputs: [{ name: 'probability' }] } });
  assert.deepEqual(only.json().outputs.map((o: Json) => o.name), ['probability']);
});

test('infer errors name the tensor or the row and field', async () => {
  const t = tensors(records.slice(0, 3));
  const cases: Array<[Json, RegExp]> = [
    [{ inputs: t.slice(1) }, /input tensor 'duration' is missing/],
    [{ inputs: t.map((x) => (x.name === 'service' ? { ...x, datatype: 'FP64' } : x)) }, /input tensor 'service' must have BYTES, got FP64/],
    [{ inputs: t.map((x) => (x.name === 'count' ? { ...x, shape: [4] } : x)) }, /input tensor 'count' has shape \[4\] but 3 values/],
    [{ inputs: t.map((x) => (x.name === 'count' ? { ...x, shape: [2], data: x.data.slice(0, 2) } : x)) }, /input tensor 'count' has 2 rows, the others 3/],
    [{ inputs: t.map((x) => (x.name === 'src_bytes' ? { ...x, data: [1, 'NaN', 3] } : x)) }, /^row 1: field 'src_bytes' must be a number or null/],
    [{ inputs: t, outputs: [{ name: 'score' }] }, /unknown output "score"/],
    [{ inputs: 'x' }, /request body: field 'inputs' must be an array/],
  ];
  for (const [payload, message] of cases) {
    const r = await app.inject({ method: 'POST', url: '/v2/models/gbdt-binary/infer', payload });
    assert.equal(r.statusCode, 400, r.body);
    assert.match(r.json().error.message, message);
  }
});

test('infer: a request the tensor reader takes (features/json-tensors) is answered byte for byte as the general path answers it', async () => {
  // an outputs filter naming all three outputs sends the same request through the general path
  const all = [{ name: 'label' }, { name: 'class' }, { name: 'probability' }];
  for (const [n, id] of [[1, undefined], [100, 'batch-1'], [records.length, 'all']] as const) {
    const inputs = tensors(records.slice(0, n));
    assert.ok(app.nadir.models.get('gbdt-binary')!.tensorReader!.read(Buffer.from(JSON.stringify({ ...(id ? { id } : {}), inputs }))), 'the reader takes it');
    const fast = await app.inject({ method: 'POST', url: '/v2/models/gbdt-binary/infer', payload: { ...(id ? { id } : {}), inputs } });
    const general = await app.inject({ method: 'POST', url: '/v2/models/gbdt-binary/infer', payload: { ...(id ? { id } : {}), inputs, outputs: all } });
    assert.equal(fast.statusCode, 200, fast.body);
    assert.equal(fast.headers['content-type'], general.headers['content-type']);
    assert.equal(fast.body, general.body, `${n} rows`);
  }
  // a string the reader leaves alone (an escape) goes the general path, and is still answered
  const inputs = tensors(records.slice(0, 2)).map((t) => (t.name === 'service' ? { ...t, data: ['ht\ntp', 'http'] } : t));
  const r = await app.inject({ method: 'POST', url: '/v2/models/gbdt-binary/infer', payload: { id: 'q"1', inputs } });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().id, 'q"1');
});

test('infer: a request refused for its outputs filter is not counted (no observer, so no metrics or live-feed events); one answered is, once', async () => {
  const seen: Array<[string, number]> = [];
  const observer = (m: { id: string }, b: { size: number }): void => void seen.push([m.id, b.size]);
  app.nadir.observers.push(observer);
  try {
    const inputs = tensors(records.slice(0, 3));
    const bad = await app.inject({ method: 'POST', url: '/v2/models/gbdt-binary/infer', payload: { inputs, outputs: [{ name: 'label' }, { name: 'score' }] } });
    assert.equal(bad.statusCode, 400, bad.body);
    assert.match(bad.json().error.message, /unknown output "score"/);
    assert.deepEqual(seen, [], 'the 400 was counted as 3 predictions');
    const ok = await app.inject({ method: 'POST', url: '/v2/models/gbdt-binary/infer', payload: { inputs, outputs: [{ name: 'label' }] } });
    assert.equal(ok.statusCode, 200, ok.body);
    const fast = await app.inject({ method: 'POST', url: '/v2/models/gbdt-binary/infer', payload: { inputs } });
    assert.equal(fast.statusCode, 200, fast.body);
    assert.deepEqual(seen, [['gbdt-binary', 3], ['gbdt-binary', 3]]);
  } finally {
    app.nadir.observers.splice(app.nadir.observers.indexOf(observer), 1);
  }
});
