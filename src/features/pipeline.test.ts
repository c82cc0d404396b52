import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dataFromRecords, loadDataset } from '../data/load.js';
import type { Table } from '../data/types.js';
import type { Warning } from '../logger.js';
import { CollectingLogger } from '../logger.js';
import { Pipeline } from './pipeline.js';
import type { Matrix } from './types.js';

/** A table from records, typed the same way files are. */
function table(records: Record<string, unknown>[]): Table {
  return dataFromRecords(records).features;
}

/** Row i of a matrix as plain numbers. */
function row(X: Matrix, i: number): number[] {
  return Array.from(X.data.subarray(i * X.nCols, (i + 1) * X.nCols));
}

const TRAIN = table([
  { bytes: 10, proto: 'tcp', rate: 0.5, flag: 'SF' },
  { bytes: 30, proto: 'udp', rate: null, flag: 'SF' },
  { bytes: null, proto: 'tcp', rate: 1.5, flag: 'REJ' },
  { bytes: 20, proto: null, rate: 'Infinity', flag: 'SF' },
]);

describe('Pipeline: one-hot', () => {
  it('lays out numeric columns, then one column per training category plus the unseen bucket', () => {
    const p = new Pipeline().fit(TRAIN);
    assert.deepEqual(p.columns, ['bytes', 'proto=tcp', 'proto=udp', 'proto=<unseen>', 'rate', 'flag=SF', 'flag=REJ', 'flag=<unseen>']);
    assert.deepEqual(p.sourceMap, ['bytes', 'proto', 'proto', 'proto', 'rate', 'flag', 'flag', 'flag']);
    assert.deepEqual(p.inputs, [
      { name: 'bytes', kind: 'numeric' },
      { name: 'proto', kind: 'categorical', categories: ['tcp', 'udp'] },
      { name: 'rate', kind: 'numeric' },
      { name: 'flag', kind: 'categorical', categories: ['SF', 'REJ'] },
    ]);
    assert.deepEqual(p.dropped, []);
  });

  it('imputes the training median / most frequent value; Infinity counts as missing', () => {
    const X = new Pipeline().fitTransform(TRAIN);
    assert.equal(X.nRows, 4);
    assert.equal(X.nCols, 8);
    // bytes median of 10, 30, 20 = 20; rate median of 0.5, 1.5 = 1; proto most frequent = tcp
    assert.deepEqual(row(X, 0), [10, 1, 0, 0, 0.5, 1, 0, 0]);
    assert.deepEqual(row(X, 1), [30, 0, 1, 0, 1, 1, 0, 0]);
    assert.deepEqual(row(X, 2), [20, 1, 0, 0, 1.5, 0, 1, 0]);
    assert.deepEqual(row(X, 3), [20, 1, 0, 0, 1, 1, 0, 0]);
  });

  it('sends categories never seen in training to the unseen bucket and warns once per column', () => {
    const p = new Pipeline().fit(TRAIN);
    const log = new CollectingLogger();
    const X = p.transform(table([
      { bytes: 1, proto: 'icmp', rate: 0, flag: 'SF' },
      { bytes: 2, proto: 'gre', rate: 0, flag: 'S0' },
      { bytes: 3, proto: 'icmp', rate: 0, flag: 'SF' },
    ]), log);
    assert.deepEqual(row(X, 0), [1, 0, 0, 1, 0, 1, 0, 0]);
    assert.deepEqual(row(X, 1), [2, 0, 0, 1, 0, 0, 0, 1]);
    const w: Warning[] = log.warnings;
    assert.deepEqual(w.map((x) => [x.code, x.column, x.count]), [['unseen-category', 'proto', 3], ['unseen-category', 'flag', 1]]);
    assert.deepEqual(w[0]!.examples, ['icmp', 'gre']);
    assert.equal(w[0]!.message, "column 'proto': 3 values never seen in training (icmp, gre) → '<unseen>'");
  });

  it('reads a column that arrives with another kind (numbers as categories, number-like text as numbers)', () => {
    const p = new Pipeline().fit(table([{ port: '80', n: 1 }, { port: 'http', n: 2 }, { port: '80', n: 3 }]));
    assert.deepEqual(p.inputs.map((i) => i.kind), ['categorical', 'numeric']);
    // at predict time the port column holds only numbers, n arrives as text digits
    const X = p.transform(table([{ port: 80, n: '5' }]));
    assert.deepEqual(row(X, 0), [1, 0, 0, 5]);
  });
});

describe('Pipeline: ordinal, scaling, log1p, drop-constant, exclude', () => {
  it('ordinal: one column per categorical input, the category index, unseen = number of categories', () => {
    const p = new Pipeline({ encoding: 'ordinal' }).fit(TRAIN);
    assert.deepEqual(p.columns, ['bytes', 'proto', 'rate', 'flag']);
    const X = p.transform(table([{ bytes: 1, proto: 'udp', rate: 0, flag: 'XX' }, { bytes: 1, proto: null, rate: 0, flag: 'REJ' }]));
    assert.deepEqual(row(X, 0), [1, 1, 0, 2]);
    assert.deepEqual(row(X, 1), [1, 0, 0, 1]);
  });

  it('scale: numeric outputs are (x − mean) / std of the imputed training values (StandardScaler)', () => {
    const t = table([{ x: 1 }, { x: 2 }, { x: 3 }, { x: 4 }, { x: 10 }]);
    const X = new Pipeline({ scale: true }).fitTransform(t);
    const want = [1, 2, 3, 4, 10].map((v) => Math.fround((v - 4) / Math.sqrt(10)));
    Array.from(X.data).forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-6, `${v} vs ${want[i]}`));
    // one-hot columns are never scaled
    const Y = new Pipeline({ scale: true }).fitTransform(TRAIN);
    assert.deepEqual(row(Y, 0).slice(1, 4), [1, 0, 0]);
  });

  it('log1p on named columns, or on heavy-tailed ones with auto', () => {
    const t = table([{ bytes: 0, small: 1 }, { bytes: 99999, small: 2 }, { bytes: Math.E - 1, small: 3 }]);
    const named = new Pipeline({ log1p: ['small'] }).fitTransform(t);
    assert.deepEqual(row(named, 1), [99999, Math.fround(Math.log1p(2))]);
    const auto = new Pipeline({ log1p: 'auto' }).fitTransform(t);
    assert.deepEqual(row(auto, 2), [1, 3]);
    assert.deepEqual(row(auto, 1), [Math.fround(Math.log1p(99999)), 2]);
  });

  it('drops columns constant (or empty) in training, unless told not to; exclude leaves columns out', () => {
    const t = table([{ a: 1, k: 7, e: null, c: 'x', z: 'q' }, { a: 2, k: 7, e: null, c: 'x', z: 'r' }]);
    const p = new Pipeline().fit(t);
    assert.deepEqual(p.dropped, ['k', 'e', 'c']);
    assert.deepEqual(p.columns, ['a', 'z=q', 'z=r', 'z=<unseen>']);
    const keep = new Pipeline({ dropConstant: false }).fit(t);
    assert.deepEqual(keep.columns, ['a', 'k', 'e', 'c=x', 'c=<unseen>', 'z=q', 'z=r', 'z=<unseen>']);
    // an all-missing numeric column imputes 0
    assert.deepEqual(row(keep.transform(t), 0).slice(0, 3), [1, 7, 0]);
    assert.deepEqual(new Pipeline({ exclude: ['z'] }).fit(t).columns, ['a']);
  });

  it('refuses a table with nothing usable, and an unknown encoding', () => {
    assert.throws(() => new Pipeline().fit(table([{ k: 1 }, { k: 1 }])), { code: 'NADIR_ERR_BAD_INPUT', message: /no usable feature columns/ });
    assert.throws(() => new Pipeline({ encoding: 'hash' as 'onehot' }).fit(TRAIN), { code: 'NADIR_ERR_BAD_OPTION', message: 'invalid option encoding: expected onehot or ordinal, got hash' });
  });
});

describe('Pipeline: errors at transform time', () => {
  const p = new Pipeline().fit(TRAIN);

  it('a missing input column is an error naming it', () => {
    assert.throws(() => p.transform(table([{ bytes: 1, proto: 'tcp', flag: 'SF' }])), { code: 'NADIR_ERR_MISSING_COLUMN', message: "missing column 'rate' in the input (the model needs it)" });
  });

  it('text in a numeric column is an error naming the column, the row and the value', () => {
    assert.throws(() => p.transform(table([{ bytes: 1, proto: 'tcp', rate: 2, flag: 'SF' }, { bytes: 'lots', proto: 'tcp', rate: 2, flag: 'SF' }])), {
      code: 'NADIR_ERR_BAD_VALUE',
      message: "column 'bytes' row 2: expected a number, got \"lots\"",
    });
  });

  it('a hex literal is text too', () => {
    assert.throws(() => p.transform(table([{ bytes: '0x10', proto: 'tcp', rate: 2, flag: 'SF' }])), { message: "column 'bytes' row 1: expected a number, got \"0x10\"" });
  });

  it('use before fit is an error', () => {
    assert.throws(() => new Pipeline().transform(TRAIN), { code: 'NADIR_ERR_NOT_FITTED' });
    assert.throws(() => new Pipeline().columns, { code: 'NADIR_ERR_NOT_FITTED' });
  });
});

describe('Pipeline: serialisation', () => {
  it('toJSON → JSON text → fromJSON gives the identical transform, bit for bit', () => {
    for (const opts of [{}, { scale: true, log1p: 'auto' as const }, { encoding: 'ordinal' as const, dropConstant: false }]) {
      const p = new Pipeline(opts).fit(TRAIN);
      const q = Pipeline.fromJSON(JSON.parse(JSON.stringify(p.toJSON())));
      const probe = table([{ bytes: 12345, proto: 'udp', rate: null, flag: 'S0' }, { bytes: -3, proto: 'tcp', rate: 0.25, flag: 'SF' }]);
      assert.deepEqual(q.transform(probe), p.transform(probe));
      assert.deepEqual(q.columns, p.columns);
      assert.deepEqual(q.sourceMap, p.sourceMap);
      assert.deepEqual(q.inputs, p.inputs);
      assert.deepEqual(q.dropped, p.dropped);
      assert.deepEqual(q.toJSON(), p.toJSON());
    }
  });

  it('refuses a malformed or foreign section as a corrupt model', () => {
    const good = new Pipeline().fit(TRAIN).toJSON();
    const bad: unknown[] = [
      null,
      'pipeline',
      { ...good, type: 'other' },
      { ...good, version: 2 },
      { ...good, plans: [] },
      { ...good, plans: [{ kind: 'numeric', name: 'x', fill: 'a', log: false, mean: 0, scale: 1 }] },
      { ...good, plans: [{ kind: 'numeric', name: 'x', fill: 0, log: false, mean: null, scale: 1 }] },
      { ...good, plans: [{ kind: 'categorical', name: 'c', fill: 'zz', categories: ['a'] }] },
      { ...good, options: { encoding: 'hash' } },
    ];
    for (const b of bad) assert.throws(() => Pipeline.fromJSON(b), { code: 'NADIR_ERR_MODEL_CORRUPT' }, JSON.stringify(b)?.slice(0, 60));
  });
});

describe('Pipeline on NSL-KDD', () => {
  it('fits on KDDTrain+_20Percent and encodes KDDTest+ with the same layout', async () => {
    const [train, test] = await Promise.all([loadDataset('data/nsl-kdd/KDDTrain+_20Percent.txt.gz'), loadDataset('data/nsl-kdd/KDDTest+.txt.gz')]);
    const p = new Pipeline().fit(train.features);
    assert.deepEqual(p.dropped, ['num_outbound_cmds', 'is_host_login']);
    const cats = (name: string): number => {
      const c = train.features.columns.find((x) => x.name === name)!;
      return c.kind === 'categorical' ? c.dictionary.length : 0;
    };
    // 36 numeric columns + each categorical's training values + one unseen bucket each
    assert.equal(p.columns.length, 36 + cats('protocol_type') + cats('service') + cats('flag') + 3);
    const log = new CollectingLogger();
    const X = p.transform(test.features, log);
    assert.equal(X.nRows, 22544);
    assert.equal(X.nCols, p.columns.length);
    // every row has exactly one 1 in each one-hot group
    const groups = ['protocol_type', 'service', 'flag'].map((g) => p.sourceMap.flatMap((s, j) => (s === g ? [j] : [])));
    for (let i = 0; i < X.nRows; i += 97) for (const g of groups) assert.equal(g.reduce((s, j) => s + X.data[i * X.nCols + j]!, 0), 1);
    // unseen services in the test file are exactly those missing from the training dictionary
    const trainService = train.features.columns.find((c) => c.name === 'service')!;
    const trainServices = new Set(trainService.kind === 'categorical' ? trainService.dictionary : []);
    assert.ok(trainServices.size > 60);
    const svc = test.features.columns.find((c) => c.name === 'service')!;
    let unseen = 0;
    if (svc.kind === 'categorical') for (const c of svc.codes) if (!trainServices.has(svc.dictionary[c]!)) unseen++;
    const w = log.warnings.find((x) => x.column === 'service');
    assert.equal(w?.count ?? 0, unseen);
    assert.ok(Array.from(X.data).every(Number.isFinite));
  });
});

describe('Pipeline: bounded one-hot', () => {
  // 300 hosts: the first 10 on 21 rows each, the other 290 on one row each
  const records: Record<string, unknown>[] = [];
  for (let k = 0; k < 300; k++) for (let r = 0; r < (k < 10 ? 21 : 1); r++) records.push({ host: `h${String(k).padStart(3, '0')}`, bytes: k });
  const T = table(records);

  it('keeps the most frequent categories up to maxCategories (default 100); the rest share <other>, which also takes unseen values', () => {
    const p = new Pipeline().fit(T);
    assert.equal(p.columns.length, 1 + 100 + 1);
    assert.equal(p.columns.filter((c) => c.startsWith('host=')).length, 101);
    assert.equal(p.columns[100], 'host=<other>');
    // the 10 frequent hosts first, then alphabetical among the ties
    assert.deepEqual(p.inputs[0]!.categories!.slice(0, 11), [...Array.from({ length: 10 }, (_, k) => `h00${k}`), 'h010']);
    assert.deepEqual(p.cuts, [{ column: 'host', kept: 100, cut: 200, rows: 200 }]);
    const small = new Pipeline({ maxCategories: 5 }).fit(T);
    assert.equal(small.columns.length, 1 + 5 + 1);
    assert.deepEqual(small.cuts, [{ column: 'host', kept: 5, cut: 295, rows: 5 * 21 + 290 }]);
    // a cut value and a value never seen both land in <other>, without an unseen-category warning
    const logger = new CollectingLogger();
    const X = small.transform(table([{ host: 'h299', bytes: 1 }, { host: 'never', bytes: 1 }, { host: 'h000', bytes: 1 }]), logger);
    assert.deepEqual(row(X, 0).slice(0, 6), [0, 0, 0, 0, 0, 1]);
    assert.deepEqual(row(X, 1).slice(0, 6), [0, 0, 0, 0, 0, 1]);
    assert.deepEqual(row(X, 2).slice(0, 6), [1, 0, 0, 0, 0, 0]);
    assert.deepEqual(logger.warnings, []);
    // saved and loaded: the same layout and encoding
    const back = Pipeline.fromJSON(JSON.parse(JSON.stringify(small.toJSON())));
    assert.deepEqual(back.columns, small.columns);
    assert.deepEqual(Array.from(back.transform(T).data), Array.from(small.transform(T).data));
    assert.throws(() => new Pipeline({ maxCategories: 0 }).fit(T), { code: 'NADIR_ERR_BAD_OPTION' });
  });
});
