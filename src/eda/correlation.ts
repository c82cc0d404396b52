/**
 * Pearson and Spearman correlation matrices of numeric columns in one blocked pass.
 * Spearman's ρ is Pearson's r of the mid-ranks (ties averaged, as scipy/pandas do); a row's
 * rank is looked up by binary search in the column's distinct values (from mergeRanks), so
 * no argsort is needed. Rows are processed in blocks of BLOCK rows: each block is centred
 * into a small column-major buffer that stays in cache while all pairs are accumulated —
 * the usual blocked Gram-matrix scheme (cross products of centred values, cf. BLAS syrk).
 * Rows where either value is NaN/±Infinity are left out pairwise (pandas' pairwise-complete
 * rule); with such rows Spearman uses each column's full-column ranks, not re-ranked per pair.
 */
import { lowerBound } from './sorted.js';

export interface CorrelationColumn {
  readonly values: Float64Array;
  /** Mean of the finite values. */
  readonly mean: number;
  /**
   * Ranks, one of two ways: distinct finite values ascending with their 1-based mid-ranks
   * (from mergeRanks; looked up by binary search) — compact for columns with few distinct
   * values — or the mid-rank of every row (NaN where the value is not finite).
   */
  readonly uniques?: Float64Array;
  readonly avgRank?: Float64Array;
  readonly rowRanks?: Float32Array;
  /** Or: the row's code into ascending distinct values (distinct-index.ts) and each code's mid-rank. */
  readonly codes?: Uint16Array;
  readonly rankOfCode?: Float64Array;
  /** Number of finite values. */
  readonly n: number;
}

export interface CorrelationMatrices {
  /** Row-major k × k; NaN where undefined (constant column, < 2 complete rows). */
  readonly pearson: Float64Array;
  readonly spearman: Float64Array;
}

/** Rows per block: k columns × BLOCK × 8 bytes × 2 buffers stays within a typical L2 cache. */
const BLOCK = 512;

/**
 * @param rows optional row indices to use (a sample); default all rows
 */
export function correlationMatrices(cols: readonly CorrelationColumn[], rows?: Uint32Array): CorrelationMatrices {
  const k = cols.length;
  const nRows = rows ? rows.length : k > 0 ? cols[0].values.length : 0;
  const complete = cols.map((c) => c.n === c.values.length && !rows);
  // Sums per pair (upper triangle incl. diagonal): for complete pairs only sxy is needed;
  // for pairs touching a column with missing values the pairwise sums n, sx, sy, sxx, syy.
  const kk = k * k;
  const P = { xy: new Float64Array(kk), n: new Float64Array(kk), x: new Float64Array(kk), y: new Float64Array(kk), xx: new Float64Array(kk), yy: new Float64Array(kk) };
  const S = { xy: new Float64Array(kk), n: new Float64Array(kk), x: new Float64Array(kk), y: new Float64Array(kk), xx: new Float64Array(kk), yy: new Float64Array(kk) };
  const bufX = new Float64Array(k * BLOCK);
  const bufR = new Float64Array(k * BLOCK);
  for (let start = 0; start < nRows; start += BLOCK) {
    const len = Math.min(BLOCK, nRows - start);
    for (let c = 0; c < k; c++) {
      const col = cols[c];
      const v = col.values;
      const meanRank = (col.n + 1) / 2;
      const off = c * BLOCK;
      const rr = col.rowRanks;
      const codes = col.codes;
      const rankOfCode = col.rankOfCode ?? new Float64Array(0);
      const uniques = col.uniques ?? new Float64Array(0);
      const avgRank = col.avgRank ?? new Float64Array(0);
      if (!rr && !(codes && col.rankOfCode) && !(col.uniques && col.avgRank)) throw new TypeError(`correlation: column ${c} has no ranks`);
      // Runs of equal values (zeros, mostly) reuse the previous rank instead of searching again.
      let lastX = NaN;
      let lastRank = NaN;
      for (let r = 0; r < len; r++) {
        const row = rows ? rows[start + r] : start + r;
        const x = v[row];
        if (x - x !== 0) {
          bufX[off + r] = NaN;
          bufR[off + r] = NaN;
        } else {
          bufX[off + r] = x - col.mean;
          if (codes) bufR[off + r] = rankOfCode[codes[row]] - meanRank;
          else if (rr) bufR[off + r] = rr[row] - meanRank;
          else {
            if (x !== lastX) {
              lastX = x;
              lastRank = avgRank[lowerBound(uniques, x)] - meanRank;
            }
            bufR[off + r] = lastRank;
          }
        }
      }
    }
    for (let a = 0; a < k; a++) {
      const oa = a * BLOCK;
      let b = a;
      if (complete[a]) {
        // Hot loop, register-blocked: four partner columns per pass over column a, so each
        // value of a is loaded once for four products (written out by hand, no closures).
        for (; b + 3 < k; b += 4) {
          if (!(complete[b] && complete[b + 1] && complete[b + 2] && complete[b + 3])) break;
          const o0 = b * BLOCK;
          const o1 = o0 + BLOCK;
          const o2 = o1 + BLOCK;
          const o3 = o2 + BLOCK;
          let x0 = 0, x1 = 0, x2 = 0, x3 = 0, r0 = 0, r1 = 0, r2 = 0, r3 = 0;
          for (let r = 0; r < len; r++) {
            const xa = bufX[oa + r];
            const ra = bufR[oa + r];
            x0 += xa * bufX[o0 + r];
            x1 += xa * bufX[o1 + r];
            x2 += xa * bufX[o2 + r];
            x3 += xa * bufX[o3 + r];
            r0 += ra * bufR[o0 + r];
            r1 += ra * bufR[o1 + r];
            r2 += ra * bufR[o2 + r];
            r3 += ra * bufR[o3 + r];
          }
          const idx = a * k + b;
          P.xy[idx] += x0;
          P.xy[idx + 1] += x1;
          P.xy[idx + 2] += x2;
          P.xy[idx + 3] += x3;
          S.xy[idx] += r0;
          S.xy[idx + 1] += r1;
          S.xy[idx + 2] += r2;
          S.xy[idx + 3] += r3;
        }
      }
      for (; b < k; b++) {
        const ob = b * BLOCK;
        const idx = a * k + b;
        if (complete[a] && complete[b]) {
          let sx = 0;
          let sr = 0;
          for (let r = 0; r < len; r++) {
            sx += bufX[oa + r] * bufX[ob + r];
            sr += bufR[oa + r] * bufR[ob + r];
          }
          P.xy[idx] += sx;
          S.xy[idx] += sr;
        } else {
          accumulatePairwise(bufX, oa, ob, len, P, idx);
          accumulatePairwise(bufR, oa, ob, len, S, idx);
        }
      }
    }
  }
  const pearson = new Float64Array(kk).fill(NaN);
  const spearman = new Float64Array(kk).fill(NaN);
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      const idx = a * k + b;
      const full = complete[a] && complete[b];
      const rp = full ? P.xy[idx] / Math.sqrt(P.xy[a * k + a] * P.xy[b * k + b]) : pairwiseR(P, idx);
      const rs = full ? S.xy[idx] / Math.sqrt(S.xy[a * k + a] * S.xy[b * k + b]) : pairwiseR(S, idx);
      const cp = clampR(rp, a === b);
      const cs = clampR(rs, a === b);
      pearson[idx] = pearson[b * k + a] = cp;
      spearman[idx] = spearman[b * k + a] = cs;
    }
  }
  return { pearson, spearman };
}

interface Sums {
  xy: Float64Array;
  n: Float64Array;
  x: Float64Array;
  y: Float64Array;
  xx: Float64Array;
  yy: Float64Array;
}

function accumulatePairwise(buf: Float64Array, oa: number, ob: number, len: number, s: Sums, idx: number): void {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let r = 0; r < len; r++) {
    const x = buf[oa + r];
    const y = buf[ob + r];
    if (x !== x || y !== y) continue;
    n++;
    sx += x;
    sy += y;
    sxx += x * x;
    syy += y * y;
    sxy += x * y;
  }
  s.n[idx] += n;
  s.x[idx] += sx;
  s.y[idx] += sy;
  s.xx[idx] += sxx;
  s.yy[idx] += syy;
  s.xy[idx] += sxy;
}

function pairwiseR(s: Sums, idx: number): number {
  const n = s.n[idx];
  if (n < 2) return NaN;
  const cov = s.xy[idx] - (s.x[idx] * s.y[idx]) / n;
  const vx = s.xx[idx] - (s.x[idx] * s.x[idx]) / n;
  const vy = s.yy[idx] - (s.y[idx] * s.y[idx]) / n;
  return cov / Math.sqrt(vx * vy);
}

function clampR(r: number, diagonal: boolean): number {
  if (!Number.isFinite(r)) return NaN;
  if (diagonal) return 1;
  return r > 1 ? 1 : r < -1 ? -1 : r;
}

export interface CorrelatedPair {
  a: string;
  b: string;
  r: number;
}

/** Pairs with |r| above the threshold, strongest first. */
export function highlyCorrelatedPairs(names: readonly string[], matrix: Float64Array, threshold = 0.95): CorrelatedPair[] {
  const k = names.length;
  const out: CorrelatedPair[] = [];
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const r = matrix[a * k + b];
      if (Math.abs(r) > threshold) out.push({ a: names[a], b: names[b], r });
    }
  }
  return out.sort((p, q) => Math.abs(q.r) - Math.abs(p.r));
}

/** Mid-rank of every row from a column's distinct values and mid-ranks (NaN for non-finite cells). */
export function rowRanks(values: Float64Array, uniques: Float64Array, avgRank: Float64Array): Float32Array {
  // Float32 holds every mid-rank exactly while 2·n < 2^24 (n < 8.3M rows); callers use it below that.
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    out[i] = x - x !== 0 ? NaN : avgRank[lowerBound(uniques, x)];
  }
  return out;
}
