/**
 * Row selection on typed arrays, in one place: which rows (an index array), and taking them
 * (a copy of just those rows). Tables (data/) and matrices (features/) take rows through these.
 */

/** Indices of the rows where `keep(y[i])` holds, ascending. */
export function rowsWhere(y: Int32Array, keep: (v: number) => boolean): Uint32Array {
  let n = 0;
  for (let i = 0; i < y.length; i++) if (keep(y[i]!)) n++;
  const out = new Uint32Array(n);
  for (let i = 0, k = 0; i < y.length; i++) if (keep(y[i]!)) out[k++] = i;
  return out;
}

/** Rows with a label (class index ≥ 0; −1 marks a row without one). */
export function labelledRows(y: Int32Array): Uint32Array {
  return rowsWhere(y, (v) => v >= 0);
}

/** `values[rows[i]]` for each i, in a new array of the same type. */
export function take<T extends Int32Array | Float32Array | Float64Array | Uint8Array | Uint32Array>(values: T, rows: Uint32Array): T {
  const out = new (values.constructor as new (n: number) => T)(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]!]!;
  return out;
}

/** Rows of a row-major array of `width` values per row, in a new array (the same array when every row is taken in order). */
export function takeRowMajor<T extends Float32Array | Float64Array>(values: T, width: number, rows: Uint32Array): T {
  if (rows.length * width === values.length && rows.every((r, i) => r === i)) return values;
  const out = new (values.constructor as new (n: number) => T)(rows.length * width);
  for (let i = 0; i < rows.length; i++) out.set(values.subarray(rows[i]! * width, (rows[i]! + 1) * width), i * width);
  return out;
}

/** Column `c` of a row-major array of `width` values per row. */
export function columnOf(values: Float64Array, width: number, c: number): Float64Array {
  const out = new Float64Array(values.length / width);
  for (let i = 0; i < out.length; i++) out[i] = values[i * width + c]!;
  return out;
}
