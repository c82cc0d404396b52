/**
 * Additive per-feature explanations of a model's raw output (margin) for a batch of rows:
 *   raw[r][o] = bias[o] + Σ_f contributions[(r·nOutputs + o)·nFeatures + f]
 * (TreeSHAP for tree ensembles, exact contributions for linear models).
 */
export interface Explanation {
  readonly nRows: number;
  readonly nOutputs: number;
  readonly nFeatures: number;
  /** Feature (matrix column, or source column after grouping) names, length nFeatures. */
  readonly features: readonly string[];
  /** Row-major nRows × nOutputs × nFeatures. */
  readonly contributions: Float64Array;
  /** The expected raw output per output (the base value every row starts from). */
  readonly bias: Float64Array;
}

/** The contributions of one row and output, as a view (no copy). */
export function rowContributions(e: Explanation, row: number, output = 0): Float64Array {
  const off = (row * e.nOutputs + output) * e.nFeatures;
  return e.contributions.subarray(off, off + e.nFeatures);
}
