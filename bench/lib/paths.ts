import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';

/** Repository root: this file compiles to dist/bench/lib/paths.js. */
export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

/** Where generated data sets are cached (gitignored); override with NADIR_BENCH_DIR. */
export const CACHE_DIR = process.env.NADIR_BENCH_DIR ?? join(ROOT, '.tmp', 'bench');

/** Where each run's JSON results go. */
export const RESULTS_DIR = join(ROOT, 'bench', 'results');

/** Python peer scripts (not compiled: read from the source tree). */
export const PEERS_DIR = join(ROOT, 'bench', 'peers');

/** Compiled child-process entry points for cases measured in a fresh process. */
export const CASES_DIR = join(ROOT, 'dist', 'bench', 'cases');

export const NSL_KDD = {
  train: join(ROOT, 'data', 'nsl-kdd', 'KDDTrain+_20Percent.txt.gz'),
  test: join(ROOT, 'data', 'nsl-kdd', 'KDDTest+.txt.gz'),
  test21: join(ROOT, 'data', 'nsl-kdd', 'KDDTest-21.txt.gz'),
} as const;
