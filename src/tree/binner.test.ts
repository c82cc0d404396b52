import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NadirError } from '../errors.js';
import { matrix } from '../features/types.js';
import { Random } from '../util/random.js';
import { binMatrix, binOf, cutPoints, distinctSorted, fitBinMapper, fitBinMatrix, fitBinMatrixParallel } from './binner.js';
import { Heap } from './heap.js';

test('few distinct values: one bin each, float32 edges halfway between neighbours', () => {
  const X = matrix(Float32Array.from([3, 1, 2, 1, 3, 3, -0, 0]), 8, ['a']);
  const m = fitBinMapper(X);
  assert.deepEqual([...m.edges[0]!], [0.5, 1.5, 2.5]);
  assert.equal(m.nBins[0], 4);
  assert.equal(m.hasMissing[0], 0);
  const d = binMatrix(m, X);
  assert.deepEqual([...d.bins], [3, 1, 2, 1, 3, 3, 0, 0]);
});

test('bin b holds exactly the values x with edges[b-1] < x <= edges[b] (the FlatTree rule)', () => {
  const r = new Random(3);
  const n = 5000;
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.fround(r.normal() * 10);
  const X = matrix(data, n, ['x']);
  const m = fitBinMapper(X, { maxBins: 64 });
  const e = m.edges[0]!;
  assert.equal(m.nBins[0], e.length + 1);
  assert.ok(m.nBins[0]! <= 63);
  for (let k = 1; k < e.length; k++) assert.ok(e[k]! > e[k - 1]!, 'edges strictly increasing');
  const d = binMatrix(m, X);
  for (let i = 0; i < n; i++) {
    const b = d.bins[i]!;
    assert.equal(b, binOf(m, 0, data[i]!));
    if (b > 0) assert.ok(data[i]! > e[b - 1]!);
    if (b < e.length) assert.ok(data[i]! <= e[b]!);
  }
});

test('quantile bins on continuous data hold about equal numbers of rows', () => {
  const n = 20_000;
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = (i * 7919) % n; // a permutation of 0..n-1
  const X = matrix(data, n, ['x']);
  const m = fitBinMapper(X, { maxBins: 11 });
  assert.equal(m.nBins[0], 10);
  const d = binMatrix(m, X);
  const counts = new Array(10).fill(0);
  for (const b of d.bins) counts[b]++;
  for (const c of counts) assert.ok(c >= 1800 && c <= 2200, `bin count ${c}`);
});

test('a value heavier than a bin share gets its own bin; no bin is empty', () => {
  const vals = Float64Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const counts = Float64Array.from([1, 1, 1, 100, 1, 1, 1, 1, 1, 1]);
  const e = cutPoints(vals, counts, 4);
  assert.ok(e.length <= 3);
  // 3 is isolated: 2.5 and 3.5 are both edges
  assert.ok([...e].includes(2.5) && [...e].includes(3.5), `edges ${[...e]}`);
});

test('NaN goes to the missing bin nBins[f]; ±Infinity are ordinary values', () => {
  const X = matrix(Float32Array.from([NaN, 1, -Infinity, Infinity, 1, NaN]), 6, ['a']);
  const m = fitBinMapper(X);
  assert.equal(m.hasMissing[0], 1);
  assert.equal(m.nBins[0], 3);
  const d = binMatrix(m, X);
  assert.deepEqual([...d.bins], [3, 1, 0, 2, 1, 3]);
  assert.equal(binOf(m, 0, NaN), 3);
});

test('radix path (many distinct values) sorts like a comparison sort, negatives included', () => {
  const r = new Random(9);
  const k = 3000;
  const v = new Float32Array(k);
  for (let i = 0; i < k; i++) v[i] = Math.fround((r.next() - 0.5) * 1e6) * (i % 7 === 0 ? 1e-30 : 1);
  const { values, counts } = distinctSorted(v, k, new Uint32Array(k), new Uint32Array(k));
  const ref = [...new Set(Array.from(v))].sort((a, b) => a - b);
  assert.deepEqual([...values], ref);
  assert.equal(counts.reduce((a, b) => a + b, 0), k);
});

test('binMatrix: feature-major bins, most frequent default bin, sparse row index of the other bins', () => {
  // col a: mostly 0 (sparse); col b: dense spread; col c: constant
  const rows = [
    [0, 1, 5],
    [0, 2, 5],
    [1, 3, 5],
    [0, 4, 5],
    [2, 5, 5],
  ];
  const X = matrix(Float32Array.from(rows.flat()), 5, ['a', 'b', 'c']);
  const m = fitBinMapper(X);
  const d = binMatrix(m, X, { sparseMaxDensity: 0.5 });
  assert.deepEqual([...d.bins.subarray(0, 5)], [0, 0, 1, 0, 2]);
  assert.deepEqual([...d.bins.subarray(5, 10)], [0, 1, 2, 3, 4]);
  assert.deepEqual([...d.defaultBin], [0, 0, 0]);
  assert.deepEqual([...d.usable], [1, 1, 0]);
  assert.deepEqual([...d.sparseFeatures], [0]);
  assert.deepEqual([...d.denseFeatures], [1]);
  // row-wise entries: the non-default bins of sparse features, as global slots
  assert.deepEqual([...d.rowPtr], [0, 0, 0, 1, 1, 2]);
  assert.deepEqual([...d.rowSlots], [d.slotOffset[0]! + 1, d.slotOffset[0]! + 2]);
  assert.deepEqual([...d.entryRow], [2, 4]);
  assert.equal(d.totalSlots, 4 + 6 + 2);
});

test('large data: edges from a seeded sample, identical for the same seed', () => {
  const r = new Random(1);
  const n = 3000;
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = r.normal();
  const X = matrix(data, n, ['x']);
  const a = fitBinMapper(X, { sampleSize: 500, seed: 4 });
  const b = fitBinMapper(X, { sampleSize: 500, seed: 4 });
  assert.deepEqual(a.edges[0], b.edges[0]);
  assert.ok(a.nBins[0]! > 100);
});

test('maxBins outside 2..256 is refused', () => {
  const X = matrix(new Float32Array(4), 4, ['a']);
  assert.throws(() => fitBinMapper(X, { maxBins: 1 }), (e) => e instanceof NadirError && e.code === 'NADIR_ERR_BAD_OPTION');
  assert.throws(() => fitBinMapper(X, { maxBins: 257 }), (e) => e instanceof NadirError && e.code === 'NADIR_ERR_BAD_OPTION');
});

test('fitBinMatrix (hash-table path) bins exactly like fitBinMapper + binMatrix', () => {
  const r = new Random(17);
  const n = 6000;
  const d = 7;
  const X = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    X[i * d] = r.next() < 0.1 ? 1 : 0;
    X[i * d + 1] = r.next() < 0.2 ? NaN : r.int(40);
    X[i * d + 2] = Math.fround(r.normal());
    X[i * d + 3] = r.next() < 0.5 ? -0 : r.next() < 0.5 ? 0 : Infinity;
    X[i * d + 4] = 7;
    X[i * d + 5] = Math.fround(r.normal() * 1e-30);
    X[i * d + 6] = r.int(3) - 1;
  }
  const M = matrix(X, n, ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  for (const o of [{ maxBins: 256 }, { maxBins: 17 }, { maxBins: 64, sampleSize: 1000, seed: 3 }]) {
    const a = binMatrix(fitBinMapper(M, o), M);
    const b = fitBinMatrix(M, o);
    assert.deepEqual(b.mapper.edges, a.mapper.edges);
    assert.deepEqual(b.bins, a.bins);
    assert.deepEqual(b.rowSlots, a.rowSlots);
    assert.deepEqual(b.defaultBin, a.defaultBin);
  }
});

test('fitBinMatrixParallel (feature groups on pool workers) gives the same bins and edges as fitBinMatrix', async () => {
  const r = new Random(23);
  const n = 3000;
  const d = 40; // three groups of 16 columns
  const X = new Float32Array(n * d);
  for (let i = 0; i < n * d; i++) X[i] = i % 3 === 0 ? (r.next() < 0.1 ? 1 : 0) : i % 3 === 1 ? r.int(30) : r.next() < 0.05 ? NaN : r.normal();
  const M = matrix(X, n, Array.from({ length: d }, (_, j) => `c${j}`));
  for (const o of [{}, { maxBins: 32, sampleSize: 1000, seed: 2 }]) {
    const a = fitBinMatrix(M, o);
    for (const threads of [2, 3]) {
      const b = await fitBinMatrixParallel(M, { ...o, heap: Heap.create() }, threads);
      assert.deepEqual(b.mapper, a.mapper);
      assert.deepEqual(b.bins, a.bins);
      assert.deepEqual(b.rowSlots, a.rowSlots);
    }
  }
});
