import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { predictData } from '../../app/predict.js';
import { predictionRecords } from '../../app/prediction-records.js';
import type { Detector } from '../../model/detector.js';
import { DATA, fixtureDetector, fixtureServer, recordsOf, RECORDS_FILE } from '../testdata/fixtures.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let app: FastifyInstance;
let gbdt: Detector;
let records: Array<Record<string, unknown>>;
before(async () => {
  app = await fixtureServer(['gbdt-binary', 'gbdt-category', 'iforest-binary', 'logreg-binary', 'rf-binary'], { limits: { batchRecords: 1000, rateLimit: false } });
  gbdt = await fixtureDetector('gbdt-binary');
  records = (await recordsOf(gbdt, RECORDS_FILE)).records;
});
after(() => app.close());

async function post(url: string, payload: unknown): Promise<{ status: number; body: Json }> {
  const r = await app.inject({ method: 'POST', url, payload: payload as Json });
  return { status: r.statusCode, body: r.json() };
}

describe('predictions equal nadir predict', () => {
  test('all of KDDTest+ in batches of 1000, for every fixture model: same labels and classes, probabilities to 1e-12', async () => {
    for (const id of ['gbdt-binary', 'gbdt-category', 'iforest-binary', 'logreg-binary', 'rf-binary'] as const) {
      const d = await fixtureDetector(id);
      const { data, records: all } = await recordsOf(d, `${DATA}KDDTest+.txt.gz`);
      assert.equal(all.length, 22544);
      const expected = predictionRecords(d, predictData(d, data));
      for (let start = 0; start < all.length; start += 1000) {
        const batch = all.slice(start, start + 1000);
        const { status, body } = await post(`/api/v1/models/${id}/predict`, { records: batch });
        assert.equal(status, 200);
        assert.equal(body.scored, batch.length);
        assert.equal(body.failed, 0);
        body.predictions.forEach((p: Json, j: number) => {
          const e = expected[start + j]!;
          assert.equal(p.index, j);
          assert.equal(p.label, e.label, `${id} record ${start + j}`);
          assert.equal(p.class, e.class);
          assert.ok(Math.abs(p.probability - e.probability) <= 1e-12, `${id} record ${start + j}: ${p.probability} vs ${e.probability}`);
        });
      }
    }
  });

  test('a body the JSON reader takes and the same records through JSON.parse and the general path get the same answer, byte for byte', async () => {
    // a leading byte-order mark: Fastify's JSON parser strips it, the reader leaves such a body to it
    const bom = '\ufeff';
    const some = records.slice(0, 60).map((r, i) => (i % 7 === 3 ? { ...r, service: 'never-seen', flag: ' SF ' } : i % 11 === 5 ? { ...r, protocol_type: null, duration: null } : r));
    const urls = ['/api/v1/predict', '/api/v1/models/gbdt-category/predict', '/api/v1/models/iforest-binary/predict', '/api/v1/models/logreg-binary/predict'];
    for (const url of [...urls, '/api/v1/models/gbdt-category/predict?explain=true&top=2', '/api/v1/models/rf-binary/predict?explain=true', '/api/v1/models/iforest-binary/predict?explain=true']) {
      for (const body of [{ records: some }, { records: records.slice(0, 30) }, some[3], some[5], some[0]]) {
        const text = JSON.stringify(body);
        const id = /models\/([^/]+)/.exec(url)?.[1] ?? 'gbdt-binary';
        assert.ok(app.nadir.models.get(id)!.jsonReader!.read(Buffer.from(text)), 'the reader takes the body');
        assert.equal(app.nadir.models.get(id)!.jsonReader!.read(Buffer.from(bom + text)), null, 'the reader leaves the body with a BOM');
        const fast = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: text });
        const general = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: bom + text });
        assert.equal(fast.statusCode, 200, fast.body);
        assert.equal(general.statusCode, 200, general.body);
        assert.equal(fast.body, general.body, url);
      }
    }
  });

  test('single records that arrive together are scored together, each answered as if alone (unseen-value warnings included)', async () => {
    const some = records.slice(0, 40).map((r, i) => (i % 9 === 4 ? { ...r, service: `never-seen-${i}` } : r));
    const alone: string[] = [];
    for (const r of some) alone.push((await app.inject({ method: 'POST', url: '/api/v1/predict', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(r) })).body);
    const sizes: number[] = [];
    const spy = (_m: unknown, batch: { size: number }): void => void sizes.push(batch.size);
    app.nadir.observers.push(spy);
    try {
      const together = await Promise.all(some.map((r) => app.inject({ method: 'POST', url: '/api/v1/predict', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(r) })));
      together.forEach((res, i) => {
        assert.equal(res.statusCode, 200);
        assert.equal(res.body, alone[i], `record ${i}`);
      });
      assert.ok(sizes.some((n) => n > 1), `scored in groups of ${sizes.join(', ')}`);
      assert.equal(sizes.reduce((a, b) => a + b, 0), some.length);
      assert.match(alone[4]!, /"warnings":\[\{"code":"unseen-category","message":"field 'service'/);
    } finally {
      app.nadir.observers.splice(app.nadir.observers.indexOf(spy), 1);
    }
  });

  test('explain=true gives the contributions nadir predict --explain gives; top picks how many', async () => {
    const { data } = await recordsOf(gbdt, RECORDS_FILE);
    const expected = predictionRecords(gbdt, predictData(gbdt, data, { explain: true, top: 3 }));
    const { body } = await post('/api/v1/predict?explain=true&top=3', { records });
    body.predictions.forEach((p: Json, j: number) => {
      assert.equal(p.explanation.length, 3);
      p.explanation.forEach((c: Json, k: number) => {
        assert.equal(c.feature, expected[j]!.explanation![k]!.feature);
        assert.ok(Math.abs(c.value - expected[j]!.explanation![k]!.value) <= 1e-12);
      });
    });
    const one = await post('/api/v1/predict?explain=true', records[0]);
    assert.equal(one.body.explanation.length, 5);
    assert.deepEqual(one.body.explanation.slice(0, 3).map((c: Json) => c.feature), expected[0]!.explanation!.map((c) => c.feature));
  });
});

describe('one record', () => {
  test('answers model, label, class, probability and threshold; /api/v1/predict is the default model', async () => {
    const { status, body } = await post('/api/v1/predict', records[0]);
    assert.equal(status, 200);
    const e = predictionRecords(gbdt, predictData(gbdt, (await recordsOf(gbdt, RECORDS_FILE)).data))[0]!;
    assert.deepEqual(Object.keys(body), ['model', 'label', 'class', 'probability', 'threshold']);
    assert.equal(body.model, 'gbdt-binary');
    assert.equal(body.label, e.label);
    assert.equal(body.probability, e.probability);
    assert.equal(body.threshold, gbdt.threshold);
    const cat = await post('/api/v1/models/gbdt-category/predict', records[0]);
    assert.equal(cat.body.threshold, null);
    assert.ok(['normal', 'DoS', 'Probe', 'R2L', 'U2R'].includes(cat.body.label));
  });

  test('a record may carry other fields (a label, a difficulty): they are ignored', async () => {
    const plain = await post('/api/v1/predict', records[0]);
    const extra = await post('/api/v1/predict', { ...records[0], label: 'normal', difficulty: 21, note: { any: 'thing' } });
    assert.deepEqual(extra.body, plain.body);
  });

  test('null is a missing value, filled as in training; a record with no value at all is refused', async () => {
    const r = await post('/api/v1/predict', { ...records[0], src_bytes: null, service: null });
    assert.equal(r.status, 200);
    const allNull = Object.fromEntries(Object.keys(records[0]!).map((k) => [k, null]));
    const bad = await post('/api/v1/predict', allNull);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'NADIR_ERR_BAD_VALUE');
    assert.match(bad.body.error.message, /none of the model's input fields has a value/);
  });

  test('an unseen category is scored, with a warning naming the field', async () => {
    const { status, body } = await post('/api/v1/predict', { ...records[0], service: 'quantum_ftp' });
    assert.equal(status, 200);
    assert.ok(body.label === 'Attack' || body.label === 'Normal');
    assert.deepEqual(body.warnings, [{ code: 'unseen-category', field: 'service', message: `field 'service': "quantum_ftp" was never seen in training; scored as the unseen category` }]);
  });

  test('explain on an isolation forest: TreeSHAP of its path length, each field with its input value', async () => {
    const { status, body } = await post('/api/v1/models/iforest-binary/predict?explain=true', records[0]);
    assert.equal(status, 200);
    assert.ok(Array.isArray(body.explanation) && body.explanation.length > 0);
    for (const c of body.explanation as Json[]) assert.ok(typeof c.feature === 'string' && Number.isFinite(c.value) && 'input' in c);
    assert.equal(body.warnings, undefined);
  });
});

describe('errors name the field and the server keeps serving', () => {
  const cases: Array<[string, (r: Record<string, unknown>) => unknown, number, string, string | undefined, RegExp]> = [
    ['a missing field', (r) => ({ ...r, duration: undefined }), 400, 'NADIR_ERR_BAD_VALUE', 'duration', /field 'duration' is missing/],
    ['a string in a numeric field', (r) => ({ ...r, src_bytes: '12' }), 400, 'NADIR_ERR_BAD_VALUE', 'src_bytes', /field 'src_bytes' must be a number or null, got a string \("12"\)/],
    ['"NaN"', (r) => ({ ...r, src_bytes: 'NaN' }), 400, 'NADIR_ERR_BAD_VALUE', 'src_bytes', /must be a number or null, got a string \("NaN"\)/],
    ['"Infinity"', (r) => ({ ...r, count: 'Infinity' }), 400, 'NADIR_ERR_BAD_VALUE', 'count', /field 'count' must be a number or null/],
    ['an object in a field (unknown field type)', (r) => ({ ...r, service: { name: 'http' } }), 400, 'NADIR_ERR_BAD_VALUE', 'service', /field 'service' must be a string, a number or null, got an object/],
    ['an array in a field', (r) => ({ ...r, duration: [1] }), 400, 'NADIR_ERR_BAD_VALUE', 'duration', /got an array/],
    ['true/false in a numeric field', (r) => ({ ...r, land: true }), 400, 'NADIR_ERR_BAD_VALUE', 'land', /field 'land' must be a number or null, got true/],
    ['an array body', (r) => [r], 400, 'NADIR_ERR_BAD_VALUE', undefined, /the body must be a JSON object/],
    ['records that is not an array', () => ({ records: { a: 1 } }), 400, 'NADIR_ERR_BAD_VALUE', 'records', /records must be an array of records, got an object/],
    ['an empty batch', () => ({ records: [] }), 400, 'NADIR_ERR_BAD_VALUE', 'records', /records is empty/],
    ['a batch over the limit', (r) => ({ records: Array.from({ length: 1001 }, () => r) }), 413, 'NADIR_ERR_TOO_LARGE', 'records', /at most 1000 records, this one has 1001/],
  ];
  for (const [what, make, status, code, field, message] of cases) {
    test(what, async () => {
      const r = await post('/api/v1/predict', make(records[0]!));
      assert.equal(r.status, status, JSON.stringify(r.body));
      assert.deepEqual(Object.keys(r.body), ['error']);
      assert.equal(r.body.error.code, code);
      assert.equal(r.body.error.field, field);
      assert.match(r.body.error.message, message);
      const ok = await post('/api/v1/predict', records[1]);
      assert.equal(ok.status, 200);
    });
  }

  test('1e400 (Infinity once parsed) is refused as not finite', async () => {
    const text = JSON.stringify(records[0]).replace(/"src_bytes":\d+/, '"src_bytes":1e400');
    const r = await app.inject({ method: 'POST', url: '/api/v1/predict', payload: text, headers: { 'content-type': 'application/json' } });
    assert.equal(r.statusCode, 400);
    assert.equal(r.json().error.field, 'src_bytes');
    assert.match(r.json().error.message, /must be a finite number/);
  });

  test('a batch with bad records: each reported by its index with field and reason, the others scored as alone', async () => {
    const batch = [records[0], { ...records[1], src_bytes: 'NaN' }, 42, { ...records[2], flag: undefined }, records[3], { ...records[4], service: 'never_seen' }, Object.fromEntries(Object.keys(records[0]!).map((k) => [k, null]))];
    const { status, body } = await post('/api/v1/predict', { records: batch });
    assert.equal(status, 200);
    assert.equal(body.scored, 3);
    assert.equal(body.failed, 4);
    assert.equal(body.predictions.length, 7);
    const alone = async (r: unknown): Promise<Json> => (await post('/api/v1/predict', r)).body;
    for (const i of [0, 4, 5]) {
      const a = await alone(batch[i]);
      assert.equal(body.predictions[i].label, a.label);
      assert.equal(body.predictions[i].probability, a.probability);
    }
    assert.deepEqual(body.predictions[5].warnings.map((w: Json) => w.field), ['service']);
    assert.deepEqual(body.predictions[1], { index: 1, error: { code: 'NADIR_ERR_BAD_VALUE', message: `record 1: field 'src_bytes' must be a number or null, got a string ("NaN")`, field: 'src_bytes' } });
    assert.deepEqual(body.predictions[2], { index: 2, error: { code: 'NADIR_ERR_BAD_VALUE', message: 'record 2: a record must be a JSON object, got a number' } });
    assert.equal(body.predictions[3].error.field, 'flag');
    assert.match(body.predictions[6].error.message, /^record 6: none of the model's input fields has a value/);
  });

  test('unknown model: 404 listing the models', async () => {
    const r = await post('/api/v1/models/nope/predict', records[0]);
    assert.equal(r.status, 404);
    assert.equal(r.body.error.code, 'NADIR_ERR_NOT_FOUND');
    assert.equal(r.body.error.message, 'model "nope" not found (models: gbdt-binary, gbdt-category, iforest-binary, logreg-binary, rf-binary)');
  });

  test('query parameters are checked: top out of range, unknown parameter', async () => {
    const r = await post('/api/v1/predict?top=0', records[0]);
    assert.equal(r.status, 400);
    assert.equal(r.body.error.field, 'top');
    assert.match(r.body.error.message, /^query: query parameter 'top' must be >= 1/);
    const u = await post('/api/v1/predict?explian=true', records[0]);
    assert.equal(u.status, 400);
    assert.equal(u.body.error.message, "query: unknown query parameter 'explian' (known: explain, top)");
  });
});
