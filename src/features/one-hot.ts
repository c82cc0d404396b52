import type { CategoricalColumn } from '../data/types.js';

/** Name of the bucket column that receives categories never seen in training. */
export const UNSEEN = '<unseen>';

/** Name of the bucket of a column whose rarer categories were cut: they, and categories never seen, go there. */
export const OTHER = '<other>';

/**
 * Categories kept per categorical column by default (option maxCategories). 100 keeps every
 * category of the bundled NSL-KDD columns (`service`: 70) and of UNSW-NB15's `service` and `state`
 * — their layout and results do not change — while a column of thousands of values (addresses,
 * hosts, URLs kept with `keep`) adds at most 101 matrix columns instead of one per value: the
 * width that made training 10× slower. Values past the limit are the rarest, which a model cannot
 * learn much from anyway; they share one `<other>` column.
 */
export const MAX_CATEGORIES = 100;

/** Training categories, most frequent first (ties alphabetical), so the layout is stable; at most `limit` of them. */
export function fitCategories(col: CategoricalColumn, limit = Infinity): { categories: string[]; cut: number; cutRows: number } {
  const counts = new Int32Array(col.dictionary.length);
  for (let i = 0; i < col.codes.length; i++) if (col.codes[i]! >= 0) counts[col.codes[i]!]!++;
  const all = col.dictionary
    .map((d, k) => [d, counts[k]!] as const)
    .filter(([, c]) => c > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  if (all.length <= limit) return { categories: all.map(([d]) => d), cut: 0, cutRows: 0 };
  let cutRows = 0;
  for (let k = limit; k < all.length; k++) cutRows += all[k]![1];
  return { categories: all.slice(0, limit).map(([d]) => d), cut: all.length - limit, cutRows };
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

/** One-hot output names: `col=value` per training category, then the unseen bucket (`<other>` when categories were cut). */
export function oneHotNames(name: string, categories: readonly string[], cut = false): string[] {
  return [...categories.map((c) => `${name}=${c}`), `${name}=${cut ? OTHER : UNSEEN}`];
}
