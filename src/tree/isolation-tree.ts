/**
 * One isolation tree (Liu, Ting & Zhou, "Isolation Forest", ICDM 2008, Algorithm 2) grown as a
 * FlatTree, so the shared predictor scores it and TreeSHAP can read it like any other tree.
 *
 * The tree is grown on a subsample of rows of the raw float32 matrix (no binning: a split is a
 * threshold drawn uniformly between the feature's minimum and maximum in the node). A node is
 * split until it holds one row or reaches the height limit; it draws features in random order
 * until it finds one that is not constant in the node (scikit-learn's ExtraTree-based
 * implementation does the same), and a node where every feature is constant is a leaf.
 *
 * Layout: cover = rows of the subsample reaching the node; a leaf's value is its path length
 * depth + c(cover), the paper's h(x) including c(size) for rows the height limit left
 * unseparated (Algorithm 3); internal values are the cover-weighted mean of their children
 * (TreeBuilder.finish); gain is 0. Split rule x ≤ threshold goes left; the threshold is drawn in
 * float64 and stored as the largest float32 below it (f32AtMost), which sends every float32
 * input the same way. Missing values go right (defaultLeft 0), as x ≤ thr is false for NaN;
 * the isolation forest refuses non-finite input anyway.
 *
 * Nodes are numbered as they are created, depth-first with the left child first and both
 * children created together (right = left + 1), and the random draws are taken in that order:
 * per node, one r.int per feature tried, then one r.next for the threshold.
 */
import type { Random } from '../util/random.js';
import { f32AtMost, TreeBuilder } from './flat-tree.js';
import type { FlatTree } from './types.js';

const EULER_GAMMA = 0.5772156649015329;

/**
 * Average path length of an unsuccessful BST search among n points (Liu et al. 2008, eq. 1):
 * c(n) = 2 H(n−1) − 2(n−1)/n with H(i) ≈ ln i + γ; c(2) = 1 and c(≤1) = 0 exactly.
 */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

/** Height limit ⌈log2 ψ⌉ of a tree grown on ψ rows. */
export function heightLimit(psi: number): number {
  return Math.ceil(Math.log2(psi));
}

/** Grows isolation trees over one row-major float32 matrix; its scratch arrays are reused from tree to tree. */
export class IsolationTreeGrower {
  private readonly X: Float32Array;
  private readonly nCols: number;
  private readonly limit: number;
  private readonly builder: TreeBuilder;
  private readonly cand: Int32Array;
  /** Nodes waiting to be split: [node, start, end, depth]; depth-first, at most limit + 1 at a time. */
  private readonly stack: Int32Array;

  /** X: nRows × nCols row-major; trees are grown on `psi` rows with up to `maxFeatures` candidate features each. */
  constructor(X: Float32Array, nCols: number, psi: number, maxFeatures: number) {
    this.X = X;
    this.nCols = nCols;
    this.limit = heightLimit(psi);
    this.builder = new TreeBuilder(1, 2 * psi - 1);
    this.cand = new Int32Array(maxFeatures);
    this.stack = new Int32Array(4 * (this.limit + 2) * 2);
  }

  /**
   * One tree on the rows `sample` (reordered in place: each node's rows end up contiguous),
   * splitting on the features `features` (at most maxFeatures of them), drawing from `r`.
   */
  grow(sample: Uint32Array, features: Int32Array, r: Random): FlatTree {
    const X = this.X;
    const d = this.nCols;
    const limit = this.limit;
    const nFeat = features.length;
    const cand = this.cand;
    const stack = this.stack;
    const b = this.builder;
    b.reset();
    let sp = 0;
    stack[sp++] = b.addNode(sample.length);
    stack[sp++] = 0;
    stack[sp++] = sample.length;
    stack[sp++] = 0;
    while (sp > 0) {
      const depth = stack[--sp]!;
      const end = stack[--sp]!;
      const start = stack[--sp]!;
      const node = stack[--sp]!;
      const size = end - start;
      let split = -1;
      let lo = 0;
      let hi = 0;
      if (size > 1 && depth < limit) {
        // features in random order until one is not constant in this node
        cand.set(features);
        for (let m = nFeat; m > 0 && split < 0; m--) {
          const pick = r.int(m);
          const f = cand[pick]!;
          cand[pick] = cand[m - 1]!;
          lo = Infinity;
          hi = -Infinity;
          for (let k = start; k < end; k++) {
            const v = X[sample[k]! * d + f]!;
            if (v < lo) lo = v;
            if (v > hi) hi = v;
          }
          if (hi > lo) split = f;
        }
      }
      if (split < 0) {
        b.value[node] = depth + averagePathLength(size);
        continue;
      }
      let thr = lo + r.next() * (hi - lo);
      if (thr >= hi) thr = lo; // rounding: keep both sides non-empty
      const thr32 = f32AtMost(thr);
      // partition sample[start, end) so that rows with x ≤ thr come first
      let a = start;
      let z = end - 1;
      while (a <= z) {
        if (X[sample[a]! * d + split]! <= thr32) a++;
        else {
          const tmp = sample[a]!;
          sample[a] = sample[z]!;
          sample[z] = tmp;
          z--;
        }
      }
      const l = b.addNode(a - start);
      const rt = b.addNode(end - a);
      b.setSplit(node, split, thr32, 0, l, rt, 0);
      stack[sp++] = rt;
      stack[sp++] = a;
      stack[sp++] = end;
      stack[sp++] = depth + 1;
      stack[sp++] = l;
      stack[sp++] = start;
      stack[sp++] = a;
      stack[sp++] = depth + 1;
    }
    return b.finish();
  }
}
