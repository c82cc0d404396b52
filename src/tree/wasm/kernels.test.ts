import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matrix } from '../../features/types.js';
import { Random } from '../../util/random.js';
import { binMatrix, fitBinMapper } from '../binner.js';
import { PACK } from '../grower.js';
import { Heap } from '../heap.js';
import { buildGradChunk, packEntriesInto, ROWS_IDENTITY } from '../hist-builder.js';
import { classHistDense, gradHistDense, gradHistSparse } from '../histogram.js';
import { goLeftTable, partitionRows } from '../partition.js';
import { POW2_BIAS, pow2Table } from './kernels.js';

// The WebAssembly kernels against the JavaScript reference implementations, on mixed data.
const n = 3000;
const d = 10;
const r = new Random(31);
const X = new Float32Array(n * d);
for (let i = 0; i < n; i++) {
  for (let j = 0; j < d; j++) X[i * d + j] = j < 3 ? (r.next() < 0.1 ? 1 : 0) : j < 5 ? (r.next() < 0.2 ? r.int(5) : 0) : r.next() < 0.1 ? NaN : r.normal();
}
const M = matrix(X, n, Array.from({ length: d }, (_, j) => `f${j}`));
const heap = Heap.create();
const data = binMatrix(fitBinMapper(M, { maxBins: 48 }), M, { heap, sparseMaxDensity: 0.3 });
const idx = heap.u32(n);
const rows: number[] = [];
for (let i = 0; i < n; i++) if (r.next() < 0.7) rows.push(i);
idx.set(rows);

test('gradient histogram chunks (sparse row-wise, flat entries, dense 4+1 columns) equal the JS reference', () => {
  const gh = heap.f32(2 * n);
  for (let i = 0; i < 2 * n; i++) gh[i] = i % 2 ? r.next() : r.normal();
  const ent = packEntriesInto(data, heap.i32(2 * data.rowSlots.length));
  const dense = heap.i32(d);
  dense.set(data.denseFeatures);
  assert.ok(data.denseFeatures.length >= 5 && data.sparseFeatures.length >= 3, 'exercises the sparse, 4-column and 1-column kernels');
  const hist = heap.f64(data.totalSlots * 2);
  buildGradChunk(heap.k, data, ent, dense, data.denseFeatures.length, idx, 100, rows.length - 50, 0, gh, hist);
  const ref = new Float64Array(hist.length);
  gradHistSparse(data, idx, 100, rows.length - 50, gh, ref);
  gradHistDense(data, data.denseFeatures, 0, data.denseFeatures.length, idx, 100, rows.length - 50, gh, ref);
  assert.deepEqual(Array.from(hist), Array.from(ref));
  // the flat pass over a run of rows
  const all = heap.u32(n);
  for (let i = 0; i < n; i++) all[i] = i;
  buildGradChunk(heap.k, data, ent, dense, 0, all, 250, 2750, ROWS_IDENTITY, gh, hist);
  ref.fill(0);
  gradHistSparse(data, all, 250, 2750, gh, ref);
  assert.deepEqual(Array.from(hist), Array.from(ref));
});

test('class histograms: generic (K = 3, 4+1 columns) and packed binary equal the JS reference', () => {
  const feats = Int32Array.from({ length: d }, (_, f) => f);
  const so = data.slotOffset;
  const y3 = heap.i32(n);
  const w = heap.f32(n);
  const m = heap.f32(n).fill(1);
  for (let i = 0; i < n; i++) {
    y3[i] = r.int(3);
    w[i] = 1 + r.int(3);
  }
  const S = 4;
  const hist = heap.f64(data.totalSlots * S);
  const b = data.bins.byteOffset;
  const h = hist.byteOffset;
  heap.k.classHist4(b, b + n, b + 2 * n, b + 3 * n, h, h + so[1]! * S * 8, h + so[2]! * S * 8, h + so[3]! * S * 8, idx.byteOffset, 0, rows.length, y3.byteOffset, w.byteOffset, m.byteOffset, 3);
  for (let f = 4; f < d; f++) heap.k.classHist1(b + f * n, h + so[f]! * S * 8, idx.byteOffset, 0, rows.length, y3.byteOffset, w.byteOffset, m.byteOffset, 3);
  const ref = new Float64Array(hist.length);
  classHistDense(data, feats, 0, d, idx, 0, rows.length, y3, w, 3, ref);
  assert.deepEqual(Array.from(hist), Array.from(ref));

  // packed binary: multiplicity + class-1 multiplicity × 2^26 per row
  const y2 = heap.i32(n);
  const pk = heap.f64(n);
  for (let i = 0; i < n; i++) {
    y2[i] = r.int(2);
    pk[i] = w[i]! + (y2[i] === 1 ? w[i]! * PACK : 0);
  }
  const ph = heap.f64(data.totalSlots);
  const p = ph.byteOffset;
  heap.k.classPacked4(b, b + n, b + 2 * n, b + 3 * n, p, p + so[1]! * 8, p + so[2]! * 8, p + so[3]! * 8, idx.byteOffset, 0, rows.length, pk.byteOffset);
  for (let f = 4; f < d; f++) heap.k.classPacked1(b + f * n, p + so[f]! * 8, idx.byteOffset, 0, rows.length, pk.byteOffset);
  const ref2 = new Float64Array(data.totalSlots * 3);
  classHistDense(data, feats, 0, d, idx, 0, rows.length, y2, w, 2, ref2);
  for (let s = 0; s < data.totalSlots; s++) {
    const w1 = Math.floor(ph[s]! / PACK);
    assert.equal(w1, ref2[3 * s + 1]);
    assert.equal(ph[s]! - w1 * PACK, ref2[3 * s]! + ref2[3 * s + 1]!);
  }
});

test('partition kernel equals the JS stable partition', () => {
  const lut = heap.u8(256);
  const scratch = heap.u32(n);
  for (const f of [0, 4, 6, 8]) {
    for (const dl of [0, 1]) {
      const a = heap.u32(n);
      a.set(idx.subarray(0, rows.length));
      const b = Uint32Array.from(a);
      const bin = Math.min(data.mapper.nBins[f]! - 1, 1 + f);
      goLeftTable(data, f, bin, dl, lut);
      const midW = heap.k.partition(data.bins.byteOffset + f * n, lut.byteOffset, a.byteOffset, 7, rows.length - 3, scratch.byteOffset);
      const midJ = partitionRows(data, f, lut, b, 7, rows.length - 3, new Uint32Array(n));
      assert.equal(midW, midJ);
      assert.deepEqual(Array.from(a), Array.from(b));
    }
  }
});

test('boosting gradients: logistic and softmax kernels match Math.exp-based formulas (float32 outputs)', () => {
  const nn = 2000;
  const margin = heap.f64(nn);
  const y = heap.i32(nn);
  const w = heap.f32(nn);
  const gh = heap.f32(2 * nn);
  const pow2 = pow2Table(heap.f64(POW2_BIAS + 1));
  for (let i = 0; i < nn; i++) {
    margin[i] = i < 10 ? [0, -0, 1e-300, 36.7, -36.7, 745.2, -745.2, 800, -800, 1e-9][i]! : r.normal() * 12;
    y[i] = r.int(2);
    w[i] = 0.5 + r.next();
  }
  for (const weighted of [false, true]) {
    heap.k.logisticGrad(margin.byteOffset, y.byteOffset, weighted ? w.byteOffset : 0, nn, gh.byteOffset, pow2.byteOffset);
    for (let i = 0; i < nn; i++) {
      const p = 1 / (1 + Math.exp(-margin[i]!));
      const wt = weighted ? w[i]! : 1;
      const g = (p - y[i]!) * wt;
      const h = Math.max(p * (1 - p), 1e-16) * wt;
      assert.ok(Math.abs(gh[2 * i]! - g) <= 1e-7 * Math.max(1e-30, Math.abs(g)) + 1e-300, `g at m = ${margin[i]}`);
      assert.ok(Math.abs(gh[2 * i + 1]! - h) <= 1e-7 * h, `h at m = ${margin[i]}: ${gh[2 * i + 1]} vs ${h}`);
    }
  }
  const K = 4;
  const mk = heap.f64(nn * K);
  const prob = heap.f64(nn * K);
  const yk = heap.i32(nn);
  for (let i = 0; i < nn * K; i++) mk[i] = r.normal() * 20;
  for (let i = 0; i < nn; i++) yk[i] = r.int(K);
  heap.k.softmaxRows(mk.byteOffset, nn, K, prob.byteOffset, pow2.byteOffset);
  for (let i = 0; i < nn; i++) {
    const mx = Math.max(...mk.subarray(i * K, i * K + K));
    const e = Array.from(mk.subarray(i * K, i * K + K), (v) => Math.exp(v - mx));
    const s = e.reduce((a, b) => a + b, 0);
    for (let k = 0; k < K; k++) assert.ok(Math.abs(prob[i * K + k]! - e[k]! / s) <= 1e-12 * Math.max(1e-300, e[k]! / s) + 1e-300);
  }
  heap.k.softmaxGrad(prob.byteOffset, yk.byteOffset, 0, nn, K, 2, gh.byteOffset);
  for (let i = 0; i < nn; i++) {
    const p = prob[i * K + 2]!;
    assert.equal(gh[2 * i], Math.fround(p - (yk[i] === 2 ? 1 : 0)));
    assert.equal(gh[2 * i + 1], Math.fround(Math.max(p * (1 - p), 1e-16)));
  }
});
