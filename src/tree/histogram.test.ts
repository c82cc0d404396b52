import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matrix } from '../features/types.js';
import { Random } from '../util/random.js';
import { binMatrix, fitBinMapper } from './binner.js';
import {
  classHistDense,
  gradHistDense,
  gradHistEntries,
  gradHistSparse,
  packEntries,
  subtractHist,
} from './histogram.js';
import type { BinnedData } from './types.js';

/** Mixed data: a sparse 0/1 column, a sparse count, a dense continuous one, one with NaNs. */
export function mixedData(n: number, seed: number): { data: BinnedData; X: Float32Array } {
  const r = new Random(seed);
  const d = 11;
  const X = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    X[o] = r.next() < 0.1 ? 1 : 0;
    X[o + 1] = r.next() < 0.2 ? r.int(5) : 0;
    X[o + 2] = r.normal();
    X[o + 3] = r.next() < 0.3 ? NaN : r.int(4);
    for (let j = 4; j < d; j++) X[o + j] = r.next() < 0.5 ? r.normal() : r.int(3);
  }
  const M = matrix(X, n, Array.from({ length: d }, (_, j) => `f${j}`));
  return { data: binMatrix(fitBinMapper(M, { maxBins: 32 }), M, { sparseMaxDensity: 0.5 }), X };
}

function naiveGrad(data: BinnedData, rows: number[], g: Float32Array): Float64Array {
  const hist = new Float64Array(data.totalSlots * 2);
  for (const r of rows) {
    for (let f = 0; f < data.nFeatures; f++) {
      const c = (data.slotOffset[f]! + data.bins[f * data.nRows + r]!) * 2;
      hist[c] += g[2 * r]!;
      hist[c + 1] += g[2 * r + 1]!;
    }
  }
  return hist;
}

test('gradient histograms: dense + sparse kernels equal a naive per-row sum (sparse default bins left empty)', () => {
  const { data } = mixedData(700, 1);
  const r = new Random(2);
  const gh = new Float32Array(2 * data.nRows);
  for (let i = 0; i < gh.length; i++) gh[i] = i % 2 ? r.next() : r.normal();
  const rows: number[] = [];
  for (let i = 0; i < data.nRows; i++) if (r.next() < 0.6) rows.push(i);
  const idx = Uint32Array.from(rows);
  const hist = new Float64Array(data.totalSlots * 2);
  gradHistSparse(data, idx, 0, idx.length, gh, hist);
  gradHistDense(data, data.denseFeatures, 0, data.denseFeatures.length, idx, 0, idx.length, gh, hist);
  const ref = naiveGrad(data, rows, gh);
  assert.ok(data.sparseFeatures.length >= 2 && data.denseFeatures.length >= 5);
  for (let f = 0; f < data.nFeatures; f++) {
    if (!data.usable[f]) continue;
    for (let b = 0; b <= data.mapper.nBins[f]!; b++) {
      const c = (data.slotOffset[f]! + b) * 2;
      if (data.sparse[f] && b === data.defaultBin[f]) {
        assert.equal(hist[c], 0);
        continue;
      }
      assert.ok(Math.abs(hist[c]! - ref[c]!) < 1e-9 && Math.abs(hist[c + 1]! - ref[c + 1]!) < 1e-9, `f${f} b${b}`);
    }
  }
});

test('the flat entry pass over a contiguous row range equals the row-by-row sparse pass', () => {
  const { data } = mixedData(500, 3);
  const gh = new Float32Array(2 * data.nRows).map((_, i) => Math.sin(i));
  const ent = packEntries(data);
  const a = new Float64Array(data.totalSlots * 2);
  const b = new Float64Array(data.totalSlots * 2);
  gradHistEntries(data, ent, 37, 411, gh, a);
  const idx = new Uint32Array(data.nRows).map((_, i) => i);
  gradHistSparse(data, idx, 37, 411, gh, b);
  assert.deepEqual(a, b);
});

test('class histograms: weight per class and row count per bin; subtraction gives the sibling', () => {
  const { data } = mixedData(400, 5);
  const r = new Random(6);
  const y = Int32Array.from({ length: data.nRows }, () => r.int(3));
  const w = Float32Array.from({ length: data.nRows }, () => 1 + r.int(3));
  const all = Uint32Array.from({ length: data.nRows }, (_, i) => i);
  const feats = Int32Array.from({ length: data.nFeatures }, (_, f) => f);
  const S = 4;
  const parent = new Float64Array(data.totalSlots * S);
  classHistDense(data, feats, 0, feats.length, all, 0, all.length, y, w, 3, parent);
  for (let f = 0; f < data.nFeatures; f++) {
    let cnt = 0;
    for (let b = 0; b <= data.mapper.nBins[f]!; b++) cnt += parent[(data.slotOffset[f]! + b) * S + 3]!;
    assert.equal(cnt, data.nRows);
  }
  const left = all.filter((i) => i % 3 === 0);
  const right = all.filter((i) => i % 3 !== 0);
  const hl = new Float64Array(parent.length);
  const hr = new Float64Array(parent.length);
  classHistDense(data, feats, 0, feats.length, left, 0, left.length, y, w, 3, hl);
  classHistDense(data, feats, 0, feats.length, right, 0, right.length, y, w, 3, hr);
  subtractHist(parent, hl, 0, parent.length);
  assert.deepEqual(parent, hr);
  // per class: weight of class-1 rows in bin 0 of feature 2
  let expect = 0;
  for (const i of left) if (data.bins[2 * data.nRows + i] === 0 && y[i] === 1) expect += w[i]!;
  assert.equal(hl[(data.slotOffset[2]! + 0) * S + 1], expect);
});
