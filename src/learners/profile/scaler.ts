/**
 * The profile's view of a feature matrix, fitted on normal training rows only: 0/1 columns
 * (one-hot indicators, flags) stay 0/1; every other column is log-compressed when it is
 * non-negative (signed log1p: counts and byte totals span many orders of magnitude) and then
 * standardised with the normal rows' mean and standard deviation (floored at `minScale`, so a column
 * constant in normal traffic does not divide by zero), and clipped to ±`clip` so that no single
 * column can dominate a distance.
 */
import type { Matrix } from '../../features/types.js';

export interface ProfileScalerJSON {
  log: Uint8Array;
  mean: Float64Array;
  scale: Float64Array;
  clip: number;
}

export class ProfileScaler {
  private constructor(readonly s: ProfileScalerJSON) {}

  static fit(X: Matrix, opts: { log?: boolean; clip?: number; minScale?: number } = {}): ProfileScaler {
    const { nRows: n, nCols: d, data } = X;
    const useLog = opts.log ?? true;
    const clip = opts.clip ?? 10;
    const minScale = opts.minScale ?? 0.1;
    const log = new Uint8Array(d);
    const mean = new Float64Array(d);
    const scale = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      let min = Infinity;
      let binary = true;
      for (let i = 0; i < n; i++) {
        const v = data[i * d + j]!;
        if (v === v && v < min) min = v;
        if (v === v && v !== 0 && v !== 1) binary = false;
      }
      if (binary) {
        mean[j] = 0;
        scale[j] = 1;
        continue;
      }
      log[j] = useLog && min >= 0 ? 1 : 0;
      let s = 0;
      let s2 = 0;
      let m = 0;
      for (let i = 0; i < n; i++) {
        const v = data[i * d + j]!;
        if (v !== v) continue;
        const t = log[j] ? Math.log1p(v) : v;
        s += t;
        s2 += t * t;
        m++;
      }
      const mu = m > 0 ? s / m : 0;
      const sd = m > 1 ? Math.sqrt(Math.max(0, s2 / m - mu * mu)) : 0;
      mean[j] = mu;
      scale[j] = Math.max(sd, minScale);
    }
    return new ProfileScaler({ log, mean, scale, clip });
  }

  static fromJSON(s: ProfileScalerJSON): ProfileScaler {
    return new ProfileScaler(s);
  }

  toJSON(): ProfileScalerJSON {
    return this.s;
  }

  /** The transformed rows (row-major, same shape); a missing value becomes the normal mean (0). */
  transform(X: Matrix): Float32Array {
    const { nRows: n, nCols: d, data } = X;
    const { log, mean, scale, clip } = this.s;
    const out = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const v = data[i * d + j]!;
        if (v !== v) continue;
        const x = log[j] ? (v >= 0 ? Math.log1p(v) : -Math.log1p(-v)) : v;
        const z = (x - mean[j]!) / scale[j]!;
        out[i * d + j] = z > clip ? clip : z < -clip ? -clip : z;
      }
    }
    return out;
  }
}
