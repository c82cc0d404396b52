/** A seeded uniform row sample of a dataset (without replacement), rows kept in file order. */
import { takeColumn, takeRows } from '../data/index.js';
import type { CategoricalColumn, Dataset } from '../data/types.js';
import { Random } from '../util/random.js';

/** k distinct row indices out of n, ascending, drawn from `seed` (Random.sample); all n when k ≥ n. */
export function sampleRowIndices(n: number, k: number, seed: number): Uint32Array {
  return new Random(seed).sample(n, Math.min(n, Math.max(0, Math.floor(k))));
}

/** The dataset restricted to a random sample of `k` rows (a copy); unchanged when k ≥ rows. */
export function sampleDataset(ds: Dataset, k: number, seed: number): Dataset {
  const n = ds.features.nRows;
  if (k >= n) return ds;
  const rows = sampleRowIndices(n, k, seed);
  return {
    ...ds,
    features: takeRows(ds.features, rows),
    ...(ds.identifiers ? { identifiers: ds.identifiers.map((i) => ({ ...i, column: takeColumn(i.column, rows) })) } : {}),
    labels: takeColumn(ds.labels, rows) as CategoricalColumn,
    categories: takeColumn(ds.categories, rows) as CategoricalColumn,
  };
}
