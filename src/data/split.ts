import { nadirError } from '../errors.js';
import { Random } from '../util/random.js';

export interface Fold {
  train: Uint32Array;
  test: Uint32Array;
}

function byClass(y: Int32Array): Uint32Array[] {
  let k = 0;
  for (let i = 0; i < y.length; i++) if (y[i]! + 1 > k) k = y[i]! + 1;
  const counts = new Int32Array(k);
  for (let i = 0; i < y.length; i++) if (y[i]! >= 0) counts[y[i]!]!++;
  const groups = Array.from(counts, (c) => new Uint32Array(c));
  const fill = new Int32Array(k);
  for (let i = 0; i < y.length; i++) {
    const c = y[i]!;
    if (c >= 0) groups[c]![fill[c]!++] = i;
  }
  return groups;
}

/**
 * Stratified K-fold (as scikit-learn's StratifiedKFold with shuffle): each class's rows are
 * shuffled with the seed and dealt round-robin to the folds, so every fold keeps the class
 * proportions (±1 row per class). Rows with y = -1 are left out. Deterministic under `seed`.
 */
export function stratifiedKFold(y: Int32Array, k: number, seed = 0): Fold[] {
  if (!Number.isInteger(k) || k < 2) throw nadirError('NADIR_ERR_BAD_OPTION', 'folds', `must be an integer ≥ 2, got ${k}`);
  let labelledRows = 0;
  for (let i = 0; i < y.length; i++) if (y[i]! >= 0) labelledRows++;
  if (k > labelledRows) throw nadirError('NADIR_ERR_BAD_OPTION', 'folds', `${k} folds need at least ${k} labelled rows, got ${labelledRows}`);
  const rng = new Random(seed);
  const foldOf = new Int32Array(y.length).fill(-1);
  let offset = 0;
  for (const g of byClass(y)) {
    rng.shuffle(g);
    for (let j = 0; j < g.length; j++) foldOf[g[j]!] = (offset + j) % k;
    offset = (offset + g.length) % k; // continue dealing where the last class stopped: fold sizes stay balanced
  }
  const sizes = new Int32Array(k);
  let labelled = 0;
  for (let i = 0; i < y.length; i++) if (foldOf[i]! >= 0) {
    sizes[foldOf[i]!]!++;
    labelled++;
  }
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const test = new Uint32Array(sizes[f]!);
    const train = new Uint32Array(labelled - sizes[f]!);
    let a = 0;
    let b = 0;
    for (let i = 0; i < y.length; i++) {
      const fo = foldOf[i]!;
      if (fo < 0) continue;
      if (fo === f) test[a++] = i;
      else train[b++] = i;
    }
    folds.push({ train, test });
  }
  return folds;
}

/**
 * Stratified train/test split: `testSize` is a fraction in (0, 1); each class contributes
 * round(size × testSize) shuffled rows to the test side, but always keeps one for training.
 * Rows with y = -1 are left out. Deterministic under `seed`.
 */
export function stratifiedSplit(y: Int32Array, testSize: number, seed = 0): Fold {
  if (!(testSize > 0 && testSize < 1)) throw nadirError('NADIR_ERR_BAD_OPTION', 'test size', `must be a fraction in (0, 1), got ${testSize}`);
  const rng = new Random(seed);
  const isTest = new Uint8Array(y.length);
  let nTest = 0;
  let nTrain = 0;
  for (const g of byClass(y)) {
    rng.shuffle(g);
    // never the whole class: the training side must see every class
    const t = Math.min(Math.round(g.length * testSize), g.length - 1);
    for (let j = 0; j < g.length; j++) {
      if (j < t) {
        isTest[g[j]!] = 1;
        nTest++;
      } else nTrain++;
    }
  }
  const train = new Uint32Array(nTrain);
  const test = new Uint32Array(nTest);
  let a = 0;
  let b = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i]! < 0) continue;
    if (isTest[i]) test[b++] = i;
    else train[a++] = i;
  }
  return { train, test };
}
