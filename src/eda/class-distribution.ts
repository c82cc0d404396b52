/** Class counts of the binary, category and raw-label groupings, with the imbalance ratio. */
import type { CategoricalColumn, Target } from '../data/types.js';
import type { ClassCounts } from './types.js';

export function imbalanceRatio(counts: readonly number[]): number {
  const nz = counts.filter((c) => c > 0);
  if (nz.length < 2) return NaN;
  return Math.max(...nz) / Math.min(...nz);
}

/** Counts of a target's classes, in the target's order. */
export function targetCounts(t: Target): ClassCounts {
  const counts = new Array<number>(t.classes.length).fill(0);
  for (let i = 0; i < t.y.length; i++) {
    const c = t.y[i];
    if (c >= 0 && c < counts.length) counts[c]++;
  }
  return { classes: [...t.classes], counts, imbalanceRatio: imbalanceRatio(counts) };
}

/**
 * Counts of a categorical column's values (observed values only), normal values first, then
 * by count descending.
 */
export function valueCounts(col: CategoricalColumn, normal: readonly string[]): ClassCounts {
  const counts = new Float64Array(col.dictionary.length);
  for (let i = 0; i < col.codes.length; i++) {
    const c = col.codes[i];
    if (c >= 0 && c < counts.length) counts[c]++;
  }
  const isNormal = new Set([...normal, 'normal'].map((s) => s.toLowerCase()));
  const idx: number[] = [];
  for (let c = 0; c < counts.length; c++) if (counts[c] > 0) idx.push(c);
  idx.sort((a, b) => {
    const na = isNormal.has(col.dictionary[a].toLowerCase()) ? 0 : 1;
    const nb = isNormal.has(col.dictionary[b].toLowerCase()) ? 0 : 1;
    return na - nb || counts[b] - counts[a] || (col.dictionary[a] < col.dictionary[b] ? -1 : 1);
  });
  const out = idx.map((c) => counts[c]);
  return { classes: idx.map((c) => col.dictionary[c]), counts: out, imbalanceRatio: imbalanceRatio(out) };
}
