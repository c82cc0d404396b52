/**
 * Flat predictor: a tree ensemble packed into one set of typed arrays (all trees' nodes
 * concatenated, child indices global) and evaluated over a row-major Float32Array.
 * Batch prediction takes a group of rows at a time through every tree (a few rows' values stay
 * in L1 while every tree reads them, see predictChunk) and allocates nothing per row; `rawRow`
 * is the single-record path.
 *
 * raw[o] = baseScore[o] + scale × Σ_t leaf_t[o]; a tree with treeOutput = c adds to output c
 * only (boosting), treeOutput = -1 adds its whole leaf vector (forests).
 */
import type { FlatTree, TreeEnsemble } from './types.js';
import { nadirError } from '../errors.js';
import { getWorkers } from './parallel/pool.js';
import { Heap } from './heap.js';
import { COMPLETE_MAX_DEPTH, GROUP_ROWS, type Kernels } from './wasm/kernels.js';
import type { WasmMemory } from './wasm/runtime.js';

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
  /** The complete-tree layout of the batch kernel, or null when the model does not fit it (see completeLayout). */
  private completeAt: CompleteLayout | null | undefined;
  /** The model, for the complete layout (built on the first batch call: single rows never need it). */
  private readonly ens: TreeEnsemble;
  private wasm: WasmPredictor | null = null;
  /** Which batch kernel this model uses: 'complete' (boosting models, see completeLayout) or 'general'. */
  get kernel(): 'complete' | 'general' {
    return this.complete ? 'complete' : 'general';
  }

  private get complete(): CompleteLayout | null {
    if (this.completeAt === undefined) this.completeAt = completeLayout(this.ens);
    return this.completeAt;
  }

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
    this.ens = ens;
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
   * nRows × nOutputs. Rows are copied CHUNK_ROWS at a time into the model's WebAssembly heap
   * and go through the trees in groups (see predictChunk). With nThreads > 1, large batches are
   * shared with pool workers (see rawParallel); the result is the same.
   */
  raw(X: Float32Array, nRows: number, nCols: number, out?: Float64Array, nThreads = 1): Float64Array {
    const K = this.nOutputs;
    const res = out ?? new Float64Array(nRows * K);
    // The complete-tree kernel takes any number of rows (the last group is padded); the general
    // one takes multiples of 4 and leaves the rest to rawRow. A single row is faster alone, on
    // rawRow (which also gives a model without trees its base scores).
    const nk = nRows < 2 || this.nTrees === 0 ? 0 : this.complete ? nRows : nRows - (nRows % 4);
    if (nk > 0) {
      const w = this.wasmFor(nCols);
      const base = this.base;
      const scale = this.scale;
      const rowBytes = nCols * 4;
      const groupMajor = this.complete !== null && K > 1;
      if (nThreads > 1 && nk >= PARALLEL_MIN_ROWS) {
        this.rawParallel(w, X, nk, nCols, nThreads, res);
      } else {
        for (let r0 = 0; r0 < nk; r0 += CHUNK_ROWS) {
          const rows = Math.min(CHUNK_ROWS, nk - r0);
          w.stage.set(X.subarray(r0 * nCols, (r0 + rows) * nCols));
          w.res.fill(0, 0, roundUp(rows, GROUP_ROWS) * K);
          predictChunk(w.k, w.model, w.stage.byteOffset, rowBytes, rows, w.res.byteOffset, K, w.scratch.byteOffset);
          finish(w.res, rows, K, groupMajor, base, scale, res, r0 * K);
        }
      }
    }
    for (let r = nk; r < nRows; r++) this.rawRow(X, r * nCols, res, r * K);
    return res;
  }

  /**
   * nk rows on the main thread and nThreads-1 pool workers, synchronously, into res. The rows go
   * through the model's shared heap a slice (SLICE_CHUNKS chunks) at a time, in two alternating
   * slice buffers: while the threads work on one slice the main thread copies the next one in,
   * and the heap holds at most two slices whatever the batch size. Every thread takes chunks
   * (compare-and-swap on a state word that also carries this call's token, so a worker that
   * picks up the message late can never take a chunk of a later call) below the published limit;
   * workers wait for the next slice, the main thread copies slices in and results out between its
   * chunks. Each thread stages its chunks in its own scratch slot (the main thread's is 0). If no
   * worker is free the main thread does every chunk.
   */
  private rawParallel(w: WasmPredictor, X: Float32Array, nk: number, nCols: number, nThreads: number, res: Float64Array): void {
    const K = this.nOutputs;
    const heap = w.heap;
    const chunk = PARALLEL_CHUNK;
    const nChunks = Math.ceil(nk / chunk);
    const sliceRows = Math.min(SLICE_CHUNKS * chunk, roundUp(nk, GROUP_ROWS));
    if (w.xbuf.length < 2 * sliceRows * nCols) w.xbuf = heap.f32(2 * sliceRows * nCols);
    if (w.rbuf.length < 2 * sliceRows * K) w.rbuf = heap.f64(2 * sliceRows * K);
    if (w.slots < nThreads) {
      w.pscratch = heap.u8(nThreads * w.scratchBytes);
      w.slots = nThreads;
    }
    const { xbuf, rbuf, ctrl } = w;
    const nSlices = Math.ceil(nChunks / SLICE_CHUNKS);
    const firstRow = (s: number): number => s * SLICE_CHUNKS * chunk;
    const rowsOf = (s: number): number => Math.min(nk, firstRow(s + 1)) - firstRow(s);
    const chunksOf = (s: number): number => Math.min(nChunks, (s + 1) * SLICE_CHUNKS) - s * SLICE_CHUNKS;
    const stage = (s: number): void => {
      const b = s & 1;
      const r0 = firstRow(s);
      const n = rowsOf(s);
      xbuf.set(X.subarray(r0 * nCols, (r0 + n) * nCols), b * sliceRows * nCols);
      rbuf.fill(0, b * sliceRows * K, (b * sliceRows + roundUp(n, GROUP_ROWS)) * K);
      Atomics.store(ctrl, PCTRL.DONE + b, 0);
      Atomics.store(ctrl, PCTRL.LIMIT, s * SLICE_CHUNKS + chunksOf(s));
      Atomics.notify(ctrl, PCTRL.LIMIT);
    };
    const groupMajor = this.complete !== null && K > 1;
    const token = (w.token = (w.token + 1) & TOKEN_MASK);
    Atomics.store(ctrl, PCTRL.ERROR, 0);
    Atomics.store(ctrl, PCTRL.STATE, token << TOKEN_SHIFT);
    stage(0);
    const job: PredictJob = {
      memory: heap.memory,
      model: w.model,
      X: xbuf.byteOffset,
      rowBytes: nCols * 4,
      rows: nk,
      chunk,
      sliceRows,
      res: rbuf.byteOffset,
      K,
      scratch: w.pscratch.byteOffset,
      ctrl,
      token,
    };
    getWorkers(nThreads - 1).forEach((worker, i) => {
      const scratch = job.scratch + (i + 1) * w.scratchBytes;
      worker.run('predict', { ...job, scratch } as unknown as Record<string, unknown>).catch(() => {});
    });
    let staged = 1;
    let finished = 0;
    const start = Date.now();
    try {
      while (finished < nSlices) {
        // Copy the next slice in as soon as its buffer is free (the slice before it was copied out).
        if (staged < nSlices && staged - finished < 2) stage(staged++);
        const b = finished & 1;
        const done = Atomics.load(ctrl, PCTRL.DONE + b);
        if (done >= chunksOf(finished)) {
          finish(rbuf.subarray(b * sliceRows * K), rowsOf(finished), K, groupMajor, this.base, this.scale, res, firstRow(finished) * K);
          finished++;
          continue;
        }
        if (takeChunk(heap.k, job)) continue;
        if (Atomics.load(ctrl, PCTRL.ERROR) !== 0) throw nadirError('NADIR_ERR_INTERNAL', 'a prediction worker failed');
        if (Date.now() - start > 120_000) throw nadirError('NADIR_ERR_INTERNAL', 'prediction workers stopped responding');
        Atomics.wait(ctrl, PCTRL.DONE + b, done, 50);
      }
    } finally {
      // The call is over: waiting workers see another token and return.
      Atomics.store(ctrl, PCTRL.STATE, ((token + 1) & TOKEN_MASK) << TOKEN_SHIFT);
      Atomics.store(ctrl, PCTRL.LIMIT, 0);
      Atomics.notify(ctrl, PCTRL.LIMIT);
    }
  }

  /** Node records for the general kernels: 16 bytes each, [code, child, threshold (f32 bits), leafAt]. */
  private records(heap: Heap): number {
    const n = this.thr.length;
    const recs = heap.i32(4 * n);
    const asF32 = new Float32Array(recs.buffer, recs.byteOffset, 4 * n);
    for (let i = 0; i < n; i++) {
      recs[4 * i] = this.nodes[2 * i]!;
      recs[4 * i + 1] = this.nodes[2 * i + 1]!;
      asF32[4 * i + 2] = this.thr[i]!;
      recs[4 * i + 3] = this.leafAt[i]!;
    }
    return recs.byteOffset;
  }

  /** The complete-tree layout copied into a heap, with absolute addresses in the tree descriptors. */
  private completePtrs(heap: Heap, c: CompleteLayout): CompletePtrs {
    const recs = heap.i32(c.recs.length);
    recs.set(c.recs);
    const leaves = heap.f64(c.leaves.length);
    leaves.set(c.leaves);
    const cols = heap.i32(c.cols.length);
    for (let k = 0; k < c.cols.length; k++) cols[k] = 4 * c.cols[k]!;
    const nT = c.trees.length / 4;
    const trees = heap.i32(4 * nT);
    for (let t = 0; t < nT; t++) {
      const d = c.trees[4 * t + 1]!;
      // node n (1-based) at nb + 8n; leaf n ∈ [2^d, 2^(d+1)) at lb + 8n
      trees[4 * t] = recs.byteOffset + 8 * (c.trees[4 * t]! - 1);
      trees[4 * t + 1] = d;
      trees[4 * t + 2] = leaves.byteOffset + 8 * (c.trees[4 * t + 2]! - 2 ** d);
      trees[4 * t + 3] = 8 * GROUP_ROWS * c.trees[4 * t + 3]!;
    }
    return { trees: trees.byteOffset, cols: cols.byteOffset, nKeep: c.nKeep, U: c.cols.length };
  }

  /** The model copied into a WebAssembly heap, with a staging area for CHUNK_ROWS rows of nCols columns. */
  private wasmFor(nCols: number): WasmPredictor {
    if (this.wasm && this.wasm.nCols === nCols) return this.wasm;
    const rows = CHUNK_ROWS;
    const K = this.nOutputs;
    const c = this.complete;
    const scratchBytes = c ? (rows / GROUP_ROWS) * c.cols.length * 4 * GROUP_ROWS : 0;
    const completeBytes = c ? c.recs.length * 4 + c.leaves.length * 8 + c.cols.length * 4 + c.trees.length * 4 + scratchBytes : 0;
    const heap = this.wasm?.heap ?? Heap.create(this.nodes.length * 8 + this.thr.length * 8 + this.val.length * 8 + rows * (nCols * 4 + K * 8) + completeBytes + 4096);
    const copy = <T extends Int32Array | Float32Array | Float64Array>(a: T, make: (n: number) => T): number => {
      const v = make(a.length);
      v.set(a);
      return v.byteOffset;
    };
    const i32 = (n: number): Int32Array => heap.i32(n);
    const model: ModelPtrs = this.wasm?.model ?? {
      recs: this.records(heap),
      val: copy(this.val, (n) => heap.f64(n)),
      roots: copy(this.roots, i32),
      treeOut: copy(this.treeOut, i32),
      nTrees: this.nTrees,
      complete: c ? this.completePtrs(heap, c) : null,
    };
    this.wasm = {
      heap,
      k: heap.k,
      nCols,
      model,
      stage: heap.f32(rows * nCols),
      res: heap.f64(rows * K),
      scratch: this.wasm?.scratch ?? heap.u8(Math.max(16, scratchBytes)),
      scratchBytes: Math.max(16, scratchBytes),
      xbuf: this.wasm?.xbuf ?? new Float32Array(0),
      rbuf: this.wasm?.rbuf ?? new Float64Array(0),
      pscratch: this.wasm?.pscratch ?? new Uint8Array(0),
      slots: this.wasm?.slots ?? 0,
      ctrl: this.wasm?.ctrl ?? heap.i32(8),
      token: this.wasm?.token ?? 0,
    };
    return this.wasm;
  }
}

/**
 * The batch kernel's layout of a boosting model (every tree adds to one output): each tree
 * padded to a complete binary tree of its depth in heap order (node n has children 2n, 2n+1),
 * so a step is n = 2n + (x > thr) with no child pointer and no leaf test, and a row takes
 * exactly `depth` steps. A leaf above the bottom level gets padding nodes under it that send
 * every row left (threshold +∞) and its value in every leaf below it.
 *
 * Missing values: the kernel reads columns staged per group (predictStage). A split whose
 * missing values go left reads the column as is (NaN > thr is false); one whose missing values
 * go right reads a copy of the column with NaN replaced by +∞ (+∞ > thr is true for a finite
 * threshold). So the staged columns are the model's (feature, missing-goes-right) pairs.
 *
 * null (the general kernels are used) when a tree adds a vector (forests) or is deeper than
 * COMPLETE_MAX_DEPTH, when padding would make the model more than COMPLETE_MAX_GROWTH times
 * its number of nodes (deep, lopsided trees), when a missing-goes-right split has threshold
 * +∞ or NaN (+∞ > thr is false there, so it cannot be read from the +∞ copy), or when no tree
 * splits at all (every tree a single leaf: no column to stage, and a staged group of zero bytes
 * would end the kernel's group loop before the first group).
 */
export function completeLayout(ens: TreeEnsemble): CompleteLayout | null {
  const nT = ens.trees.length;
  const depths = new Int32Array(nT);
  const colOf = new Map<number, number>();
  let nPadded = 0;
  let nNodes = 0;
  for (let t = 0; t < nT; t++) {
    const tr = ens.trees[t]!;
    if (ens.treeOutput[t]! < 0) return null;
    const depth = new Int32Array(tr.nNodes);
    let d = 0;
    const stack = [0];
    while (stack.length > 0) {
      const i = stack.pop()!;
      if (depth[i]! > d) d = depth[i]!;
      const f = tr.feature[i]!;
      if (f < 0) continue;
      const thr = tr.threshold[i]!;
      const right = !tr.defaultLeft[i];
      if (right && !(thr < Infinity)) return null;
      colOf.set(2 * f + (right ? 1 : 0), 0);
      depth[tr.left[i]!] = depth[i]! + 1;
      depth[tr.right[i]!] = depth[i]! + 1;
      stack.push(tr.left[i]!, tr.right[i]!);
    }
    if (d > COMPLETE_MAX_DEPTH) return null;
    depths[t] = d;
    nPadded += 2 ** d;
    nNodes += tr.nNodes;
  }
  if (2 * nPadded > COMPLETE_MAX_GROWTH * nNodes + 128 * nT || colOf.size === 0) return null;
  // Columns: the features read as is (missing goes left), then the +∞ copies, each ascending.
  const keys = [...colOf.keys()].sort((a, b) => (a & 1) - (b & 1) || a - b);
  keys.forEach((key, k) => colOf.set(key, k));
  const nKeep = keys.filter((key) => (key & 1) === 0).length;
  const cols = Int32Array.from(keys, (key) => key >> 1);
  const recs = new Int32Array(2 * nPadded);
  const thrs = new Float32Array(recs.buffer);
  const leaves = new Float64Array(nPadded);
  const trees = new Int32Array(4 * nT);
  let at = 0;
  for (let t = 0; t < nT; t++) {
    const tr = ens.trees[t]!;
    const out = ens.treeOutput[t]!;
    const d = depths[t]!;
    trees[4 * t] = at;
    trees[4 * t + 1] = d;
    trees[4 * t + 2] = at;
    trees[4 * t + 3] = out;
    // node n (1-based) is record at + n - 1; leaf n is leaves[at + n - 2^d]
    const fill = (i: number, n: number, level: number): void => {
      const f = tr.feature[i]!;
      if (f >= 0) {
        recs[2 * (at + n - 1)] = 32 * colOf.get(2 * f + (tr.defaultLeft[i] ? 0 : 1))!;
        thrs[2 * (at + n - 1) + 1] = tr.threshold[i]!;
        fill(tr.left[i]!, 2 * n, level + 1);
        fill(tr.right[i]!, 2 * n + 1, level + 1);
        return;
      }
      for (let l = level, first = n, count = 1; l < d; l++, first *= 2, count *= 2) {
        for (let m = first; m < first + count; m++) {
          recs[2 * (at + m - 1)] = 0;
          thrs[2 * (at + m - 1) + 1] = Infinity;
        }
      }
      const v = tr.value[i * tr.nOutputs + (tr.nOutputs === 1 ? 0 : out)]!;
      const span = 2 ** (d - level);
      leaves.fill(v, at + n * span - 2 ** d, at + (n + 1) * span - 2 ** d);
    };
    fill(0, 1, 0);
    at += 2 ** d;
  }
  return { cols, nKeep, recs, leaves, trees };
}

/** See completeLayout. Node and leaf offsets are relative to the start of recs / leaves. */
export interface CompleteLayout {
  /** Feature of each staged column. */
  cols: Int32Array;
  /** Columns [0, nKeep) are read as is, the others with NaN → +∞. */
  nKeep: number;
  /** Two i32 per node: [column · 32, threshold (f32 bits)]; tree t's 2^d − 1 nodes from trees[4t]. */
  recs: Int32Array;
  /** Tree t's 2^d leaf values from trees[4t + 2]. */
  leaves: Float64Array;
  /** Four i32 per tree: [first node, depth d, first leaf, output]. */
  trees: Int32Array;
}

const COMPLETE_MAX_GROWTH = 8;

/** Byte offsets of a packed model in a heap, and its tree count. */
export interface ModelPtrs {
  recs: number;
  val: number;
  roots: number;
  treeOut: number;
  nTrees: number;
  /** The complete-tree layout (predictComplete), when the model has one. */
  complete: CompletePtrs | null;
}

/** A complete-tree model in a heap: tree descriptors and the staged columns' byte offsets in a row. */
export interface CompletePtrs {
  trees: number;
  cols: number;
  nKeep: number;
  U: number;
}

interface WasmPredictor {
  heap: Heap;
  k: Kernels;
  nCols: number;
  model: ModelPtrs;
  stage: Float32Array;
  res: Float64Array;
  /** Staged groups of one chunk (complete-tree kernel), scratchBytes long. */
  scratch: Uint8Array;
  scratchBytes: number;
  /** Parallel batches: all rows, their outputs, one scratch per thread (slots of them), the control block, the call token. */
  xbuf: Float32Array;
  rbuf: Float64Array;
  pscratch: Uint8Array;
  slots: number;
  ctrl: Int32Array;
  token: number;
}

/** Rows per staged chunk of single-thread calls (a multiple of GROUP_ROWS). */
const CHUNK_ROWS = 1024;
/** Batches of at least this many rows are predicted on several threads (when asked). */
const PARALLEL_MIN_ROWS = 4096;
/** Rows per chunk of parallel calls (≤ CHUNK_ROWS, a multiple of GROUP_ROWS): small, so no thread waits long for another's last chunk. */
const PARALLEL_CHUNK = 256;
/** Chunks per slice of parallel calls (see rawParallel). */
const SLICE_CHUNKS = 16;
const TOKEN_SHIFT = 20;
const TOKEN_MASK = 0x7ff;
/** Control words of parallel calls: [token | next chunk, chunks published, error, chunks done in slice buffer 0, … 1]. */
const PCTRL = { STATE: 0, LIMIT: 1, ERROR: 2, DONE: 3 } as const;

/**
 * out[at + r·K + o] = base[o] + scale · sum of row r, output o, for rows [0, rows) of `sums`:
 * row-major, or group-major (the complete-tree kernel with K > 1: row j of group g, output o at
 * g·8K + 8o + j).
 */
function finish(sums: Float64Array, rows: number, K: number, groupMajor: boolean, base: Float64Array, scale: number, out: Float64Array, at: number): void {
  if (K === 1) {
    const b = base[0]!;
    for (let r = 0; r < rows; r++) out[at + r] = b + scale * sums[r]!;
  } else if (!groupMajor) {
    for (let i = 0; i < rows * K; i++) out[at + i] = base[i % K]! + scale * sums[i]!;
  } else {
    for (let r = 0; r < rows; r++) {
      const g = (r - (r % GROUP_ROWS)) * K + (r % GROUP_ROWS);
      for (let o = 0; o < K; o++) out[at + r * K + o] = base[o]! + scale * sums[g + GROUP_ROWS * o]!;
    }
  }
}

function roundUp(n: number, m: number): number {
  return Math.ceil(n / m) * m;
}

/** A parallel prediction call as a worker sees it (see EnsemblePredictor.rawParallel). */
export interface PredictJob {
  memory: WasmMemory;
  model: ModelPtrs;
  X: number;
  rowBytes: number;
  rows: number;
  chunk: number;
  /** Rows per slice buffer; X and res hold two. */
  sliceRows: number;
  res: number;
  K: number;
  /** This thread's staging area (the complete-tree kernel). */
  scratch: number;
  ctrl: Int32Array;
  token: number;
}

/**
 * Raw sums (no base score, no scale) of `rows` rows at byte offset X into res (zeroed by the
 * caller). Complete-tree models: the rows are staged in groups at `scratch` (predictStage) and
 * go through the trees GROUP_ROWS at a time (predictComplete); res is group-major (see finish)
 * and needs room for the padded last group. Other
 * models: rows must be a multiple of 4, going through each tree 8 (or 4) at a time (predict8 /
 * predict4: branch-free steps over 16-byte node records until all rows have reached a leaf).
 */
export function predictChunk(k: Kernels, m: ModelPtrs, X: number, rowBytes: number, rows: number, res: number, K: number, scratch: number): void {
  const c = m.complete;
  if (c) {
    k.predictStage(X, rows, rowBytes, c.cols, c.nKeep, c.U, scratch);
    k.predictComplete(c.trees, 0, m.nTrees, scratch, Math.ceil(rows / GROUP_ROWS), c.U * 4 * GROUP_ROWS, res, 8 * GROUP_ROWS * K);
    return;
  }
  let g = 0;
  for (; g + 8 <= rows; g += 8) k.predict8(m.recs, m.val, m.roots, m.treeOut, m.nTrees, X + g * rowBytes, rowBytes, res + g * K * 8, K);
  for (; g < rows; g += 4) k.predict4(m.recs, m.val, m.roots, m.treeOut, m.nTrees, X + g * rowBytes, rowBytes, res + g * K * 8, K);
}

/**
 * Take one chunk of a parallel prediction call below the published limit and predict it; false
 * when there is none (all taken, none published yet, or the call is over).
 */
function takeChunk(k: Kernels, j: PredictJob): boolean {
  const ctrl = j.ctrl;
  for (;;) {
    const s = Atomics.load(ctrl, PCTRL.STATE);
    if (s >>> TOKEN_SHIFT !== j.token) return false;
    const c = s & ((1 << TOKEN_SHIFT) - 1);
    if (c >= Atomics.load(ctrl, PCTRL.LIMIT)) return false;
    if (Atomics.compareExchange(ctrl, PCTRL.STATE, s, s + 1) !== s) continue;
    // Chunk c is in slice ⌊c / SLICE_CHUNKS⌋, whose buffer stays put until its chunks are done.
    const slice = Math.floor(c / SLICE_CHUNKS);
    const b = slice & 1;
    const r0 = c * j.chunk;
    const at = b * j.sliceRows + r0 - slice * SLICE_CHUNKS * j.chunk;
    predictChunk(k, j.model, j.X + at * j.rowBytes, j.rowBytes, Math.min(j.chunk, j.rows - r0), j.res + at * j.K * 8, j.K, j.scratch);
    Atomics.add(ctrl, PCTRL.DONE + b, 1);
    Atomics.notify(ctrl, PCTRL.DONE + b);
    return true;
  }
}

/** A worker's part of a parallel prediction call: take chunks, wait for the next slice, until the call is over. */
export function runPredictChunks(k: Kernels, j: PredictJob): void {
  const ctrl = j.ctrl;
  const nChunks = Math.ceil(j.rows / j.chunk);
  try {
    for (;;) {
      if (takeChunk(k, j)) continue;
      const s = Atomics.load(ctrl, PCTRL.STATE);
      if (s >>> TOKEN_SHIFT !== j.token || (s & ((1 << TOKEN_SHIFT) - 1)) >= nChunks) return;
      const limit = Atomics.load(ctrl, PCTRL.LIMIT);
      if ((s & ((1 << TOKEN_SHIFT) - 1)) >= limit) Atomics.wait(ctrl, PCTRL.LIMIT, limit, 50);
    }
  } catch (e) {
    Atomics.store(ctrl, PCTRL.ERROR, 1);
    Atomics.notify(ctrl, PCTRL.DONE);
    Atomics.notify(ctrl, PCTRL.DONE + 1);
    throw e;
  }
}

/**
 * Probabilities (row-major nRows × nClasses) from raw outputs: 'logit' → [1−σ(m), σ(m)],
 * 'softmax' → stable softmax, 'identity' → clipped at 0 and renormalised to sum 1.
 * `out` may be `raw` itself ('softmax', 'identity'), or for 'logit' hold raw in its second half
 * (raw = out.subarray(nRows)): row r reads raw[r] before writing out[2r], out[2r + 1] ≤ its slot.
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
