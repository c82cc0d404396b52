/**
 * The JSON body reader (bytes → feature rows, the predict routes' first try) against the path it
 * shortens: whenever it takes a body, JSON.parse takes it too, the body is the shape the schema
 * reads the same way (one record, or `{ "records": [...] }` alone), and every record encodes (the
 * record encoder) to exactly the rows the reader wrote, with the same unseen values. Checked on
 * real bodies, on hand-made edge cases, on random records in random layouts, and on random
 * mutations of valid bodies (most of which it must refuse).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { loadDataset, type Dataset } from '../data/index.js';
import { tableRecords } from '../data/table-records.js';
import { NSL_KDD_TEST, NSL_KDD_TRAIN } from './testdata/nsl-kdd.js';
import { Pipeline, type PipelineOptions } from './pipeline.js';
import { jsonRecordsReader, type JsonRecordsReader } from './json-records.js';
import { recordEncoder, SLOW, UNSEEN_VALUE, type RecordEncoder } from './record-encoder.js';

let data: Promise<{ train: Dataset; test: Dataset }> | null = null;
function nslKdd(): Promise<{ train: Dataset; test: Dataset }> {
  data ??= Promise.all([loadDataset(NSL_KDD_TRAIN), loadDataset(NSL_KDD_TEST)]).then(([train, test]) => ({ train, test }));
  return data;
}

const records = (d: Dataset, n = d.features.nRows): Array<Record<string, unknown>> => tableRecords(d.features, n);

interface Setup {
  enc: RecordEncoder;
  reader: JsonRecordsReader;
  base: Array<Record<string, unknown>>;
  pipeline: Pipeline;
}

async function setup(options: PipelineOptions = {}, max = 1000): Promise<Setup> {
  const { train, test: t } = await nslKdd();
  const pipeline = new Pipeline(options).fit(train.features);
  const enc = recordEncoder(pipeline)!;
  return { enc, reader: jsonRecordsReader(enc, max), base: records(t, 2000), pipeline };
}

function hasPoisonKey(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some(hasPoisonKey);
  return Object.keys(v).some((k) => k === '__proto__' || k === 'constructor' || hasPoisonKey((v as Record<string, unknown>)[k]));
}

/**
 * The reader's answer for `text` is null, or what JSON.parse + the record encoder give. Returns
 * whether the reader took it.
 */
function check(s: Setup, text: string | Buffer, max = 1000): boolean {
  const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const got = s.reader.read(buf);
  if (got === null) return false;
  const what = buf.toString('utf8').slice(0, 120);
  let parsed: unknown;
  assert.doesNotThrow(() => (parsed = JSON.parse(buf.toString('utf8'))), `taken but not JSON: ${what}`);
  assert.ok(!hasPoisonKey(parsed), `taken with a __proto__/constructor key: ${what}`);
  assert.ok(parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed), what);
  const obj = parsed as Record<string, unknown>;
  let recs: unknown[];
  if (got.batch) {
    assert.deepEqual(Object.keys(obj), ['records'], what);
    assert.ok(Array.isArray(obj.records) && obj.records.length >= 1 && obj.records.length <= max, what);
    recs = obj.records as unknown[];
  } else {
    assert.ok(!('records' in obj), `a single record with a records key: ${what}`);
    recs = [obj];
  }
  assert.equal(got.nRows, recs.length);
  const rows = new Float32Array(recs.length * s.enc.nCols);
  recs.forEach((r, i) => {
    const st = s.enc.encode(r, rows, i * s.enc.nCols);
    assert.notEqual(st, SLOW, `record ${i} taken by the reader but not by the encoder: ${JSON.stringify(r).slice(0, 200)}`);
    const unseen = got.unseen?.get(i) ?? null;
    if (st === UNSEEN_VALUE) assert.deepEqual(unseen, s.enc.unseenValues(r as Record<string, unknown>));
    else assert.equal(unseen, null);
  });
  assert.deepEqual(new Uint32Array(got.data.buffer, got.data.byteOffset, got.data.length), new Uint32Array(rows.buffer), `rows differ: ${what}`);
  return true;
}

test('real bodies: one record and batches of KDDTest+ records, as JSON.stringify writes them, compact and indented', async () => {
  const s = await setup();
  for (let i = 0; i < 200; i++) assert.ok(check(s, JSON.stringify(s.base[i])), `record ${i}`);
  for (const n of [1, 2, 100, 1000]) {
    assert.ok(check(s, JSON.stringify({ records: s.base.slice(0, n) })), `batch of ${n}`);
    assert.ok(check(s, JSON.stringify({ records: s.base.slice(n, 2 * n) }, null, 2)), `indented batch of ${n}`);
  }
  for (const options of [{ encoding: 'ordinal' as const }, { log1p: 'auto' as const, scale: true }]) {
    const o = await setup(options);
    assert.ok(check(o, JSON.stringify({ records: o.base.slice(0, 500) })), JSON.stringify(options));
  }
});

test('what it takes beyond the usual: other key orders, extra keys of any scalar, whitespace, numbers in every JSON form, unseen values', async () => {
  const s = await setup();
  const r = s.base[0]!;
  const rev = Object.fromEntries(Object.entries(r).reverse());
  const taken = [
    JSON.stringify(rev),
    JSON.stringify({ label: 'neptune', id: 7, ok: true, no: false, none: null, ...r, note: 'é \\" \u2028 "quoted"' }),
    ` \n\t{ ${Object.entries(r).map(([k, v]) => `"${k}" :\t${JSON.stringify(v)}`).join(' ,\r\n ')} } \n`,
    JSON.stringify({ ...r, src_bytes: 0.1, dst_bytes: 1e21, duration: -0, wrong_fragment: 123456789012345 }),
    JSON.stringify({ ...r, src_bytes: 1.7976931348623157e308, dst_bytes: 5e-324, duration: 2.2250738585072014e-308 }),
    JSON.stringify(r).replace(/"src_bytes":[^,]*/, '"src_bytes":1.5E+3').replace(/"dst_bytes":[^,]*/, '"dst_bytes":-0.000123e-4'),
    JSON.stringify(r).replace(/"duration":[^,]*/, '"duration":1e-400').replace(/"src_bytes":[^,]*/, '"src_bytes":123456789012345678901234567890'),
    JSON.stringify(r).replace(/"src_bytes":[^,]*/, '"src_bytes":0.30000000000000004441'),
    JSON.stringify({ ...r, service: 'never-seen', flag: ' SF ', protocol_type: 6 }),
    JSON.stringify({ ...r, service: null, flag: 'NA', duration: null }),
    JSON.stringify({ records: [r, { ...r, service: 'x' }, rev] }),
  ];
  taken.forEach((t, i) => assert.ok(check(s, t), `case ${i} taken: ${t.slice(0, 80)}`));
});

test('what it leaves to the general path: bad JSON, bad shapes, every record the schema or the encoder refuses', async () => {
  const s = await setup({}, 10);
  const r = s.base[0]!;
  const text = JSON.stringify(r);
  const { duration: _d, ...missing } = r;
  const refused = [
    '', ' ', 'null', '[]', '3', '"x"', '{}', '{"records":[]}', '{"records":{}}', '{"records":null}', `{"records":[${text}],"x":1}`,
    `{"x":1,"records":[${text}]}`, `{"records":[${text}]`, `{"records":[${text},]}`, `[${text}]`, `${text} x`, `${text}${text}`,
    `\ufeff${text}`, text.slice(0, -1), text.replace('{', '{,'), text.replace(/,/, ',,'), text.replace(/:/, '::'),
    JSON.stringify({ records: Array.from({ length: 11 }, () => r) }),
    JSON.stringify(missing),
    JSON.stringify({ ...r, duration: '0' }),
    JSON.stringify({ ...r, duration: true }),
    JSON.stringify({ ...r, service: false }),
    JSON.stringify({ ...r, service: ['http'] }),
    JSON.stringify({ ...r, extra: { a: 1 } }),
    JSON.stringify({ ...r, extra: [1] }),
    JSON.stringify({ ...r, records: [] }),
    // valid, but left to the general path (a records key in a record of a batch is just another field there)
    JSON.stringify({ records: [{ ...r, records: 1 }] }),
    JSON.stringify(Object.fromEntries(Object.keys(r).map((k) => [k, null]))),
    text.replace(/"duration":[^,]*/, '"duration":01'),
    text.replace(/"duration":[^,]*/, '"duration":1.'),
    text.replace(/"duration":[^,]*/, '"duration":.5'),
    text.replace(/"duration":[^,]*/, '"duration":+1'),
    text.replace(/"duration":[^,]*/, '"duration":1e400'),
    text.replace(/"duration":[^,]*/, '"duration":-1e999'),
    text.replace(/"duration":[^,]*/, '"duration":NaN'),
    text.replace(/"duration":[^,]*/, '"duration":0x10'),
    text.replace(/"duration":[^,]*/, '"duration":1e'),
    text.replace(/"duration":[^,]*/, '"duration":nul'),
    text.replace('"service":"private"', '"service":"pri\\u0076ate"'),
    text.replace('"service":"private"', '"service":"privé"'),
    text.replace('"duration"', '"dur\\u0061tion"'),
    text.replace('}', ',"duration":0}'),
    text.replace('}', ',"__proto__":1}'),
    text.replace('}', ',"constructor":1}'),
    text.replace('}', ',"x":"a\\qb"}'),
    text.replace('}', ',"x":"a\u0001b"}'),
    text.replace('}', ',"x":"\\u12G4"}'),
    text.replace('}', ',"x":tru}'),
  ];
  refused.forEach((t, i) => assert.equal(s.reader.read(Buffer.from(t, 'utf8')), null, `case ${i} refused: ${t.slice(0, 100)}`));
  // a buffer that is a slice of a larger one (Fastify's bodies may be)
  const big = Buffer.from(`xx${text}yy`, 'utf8');
  assert.ok(check(s, big.subarray(2, big.length - 2)));
});

test('random records in random layouts (fast-check): whatever it takes is what JSON.parse + the encoder give', async () => {
  const s = await setup({ log1p: 'auto' }, 50);
  const cats = s.pipeline.inputs.filter((i) => i.kind === 'categorical').flatMap((i) => [...(i.categories ?? [])]);
  const numberToken = fc.oneof(
    fc.double({ noNaN: true }).map((x) => JSON.stringify(x)),
    fc.integer().map(String),
    fc.tuple(fc.constantFrom('', '-'), fc.stringMatching(/^(0|[1-9][0-9]{0,20})$/), fc.stringMatching(/^(\.[0-9]{1,20})?$/), fc.stringMatching(/^([eE][+-]?[0-9]{1,3})?$/)).map(([a, b, c, d]) => a + b + c + d),
    fc.constantFrom('0', '-0', '0.0', '1e22', '1e23', '9007199254740993', '123456789012345.6', '0.1', '2.5e-324', '1e-400', '4.9406564584124654e-324'),
  );
  const text = fc.constantFrom(...cats, ' tcp', 'NA', '', 'x').map((x) => JSON.stringify(x));
  const nullToken = fc.constant('null');
  // mostly values of the field's kind, sometimes another (the reader must refuse the record then)
  const numeric = fc.oneof({ arbitrary: numberToken, weight: 200 }, { arbitrary: nullToken, weight: 30 }, { arbitrary: text, weight: 1 });
  const categorical = fc.oneof({ arbitrary: text, weight: 40 }, { arbitrary: numberToken, weight: 10 }, { arbitrary: nullToken, weight: 10 }, { arbitrary: fc.constant('true'), weight: 1 });
  const inputs = s.pipeline.inputs;
  const ws = fc.constantFrom('', '', '', ' ', '\n  ', '\t');
  const recordText = fc
    .tuple(
      fc.tuple(...inputs.map((inp) => (inp.kind === 'numeric' ? numeric : categorical))),
      fc.oneof({ arbitrary: fc.constant(inputs.map((_, k) => k)), weight: 5 }, { arbitrary: fc.shuffledSubarray(inputs.map((_, k) => k), { minLength: inputs.length - 1 }), weight: 1 }),
      ws,
      fc.array(fc.tuple(fc.constantFrom('label', 'id', 'x y', 'label', 'records'), fc.constantFrom('1', '"a"', 'true', 'null', '"b"', '[1]')), { maxLength: 1 }),
    )
    .map(([vals, order, w, extra]) => `{${w}${[...order.map((k) => `"${inputs[k]!.name}"${w}:${w}${vals[k]}`), ...extra.map(([k, v]) => `"${k}":${v}`)].join(`${w},${w}`)}${w}}`);
  const body = fc.oneof(recordText, fc.array(recordText, { minLength: 1, maxLength: 4 }).map((rs) => `{"records":[${rs.join(',')}]}`));
  let taken = 0;
  fc.assert(
    fc.property(body, (t) => {
      if (check(s, t, 50)) taken++;
    }),
    { numRuns: 3000 },
  );
  assert.ok(taken > 500, `${taken} of 3000 random bodies taken`);
});

test('random mutations of valid bodies (fast-check): refused, or taken with the right rows', async () => {
  const s = await setup({}, 20);
  const valid = [JSON.stringify(s.base[3]), JSON.stringify({ records: s.base.slice(10, 13) })];
  const mutation = fc.tuple(fc.constantFrom(...valid), fc.array(fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), fc.constantFrom(...'{}[],:"\\ 0123456789.eE+-natrufl\u00e9x\u0000'.split(''))), { minLength: 1, maxLength: 3 }));
  let taken = 0;
  fc.assert(
    fc.property(mutation, ([t, edits]) => {
      let m = t;
      for (const [at, op, ch] of edits) {
        const p = at % (m.length + 1);
        m = op === 'insert' ? m.slice(0, p) + ch + m.slice(p) : op === 'delete' ? m.slice(0, p) + m.slice(p + 1) : m.slice(0, p) + ch + m.slice(p + 1);
      }
      if (check(s, m, 20)) taken++;
    }),
    { numRuns: 5000 },
  );
  assert.ok(taken > 50, `${taken} of 5000 mutated bodies taken`);
});
