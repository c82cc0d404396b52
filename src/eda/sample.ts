/** A seeded uniform row sample of a dataset (without replacement), rows kept in file order. */
import { takeColumn, takeRows } from '../data/index.js';
import type { CategoricalColumn, Dataset } from '../data/types.js';
import { Random } from '../util/random.js';

/**
 * k distinct row indices out of n, ascending: the first k steps of a Fisher–Yates shuffle
 * (Knuth, TAOCP vol. 2, Algorithm P), then sorted for sequential access.
 */
export function sampleRowIndices(n: number, k: number, seed: number): Uint32Array {
  const m = Math.min(n, Math.max(0, Math.floor(k)));
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const rng = new Random(seed);
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(n - i);
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx.slice(0, m).sort();
}

/** The dataset restricted to a random sample of `k` rows (a copy); unchanged when k ≥ rows. */
export function sampleDataset(ds: Dataset, k: number, seed: number): Dataset {
  const n = ds.features.nRows;
  if (k >= n) return ds;
  const rows = sampleRowIndices(n, k, seed);
  return {
    ...ds,
    features: takeRows(ds.features, rows),
    labels: takeColumn(ds.labels, rows) as CategoricalColumn,
    categories: takeColumn(ds.categories, rows) as CategoricalColumn,
  };
}
