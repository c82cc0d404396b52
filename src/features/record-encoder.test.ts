/**
 * The record encoder (JSON records → feature rows, the HTTP API's fast path) writes exactly the
 * rows pipeline.transform(typedRecordsTable(…)) gives, bit for bit — on all of KDDTest+ with
 * one-hot, ordinal, log1p and scaled pipelines, and on hand-made records with the spellings a
 * client may send (numbers in a categorical field, padded or numeric-looking strings, missing
 * tokens, nulls, categories never seen) — and refuses (SLOW) every record the general path would
 * refuse or has to explain.
 */
import { tableRecords } from '../data/table-records.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { loadDataset, type Dataset } from '../data/index.js';
import { typedRecordsTable } from '../data/typed-records.js';
import { NSL_KDD_TEST, NSL_KDD_TRAIN } from './testdata/nsl-kdd.js';
import { Pipeline, type PipelineOptions } from './pipeline.js';
import { ENCODED, recordEncoder, SLOW, UNSEEN_VALUE, type RecordEncoder } from './record-encoder.js';

let data: Promise<{ train: Dataset; test: Dataset }> | null = null;
function nslKdd(): Promise<{ train: Dataset; test: Dataset }> {
  data ??= Promise.all([loadDataset(NSL_KDD_TRAIN), loadDataset(NSL_KDD_TEST)]).then(([train, test]) => ({ train, test }));
  return data;
}

/** A loaded table as JSON records, the way a client sends them. */
const records = (d: Dataset): Array<Record<string, unknown>> => tableRecords(d.features);

/** The general path's rows: typed table, then the pipeline. */
function reference(p: Pipeline, recs: readonly unknown[]): Float32Array {
  return p.transform(typedRecordsTable(p.inputs, recs)).data;
}

function encodeAll(enc: RecordEncoder, recs: readonly unknown[]): { rows: Float32Array; status: number[] } {
  const rows = new Float32Array(recs.length * enc.nCols);
  const status = recs.map((r, i) => enc.encode(r, rows, i * enc.nCols));
  return { rows, status };
}

/** Float32 arrays equal bit for bit (so -0 ≠ 0 and NaN = NaN). */
function assertBits(a: Float32Array, b: Float32Array, what: string): void {
  assert.equal(a.length, b.length, what);
  const ia = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ib = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ia.length; i++) if (ia[i] !== ib[i]) assert.fail(`${what}: element ${i}: ${a[i]} vs ${b[i]}`);
}

const OPTIONS: PipelineOptions[] = [{}, { encoding: 'ordinal' }, { log1p: 'auto', scale: true }, { encoding: 'ordinal', scale: true, log1p: ['src_bytes', 'dst_bytes'] }];

for (const options of OPTIONS) {
  test(`all of KDDTest+: the same rows as the typed table + transform (${JSON.stringify(options)})`, async () => {
    const { train, test: t } = await nslKdd();
    const p = new Pipeline(options).fit(train.features);
    const enc = recordEncoder(p)!;
    assert.deepEqual(enc.columns, p.columns);
    const recs = records(t);
    const { rows, status } = encodeAll(enc, recs);
    assert.ok(status.every((s) => s === ENCODED || s === UNSEEN_VALUE));
    assertBits(rows, reference(p, recs), 'KDDTest+');
    // the unseen flag is exactly the records with a category the training file never had
    const known = p.inputs.map((i) => (i.categories ? new Set(i.categories) : null));
    recs.forEach((r, i) => {
      const unseen = p.inputs.some((inp, k) => known[k] && r[inp.name] !== null && !known[k]!.has(String(r[inp.name])));
      assert.equal(status[i], unseen ? UNSEEN_VALUE : ENCODED, `record ${i}`);
    });
  });
}

test('spellings a client may send: numbers and numeric strings in categorical fields, padding, missing tokens, nulls, unseen values', async () => {
  const { train, test: t } = await nslKdd();
  const p = new Pipeline({}).fit(train.features);
  const enc = recordEncoder(p)!;
  const base = records(t)[0]!;
  const variants: Array<Record<string, unknown>> = [
    { ...base, service: ' http ' },
    { ...base, service: 'HTTP' },
    { ...base, service: 'never-seen' },
    { ...base, service: '' },
    { ...base, service: 'NA' },
    { ...base, service: null },
    { ...base, protocol_type: 6 },
    { ...base, protocol_type: '6.0' },
    { ...base, flag: 1e21 },
    { ...base, duration: null, src_bytes: null },
    { ...base, src_bytes: -0 },
    { ...base, src_bytes: 1.5e300 },
    { ...base, src_bytes: -12.25 },
    { ...base, extra: 'ignored', label: 'normal' },
  ];
  const { rows, status } = encodeAll(enc, variants);
  assert.ok(status.every((s) => s !== SLOW), String(status));
  assertBits(rows, reference(p, variants), 'variants');
  assert.equal(status[2], UNSEEN_VALUE);
  assert.deepEqual(enc.unseenValues(variants[2]!), [{ field: 'service', value: 'never-seen' }]);
  assert.deepEqual(enc.unseenValues(variants[7]!), [{ field: 'protocol_type', value: '6' }]);
  assert.equal(status[3], ENCODED, "'' is a missing value, filled as in training");
});

test('records the general path refuses or must explain are SLOW', async () => {
  const { train, test: t } = await nslKdd();
  const p = new Pipeline({}).fit(train.features);
  const enc = recordEncoder(p)!;
  const base = records(t)[0]!;
  const { duration: _d, ...noDuration } = base;
  const allNull = Object.fromEntries(Object.keys(base).map((k) => [k, null]));
  const allMissingTokens = Object.fromEntries(Object.keys(base).map((k) => [k, typeof base[k] === 'string' ? 'NA' : null]));
  const bad: unknown[] = [
    null, 3, 'text', [], [base], noDuration, allNull, allMissingTokens,
    { ...base, duration: '12' }, { ...base, duration: true }, { ...base, duration: {} }, { ...base, duration: Infinity }, { ...base, duration: NaN },
    { ...base, service: true }, { ...base, service: ['http'] }, { ...base, service: { a: 1 } }, { ...base, service: -Infinity },
    { ...base, duration: undefined },
  ];
  const out = new Float32Array(enc.nCols);
  bad.forEach((r, i) => assert.equal(enc.encode(r, out, 0), SLOW, `case ${i}: ${JSON.stringify(r)?.slice(0, 60)}`));
});

test('random records (fast-check): whatever the encoder takes, it encodes as the general path does', async () => {
  const { train } = await nslKdd();
  const p = new Pipeline({ log1p: 'auto' }).fit(train.features);
  const enc = recordEncoder(p)!;
  const cats = p.inputs.filter((i) => i.kind === 'categorical').map((i) => [...(i.categories ?? [])]);
  const number = fc.oneof(fc.constant(null), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: -5, max: 5 }));
  const category = fc.oneof(
    fc.constant(null),
    fc.integer({ min: -5, max: 5 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(...cats.flat(), ' tcp', 'udp ', 'NaN', '?', 'none', '1e3', '0x10', '-', ''),
    fc.string({ maxLength: 6 }),
  );
  // mostly values of the field's kind (the encoder takes them), sometimes anything (it must refuse those)
  const anything = fc.oneof(number, category, fc.boolean(), fc.constant(undefined));
  const record = fc
    .tuple(...p.inputs.map((inp) => fc.oneof({ arbitrary: inp.kind === 'numeric' ? number : category, weight: 50 }, { arbitrary: anything, weight: 1 })))
    .map((vs) => Object.fromEntries(p.inputs.map((inp, k) => [inp.name, vs[k]])));
  let taken = 0;
  fc.assert(
    fc.property(record, (r) => {
      const out = new Float32Array(enc.nCols);
      const s = enc.encode(r, out, 0);
      if (s === SLOW) return;
      taken++;
      assertBits(out, reference(p, [r]), JSON.stringify(r));
    }),
    { numRuns: 2000 },
  );
  assert.ok(taken > 200, `${taken} of 2000 random records taken by the encoder`);
});

test('a pipeline with an input named __proto__ has no encoder (always the general path)', () => {
  const p = Pipeline.fromJSON({ type: 'pipeline', version: 1, options: {}, dropped: [], plans: [{ kind: 'numeric', name: '__proto__', fill: 0, log: false, mean: 0, scale: 1 }] });
  assert.equal(recordEncoder(p), null);
});
