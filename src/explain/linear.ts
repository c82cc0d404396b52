/**
 * Exact additive contributions of a linear model's margin (logistic regression's log-odds,
 * or each softmax logit): with the training mean μ as the reference point,
 *   contribution_j = coef_j · (x_j − μ_j),   bias = intercept + Σ_j coef_j · μ_j,
 * so bias + Σ contributions = intercept + coef · x. For a linear model with independent
 * features these are its exact Shapley values (Lundberg & Lee 2017, "linear SHAP").
 */
import { nadirError } from '../errors.js';
import type { Matrix } from '../features/types.js';
import type { Explanation } from './types.js';

export interface LinearModelParams {
  /** nOutputs × nFeatures, row-major (nOutputs = 1 for a binary logistic regression). */
  coef: ArrayLike<number>;
  /** One intercept per output. */
  intercept: ArrayLike<number>;
}

export interface LinearContributionsOptions {
  /** Explain only these rows of X (default: all). */
  rows?: Uint32Array | readonly number[];
}

/**
 * Contributions of every row of X (the matrix the model sees, without missing values) to
 * each output's margin, relative to `mean` (the per-column mean of the TRAINING matrix).
 */
export function linearContributions(
  model: LinearModelParams,
  X: Matrix,
  mean: ArrayLike<number>,
  opts: LinearContributionsOptions = {},
): Explanation {
  const nO = model.intercept.length;
  const nF = X.nCols;
  if (nO < 1 || model.coef.length !== nO * nF) {
    throw nadirError('NADIR_ERR_BAD_INPUT', `linearContributions: ${model.coef.length} coefficients do not match ${nO} outputs × ${nF} columns`);
  }
  if (mean.length !== nF) throw nadirError('NADIR_ERR_BAD_INPUT', `linearContributions: ${mean.length} means for ${nF} columns`);
  const rows = opts.rows ? Uint32Array.from(opts.rows) : null;
  const nRows = rows ? rows.length : X.nRows;
  const bias = new Float64Array(nO);
  for (let o = 0; o < nO; o++) {
    let b = model.intercept[o]!;
    for (let j = 0; j < nF; j++) b += model.coef[o * nF + j]! * mean[j]!;
    bias[o] = b;
  }
  const out = new Float64Array(nRows * nO * nF);
  for (let r = 0; r < nRows; r++) {
    const src = rows ? rows[r]! : r;
    if (src >= X.nRows) throw nadirError('NADIR_ERR_BAD_INPUT', `linearContributions: row ${src} out of range (${X.nRows} rows)`);
    const x = src * nF;
    for (let o = 0; o < nO; o++) {
      const base = (r * nO + o) * nF;
      for (let j = 0; j < nF; j++) out[base + j] = model.coef[o * nF + j]! * (X.data[x + j]! - mean[j]!);
    }
  }
  return { nRows, nOutputs: nO, nFeatures: nF, features: X.columns, contributions: out, bias };
}

/** Per-column mean of a matrix (missing values skipped; NaN for an all-missing column): the reference point for linearContributions. */
export function columnMeans(X: Matrix): Float64Array {
  const sum = new Float64Array(X.nCols);
  const count = new Float64Array(X.nCols);
  for (let i = 0; i < X.nRows; i++) {
    const base = i * X.nCols;
    for (let j = 0; j < X.nCols; j++) {
      const v = X.data[base + j]!;
      if (v === v) {
        sum[j]! += v;
        count[j]! += 1;
      }
    }
  }
  for (let j = 0; j < X.nCols; j++) sum[j] = count[j]! > 0 ? sum[j]! / count[j]! : NaN;
  return sum;
}
