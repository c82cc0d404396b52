import type { CategoricalColumn } from '../data/types.js';

/**
 * Imputation values, fitted on training data only. Numeric: the median of the finite
 * values (±Infinity counts as missing: CICFlowMeter writes it for undefined rates);
 * categorical: the most frequent value. An all-missing column imputes 0 / null.
 */
export function fitMedian(values: Float64Array): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) n++;
  if (n === 0) return 0;
  const finite = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) finite[k++] = values[i]!;
  finite.sort();
  return n % 2 === 1 ? finite[(n - 1) / 2]! : (finite[n / 2 - 1]! + finite[n / 2]!) / 2;
}

export function fitMostFrequent(col: CategoricalColumn): string | null {
  const counts = new Int32Array(col.dictionary.length);
  for (let i = 0; i < col.codes.length; i++) if (col.codes[i]! >= 0) counts[col.codes[i]!]!++;
  let best = -1;
  for (let k = 0; k < counts.length; k++) if (counts[k]! > 0 && (best < 0 || counts[k]! > counts[best]!)) best = k;
  return best < 0 ? null : col.dictionary[best]!;
}

/** Numeric value after imputation: non-finite → fill. */
export function impute(x: number, fill: number): number {
  return Number.isFinite(x) ? x : fill;
}
