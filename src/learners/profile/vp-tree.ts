/**
 * A vantage-point tree (Yianilos, "Data structures and algorithms for nearest neighbor search in
 * general metric spaces", SODA 1993) over the rows of a dense row-major Float32Array, for exact
 * k-nearest-neighbour queries under the Euclidean distance.
 *
 * Build: a node takes a vantage point (a random row of its range), computes the distance of every
 * other row of the range to it, and splits the range at the median distance μ: rows closer than μ
 * go to the inner child, the others to the outer child. Query: descend into the child on the query's
 * side first and visit the other child only when the ball of the current k-th nearest distance τ
 * crosses the sphere of radius μ (|d − μ| < τ). Exact: the triangle inequality rules out nothing
 * it should not.
 *
 * Stored as parallel typed arrays (one entry per node): the vantage row, μ, inner and outer child
 * (−1: none); `order` lists the rows in build order. Leaves of up to LEAF rows are scanned.
 */
import { Random } from '../../util/random.js';

const LEAF = 16;

export interface VpTreeJSON {
  nodeRow: Int32Array;
  nodeMu: Float64Array;
  nodeInner: Int32Array;
  nodeOuter: Int32Array;
  /** Leaf nodes: start and end (exclusive) in `order`; internal nodes: −1. */
  nodeStart: Int32Array;
  nodeEnd: Int32Array;
  order: Int32Array;
}

export class VpTree {
  private constructor(
    private readonly data: Float32Array,
    private readonly dim: number,
    private readonly t: VpTreeJSON,
  ) {}

  /** Index the `n` rows of `data` (n × dim, row-major). The tree keeps a reference to `data`. */
  static build(data: Float32Array, dim: number, seed = 0): VpTree {
    const n = dim === 0 ? 0 : data.length / dim;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const rng = new Random(seed);
    const row: number[] = [];
    const mu: number[] = [];
    const inner: number[] = [];
    const outer: number[] = [];
    const start: number[] = [];
    const end: number[] = [];
    const dist = new Float64Array(n);
    const scratch = new Int32Array(n);
    const node = (lo: number, hi: number): number => {
      const id = row.length;
      row.push(-1);
      mu.push(0);
      inner.push(-1);
      outer.push(-1);
      start.push(-1);
      end.push(-1);
      if (hi - lo <= LEAF) {
        start[id] = lo;
        end[id] = hi;
        return id;
      }
      // vantage point: a random row of the range, moved to position lo
      const pick = lo + rng.int(hi - lo);
      const tmp = order[lo]!;
      order[lo] = order[pick]!;
      order[pick] = tmp;
      const vp = order[lo]!;
      row[id] = vp;
      for (let i = lo + 1; i < hi; i++) dist[order[i]!] = distance(data, dim, vp, data, order[i]! * dim);
      // median split of order[lo+1 .. hi) by distance (sort: ranges are built once)
      const m = hi - lo - 1;
      for (let i = 0; i < m; i++) scratch[i] = order[lo + 1 + i]!;
      const sub = scratch.subarray(0, m).sort((a, b) => dist[a]! - dist[b]!);
      for (let i = 0; i < m; i++) order[lo + 1 + i] = sub[i]!;
      const half = lo + 1 + (m >> 1);
      mu[id] = dist[order[half]!]!;
      const a = node(lo + 1, half);
      const b = node(half, hi);
      inner[id] = a;
      outer[id] = b;
      return id;
    };
    if (n > 0) node(0, n);
    return new VpTree(data, dim, {
      nodeRow: Int32Array.from(row),
      nodeMu: Float64Array.from(mu),
      nodeInner: Int32Array.from(inner),
      nodeOuter: Int32Array.from(outer),
      nodeStart: Int32Array.from(start),
      nodeEnd: Int32Array.from(end),
      order,
    });
  }

  static fromJSON(data: Float32Array, dim: number, t: VpTreeJSON): VpTree {
    return new VpTree(data, dim, t);
  }

  toJSON(): VpTreeJSON {
    return this.t;
  }

  get size(): number {
    return this.t.order.length;
  }

  /**
   * The distances of the k nearest indexed rows to the query row `q[off .. off + dim)`, ascending,
   * written to `out` (length ≥ k; fewer rows than k: the rest stay Infinity). `skip`: an indexed row
   * to leave out (leave-one-out), or −1. `positive`: only rows at distance > 0 count (the query's
   * exact duplicates, itself included, are skipped). Returns the number of distance computations (cost).
   */
  knn(q: Float32Array, off: number, k: number, out: Float64Array, skip = -1, idx?: Int32Array, positive = false): number {
    out.fill(Infinity, 0, k);
    idx?.fill(-1, 0, k);
    if (this.t.order.length === 0) return 0;
    const { nodeRow, nodeMu, nodeInner, nodeOuter, nodeStart, nodeEnd, order } = this.t;
    const data = this.data;
    const dim = this.dim;
    let evals = 0;
    // out[0..k) is kept sorted ascending: insertion is O(k), k is small
    const offer = (d: number, r: number): void => {
      if (d >= out[k - 1]! || (positive && !(d > 0))) return;
      let i = k - 1;
      while (i > 0 && out[i - 1]! > d) {
        out[i] = out[i - 1]!;
        if (idx) idx[i] = idx[i - 1]!;
        i--;
      }
      out[i] = d;
      if (idx) idx[i] = r;
    };
    const stack: number[] = [0];
    const lowerBound: number[] = [0];
    while (stack.length > 0) {
      const id = stack.pop()!;
      const lb = lowerBound.pop()!;
      if (lb >= out[k - 1]!) continue;
      const s = nodeStart[id]!;
      if (s >= 0) {
        const e = nodeEnd[id]!;
        for (let i = s; i < e; i++) {
          const r = order[i]!;
          if (r === skip) continue;
          evals++;
          offer(distance(data, dim, r, q, off), r);
        }
        continue;
      }
      const vp = nodeRow[id]!;
      evals++;
      const d = distance(data, dim, vp, q, off);
      if (vp !== skip) offer(d, vp);
      const m = nodeMu[id]!;
      // visit the query's side last (popped first); the other side only if its bound can still beat τ
      if (d < m) {
        stack.push(nodeOuter[id]!);
        lowerBound.push(Math.max(lb, d - m >= 0 ? 0 : m - d));
        stack.push(nodeInner[id]!);
        lowerBound.push(lb);
      } else {
        stack.push(nodeInner[id]!);
        lowerBound.push(Math.max(lb, d - m));
        stack.push(nodeOuter[id]!);
        lowerBound.push(lb);
      }
    }
    return evals;
  }
}

/** Euclidean distance between indexed row `r` and the query at `q[off ..]` (hot loop, written out by hand). */
function distance(data: Float32Array, dim: number, r: number, q: Float32Array, off: number): number {
  let s = 0;
  const base = r * dim;
  for (let j = 0; j < dim; j++) {
    const t = data[base + j]! - q[off + j]!;
    s += t * t;
  }
  return Math.sqrt(s);
}
