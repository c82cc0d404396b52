/**
 * One tree of a random forest (Breiman 2001): a bootstrap sample (or all rows), then a CART
 * tree on class-count histograms with features drawn per node. Used by the main thread and by
 * worker threads alike; a tree depends only on its own seed, so the forest is the same for any
 * number of threads.
 */
import type { FlatTree } from './types.js';
import { Random } from '../util/random.js';
import { ClassTreeGrower, type ClassTreeParams, PACK } from './grower.js';
import { bytesFor, type Heap } from './heap.js';
import type { BinnedData } from './types.js';

export interface ForestSpec {
  readonly params: ClassTreeParams;
  readonly bootstrap: boolean;
  /** Rows drawn (with replacement) per tree when bootstrapping. */
  readonly nDraw: number;
}

/**
 * Bootstrap counts of tree `seed` into `counts` (length n): nDraw draws with replacement.
 * Returns the generator, positioned after the draws (the tree continues with it).
 */
export function drawBag(seed: number, n: number, nDraw: number, counts: Int32Array): Random {
  const rng = new Random(seed);
  counts.fill(0);
  for (let d = 0; d < nDraw; d++) counts[rng.int(n)]++;
  return rng;
}

export class ForestTreeBuilder {
  private readonly data: BinnedData;
  private readonly y: Int32Array;
  private readonly spec: ForestSpec;
  private readonly sw: Float32Array | null;
  private readonly grower: ClassTreeGrower;
  private readonly w: Float32Array;
  private readonly m: Float32Array;
  private readonly pk: Float64Array | null;
  private readonly idx: Uint32Array;
  private readonly counts: Int32Array;
  private readonly heap: Heap;

  /** Binary classes without sample weights use packed histograms (see grower.ts PACK). */
  static packed(spec: ForestSpec, n: number, sampleWeight: Float32Array | null): boolean {
    return spec.params.nClasses === 2 && sampleWeight === null && (spec.bootstrap ? spec.nDraw : n) < PACK;
  }

  /** Heap bytes a builder allocates (for a worker's arena). */
  static heapBytes(data: BinnedData, spec: ForestSpec, sampleWeight: Float32Array | null): number {
    const n = data.nRows;
    const packed = ForestTreeBuilder.packed(spec, n, sampleWeight);
    return bytesFor(4 * n, 4 * n, packed ? 8 * n : 0, 4 * n, 4 * n, sampleWeight ? 4 * n : 0) + ClassTreeGrower.heapBytes(data, spec.params.nClasses, packed) + 256;
  }

  /** `data` and `y` live in `heap`; the builder's arrays are allocated there too. */
  constructor(data: BinnedData, y: Int32Array, sampleWeight: Float32Array | null, spec: ForestSpec, heap: Heap) {
    this.data = data;
    this.y = y;
    this.spec = spec;
    this.heap = heap;
    const n = data.nRows;
    const packed = ForestTreeBuilder.packed(spec, n, sampleWeight);
    this.w = heap.f32(n);
    this.m = heap.f32(n);
    this.pk = packed ? heap.f64(n) : null;
    this.idx = heap.u32(n);
    this.counts = heap.i32(n);
    this.sw = sampleWeight ? heap.f32(n) : null;
    if (this.sw && sampleWeight) this.sw.set(sampleWeight);
    this.grower = new ClassTreeGrower(data, y, spec.params, heap, packed);
  }

  /** The tree grown from `seed`. */
  grow(seed: number): FlatTree {
    const n = this.data.nRows;
    const { w, m, pk, idx, counts, sw, y } = this;
    let rng: Random;
    if (this.spec.bootstrap) rng = drawBag(seed, n, this.spec.nDraw, counts);
    else {
      rng = new Random(seed);
      counts.fill(1);
    }
    const k = this.heap.k.bagWeights(counts.byteOffset, y.byteOffset, sw ? sw.byteOffset : 0, n, w.byteOffset, m.byteOffset, pk ? pk.byteOffset : 0, idx.byteOffset);
    return this.grower.grow(w, m, pk, idx, k, rng);
  }
}
