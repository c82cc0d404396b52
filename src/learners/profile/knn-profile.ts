/**
 * k-nearest-neighbour distance to normal traffic: the mean Euclidean distance from a row to its k
 * nearest normal training rows, in the profile scaler's space (scaler.ts: log1p, standardised,
 * clipped). Averaging over k > 1 neighbours makes the score less sensitive to one lucky (or
 * missing) neighbour than the 1-NN distance. An exact VP-tree (vp-tree.ts) finds the neighbours.
 *
 * Attribution: with neighbours n_1..n_k at distances d_1..d_k, the score
 *   s = (1/k) Σ_i d_i = (1/k) Σ_i Σ_j (x_j − n_ij)² / d_i
 * splits exactly over the columns j: φ_j = (1/k) Σ_i (x_j − n_ij)² / d_i, Σ_j φ_j = s.
 */
import { nadirError } from '../../errors.js';
import type { Matrix } from '../../features/types.js';
import { ProfileScaler, type ProfileScalerJSON } from './scaler.js';
import type { Profile } from './types.js';
import { VpTree, type VpTreeJSON } from './vp-tree.js';

export interface KnnProfileJSON {
  kind: 'knn';
  k: number;
  dim: number;
  scaler: ProfileScalerJSON;
  rows: Float32Array;
  tree: VpTreeJSON;
}

export class KnnProfile implements Profile {
  readonly kind = 'knn';
  private scaler: ProfileScaler | null = null;
  private rows: Float32Array | null = null;
  private tree: VpTree | null = null;
  private dim = 0;
  /** Distance computations of the last `score` call (the benchmark's cost measure). */
  lastEvals = 0;

  constructor(readonly k: number, private readonly scalerOpts: { log?: boolean } = {}) {}

  fit(X: Matrix, seed: number): void {
    this.scaler = ProfileScaler.fit(X, this.scalerOpts);
    this.rows = this.scaler.transform(X);
    this.dim = X.nCols;
    this.tree = VpTree.build(this.rows, this.dim, seed);
  }

  private get fitted(): { scaler: ProfileScaler; tree: VpTree } {
    if (!this.scaler || !this.tree) throw nadirError('NADIR_ERR_NOT_FITTED', 'KnnProfile');
    return { scaler: this.scaler, tree: this.tree };
  }

  score(X: Matrix): Float64Array {
    const { scaler, tree } = this.fitted;
    const Z = scaler.transform(X);
    const k = Math.min(this.k, tree.size);
    const out = new Float64Array(X.nRows);
    const buf = new Float64Array(k);
    let evals = 0;
    for (let i = 0; i < X.nRows; i++) {
      evals += tree.knn(Z, i * this.dim, k, buf);
      let s = 0;
      for (let j = 0; j < k; j++) s += buf[j]!;
      out[i] = s / k;
    }
    this.lastEvals = evals;
    return out;
  }

  /** Per-column contributions of each row's score (row-major nRows × nCols), summing to the score exactly. */
  contributions(X: Matrix): Float64Array {
    const { scaler, tree } = this.fitted;
    const rows = this.rows!;
    const d = this.dim;
    const Z = scaler.transform(X);
    const k = Math.min(this.k, tree.size);
    const out = new Float64Array(X.nRows * d);
    const dist = new Float64Array(k);
    const idx = new Int32Array(k);
    for (let i = 0; i < X.nRows; i++) {
      tree.knn(Z, i * d, k, dist, -1, idx);
      for (let m = 0; m < k; m++) {
        if (!(dist[m]! > 0)) continue; // an exact match contributes nothing
        const base = idx[m]! * d;
        for (let j = 0; j < d; j++) {
          const t = Z[i * d + j]! - rows[base + j]!;
          out[i * d + j]! += (t * t) / dist[m]! / k;
        }
      }
    }
    return out;
  }

  toJSON(): KnnProfileJSON {
    const { scaler, tree } = this.fitted;
    return { kind: 'knn', k: this.k, dim: this.dim, scaler: scaler.toJSON(), rows: this.rows!, tree: tree.toJSON() };
  }

  /** Restore a saved profile, checking every array's kind and length (a damaged file is MODEL_CORRUPT, never a TypeError). */
  static fromJSON(obj: unknown, nFeatures: number, source = 'model'): KnnProfile {
    const bad = (why: string): Error => nadirError('NADIR_ERR_MODEL_CORRUPT', source, `fitted.profile: ${why}`);
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw bad('must be an object');
    const j = obj as Record<string, unknown>;
    if (j.kind !== 'knn') throw bad(`unknown profile kind ${JSON.stringify(j.kind)}`);
    const k = j.k;
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) throw bad('k must be a whole number ≥ 1');
    if (j.dim !== nFeatures) throw bad(`dim must be ${nFeatures}`);
    const typed = <T>(o: Record<string, unknown>, key: string, Ctor: new (n: number) => T, length?: number): T => {
      const v = o[key];
      if (!(v instanceof Ctor)) throw bad(`${key} must be a ${Ctor.name}`);
      if (length !== undefined && (v as { length: number }).length !== length) throw bad(`${key} has ${(v as { length: number }).length} values, expected ${length}`);
      return v;
    };
    const sc = j.scaler;
    if (sc === null || typeof sc !== 'object') throw bad('scaler must be an object');
    const so = sc as Record<string, unknown>;
    const scaler: ProfileScalerJSON = {
      log: typed(so, 'log', Uint8Array, nFeatures),
      mean: typed(so, 'mean', Float64Array, nFeatures),
      scale: typed(so, 'scale', Float64Array, nFeatures),
      clip: typeof so.clip === 'number' && so.clip > 0 ? so.clip : (() => { throw bad('scaler.clip must be a number > 0'); })(),
    };
    for (let i = 0; i < nFeatures; i++) if (!(scaler.scale[i]! > 0) || !Number.isFinite(scaler.mean[i]!)) throw bad(`scaler column ${i} is not finite`);
    const rows = typed(j, 'rows', Float32Array);
    if (rows.length === 0 || rows.length % nFeatures !== 0) throw bad(`rows has ${rows.length} values, not a multiple of ${nFeatures}`);
    const n = rows.length / nFeatures;
    const t = j.tree;
    if (t === null || typeof t !== 'object') throw bad('tree must be an object');
    const to = t as Record<string, unknown>;
    const order = typed(to, 'order', Int32Array, n);
    const nodeRow = typed(to, 'nodeRow', Int32Array);
    const m = nodeRow.length;
    const tree: VpTreeJSON = {
      nodeRow,
      nodeMu: typed(to, 'nodeMu', Float64Array, m),
      nodeInner: typed(to, 'nodeInner', Int32Array, m),
      nodeOuter: typed(to, 'nodeOuter', Int32Array, m),
      nodeStart: typed(to, 'nodeStart', Int32Array, m),
      nodeEnd: typed(to, 'nodeEnd', Int32Array, m),
      order,
    };
    const seen = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const r = order[i]!;
      if (!(r >= 0 && r < n) || seen[r]) throw bad('tree.order is not a permutation of the rows');
      seen[r] = 1;
    }
    for (let id = 0; id < m; id++) {
      const s = tree.nodeStart[id]!;
      if (s >= 0) {
        if (!(tree.nodeEnd[id]! >= s && tree.nodeEnd[id]! <= n)) throw bad(`tree node ${id} has a bad row range`);
      } else {
        const a = tree.nodeInner[id]!;
        const b = tree.nodeOuter[id]!;
        if (!(a > id && a < m && b > id && b < m) || !(nodeRow[id]! >= 0 && nodeRow[id]! < n)) throw bad(`tree node ${id} has bad children`);
      }
    }
    const p = new KnnProfile(k);
    p.scaler = ProfileScaler.fromJSON(scaler);
    p.rows = rows;
    p.dim = nFeatures;
    p.tree = VpTree.fromJSON(rows, nFeatures, tree);
    return p;
  }
}
