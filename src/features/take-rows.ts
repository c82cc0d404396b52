import type { Matrix } from './types.js';

/** Copy the given rows of a matrix (for cross-validation folds; learners never copy rows themselves). */
export function takeMatrixRows(X: Matrix, rows: Uint32Array): Matrix {
  const out = new Float32Array(rows.length * X.nCols);
  for (let i = 0; i < rows.length; i++) {
    const s = rows[i]! * X.nCols;
    out.set(X.data.subarray(s, s + X.nCols), i * X.nCols);
  }
  return { data: out, nRows: rows.length, nCols: X.nCols, columns: X.columns };
}
