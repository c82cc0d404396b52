/** Hand-built and random flat trees plus brute-force Shapley values, for the explanation tests. */
import type { FlatTree, TreeEnsemble } from '../../tree/types.js';
import { Random } from '../../util/random.js';

export interface NodeSpec {
  /** Split feature; omit for a leaf. */
  f?: number;
  t?: number;
  l?: number;
  r?: number;
  /** Missing values go left (default true). */
  dl?: boolean;
  /** Leaf values (one per output); internal nodes may omit. */
  v?: number[];
  cover: number;
}

export function flatTree(nodes: NodeSpec[], nOutputs = 1): FlatTree {
  const n = nodes.length;
  const t = {
    nNodes: n,
    feature: new Int32Array(n),
    threshold: new Float32Array(n),
    left: new Int32Array(n),
    right: new Int32Array(n),
    defaultLeft: new Uint8Array(n),
    value: new Float64Array(n * nOutputs),
    cover: new Float64Array(n),
    gain: new Float64Array(n),
    nOutputs,
  };
  nodes.forEach((s, i) => {
    const leaf = s.f === undefined;
    t.feature[i] = leaf ? -1 : s.f!;
    t.threshold[i] = leaf ? 0 : s.t!;
    t.left[i] = leaf ? -1 : s.l!;
    t.right[i] = leaf ? -1 : s.r!;
    t.defaultLeft[i] = s.dl === false ? 0 : 1;
    t.cover[i] = s.cover;
    if (s.v) for (let o = 0; o < nOutputs; o++) t.value[i * nOutputs + o] = s.v[o]!;
  });
  return t;
}

export function ensemble(trees: FlatTree[], opts: Partial<Pick<TreeEnsemble, 'nOutputs' | 'scale' | 'link' | 'nFeatures'>> & { treeOutput?: number[]; baseScore?: number[] } = {}): TreeEnsemble {
  const nOutputs = opts.nOutputs ?? 1;
  return {
    trees,
    treeOutput: Int32Array.from(opts.treeOutput ?? trees.map(() => -1)),
    nOutputs,
    baseScore: Float64Array.from(opts.baseScore ?? new Array<number>(nOutputs).fill(0)),
    scale: opts.scale ?? 1,
    link: opts.link ?? 'identity',
    nFeatures: opts.nFeatures ?? 3,
  };
}

function child(t: FlatTree, node: number, x: ArrayLike<number>): number {
  const v = x[t.feature[node]!]!;
  const left = Number.isNaN(v) ? t.defaultLeft[node] === 1 : v <= t.threshold[node]!;
  return left ? t.left[node]! : t.right[node]!;
}

function addLeafValue(out: Float64Array, e: TreeEnsemble, tIdx: number, leaf: number, w: number): void {
  const t = e.trees[tIdx]!;
  const to = e.treeOutput[tIdx]!;
  const no = t.nOutputs;
  if (to >= 0) out[to]! += w * t.value[leaf * no + (no === 1 ? 0 : to)]!;
  else for (let o = 0; o < e.nOutputs; o++) out[o]! += w * t.value[leaf * no + o]!;
}

/** Raw output (margin) per output by plain traversal: baseScore + scale × Σ leaf values. */
export function rawOutput(e: TreeEnsemble, x: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(e.baseScore);
  e.trees.forEach((t, ti) => {
    let n = 0;
    while (t.feature[n] !== -1) n = child(t, n, x);
    addLeafValue(out, e, ti, n, e.scale);
  });
  return out;
}

/** E[f(x) | x_S]: splits on features in S follow x, others average their children by cover. */
export function conditionalExpectation(e: TreeEnsemble, x: ArrayLike<number>, inS: boolean[]): Float64Array {
  const out = Float64Array.from(e.baseScore);
  e.trees.forEach((t, ti) => {
    const walk = (n: number, w: number): void => {
      if (t.feature[n] === -1) {
        addLeafValue(out, e, ti, n, w * e.scale);
        return;
      }
      if (inS[t.feature[n]!]) {
        walk(child(t, n, x), w);
        return;
      }
      const cl = t.cover[t.left[n]!]!;
      const cr = t.cover[t.right[n]!]!;
      const l = cl + cr > 0 ? cl / (cl + cr) : 0.5;
      walk(t.left[n]!, w * l);
      walk(t.right[n]!, w * (1 - l));
    };
    walk(0, 1);
  });
  return out;
}

/** Exact Shapley values by enumerating all 2^M coalitions: result[o][j]. */
export function bruteForceShapley(e: TreeEnsemble, x: ArrayLike<number>): Float64Array[] {
  const M = e.nFeatures;
  const fact = [1];
  for (let i = 1; i <= M; i++) fact.push(fact[i - 1]! * i);
  const v = new Map<number, Float64Array>();
  for (let mask = 0; mask < 1 << M; mask++) {
    v.set(mask, conditionalExpectation(e, x, Array.from({ length: M }, (_, j) => ((mask >> j) & 1) === 1)));
  }
  const phi = Array.from({ length: e.nOutputs }, () => new Float64Array(M));
  for (let j = 0; j < M; j++) {
    for (let mask = 0; mask < 1 << M; mask++) {
      if ((mask >> j) & 1) continue;
      let size = 0;
      for (let b = 0; b < M; b++) size += (mask >> b) & 1;
      const w = (fact[size]! * fact[M - size - 1]!) / fact[M]!;
      const with_ = v.get(mask | (1 << j))!;
      const without = v.get(mask)!;
      for (let o = 0; o < e.nOutputs; o++) phi[o]![j]! += w * (with_[o]! - without[o]!);
    }
  }
  return phi;
}

/**
 * A random tree of at most `maxDepth` over `nFeatures` features, thresholds on a 0.5 grid
 * (so rows can hit them exactly), random missing directions and additive covers (a child
 * may get zero cover when `zeroCover` is set).
 */
export function randomTree(rng: Random, nFeatures: number, maxDepth: number, nOutputs: number, zeroCover = false): FlatTree {
  const nodes: NodeSpec[] = [];
  const build = (depth: number, cover: number): number => {
    const id = nodes.length;
    nodes.push({ cover });
    if (depth >= maxDepth || (depth > 0 && rng.next() < 0.25)) {
      nodes[id]!.v = Array.from({ length: nOutputs }, () => Math.round((rng.next() * 4 - 2) * 100) / 100);
      return id;
    }
    let share = 0.1 + 0.8 * rng.next();
    if (zeroCover && rng.next() < 0.2) share = rng.next() < 0.5 ? 0 : 1;
    const spec = nodes[id]!;
    spec.f = rng.int(nFeatures);
    spec.t = rng.int(7) * 0.5 - 1.5;
    spec.dl = rng.next() < 0.5;
    spec.l = build(depth + 1, cover * share);
    spec.r = build(depth + 1, cover * (1 - share));
    return id;
  };
  build(0, 100);
  return flatTree(nodes, nOutputs);
}

/** A random row: values on the threshold grid (ties with thresholds happen), some NaN. */
export function randomRow(rng: Random, nFeatures: number, nanRate = 0.15): Float32Array {
  const x = new Float32Array(nFeatures);
  for (let j = 0; j < nFeatures; j++) x[j] = rng.next() < nanRate ? NaN : rng.int(9) * 0.5 - 2;
  return x;
}

export { Random };
