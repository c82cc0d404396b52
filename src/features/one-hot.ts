import type { CategoricalColumn } from '../data/types.js';

/** Name of the bucket column that receives categories never seen in training. */
export const UNSEEN = '<unseen>';

/** Training categories, most frequent first (ties alphabetical), so the layout is stable. */
export function fitCategories(col: CategoricalColumn): string[] {
  const counts = new Int32Array(col.dictionary.length);
  for (let i = 0; i < col.codes.length; i++) if (col.codes[i]! >= 0) counts[col.codes[i]!]!++;
  return col.dictionary
    .map((d, k) => [d, counts[k]!] as const)
    .filter(([, c]) => c > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([d]) => d);
}

/**
 * Map a column's dictionary codes to training-category indices: -1 = missing,
 * `categories.length` = unseen in training. Done once per dictionary entry, not per row.
 */
export function codeMap(col: CategoricalColumn, categories: readonly string[]): Int32Array {
  const index = new Map(categories.map((c, i) => [c, i]));
  return Int32Array.from(col.dictionary, (d) => index.get(d) ?? categories.length);
}

/** One-hot output names: `col=value` per training category, then the unseen bucket. */
export function oneHotNames(name: string, categories: readonly string[]): string[] {
  return [...categories.map((c) => `${name}=${c}`), `${name}=${UNSEEN}`];
}
