/**
 * TreeSHAP: exact Shapley values of a tree ensemble's raw output, in polynomial time.
 * Lundberg, Erion & Lee (2018), "Consistent individualized feature attribution for tree
 * ensembles", Algorithm 2 (path-dependent TreeSHAP; EXTEND / UNWIND over the unique
 * features on the root-to-leaf path), following the reference implementation in the
 * `shap` package (tree_shap.h: extend_path, unwind_path, unwound_path_sum).
 *
 * The value of a coalition S is E[f(x) | x_S], where a split on a feature outside S sends
 * the row down both children weighted by their training cover, so for every row
 *   bias + Σ contributions = raw output (margin).
 * Raw output per output o: baseScore[o] + scale × Σ_t leaf value (see TreeEnsemble).
 * Splits follow the learners' rule: left when x ≤ threshold, NaN → defaultLeft.
 */
import { nadirError } from '../errors.js';
import type { Matrix } from '../features/types.js';
import type { FlatTree, TreeEnsemble } from '../learners/types.js';
import type { Explanation } from './types.js';

/** Depth (edges on the longest root-to-leaf path) of a flat tree. */
export function treeDepth(t: FlatTree): number {
  let max = 0;
  const stackNode = [0];
  const stackDepth = [0];
  while (stackNode.length) {
    const n = stackNode.pop()!;
    const d = stackDepth.pop()!;
    if (t.feature[n] === -1) {
      if (d > max) max = d;
      continue;
    }
    stackNode.push(t.left[n]!, t.right[n]!);
    stackDepth.push(d + 1, d + 1);
  }
  return max;
}

/** Share of a node's cover going to its left child (the two shares sum to 1). */
function leftShare(t: FlatTree, node: number): number {
  const cl = t.cover[t.left[node]!]!;
  const cr = t.cover[t.right[node]!]!;
  const s = cl + cr;
  return s > 0 ? cl / s : 0.5;
}

/**
 * The expected raw output per output: baseScore + scale × Σ_t E_t, where E_t is the
 * cover-weighted mean of tree t's leaves — the bias TreeSHAP's contributions start from.
 */
export function expectedValue(ens: TreeEnsemble): Float64Array {
  const out = Float64Array.from(ens.baseScore);
  for (let t = 0; t < ens.trees.length; t++) {
    const tree = ens.trees[t]!;
    const to = ens.treeOutput[t]!;
    // weight of reaching each node, root first (children always come after their parent in
    // the traversal order below, which is what makes the single pass valid)
    const reach = new Float64Array(tree.nNodes);
    reach[0] = 1;
    const stack = [0];
    while (stack.length) {
      const n = stack.pop()!;
      if (tree.feature[n] === -1) {
        addLeaf(out, ens, tree, to, n, reach[n]! * ens.scale);
        continue;
      }
      const l = leftShare(tree, n);
      reach[tree.left[n]!] = reach[n]! * l;
      reach[tree.right[n]!] = reach[n]! * (1 - l);
      stack.push(tree.left[n]!, tree.right[n]!);
    }
  }
  return out;
}

function addLeaf(out: Float64Array, ens: TreeEnsemble, tree: FlatTree, to: number, leaf: number, w: number): void {
  const no = tree.nOutputs;
  if (to >= 0) out[to]! += w * tree.value[leaf * no + (no === 1 ? 0 : to)]!;
  else for (let o = 0; o < ens.nOutputs; o++) out[o]! += w * tree.value[leaf * no + o]!;
}

/**
 * Path buffers and the recursion of Algorithm 2, allocated once per `treeShap` call.
 * A path of unique depth d occupies d + 1 slots; each recursion level copies its parent's
 * path into the slots right after it, so all levels fit in (D + 2)(D + 3) / 2 slots for
 * trees of depth D.
 */
class ShapWorker {
  private readonly feat: Int32Array;
  private readonly zero: Float64Array;
  private readonly one: Float64Array;
  private readonly pw: Float64Array;
  /** inv[k] = 1 / k: the path weights' (i + 1)/(d + 1) factors without divisions in the hot loops. */
  private readonly inv: Float64Array;
  // per tree / row state
  private tree!: FlatTree;
  private x!: Float32Array;
  private xOff = 0;
  private phi!: Float64Array;
  private phiOff = 0;
  private to = -1;
  private scale = 1;

  constructor(
    maxDepth: number,
    private readonly nOutputs: number,
    private readonly nFeatures: number,
  ) {
    const size = ((maxDepth + 3) * (maxDepth + 4)) / 2;
    this.feat = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.pw = new Float64Array(size);
    this.inv = new Float64Array(maxDepth + 4);
    for (let k = 1; k < this.inv.length; k++) this.inv[k] = 1 / k;
  }

  /** Add tree `tree`'s contributions for row data x[xOff..] into phi[phiOff..] (nOutputs × nFeatures). */
  run(tree: FlatTree, to: number, scale: number, x: Float32Array, xOff: number, phi: Float64Array, phiOff: number): void {
    this.tree = tree;
    this.to = to;
    this.scale = scale;
    this.x = x;
    this.xOff = xOff;
    this.phi = phi;
    this.phiOff = phiOff;
    if (tree.feature[0] === -1) return; // a single leaf explains nothing: it is all bias
    this.recurse(0, 0, 0, 1, 1, -1);
  }

  private extend(off: number, depth: number, zeroFraction: number, oneFraction: number, feature: number): void {
    const pw = this.pw;
    this.feat[off + depth] = feature;
    this.zero[off + depth] = zeroFraction;
    this.one[off + depth] = oneFraction;
    pw[off + depth] = depth === 0 ? 1 : 0;
    const invD1 = this.inv[depth + 1]!;
    for (let i = depth - 1; i >= 0; i--) {
      const p = pw[off + i]! * invD1;
      pw[off + i + 1]! += oneFraction * p * (i + 1);
      pw[off + i] = zeroFraction * p * (depth - i);
    }
  }

  private unwind(off: number, depth: number, pathIndex: number): void {
    const pw = this.pw;
    const oneFraction = this.one[off + pathIndex]!;
    const zeroFraction = this.zero[off + pathIndex]!;
    let nextOne = pw[off + depth]!;
    for (let i = depth - 1; i >= 0; i--) {
      if (oneFraction !== 0) {
        const tmp = pw[off + i]!;
        pw[off + i] = (nextOne * (depth + 1)) / ((i + 1) * oneFraction);
        nextOne = tmp - (pw[off + i]! * zeroFraction * (depth - i)) / (depth + 1);
      } else {
        pw[off + i] = (pw[off + i]! * (depth + 1)) / (zeroFraction * (depth - i));
      }
    }
    for (let i = pathIndex; i < depth; i++) {
      this.feat[off + i] = this.feat[off + i + 1]!;
      this.zero[off + i] = this.zero[off + i + 1]!;
      this.one[off + i] = this.one[off + i + 1]!;
    }
  }

  /**
   * Total permutation weight of the path with element `pathIndex` removed (without modifying
   * it). One fractions are always 0 or 1 in path-dependent TreeSHAP, which the two branches use.
   */
  private unwoundSum(off: number, depth: number, pathIndex: number): number {
    const pw = this.pw;
    const inv = this.inv;
    const zeroFraction = this.zero[off + pathIndex]!;
    let total = 0;
    if (this.one[off + pathIndex] !== 0) {
      const invD1 = inv[depth + 1]!;
      let nextOne = pw[off + depth]!;
      for (let i = depth - 1; i >= 0; i--) {
        const tmp = nextOne * (depth + 1) * inv[i + 1]!;
        total += tmp;
        nextOne = pw[off + i]! - tmp * zeroFraction * (depth - i) * invD1;
      }
      return total;
    }
    for (let i = depth - 1; i >= 0; i--) total += pw[off + i]! * inv[depth - i]!;
    return (total * (depth + 1)) / zeroFraction;
  }

  /**
   * RECURSE(j, m, p_z, p_o, p_i) of Algorithm 2 at node `node`: the parent's path (slots
   * 0..depth−1 from `parentOff`) is copied to `parentOff + depth + 1` and extended with the
   * parent's split (zero fraction pZero = share of cover, one fraction pOne = 1 if x goes
   * this way, else 0).
   */
  private recurse(node: number, depth: number, parentOff: number, pZero: number, pOne: number, pFeature: number): void {
    const off = parentOff + depth + 1;
    // copy the parent's path (depth slots: indices 0..depth-1; slot `depth` is written by extend)
    for (let i = 0; i < depth; i++) {
      this.feat[off + i] = this.feat[parentOff + i]!;
      this.zero[off + i] = this.zero[parentOff + i]!;
      this.one[off + i] = this.one[parentOff + i]!;
      this.pw[off + i] = this.pw[parentOff + i]!;
    }
    this.extend(off, depth, pZero, pOne, pFeature);

    const t = this.tree;
    const split = t.feature[node]!;
    if (split === -1) {
      const no = t.nOutputs;
      const nF = this.nFeatures;
      const to = this.to;
      for (let i = 1; i <= depth; i++) {
        const w = this.unwoundSum(off, depth, i);
        const s = w * (this.one[off + i]! - this.zero[off + i]!) * this.scale;
        const f = this.feat[off + i]!;
        if (to >= 0) {
          this.phi[this.phiOff + to * nF + f]! += s * t.value[node * no + (no === 1 ? 0 : to)]!;
        } else {
          for (let o = 0; o < this.nOutputs; o++) this.phi[this.phiOff + o * nF + f]! += s * t.value[node * no + o]!;
        }
      }
      return;
    }

    const xv = this.x[this.xOff + split]!;
    const goLeft = xv !== xv ? t.defaultLeft[node] === 1 : xv <= t.threshold[node]!;
    const hot = goLeft ? t.left[node]! : t.right[node]!;
    const cold = goLeft ? t.right[node]! : t.left[node]!;
    const l = leftShare(t, node);
    const hotZero = goLeft ? l : 1 - l;
    const coldZero = 1 - hotZero;

    let inZero = 1;
    let inOne = 1;
    let d = depth;
    // if this feature was already split on above, undo that split so it is redone here
    let k = 0;
    for (; k <= d; k++) if (this.feat[off + k] === split) break;
    if (k !== d + 1) {
      inZero = this.zero[off + k]!;
      inOne = this.one[off + k]!;
      this.unwind(off, d, k);
      d -= 1;
    }
    // A branch with neither training cover (zero fraction) nor x going there (one fraction)
    // carries no weight: skipping it is exact and avoids the 0/0 of such a path element.
    const hz = hotZero * inZero;
    if (hz !== 0 || inOne !== 0) this.recurse(hot, d + 1, off, hz, inOne, split);
    const cz = coldZero * inZero;
    if (cz !== 0) this.recurse(cold, d + 1, off, cz, 0, split);
  }
}

export interface TreeShapOptions {
  /** Explain only these rows of X (default: all). */
  rows?: Uint32Array | readonly number[];
}

/**
 * TreeSHAP contributions of every row of X (or `opts.rows`) for every output of the
 * ensemble: `contributions[(r·nOutputs + o)·nFeatures + f]`, `bias[o]`, with
 * bias[o] + Σ_f contributions = the raw output (margin) of row r for output o.
 */
export function treeShap(ens: TreeEnsemble, X: Matrix, opts: TreeShapOptions = {}): Explanation {
  if (X.nCols !== ens.nFeatures) {
    throw nadirError('NADIR_ERR_BAD_INPUT', `treeShap: matrix has ${X.nCols} columns, the model expects ${ens.nFeatures}`);
  }
  if (ens.treeOutput.length !== ens.trees.length) {
    throw nadirError('NADIR_ERR_BAD_INPUT', `treeShap: ${ens.trees.length} trees but ${ens.treeOutput.length} tree outputs`);
  }
  let maxDepth = 0;
  for (let t = 0; t < ens.trees.length; t++) {
    const tree = ens.trees[t]!;
    const to = ens.treeOutput[t]!;
    if (to >= ens.nOutputs || (to < 0 && tree.nOutputs !== ens.nOutputs)) {
      throw nadirError('NADIR_ERR_BAD_INPUT', `treeShap: tree ${t} (output ${to}, ${tree.nOutputs} values per leaf) does not fit ${ens.nOutputs} outputs`);
    }
    maxDepth = Math.max(maxDepth, treeDepth(tree));
  }
  const rows = opts.rows ? Uint32Array.from(opts.rows) : null;
  const nRows = rows ? rows.length : X.nRows;
  const nF = ens.nFeatures;
  const nO = ens.nOutputs;
  const contributions = new Float64Array(nRows * nO * nF);
  const worker = new ShapWorker(maxDepth, nO, nF);
  for (let r = 0; r < nRows; r++) {
    const src = rows ? rows[r]! : r;
    if (src >= X.nRows) throw nadirError('NADIR_ERR_BAD_INPUT', `treeShap: row ${src} out of range (${X.nRows} rows)`);
    for (let t = 0; t < ens.trees.length; t++) {
      worker.run(ens.trees[t]!, ens.treeOutput[t]!, ens.scale, X.data, src * X.nCols, contributions, r * nO * nF);
    }
  }
  return { nRows, nOutputs: nO, nFeatures: nF, features: X.columns, contributions, bias: expectedValue(ens) };
}
