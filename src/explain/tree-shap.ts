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
import type { FlatTree, TreeEnsemble } from '../tree/types.js';
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

/**
 * Largest table (doubles) a tree may get for the per-leaf path weights below, by default; a
 * tree needing more (deep trees with many unique features per path) uses the recursion.
 */
const TABLE_LIMIT = 1 << 20;
/** Rows explained together, tree after tree. */
const ROW_BLOCK = 256;

/**
 * The same Shapley values, computed leaf by leaf (the idea of Fast TreeSHAP v2, Yang 2021).
 * A leaf's contribution to path element i is v × (o_i − z_i) × UNWOUNDSUM_i, where the zero
 * fractions z (cover shares, a feature split on twice on the path merged into one element)
 * are fixed per leaf and the one fractions o are 0 or 1 per row. So the row enters only
 * through the mask of elements it follows: each (leaf, mask) is computed once, the first
 * time a row needs it, and every row after that is a lookup per leaf element. Row
 * traversal passes the mask down the tree, clearing the element's bit on the side the row
 * does not take.
 */
class TreeTable {
  /** Per internal node: the path element (bit) its feature is, counted from the root. */
  private readonly elem: Int32Array;
  /** Per leaf node: unique features on its path (d), their offset in feats / zeros, and the table offset. */
  private readonly leafD: Int32Array;
  private readonly leafFeat: Int32Array;
  private readonly leafTab: Int32Array;
  private readonly feats: Int32Array;
  private readonly zeros: Float64Array;
  /** table[leafTab + mask·d + i]: scale × (o_i − z_i) × UNWOUNDSUM_i, filled lazily. */
  private readonly table: Float64Array;
  /** Doubles in the table. */
  get size(): number {
    return this.table.length;
  }
  private readonly done: Uint8Array;
  /** Internal nodes in preorder (parents before children) and the leaves, for the row pass. */
  private readonly internal: Int32Array;
  private readonly leaves: Int32Array;
  /** Per node during a row: the mask of path elements the row follows to get there. */
  private readonly masks: Int32Array;
  // scratch for one path's weights (d + 1 slots)
  private readonly pw: Float64Array;
  private readonly z: Float64Array;
  private readonly o: Float64Array;
  private readonly inv: Float64Array;

  private constructor(
    private readonly tree: FlatTree,
    private readonly scale: number,
    elem: Int32Array,
    leafD: Int32Array,
    leafFeat: Int32Array,
    leafTab: Int32Array,
    feats: number[],
    zeros: number[],
    tableSize: number,
    maxD: number,
    internal: number[],
    leaves: number[],
  ) {
    this.elem = elem;
    this.leafD = leafD;
    this.leafFeat = leafFeat;
    this.leafTab = leafTab;
    this.feats = Int32Array.from(feats);
    this.zeros = Float64Array.from(zeros);
    this.table = new Float64Array(tableSize);
    this.done = new Uint8Array(tableSize);
    this.internal = Int32Array.from(internal);
    this.leaves = Int32Array.from(leaves);
    this.masks = new Int32Array(tree.nNodes);
    this.pw = new Float64Array(maxD + 2);
    this.z = new Float64Array(maxD + 2);
    this.o = new Float64Array(maxD + 2);
    this.inv = new Float64Array(maxD + 3);
    for (let k = 1; k < this.inv.length; k++) this.inv[k] = 1 / k;
  }

  /** The table layout of `tree`, or null when it would exceed `limit` doubles (or 30 unique features on a path). */
  static build(tree: FlatTree, scale: number, limit: number): TreeTable | null {
    const n = tree.nNodes;
    const elem = new Int32Array(n).fill(-1);
    const leafD = new Int32Array(n);
    const leafFeat = new Int32Array(n);
    const leafTab = new Int32Array(n);
    const feats: number[] = [];
    const zeros: number[] = [];
    const pathFeat: number[] = [];
    const pathZero: number[] = [];
    const internal: number[] = [];
    const leaves: number[] = [];
    let size = 0;
    let maxD = 0;
    let ok = true;
    const visit = (node: number): void => {
      if (!ok) return;
      if (tree.feature[node] === -1) {
        leaves.push(node);
        const d = pathFeat.length;
        if (d > 30) {
          ok = false;
          return;
        }
        leafD[node] = d;
        leafFeat[node] = feats.length;
        leafTab[node] = size;
        for (let i = 0; i < d; i++) {
          feats.push(pathFeat[i]!);
          zeros.push(pathZero[i]!);
        }
        size += d * 2 ** d;
        if (size > limit) ok = false;
        if (d > maxD) maxD = d;
        return;
      }
      const f = tree.feature[node]!;
      let k = pathFeat.indexOf(f);
      const isNew = k < 0;
      if (isNew) {
        k = pathFeat.length;
        pathFeat.push(f);
        pathZero.push(1);
      }
      elem[node] = k;
      internal.push(node);
      const before = pathZero[k]!;
      const l = leftShare(tree, node);
      pathZero[k] = before * l;
      visit(tree.left[node]!);
      pathZero[k] = before * (1 - l);
      visit(tree.right[node]!);
      pathZero[k] = before;
      if (isNew) {
        pathFeat.pop();
        pathZero.pop();
      }
    };
    visit(0);
    if (!ok) return null;
    return new TreeTable(tree, scale, elem, leafD, leafFeat, leafTab, feats, zeros, size, maxD, internal, leaves);
  }

  /** Fill the table entries of `leaf` for the row mask `mask` (bit i set: the row follows element i's splits). */
  private fill(leaf: number, d: number, mask: number, base: number): void {
    const table = this.table;
    const fo = this.leafFeat[leaf]!;
    // an element with no cover that the row does not follow carries no weight (the recursion skips it)
    for (let i = 0; i < d; i++) {
      if (((mask >>> i) & 1) === 0 && this.zeros[fo + i] === 0) {
        for (let j = 0; j < d; j++) table[base + j] = 0;
        return;
      }
    }
    const pw = this.pw;
    const z = this.z;
    const o = this.o;
    const inv = this.inv;
    z[0] = 1;
    o[0] = 1;
    pw[0] = 1;
    // EXTEND with each element in path order (slot 0 is the root's empty element)
    for (let depth = 1; depth <= d; depth++) {
      const zf = this.zeros[fo + depth - 1]!;
      const of = (mask >>> (depth - 1)) & 1;
      z[depth] = zf;
      o[depth] = of;
      pw[depth] = 0;
      const invD1 = inv[depth + 1]!;
      for (let i = depth - 1; i >= 0; i--) {
        const p = pw[i]! * invD1;
        pw[i + 1]! += of * p * (i + 1);
        pw[i] = zf * p * (depth - i);
      }
    }
    // UNWOUNDSUM per element
    const invD1 = inv[d + 1]!;
    for (let e = 1; e <= d; e++) {
      const zf = z[e]!;
      let total = 0;
      if (o[e] !== 0) {
        let nextOne = pw[d]!;
        for (let i = d - 1; i >= 0; i--) {
          const tmp = nextOne * (d + 1) * inv[i + 1]!;
          total += tmp;
          nextOne = pw[i]! - tmp * zf * (d - i) * invD1;
        }
      } else {
        for (let i = d - 1; i >= 0; i--) total += pw[i]! * inv[d - i]!;
        total = (total * (d + 1)) / zf;
      }
      table[base + e - 1] = total * (o[e]! - zf) * this.scale;
    }
  }

  /** Add this tree's contributions for row x[xOff..] into phi[phiOff..] (nOutputs × nF). */
  run(to: number, nOutputs: number, nF: number, x: Float32Array, xOff: number, phi: Float64Array, phiOff: number): void {
    const t = this.tree;
    const feature = t.feature;
    const threshold = t.threshold;
    const left = t.left;
    const right = t.right;
    const defaultLeft = t.defaultLeft;
    const value = t.value;
    const no = t.nOutputs;
    const elem = this.elem;
    const leafD = this.leafD;
    const leafTab = this.leafTab;
    const leafFeat = this.leafFeat;
    const feats = this.feats;
    const table = this.table;
    const done = this.done;
    const masks = this.masks;
    const internal = this.internal;
    const leaves = this.leaves;
    masks[0] = -1;
    for (let k = 0; k < internal.length; k++) {
      const node = internal[k]!;
      const mask = masks[node]!;
      const xv = x[xOff + feature[node]!]!;
      const goLeft = xv !== xv ? defaultLeft[node] === 1 : xv <= threshold[node]!;
      const cold = mask & ~(1 << elem[node]!);
      masks[left[node]!] = goLeft ? mask : cold;
      masks[right[node]!] = goLeft ? cold : mask;
    }
    for (let k = 0; k < leaves.length; k++) {
      const node = leaves[k]!;
      const mask = masks[node]!;
      const d = leafD[node]!;
      if (d === 0) continue;
      const m = mask & ((1 << d) - 1);
      const base = leafTab[node]! + m * d;
      if (done[base] === 0) {
        this.fill(node, d, m, base);
        done[base] = 1;
      }
      const fo = leafFeat[node]!;
      if (to >= 0) {
        const v = value[node * no + (no === 1 ? 0 : to)]!;
        const po = phiOff + to * nF;
        for (let i = 0; i < d; i++) phi[po + feats[fo + i]!]! += table[base + i]! * v;
      } else {
        for (let o = 0; o < nOutputs; o++) {
          const v = value[node * no + o]!;
          const po = phiOff + o * nF;
          for (let i = 0; i < d; i++) phi[po + feats[fo + i]!]! += table[base + i]! * v;
        }
      }
    }
  }
}

export interface TreeShapOptions {
  /** Explain only these rows of X (default: all). */
  rows?: Uint32Array | readonly number[];
  /**
   * Largest per-tree table of path weights (doubles) before a tree is explained by the
   * recursion instead (same values; 0: always the recursion — the tests compare the two).
   */
  tableLimit?: number;
}

/**
 * TreeSHAP contributions of every row of X (or `opts.rows`) for every output of the
 * ensemble: `contributions[(r·nOutputs + o)·nFeatures + f]`, `bias[o]`, with
 * bias[o] + Σ_f contributions = the raw output (margin) of row r for output o.
 * (One call: its per-tree tables are dropped after it; TreeShapExplainer keeps them.)
 */
export function treeShap(ens: TreeEnsemble, X: Matrix, opts: TreeShapOptions = {}): Explanation {
  checkColumns(ens, X);
  return new TreeShapExplainer(ens, { tableLimit: opts.tableLimit, keepLimit: Infinity }).explain(X, opts.rows);
}

function checkColumns(ens: TreeEnsemble, X: Matrix): void {
  if (X.nCols !== ens.nFeatures) {
    throw nadirError('NADIR_ERR_BAD_INPUT', `treeShap: matrix has ${X.nCols} columns, the model expects ${ens.nFeatures}`);
  }
}

/** Doubles of per-tree tables an explainer keeps between calls, by default (64 MB, plus 8 MB of flags). */
const KEEP_LIMIT = 1 << 23;

/**
 * TreeSHAP for one ensemble, prepared once and reused: the checks, the depth, the bias
 * (expected value) and the per-tree tables of path weights, whose entries are filled the first
 * time a row needs them — so explaining one record at a time (the HTTP API's `?explain=true`)
 * pays for the tables once per model, not once per record. The values are treeShap's, bit for
 * bit (the same tables, rows and trees in the same order). Tables are kept up to `keepLimit`
 * doubles in all (default KEEP_LIMIT); a tree beyond it gets its table built for each call, as
 * treeShap does, so a model with very large tables costs no more memory than treeShap.
 */
export class TreeShapExplainer {
  /** The expected raw output per output (see expectedValue). */
  readonly bias: Float64Array;
  private readonly ens: TreeEnsemble;
  private readonly maxDepth: number;
  private readonly tableLimit: number;
  private readonly keepLimit: number;
  /** Per tree: its kept table, null (no table: the recursion), undefined (not built yet, or not kept). */
  private readonly tables: (TreeTable | null | undefined)[];
  private kept = 0;

  constructor(ens: TreeEnsemble, opts: { tableLimit?: number | undefined; keepLimit?: number } = {}) {
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
    this.ens = ens;
    this.maxDepth = maxDepth;
    this.tableLimit = opts.tableLimit ?? TABLE_LIMIT;
    this.keepLimit = opts.keepLimit ?? KEEP_LIMIT;
    this.tables = new Array<TreeTable | null | undefined>(ens.trees.length);
    this.bias = expectedValue(ens);
  }

  /** Contributions of every row of X (or `rows`), as treeShap gives them. */
  explain(X: Matrix, rowsOpt?: Uint32Array | readonly number[]): Explanation {
    const ens = this.ens;
    checkColumns(ens, X);
    const rows = rowsOpt ? Uint32Array.from(rowsOpt) : null;
    const nRows = rows ? rows.length : X.nRows;
    const nF = ens.nFeatures;
    const nO = ens.nOutputs;
    const contributions = new Float64Array(nRows * nO * nF);
    if (rows) {
      for (let r = 0; r < nRows; r++) {
        if (rows[r]! >= X.nRows) throw nadirError('NADIR_ERR_BAD_INPUT', `treeShap: row ${rows[r]} out of range (${X.nRows} rows)`);
      }
    }
    // rows in blocks, trees in order within each block (so every row receives the trees in
    // the same order as row by row): a block's contributions stay in cache across the trees
    const limit = this.tableLimit;
    // tables of this call only (beyond keepLimit)
    const own: (TreeTable | null | undefined)[] = new Array<TreeTable | null | undefined>(ens.trees.length);
    let worker: ShapWorker | null = null;
    for (let r0 = 0; r0 < nRows; r0 += ROW_BLOCK) {
      const r1 = Math.min(nRows, r0 + ROW_BLOCK);
      for (let t = 0; t < ens.trees.length; t++) {
        const tree = ens.trees[t]!;
        const to = ens.treeOutput[t]!;
        if (tree.feature[0] === -1) continue; // a single leaf explains nothing: it is all bias
        let table = this.tables[t];
        if (table === undefined) table = own[t];
        if (table === undefined) {
          table = TreeTable.build(tree, ens.scale, limit);
          if (table === null) this.tables[t] = null;
          else if (this.kept + table.size <= this.keepLimit) {
            this.tables[t] = table;
            this.kept += table.size;
          } else own[t] = table;
        }
        if (table) {
          for (let r = r0; r < r1; r++) {
            const src = rows ? rows[r]! : r;
            table.run(to, nO, nF, X.data, src * X.nCols, contributions, r * nO * nF);
          }
        } else {
          worker ??= new ShapWorker(this.maxDepth, nO, nF);
          for (let r = r0; r < r1; r++) {
            const src = rows ? rows[r]! : r;
            worker.run(tree, to, ens.scale, X.data, src * X.nCols, contributions, r * nO * nF);
          }
        }
      }
    }
    return { nRows, nOutputs: nO, nFeatures: nF, features: X.columns, contributions, bias: Float64Array.from(this.bias) };
  }
}
