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
  const index = categoryIndex(categories);
  const out = new Int32Array(col.dictionary.length);
  for (let k = 0; k < out.length; k++) out[k] = index.get(col.dictionary[k]!) ?? categories.length;
  return out;
}

/**
 * category → index, built once per fitted category list (a model's lists never change once fitted):
 * scoring one record at a time (the HTTP API) would otherwise rebuild it on every call — for a
 * 70-category column, most of the cost of encoding the record.
 */
const INDEXES = new WeakMap<readonly string[], ReadonlyMap<string, number>>();
function categoryIndex(categories: readonly string[]): ReadonlyMap<string, number> {
  let index = INDEXES.get(categories);
  if (!index) {
    index = new Map(categories.map((c, i) => [c, i]));
    INDEXES.set(categories, index);
  }
  return index;
}

/** One-hot output names: `col=value` per training category, then the unseen bucket. */
export function oneHotNames(name: string, categories: readonly string[]): string[] {
  return [...categories.map((c) => `${name}=${c}`), `${name}=${UNSEEN}`];
}
