/**
 * k-nearest-neighbour distance to normal traffic: the mean Euclidean distance from a row to its k
 * nearest normal training rows, in the profile scaler's space (scaler.ts: log1p, standardised,
 * clipped). Averaging over k > 1 neighbours makes the score less sensitive to one lucky (or
 * missing) neighbour than the 1-NN distance. An exact VP-tree (vp-tree.ts) finds the neighbours.
 *
 * Attribution: with neighbours n_1..n_k at distances d_1..d_k, the score
 *   s = (1/k) Σ_i d_i = (1/k) Σ_i Σ_j (x_j − n_ij)² / d_i
 * splits exactly over the columns j: φ_j = (1/k) Σ_i (x_j − n_ij)² / d_i, Σ_j φ_j = s.
 *
 * `scale: 'local'` (round 3 of the hybrid's selection, docs/hybrid.md): each neighbour's distance is
 * divided by the local spacing of normal traffic at that neighbour, a LOF-like ratio that asks
 * "far for its region?" rather than "far?":
 *   s = (1/k) Σ_i d_i / r_i,  r_i = max(ρ(n_i), ρ_floor)
 * with ρ(n) the distance from fitted row n to its nearest *other* fitted row at distance > 0 (exact
 * duplicates skipped; a row whose other rows are all its duplicates has none, ρ = 0 → ρ_floor) and
 * ρ_floor the median of the defined ρ (1 if none is defined). Attribution: φ_j = (1/k) Σ_i
 * (x_j − n_ij)² / (d_i · r_i), ≥ 0, Σ_j φ_j = s.
 */
import { nadirError } from '../../errors.js';
import type { Matrix } from '../../features/types.js';
import { ProfileScaler, type ProfileScalerJSON } from './scaler.js';
import type { Profile } from './types.js';
import { VpTree, type VpTreeJSON } from './vp-tree.js';

/** The raw distance (`none`) or the distance relative to the neighbour's local spacing (`local`). */
export const PROFILE_SCALES = ['none', 'local'] as const;
export type ProfileScale = (typeof PROFILE_SCALES)[number];

export interface KnnProfileJSON {
  kind: 'knn';
  k: number;
  dim: number;
  scaler: ProfileScalerJSON;
  rows: Float32Array;
  tree: VpTreeJSON;
  /** Absent in files written before round 3: 'none'. */
  scale?: ProfileScale;
  /** scale 'local': ρ per fitted row (0: none defined) and ρ_floor. */
  rho?: Float64Array;
  rhoFloor?: number;
}

/**
 * ρ of every indexed row (the distance to its nearest other row at distance > 0; 0 when every other
 * row is its duplicate) and ρ_floor (the median of the defined ρ; 1 when none is defined).
 */
export function localSpacing(rows: Float32Array, dim: number, tree: VpTree): { rho: Float64Array; floor: number } {
  const n = tree.size;
  const rho = new Float64Array(n);
  const buf = new Float64Array(1);
  const defined: number[] = [];
  for (let r = 0; r < n; r++) {
    tree.knn(rows, r * dim, 1, buf, -1, undefined, true);
    const v = buf[0]!;
    if (Number.isFinite(v)) {
      rho[r] = v;
      defined.push(v);
    }
  }
  return { rho, floor: defined.length > 0 ? median(defined) : 1 };
}

function median(v: number[]): number {
  const s = Float64Array.from(v).sort();
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export class KnnProfile implements Profile {
  readonly kind = 'knn';
  private scaler: ProfileScaler | null = null;
  private rows: Float32Array | null = null;
  private tree: VpTree | null = null;
  private dim = 0;
  /** scale 'local': max(ρ(n), ρ_floor) per fitted row n (the divisor of its distances). */
  private divisor: Float64Array | null = null;
  private rho: Float64Array | null = null;
  private rhoFloor = 1;
  /** Distance computations of the last `score` call (the benchmark's cost measure). */
  lastEvals = 0;

  constructor(
    readonly k: number,
    private readonly scalerOpts: { log?: boolean } = {},
    readonly scale: ProfileScale = 'none',
  ) {}

  fit(X: Matrix, seed: number): void {
    this.scaler = ProfileScaler.fit(X, this.scalerOpts);
    this.rows = this.scaler.transform(X);
    this.dim = X.nCols;
    this.tree = VpTree.build(this.rows, this.dim, seed);
    if (this.scale === 'local') {
      const { rho, floor } = localSpacing(this.rows, this.dim, this.tree);
      this.setSpacing(rho, floor);
    }
  }

  private setSpacing(rho: Float64Array, floor: number): void {
    this.rho = rho;
    this.rhoFloor = floor;
    this.divisor = Float64Array.from(rho, (v) => Math.max(v, floor));
  }

  /** scale 'local': ρ per fitted row (0: none defined) and ρ_floor (tests, the docs). */
  get spacing(): { rho: Float64Array; floor: number } | null {
    return this.rho ? { rho: this.rho, floor: this.rhoFloor } : null;
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
    const div = this.divisor;
    const idx = div ? new Int32Array(k) : undefined;
    let evals = 0;
    for (let i = 0; i < X.nRows; i++) {
      evals += tree.knn(Z, i * this.dim, k, buf, -1, idx);
      let s = 0;
      if (div) for (let j = 0; j < k; j++) s += buf[j]! / div[idx![j]!]!;
      else for (let j = 0; j < k; j++) s += buf[j]!;
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
    const div = this.divisor;
    for (let i = 0; i < X.nRows; i++) {
      tree.knn(Z, i * d, k, dist, -1, idx);
      for (let m = 0; m < k; m++) {
        if (!(dist[m]! > 0)) continue; // an exact match contributes nothing
        const base = idx[m]! * d;
        const w = div ? dist[m]! * div[idx[m]!]! : dist[m]!;
        for (let j = 0; j < d; j++) {
          const t = Z[i * d + j]! - rows[base + j]!;
          out[i * d + j]! += (t * t) / w / k;
        }
      }
    }
    return out;
  }

  toJSON(): KnnProfileJSON {
    const { scaler, tree } = this.fitted;
    const base: KnnProfileJSON = { kind: 'knn', k: this.k, dim: this.dim, scaler: scaler.toJSON(), rows: this.rows!, tree: tree.toJSON(), scale: this.scale };
    return this.rho ? { ...base, rho: this.rho, rhoFloor: this.rhoFloor } : base;
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
    const scale = j.scale ?? 'none';
    if (!PROFILE_SCALES.includes(scale as ProfileScale)) throw bad(`unknown scale ${JSON.stringify(scale)}`);
    const p = new KnnProfile(k, {}, scale as ProfileScale);
    if (scale === 'local') {
      const rho = typed(j, 'rho', Float64Array, n);
      for (let i = 0; i < n; i++) if (!(rho[i]! >= 0 && Number.isFinite(rho[i]!))) throw bad(`rho[${i}] must be a finite number ≥ 0`);
      const floor = j.rhoFloor;
      if (typeof floor !== 'number' || !(floor > 0) || !Number.isFinite(floor)) throw bad('rhoFloor must be a finite number > 0');
      p.setSpacing(rho, floor);
    }
    p.scaler = ProfileScaler.fromJSON(scaler);
    p.rows = rows;
    p.dim = nFeatures;
    p.tree = VpTree.fromJSON(rows, nFeatures, tree);
    return p;
  }
}
