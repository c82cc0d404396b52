/**
 * Split finders: scan one feature's histogram for the best threshold, trying missing values
 * on both sides (XGBoost's sparsity-aware split finding, Chen & Guestrin 2016, Alg. 3).
 *
 * - Gradient (boosting), XGBoost's structure score: with G, H the sums of gradients and
 *   hessians, gain = G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ) (the `loss_chg` XGBoost prunes
 *   against `gamma`); both children need hessian ≥ minChildWeight.
 * - Class counts (forests): the weighted impurity decrease w·I − w_L·I_L − w_R·I_R for Gini
 *   or entropy (Breiman et al. 1984), both children need ≥ minSamplesLeaf rows.
 *
 * Each finder handles one feature and updates `best` only on a strictly larger gain, so the
 * winner is the first best in the caller's feature order (deterministic). Sparse features'
 * default bin is rebuilt here as node total minus the other bins.
 */
import type { BinnedData } from './types.js';

/** Best split so far for a node. `left` holds the left child's sums (stride numbers). */
export interface BestSplit {
  feature: number;
  bin: number;
  defaultLeft: number;
  gain: number;
  readonly left: Float64Array;
}

export function newBestSplit(stride: number): BestSplit {
  return { feature: -1, bin: 0, defaultLeft: 0, gain: 0, left: new Float64Array(stride) };
}

export function resetBestSplit(b: BestSplit, minGain: number): void {
  b.feature = -1;
  b.bin = 0;
  b.defaultLeft = 0;
  b.gain = minGain;
  b.left.fill(0);
}

export interface GradSplitParams {
  readonly lambda: number;
  readonly minChildWeight: number;
}

/** Scratch for `gradFeatureSplit`: 2 × 257 numbers. */
export function gradScratch(): Float64Array {
  return new Float64Array(2 * 257);
}

/**
 * Try every threshold of feature f for a node with gradient totals (G, H); update `best` when a
 * split beats best.gain (callers start best.gain at max(gamma, ε)).
 */
export function gradFeatureSplit(
  data: BinnedData,
  f: number,
  hist: Float64Array,
  G: number,
  H: number,
  p: GradSplitParams,
  scratch: Float64Array,
  best: BestSplit,
): void {
  const nb = data.mapper.nBins[f]!;
  const off = data.slotOffset[f]! * 2;
  const sg = scratch;
  const SH = 257;
  // Expand the feature's bins 0..nb (nb = missing) into scratch, deriving a sparse default bin.
  if (data.sparse[f]) {
    const d = data.defaultBin[f]!;
    let sumG = 0;
    let sumH = 0;
    for (let b = 0; b <= nb; b++) {
      const gv = hist[off + 2 * b]!;
      const hv = hist[off + 2 * b + 1]!;
      sg[b] = gv;
      sg[SH + b] = hv;
      if (b !== d) {
        sumG += gv;
        sumH += hv;
      }
    }
    sg[d] = G - sumG;
    sg[SH + d] = H - sumH;
  } else {
    for (let b = 0; b <= nb; b++) {
      sg[b] = hist[off + 2 * b]!;
      sg[SH + b] = hist[off + 2 * b + 1]!;
    }
  }
  const lambda = p.lambda;
  const mcw = p.minChildWeight;
  const parent = (G * G) / (H + lambda);
  const gm = sg[nb]!;
  const hm = sg[SH + nb]!;
  const hasMissing = hm > 1e-12 * (H > 1 ? H : 1);
  // Missing values right: left = bins 0..b. With missing rows, b = nb-1 ("all values left") is a split too.
  const last = hasMissing ? nb - 1 : nb - 2;
  let GL = 0;
  let HL = 0;
  for (let b = 0; b <= last; b++) {
    GL += sg[b]!;
    HL += sg[SH + b]!;
    if (HL < mcw) continue;
    const HR = H - HL;
    if (HR < mcw) break;
    const GR = G - GL;
    const gain = (GL * GL) / (HL + lambda) + (GR * GR) / (HR + lambda) - parent;
    if (gain > best.gain) {
      best.gain = gain;
      best.feature = f;
      best.bin = b;
      // Without missing rows in the node, unseen missing values follow the heavier side.
      best.defaultLeft = hasMissing ? 0 : HL >= HR ? 1 : 0;
      best.left[0] = GL;
      best.left[1] = HL;
    }
  }
  if (!hasMissing) return;
  // Missing values left: left = missing + bins 0..b.
  GL = gm;
  HL = hm;
  for (let b = 0; b <= nb - 2; b++) {
    GL += sg[b]!;
    HL += sg[SH + b]!;
    if (HL < mcw) continue;
    const HR = H - HL;
    if (HR < mcw) break;
    const GR = G - GL;
    const gain = (GL * GL) / (HL + lambda) + (GR * GR) / (HR + lambda) - parent;
    if (gain > best.gain) {
      best.gain = gain;
      best.feature = f;
      best.bin = b;
      best.defaultLeft = 1;
      best.left[0] = GL;
      best.left[1] = HL;
    }
  }
}

export type Criterion = 'gini' | 'entropy';

export interface ClassSplitParams {
  readonly nClasses: number;
  readonly criterion: Criterion;
  readonly minSamplesLeaf: number;
}

/** Scratch for `classFeatureSplit`: (257 × (K+1)) expanded bins + 2 class vectors. */
export function classScratch(K: number): Float64Array {
  return new Float64Array(257 * (K + 1) + 2 * (K + 1));
}

/** w·I(node) for a class-weight vector c[at..at+K) with total weight w (Gini: w − Σc²/w; entropy: w ln w − Σ c ln c). */
export function weightedImpurity(c: Float64Array, at: number, K: number, criterion: Criterion): number {
  let w = 0;
  for (let k = 0; k < K; k++) w += c[at + k]!;
  if (w <= 0) return 0;
  let s = 0;
  if (criterion === 'gini') {
    for (let k = 0; k < K; k++) s += c[at + k]! * c[at + k]!;
    return w - s / w;
  }
  for (let k = 0; k < K; k++) {
    const v = c[at + k]!;
    if (v > 0) s += v * Math.log(v);
  }
  return w * Math.log(w) - s;
}

/**
 * Try every threshold of feature f for a node with class totals `tot` (K weights + row count);
 * `parentImp` = weightedImpurity(tot). Updates `best` (gain = weighted impurity decrease) and
 * returns false when the feature is constant in the node (all rows in one bin), true otherwise.
 * `deriveDefault`: the histogram lacks a sparse feature's default bin (row-wise sparse build).
 */
export function classFeatureSplit(
  data: BinnedData,
  f: number,
  hist: Float64Array,
  tot: Float64Array,
  parentImp: number,
  p: ClassSplitParams,
  scratch: Float64Array,
  best: BestSplit,
  deriveDefault = true,
): boolean {
  const K = p.nClasses;
  const S = K + 1;
  const nb = data.mapper.nBins[f]!;
  const off = data.slotOffset[f]! * S;
  const e = scratch;
  const L = 257 * S;
  const R = L + S;
  // Expand bins 0..nb into scratch (row stride S), deriving a sparse feature's default bin.
  const m = (nb + 1) * S;
  for (let i = 0; i < m; i++) e[i] = hist[off + i]!;
  if (deriveDefault && data.sparse[f]) {
    const d = data.defaultBin[f]! * S;
    for (let s = 0; s < S; s++) {
      let sum = 0;
      for (let b = 0; b <= nb; b++) if (b * S !== d) sum += e[b * S + s]!;
      e[d + s] = tot[s]! - sum;
    }
  }
  let nonEmpty = 0;
  for (let b = 0; b <= nb; b++) if (e[b * S + K]! > 0.5) nonEmpty++;
  if (nonEmpty < 2) return false;
  const msl = p.minSamplesLeaf;
  const N = tot[K]!;
  const nm = e[nb * S + K]!;
  const hasMissing = nm > 0.5;
  for (let dir = 0; dir < (hasMissing ? 2 : 1); dir++) {
    // dir 0: missing right (left = bins 0..b); dir 1: missing left (left = missing + bins 0..b).
    for (let s = 0; s < S; s++) e[L + s] = dir === 1 ? e[nb * S + s]! : 0;
    const last = dir === 0 && hasMissing ? nb - 1 : nb - 2;
    for (let b = 0; b <= last; b++) {
      const bo = b * S;
      if (e[bo + K]! === 0) continue; // an empty bin gives the same partition as the previous threshold
      for (let s = 0; s < S; s++) e[L + s] += e[bo + s]!;
      const nL = e[L + K]!;
      if (nL < msl) continue;
      const nR = N - nL;
      if (nR < msl) break;
      for (let s = 0; s < S; s++) e[R + s] = tot[s]! - e[L + s]!;
      const gain = parentImp - weightedImpurity(e, L, K, p.criterion) - weightedImpurity(e, R, K, p.criterion);
      if (gain > best.gain) {
        best.gain = gain;
        best.feature = f;
        best.bin = b;
        best.defaultLeft = hasMissing ? dir : nL >= nR ? 1 : 0;
        for (let s = 0; s < S; s++) best.left[s] = e[L + s]!;
      }
    }
  }
  return true;
}

/**
 * The same search as `classFeatureSplit` for a small node without a histogram (counts are the
 * draws `m` of each row, as in the class histograms): the node's n rows are sorted by bin
 * (keys = bin << 16 | position, so n < 65536) and candidate thresholds are the boundaries
 * between distinct bins — O(n log n) instead of O(bins), which dominates in the
 * many small nodes deep in a forest's trees. Candidates, their order and gains are those of
 * the histogram scan. `keys` holds ≥ n entries; scratch as for classFeatureSplit.
 */
export function classSortedSplit(
  data: BinnedData,
  f: number,
  idx: Uint32Array,
  begin: number,
  end: number,
  y: Int32Array,
  w: Float32Array,
  m: Float32Array,
  tot: Float64Array,
  parentImp: number,
  p: ClassSplitParams,
  keys: Uint32Array,
  scratch: Float64Array,
  best: BestSplit,
): boolean {
  const K = p.nClasses;
  const S = K + 1;
  const nr = end - begin;
  const nb = data.mapper.nBins[f]!;
  const col = f * data.nRows;
  const bins = data.bins;
  for (let i = 0; i < nr; i++) keys[i] = ((bins[col + idx[begin + i]!]! << 16) | i) >>> 0;
  let ks = keys;
  if (nr > 24) ks = keys.subarray(0, nr).sort();
  else {
    // insertion sort: a handful of keys, no call into the native sort
    for (let i = 1; i < nr; i++) {
      const v = keys[i]!;
      let j = i - 1;
      while (j >= 0 && keys[j]! > v) {
        keys[j + 1] = keys[j]!;
        j--;
      }
      keys[j + 1] = v;
    }
  }
  const first = ks[0]! >>> 16;
  if (ks[nr - 1]! >>> 16 === first) return false;
  const L = 257 * S;
  const R = L + S;
  const e = scratch;
  // Missing rows sort last (bin nb); their class weights and count.
  let mStart = nr;
  while (mStart > 0 && ks[mStart - 1]! >>> 16 === nb) mStart--;
  const hasMissing = mStart < nr;
  const msl = p.minSamplesLeaf;
  const N = tot[K]!;
  for (let dir = 0; dir < (hasMissing ? 2 : 1); dir++) {
    for (let s = 0; s < S; s++) e[L + s] = 0;
    if (dir === 1) {
      for (let i = mStart; i < nr; i++) {
        const r = idx[begin + (ks[i]! & 0xffff)]!;
        e[L + y[r]!] += w[r]!;
        e[L + K] += m[r]!;
      }
    }
    // Thresholds: after the last row of each distinct non-missing bin (dir 1: not after the last one).
    const stop = dir === 0 ? mStart : mStart - 1;
    for (let i = 0; i < mStart; i++) {
      const r = idx[begin + (ks[i]! & 0xffff)]!;
      e[L + y[r]!] += w[r]!;
      e[L + K] += m[r]!;
      const b = ks[i]! >>> 16;
      if (i + 1 < mStart && ks[i + 1]! >>> 16 === b) continue;
      if (i >= stop) break;
      if (dir === 0 && !hasMissing && i + 1 === mStart) break;
      // the candidate test of classFeatureSplit, written out again by hand: a shared function would cost a call per threshold in this inner loop
      const nL = e[L + K]!;
      if (nL < msl) continue;
      const nR = N - nL;
      if (nR < msl) break;
      for (let s = 0; s < S; s++) e[R + s] = tot[s]! - e[L + s]!;
      const gain = parentImp - weightedImpurity(e, L, K, p.criterion) - weightedImpurity(e, R, K, p.criterion);
      if (gain > best.gain) {
        best.gain = gain;
        best.feature = f;
        best.bin = b;
        best.defaultLeft = hasMissing ? dir : nL >= nR ? 1 : 0;
        for (let s = 0; s < S; s++) best.left[s] = e[L + s]!;
      }
    }
  }
  return true;
}

/** Weighted impurity of a two-class node (class weights a, b): Gini w − (a² + b²)/w, entropy w ln w − a ln a − b ln b. */
function impurity2(a: number, b: number, gini: boolean): number {
  const w = a + b;
  if (w <= 0) return 0;
  if (gini) return w - (a * a + b * b) / w;
  return w * Math.log(w) - (a > 0 ? a * Math.log(a) : 0) - (b > 0 ? b * Math.log(b) : 0);
}

/**
 * `classFeatureSplit` for two classes on a packed histogram (one f64 per bin: draws + class-1
 * draws × `pack`, see grower.ts): the same candidates, order and gains, read straight from the
 * packed cells — no unpacking into the K+1 layout. `tot` = [class-0, class-1, draws].
 */
export function packedFeatureSplit(
  data: BinnedData,
  f: number,
  ph: Float64Array,
  pack: number,
  tot: Float64Array,
  parentImp: number,
  p: ClassSplitParams,
  best: BestSplit,
): boolean {
  const nb = data.mapper.nBins[f]!;
  const off = data.slotOffset[f]!;
  let nonEmpty = 0;
  for (let b = 0; b <= nb; b++) if (ph[off + b]! > 0) nonEmpty++;
  if (nonEmpty < 2) return false;
  const gini = p.criterion === 'gini';
  const msl = p.minSamplesLeaf;
  const N = tot[2]!;
  const T0 = tot[0]!;
  const T1 = tot[1]!;
  const vm = ph[off + nb]!;
  const hasMissing = vm > 0;
  const m1 = Math.floor(vm / pack);
  const mAll = vm - m1 * pack;
  for (let dir = 0; dir < (hasMissing ? 2 : 1); dir++) {
    let all = dir === 1 ? mAll : 0;
    let c1 = dir === 1 ? m1 : 0;
    const last = dir === 0 && hasMissing ? nb - 1 : nb - 2;
    for (let b = 0; b <= last; b++) {
      const v = ph[off + b]!;
      if (v === 0) continue;
      const w1 = Math.floor(v / pack);
      all += v - w1 * pack;
      c1 += w1;
      if (all < msl) continue;
      const nR = N - all;
      if (nR < msl) break;
      const c0 = all - c1;
      const gain = parentImp - impurity2(c0, c1, gini) - impurity2(T0 - c0, T1 - c1, gini);
      if (gain > best.gain) {
        best.gain = gain;
        best.feature = f;
        best.bin = b;
        best.defaultLeft = hasMissing ? dir : all >= nR ? 1 : 0;
        best.left[0] = c0;
        best.left[1] = c1;
        best.left[2] = all;
      }
    }
  }
  return true;
}
