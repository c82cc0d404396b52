/**
 * Flat predictor: a tree ensemble packed into one set of typed arrays (all trees' nodes
 * concatenated, child indices global) and evaluated over a row-major Float32Array.
 * Batch prediction is row-outer (one row stays in L1 while every tree reads it) and allocates
 * nothing per row; `rawRow` is the single-record path.
 *
 * raw[o] = baseScore[o] + scale × Σ_t leaf_t[o]; a tree with treeOutput = c adds to output c
 * only (boosting), treeOutput = -1 adds its whole leaf vector (forests).
 */
import type { FlatTree, TreeEnsemble } from '../learners/types.js';

/** Node code bits: missing values go left; the node is a leaf. */
const DL_BIT = 1 << 30;
const LEAF_BIT = 1 << 29;
const FEATURE_MASK = LEAF_BIT - 1;

export class EnsemblePredictor {
  readonly nOutputs: number;
  readonly nFeatures: number;
  readonly nTrees: number;
  /**
   * Two ints per node: [code, child]. Internal node: code = feature | DL_BIT·defaultLeft,
   * child = left child; the right child is child + 1 (nodes are renumbered breadth-first so
   * siblings are adjacent, and "go right" is an addition, not a branch). A leaf is
   * code = LEAF_BIT | DL_BIT (feature 0), child = itself, threshold +Infinity: stepping from
   * a leaf stays on it, so several rows can be stepped together until all are on leaves.
   * Few arrays on purpose: V8 re-checks each typed array on every loop iteration.
   */
  private readonly nodes: Int32Array;
  private readonly thr: Float32Array;
  /** Offset of a leaf's value(s) in `val`. */
  private readonly leafAt: Int32Array;
  private readonly val: Float64Array;
  private readonly roots: Int32Array;
  private readonly treeOut: Int32Array;
  private readonly base: Float64Array;
  private readonly scale: number;

  constructor(ens: TreeEnsemble) {
    this.nOutputs = ens.nOutputs;
    this.nFeatures = ens.nFeatures;
    this.nTrees = ens.trees.length;
    this.treeOut = Int32Array.from(ens.treeOutput);
    this.base = Float64Array.from(ens.baseScore);
    this.scale = ens.scale;
    let nNodes = 0;
    let nVals = 0;
    for (let t = 0; t < ens.trees.length; t++) {
      const tr = ens.trees[t]!;
      nNodes += tr.nNodes;
      nVals += tr.nNodes * (ens.treeOutput[t]! < 0 ? ens.nOutputs : 1);
    }
    this.nodes = new Int32Array(2 * nNodes);
    this.thr = new Float32Array(nNodes);
    this.leafAt = new Int32Array(nNodes);
    this.val = new Float64Array(nVals);
    this.roots = new Int32Array(ens.trees.length);
    let at = 0;
    let va = 0;
    const order = new Int32Array(nNodes);
    for (let t = 0; t < ens.trees.length; t++) {
      const tr = ens.trees[t]!;
      const out = ens.treeOutput[t]!;
      const width = out < 0 ? ens.nOutputs : 1;
      this.roots[t] = at;
      // Breadth-first renumbering: order[k] = old id of new node k; children get consecutive ids.
      order[0] = 0;
      let next = 1;
      for (let k = 0; k < next; k++) {
        const i = order[k]!;
        const g = at + k;
        const f = tr.feature[i]!;
        if (f < 0) {
          this.nodes[2 * g] = LEAF_BIT | DL_BIT;
          this.nodes[2 * g + 1] = g;
          this.thr[g] = Infinity;
          this.leafAt[g] = va;
          if (width === 1) this.val[va] = tr.value[i * tr.nOutputs + (tr.nOutputs === 1 ? 0 : out)]!;
          else for (let o = 0; o < width; o++) this.val[va + o] = tr.value[i * width + o]!;
          va += width;
        } else {
          this.nodes[2 * g] = f | (tr.defaultLeft[i] ? DL_BIT : 0);
          this.nodes[2 * g + 1] = at + next;
          this.thr[g] = tr.threshold[i]!;
          order[next++] = tr.left[i]!;
          order[next++] = tr.right[i]!;
        }
      }
      at += tr.nNodes;
    }
  }

  /** Offset in the value table of the leaf reached by the row at X[off..) in tree t. */
  leafValueAt(t: number, X: Float32Array, off: number): number {
    const nodes = this.nodes;
    const thr = this.thr;
    let n = this.roots[t]!;
    let code = nodes[2 * n]!;
    while ((code & LEAF_BIT) === 0) {
      const x = X[off + (code & FEATURE_MASK)]!;
      n = nodes[2 * n + 1]! + (+(x > thr[n]!) | (+(x !== x) & +((code & DL_BIT) === 0)));
      code = nodes[2 * n]!;
    }
    return this.leafAt[n]!;
  }

  /** Raw outputs of one row X[off..off+nFeatures) into out[outOff..outOff+nOutputs) (the single-record path). */
  rawRow(X: Float32Array, off: number, out: Float64Array, outOff: number): void {
    const K = this.nOutputs;
    const nT = this.nTrees;
    const val = this.val;
    const treeOut = this.treeOut;
    for (let o = 0; o < K; o++) out[outOff + o] = 0;
    for (let t = 0; t < nT; t++) {
      const v = this.leafValueAt(t, X, off);
      const c = treeOut[t]!;
      if (c >= 0) out[outOff + c] += val[v]!;
      else for (let o = 0; o < K; o++) out[outOff + o] += val[v + o]!;
    }
    const scale = this.scale;
    for (let o = 0; o < K; o++) out[outOff + o] = this.base[o]! + scale * out[outOff + o]!;
  }

  /**
   * Raw outputs for nRows rows of a row-major matrix with nCols ≥ nFeatures columns; out is
   * nRows × nOutputs. Rows go through each tree 4 at a time, in branch-free steps whose 4
   * independent chains overlap their memory latency, until all 4 have reached a leaf.
   */
  raw(X: Float32Array, nRows: number, nCols: number, out?: Float64Array): Float64Array {
    const K = this.nOutputs;
    const res = out ?? new Float64Array(nRows * K);
    let r = 0;
    for (; r + 4 <= nRows; r += 4) this.raw4(X, r, nCols, res);
    for (; r < nRows; r++) this.rawRow(X, r * nCols, res, r * K);
    return res;
  }

  private raw4(X: Float32Array, r: number, nCols: number, res: Float64Array): void {
    const nodes = this.nodes;
    const thr = this.thr;
    const leafAt = this.leafAt;
    const val = this.val;
    const roots = this.roots;
    const treeOut = this.treeOut;
    const K = this.nOutputs;
    const nT = this.nTrees;
    const o0 = r * nCols;
    const o1 = o0 + nCols;
    const o2 = o1 + nCols;
    const o3 = o2 + nCols;
    const q = r * K;
    for (let o = 0; o < 4 * K; o++) res[q + o] = 0;
    for (let t = 0; t < nT; t++) {
      let n0 = roots[t]!;
      let n1 = n0;
      let n2 = n0;
      let n3 = n0;
      let c0 = nodes[2 * n0]!;
      let c1 = c0;
      let c2 = c0;
      let c3 = c0;
      // Step all four until every one is on a leaf (leaves step onto themselves).
      while ((c0 & c1 & c2 & c3 & LEAF_BIT) === 0) {
        // goRight = x > thr, or x missing and the node's default is right (see class comment).
        let x = X[o0 + (c0 & FEATURE_MASK)]!;
        n0 = nodes[2 * n0 + 1]! + (+(x > thr[n0]!) | (+(x !== x) & +((c0 & DL_BIT) === 0)));
        x = X[o1 + (c1 & FEATURE_MASK)]!;
        n1 = nodes[2 * n1 + 1]! + (+(x > thr[n1]!) | (+(x !== x) & +((c1 & DL_BIT) === 0)));
        x = X[o2 + (c2 & FEATURE_MASK)]!;
        n2 = nodes[2 * n2 + 1]! + (+(x > thr[n2]!) | (+(x !== x) & +((c2 & DL_BIT) === 0)));
        x = X[o3 + (c3 & FEATURE_MASK)]!;
        n3 = nodes[2 * n3 + 1]! + (+(x > thr[n3]!) | (+(x !== x) & +((c3 & DL_BIT) === 0)));
        c0 = nodes[2 * n0]!;
        c1 = nodes[2 * n1]!;
        c2 = nodes[2 * n2]!;
        c3 = nodes[2 * n3]!;
      }
      const c = treeOut[t]!;
      if (c >= 0) {
        res[q + c] += val[leafAt[n0]!]!;
        res[q + K + c] += val[leafAt[n1]!]!;
        res[q + 2 * K + c] += val[leafAt[n2]!]!;
        res[q + 3 * K + c] += val[leafAt[n3]!]!;
      } else {
        const v0 = leafAt[n0]!;
        const v1 = leafAt[n1]!;
        const v2 = leafAt[n2]!;
        const v3 = leafAt[n3]!;
        for (let o = 0; o < K; o++) {
          res[q + o] += val[v0 + o]!;
          res[q + K + o] += val[v1 + o]!;
          res[q + 2 * K + o] += val[v2 + o]!;
          res[q + 3 * K + o] += val[v3 + o]!;
        }
      }
    }
    const scale = this.scale;
    for (let i = 0; i < 4; i++) {
      for (let o = 0; o < K; o++) res[q + i * K + o] = this.base[o]! + scale * res[q + i * K + o]!;
    }
  }
}

/**
 * Probabilities (row-major nRows × nClasses) from raw outputs: 'logit' → [1−σ(m), σ(m)],
 * 'softmax' → stable softmax, 'identity' → clipped at 0 and renormalised to sum 1.
 */
export function rawToProba(raw: Float64Array, nRows: number, link: 'logit' | 'softmax' | 'identity', nClasses: number, out?: Float64Array): Float64Array {
  const res = out ?? new Float64Array(nRows * nClasses);
  if (link === 'logit') {
    for (let r = 0; r < nRows; r++) {
      const p = 1 / (1 + Math.exp(-raw[r]!));
      res[2 * r] = 1 - p;
      res[2 * r + 1] = p;
    }
    return res;
  }
  const K = nClasses;
  for (let r = 0; r < nRows; r++) {
    const o = r * K;
    if (link === 'softmax') {
      let m = -Infinity;
      for (let k = 0; k < K; k++) if (raw[o + k]! > m) m = raw[o + k]!;
      let s = 0;
      for (let k = 0; k < K; k++) {
        const e = Math.exp(raw[o + k]! - m);
        res[o + k] = e;
        s += e;
      }
      for (let k = 0; k < K; k++) res[o + k] = res[o + k]! / s;
    } else {
      let s = 0;
      for (let k = 0; k < K; k++) {
        const v = raw[o + k]! > 0 ? raw[o + k]! : 0;
        res[o + k] = v;
        s += v;
      }
      for (let k = 0; k < K; k++) res[o + k] = s > 0 ? res[o + k]! / s : 1 / K;
    }
  }
  return res;
}

/**
 * out[r*stride + offset] += the value of the leaf that row r of X (row-major, nCols columns)
 * reaches in a single-output tree; with `only`, rows with only[r] = 0 are left alone.
 * Used while boosting, for validation rows and rows outside a subsample.
 */
export function addTreeOutputs(
  tree: FlatTree,
  X: Float32Array,
  nRows: number,
  nCols: number,
  out: Float64Array,
  stride: number,
  offset: number,
  only?: Uint8Array,
): void {
  const { feature, threshold, left, right, defaultLeft, value } = tree;
  for (let r = 0; r < nRows; r++) {
    if (only && !only[r]) continue;
    const off = r * nCols;
    let n = 0;
    for (;;) {
      const f = feature[n]!;
      if (f < 0) break;
      const x = X[off + f]!;
      n = x <= threshold[n]! || (x !== x && defaultLeft[n]) ? left[n]! : right[n]!;
    }
    out[r * stride + offset] += value[n]!;
  }
}
