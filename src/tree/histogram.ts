/**
 * Histogram builders (LightGBM, Ke et al. 2017; XGBoost "hist", Chen & Guestrin 2016) —
 * the JavaScript reference versions. The engine runs their WebAssembly twins in
 * wasm/kernels.ts (the tests check that both give the same sums); `subtractHist` is used as is.
 *
 * A histogram is one Float64Array over the slots of `BinnedData.slotOffset`, `stride` numbers
 * per slot:
 * - gradient histograms (boosting): stride 2 — Σ gradient, Σ hessian;
 * - class histograms (forests): stride K+1 — Σ weight of each of the K classes, then the
 *   number of rows.
 * A node's rows are `idx[begin..end)` (a Uint32Array partition, rows are never copied).
 * Sparse features only receive their non-default bins here; `split-finder` derives the
 * default bin as node total minus the rest. The sibling of a built child is obtained by
 * subtraction (`subtractHist`).
 *
 * The dense kernels are written out by hand, 8 (then 4, then 1) features per pass over the
 * rows: the row's gradient is read once per pass and the 8 read-modify-write chains are
 * independent, which is ~3× faster in V8 than one feature per pass, whose consecutive rows
 * often hit the same bin and serialise on the store→load dependency.
 */
import type { BinnedData } from './types.js';

/**
 * Σg, Σh per slot for dense features `features[fBegin..fEnd)` over rows idx[begin..end).
 * `gh` holds gradient and hessian interleaved: gh[2r] = g_r, gh[2r+1] = h_r.
 */
export function gradHistDense(
  data: BinnedData,
  features: Int32Array,
  fBegin: number,
  fEnd: number,
  idx: Uint32Array,
  begin: number,
  end: number,
  gh: Float32Array,
  hist: Float64Array,
): void {
  const bins = data.bins;
  const n = data.nRows;
  const so = data.slotOffset;
  let j = fBegin;
  for (; j + 8 <= fEnd; j += 8) {
    const b0 = features[j]! * n;
    const b1 = features[j + 1]! * n;
    const b2 = features[j + 2]! * n;
    const b3 = features[j + 3]! * n;
    const b4 = features[j + 4]! * n;
    const b5 = features[j + 5]! * n;
    const b6 = features[j + 6]! * n;
    const b7 = features[j + 7]! * n;
    const o0 = so[features[j]!]! * 2;
    const o1 = so[features[j + 1]!]! * 2;
    const o2 = so[features[j + 2]!]! * 2;
    const o3 = so[features[j + 3]!]! * 2;
    const o4 = so[features[j + 4]!]! * 2;
    const o5 = so[features[j + 5]!]! * 2;
    const o6 = so[features[j + 6]!]! * 2;
    const o7 = so[features[j + 7]!]! * 2;
    for (let i = begin; i < end; i++) {
      const r = idx[i]!;
      const gg = gh[2 * r]!;
      const hh = gh[2 * r + 1]!;
      let c = o0 + bins[b0 + r]! * 2;
      hist[c] += gg;
      hist[c + 1] += hh;
      c = o1 + bins[b1 + r]! * 2;
      hist[c] += gg;
      hist[c + 1] += hh;
      c = o2 + bins[b2 + r]! * 2;
      hist[c] += gg;
      hist[c + 1] += hh;
      c = o3 + bins[b3 + r]! * 2;
      hist[c] += gg;
      hist[c + 1] += hh;
      c = o4 + bins[b4 + r]! * 2;
      hist[c] += gg;
      hist[c + 1] += hh;
      c = o5 + bins[b5 + r]! * 2;
      hist[c] += gg;
      hist[c + 1] += hh;
      c = o6 + bins[b6 + r]! * 2;
      hist[c] += gg;
      hist[c + 1] += hh;
      c = o7 + bins[b7 + r]! * 2;
      hist[c] += gg;
      hist[c + 1] += hh;
    }
  }
  for (; j + 4 <= fEnd; j += 4) {
    const b0 = features[j]! * n;
    const b1 = features[j + 1]! * n;
    const b2 = features[j + 2]! * n;
    const b3 = features[j + 3]! * n;
    const o0 = so[features[j]!]! * 2;
    const o1 = so[features[j + 1]!]! * 2;
    const o2 = so[features[j + 2]!]! * 2;
    const o3 = so[features[j + 3]!]! * 2;
    for (let i = begin; i < end; i++) {
      const r = idx[i]!;
      const gg = gh[2 * r]!;
      const hh = gh[2 * r + 1]!;
      let c = o0 + bins[b0 + r]! * 2;
      hist[c] += gg;
      hist[c + 1] += hh;
      c = o1 + bins[b1 + r]! * 2;
      hist[c] += gg;
      hist[c + 1] += hh;
      c = o2 + bins[b2 + r]! * 2;
      hist[c] += gg;
      hist[c + 1] += hh;
      c = o3 + bins[b3 + r]! * 2;
      hist[c] += gg;
      hist[c + 1] += hh;
    }
  }
  for (; j < fEnd; j++) {
    const b0 = features[j]! * n;
    const o0 = so[features[j]!]! * 2;
    for (let i = begin; i < end; i++) {
      const r = idx[i]!;
      const c = o0 + bins[b0 + r]! * 2;
      hist[c] += gh[2 * r]!;
      hist[c + 1] += gh[2 * r + 1]!;
    }
  }
}

/** Σg, Σh of the non-default bins of all sparse features over rows idx[begin..end). */
export function gradHistSparse(data: BinnedData, idx: Uint32Array, begin: number, end: number, gh: Float32Array, hist: Float64Array): void {
  const ptr = data.rowPtr;
  const slots = data.rowSlots;
  for (let i = begin; i < end; i++) {
    const r = idx[i]!;
    const e = ptr[r + 1]!;
    let k = ptr[r]!;
    const gg = gh[2 * r]!;
    const hh = gh[2 * r + 1]!;
    for (; k + 4 <= e; k += 4) {
      let c = slots[k]! * 2;
      hist[c] += gg;
      hist[c + 1] += hh;
      c = slots[k + 1]! * 2;
      hist[c] += gg;
      hist[c + 1] += hh;
      c = slots[k + 2]! * 2;
      hist[c] += gg;
      hist[c + 1] += hh;
      c = slots[k + 3]! * 2;
      hist[c] += gg;
      hist[c + 1] += hh;
    }
    for (; k < e; k++) {
      const c = slots[k]! * 2;
      hist[c] += gg;
      hist[c + 1] += hh;
    }
  }
}

/**
 * Entries of sparse features packed for the flat pass: ent[2k] = 2 × row, ent[2k+1] = 2 × slot,
 * in row order (a range of rows is a range of entries, from rowPtr).
 */
export function packEntries(data: BinnedData, shared = false): Int32Array {
  const nnz = data.rowSlots.length;
  const ent = new Int32Array(shared ? new SharedArrayBuffer(Math.max(8, nnz * 8)) : new ArrayBuffer(Math.max(8, nnz * 8)), 0, 2 * nnz);
  for (let k = 0; k < nnz; k++) {
    ent[2 * k] = 2 * data.entryRow[k]!;
    ent[2 * k + 1] = 2 * data.rowSlots[k]!;
  }
  return ent;
}

/**
 * Σg, Σh of sparse features' non-default bins for all rows rowBegin..rowEnd-1 (a node holding a
 * contiguous run of rows, e.g. the root), as one flat loop over packed entries. Unrolled 8×:
 * V8 re-checks every typed array on each loop iteration, so 8 entries per iteration share one
 * set of checks (~2× faster than the row-by-row loop).
 */
export function gradHistEntries(data: BinnedData, ent: Int32Array, rowBegin: number, rowEnd: number, gh: Float32Array, hist: Float64Array): void {
  let k = 2 * data.rowPtr[rowBegin]!;
  const e = 2 * data.rowPtr[rowEnd]!;
  let r = 0;
  let c = 0;
  for (; k + 16 <= e; k += 16) {
    r = ent[k]!;
    c = ent[k + 1]!;
    hist[c] += gh[r]!;
    hist[c + 1] += gh[r + 1]!;
    r = ent[k + 2]!;
    c = ent[k + 3]!;
    hist[c] += gh[r]!;
    hist[c + 1] += gh[r + 1]!;
    r = ent[k + 4]!;
    c = ent[k + 5]!;
    hist[c] += gh[r]!;
    hist[c + 1] += gh[r + 1]!;
    r = ent[k + 6]!;
    c = ent[k + 7]!;
    hist[c] += gh[r]!;
    hist[c + 1] += gh[r + 1]!;
    r = ent[k + 8]!;
    c = ent[k + 9]!;
    hist[c] += gh[r]!;
    hist[c + 1] += gh[r + 1]!;
    r = ent[k + 10]!;
    c = ent[k + 11]!;
    hist[c] += gh[r]!;
    hist[c + 1] += gh[r + 1]!;
    r = ent[k + 12]!;
    c = ent[k + 13]!;
    hist[c] += gh[r]!;
    hist[c + 1] += gh[r + 1]!;
    r = ent[k + 14]!;
    c = ent[k + 15]!;
    hist[c] += gh[r]!;
    hist[c + 1] += gh[r + 1]!;
  }
  for (; k < e; k += 2) {
    r = ent[k]!;
    c = ent[k + 1]!;
    hist[c] += gh[r]!;
    hist[c + 1] += gh[r + 1]!;
  }
}

/**
 * Class histograms (stride K+1) for dense features `features[fBegin..fEnd)`: per slot the
 * weight of each class (`w[r]`, e.g. bootstrap multiplicity × sample weight) and the row count.
 */
export function classHistDense(
  data: BinnedData,
  features: Int32Array,
  fBegin: number,
  fEnd: number,
  idx: Uint32Array,
  begin: number,
  end: number,
  y: Int32Array,
  w: Float32Array,
  K: number,
  hist: Float64Array,
): void {
  const bins = data.bins;
  const n = data.nRows;
  const so = data.slotOffset;
  const S = K + 1;
  let j = fBegin;
  for (; j + 4 <= fEnd; j += 4) {
    const b0 = features[j]! * n;
    const b1 = features[j + 1]! * n;
    const b2 = features[j + 2]! * n;
    const b3 = features[j + 3]! * n;
    const o0 = so[features[j]!]! * S;
    const o1 = so[features[j + 1]!]! * S;
    const o2 = so[features[j + 2]!]! * S;
    const o3 = so[features[j + 3]!]! * S;
    for (let i = begin; i < end; i++) {
      const r = idx[i]!;
      const yy = y[r]!;
      const ww = w[r]!;
      let c = o0 + bins[b0 + r]! * S;
      hist[c + yy] += ww;
      hist[c + K] += 1;
      c = o1 + bins[b1 + r]! * S;
      hist[c + yy] += ww;
      hist[c + K] += 1;
      c = o2 + bins[b2 + r]! * S;
      hist[c + yy] += ww;
      hist[c + K] += 1;
      c = o3 + bins[b3 + r]! * S;
      hist[c + yy] += ww;
      hist[c + K] += 1;
    }
  }
  for (; j < fEnd; j++) {
    const b0 = features[j]! * n;
    const o0 = so[features[j]!]! * S;
    for (let i = begin; i < end; i++) {
      const r = idx[i]!;
      const c = o0 + bins[b0 + r]! * S;
      hist[c + y[r]!] += w[r]!;
      hist[c + K] += 1;
    }
  }
}

/** parent -= child over [from, to) numbers: the parent's buffer becomes the sibling's histogram. */
export function subtractHist(parent: Float64Array, child: Float64Array, from: number, to: number): void {
  for (let i = from; i < to; i++) parent[i] -= child[i]!;
}
