/**
 * Where boosting histograms are built: on this thread (`LocalGradHistBuilder`) or on worker
 * threads too (`parallel/hist-session.ts`), always with the WebAssembly kernels over the fit's
 * heap.
 *
 * A node's rows are cut into fixed chunks (`chunkRows`, which depends only on the data size);
 * each chunk is summed into its own buffer and the node's histogram is chunk 0 + chunk 1 + …
 * in chunk order. Whichever thread sums a chunk, every number is added in the same order, so
 * the histograms — and the trees — are bit-identical for any number of threads.
 */
import type { Heap } from './heap.js';
import type { BinnedData } from './types.js';
import type { Kernels } from './wasm/kernels.js';

/** Task flag: the node's rows idx[begin..end) are exactly begin..end-1 in order. */
export const ROWS_IDENTITY = 1;
/** Numbers per task: begin, end, histId, flags. */
export const TASK_WIDTH = 4;

export interface GradHistBuilder {
  readonly data: BinnedData;
  readonly heap: Heap;
  /** Gradients and hessians of the tree being grown, interleaved (gh[2r] = g, gh[2r+1] = h; written by the booster). */
  readonly gh: Float32Array;
  /** Row partition used by the grower. */
  readonly idx: Uint32Array;
  /** Numbers per histogram (totalSlots × 2). */
  readonly histSize: number;
  acquire(): number;
  release(id: number): void;
  hist(id: number): Float64Array;
  /** Dense features to build for the following trees (column subsampling); sparse ones are always built. */
  setDenseFeatures(features: Int32Array): void;
  /** Zero and fill the histograms of `nTasks` tasks laid out as [begin, end, histId, flags] in `tasks`. */
  build(tasks: Int32Array, nTasks: number): void;
  /** End the builder (stops a parallel session's workers). */
  close(): void | Promise<void>;
}

/** Rows per chunk: a function of the data size only (never of the thread count). */
export function chunkRows(nRows: number): number {
  return Math.max(4096, Math.ceil(nRows / 32));
}

/** Histograms per pool chunk, and the most chunks a pool can have. */
export const HIST_CHUNK = 32;
export const MAX_POOL_CHUNKS = 4096;

/**
 * A pool of histogram buffers in the heap, allocated HIST_CHUNK at a time. `table[c]` is the
 * byte offset of chunk c, so any thread can locate histogram `id` from the shared table.
 */
export class HistPool {
  readonly histSize: number;
  readonly table: Int32Array;
  private nChunks = 0;
  private readonly views: Float64Array[] = [];
  private readonly free: number[] = [];
  private readonly heap: Heap;

  constructor(heap: Heap, histSize: number) {
    this.heap = heap;
    this.histSize = histSize;
    this.table = heap.i32(MAX_POOL_CHUNKS);
  }

  acquire(): number {
    if (this.free.length === 0) {
      const c = this.nChunks++;
      const chunk = this.heap.f64(this.histSize * HIST_CHUNK);
      this.table[c] = chunk.byteOffset;
      for (let k = HIST_CHUNK - 1; k >= 0; k--) this.free.push(c * HIST_CHUNK + k);
      for (let k = 0; k < HIST_CHUNK; k++) this.views.push(chunk.subarray(k * this.histSize, (k + 1) * this.histSize));
    }
    return this.free.pop()!;
  }

  release(id: number): void {
    this.free.push(id);
  }

  hist(id: number): Float64Array {
    return this.views[id]!;
  }
}

/** Byte offset of histogram `id` from a pool table (for threads that hold only the table). */
export function histOffset(table: Int32Array, id: number, histSize: number): number {
  const c = Math.floor(id / HIST_CHUNK);
  return table[c]! + (id - c * HIST_CHUNK) * histSize * 8;
}

/** Packed sparse entries for the flat pass: ent[2k] = 2 × row, ent[2k+1] = 2 × slot (see gradHistEntries). */
export function packEntriesInto(data: BinnedData, ent: Int32Array): Int32Array {
  const nnz = data.rowSlots.length;
  for (let k = 0; k < nnz; k++) {
    ent[2 * k] = 2 * data.entryRow[k]!;
    ent[2 * k + 1] = 2 * data.rowSlots[k]!;
  }
  return ent;
}

/**
 * Zero `hist` (a view at byte offset hist.byteOffset) and sum one chunk of rows idx[begin..end)
 * into it with the WebAssembly kernels: sparse features from the row-wise index (one flat
 * pass when the rows are a contiguous run), dense features four columns per pass.
 */
export function buildGradChunk(
  k: Kernels,
  data: BinnedData,
  ent: Int32Array,
  dense: Int32Array,
  nDense: number,
  idx: Uint32Array,
  begin: number,
  end: number,
  flags: number,
  gh: Float32Array,
  hist: Float64Array,
): void {
  hist.fill(0);
  const h = hist.byteOffset;
  const g = gh.byteOffset;
  const ix = idx.byteOffset;
  if (data.rowSlots.length > 0) {
    if (flags & ROWS_IDENTITY) k.gradEntries(ent.byteOffset, 2 * data.rowPtr[begin]!, 2 * data.rowPtr[end]!, g, h);
    else k.gradSparse(ix, begin, end, data.rowPtr.byteOffset, data.rowSlots.byteOffset, g, h);
  }
  const b = data.bins.byteOffset;
  const n = data.nRows;
  const so = data.slotOffset;
  let j = 0;
  for (; j + 4 <= nDense; j += 4) {
    const f0 = dense[j]!;
    const f1 = dense[j + 1]!;
    const f2 = dense[j + 2]!;
    const f3 = dense[j + 3]!;
    k.gradDense4(b + f0 * n, b + f1 * n, b + f2 * n, b + f3 * n, h + so[f0]! * 16, h + so[f1]! * 16, h + so[f2]! * 16, h + so[f3]! * 16, ix, begin, end, g);
  }
  for (; j < nDense; j++) k.gradDense1(b + dense[j]! * n, h + so[dense[j]!]! * 16, ix, begin, end, g);
}

/**
 * Expand node tasks into chunk tasks [begin, end, bufferId, flags]: a node's first chunk goes to
 * the node's own buffer, the others to fresh buffers from `acquire`. `merges` receives
 * [nodeHistId, firstPartial, count] triples for `mergeChunks`. Returns the chunk count.
 */
export function planChunks(
  tasks: Int32Array,
  nTasks: number,
  rowsPerChunk: number,
  acquire: () => number,
  chunks: { a: Int32Array },
  merges: { a: Int32Array; n: number },
  partials: { a: Int32Array },
): number {
  let nc = 0;
  let np = 0;
  merges.n = 0;
  for (let t = 0; t < nTasks; t++) {
    const begin = tasks[TASK_WIDTH * t]!;
    const end = tasks[TASK_WIDTH * t + 1]!;
    const id = tasks[TASK_WIDTH * t + 2]!;
    const flags = tasks[TASK_WIDTH * t + 3]!;
    const m = Math.max(1, Math.ceil((end - begin) / rowsPerChunk));
    if (m > 1) {
      merges.a = ensureI32(merges.a, 3 * (merges.n + 1));
      merges.a[3 * merges.n] = id;
      merges.a[3 * merges.n + 1] = np;
      merges.a[3 * merges.n + 2] = m - 1;
      merges.n++;
    }
    for (let k = 0; k < m; k++) {
      const a = begin + k * rowsPerChunk;
      const b = Math.min(end, a + rowsPerChunk);
      let buf = id;
      if (k > 0) {
        buf = acquire();
        partials.a = ensureI32(partials.a, np + 1);
        partials.a[np++] = buf;
      }
      chunks.a = ensureI32(chunks.a, TASK_WIDTH * (nc + 1));
      chunks.a[TASK_WIDTH * nc] = a;
      chunks.a[TASK_WIDTH * nc + 1] = b;
      chunks.a[TASK_WIDTH * nc + 2] = buf;
      chunks.a[TASK_WIDTH * nc + 3] = flags;
      nc++;
    }
  }
  return nc;
}

/** node += partials, in chunk order, then release the partials. */
export function mergeChunks(
  merges: { a: Int32Array; n: number },
  partials: Int32Array,
  hist: (id: number) => Float64Array,
  release: (id: number) => void,
): void {
  for (let m = 0; m < merges.n; m++) {
    const out = hist(merges.a[3 * m]!);
    const first = merges.a[3 * m + 1]!;
    const count = merges.a[3 * m + 2]!;
    for (let k = 0; k < count; k++) {
      const p = hist(partials[first + k]!);
      for (let i = 0; i < out.length; i++) out[i] += p[i]!;
      release(partials[first + k]!);
    }
  }
}

export function ensureI32(a: Int32Array, n: number): Int32Array {
  if (a.length >= n) return a;
  const b = new Int32Array(Math.max(n, 2 * a.length));
  b.set(a);
  return b;
}

/**
 * Single-thread builder; the parallel session (parallel/hist-session.ts) extends it with workers
 * that take the same chunks from a shared list.
 */
export class LocalGradHistBuilder implements GradHistBuilder {
  readonly data: BinnedData;
  readonly heap: Heap;
  readonly gh: Float32Array;
  readonly idx: Uint32Array;
  readonly histSize: number;
  protected readonly ent: Int32Array;
  protected readonly pool: HistPool;
  private readonly rowsPerChunk: number;
  protected readonly dense: Int32Array;
  protected nDense: number;
  private readonly chunks = { a: new Int32Array(64) };
  private readonly merges = { a: new Int32Array(48), n: 0 };
  private readonly partials = { a: new Int32Array(16) };

  /** `data` must have been binned into `heap`. */
  constructor(data: BinnedData, heap: Heap) {
    this.data = data;
    this.heap = heap;
    this.gh = heap.f32(2 * data.nRows);
    this.idx = heap.u32(data.nRows);
    this.histSize = data.totalSlots * 2;
    this.ent = packEntriesInto(data, heap.i32(2 * data.rowSlots.length));
    this.pool = new HistPool(heap, this.histSize);
    this.dense = heap.i32(Math.max(1, data.nFeatures));
    this.dense.set(data.denseFeatures);
    this.nDense = data.denseFeatures.length;
    this.rowsPerChunk = chunkRows(data.nRows);
  }

  acquire(): number {
    return this.pool.acquire();
  }
  release(id: number): void {
    this.pool.release(id);
  }
  hist(id: number): Float64Array {
    return this.pool.hist(id);
  }
  setDenseFeatures(features: Int32Array): void {
    this.dense.set(features);
    this.nDense = features.length;
  }
  build(tasks: Int32Array, nTasks: number): void {
    const nc = this.planChunks(tasks, nTasks);
    for (let t = 0; t < nc; t++) this.buildChunk(this.chunks.a, t);
    this.mergeChunks();
  }
  close(): void | Promise<void> {}

  /** Split the tasks into fixed row chunks (the list in `chunks.a`); returns their number. */
  protected planChunks(tasks: Int32Array, nTasks: number): number {
    const pool = this.pool;
    return planChunks(tasks, nTasks, this.rowsPerChunk, () => pool.acquire(), this.chunks, this.merges, this.partials);
  }

  /** The chunk list of the last planChunks. */
  protected get chunkList(): Int32Array {
    return this.chunks.a;
  }

  /** Build chunk t of the chunk list `c` on this thread. */
  protected buildChunk(c: Int32Array, t: number): void {
    const w = TASK_WIDTH * t;
    buildGradChunk(this.heap.k, this.data, this.ent, this.dense, this.nDense, this.idx, c[w]!, c[w + 1]!, c[w + 3]!, this.gh, this.pool.hist(c[w + 2]!));
  }

  /** Add the partial histograms of multi-chunk nodes to their node, in chunk order. */
  protected mergeChunks(): void {
    const pool = this.pool;
    mergeChunks(this.merges, this.partials.a, (id) => pool.hist(id), (id) => pool.release(id));
  }
}
