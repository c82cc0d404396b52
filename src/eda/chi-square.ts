/**
 * Pearson's chi-square test of independence on an r × c contingency table, with Cramér's V
 * (Cramér 1946) as effect size: V = √(χ² / (n·(min(r, c) − 1))). Rows and columns that are
 * entirely zero are dropped first (as pandas.crosstab never produces them), so the degrees
 * of freedom are (r' − 1)(c' − 1) over the observed categories — matching
 * scipy.stats.chi2_contingency on a pandas crosstab. As scipy does by default, Yates'
 * continuity correction is applied when dof = 1; V always uses the uncorrected χ²
 * (scipy.stats.contingency.association). The p-value is the regularized upper incomplete
 * gamma Q(dof/2, χ²/2) from @stdlib (full precision in the far tail).
 */
import gammainc from '@stdlib/math-base-special-gammainc';

export interface ChiSquareResult {
  chi2: number;
  dof: number;
  p: number;
  cramersV: number;
  /** Observations in the table. */
  n: number;
  /** Non-empty rows and columns used. */
  rows: number;
  cols: number;
}

/**
 * @param table row-major counts, `nRows × nCols`
 */
export function chiSquareIndependence(table: Float64Array, nRows: number, nCols: number): ChiSquareResult {
  if (table.length !== nRows * nCols) throw new RangeError(`chiSquare: table has ${table.length} cells, expected ${nRows}×${nCols}`);
  const rowSum = new Float64Array(nRows);
  const colSum = new Float64Array(nCols);
  let n = 0;
  for (let i = 0; i < nRows; i++) {
    for (let j = 0; j < nCols; j++) {
      const v = table[i * nCols + j];
      rowSum[i] += v;
      colSum[j] += v;
      n += v;
    }
  }
  let r = 0;
  let c = 0;
  for (let i = 0; i < nRows; i++) if (rowSum[i] > 0) r++;
  for (let j = 0; j < nCols; j++) if (colSum[j] > 0) c++;
  const dof = (r - 1) * (c - 1);
  if (r < 2 || c < 2 || n === 0) return { chi2: NaN, dof: Math.max(0, dof), p: NaN, cramersV: NaN, n, rows: r, cols: c };
  let chi2 = 0;
  let chi2Yates = 0;
  for (let i = 0; i < nRows; i++) {
    if (rowSum[i] === 0) continue;
    for (let j = 0; j < nCols; j++) {
      if (colSum[j] === 0) continue;
      const e = (rowSum[i] * colSum[j]) / n;
      const d = table[i * nCols + j] - e;
      chi2 += (d * d) / e;
      if (dof === 1) {
        // Yates: |O − E| reduced by 0.5, but never past 0 (scipy's rule).
        const dy = Math.max(0, Math.abs(d) - 0.5);
        chi2Yates += (dy * dy) / e;
      }
    }
  }
  const stat = dof === 1 ? chi2Yates : chi2;
  const p = gammainc(stat / 2, dof / 2, true, true);
  const cramersV = Math.sqrt(chi2 / (n * (Math.min(r, c) - 1)));
  return { chi2: stat, dof, p, cramersV, n, rows: r, cols: c };
}

/**
 * Contingency counts of category codes against class indices (row-major nCodes × nClasses).
 * Rows with a missing code (-1) or no class (-1) are left out.
 */
export function contingency(codes: Int32Array, nCodes: number, y: Int32Array, nClasses: number): Float64Array {
  const t = new Float64Array(nCodes * nClasses);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    const k = y[i];
    if (c < 0 || k < 0 || c >= nCodes || k >= nClasses) continue;
    t[c * nClasses + k]++;
  }
  return t;
}
