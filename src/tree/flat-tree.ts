/**
 * Flat trees: parallel typed arrays, node 0 = root, leaves marked by feature = -1 (the layout
 * of `FlatTree` in types.ts, which is also the saved layout). Children of a node are
 * created together, so right = left + 1 for trees grown here (not required of loaded trees).
 */
import { nadirError } from '../errors.js';
import type { FlatTree } from './types.js';

const F32 = new Float32Array(1);
const F32_BITS = new Uint32Array(F32.buffer);

/**
 * The largest float32 ≤ x (NaN stays NaN). A FlatTree stores thresholds as float32 while a
 * learner may draw them in float64 (the isolation forest); inputs are float32 (Matrix.data), and
 * for every float32 v: v ≤ x ⇔ v ≤ f32AtMost(x) (nothing float32 lies in (f32AtMost(x), x]), so
 * the stored rule partitions every input exactly as the float64 one. Math.fround rounds to
 * nearest; when that rounded up, step one float32 ulp towards −∞ on the bit pattern.
 */
export function f32AtMost(x: number): number {
  const y = Math.fround(x);
  if (!(y > x)) return y;
  if (y === 0) return -1.401298464324817e-45; // ±0 above a tiny negative x: the negative float32 closest to 0
  F32[0] = y;
  F32_BITS[0] = y > 0 ? F32_BITS[0]! - 1 : F32_BITS[0]! + 1;
  return F32[0]!;
}

/** A growable flat tree used while a tree is being built (no per-node objects). */
export class TreeBuilder {
  nNodes = 0;
  readonly nOutputs: number;
  feature: Int32Array;
  threshold: Float32Array;
  left: Int32Array;
  right: Int32Array;
  defaultLeft: Uint8Array;
  value: Float64Array;
  cover: Float64Array;
  gain: Float64Array;
  private cap: number;

  constructor(nOutputs: number, capacity = 64) {
    this.nOutputs = nOutputs;
    this.cap = capacity;
    this.feature = new Int32Array(capacity);
    this.threshold = new Float32Array(capacity);
    this.left = new Int32Array(capacity);
    this.right = new Int32Array(capacity);
    this.defaultLeft = new Uint8Array(capacity);
    this.value = new Float64Array(capacity * nOutputs);
    this.cover = new Float64Array(capacity);
    this.gain = new Float64Array(capacity);
  }

  reset(): void {
    this.nNodes = 0;
  }

  /** A new leaf node; returns its id. */
  addNode(cover: number): number {
    if (this.nNodes === this.cap) this.growTo(this.cap * 2);
    const i = this.nNodes++;
    this.feature[i] = -1;
    this.threshold[i] = 0;
    this.left[i] = -1;
    this.right[i] = -1;
    this.defaultLeft[i] = 0;
    this.cover[i] = cover;
    this.gain[i] = 0;
    this.value.fill(0, i * this.nOutputs, (i + 1) * this.nOutputs);
    return i;
  }

  /** Turn node i into a split; its children are allocated by the caller. */
  setSplit(i: number, feature: number, threshold: number, defaultLeft: number, left: number, right: number, gain: number): void {
    this.feature[i] = feature;
    this.threshold[i] = threshold;
    this.defaultLeft[i] = defaultLeft;
    this.left[i] = left;
    this.right[i] = right;
    this.gain[i] = gain;
  }

  private growTo(cap: number): void {
    const g = <T extends Int32Array | Float32Array | Float64Array | Uint8Array>(a: T, n: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.feature = g(this.feature, cap);
    this.threshold = g(this.threshold, cap);
    this.left = g(this.left, cap);
    this.right = g(this.right, cap);
    this.defaultLeft = g(this.defaultLeft, cap);
    this.value = g(this.value, cap * this.nOutputs);
    this.cover = g(this.cover, cap);
    this.gain = g(this.gain, cap);
    this.cap = cap;
  }

  /**
   * The finished tree (exact-size copies). Internal nodes' values become the cover-weighted
   * mean of their children's (children have larger ids than their parent).
   */
  finish(): FlatTree {
    const n = this.nNodes;
    const K = this.nOutputs;
    const value = this.value.slice(0, n * K);
    for (let i = n - 1; i >= 0; i--) {
      if (this.feature[i]! < 0) continue;
      const l = this.left[i]!;
      const r = this.right[i]!;
      const cl = this.cover[l]!;
      const cr = this.cover[r]!;
      const c = cl + cr;
      for (let k = 0; k < K; k++) {
        value[i * K + k] = c > 0 ? (cl * value[l * K + k]! + cr * value[r * K + k]!) / c : 0.5 * (value[l * K + k]! + value[r * K + k]!);
      }
    }
    return {
      nNodes: n,
      feature: this.feature.slice(0, n),
      threshold: this.threshold.slice(0, n),
      left: this.left.slice(0, n),
      right: this.right.slice(0, n),
      defaultLeft: this.defaultLeft.slice(0, n),
      value,
      cover: this.cover.slice(0, n),
      gain: this.gain.slice(0, n),
      nOutputs: K,
    };
  }
}

/**
 * Check a (restored) tree: child indices inside the tree and pointing forward, every node
 * reached exactly once from the root (no cycles, no sharing), features < nFeatures, no NaN
 * threshold, finite values. Anything else is a NADIR_ERR_MODEL_CORRUPT naming `where`.
 */
export function validateFlatTree(t: FlatTree, nFeatures: number, where: string): void {
  const bad = (why: string): never => {
    throw nadirError('NADIR_ERR_MODEL_CORRUPT', where, why);
  };
  // Every node must be reached exactly once from the root through forward links.
  const seen = new Uint8Array(t.nNodes);
  seen[0] = 1;
  for (let i = 0; i < t.nNodes; i++) {
    if (!seen[i]) bad(`tree node ${i} is unreachable`);
    const f = t.feature[i]!;
    if (f === -1) continue;
    if (!(f >= 0 && f < nFeatures)) bad(`tree node ${i} splits on feature ${f}, the model has ${nFeatures}`);
    const l = t.left[i]!;
    const r = t.right[i]!;
    if (!(l > i && l < t.nNodes && r > i && r < t.nNodes && l !== r)) bad(`tree node ${i} has invalid children ${l}, ${r}`);
    if (seen[l] || seen[r]) bad(`tree node ${i} shares a child with another node`);
    seen[l] = 1;
    seen[r] = 1;
    if (Number.isNaN(t.threshold[i]!)) bad(`tree node ${i} has a NaN threshold`);
  }
  for (let i = 0; i < t.value.length; i++) if (!Number.isFinite(t.value[i]!)) bad('tree values must be finite');
}
