/** A dense feature matrix: row-major Float32Array, `nRows × nCols`, with column names. NaN = missing. */
export interface Matrix {
  readonly data: Float32Array;
  readonly nRows: number;
  readonly nCols: number;
  readonly columns: readonly string[];
}

export function matrix(data: Float32Array, nRows: number, columns: readonly string[]): Matrix {
  if (data.length !== nRows * columns.length) {
    throw new RangeError(`matrix: data length ${data.length} != ${nRows} × ${columns.length}`);
  }
  return { data, nRows, nCols: columns.length, columns };
}

/** For each matrix column, the original (raw table) column it came from — used to sum one-hot contributions back. */
export type SourceMap = readonly string[];
