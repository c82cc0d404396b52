/**
 * Tree growers over binned data.
 *
 * `GradTreeGrower` (boosting): second-order trees as in XGBoost (Chen & Guestrin 2016) with
 * LightGBM's histogram engine (Ke et al. 2017): depth-wise (level by level, XGBoost's default)
 * or leaf-wise (best-first up to `maxLeaves`, LightGBM's). At each expansion the smaller child's
 * histogram is built and the larger one's is the parent's minus it, in the parent's buffer.
 * Leaf weight −G/(H+λ) × learning rate.
 *
 * `ClassTreeGrower` (forests): CART classification trees (Breiman 2001) on class-count
 * histograms, depth-first, `maxFeatures` features drawn per node without replacement as in
 * scikit-learn (features constant in the node do not count, so drawing continues).
 *
 * Per-node state lives in typed arrays indexed by node id; nothing is allocated per node.
 */
import type { FlatTree } from './types.js';
import type { Random } from '../util/random.js';
import { TreeBuilder } from './flat-tree.js';
import { type GradHistBuilder, ROWS_IDENTITY, TASK_WIDTH } from './hist-builder.js';
import { bytesFor, type Heap } from './heap.js';
import { subtractHist } from './histogram.js';
import { goLeftTable } from './partition.js';
import {
  classFeatureSplit,
  classScratch,
  classSortedSplit,
  packedFeatureSplit,
  type Criterion,
  gradFeatureSplit,
  gradScratch,
  newBestSplit,
  resetBestSplit,
  weightedImpurity,
} from './split-finder.js';
import type { BinnedData } from './types.js';

export interface GradTreeParams {
  /** Maximum depth (root = 0); Infinity for none. */
  maxDepth: number;
  /** Finite: leaf-wise growth up to this many leaves; Infinity: depth-wise. */
  maxLeaves: number;
  lambda: number;
  /** Minimum loss reduction to split (XGBoost's gamma / min_split_loss). */
  gamma: number;
  minChildWeight: number;
  learningRate: number;
}

/** XGBoost's kRtEps: a split must reduce the loss by more than this. */
const MIN_GAIN = 1e-6;

function growI32(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}
function growF64(a: Float64Array, n: number): Float64Array {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}

export class GradTreeGrower {
  private readonly data: BinnedData;
  private readonly hb: GradHistBuilder;
  private readonly p: GradTreeParams;
  private readonly tb = new TreeBuilder(1);
  private readonly best = newBestSplit(2);
  private readonly scratch = gradScratch();
  private readonly lut: Uint8Array;
  private readonly partScratch: Uint32Array;
  private tasks = new Int32Array(TASK_WIDTH * 64);
  private features: Int32Array = new Int32Array(0);
  // Per-node state, indexed by node id.
  private cap = 0;
  private nBegin: Int32Array = new Int32Array(0);
  private nEnd: Int32Array = new Int32Array(0);
  private nDepth: Int32Array = new Int32Array(0);
  private nHist: Int32Array = new Int32Array(0);
  private nG: Float64Array = new Float64Array(0);
  private nH: Float64Array = new Float64Array(0);
  private sFeat: Int32Array = new Int32Array(0);
  private sBin: Int32Array = new Int32Array(0);
  private sDL: Int32Array = new Int32Array(0);
  private sGain: Float64Array = new Float64Array(0);
  private sGL: Float64Array = new Float64Array(0);
  private sHL: Float64Array = new Float64Array(0);
  // Expansion bookkeeping (per batch).
  private pend: Int32Array = new Int32Array(0);
  private heap: Int32Array = new Int32Array(0);
  private heapLen = 0;

  constructor(data: BinnedData, hb: GradHistBuilder, params: GradTreeParams) {
    this.data = data;
    this.hb = hb;
    this.p = params;
    this.lut = hb.heap.u8(256);
    this.partScratch = hb.heap.u32(data.nRows);
    this.ensure(64);
  }

  private ensure(n: number): void {
    if (n <= this.cap) return;
    const c = Math.max(n, this.cap * 2);
    this.nBegin = growI32(this.nBegin, c);
    this.nEnd = growI32(this.nEnd, c);
    this.nDepth = growI32(this.nDepth, c);
    this.nHist = growI32(this.nHist, c);
    this.nG = growF64(this.nG, c);
    this.nH = growF64(this.nH, c);
    this.sFeat = growI32(this.sFeat, c);
    this.sBin = growI32(this.sBin, c);
    this.sDL = growI32(this.sDL, c);
    this.sGain = growF64(this.sGain, c);
    this.sGL = growF64(this.sGL, c);
    this.sHL = growF64(this.sHL, c);
    this.pend = growI32(this.pend, 3 * c);
    this.heap = growI32(this.heap, c);
    this.cap = c;
  }

  /**
   * Grow one tree on rows hb.idx[0..nRows) with gradients hb.gh, splitting only on
   * `features` (usable features of this tree, ascending). `identity`: hb.idx[i] = i for all
   * i < nRows (no row subsampling), which enables the flat root pass. The partition stays in
   * hb.idx until the next call (see `addLeafValues`).
   */
  grow(nRows: number, features: Int32Array, identity = false): FlatTree {
    const { hb, p } = this;
    this.features = features;
    this.tb.reset();
    const idx = hb.idx;
    let G = 0;
    let H = 0;
    const gh = hb.gh;
    for (let i = 0; i < nRows; i++) {
      const r = idx[i]!;
      G += gh[2 * r]!;
      H += gh[2 * r + 1]!;
    }
    const root = this.newNode(H, 0, nRows, 0, G, H);
    if (this.canSplit(root)) {
      const id = hb.acquire();
      this.nHist[root] = id;
      this.tasks[0] = 0;
      this.tasks[1] = nRows;
      this.tasks[2] = id;
      this.tasks[3] = identity ? ROWS_IDENTITY : 0;
      hb.build(this.tasks, 1);
      if (this.evaluate(root)) {
        if (p.maxLeaves === Infinity) this.growDepthWise(root);
        else this.growLeafWise(root);
      } else hb.release(id);
    }
    // Leaf weights (Chen & Guestrin 2016, eq. 5), shrunk by the learning rate.
    const tb = this.tb;
    for (let i = 0; i < tb.nNodes; i++) {
      if (tb.feature[i] === -1) tb.value[i] = (-this.nG[i]! / (this.nH[i]! + p.lambda)) * p.learningRate;
    }
    return tb.finish();
  }

  /** margin[row*stride + offset] += leaf value, for every row of the last grown tree. */
  addLeafValues(margin: Float64Array, stride: number, offset: number): void {
    const tb = this.tb;
    const idx = this.hb.idx;
    for (let i = 0; i < tb.nNodes; i++) {
      if (tb.feature[i] !== -1) continue;
      const v = tb.value[i]!;
      for (let j = this.nBegin[i]!, e = this.nEnd[i]!; j < e; j++) margin[idx[j]! * stride + offset] += v;
    }
  }

  private newNode(cover: number, begin: number, end: number, depth: number, G: number, H: number): number {
    const i = this.tb.addNode(cover);
    this.ensure(i + 1);
    this.nBegin[i] = begin;
    this.nEnd[i] = end;
    this.nDepth[i] = depth;
    this.nG[i] = G;
    this.nH[i] = H;
    this.nHist[i] = -1;
    return i;
  }

  private canSplit(i: number): boolean {
    return this.nDepth[i]! < this.p.maxDepth && this.nEnd[i]! - this.nBegin[i]! >= 2 && this.nH[i]! >= 2 * this.p.minChildWeight;
  }

  /** Find node i's best split from its histogram; true when one exists. */
  private evaluate(i: number): boolean {
    const best = this.best;
    resetBestSplit(best, Math.max(this.p.gamma, MIN_GAIN));
    const hist = this.hb.hist(this.nHist[i]!);
    const G = this.nG[i]!;
    const H = this.nH[i]!;
    const feats = this.features;
    for (let k = 0; k < feats.length; k++) gradFeatureSplit(this.data, feats[k]!, hist, G, H, this.p, this.scratch, best);
    if (best.feature < 0) return false;
    this.sFeat[i] = best.feature;
    this.sBin[i] = best.bin;
    this.sDL[i] = best.defaultLeft;
    this.sGain[i] = best.gain;
    this.sGL[i] = best.left[0]!;
    this.sHL[i] = best.left[1]!;
    return true;
  }

  /**
   * Split the nodes batch[0..n) (each has an evaluated split), build the smaller children's
   * histograms in one pass, derive their siblings by subtraction and evaluate the children.
   * Children with a split are written to `out`; returns how many.
   */
  private expand(batch: Int32Array, n: number, out: Int32Array): number {
    const { data, hb, tb } = this;
    const idx = hb.idx;
    let nTasks = 0;
    let nPend = 0;
    for (let k = 0; k < n; k++) {
      const node = batch[k]!;
      const f = this.sFeat[node]!;
      const bin = this.sBin[node]!;
      const dl = this.sDL[node]!;
      const begin = this.nBegin[node]!;
      const end = this.nEnd[node]!;
      goLeftTable(data, f, bin, dl, this.lut);
      const mid = hb.heap.k.partition(data.bins.byteOffset + f * data.nRows, this.lut.byteOffset, idx.byteOffset, begin, end, this.partScratch.byteOffset);
      const G = this.nG[node]!;
      const H = this.nH[node]!;
      const GL = this.sGL[node]!;
      const HL = this.sHL[node]!;
      const depth = this.nDepth[node]! + 1;
      const L = this.newNode(HL, begin, mid, depth, GL, HL);
      const R = this.newNode(H - HL, mid, end, depth, G - GL, H - HL);
      const nb = data.mapper.nBins[f]!;
      const threshold = bin < nb - 1 ? data.mapper.edges[f]![bin]! : Infinity;
      tb.setSplit(node, f, threshold, dl, L, R, this.sGain[node]!);
      const needL = this.canSplit(L);
      const needR = this.canSplit(R);
      const parentHist = this.nHist[node]!;
      if (!needL && !needR) {
        hb.release(parentHist);
        continue;
      }
      const small = mid - begin <= end - mid ? L : R;
      const large = small === L ? R : L;
      const sh = hb.acquire();
      this.nHist[small] = sh;
      this.nHist[large] = parentHist;
      if (TASK_WIDTH * (nTasks + 1) > this.tasks.length) {
        const t = new Int32Array(this.tasks.length * 2);
        t.set(this.tasks);
        this.tasks = t;
      }
      const w = TASK_WIDTH * nTasks;
      this.tasks[w] = this.nBegin[small]!;
      this.tasks[w + 1] = this.nEnd[small]!;
      this.tasks[w + 2] = sh;
      this.tasks[w + 3] = 0;
      nTasks++;
      this.pend[3 * nPend] = L;
      this.pend[3 * nPend + 1] = small;
      this.pend[3 * nPend + 2] = large;
      nPend++;
    }
    if (nTasks > 0) hb.build(this.tasks, nTasks);
    let nOut = 0;
    for (let k = 0; k < nPend; k++) {
      const L = this.pend[3 * k]!;
      const small = this.pend[3 * k + 1]!;
      const large = this.pend[3 * k + 2]!;
      // The larger child's histogram (parent − smaller) only when it will be searched.
      if (this.canSplit(large)) subtractHist(hb.hist(this.nHist[large]!), hb.hist(this.nHist[small]!), 0, hb.histSize);
      for (let c = L; c <= L + 1; c++) {
        if (this.canSplit(c) && this.evaluate(c)) out[nOut++] = c;
        else hb.release(this.nHist[c]!);
      }
    }
    return nOut;
  }

  private growDepthWise(root: number): void {
    let frontier = new Int32Array(1);
    frontier[0] = root;
    let n = 1;
    while (n > 0) {
      const next = new Int32Array(2 * n);
      n = this.expand(frontier, n, next);
      frontier = next;
    }
  }

  private growLeafWise(root: number): void {
    const one = new Int32Array(1);
    const out = new Int32Array(2);
    this.heapLen = 0;
    this.heapPush(root);
    let leaves = 1;
    while (this.heapLen > 0 && leaves < this.p.maxLeaves) {
      one[0] = this.heapPop();
      const k = this.expand(one, 1, out);
      leaves++;
      for (let j = 0; j < k; j++) this.heapPush(out[j]!);
    }
    // Candidates never split stay leaves.
    while (this.heapLen > 0) this.hb.release(this.nHist[this.heapPop()]!);
  }

  /** Max-heap on split gain, ties to the smaller node id (deterministic). */
  private before(a: number, b: number): boolean {
    const ga = this.sGain[a]!;
    const gb = this.sGain[b]!;
    return ga > gb || (ga === gb && a < b);
  }
  private heapPush(node: number): void {
    const h = this.heap;
    let i = this.heapLen++;
    h[i] = node;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(h[i]!, h[parent]!)) break;
      const t = h[i]!;
      h[i] = h[parent]!;
      h[parent] = t;
      i = parent;
    }
  }
  private heapPop(): number {
    const h = this.heap;
    const top = h[0]!;
    const last = h[--this.heapLen]!;
    let i = 0;
    h[0] = last;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.heapLen) break;
      const r = l + 1;
      const c = r < this.heapLen && this.before(h[r]!, h[l]!) ? r : l;
      if (!this.before(h[c]!, h[i]!)) break;
      const t = h[i]!;
      h[i] = h[c]!;
      h[c] = t;
      i = c;
    }
    return top;
  }
}

export interface ClassTreeParams {
  nClasses: number;
  criterion: Criterion;
  /** Infinity for none. */
  maxDepth: number;
  /** Minimum draws (rows counted with their bootstrap multiplicity) per leaf. */
  minSamplesLeaf: number;
  /** Features drawn per node. */
  maxFeatures: number;
}

/**
 * Packed binary class weights: one f64 per row, multiplicity + class-1 multiplicity × 2^26.
 * Sums of up to 2^26 draws stay exact integers, so a single f64 histogram cell carries both the
 * row count and the class-1 count (one add per row and feature instead of two).
 */
export const PACK = 2 ** 26;

/**
 * Search a feature with a class histogram when the node has at least 0.75 rows per bin, else
 * by sorting the node's rows (measured on NSL-KDD: 0.5–1 is fastest; 2 was 10% slower).
 */
function useHist(rows: number, nBins: number): boolean {
  return rows >= 0.75 * (nBins + 1);
}

export class ClassTreeGrower {
  private readonly data: BinnedData;
  private readonly heap: Heap;
  private readonly y: Int32Array;
  private readonly p: ClassTreeParams;
  private readonly K: number;
  private readonly S: number;
  private readonly tb: TreeBuilder;
  /** Class histograms (stride K+1) of the drawn features; packed ones are unpacked into it. */
  private readonly hist: Float64Array;
  /** Packed binary histograms (one f64 per slot), when the caller passes packed weights. */
  private readonly phist: Float64Array;
  /** Three extra copies of one feature's packed histogram (see classPackedSplit). */
  private readonly copies: Float64Array;
  /**
   * Node label of every row (packed mode): a node's rows carry its label, so a sparse column's
   * few non-default entries can be summed for one node without touching its other rows. On a
   * split the larger child keeps the parent's label and only the smaller child's rows are
   * relabelled (O(n log n) per tree).
   */
  private readonly label: Int32Array;
  private nLabel: Int32Array = new Int32Array(0);
  private nextLabel = 0;
  private readonly scratch: Float64Array;
  private readonly best;
  private readonly lut: Uint8Array;
  private readonly partScratch: Uint32Array;
  private readonly keys = new Uint32Array(2 * 257);
  private readonly usable: Int32Array;
  /** Feature draw order, restarted from `usable` for every tree (a tree depends on its seed only). */
  private readonly perm: Int32Array;
  private readonly drawn: Int32Array;
  private readonly histBatch: Int32Array;
  private cap = 0;
  private nBegin: Int32Array = new Int32Array(0);
  private nEnd: Int32Array = new Int32Array(0);
  private nDepth: Int32Array = new Int32Array(0);
  private nTot: Float64Array = new Float64Array(0);
  private stack: Int32Array = new Int32Array(0);
  /** Features known to be constant in a node (found in it or an ancestor): pool segments per node. */
  private nConstAt: Int32Array = new Int32Array(0);
  private nConstLen: Int32Array = new Int32Array(0);
  private constPool: Int32Array = new Int32Array(1024);
  private constTop = 0;
  private readonly isConst: Uint8Array;

  /** Heap bytes a grower allocates (for a worker's arena). */
  static heapBytes(data: BinnedData, nClasses: number, packed: boolean): number {
    return bytesFor(data.totalSlots * (nClasses + 1) * 8, packed ? data.totalSlots * 8 : 0, 3 * 257 * 8, packed ? 4 * data.nRows : 0, 256, 4 * data.nRows);
  }

  /** `data` and `y` live in `heap`; `packed`: binary classes, weights given packed (see PACK). */
  constructor(data: BinnedData, y: Int32Array, params: ClassTreeParams, heap: Heap, packed: boolean) {
    this.data = data;
    this.heap = heap;
    this.y = y;
    this.p = params;
    this.K = params.nClasses;
    this.S = this.K + 1;
    this.tb = new TreeBuilder(this.K, 256);
    this.hist = heap.f64(data.totalSlots * this.S);
    this.phist = packed ? heap.f64(data.totalSlots) : new Float64Array(0);
    this.copies = heap.f64(3 * 257);
    this.label = packed ? heap.i32(data.nRows) : new Int32Array(0);
    this.lut = heap.u8(256);
    this.partScratch = heap.u32(data.nRows);
    this.scratch = classScratch(this.K);
    this.best = newBestSplit(this.S);
    const usable: number[] = [];
    for (let f = 0; f < data.nFeatures; f++) if (data.usable[f]) usable.push(f);
    this.usable = Int32Array.from(usable);
    this.perm = Int32Array.from(usable);
    this.drawn = new Int32Array(usable.length);
    this.histBatch = new Int32Array(usable.length);
    this.isConst = new Uint8Array(data.nFeatures);
    this.ensure(256);
  }

  // written out by hand like GradTreeGrower.ensure: each grower's per-node arrays are plain typed-array fields that its hot loops read directly
  private ensure(n: number): void {
    if (n <= this.cap) return;
    const c = Math.max(n, this.cap * 2);
    this.nBegin = growI32(this.nBegin, c);
    this.nEnd = growI32(this.nEnd, c);
    this.nDepth = growI32(this.nDepth, c);
    this.nTot = growF64(this.nTot, c * this.S);
    this.stack = growI32(this.stack, c);
    this.nConstAt = growI32(this.nConstAt, c);
    this.nConstLen = growI32(this.nConstLen, c);
    this.nLabel = growI32(this.nLabel, c);
    this.cap = c;
  }

  /** A new node whose totals are `sign`·tot[at..at+S) (+ base[baseAt..] when given). */
  private newNode(begin: number, end: number, depth: number, tot: Float64Array, at: number, sign: number, base: Float64Array | null, baseAt: number): number {
    const S = this.S;
    const K = this.K;
    let w = 0;
    const i = this.tb.nNodes;
    this.ensure(i + 1);
    for (let s = 0; s < S; s++) {
      const v = base ? base[baseAt + s]! + sign * tot[at + s]! : tot[at + s]!;
      this.nTot[i * S + s] = v;
      if (s < K) w += v;
    }
    this.tb.addNode(w);
    this.nBegin[i] = begin;
    this.nEnd[i] = end;
    this.nDepth[i] = depth;
    this.nConstAt[i] = 0;
    this.nConstLen[i] = 0;
    return i;
  }

  /**
   * Grow one tree on rows idx[0..n) (ascending, rows with weight > 0) with class weights `w`
   * (bootstrap multiplicity × sample weight) and draws `m` (multiplicity), or packed weights
   * `pk` (binary, no sample weights); `rng` draws the features per node. Arrays live in the heap.
   *
   * Per node, features are drawn without replacement until `maxFeatures` non-constant ones have
   * been searched (scikit-learn's rule). A drawn feature is searched with a class histogram
   * (built feature-major from the Uint8 bins; only drawn features are built) when the node has
   * many rows for its bins, or by sorting the node's rows by bin when it has few. Features
   * found constant in a node are remembered for its subtree and skipped there without cost
   * (scikit-learn's "known constant features").
   */
  grow(w: Float32Array, m: Float32Array, pk: Float64Array | null, idx: Uint32Array, n: number, rng: Random): FlatTree {
    const { data, y, p, K, S, tb, hist, best } = this;
    const k = this.heap.k;
    tb.reset();
    const tot0 = new Float64Array(S);
    for (let i = 0; i < n; i++) {
      const r = idx[i]!;
      tot0[y[r]!] += w[r]!;
      tot0[K] += m[r]!;
    }
    const root = this.newNode(0, n, 0, tot0, 0, 1, null, 0);
    if (pk) {
      this.label.fill(-1);
      k.relabel(idx.byteOffset, 0, n, this.label.byteOffset, 0);
      this.nLabel[root] = 0;
      this.nextLabel = 1;
    }
    this.constTop = 0;
    this.perm.set(this.usable);
    const isConst = this.isConst;
    let sp = 0;
    this.stack[sp++] = root;
    const perm = this.perm;
    const nU = perm.length;
    const mtry = Math.min(p.maxFeatures, nU);
    const nBins = data.mapper.nBins;
    const binsAt = data.bins.byteOffset;
    const nRows = data.nRows;
    while (sp > 0) {
      const node = this.stack[--sp]!;
      const begin = this.nBegin[node]!;
      const end = this.nEnd[node]!;
      const rows = end - begin;
      const tot = this.nTot;
      const to = node * S;
      const W = tb.cover[node]!;
      let nonZero = 0;
      for (let c = 0; c < K; c++) if (tot[to + c]! > 0) nonZero++;
      for (let c = 0; c < K; c++) tb.value[node * K + c] = W > 0 ? tot[to + c]! / W : 1 / K;
      const count = tot[to + K]!;
      if (nonZero <= 1 || count < 2 || count < 2 * p.minSamplesLeaf || this.nDepth[node]! >= p.maxDepth) continue;

      const totView = tot.subarray(to, to + S);
      const parentImp = weightedImpurity(tot, to, K, p.criterion);
      resetBestSplit(best, -Infinity);
      // This node's constant list: the inherited one, extended below by features found constant.
      const inheritedAt = this.nConstAt[node]!;
      const inheritedLen = this.nConstLen[node]!;
      this.reserveConst(inheritedLen + nU);
      const constAt = this.constTop;
      let constLen = inheritedLen;
      const pool = this.constPool;
      pool.copyWithin(constAt, inheritedAt, inheritedAt + inheritedLen);
      for (let q = 0; q < inheritedLen; q++) isConst[pool[constAt + q]!] = 1;
      let visited = 0;
      let pos = 0;
      while (visited < mtry && pos < nU) {
        let nh = 0;
        let nDrawn = 0;
        for (let q = visited; q < mtry && pos < nU; ) {
          const j = pos + rng.int(nU - pos);
          const f = perm[j]!;
          perm[j] = perm[pos]!;
          perm[pos++] = f;
          if (isConst[f]) continue;
          q++;
          this.drawn[nDrawn++] = f;
          if (useHist(rows, nBins[f]!)) this.histBatch[nh++] = f;
        }
        if (nh > 0) this.buildHist(nh, idx, begin, end, w, m, pk, binsAt, nRows, node);
        for (let q = 0; q < nDrawn; q++) {
          const f = this.drawn[q]!;
          const searched =
            !useHist(rows, nBins[f]!)
              ? classSortedSplit(data, f, idx, begin, end, y, w, m, totView, parentImp, p, this.keys, this.scratch, best)
              : pk
                ? packedFeatureSplit(data, f, this.phist, PACK, totView, parentImp, p, best)
                : classFeatureSplit(data, f, hist, totView, parentImp, p, this.scratch, best, false);
          if (searched) visited++;
          else {
            isConst[f] = 1;
            pool[constAt + constLen++] = f;
          }
        }
      }
      for (let q = 0; q < constLen; q++) isConst[pool[constAt + q]!] = 0;
      if (best.feature < 0) continue;
      this.constTop = constAt + constLen;
      const f = best.feature;
      goLeftTable(data, f, best.bin, best.defaultLeft, this.lut);
      const mid = k.partition(binsAt + f * nRows, this.lut.byteOffset, idx.byteOffset, begin, end, this.partScratch.byteOffset);
      const depth = this.nDepth[node]! + 1;
      const L = this.newNode(begin, mid, depth, best.left, 0, 1, null, 0);
      const R = this.newNode(mid, end, depth, best.left, 0, -1, this.nTot, to);
      if (pk) {
        // the larger child keeps the parent's label; the smaller one's rows get a new one
        const small = mid - begin <= end - mid ? L : R;
        const fresh = this.nextLabel++;
        this.nLabel[small === L ? R : L] = this.nLabel[node]!;
        this.nLabel[small] = fresh;
        k.relabel(idx.byteOffset, this.nBegin[small]!, this.nEnd[small]!, this.label.byteOffset, fresh);
      }
      const nb = nBins[f]!;
      const threshold = best.bin < nb - 1 ? data.mapper.edges[f]![best.bin]! : Infinity;
      tb.setSplit(node, f, threshold, best.defaultLeft, L, R, Math.max(0, best.gain));
      this.nConstAt[L] = constAt;
      this.nConstLen[L] = constLen;
      this.nConstAt[R] = constAt;
      this.nConstLen[R] = constLen;
      this.stack[sp++] = R;
      this.stack[sp++] = L;
    }
    return tb.finish();
  }

  /** Class histograms of histBatch[0..nh) over idx[begin..end) (WebAssembly kernels, 4 columns per pass). */
  private buildHist(
    nh: number,
    idx: Uint32Array,
    begin: number,
    end: number,
    w: Float32Array,
    m: Float32Array,
    pk: Float64Array | null,
    binsAt: number,
    nRows: number,
    node: number,
  ): void {
    const { data, hist, S, K } = this;
    const k = this.heap.k;
    const so = data.slotOffset;
    const batch = this.histBatch;
    const ix = idx.byteOffset;
    if (pk) {
      const ph = this.phist;
      const h = ph.byteOffset;
      // Sparse columns with fewer non-default entries than the node has rows: summed from their
      // entries for this node's label; the default bin is the node total minus the others.
      const colPtr = data.colPtr;
      const rows = end - begin;
      let nd = 0;
      for (let q = 0; q < nh; q++) {
        const f = batch[q]!;
        const cnt = colPtr[f + 1]! - colPtr[f]!;
        if (cnt === 0 || cnt >= rows) {
          batch[nd++] = f;
          continue;
        }
        this.sparseColumn(f, cnt, pk, node);
      }
      nh = nd;
      for (let q = 0; q < nh; q++) ph.fill(0, so[batch[q]!]!, so[batch[q]! + 1]!);
      let q = 0;
      for (; q + 4 <= nh; q += 4) {
        const f0 = batch[q]!;
        const f1 = batch[q + 1]!;
        const f2 = batch[q + 2]!;
        const f3 = batch[q + 3]!;
        k.classPacked4(binsAt + f0 * nRows, binsAt + f1 * nRows, binsAt + f2 * nRows, binsAt + f3 * nRows, h + so[f0]! * 8, h + so[f1]! * 8, h + so[f2]! * 8, h + so[f3]! * 8, ix, begin, end, pk.byteOffset);
      }
      // Leftover columns: rows spread over 4 copies (independent add chains), then summed.
      const cp = this.copies;
      for (; q < nh; q++) {
        const f = batch[q]!;
        const nb1 = so[f + 1]! - so[f]!;
        for (let c = 0; c < 3; c++) cp.fill(0, c * 257, c * 257 + nb1);
        const c0 = cp.byteOffset;
        k.classPackedSplit(binsAt + f * nRows, h + so[f]! * 8, c0, c0 + 257 * 8, c0 + 514 * 8, ix, begin, end, pk.byteOffset);
        for (let b = 0; b < nb1; b++) ph[so[f]! + b] += cp[b]! + cp[257 + b]! + cp[514 + b]!;
      }
      return;
    }
    const h = hist.byteOffset;
    for (let q = 0; q < nh; q++) hist.fill(0, so[batch[q]!]! * S, so[batch[q]! + 1]! * S);
    const yy = this.y.byteOffset;
    let q = 0;
    for (; q + 4 <= nh; q += 4) {
      const f0 = batch[q]!;
      const f1 = batch[q + 1]!;
      const f2 = batch[q + 2]!;
      const f3 = batch[q + 3]!;
      k.classHist4(binsAt + f0 * nRows, binsAt + f1 * nRows, binsAt + f2 * nRows, binsAt + f3 * nRows, h + so[f0]! * S * 8, h + so[f1]! * S * 8, h + so[f2]! * S * 8, h + so[f3]! * S * 8, ix, begin, end, yy, w.byteOffset, m.byteOffset, K);
    }
    for (; q < nh; q++) k.classHist1(binsAt + batch[q]! * nRows, h + so[batch[q]!]! * S * 8, ix, begin, end, yy, w.byteOffset, m.byteOffset, K);
  }

  /** Packed histogram of sparse column f for the node, from its `cnt` non-default entries (see buildHist). */
  private sparseColumn(f: number, cnt: number, pk: Float64Array, node: number): void {
    const { data } = this;
    const k = this.heap.k;
    const ph = this.phist;
    const so = data.slotOffset[f]!;
    const end = data.slotOffset[f + 1]!;
    const d = data.defaultBin[f]!;
    const at = data.colPtr[f]!;
    const rowsAt = data.colRows.byteOffset + 4 * at;
    const target = this.nLabel[node]!;
    ph.fill(0, so, end);
    if (data.mapper.nBins[f] === 2 && !data.mapper.hasMissing[f]) {
      ph[so + 1 - d] = k.packedLabelSum(rowsAt, cnt, this.label.byteOffset, target, pk.byteOffset);
    } else {
      k.classPackedSparse(rowsAt, data.colBins.byteOffset + at, cnt, this.label.byteOffset, target, pk.byteOffset, ph.byteOffset + 8 * so);
    }
    const tot = this.nTot;
    let rest = tot[node * this.S + this.K]! + tot[node * this.S + 1]! * PACK;
    for (let s = so; s < end; s++) if (s !== so + d) rest -= ph[s]!;
    ph[so + d] = rest;
  }

  private reserveConst(extra: number): void {
    if (this.constTop + extra <= this.constPool.length) return;
    const b = new Int32Array(Math.max(this.constPool.length * 2, this.constTop + extra));
    b.set(this.constPool.subarray(0, this.constTop));
    this.constPool = b;
  }
}
