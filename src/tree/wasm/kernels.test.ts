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
