/**
 * One tree of a random forest (Breiman 2001): a bootstrap sample (or all rows), then a CART
 * tree on class-count histograms with features drawn per node. Used by the main thread and by
 * worker threads alike; a tree depends only on its own seed, so the forest is the same for any
 * number of threads.
 */
import type { FlatTree } from '../learners/types.js';
import { Random } from '../util/random.js';
import { ClassTreeGrower, type ClassTreeParams } from './grower.js';
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
  private readonly spec: ForestSpec;
  private readonly sw: Float32Array | null;
  private readonly grower: ClassTreeGrower;
  private readonly w: Float32Array;
  private readonly idx: Uint32Array;
  private readonly counts: Int32Array;

  constructor(data: BinnedData, y: Int32Array, sampleWeight: Float32Array | null, spec: ForestSpec) {
    this.data = data;
    this.spec = spec;
    this.sw = sampleWeight;
    this.grower = new ClassTreeGrower(data, y, spec.params);
    this.w = new Float32Array(data.nRows);
    this.idx = new Uint32Array(data.nRows);
    this.counts = new Int32Array(data.nRows);
  }

  /** The tree grown from `seed`. */
  grow(seed: number): FlatTree {
    const n = this.data.nRows;
    const { w, idx, counts, sw } = this;
    let rng: Random;
    if (this.spec.bootstrap) rng = drawBag(seed, n, this.spec.nDraw, counts);
    else {
      rng = new Random(seed);
      counts.fill(1);
    }
    let k = 0;
    for (let r = 0; r < n; r++) {
      const c = counts[r]!;
      const v = sw ? c * sw[r]! : c;
      w[r] = v;
      if (v > 0) idx[k++] = r;
    }
    return this.grower.grow(w, idx, k, rng);
  }
}
