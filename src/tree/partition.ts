/**
 * Row partitioning: a node's rows are a range of one Uint32Array of row indices; a split
 * reorders that range in place (stable: rows keep ascending order inside each child, which
 * keeps later histogram passes cache-friendly). Rows themselves are never copied.
 * `goLeftTable` is used by the growers; `partitionRows` is the JavaScript reference of the
 * WebAssembly `partition` kernel they run (wasm/kernels.ts; the tests compare the two).
 */
import type { BinnedData } from './types.js';

/**
 * Go-left table over feature f's bins for the rule "bin <= bin, missing → defaultLeft".
 * Written into `lut` (256 entries).
 */
export function goLeftTable(data: BinnedData, f: number, bin: number, defaultLeft: number, lut: Uint8Array): Uint8Array {
  const nb = data.mapper.nBins[f]!;
  lut.fill(0);
  for (let b = 0; b <= bin && b < nb; b++) lut[b] = 1;
  lut[nb] = defaultLeft ? 1 : 0;
  return lut;
}

/**
 * Stable partition of idx[begin..end) by the table `lut` over feature f's bins. Left rows end up
 * in idx[begin..mid), right rows in idx[mid..end); returns mid. `scratch` holds ≥ end-begin rows.
 */
export function partitionRows(
  data: BinnedData,
  f: number,
  lut: Uint8Array,
  idx: Uint32Array,
  begin: number,
  end: number,
  scratch: Uint32Array,
): number {
  const col = data.bins.subarray(f * data.nRows, (f + 1) * data.nRows);
  let l = begin;
  let k = 0;
  // Branch-free: each row is written to both places and one cursor advances.
  for (let i = begin; i < end; i++) {
    const r = idx[i]!;
    const left = lut[col[r]!]!;
    idx[l] = r;
    scratch[k] = r;
    l += left;
    k += 1 - left;
  }
  idx.set(scratch.subarray(0, k), l);
  return l;
}
