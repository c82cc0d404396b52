import { nadirError } from '../errors.js';

/** Labels as class indices: any integer typed array or plain array. */
export type Labels = ArrayLike<number>;

/** Throws unless `yTrue` and `scores` have the same length and every score is a number (not NaN). */
export function checkScores(yTrue: Labels, scores: ArrayLike<number>, what: string): void {
  if (yTrue.length !== scores.length) {
    throw nadirError('NADIR_ERR_BAD_INPUT', `${what}: ${yTrue.length} labels but ${scores.length} scores`);
  }
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i])) throw nadirError('NADIR_ERR_BAD_INPUT', `${what}: score ${i} is NaN`);
  }
}

/** Throws unless every label is an integer class index in [0, nClasses). */
export function checkLabels(y: Labels, nClasses: number, what: string): void {
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (!(v >= 0 && v < nClasses && Number.isInteger(v))) {
      throw nadirError('NADIR_ERR_BAD_INPUT', `${what}: label ${v} at row ${i} is not a class index in [0, ${nClasses})`);
    }
  }
}

/** Throws unless `proba` is a row-major nRows × nClasses matrix. */
export function checkProba(yTrue: Labels, proba: ArrayLike<number>, nClasses: number, what: string): void {
  if (nClasses < 2) throw nadirError('NADIR_ERR_BAD_INPUT', `${what}: needs at least 2 classes, got ${nClasses}`);
  if (proba.length !== yTrue.length * nClasses) {
    throw nadirError(
      'NADIR_ERR_BAD_INPUT',
      `${what}: probabilities have ${proba.length} values, expected ${yTrue.length} rows × ${nClasses} classes`,
    );
  }
  for (let i = 0; i < proba.length; i++) {
    if (Number.isNaN(proba[i])) throw nadirError('NADIR_ERR_BAD_INPUT', `${what}: probability ${i} is NaN`);
  }
}

/** Column `c` of a row-major nRows × nCols matrix, copied into `out` (allocated when not given). */
export function column(m: ArrayLike<number>, nCols: number, c: number, out?: Float64Array): Float64Array {
  const n = Math.floor(m.length / nCols);
  const col = out ?? new Float64Array(n);
  for (let i = 0, k = c; i < n; i++, k += nCols) col[i] = m[k]!;
  return col;
}

/** Row-wise argmax of a row-major nRows × nCols matrix (first maximum on ties, like numpy.argmax). */
export function argmaxRows(m: ArrayLike<number>, nCols: number): Int32Array {
  const n = Math.floor(m.length / nCols);
  const out = new Int32Array(n);
  for (let i = 0, base = 0; i < n; i++, base += nCols) {
    let best = 0;
    let bv = m[base]!;
    for (let c = 1; c < nCols; c++) {
      const v = m[base + c]!;
      if (v > bv) {
        bv = v;
        best = c;
      }
    }
    out[i] = best;
  }
  return out;
}
