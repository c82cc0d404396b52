/**
 * Everything the EDA computes for one categorical column: value counts, the most frequent
 * values with their attack rate, and the chi-square test of independence between the
 * column and attack/normal (with Cramér's V). One pass over the codes builds the
 * value × {normal, attack} contingency table; every number is read from it.
 */
import type { CategoricalColumn } from '../data/types.js';
import { chiSquareIndependence, contingency } from './chi-square.js';
import type { CategoricalColumnResult, CategoricalTest } from './types.js';

export interface CategoricalProfile {
  result: CategoricalColumnResult;
  /** p not yet adjusted (pAdjusted = NaN). */
  test: CategoricalTest;
}

/** Values listed per column in the result. */
const TOP_VALUES = 20;

/**
 * @param binaryY 0 = normal, 1 = attack, -1 = no label
 * @param testsRun false when the label has a single class (no test possible)
 */
export function profileCategorical(col: CategoricalColumn, binaryY: Int32Array, testsRun: boolean): CategoricalProfile {
  const d = col.dictionary.length;
  const counts = new Float64Array(d);
  let missing = 0;
  const codes = col.codes;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c < 0 || c >= d) missing++;
    else counts[c]++;
  }
  const table = contingency(codes, d, binaryY, 2);
  const count = codes.length - missing;
  const order: number[] = [];
  for (let c = 0; c < d; c++) if (counts[c] > 0) order.push(c);
  order.sort((a, b) => counts[b] - counts[a] || (col.dictionary[a] < col.dictionary[b] ? -1 : 1));
  const top = order.slice(0, TOP_VALUES).map((c) => {
    const labelled = table[2 * c] + table[2 * c + 1];
    return { value: col.dictionary[c], count: counts[c], share: counts[c] / Math.max(1, count), attackRate: labelled > 0 ? table[2 * c + 1] / labelled : NaN };
  });
  let otherCount = count;
  for (const t of top) otherCount -= t.count;
  const distinct = order.length;
  const result: CategoricalColumnResult = { name: col.name, count, missing, distinct, constant: distinct === 1, allMissing: count === 0, top, otherCount };

  const base: CategoricalTest = { feature: col.name, chi2: NaN, dof: 0, p: NaN, pAdjusted: NaN, cramersV: NaN, n: 0 };
  if (!testsRun) return { result, test: { ...base, skipped: 'single class' } };
  if (count === 0) return { result, test: { ...base, skipped: 'all values missing' } };
  const chi = chiSquareIndependence(table, d, 2);
  if (chi.rows < 2) return { result, test: { ...base, n: chi.n, skipped: 'constant column' } };
  if (chi.cols < 2) return { result, test: { ...base, n: chi.n, skipped: 'single class among rows with a value' } };
  return { result, test: { feature: col.name, chi2: chi.chi2, dof: chi.dof, p: chi.p, pAdjusted: NaN, cramersV: chi.cramersV, n: chi.n } };
}
