/**
 * Per-group profiles: normal rows are grouped by the one-hot columns of the named inputs (NSL-KDD:
 * protocol_type and service), and each group with at least `minRows` rows gets its own mean and
 * variance per column (in the profile scaler's space); smaller or unseen groups use all normal
 * rows'. The score is the mean squared standardised deviation from the row's group.
 */
import type { Matrix } from '../../features/types.js';
import { ProfileScaler } from './scaler.js';
import type { Profile } from './types.js';

export class GroupProfile implements Profile {
  readonly kind = 'group';
  private scaler: ProfileScaler | null = null;
  private stats = new Map<string, { mu: Float64Array; v: Float64Array }>();
  private global: { mu: Float64Array; v: Float64Array } | null = null;
  private keyCols: number[][] = [];

  constructor(readonly groupBy: readonly string[], readonly minRows = 30, readonly varFloor = 0.05) {}

  private key(X: Matrix, Z: Float32Array, i: number): string {
    const d = X.nCols;
    return this.keyCols.map((cols) => {
      let best = -1;
      for (const j of cols) if (Z[i * d + j]! > 0.5) best = j;
      return best;
    }).join(',');
  }

  fit(X: Matrix, _seed: number): void {
    this.scaler = ProfileScaler.fit(X);
    const Z = this.scaler.transform(X);
    const d = X.nCols;
    this.keyCols = this.groupBy.map((g) => X.columns.flatMap((c, j) => (c.startsWith(`${g}=`) ? [j] : [])));
    const groups = new Map<string, number[]>();
    for (let i = 0; i < X.nRows; i++) {
      const k = this.key(X, Z, i);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = []));
      g.push(i);
    }
    const stat = (rows: ArrayLike<number>): { mu: Float64Array; v: Float64Array } => {
      const mu = new Float64Array(d);
      const v = new Float64Array(d);
      for (let r = 0; r < rows.length; r++) for (let j = 0; j < d; j++) mu[j]! += Z[rows[r]! * d + j]! / rows.length;
      for (let r = 0; r < rows.length; r++) {
        for (let j = 0; j < d; j++) {
          const t = Z[rows[r]! * d + j]! - mu[j]!;
          v[j]! += (t * t) / rows.length;
        }
      }
      for (let j = 0; j < d; j++) v[j] = Math.max(v[j]!, this.varFloor);
      return { mu, v };
    };
    this.global = stat(Array.from({ length: X.nRows }, (_, i) => i));
    this.stats.clear();
    for (const [k, rows] of groups) if (rows.length >= this.minRows) this.stats.set(k, stat(rows));
  }

  score(X: Matrix): Float64Array {
    if (!this.scaler || !this.global) throw new Error('GroupProfile is not fitted');
    const Z = this.scaler.transform(X);
    const d = X.nCols;
    const out = new Float64Array(X.nRows);
    for (let i = 0; i < X.nRows; i++) {
      const { mu, v } = this.stats.get(this.key(X, Z, i)) ?? this.global;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = Z[i * d + j]! - mu[j]!;
        s += (t * t) / v[j]!;
      }
      out[i] = s / d;
    }
    return out;
  }

  toJSON(): Record<string, unknown> {
    return { kind: 'group', groupBy: [...this.groupBy] };
  }
}
