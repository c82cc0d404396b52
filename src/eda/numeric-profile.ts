/**
 * Everything the EDA computes for one numeric column, from one split-and-sort: summary
 * statistics, histogram (all rows and per class), per-class box statistics, IQR and robust-z
 * outliers with their attack share, Welch's t and Mann–Whitney U of attack vs normal, and the
 * ranks the correlation pass needs.
 */
import { type CorrelationColumn, rowRanks } from './correlation.js';
import { histogramBins, histogramCounts, isHeavyTailed } from './histogram.js';
import { mannWhitneyFromRanks } from './mann-whitney.js';
import { mergeRanks, type RankSummary } from './merge-ranks.js';
import { moments } from './moments.js';
import { absoluteDeviations, countOutsideGroups, iqrFences, robustZFences } from './outliers.js';
import { quantileCounted, quantileSorted } from './quantiles.js';
import { lowerBound, upperBound } from './sorted.js';
import { splitSorted } from './split-sorted.js';
import type { BoxStats, NumericColumnResult, NumericTest, Quantiles } from './types.js';
import { welchTTest } from './welch.js';

export interface NumericProfile {
  result: NumericColumnResult;
  /** The tests with p-values not yet adjusted (pAdjusted = NaN). */
  test: NumericTest;
  /** Input for the correlation pass; null for constant or all-missing columns. */
  correlation: CorrelationColumn | null;
}

/** Above this share of distinct values, ranks are stored per row (Float32) rather than per distinct value. */
const ROW_RANKS_ABOVE = 0.125;

/**
 * @param y target class per row (-1 = no label)
 * @param isAttack whether each target class is attack traffic
 */
export function profileNumeric(name: string, values: Float64Array, y: Int32Array, isAttack: readonly boolean[]): NumericProfile {
  const k = isAttack.length;
  const split = splitSorted(values, y, k);
  const labelled = split.groups.slice(0, k);
  const all = mergeRanks(split.groups);
  const m = moments([values]);
  const count = all.n;
  const allMissing = count === 0;
  const distinct = all.uniques.length;
  const constant = distinct === 1;
  const q = (p: number): number => quantileCounted(all.uniques, all.ends, p);
  const quantiles: Quantiles = { p01: q(0.01), p05: q(0.05), p25: q(0.25), p50: q(0.5), p75: q(0.75), p95: q(0.95), p99: q(0.99) };
  const heavyTailed = isHeavyTailed(m.skewness, m.min, m.max);

  let histogram: NumericColumnResult['histogram'] = null;
  if (!allMissing) {
    const bins = histogramBins(m.min, m.max, { heavyTailed, uniques: all.uniques });
    const perGroup = split.groups.map((g) => histogramCounts(g, bins));
    const total = new Float64Array(perGroup[0].length);
    for (const h of perGroup) for (let i = 0; i < h.length; i++) total[i] += h[i];
    histogram = { scale: bins.scale, edges: Array.from(bins.edges), counts: Array.from(total), byClass: perGroup.slice(0, k).map((h) => Array.from(h)) };
  }

  const byClass = labelled.map(boxStats);

  let outliers: NumericColumnResult['outliers'] = null;
  if (!allMissing) {
    const iqr = iqrFences(quantiles.p25, quantiles.p75);
    const { mad, meanAd } = absoluteDeviations(all.uniques, all.ends, quantiles.p50);
    const rz = robustZFences(quantiles.p50, mad, meanAd);
    outliers = {
      iqr: { q1: iqr.q1, q3: iqr.q3, ...outlierCounts(split.groups, isAttack, iqr.lower, iqr.upper) },
      robustZ: { median: rz.median, mad, meanAd, method: rz.method, ...outlierCounts(split.groups, isAttack, rz.lower, rz.upper) },
    };
  }

  const result: NumericColumnResult = {
    name,
    count,
    missing: split.nMissing,
    posInf: split.nPosInf,
    negInf: split.nNegInf,
    mean: m.mean,
    std: Math.sqrt(m.variance),
    min: m.min,
    quantiles,
    max: m.max,
    skewness: m.skewness,
    zerosShare: count > 0 ? m.zeros / count : NaN,
    distinct,
    constant,
    allMissing,
    heavyTailed,
    histogram,
    byClass,
    outliers,
  };

  // Ranks among labelled rows only: rows without a label belong to neither sample.
  const pooled = split.groups[k].length > 0 ? mergeRanks(labelled) : all;
  const test = testAttackVsNormal(name, pooled, labelled, isAttack, allMissing);

  let correlation: CorrelationColumn | null = null;
  if (!allMissing && !constant) {
    correlation = split.index
      ? { values, mean: m.mean, n: count, codes: split.index.codes, rankOfCode: all.avgRank }
      : distinct > ROW_RANKS_ABOVE * values.length && values.length < 8_000_000
        ? { values, mean: m.mean, n: count, rowRanks: rowRanks(values, all.uniques, all.avgRank) }
        : { values, mean: m.mean, n: count, uniques: all.uniques, avgRank: all.avgRank };
  }
  return { result, test, correlation };
}

function outlierCounts(groups: readonly Float64Array[], isAttack: readonly boolean[], lower: number, upper: number) {
  const per = countOutsideGroups(groups, lower, upper);
  let count = 0;
  let attacks = 0;
  let labelled = 0;
  for (let g = 0; g < per.length; g++) {
    count += per[g];
    if (g < isAttack.length) {
      labelled += per[g];
      if (isAttack[g]) attacks += per[g];
    }
  }
  return { lower, upper, count, attacks, attackShare: labelled > 0 ? attacks / labelled : NaN };
}

function boxStats(sorted: Float64Array): BoxStats {
  const n = sorted.length;
  if (n === 0) return { n, mean: NaN, q1: NaN, median: NaN, q3: NaN, whiskerLow: NaN, whiskerHigh: NaN, min: NaN, max: NaN };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  const iqr = q3 - q1;
  const lo = lowerBound(sorted, q1 - 1.5 * iqr);
  const hi = upperBound(sorted, q3 + 1.5 * iqr) - 1;
  return {
    n,
    mean: sum / n,
    q1,
    median: quantileSorted(sorted, 0.5),
    q3,
    whiskerLow: sorted[Math.min(lo, n - 1)],
    whiskerHigh: sorted[Math.max(hi, 0)],
    min: sorted[0],
    max: sorted[n - 1],
  };
}

function testAttackVsNormal(
  feature: string,
  pooled: RankSummary,
  labelled: readonly Float64Array[],
  isAttack: readonly boolean[],
  allMissing: boolean,
): NumericTest {
  const attackParts = labelled.filter((_, g) => isAttack[g]);
  const normalParts = labelled.filter((_, g) => !isAttack[g]);
  const mA = moments(attackParts);
  const mN = moments(normalParts);
  const median = (parts: Float64Array[]): number => {
    if (parts.length === 1) return quantileSorted(parts[0], 0.5);
    const r = mergeRanks(parts);
    return quantileCounted(r.uniques, r.ends, 0.5);
  };
  const base: NumericTest = {
    feature,
    nNormal: mN.n,
    nAttack: mA.n,
    meanNormal: mN.mean,
    meanAttack: mA.mean,
    medianNormal: median(normalParts),
    medianAttack: median(attackParts),
    welch: { t: NaN, df: NaN, p: NaN, pAdjusted: NaN, cohenD: NaN },
    mannWhitney: { u: NaN, z: NaN, p: NaN, pAdjusted: NaN, rankBiserial: NaN },
  };
  if (allMissing) return { ...base, skipped: 'all values missing' };
  if (mA.n === 0 || mN.n === 0) return { ...base, skipped: mA.n === 0 ? 'no attack rows with a value' : 'no normal rows with a value' };
  if (pooled.uniques.length < 2) return { ...base, skipped: 'constant column' };
  let rankSumAttack = 0;
  for (let g = 0; g < labelled.length; g++) if (isAttack[g]) rankSumAttack += pooled.rankSum[g];
  const w = welchTTest(mA, mN);
  const mw = mannWhitneyFromRanks(mA.n, mN.n, rankSumAttack, pooled.tieTerm);
  return {
    ...base,
    welch: { t: w.t, df: w.df, p: w.p, pAdjusted: NaN, cohenD: w.cohenD },
    mannWhitney: { u: mw.u1, z: mw.z, p: mw.p, pAdjusted: NaN, rankBiserial: mw.rankBiserial },
  };
}
