/**
 * Contributions per ORIGINAL column: the matrix columns that came from one source column
 * (e.g. every one-hot column of `service`) are summed back into it. Sums keep the additive
 * property: bias + Σ grouped contributions is still the raw output.
 */
import { nadirError } from '../errors.js';
import type { SourceMap } from '../features/types.js';
import { rowContributions, type Explanation } from './types.js';

/** Sum an explanation's matrix-column contributions into source columns (first-appearance order of `sourceMap`). */
export function groupBySource(e: Explanation, sourceMap: SourceMap): Explanation {
  if (sourceMap.length !== e.nFeatures) {
    throw nadirError('NADIR_ERR_BAD_INPUT', `groupBySource: source map has ${sourceMap.length} entries for ${e.nFeatures} columns`);
  }
  const names: string[] = [];
  const index = new Map<string, number>();
  const groupOf = new Int32Array(e.nFeatures);
  sourceMap.forEach((name, j) => {
    let g = index.get(name);
    if (g === undefined) {
      g = names.length;
      index.set(name, g);
      names.push(name);
    }
    groupOf[j] = g;
  });
  const nG = names.length;
  const nBlocks = e.nRows * e.nOutputs;
  const out = new Float64Array(nBlocks * nG);
  for (let b = 0; b < nBlocks; b++) {
    const src = b * e.nFeatures;
    const dst = b * nG;
    for (let j = 0; j < e.nFeatures; j++) out[dst + groupOf[j]!]! += e.contributions[src + j]!;
  }
  return { nRows: e.nRows, nOutputs: e.nOutputs, nFeatures: nG, features: names, contributions: out, bias: Float64Array.from(e.bias) };
}

export interface Contribution {
  feature: string;
  value: number;
  /** The record's input value of that column (a number, a category, null when missing), when known. */
  input?: number | string | null;
}

/**
 * The `k` largest contributions by absolute value for one row and output, largest first
 * (ties in feature order). Exactly-zero contributions are left out: they explain nothing.
 */
export function topContributions(e: Explanation, row: number, k: number, output = 0): Contribution[] {
  if (row < 0 || row >= e.nRows) throw nadirError('NADIR_ERR_BAD_INPUT', `topContributions: row ${row} out of range (${e.nRows} rows)`);
  if (output < 0 || output >= e.nOutputs) throw nadirError('NADIR_ERR_BAD_INPUT', `topContributions: output ${output} out of range (${e.nOutputs} outputs)`);
  const phi = rowContributions(e, row, output);
  const idx: number[] = [];
  for (let j = 0; j < phi.length; j++) if (phi[j] !== 0) idx.push(j);
  idx.sort((a, b) => Math.abs(phi[b]!) - Math.abs(phi[a]!) || a - b);
  return idx.slice(0, Math.max(0, k)).map((j) => ({ feature: e.features[j]!, value: phi[j]! }));
}
