/**
 * PCA reconstruction error (Shyu et al., "A novel anomaly detection scheme based on principal
 * component classifier", 2003): the principal axes of normal rows in the profile scaler's space
 * that explain `variance` of their variance; the score is the squared distance from a row to its
 * projection on them. Eigenvectors of the covariance by the cyclic Jacobi method (Golub & Van Loan
 * §8.5).
 */
import type { Matrix } from '../../features/types.js';
import { ProfileScaler } from './scaler.js';
import type { Profile } from './types.js';

export class PcaProfile implements Profile {
  readonly kind = 'pca';
  private scaler: ProfileScaler | null = null;
  private mean = new Float64Array(0);
  /** q × d, row-major: the kept axes. */
  private axes = new Float64Array(0);
  private q = 0;
  private d = 0;

  constructor(readonly variance = 0.95) {}

  fit(X: Matrix, _seed: number): void {
    this.scaler = ProfileScaler.fit(X);
    const Z = this.scaler.transform(X);
    const n = X.nRows;
    const d = (this.d = X.nCols);
    const mean = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += Z[i * d + j]! / n;
    const C = new Float64Array(d * d);
    const row = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) row[j] = Z[i * d + j]! - mean[j]!;
      for (let a = 0; a < d; a++) {
        const ra = row[a]!;
        if (ra === 0) continue;
        for (let b = a; b < d; b++) C[a * d + b]! += ra * row[b]!;
      }
    }
    for (let a = 0; a < d; a++) for (let b = a; b < d; b++) C[b * d + a] = C[a * d + b]! /= n;
    const { values, vectors } = jacobiEigen(C, d);
    const order = [...values.keys()].sort((a, b) => values[b]! - values[a]!);
    const total = values.reduce((s, x) => s + Math.max(0, x), 0);
    let acc = 0;
    let q = 0;
    while (q < d && acc < this.variance * total) acc += Math.max(0, values[order[q++]!]!);
    this.q = q;
    this.axes = new Float64Array(q * d);
    for (let t = 0; t < q; t++) for (let j = 0; j < d; j++) this.axes[t * d + j] = vectors[j * d + order[t]!]!;
    this.mean = mean;
  }

  score(X: Matrix): Float64Array {
    if (!this.scaler) throw new Error('PcaProfile is not fitted');
    const Z = this.scaler.transform(X);
    const { d, q, axes, mean } = this;
    const out = new Float64Array(X.nRows);
    const r = new Float64Array(d);
    for (let i = 0; i < X.nRows; i++) {
      let norm = 0;
      for (let j = 0; j < d; j++) {
        r[j] = Z[i * d + j]! - mean[j]!;
        norm += r[j]! * r[j]!;
      }
      let proj = 0;
      for (let t = 0; t < q; t++) {
        let p = 0;
        for (let j = 0; j < d; j++) p += axes[t * d + j]! * r[j]!;
        proj += p * p;
      }
      out[i] = Math.max(0, norm - proj);
    }
    return out;
  }

  toJSON(): Record<string, unknown> {
    return { kind: 'pca', variance: this.variance, scaler: this.scaler?.toJSON(), mean: this.mean, axes: this.axes, q: this.q, d: this.d };
  }
}

/** Eigenvalues and eigenvectors (columns of `vectors`, d × d row-major) of a symmetric matrix, cyclic Jacobi. */
export function jacobiEigen(S: Float64Array, d: number, sweeps = 30): { values: number[]; vectors: Float64Array } {
  const A = Float64Array.from(S);
  const V = new Float64Array(d * d);
  for (let i = 0; i < d; i++) V[i * d + i] = 1;
  for (let sweep = 0; sweep < sweeps; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += A[p * d + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = A[p * d + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (A[q * d + q]! - A[p * d + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = A[k * d + p]!;
          const akq = A[k * d + q]!;
          A[k * d + p] = c * akp - s * akq;
          A[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = A[p * d + k]!;
          const aqk = A[q * d + k]!;
          A[p * d + k] = c * apk - s * aqk;
          A[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = V[k * d + p]!;
          const vkq = V[k * d + q]!;
          V[k * d + p] = c * vkp - s * vkq;
          V[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: Array.from({ length: d }, (_, i) => A[i * d + i]!), vectors: V };
}
