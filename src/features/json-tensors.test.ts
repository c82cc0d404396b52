/**
 * The v2 infer body reader (bytes → feature rows, the /v2 infer route's first try) against the path
 * it shortens: whenever it takes a body, JSON.parse takes it, the body is a request the general
 * path accepts (the schema's shape, one tensor per input, none twice, shapes [n] / [n, 1] with one
 * n, datatypes of the right kind) and every row, rebuilt as a record from the parsed tensors,
 * encodes (the record encoder) to exactly the row the reader wrote. Checked on real requests, on
 * hand-made edge cases and on random mutations of valid bodies (most of which it must refuse).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { loadDataset, type Dataset } from '../data/index.js';
import { tableRecords } from '../data/table-records.js';
import { NSL_KDD_TEST, NSL_KDD_TRAIN } from './testdata/nsl-kdd.js';
import { Pipeline } from './pipeline.js';
import { jsonTensorsReader, type JsonTensorsReader } from './json-tensors.js';
import { recordEncoder, SLOW, type RecordEncoder } from './record-encoder.js';

type Json = Record<string, unknown>;

let data: Promise<{ train: Dataset; test: Dataset }> | null = null;
function nslKdd(): Promise<{ train: Dataset; test: Dataset }> {
  data ??= Promise.all([loadDataset(NSL_KDD_TRAIN), loadDataset(NSL_KDD_TEST)]).then(([train, test]) => ({ train, test }));
  return data;
}

interface Setup {
  enc: RecordEncoder;
  reader: JsonTensorsReader;
  base: Json[];
  names: string[];
  max: number;
}

async function setup(max = 1000): Promise<Setup> {
  const { train, test: t } = await nslKdd();
  const pipeline = new Pipeline({}).fit(train.features);
  const enc = recordEncoder(pipeline)!;
  return { enc, reader: jsonTensorsReader(enc, max), base: tableRecords(t.features, 2000), names: enc.fields.map((f) => f.name), max };
}

/** A v2 request for `recs`: one tensor per input field (and the extra keys of the records, as tensors too when `extra`). */
function request(s: Setup, recs: Json[], opts: { nested?: boolean; extra?: boolean; id?: string } = {}): Json {
  const keys = opts.extra ? Object.keys(recs[0]!) : s.names;
  const inputs = keys.map((name) => {
    const values = recs.map((r) => r[name] ?? null);
    const f = s.enc.fields.find((x) => x.name === name);
    const datatype = f ? (f.kind === 'numeric' ? 'FP64' : 'BYTES') : typeof values[0] === 'number' ? 'FP64' : 'BYTES';
    return { name, shape: opts.nested ? [recs.length, 1] : [recs.length], datatype, data: opts.nested ? values.map((v) => [v]) : values };
  });
  return { ...(opts.id !== undefined ? { id: opts.id } : {}), inputs };
}

const NUMERIC_TYPES = new Set(['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64']);

function hasPoisonKey(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some(hasPoisonKey);
  return Object.keys(v).some((k) => k === '__proto__' || k === 'constructor' || hasPoisonKey((v as Json)[k]));
}

/** The reader's answer for `text` is null, or what the general path builds. Returns whether the reader took it. */
function check(s: Setup, text: string | Buffer): boolean {
  const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const got = s.reader.read(buf);
  if (got === null) return false;
  const what = buf.toString('utf8').slice(0, 160);
  let parsed: unknown;
  assert.doesNotThrow(() => (parsed = JSON.parse(buf.toString('utf8'))), `taken but not JSON: ${what}`);
  assert.ok(!hasPoisonKey(parsed), what);
  assert.ok(parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed), what);
  const body = parsed as Json;
  assert.ok(Object.keys(body).every((k) => k === 'inputs' || k === 'id'), `top-level keys: ${what}`);
  assert.equal(got.id, body.id === undefined ? null : body.id, what);
  const inputs = body.inputs as Json[];
  assert.ok(Array.isArray(inputs) && inputs.length >= 1 && inputs.length <= 4096, what);
  const byName = new Map<string, Json>();
  for (const t of inputs) {
    // the schema's shape of every tensor
    assert.ok(t !== null && typeof t === 'object' && typeof t.name === 'string' && typeof t.datatype === 'string' && Array.isArray(t.data) && Array.isArray(t.shape), what);
    const shape = t.shape as unknown[];
    assert.ok(shape.length >= 1 && shape.length <= 2 && shape.every((x) => Number.isInteger(x) && (x as number) >= 0), what);
    assert.ok(!byName.has(t.name), `a tensor twice: ${what}`);
    byName.set(t.name, t);
  }
  let n = -1;
  const columns = s.enc.fields.map((f) => {
    const t = byName.get(f.name);
    assert.ok(t, `input ${f.name} missing: ${what}`);
    const shape = t.shape as number[];
    assert.ok(shape.length === 1 || shape[1] === 1, what);
    const values = t.data as unknown[];
    assert.equal(values.length, shape[0], what);
    if (n < 0) n = values.length;
    assert.equal(values.length, n, what);
    assert.ok(f.kind === 'numeric' ? NUMERIC_TYPES.has(t.datatype as string) : t.datatype === 'BYTES', what);
    return values;
  });
  assert.ok(n >= 1 && n <= s.max, what);
  assert.equal(got.nRows, n);
  const rows = new Float32Array(n * s.enc.nCols);
  for (let i = 0; i < n; i++) {
    const rec: Json = {};
    s.enc.fields.forEach((f, k) => (rec[f.name] = columns[k]![i]));
    assert.notEqual(s.enc.encode(rec, rows, i * s.enc.nCols), SLOW, `row ${i} taken by the reader but not by the encoder: ${JSON.stringify(rec).slice(0, 200)}`);
  }
  assert.deepEqual(new Uint32Array(got.data.buffer, got.data.byteOffset, got.data.length), new Uint32Array(rows.buffer), `rows differ: ${what}`);
  return true;
}

test('real requests: KDDTest+ records as v2 tensors, compact and indented, with an id, with extra tensors', async () => {
  const s = await setup();
  for (const n of [1, 2, 100, 1000]) {
    assert.ok(check(s, JSON.stringify(request(s, s.base.slice(0, n)))), `${n} rows`);
    assert.ok(check(s, JSON.stringify(request(s, s.base.slice(n, 2 * n), { id: 'req-1' }), null, 2)), `indented, ${n} rows`);
  }
  // the dataset's records hold a column the pipeline dropped (constant in training): a tensor the general path ignores
  assert.ok(check(s, JSON.stringify(request(s, s.base.slice(0, 50), { extra: true }))));
  const withLabel = s.base.slice(0, 20).map((r, i) => ({ ...r, label: i % 2 ? 'normal' : 'neptune' }));
  assert.ok(check(s, JSON.stringify(request(s, withLabel, { extra: true }))));
});

test('what it takes beyond the usual: other key orders, [n, 1] shapes, numbers in every JSON form, nulls, unseen values', async () => {
  const s = await setup();
  const recs = s.base.slice(0, 5);
  const req = request(s, recs);
  const inputs = req.inputs as Json[];
  const edit = (name: string, f: (t: Json) => Json): Json => ({ inputs: inputs.map((t) => (t.name === name ? f(t) : t)) });
  const taken = [
    { inputs: inputs.map((t) => ({ datatype: t.datatype, shape: [5, 1], name: t.name, data: t.data })) },
    { inputs: [...inputs].reverse() },
    { id: 'x', inputs },
    edit('src_bytes', (t) => ({ ...t, data: [0.1, 1e21, -0, 123456789012345, 1.7976931348623157e308] })),
    edit('duration', (t) => ({ ...t, datatype: 'INT64', data: [null, 255, 256, 0, 9] })),
    edit('service', (t) => ({ ...t, data: ['never-seen', ' http ', 6, null, 'private'] })),
  ];
  taken.forEach((b, i) => assert.ok(check(s, JSON.stringify(b)), `case ${i}`));
  const text = JSON.stringify(req);
  const spaced = text.replace(/,/g, ' ,\n ').replace(/:/g, ' :\t').replace(/\[/g, '[ ').replace(/\]/g, ' ]');
  assert.ok(check(s, spaced));
  assert.ok(check(s, text.replace(/"src_bytes","shape":\[5\],"datatype":"FP64","data":\[[^\]]*\]/, '"src_bytes","shape":[5],"datatype":"FP64","data":[1.5E+3,-0.000123e-4,0.30000000000000004441,1e-400,123456789012345678901234567890]')));
});

test('what it leaves to the general path: bad JSON, bad shapes, missing or repeated tensors, wrong datatypes, values the encoder refuses', async () => {
  const s = await setup(10);
  const recs = s.base.slice(0, 3);
  const req = request(s, recs);
  const inputs = req.inputs as Json[];
  const text = JSON.stringify(req);
  const edit = (name: string, f: (t: Json) => Json): string => JSON.stringify({ inputs: inputs.map((t) => (t.name === name ? f(t) : t)) });
  const refused = [
    '', '{}', '[]', 'null', '{"inputs":[]}', '{"inputs":{}}', `${text} x`, text.slice(0, -1), `\ufeff${text}`,
    JSON.stringify({ ...req, outputs: [{ name: 'label' }] }),
    JSON.stringify({ ...req, parameters: {} }),
    JSON.stringify({ id: 7, inputs }),
    JSON.stringify({ inputs: inputs.slice(1) }),
    JSON.stringify({ inputs: [...inputs, inputs[0]] }),
    JSON.stringify({ inputs: [...inputs, { name: 'extra', shape: [3], datatype: 'FP64', data: [1, 2, 3] }, { name: 'extra', shape: [3], datatype: 'FP64', data: [1, 2, 3] }] }),
    JSON.stringify(request(s, s.base.slice(0, 11))),
    edit('duration', (t) => ({ ...t, shape: [4] })),
    edit('duration', (t) => ({ ...t, shape: [3, 2] })),
    edit('duration', (t) => ({ ...t, shape: [] })),
    edit('duration', (t) => ({ ...t, data: [0, 0] })),
    edit('duration', (t) => ({ ...t, data: [[0], [0], [0]], shape: [3, 1] })),
    edit('duration', (t) => ({ ...t, datatype: 'BYTES' })),
    edit('duration', (t) => ({ ...t, datatype: 'BOOL', data: [true, false, true] })),
    edit('service', (t) => ({ ...t, datatype: 'FP64' })),
    edit('duration', (t) => ({ ...t, data: ['0', 0, 0] })),
    edit('service', (t) => ({ ...t, data: [true, 'http', 'http'] })),
    edit('service', (t) => ({ ...t, data: ['a\\"b', 'http', 'http'] })),
    edit('duration', (t) => ({ name: t.name, data: t.data, shape: t.shape, datatype: t.datatype })),
    edit('duration', (t) => ({ ...t, parameters: {} })),
    text.replace('"data":[', '"data":[01,'),
    text.replace(/"duration","shape":\[3\],"datatype":"FP64","data":\[[^\]]*\]/, '"duration","shape":[3],"datatype":"FP64","data":[1e400,0,0]'),
    JSON.stringify({ inputs: inputs.map((t) => ({ ...t, data: (t.data as unknown[]).map(() => null) })) }),
    // a key twice at any level (JSON.parse keeps the last: the general path reads those)
    `{"inputs":${JSON.stringify(inputs)},"inputs":${JSON.stringify(inputs)}}`,
    `{"id":"a","id":"b","inputs":${JSON.stringify(inputs)}}`,
    text.replace('{"name":"duration"', '{"name":"duration","name":"duration"'),
    text.replace('"shape":[3]', '"shape":[3],"shape":[3]'),
    text.replace('"data":[', '"data":[0,0,0],"data":['),
    text.replace('"datatype":"FP64"', '"datatype":"BYTES","datatype":"FP64"'),
  ];
  refused.forEach((b, i) => assert.notEqual(b, text, `case ${i} edits the request`));
  refused.forEach((b, i) => assert.equal(s.reader.read(Buffer.from(b)), null, `case ${i} refused: ${b.slice(0, 100)}`));
  // whatever it refused, the reader keeps working
  assert.ok(check(s, text));
});

test('fuzz: random mutations of valid bodies are refused or read exactly as the general path reads them', async () => {
  const s = await setup(50);
  const texts = [1, 3, 7].map((n) => JSON.stringify(request(s, s.base.slice(n, 2 * n), { id: 'r' })));
  const pieces = [',', ':', '[', ']', '{', '}', '"', 'null', '0', '-', '1e5', ' ', '\\', '"name"', '"data"', '"shape"', '"id"', '"inputs"', '[1]', '"BYTES"', '"FP64"', '"http"', '\u00e9',
    '"NA"', '" 3 "', '""', '-0', '1.0', '2', '6', '1e400', '[[1]]', 'true', '\t', '"x"', '"duration"', '"service"', '"__proto__"', '"parameters":{},', '"outputs"', '{"name":"x","shape":[1],"datatype":"FP64","data":[1]},'];
  let taken = 0;
  fc.assert(
    fc.property(fc.integer({ min: 0, max: texts.length - 1 }), fc.nat(), fc.nat(), fc.constantFrom(...pieces), fc.integer({ min: 0, max: 3 }), (w, a, len, piece, op) => {
      const t = texts[w]!;
      const at = a % t.length;
      const cut = len % 12;
      const out = op === 0 ? t.slice(0, at) + t.slice(at + 1 + cut) : op === 1 ? t.slice(0, at) + piece + t.slice(at) : op === 2 ? t.slice(0, at) + piece + t.slice(at + 1) : t.slice(0, at);
      if (check(s, out)) taken++;
    }),
    { numRuns: 5000 },
  );
  assert.ok(taken > 0, 'some mutations are still valid requests');
});

/**
 * JSON tokens for cells: numbers in many spellings, strings that read as categories, numbers or
 * missing values, null; `valid` the ones a column of that kind takes, `any` with every kind mixed
 * and values no input takes.
 */
function cellTokens(categories: readonly string[]): { numeric: fc.Arbitrary<string>; categorical: fc.Arbitrary<string>; any: fc.Arbitrary<string> } {
  const spelled = fc.tuple(fc.integer({ min: 0, max: 999_999 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: -30, max: 30 }), fc.constantFrom('e', 'E', 'e+', 'e-0', '')).map(([m, point, e, sep]) => {
    const digits = String(m);
    const at = Math.max(1, digits.length - point);
    const mantissa = `${digits.slice(0, at)}${at < digits.length ? `.${digits.slice(at)}` : ''}`;
    return sep === '' ? mantissa : sep === 'e-0' ? `${mantissa}e-0${Math.abs(e)}` : `${mantissa}${sep}${sep === 'e+' ? Math.abs(e) : e}`;
  });
  const numbers = fc.oneof(
    fc.integer({ min: 0, max: 300 }).map(String),
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 }).map(String),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => JSON.stringify(v)),
    spelled,
    spelled.map((t) => `-${t}`),
    fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
    fc.constantFrom('-0', '0.0', '-0.0', '0e0', '1E2', '1e-400', '2.2250738585072014e-308', '4.9e-324', '9007199254740993', '0.30000000000000004441', '1.7976931348623157e308'),
  );
  const strings = fc.oneof(
    fc.constantFrom(...categories, 'x').map((c) => JSON.stringify(c)),
    fc.constantFrom('', 'NA', 'na', 'N/A', '?', 'null', 'None', 'NaN', ' ', ' 3 ', '3', '3.0', '-0', '1e2', 'inf', '-Infinity', '1e400', '+1', '.5').map((s) => JSON.stringify(s)),
    fc.constantFrom(...categories, 'x').map((c) => JSON.stringify(` ${c.toUpperCase()} `)),
    fc.string({ maxLength: 5 }).map((s) => JSON.stringify(s)),
  );
  const refused = fc.constantFrom('true', 'false', '[1]', '{}', '"a\\u0062"', '"\u00e9"', '1e400', '-1e999', '01', '.5', '+1', 'NaN', '1.', '-', '1e', '"a');
  const nul = fc.constant('null');
  return {
    numeric: fc.oneof({ weight: 5, arbitrary: numbers }, { weight: 1, arbitrary: nul }),
    categorical: fc.oneof({ weight: 3, arbitrary: strings }, { weight: 1, arbitrary: numbers }, { weight: 1, arbitrary: nul }),
    any: fc.oneof({ weight: 3, arbitrary: numbers }, { weight: 3, arbitrary: strings }, { weight: 2, arbitrary: nul }, { weight: 2, arbitrary: refused }),
  };
}

test('fuzz: random values of random kinds in every column (numbers in any spelling, category-like and missing strings, nulls), log-scaled and ordinal pipelines too', async () => {
  const { train } = await nslKdd();
  const ws = fc.constantFrom('', '', '', ' ', '\n  ', '\t', '\r\n');
  for (const options of [{}, { encoding: 'ordinal', scale: true, log1p: 'auto' }] as const) {
    const enc = recordEncoder(new Pipeline(options).fit(train.features))!;
    assert.ok(enc.fields.some((f) => f.kind === 'categorical') && enc.fields.some((f) => f.kind === 'numeric' && (options.log1p ? f.log : true)));
    const s: Setup = { enc, reader: jsonTensorsReader(enc, 4), base: [], names: enc.fields.map((f) => f.name), max: 4 };
    const categories = enc.fields.flatMap((f) => (f.kind === 'categorical' ? [...f.resolver.index.keys()] : []));
    const tokens = cellTokens(categories);
    const columns = fc.tuple(...enc.fields.map((f) => fc.array(f.kind === 'numeric' ? tokens.numeric : tokens.categorical, { minLength: 5, maxLength: 5 })));
    let taken = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        columns,
        fc.array(fc.tuple(fc.nat(), fc.nat(), tokens.any), { maxLength: 3 }),
        fc.constantFrom('[n]', '[n, 1]', '[n.0]', '[ne0, 1.0]'),
        fc.boolean(),
        ws,
        (n, cols, edits, shape, numericTypes, w) => {
          const data = cols.map((c) => c.slice(0, n));
          for (const [c, r, token] of edits) data[c % data.length]![r % n] = token;
          const tensors = enc.fields.map((f, k) => {
            const datatype = f.kind === 'categorical' ? 'BYTES' : numericTypes ? ['FP64', 'INT64', 'FP32', 'UINT8'][k % 4] : 'FP64';
            return `{${w}"name":${w}"${f.name}",${w}"datatype":${w}"${datatype}",${w}"shape":${w}${shape.replace('n', String(n))},${w}"data":${w}[${w}${data[k]!.join(`${w},${w}`)}${w}]${w}}`;
          });
          if (check(s, `{${w}"inputs":${w}[${tensors.join(`,${w}`)}]${w}}`)) taken++;
        },
      ),
      { numRuns: 300 },
    );
    // about 40% are (100–130 of 300 over seeds): the property is not vacuous
    assert.ok(taken >= 40, `many random bodies are valid requests (${taken} of 300)`);
  }
});
