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
import { nadirError } from '../errors.js';
import { getWorkers } from '../parallel/pool.js';
import { Heap } from './heap.js';
import type { Kernels } from './wasm/kernels.js';
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
  private wasm: WasmPredictor | null = null;

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
   * nRows × nOutputs. Rows are copied 1024 at a time into the model's WebAssembly heap and go
   * through each tree 8 (or 4) at a time (kernels predict8 / predict4): branch-free steps whose
   * independent chains overlap their memory latency, until all have reached a leaf. With
   * nThreads > 1, large batches are shared with pool workers (see rawParallel); the result is
   * the same.
   */
  raw(X: Float32Array, nRows: number, nCols: number, out?: Float64Array, nThreads = 1): Float64Array {
    const K = this.nOutputs;
    const res = out ?? new Float64Array(nRows * K);
    const n4 = nRows - (nRows % 4);
    if (n4 > 0 && this.nTrees > 0) {
      const w = this.wasmFor(nCols);
      const base = this.base;
      const scale = this.scale;
      const rowBytes = nCols * 4;
      if (nThreads > 1 && n4 >= PARALLEL_MIN_ROWS) {
        const r = this.rawParallel(w, X, n4, nCols, nThreads);
        for (let i = 0; i < n4 * K; i++) res[i] = base[i % K]! + scale * r[i]!;
      } else {
        for (let r0 = 0; r0 < n4; r0 += w.rows) {
          const rows = Math.min(w.rows, n4 - r0);
          w.stage.set(X.subarray(r0 * nCols, (r0 + rows) * nCols));
          w.res.fill(0, 0, rows * K);
          predictChunk(w.k, w.model, w.stage.byteOffset, rowBytes, rows, w.res.byteOffset, K);
          for (let i = 0; i < rows * K; i++) res[r0 * K + i] = base[i % K]! + scale * w.res[i]!;
        }
      }
    }
    for (let r = n4; r < nRows; r++) this.rawRow(X, r * nCols, res, r * K);
    return res;
  }

  /**
   * n4 rows (a multiple of 4) on the main thread and nThreads-1 pool workers, synchronously:
   * the rows are copied into the model's shared heap, cut into chunks, and every thread takes
   * chunks (compare-and-swap on a state word that also carries this call's token, so a worker
   * that picks up the message late can never take a chunk of a later call) until none is left.
   * The main thread waits for the chunks it did not do; if no worker is free it does them all.
   */
  private rawParallel(w: WasmPredictor, X: Float32Array, n4: number, nCols: number, nThreads: number): Float64Array {
    const K = this.nOutputs;
    const heap = w.heap;
    if (w.xbuf.length < n4 * nCols) w.xbuf = heap.f32(Math.max(n4 * nCols, 2 * w.xbuf.length));
    if (w.rbuf.length < n4 * K) w.rbuf = heap.f64(Math.max(n4 * K, 2 * w.rbuf.length));
    w.xbuf.set(X.subarray(0, n4 * nCols));
    w.rbuf.fill(0, 0, n4 * K);
    const ctrl = w.ctrl;
    const token = (w.token = (w.token + 1) & TOKEN_MASK);
    const chunk = PARALLEL_CHUNK;
    const nChunks = Math.ceil(n4 / chunk);
    Atomics.store(ctrl, PCTRL.COMPLETED, 0);
    Atomics.store(ctrl, PCTRL.ERROR, 0);
    Atomics.store(ctrl, PCTRL.STATE, token << TOKEN_SHIFT);
    const job: PredictJob = {
      memory: heap.memory,
      model: w.model,
      X: w.xbuf.byteOffset,
      rowBytes: nCols * 4,
      rows: n4,
      chunk,
      res: w.rbuf.byteOffset,
      K,
      ctrl,
      token,
    };
    for (const worker of getWorkers(nThreads - 1)) worker.run('predict', job as unknown as Record<string, unknown>).catch(() => {});
    runPredictChunks(heap.k, job);
    const start = Date.now();
    for (;;) {
      const done = Atomics.load(ctrl, PCTRL.COMPLETED);
      if (done >= nChunks) break;
      if (Atomics.load(ctrl, PCTRL.ERROR) !== 0) throw nadirError('NADIR_ERR_INTERNAL', 'a prediction worker failed');
      if (Date.now() - start > 120_000) throw nadirError('NADIR_ERR_INTERNAL', 'prediction workers stopped responding');
      Atomics.wait(ctrl, PCTRL.COMPLETED, done, 50);
    }
    return w.rbuf;
  }

  /** Node records for the kernels: 16 bytes each, [code, child, threshold (f32 bits), leafAt]. */
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

  /** The model copied into a WebAssembly heap, with a staging area for `rows` rows of nCols columns. */
  private wasmFor(nCols: number): WasmPredictor {
    if (this.wasm && this.wasm.nCols === nCols) return this.wasm;
    const rows = 1024;
    const K = this.nOutputs;
    const heap = this.wasm?.heap ?? Heap.create(this.nodes.length * 4 + this.thr.length * 8 + this.val.length * 8 + rows * (nCols * 4 + K * 8) + 4096);
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
    };
    this.wasm = {
      heap,
      k: heap.k,
      nCols,
      rows,
      model,
      stage: heap.f32(rows * nCols),
      res: heap.f64(rows * K),
      xbuf: this.wasm?.xbuf ?? new Float32Array(0),
      rbuf: this.wasm?.rbuf ?? new Float64Array(0),
      ctrl: this.wasm?.ctrl ?? heap.i32(4),
      token: this.wasm?.token ?? 0,
    };
    return this.wasm;
  }
}

/** Byte offsets of a packed model in a heap, and its tree count. */
export interface ModelPtrs {
  recs: number;
  val: number;
  roots: number;
  treeOut: number;
  nTrees: number;
}

interface WasmPredictor {
  heap: Heap;
  k: Kernels;
  nCols: number;
  rows: number;
  model: ModelPtrs;
  stage: Float32Array;
  res: Float64Array;
  /** Parallel batches: all rows, their outputs, the control block, the call token. */
  xbuf: Float32Array;
  rbuf: Float64Array;
  ctrl: Int32Array;
  token: number;
}

/** Batches of at least this many rows are predicted on several threads (when asked). */
const PARALLEL_MIN_ROWS = 4096;
const PARALLEL_CHUNK = 1024;
const TOKEN_SHIFT = 20;
const TOKEN_MASK = 0x7ff;
const PCTRL = { STATE: 0, COMPLETED: 1, ERROR: 2 } as const;

/** A parallel prediction call as a worker sees it (see EnsemblePredictor.rawParallel). */
export interface PredictJob {
  memory: WasmMemory;
  model: ModelPtrs;
  X: number;
  rowBytes: number;
  rows: number;
  chunk: number;
  res: number;
  K: number;
  ctrl: Int32Array;
  token: number;
}

/** Raw sums (no base score, no scale) of `rows` rows (a multiple of 4) at byte offset X into res. */
export function predictChunk(k: Kernels, m: ModelPtrs, X: number, rowBytes: number, rows: number, res: number, K: number): void {
  let g = 0;
  for (; g + 8 <= rows; g += 8) k.predict8(m.recs, m.val, m.roots, m.treeOut, m.nTrees, X + g * rowBytes, rowBytes, res + g * K * 8, K);
  for (; g < rows; g += 4) k.predict4(m.recs, m.val, m.roots, m.treeOut, m.nTrees, X + g * rowBytes, rowBytes, res + g * K * 8, K);
}

/** Take chunks of a parallel prediction call until none is left (or the call is over). */
export function runPredictChunks(k: Kernels, j: PredictJob): void {
  const ctrl = j.ctrl;
  const nChunks = Math.ceil(j.rows / j.chunk);
  try {
    for (;;) {
      const s = Atomics.load(ctrl, PCTRL.STATE);
      if (s >>> TOKEN_SHIFT !== j.token) return;
      const c = s & ((1 << TOKEN_SHIFT) - 1);
      if (c >= nChunks) return;
      if (Atomics.compareExchange(ctrl, PCTRL.STATE, s, s + 1) !== s) continue;
      const r0 = c * j.chunk;
      const rows = Math.min(j.chunk, j.rows - r0);
      predictChunk(k, j.model, j.X + r0 * j.rowBytes, j.rowBytes, rows, j.res + r0 * j.K * 8, j.K);
      if (Atomics.add(ctrl, PCTRL.COMPLETED, 1) + 1 >= nChunks) Atomics.notify(ctrl, PCTRL.COMPLETED);
    }
  } catch (e) {
    Atomics.store(ctrl, PCTRL.ERROR, 1);
    Atomics.notify(ctrl, PCTRL.COMPLETED);
    throw e;
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
