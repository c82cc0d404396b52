import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
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
    [{ inputs: t.map((x) => (x.name === 'service' ? { ...x, data: [true, 'http', 'http'] } : x)) }, /^row 0: field 'service'/],
    [{ inputs: t.map((x) => (x.name === 'src_bytes' ? { ...x, data: [true, 1, 2] } : x)) }, /^row 0: field 'src_bytes'/],
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

test('infer: edge cases answered byte for byte whether the tensor reader takes them or the general path does (the same bytes after a BOM)', async () => {
  const model = app.nadir.models.get('gbdt-binary')!;
  const t = tensors(records.slice(0, 3));
  const edit = (name: string, over: Json): Json[] => t.map((x) => (x.name === name ? { ...x, ...over } : x));
  const J = (inputs: Json[], top: Json = {}): string => JSON.stringify({ ...top, inputs });
  const flat = J(t);
  const src = /"name":"src_bytes","shape":\[3\],"datatype":"FP64","data":\[[^\]]*\]/;
  const cases: Array<[string, string, boolean]> = [
    ['plain', flat, true],
    ['empty id', J(t, { id: '' }), true],
    ['id with / < > &', J(t, { id: 'a/b<c>&' }), true],
    ['categories that read as missing or padded', J(edit('service', { data: ['NA', '', ' http '] })), true],
    ['numbers as categories', J(edit('service', { data: [1, -0, 100] })), true],
    ['strings that read as ±Infinity as categories', J(edit('service', { data: ['inf', '-Infinity', '1e400'] })), true],
    ['only missing tokens but one padded number', J(edit('service', { data: [' 3 ', ' 3 ', ' 3 '] }).map((x) => (x.name === 'service' ? x : { ...x, data: x.datatype === 'BYTES' ? ['n/a', '?', ''] : [null, null, null] }))), true],
    ['every value missing', J(t.map((x) => ({ ...x, data: x.datatype === 'BYTES' ? ['NA', null, ''] : [null, null, null] }))), false],
    ['shape values 3.0 and 3e0, 1.0', flat.replace('"shape":[3]', '"shape":[3.0]').replace('"shape":[3]', '"shape":[3e0, 1.0]'), true],
    ['shape [3, -0]', flat.replace('"shape":[3]', '"shape":[3,-0]'), false],
    ['numbers 1E2, 0.0, -0', flat.replace(src, '"name":"src_bytes","shape":[3],"datatype":"FP64","data":[1E2,0.0,-0]'), true],
    ['numbers past 2^53, subnormal, least normal', flat.replace(src, '"name":"src_bytes","shape":[3],"datatype":"FP64","data":[9007199254740993,4.9e-324,2.2250738585072014e-308]'), true],
    ['an extra tensor, empty', J([...t, { name: 'x', shape: [0], datatype: 'FP64', data: [] }]), true],
    ['an extra tensor of odd values', J([...t, { name: 'x', shape: [7, 9], datatype: 'odd', data: ['\u00e9\u2028', true, null, -1.5e-300] }]), true],
    ['__proto__ at the top', flat.replace('{"inputs"', '{"__proto__":{},"inputs"'), false],
    ['INT8 out of its range', J(edit('land', { datatype: 'INT8', data: [300, -5, 1.5] })), true],
    ['BOOL', J(edit('land', { datatype: 'BOOL', data: [true, false, 1] })), false],
  ];
  // the schema's limit on tensors: 4,096 (inputs and others), one more is a 400
  for (const total of [4096, 4097]) {
    const extra = Array.from({ length: total - t.length }, (_, i) => ({ name: `x${i}`, shape: [0], datatype: 'FP64', data: [] }));
    cases.push([`${total} tensors`, J([...t, ...extra]), total === 4096]);
  }
  const headers = { 'content-type': 'application/json' };
  for (const [what, text, taken] of cases) {
    if (what !== 'plain') assert.notEqual(text, flat, `${what}: the edit applies`);
    assert.equal(model.tensorReader!.read(Buffer.from(text)) !== null, taken, `${what}: taken by the reader`);
    const a = await app.inject({ method: 'POST', url: '/v2/models/gbdt-binary/infer', headers, payload: text });
    const b = await app.inject({ method: 'POST', url: '/v2/models/gbdt-binary/infer', headers, payload: `\ufeff${text}` });
    assert.equal(a.statusCode, b.statusCode, what);
    assert.equal(a.body, b.body, what);
    if (taken) assert.equal(a.statusCode, 200, `${what}: ${a.body}`);
  }
});

test('infer: nested data is one [value] per row — ragged rows are refused, not flattened into other rows', async () => {
  const t = tensors(records.slice(0, 3), true);
  const src = (data: unknown[], shape = [3, 1]): Json[] => t.map((x) => (x.name === 'src_bytes' ? { ...x, shape, data } : x));
  const ragged: Array<[unknown[], number]> = [[[[1, 2], [3]], 0], [[[1], 2, [3]], 1], [[[1], [], [2, 3]], 1], [[[1], [2], [3, 4]], 2]];
  for (const [data, at] of ragged) {
    const r = await app.inject({ method: 'POST', url: '/v2/models/gbdt-binary/infer', payload: { inputs: src(data) } });
    assert.equal(r.statusCode, 400, `${JSON.stringify(data)}: ${r.body}`);
    assert.equal(r.json().error.field, 'src_bytes');
    assert.match(r.json().error.message, new RegExp(`^request body: input tensor 'src_bytes' has nested data whose item ${at} is not one value in brackets`));
  }
  // one value per row, with either shape, as before
  for (const shape of [[3, 1], [3]]) {
    const r = await app.inject({ method: 'POST', url: '/v2/models/gbdt-binary/infer', payload: { inputs: src([[1], [2], [3]], shape) } });
    assert.equal(r.statusCode, 200, r.body);
  }
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

/**
 * JSON tokens of one cell: mostly of the field's kind (numbers in many spellings; for a categorical
 * field also strings that read as categories, numbers or missing values), null, and now and then
 * anything, values no input takes included.
 */
function cellToken(categories: readonly string[] | null): fc.Arbitrary<string> {
  const numbers = fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: -5, max: 300 }).map(String) },
    { weight: 2, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: -30, max: 30 })).map(([m, e]) => `${m / 100}e${e}`) },
    { weight: 1, arbitrary: fc.constantFrom('-0', '0.0', '1E2', '1e-400', '9007199254740993', '123456789012345678901', '4.9e-324') },
  );
  const strings = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...(categories ?? []), 'x').map((c) => JSON.stringify(c)) },
    { weight: 2, arbitrary: fc.constantFrom('', 'NA', 'n/a', '?', 'null', 'NaN', ' ', ' 3 ', '3', '3.0', 'inf', '1e400', ' HTTP ', 'never-seen', 'ht\\tp', '\u00e9', 'a"b').map((s) => JSON.stringify(s)) },
  );
  const odd = fc.constantFrom('1e400', '01', '.5', '+1', '1.', 'true', 'false', '[1]', '{}', '"x"');
  return fc.oneof({ weight: 6, arbitrary: categories ? fc.oneof(strings, numbers) : numbers }, { weight: 2, arbitrary: fc.constant('null') }, { weight: 1, arbitrary: fc.oneof(strings, odd) });
}

/** Mostly nothing, now and then one of `values`. */
const rarely = <T>(...values: T[]): fc.Arbitrary<T | undefined> => fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...values) });

test('infer: random requests answered byte for byte, with the same observed batches, whether the tensor reader takes them or the general path does (the same bytes after a BOM, which only JSON.parse skips)', async () => {
  // rows over the limit (413) included: a server of its own with a small one; logreg-binary has log-scaled inputs
  const small = await fixtureServer(['gbdt-binary', 'logreg-binary'], { limits: { batchRecords: 4 } });
  try {
    const seen: string[] = [];
    small.nadir.observers.push((m, b) => void seen.push(`${m.id} ${b.size} ${JSON.stringify([...b.labelCounts])}`));
    for (const id of ['gbdt-binary', 'logreg-binary']) {
      const model = small.nadir.models.get(id)!;
      const fields = model.inputs;
      const tokens = fields.map((f) => cellToken(f.kind === 'categorical' ? (f.categories ?? []) : null));
      let taken = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 5 }),
          fc.integer({ min: 0, max: records.length - 5 }),
          fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { maxLength: 8 }),
          fc.nat(),
          rarely('FP64', 'INT32', 'UINT64', 'BOOL', 'BYTES', 'fp64'),
          fc.oneof(rarely('""', '"a\\"b"', '7', 'null'), fc.constant('"r-1"')),
          fc.nat(),
          fc.oneof(fc.constantFrom('[n]', '[n, 1]', '[n.0]', '[ne0, 1.0]'), rarely('[n, 0]', '[n, 1, 1]', '[]', '[-n]', '[n+1]')),
          rarely('{"name":"x","datatype":"FP64","shape":[1],"data":[1]}', '{"name":"x","shape":[7, 9],"datatype":"odd","data":["\\u00e9",true,null,-1.5e-300]}', '{"name":"x","datatype":"FP64","shape":[1],"data":[[1]]}', '{"name":"duration","datatype":"FP64","shape":[1],"data":[1]}'),
          fc.boolean(),
          fc.constantFrom('', '', ' ', '\n  ', '\t'),
          fc.nat(),
          async (n, start, edits, typeAt, type, rid, shapeAt, shape, extra, reverse, w, seed) => {
            const cols = fields.map((f) => records.slice(start, start + n).map((r) => JSON.stringify(r[f.name] ?? null)));
            for (const [c, r, s] of edits) {
              const k = c % fields.length;
              cols[k]![r % n] = fc.sample(tokens[k]!, { numRuns: 1, seed: s ^ seed })[0]!;
            }
            const datatypes: string[] = fields.map((f) => (f.kind === 'numeric' ? 'FP64' : 'BYTES'));
            if (type !== undefined) datatypes[typeAt % fields.length] = type;
            let parts = fields.map((f, k) => {
              const sh = shape !== undefined && shapeAt % fields.length === k ? shape.replace('n+1', String(n + 1)).replace('n', String(n)) : `[${n}]`;
              return `{${w}"name":${w}"${f.name}",${w}"datatype":"${datatypes[k]}",${w}"shape":${w}${sh},${w}"data":${w}[${cols[k]!.join(`,${w}`)}]${w}}`;
            });
            if (reverse) parts = parts.reverse();
            if (extra) parts.push(extra);
            const text = `{${rid !== undefined ? `"id":${rid},${w}` : ''}"inputs":[${parts.join(`,${w}`)}]}${w}`;
            const url = `/v2/models/${id}/infer`;
            const headers = { 'content-type': 'application/json' };
            if (model.tensorReader!.read(Buffer.from(text))) taken++;
            assert.equal(model.tensorReader!.read(Buffer.from(`\ufeff${text}`)), null);
            seen.length = 0;
            const a = await small.inject({ method: 'POST', url, headers, payload: text });
            const b = await small.inject({ method: 'POST', url, headers, payload: `\ufeff${text}` });
            const what = `${text.slice(0, 300)}\nreader: ${a.statusCode} ${a.body.slice(0, 200)}\ngeneral: ${b.statusCode} ${b.body.slice(0, 200)}`;
            assert.equal(a.statusCode, b.statusCode, what);
            assert.equal(a.body, b.body, what);
            assert.equal(a.headers['content-type'], b.headers['content-type'], what);
            assert.equal(seen.length, a.statusCode === 200 ? 2 : 0, what);
            assert.equal(seen[0], seen[1], what);
          },
        ),
        { numRuns: 250 },
      );
      assert.ok(taken > 50, `${id}: the reader takes many of the random requests (${taken} of 250)`);
    }
  } finally {
    await small.close();
  }
});
