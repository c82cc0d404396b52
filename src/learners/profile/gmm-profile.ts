/**
 * A Gaussian mixture with diagonal covariances, fitted by expectation–maximisation (Dempster,
 * Laird & Rubin 1977) on normal rows in the profile scaler's space; the score is the negative
 * log-density −log p(x). Initial means: k-means++ seeding (Arthur & Vassilvitskii 2007); variances
 * floored at `varFloor` (a column constant within a component must not collapse it).
 */
import type { Matrix } from '../../features/types.js';
import { Random } from '../../util/random.js';
import { ProfileScaler } from './scaler.js';
import type { Profile } from './types.js';

export class GmmProfile implements Profile {
  readonly kind = 'gmm';
  private scaler: ProfileScaler | null = null;
  private w = new Float64Array(0);
  private mu = new Float64Array(0);
  private v = new Float64Array(0);
  private d = 0;

  constructor(readonly components: number, readonly iterations = 30, readonly varFloor = 1e-2) {}

  fit(X: Matrix, seed: number): void {
    this.scaler = ProfileScaler.fit(X);
    const Z = this.scaler.transform(X);
    const n = X.nRows;
    const d = (this.d = X.nCols);
    const K = Math.min(this.components, n);
    const rng = new Random(seed);
    const mu = new Float64Array(K * d);
    // k-means++ seeding
    const best = new Float64Array(n).fill(Infinity);
    let c = rng.int(n);
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < d; j++) mu[k * d + j] = Z[c * d + j]!;
      let total = 0;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) {
          const t = Z[i * d + j]! - mu[k * d + j]!;
          s += t * t;
        }
        if (s < best[i]!) best[i] = s;
        total += best[i]!;
      }
      let u = rng.next() * total;
      c = n - 1;
      for (let i = 0; i < n; i++) {
        u -= best[i]!;
        if (u <= 0) {
          c = i;
          break;
        }
      }
    }
    const w = new Float64Array(K).fill(1 / K);
    const v = new Float64Array(K * d).fill(1);
    const resp = new Float64Array(n * K);
    for (let it = 0; it < this.iterations; it++) {
      // E step
      this.w = w;
      this.mu = mu;
      this.v = v;
      for (let i = 0; i < n; i++) this.logJoint(Z, i * d, resp, i * K, K);
      for (let i = 0; i < n; i++) {
        let m = -Infinity;
        for (let k = 0; k < K; k++) m = Math.max(m, resp[i * K + k]!);
        let s = 0;
        for (let k = 0; k < K; k++) s += resp[i * K + k] = Math.exp(resp[i * K + k]! - m);
        for (let k = 0; k < K; k++) resp[i * K + k]! /= s;
      }
      // M step
      for (let k = 0; k < K; k++) {
        let nk = 0;
        const m = new Float64Array(d);
        const m2 = new Float64Array(d);
        for (let i = 0; i < n; i++) {
          const r = resp[i * K + k]!;
          if (r < 1e-12) continue;
          nk += r;
          for (let j = 0; j < d; j++) {
            const z = Z[i * d + j]!;
            m[j]! += r * z;
            m2[j]! += r * z * z;
          }
        }
        w[k] = Math.max(nk / n, 1e-12);
        if (nk < 1e-9) continue;
        for (let j = 0; j < d; j++) {
          const mj = m[j]! / nk;
          mu[k * d + j] = mj;
          v[k * d + j] = Math.max(m2[j]! / nk - mj * mj, this.varFloor);
        }
      }
    }
    this.w = w;
    this.mu = mu;
    this.v = v;
  }

  /** log(w_k) + log N(z | μ_k, diag v_k) for every component, into out[o .. o + K). */
  private logJoint(Z: Float32Array, off: number, out: Float64Array, o: number, K: number): void {
    const d = this.d;
    for (let k = 0; k < K; k++) {
      let s = Math.log(this.w[k]!) - 0.5 * d * Math.log(2 * Math.PI);
      for (let j = 0; j < d; j++) {
        const vv = this.v[k * d + j]!;
        const t = Z[off + j]! - this.mu[k * d + j]!;
        s -= 0.5 * (Math.log(vv) + (t * t) / vv);
      }
      out[o + k] = s;
    }
  }

  score(X: Matrix): Float64Array {
    if (!this.scaler) throw new Error('GmmProfile is not fitted');
    const Z = this.scaler.transform(X);
    const K = this.w.length;
    const buf = new Float64Array(K);
    const out = new Float64Array(X.nRows);
    for (let i = 0; i < X.nRows; i++) {
      this.logJoint(Z, i * this.d, buf, 0, K);
      let m = -Infinity;
      for (let k = 0; k < K; k++) m = Math.max(m, buf[k]!);
      let s = 0;
      for (let k = 0; k < K; k++) s += Math.exp(buf[k]! - m);
      out[i] = -(m + Math.log(s));
    }
    return out;
  }

  toJSON(): Record<string, unknown> {
    return { kind: 'gmm', components: this.components, d: this.d, scaler: this.scaler?.toJSON(), w: this.w, mu: this.mu, v: this.v };
  }
}
