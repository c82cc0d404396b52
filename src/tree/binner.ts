/**
 * Quantile binner: maps each feature to at most 255 value bins plus one missing bin, as in
 * LightGBM (Ke et al. 2017, "bin mappers") and scikit-learn's HistGradientBoosting `_BinMapper`.
 *
 * - A feature with ≤ maxBins-1 distinct values gets one bin per value, edges at the midpoints.
 * - Otherwise bins hold about equal numbers of rows (greedy quantiles over the sorted distinct
 *   values; a value heavier than a bin's share gets a bin of its own).
 * - Edges are float32, so the binned rule "bin <= b" and the raw rule "x <= edges[b]" agree
 *   exactly, in training and at prediction.
 * Bin boundaries are learned on at most `sampleSize` rows (a seeded sample) on large data.
 */
import { nadirError } from '../errors.js';
import type { Matrix } from '../features/types.js';
import { Random } from '../util/random.js';
import { getWorkers, type WorkerReply } from './parallel/pool.js';
import { bytesFor, Heap } from './heap.js';
import { EMPTY_KEY, FEW, type Kernels } from './wasm/kernels.js';
import type { BinMapper, BinnedData } from './types.js';

export interface BinnerOptions {
  /** Bins per feature including the missing bin: 2..256 (default 256). */
  maxBins?: number;
  /** Rows used to find bin edges on large data (default 200,000). */
  sampleSize?: number;
  seed?: number;
}

export interface BinDataOptions {
  /** Allocate the arrays in this heap (the WebAssembly kernels read them there); default: plain arrays. */
  heap?: Heap;
  /** Build the row-wise index of sparse features (boosting uses it; default true). */
  rowIndex?: boolean;
  /** Build the column-wise index of sparse features (the forest uses it; default false). */
  colIndex?: boolean;
  /** A feature whose non-default share of rows is at most this is stored sparse (default 0.8). */
  sparseMaxDensity?: number;
}

/** Rows per block when reading the row-major matrix column by column (keeps the block in L2). */
const ROW_BLOCK = 256;
/** Distinct values tracked by linear scan before switching to a radix sort. */
const FEW_DISTINCT = 16;

export function fitBinMapper(X: Matrix, opts: BinnerOptions = {}): BinMapper {
  const maxBins = opts.maxBins ?? 256;
  if (!Number.isInteger(maxBins) || maxBins < 2 || maxBins > 256) {
    throw nadirError('NADIR_ERR_BAD_OPTION', 'maxBins', `must be an integer in 2..256, got ${maxBins}`);
  }
  const { nRows, nCols, data } = X;
  const rows = sampleRows(nRows, opts.sampleSize ?? 200_000, opts.seed ?? 0);
  const m = rows ? rows.length : nRows;
  // Column values of the (sampled) rows, feature-major, read in row blocks.
  const cols = new Float32Array(m * nCols);
  for (let b0 = 0; b0 < m; b0 += ROW_BLOCK) {
    const b1 = Math.min(m, b0 + ROW_BLOCK);
    for (let f = 0; f < nCols; f++) {
      const base = f * m;
      for (let i = b0; i < b1; i++) {
        const r = rows ? rows[i]! : i;
        cols[base + i] = data[r * nCols + f]!;
      }
    }
  }
  const nBins = new Int32Array(nCols);
  const hasMissing = new Uint8Array(nCols);
  const edges: Float32Array[] = [];
  const vals = new Float32Array(m);
  const tmp = new Uint32Array(m);
  const keys = new Uint32Array(m);
  for (let f = 0; f < nCols; f++) {
    const col = cols.subarray(f * m, (f + 1) * m);
    let k = 0;
    for (let i = 0; i < m; i++) {
      const v = col[i]!;
      if (v === v) vals[k++] = v === 0 ? 0 : v; // -0 → 0
    }
    if (k < m) hasMissing[f] = 1;
    const { values, counts } = distinctSorted(vals, k, keys, tmp);
    const e = cutPoints(values, counts, maxBins - 1);
    edges.push(e);
    nBins[f] = e.length + 1;
  }
  return { nFeatures: nCols, nBins, edges, hasMissing };
}

/** Features transposed at a time by fitBinMatrix (bounds its scratch to 16 columns). */
const GROUP = 16;
/** Above this many distinct values a feature's edges come from the radix-sort path. */
const HASH_LIMIT = 1 << 16;

/**
 * The binner's open-addressing hash table (linear probing, Fibonacci hashing) from float32 bit
 * patterns to counts, then to bins; it lives in the heap and the WebAssembly kernels
 * hashCount / hashBin run the per-row loops.
 */
class BitsTable {
  readonly cap = 2 * HASH_LIMIT;
  readonly keys: Int32Array;
  readonly vals: Int32Array;
  readonly used: Int32Array;
  private readonly missingOut: Int32Array;
  size = 0;

  constructor(heap: Heap) {
    this.keys = heap.i32(this.cap).fill(EMPTY_KEY);
    this.vals = heap.i32(this.cap);
    this.used = heap.i32(HASH_LIMIT);
    this.missingOut = heap.i32(1);
  }

  /** Count the n float32 values at byte offset col; returns the number of NaNs, or -1 past HASH_LIMIT distinct values. */
  count(k: Kernels, col: number, n: number): number {
    const size = k.hashCount(col, n, this.keys.byteOffset, this.vals.byteOffset, this.used.byteOffset, this.cap - 1, HASH_LIMIT, this.missingOut.byteOffset);
    this.size = size < 0 ? HASH_LIMIT : size;
    return size < 0 ? -1 : this.missingOut[0]!;
  }

  clear(): void {
    for (let j = 0; j < this.size; j++) this.keys[this.used[j]!] = EMPTY_KEY;
    this.size = 0;
  }

  find(b: number): number {
    const mask = this.cap - 1;
    let h = Math.imul(b, -1640531535) & mask;
    for (;;) {
      const k = this.keys[h]!;
      if (k === b) return h;
      if (k === EMPTY_KEY) return -1;
      h = (h + 1) & mask;
    }
  }
}

/** Transpose columns f0..f1 of a row-major matrix into colF (row blocks keep reads cache-friendly). */
function transposeGroup(data: Float32Array, n: number, nCols: number, f0: number, f1: number, colF: Float32Array): void {
  for (let b0 = 0; b0 < n; b0 += ROW_BLOCK) {
    const b1 = Math.min(n, b0 + ROW_BLOCK);
    for (let f = f0; f < f1; f++) {
      const base = (f - f0) * n;
      for (let r = b0; r < b1; r++) colF[base + r] = data[r * nCols + f]!;
    }
  }
}

/** Edges from the ≤ FEW distinct values (float bits) and counts found by fewDistinct. */
function fewEdges(keys: Int32Array, cnt: Int32Array, k: number, maxValueBins: number): Float32Array {
  const f32 = new Float32Array(1);
  const bits32 = new Int32Array(f32.buffer);
  const order = Array.from({ length: k }, (_, j) => {
    bits32[0] = keys[j]!;
    return { v: f32[0]!, c: cnt[j]! };
  }).sort((a, b) => a.v - b.v);
  return cutPoints(Float64Array.from(order, (o) => o.v), Float64Array.from(order, (o) => o.c), maxValueBins);
}

/** Edges from the table's distinct values; then the table maps each distinct value to its bin. */
function tableEdges(table: BitsTable, maxValueBins: number): Float32Array {
  const nd = table.size;
  const f32 = new Float32Array(1);
  const bits32 = new Int32Array(f32.buffer);
  const values = new Float64Array(nd);
  for (let j = 0; j < nd; j++) {
    bits32[0] = table.keys[table.used[j]!]!;
    values[j] = f32[0]!;
  }
  values.sort();
  const cnt = new Float64Array(nd);
  for (let j = 0; j < nd; j++) {
    f32[0] = values[j]!;
    cnt[j] = table.vals[table.find(bits32[0]!)]!;
  }
  const e = cutPoints(values, cnt, maxValueBins);
  for (let j = 0; j < nd; j++) {
    bits32[0] = table.keys[table.used[j]!]!;
    table.vals[table.used[j]!] = searchBin(e, f32[0]!);
  }
  return e;
}

/** A thread's scratch for fitBinMatrix: a transposed column group, a sample buffer, hash tables. */
export class GroupBinner {
  private readonly heap: Heap;
  private readonly colF: Float32Array;
  private readonly sample: Float32Array;
  private readonly edgeBuf: Float32Array;
  private readonly table: BitsTable;
  private readonly fewKeys: Int32Array;
  private readonly few: Int32Array;

  /** Heap bytes a GroupBinner allocates for n rows, m of them sampled (m = n: no sample). */
  static heapBytes(n: number, m: number): number {
    const cap = 2 * HASH_LIMIT;
    return bytesFor(GROUP * n * 4, m < n ? m * 4 : 0, 256 * 4, cap * 4, cap * 4, HASH_LIMIT * 4, 4, FEW * 4, (FEW + 1) * 4) + 256;
  }

  constructor(heap: Heap, n: number, m: number) {
    this.heap = heap;
    this.colF = heap.f32(GROUP * n);
    this.sample = m < n ? heap.f32(m) : this.colF;
    this.edgeBuf = heap.f32(256);
    this.table = new BitsTable(heap);
    this.fewKeys = heap.i32(FEW);
    this.few = heap.i32(FEW + 1);
  }

  /**
   * Fit and bin features f0..f1 of an n × nCols row-major matrix — at byte offset `src` in the
   * heap, or the JavaScript array `data` — into bins / counts (heap views shared by all
   * threads). Edges and missing flags go to edges[f] / hasMissing[f].
   */
  group(
    src: number,
    data: Float32Array | null,
    n: number,
    nCols: number,
    f0: number,
    f1: number,
    rows: Uint32Array | null,
    maxBins: number,
    bins: Uint8Array,
    counts: Float64Array,
    edges: Float32Array[],
    hasMissing: Uint8Array,
  ): void {
    const k = this.heap.k;
    const { colF, sample, edgeBuf, table, fewKeys, few } = this;
    const m = rows ? rows.length : n;
    if (data) transposeGroup(data, n, nCols, f0, f1, colF);
    else k.transpose(src, n, nCols, f0, f1 - f0, colF.byteOffset);
    for (let f = f0; f < f1; f++) {
      const base = (f - f0) * n;
      let at = colF.byteOffset + 4 * base;
      if (rows) {
        for (let i = 0; i < m; i++) sample[i] = colF[base + rows[i]!]!;
        at = sample.byteOffset;
      }
      const out = bins.byteOffset + f * n;
      const cnt = counts.byteOffset + f * 256 * 8;
      // Few distinct values (one-hot columns, flags): a linear scan, and bins by comparison.
      few.fill(0);
      const nf = k.fewDistinct(at, m, fewKeys.byteOffset, few.byteOffset);
      if (nf >= 0) {
        if (few[FEW]! > 0) hasMissing[f] = 1;
        const e = fewEdges(fewKeys, few, nf, maxBins - 1);
        edges[f] = e;
        edgeBuf.set(e);
        if (k.binFew(colF.byteOffset + 4 * base, n, edgeBuf.byteOffset, e.length, out, cnt)) hasMissing[f] = 1;
        continue;
      }
      const missing = table.count(k, at, m);
      let e: Float32Array;
      if (missing >= 0) {
        if (missing > 0) hasMissing[f] = 1;
        e = tableEdges(table, maxBins - 1);
      } else {
        // Too many distinct values for the table: radix-sort the (sampled) values instead.
        table.clear();
        const vals = new Float32Array(m);
        let kk = 0;
        for (let i = 0; i < m; i++) {
          const v = colF[base + (rows ? rows[i]! : i)]!;
          if (v === v) vals[kk++] = v === 0 ? 0 : v;
          else hasMissing[f] = 1;
        }
        const ds = distinctSorted(vals, kk, new Uint32Array(kk), new Uint32Array(kk));
        e = cutPoints(ds.values, ds.counts, maxBins - 1);
      }
      edges[f] = e;
      edgeBuf.set(e);
      if (k.hashBin(colF.byteOffset + 4 * base, n, table.keys.byteOffset, table.vals.byteOffset, table.cap - 1, edgeBuf.byteOffset, e.length, out, cnt)) {
        hasMissing[f] = 1;
      }
      table.clear();
    }
  }
}

/** A matrix up to this size is copied into the heap and transposed there (and can be binned by several threads). */
const IN_HEAP_LIMIT = 256 * 2 ** 20;

function checkMaxBins(maxBins: number): void {
  if (!Number.isInteger(maxBins) || maxBins < 2 || maxBins > 256) {
    throw nadirError('NADIR_ERR_BAD_OPTION', 'maxBins', `must be an integer in 2..256, got ${maxBins}`);
  }
}

/**
 * Fit the bin edges on X and bin X in one go (the training path; same result as
 * fitBinMapper + binMatrix). Each feature's distinct values are counted in a hash table keyed
 * by their float32 bits (or, with at most 4 of them, by a linear scan), each distinct value's
 * bin is found once, and every row is binned by one lookup instead of a binary search
 * (WebAssembly kernels). Features are processed in groups of 16 transposed columns.
 */
export function fitBinMatrix(X: Matrix, opts: BinnerOptions & BinDataOptions = {}): BinnedData {
  const maxBins = opts.maxBins ?? 256;
  checkMaxBins(maxBins);
  const { nRows: n, nCols, data } = X;
  const rows = sampleRows(n, opts.sampleSize ?? 200_000, opts.seed ?? 0);
  const heap = opts.heap ?? Heap.create(n * nCols);
  const bins = heap.u8(n * nCols);
  const counts = heap.f64(nCols * 256);
  const hasMissing = new Uint8Array(nCols);
  const edges: Float32Array[] = new Array<Float32Array>(nCols);
  const binner = new GroupBinner(heap, n, rows ? rows.length : n);
  const inHeap = n * nCols * 4 <= IN_HEAP_LIMIT ? heap.f32(n * nCols) : null;
  if (inHeap) inHeap.set(data);
  for (let f0 = 0; f0 < nCols; f0 += GROUP) {
    binner.group(inHeap ? inHeap.byteOffset : 0, inHeap ? null : data, n, nCols, f0, Math.min(nCols, f0 + GROUP), rows, maxBins, bins, counts, edges, hasMissing);
  }
  return finishBinned(mapperOf(edges, hasMissing), bins, counts, n, { ...opts, heap });
}

/**
 * fitBinMatrix on the main thread and nThreads-1 pool workers: the matrix is copied into the
 * fit's heap, and every thread takes groups of 16 features from a shared counter. Each
 * feature's bins depend on that feature only, so the result is that of fitBinMatrix.
 */
export async function fitBinMatrixParallel(X: Matrix, opts: BinnerOptions & BinDataOptions & { heap: Heap }, nThreads: number): Promise<BinnedData> {
  const maxBins = opts.maxBins ?? 256;
  checkMaxBins(maxBins);
  const { nRows: n, nCols, data } = X;
  const nGroups = Math.ceil(nCols / GROUP);
  const threads = Math.min(nThreads, nGroups);
  if (threads <= 1 || n * nCols * 4 > IN_HEAP_LIMIT) return fitBinMatrix(X, opts);
  const rows = sampleRows(n, opts.sampleSize ?? 200_000, opts.seed ?? 0);
  const m = rows ? rows.length : n;
  const heap = opts.heap;
  const bins = heap.u8(n * nCols);
  const counts = heap.f64(nCols * 256);
  const hasMissing = new Uint8Array(nCols);
  const edges: Float32Array[] = new Array<Float32Array>(nCols);
  const inHeap = heap.f32(n * nCols);
  inHeap.set(data);
  const counter = heap.i32(1);
  const job = { memory: heap.memory, src: inHeap.byteOffset, n, nCols, rows, maxBins, bins, counts, counter, nGroups };
  const jobs = getWorkers(threads - 1).map((w) =>
    w.run('bin', { ...job, arena: heap.arena(GroupBinner.heapBytes(n, m)) }, (reply: WorkerReply) => {
      if (!reply.done) return;
      const r = reply as unknown as { features: number[]; edges: Float32Array[]; missing: number[] };
      r.features.forEach((f, i) => {
        edges[f] = r.edges[i]!;
        hasMissing[f] = r.missing[i]!;
      });
    }),
  );
  const binner = new GroupBinner(heap, n, m);
  let failure: unknown = null;
  try {
    for (;;) {
      const g = Atomics.add(counter, 0, 1);
      if (g >= nGroups) break;
      binner.group(inHeap.byteOffset, null, n, nCols, g * GROUP, Math.min(nCols, (g + 1) * GROUP), rows, maxBins, bins, counts, edges, hasMissing);
    }
  } catch (e) {
    failure = e;
    Atomics.store(counter, 0, nGroups);
  }
  const results = await Promise.allSettled(jobs);
  if (failure) throw failure;
  for (const r of results) if (r.status === 'rejected') throw r.reason;
  return finishBinned(mapperOf(edges, hasMissing), bins, counts, n, opts);
}

/** Worker side of fitBinMatrixParallel: groups from the shared counter; returns the edges of the features it binned. */
export function binGroupsJob(
  heap: Heap,
  j: { src: number; n: number; nCols: number; rows: Uint32Array | null; maxBins: number; bins: Uint8Array; counts: Float64Array; counter: Int32Array; nGroups: number },
): { features: number[]; edges: Float32Array[]; missing: number[] } {
  const binner = new GroupBinner(heap, j.n, j.rows ? j.rows.length : j.n);
  const edges: Float32Array[] = new Array<Float32Array>(j.nCols);
  const hasMissing = new Uint8Array(j.nCols);
  const features: number[] = [];
  for (;;) {
    const g = Atomics.add(j.counter, 0, 1);
    if (g >= j.nGroups) break;
    const f1 = Math.min(j.nCols, (g + 1) * GROUP);
    binner.group(j.src, null, j.n, j.nCols, g * GROUP, f1, j.rows, j.maxBins, j.bins, j.counts, edges, hasMissing);
    for (let f = g * GROUP; f < f1; f++) features.push(f);
  }
  return { features, edges: features.map((f) => edges[f]!), missing: features.map((f) => hasMissing[f]!) };
}

function mapperOf(edges: Float32Array[], hasMissing: Uint8Array): BinMapper {
  const nBins = Int32Array.from(edges, (e) => e.length + 1);
  return { nFeatures: edges.length, nBins, edges, hasMissing };
}

/** Bin of one raw value (NaN → missing bin): the number of edges below x. */
export function binOf(mapper: BinMapper, f: number, x: number): number {
  if (x !== x) return mapper.nBins[f]!;
  return searchBin(mapper.edges[f]!, x);
}

function searchBin(e: Float32Array, x: number): number {
  let lo = 0;
  let hi = e.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (e[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Bin a matrix with a fitted mapper; builds the feature-major bins and the sparse row index. */
export function binMatrix(mapper: BinMapper, X: Matrix, opts: BinDataOptions = {}): BinnedData {
  const { nRows, nCols, data } = X;
  if (nCols !== mapper.nFeatures) {
    throw nadirError('NADIR_ERR_BAD_INPUT', `binner: X has ${nCols} columns, the bins were fitted on ${mapper.nFeatures}`);
  }
  const heap = opts.heap;
  const bins = heap ? heap.u8(nRows * nCols) : new Uint8Array(nRows * nCols);
  const counts = new Float64Array(nCols * 256);
  for (let b0 = 0; b0 < nRows; b0 += ROW_BLOCK) {
    const b1 = Math.min(nRows, b0 + ROW_BLOCK);
    for (let f = 0; f < nCols; f++) {
      const e = mapper.edges[f]!;
      const ne = e.length;
      const miss = mapper.nBins[f]!;
      const base = f * nRows;
      const cbase = f * 256;
      if (ne === 0) {
        for (let r = b0; r < b1; r++) {
          const x = data[r * nCols + f]!;
          const b = x === x ? 0 : miss;
          bins[base + r] = b;
          counts[cbase + b]++;
        }
      } else if (ne === 1) {
        const e0 = e[0]!;
        for (let r = b0; r < b1; r++) {
          const x = data[r * nCols + f]!;
          const b = x <= e0 ? 0 : x === x ? 1 : miss;
          bins[base + r] = b;
          counts[cbase + b]++;
        }
      } else {
        for (let r = b0; r < b1; r++) {
          const x = data[r * nCols + f]!;
          let b: number;
          if (x !== x) b = miss;
          else {
            let lo = 0;
            let hi = ne;
            while (lo < hi) {
              const mid = (lo + hi) >>> 1;
              if (e[mid]! < x) lo = mid + 1;
              else hi = mid;
            }
            b = lo;
          }
          bins[base + r] = b;
          counts[cbase + b]++;
        }
      }
    }
  }

  return finishBinned(mapper, bins, counts, nRows, opts);
}

/**
 * Complete binned data from the bins and per-feature bin counts (counts[f*256 + b]): histogram
 * slot layout, default (most frequent) bins, the dense/sparse split and the row-wise index.
 */
function finishBinned(mapper: BinMapper, bins: Uint8Array, counts: Float64Array, nRows: number, opts: BinDataOptions): BinnedData {
  const nCols = mapper.nFeatures;
  const heap = opts.heap;
  const slotOffset = new Int32Array(nCols + 1);
  for (let f = 0; f < nCols; f++) slotOffset[f + 1] = slotOffset[f]! + mapper.nBins[f]! + 1;
  const totalSlots = slotOffset[nCols]!;
  const defaultBin = new Int32Array(nCols);
  const sparse = new Uint8Array(nCols);
  const usable = new Uint8Array(nCols);
  const maxDensity = opts.sparseMaxDensity ?? 0.8;
  const dense: number[] = [];
  const sparseList: number[] = [];
  for (let f = 0; f < nCols; f++) {
    let best = 0;
    let nonEmpty = 0;
    for (let b = 0; b <= mapper.nBins[f]!; b++) {
      const c = counts[f * 256 + b]!;
      if (c > 0) nonEmpty++;
      if (c > counts[f * 256 + best]!) best = b;
    }
    defaultBin[f] = best;
    if (nonEmpty < 2) continue;
    usable[f] = 1;
    const density = nRows > 0 ? 1 - counts[f * 256 + best]! / nRows : 0;
    if (density <= maxDensity) {
      sparse[f] = 1;
      sparseList.push(f);
    } else dense.push(f);
  }

  // Row-wise index of sparse features' non-default bins (counting pass, then fill).
  const u32 = (n: number): Uint32Array => (heap ? heap.u32(n) : new Uint32Array(n));
  const indexed = opts.rowIndex === false ? [] : sparseList;
  const rowPtr = u32(nRows + 1);
  for (const f of indexed) {
    const col = bins.subarray(f * nRows, (f + 1) * nRows);
    const d = defaultBin[f]!;
    for (let r = 0; r < nRows; r++) if (col[r] !== d) rowPtr[r + 1]++;
  }
  for (let r = 0; r < nRows; r++) rowPtr[r + 1] += rowPtr[r]!;
  const rowSlots = u32(rowPtr[nRows]!);
  const entryRow = u32(rowPtr[nRows]!);
  for (let r = 0; r < nRows; r++) entryRow.fill(r, rowPtr[r]!, rowPtr[r + 1]!);
  const fill = new Uint32Array(nRows);
  fill.set(rowPtr.subarray(0, nRows));
  for (const f of indexed) {
    const col = bins.subarray(f * nRows, (f + 1) * nRows);
    const d = defaultBin[f]!;
    const off = slotOffset[f]!;
    for (let r = 0; r < nRows; r++) {
      const b = col[r]!;
      if (b !== d) rowSlots[fill[r]!++] = off + b;
    }
  }
  // Column-wise index (rows in ascending order per feature).
  const colPtr = new Int32Array(nCols + 1);
  const colList = opts.colIndex ? sparseList : [];
  for (const f of colList) colPtr[f + 1] = nRows - counts[f * 256 + defaultBin[f]!]!;
  for (let f = 0; f < nCols; f++) colPtr[f + 1] += colPtr[f]!;
  const colRows = u32(colPtr[nCols]!);
  const colBins = heap ? heap.u8(colPtr[nCols]!) : new Uint8Array(colPtr[nCols]!);
  for (const f of colList) {
    const col = bins.subarray(f * nRows, (f + 1) * nRows);
    const d = defaultBin[f]!;
    let k = colPtr[f]!;
    for (let r = 0; r < nRows; r++) {
      const b = col[r]!;
      if (b !== d) {
        colRows[k] = r;
        colBins[k++] = b;
      }
    }
  }
  return {
    nRows,
    nFeatures: nCols,
    mapper,
    bins,
    slotOffset,
    totalSlots,
    defaultBin,
    sparse,
    usable,
    denseFeatures: Int32Array.from(dense),
    sparseFeatures: Int32Array.from(sparseList),
    rowPtr,
    rowSlots,
    entryRow,
    colPtr,
    colRows,
    colBins,
  };
}

/** A seeded sample of row indices (ascending), or null when all rows are used. */
function sampleRows(nRows: number, sampleSize: number, seed: number): Uint32Array | null {
  if (nRows <= sampleSize) return null;
  return new Random(seed ^ 0x5bd1e995).sample(nRows, sampleSize);
}

/**
 * Sorted distinct values of vals[0..k) with their counts. Few distinct values (binary and
 * small-integer features, the common case) are counted by a linear scan; otherwise the values
 * are LSD-radix-sorted on their order-preserving uint32 keys (4 passes of 8 bits).
 */
export function distinctSorted(
  vals: Float32Array,
  k: number,
  keys: Uint32Array,
  tmp: Uint32Array,
): { values: Float64Array; counts: Float64Array } {
  const fv = new Float64Array(FEW_DISTINCT);
  const fc = new Float64Array(FEW_DISTINCT);
  let nd = 0;
  let i = 0;
  scan: for (; i < k; i++) {
    const v = vals[i]!;
    for (let j = 0; j < nd; j++) {
      if (fv[j] === v) {
        fc[j]++;
        continue scan;
      }
    }
    if (nd === FEW_DISTINCT) break;
    fv[nd] = v;
    fc[nd++] = 1;
  }
  if (i === k) {
    const order = Array.from({ length: nd }, (_, j) => j).sort((a, b) => fv[a]! - fv[b]!);
    return { values: Float64Array.from(order, (j) => fv[j]!), counts: Float64Array.from(order, (j) => fc[j]!) };
  }
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  for (let j = 0; j < k; j++) {
    f32[0] = vals[j]!;
    const bits = u32[0]!;
    keys[j] = (bits & 0x80000000 ? ~bits : bits | 0x80000000) >>> 0;
  }
  radixSort(keys, tmp, k);
  const values: number[] = [];
  const counts: number[] = [];
  for (let j = 0; j < k; ) {
    const key = keys[j]!;
    let e = j + 1;
    while (e < k && keys[e] === key) e++;
    u32[0] = key & 0x80000000 ? key & 0x7fffffff : ~key >>> 0;
    values.push(f32[0]!);
    counts.push(e - j);
    j = e;
  }
  return { values: Float64Array.from(values), counts: Float64Array.from(counts) };
}

function radixSort(a: Uint32Array, tmp: Uint32Array, k: number): void {
  const cnt = new Uint32Array(256);
  let src = a;
  let dst = tmp;
  for (let shift = 0; shift < 32; shift += 8) {
    cnt.fill(0);
    for (let i = 0; i < k; i++) cnt[(src[i]! >>> shift) & 255]++;
    let sum = 0;
    for (let b = 0; b < 256; b++) {
      const c = cnt[b]!;
      cnt[b] = sum;
      sum += c;
    }
    for (let i = 0; i < k; i++) {
      const v = src[i]!;
      dst[cnt[(v >>> shift) & 255]!++] = v;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  // 4 passes: the result is back in `a`.
}

/** Upper edges (float32) for sorted distinct values with counts, at most maxValueBins bins. */
export function cutPoints(values: Float64Array, counts: Float64Array, maxValueBins: number): Float32Array {
  const nd = values.length;
  const out: number[] = [];
  if (nd <= maxValueBins) {
    for (let j = 0; j + 1 < nd; j++) out.push(midpoint(values[j]!, values[j + 1]!));
    return Float32Array.from(out);
  }
  let remaining = 0;
  for (let j = 0; j < nd; j++) remaining += counts[j]!;
  let binsLeft = maxValueBins;
  let acc = 0;
  for (let j = 0; j + 1 < nd && binsLeft > 1; j++) {
    acc += counts[j]!;
    const target = remaining / binsLeft;
    // Close the bin when it holds its share, or before a value that deserves a bin of its own.
    if (acc >= target || counts[j + 1]! >= target) {
      out.push(midpoint(values[j]!, values[j + 1]!));
      remaining -= acc;
      acc = 0;
      binsLeft--;
    }
  }
  return Float32Array.from(out);
}

/** A float32 edge t with a <= t < b, halfway when representable. */
function midpoint(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a;
  const t = Math.fround(a + (b - a) / 2);
  return t >= b || t < a ? a : t;
}
