/**
 * Mann–Whitney U test (Mann & Whitney 1947), two-sided, normal approximation with tie
 * correction and continuity correction — scipy.stats.mannwhitneyu's 'asymptotic' method:
 *   U1 = R1 − n1(n1+1)/2,  U = max(U1, n1·n2 − U1),
 *   σ = √(n1·n2/12 · ((n+1) − Σ(t³−t)/(n(n−1)))),  z = (U − n1·n2/2 − 0.5)/σ,  p = 2·Φ(−z).
 * Effect size: rank-biserial correlation r = 2·U1/(n1·n2) − 1 (Kerby 2014), positive when
 * group 1 tends to be larger; (r + 1)/2 is the probability that a random group-1 value
 * exceeds a random group-2 value (the AUC of the feature alone).
 * Φ comes from @stdlib's normal CDF, evaluated at −z so tiny p keep their precision.
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { mergeRanks } from './merge-ranks.js';

export interface MannWhitneyResult {
  /** U statistic of group 1 (scipy's reported statistic). */
  u1: number;
  z: number;
  p: number;
  rankBiserial: number;
}

/**
 * From rank sums over the pooled sample.
 * @param rankSum1 sum of the (mid-)ranks of group 1 in the pooled sample of n1 + n2 values
 * @param tieTerm Σ(t³ − t) over tie groups of the pooled sample
 */
export function mannWhitneyFromRanks(n1: number, n2: number, rankSum1: number, tieTerm: number): MannWhitneyResult {
  if (n1 === 0 || n2 === 0) return { u1: NaN, z: NaN, p: NaN, rankBiserial: NaN };
  const n = n1 + n2;
  const u1 = rankSum1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const u = Math.max(u1, u2);
  const rankBiserial = (2 * u1) / (n1 * n2) - 1;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  if (!(sigma > 0)) {
    // All values tied: no evidence of a difference (scipy reports p = 1).
    return { u1, z: 0, p: 1, rankBiserial };
  }
  const z = (u - (n1 * n2) / 2 - 0.5) / sigma;
  const p = Math.min(1, 2 * normalCdf(-z, 0, 1));
  return { u1, z, p, rankBiserial };
}

/** Convenience for two plain samples (NaN/±Infinity dropped): sorts, merges, tests. */
export function mannWhitney(a: Float64Array, b: Float64Array): MannWhitneyResult {
  const sa = finiteSorted(a);
  const sb = finiteSorted(b);
  const r = mergeRanks([sa, sb]);
  return mannWhitneyFromRanks(sa.length, sb.length, r.rankSum[0], r.tieTerm);
}

function finiteSorted(a: Float64Array): Float64Array {
  let k = 0;
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) if (a[i] - a[i] === 0) out[k++] = a[i];
  return out.slice(0, k).sort();
}
