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
    if (!this.scaler || !this.tree) throw new Error('KnnProfile is not fitted');
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

  static fromJSON(j: KnnProfileJSON): KnnProfile {
    const p = new KnnProfile(j.k);
    p.scaler = ProfileScaler.fromJSON(j.scaler);
    p.rows = j.rows;
    p.dim = j.dim;
    p.tree = VpTree.fromJSON(j.rows, j.dim, j.tree);
    return p;
  }
}
