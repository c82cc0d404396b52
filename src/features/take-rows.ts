import { takeRowMajor } from '../util/rows.js';
import type { Matrix } from './types.js';

/** Copy the given rows of a matrix (for cross-validation folds; learners never copy rows themselves). */
export function takeMatrixRows(X: Matrix, rows: Uint32Array): Matrix {
  return { data: takeRowMajor(X.data, X.nCols, rows), nRows: rows.length, nCols: X.nCols, columns: X.columns };
}
