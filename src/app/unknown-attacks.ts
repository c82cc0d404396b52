/**
 * The unknown-attack evaluation (`nadir evaluate --unknown`): remove named attack categories or
 * raw labels from the training data, train, and measure on a test set how many rows of the removed
 * attacks are still detected — next to the recall of the attacks that stayed known and the
 * false-positive rate — for each model side by side (gbdt alone and the hybrid by default).
 * `each` repeats it for every attack category of the training data. Without a test file, a
 * stratified 30% of the data is held out as the test set (the removal applies to the rest only).
 * Any dataset with a raw label column works; categories are the format's (NSL-KDD's map,
 * UNSW-NB15's attack_cat), else each raw label is its own category.
 */
import { basename } from 'node:path';
import type { LoadOptions } from '../data/load.js';
import { loadDataset, takeColumn, takeRows } from '../data/load.js';
import { stratifiedSplit } from '../data/split.js';
import { buildTarget } from '../data/target.js';
import type { CategoricalColumn, Dataset } from '../data/types.js';
import { nadirError } from '../errors.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { evaluateDataset } from './evaluate.js';
import { train } from './train.js';

export interface UnknownAttackOptions {
  /** Training data. */
  data: string | Dataset;
  /** Test data; none: a stratified 30% of `data` is held out. */
  test?: string | Dataset;
  /** 'each' (every attack category in turn) or a list of category / raw label names, removed together. */
  unknown: 'each' | readonly string[];
  /** Models side by side (default gbdt and hybrid). */
  models?: readonly string[];
  seed?: number;
  threads?: number;
  /** Input columns to leave out of training (identifiers), as train's `drop`. */
  drop?: readonly string[];
  load?: LoadOptions;
  logger?: Logger;
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface UnknownModelResult {
  /** Test rows of the removed attacks flagged as attacks, and their share. */
  detected: number;
  detection: number | null;
  /** Recall of the test attack rows not removed from training. */
  knownRecall: number | null;
  /** Normal test rows flagged. */
  fpr: number | null;
  accuracy: number;
}

export interface UnknownRow {
  /** The names removed from training together. */
  removed: string[];
  trainRowsRemoved: number;
  /** Test rows of the removed names. */
  testRows: number;
  models: Record<string, UnknownModelResult>;
}

export interface UnknownAttackResult {
  train: string;
  test: string;
  models: string[];
  rows: UnknownRow[];
}

export async function unknownAttacks(o: UnknownAttackOptions): Promise<UnknownAttackResult> {
  const logger = o.logger ?? silentLogger;
  const progress = o.onProgress ?? (() => {});
  const models = [...(o.models ?? ['gbdt', 'hybrid'])];
  const seed = o.seed ?? 0;
  const full = typeof o.data === 'string' ? await loadDataset(o.data, { ...o.load, logger }) : o.data;
  let trainDs = full;
  let testDs: Dataset;
  if (o.test !== undefined) {
    testDs = typeof o.test === 'string' ? await loadDataset(o.test, { ...o.load, label: full.labelColumn, logger, role: 'evaluate' }) : o.test;
  } else {
    const split = stratifiedSplit(buildTarget(full, 'category').y, 0.3, seed);
    trainDs = subset(full, split.train, `${full.source} (70%)`);
    testDs = subset(full, split.test, `${full.source} (30% held out)`);
  }
  const normal = new Set(full.normalLabels.map((s) => s.toLowerCase()));
  const isNormal = (v: string): boolean => v === 'normal' || normal.has(v.toLowerCase());
  const categories = distinct(trainDs.categories).filter((c) => !isNormal(c));
  const labels = distinct(trainDs.labels).filter((c) => !isNormal(c));
  let groups: string[][];
  if (o.unknown === 'each') groups = categories.map((c) => [c]);
  else {
    for (const name of o.unknown) {
      if (isNormal(name)) throw nadirError('NADIR_ERR_BAD_OPTION', 'unknown', `'${name}' is normal traffic, not an attack`);
      if (!categories.includes(name) && !labels.includes(name)) {
        throw nadirError('NADIR_ERR_BAD_OPTION', 'unknown', `'${name}' is neither an attack category (${categories.join(', ')}) nor an attack label of ${basename(trainDs.source)}`);
      }
    }
    groups = [[...o.unknown]];
  }
  if (groups.length === 0) throw nadirError('NADIR_ERR_BAD_INPUT', `${trainDs.source}: no attack categories to hold out`);
  const rows: UnknownRow[] = [];
  const total = groups.length * models.length;
  let done = 0;
  for (const removed of groups) {
    const set = new Set(removed);
    const hit = (ds: Dataset): Uint8Array => rowMask(ds, set);
    const trainHit = hit(trainDs);
    const keep = Uint32Array.from([...trainHit.keys()].filter((i) => !trainHit[i]));
    const reduced = subset(trainDs, keep, trainDs.source);
    const testHit = hit(testDs);
    const row: UnknownRow = { removed, trainRowsRemoved: trainHit.length - keep.length, testRows: testHit.reduce((s, v) => s + v, 0), models: {} };
    for (const model of models) {
      progress(`without ${removed.join('+')}: ${model}`, done, total);
      const r = await train({ data: reduced, model, cv: 0, seed, permutationRepeats: 0, ...(o.drop ? { drop: o.drop } : {}), ...(o.threads !== undefined ? { threads: o.threads } : {}) });
      const ev = evaluateDataset(r.detector, testDs);
      row.models[model] = measure(ev.proba, ev.y, testHit, r.detector.threshold);
      progress(`without ${removed.join('+')}: ${model}`, ++done, total);
    }
    rows.push(row);
  }
  return { train: trainDs.source, test: testDs.source, models, rows };
}

/** Rows whose category or raw label is one of `names`. */
function rowMask(ds: Dataset, names: ReadonlySet<string>): Uint8Array {
  const cat = ds.categories.dictionary.map((c) => names.has(c));
  const lab = ds.labels.dictionary.map((c) => names.has(c));
  const out = new Uint8Array(ds.features.nRows);
  for (let i = 0; i < out.length; i++) {
    const c = ds.categories.codes[i]!;
    const l = ds.labels.codes[i]!;
    out[i] = (c >= 0 && cat[c]) || (l >= 0 && lab[l]) ? 1 : 0;
  }
  return out;
}

function measure(proba: Float64Array, y: Int32Array, held: Uint8Array, threshold: number): UnknownModelResult {
  let det = 0;
  let nHeld = 0;
  let known = 0;
  let nKnown = 0;
  let fp = 0;
  let nNormal = 0;
  let correct = 0;
  for (let i = 0; i < y.length; i++) {
    const flagged = proba[2 * i + 1]! >= threshold ? 1 : 0;
    if (flagged === y[i]) correct++;
    if (y[i] === 0) {
      nNormal++;
      fp += flagged;
    } else if (held[i]) {
      nHeld++;
      det += flagged;
    } else {
      nKnown++;
      known += flagged;
    }
  }
  return { detected: det, detection: nHeld ? det / nHeld : null, knownRecall: nKnown ? known / nKnown : null, fpr: nNormal ? fp / nNormal : null, accuracy: correct / Math.max(1, y.length) };
}

function distinct(c: CategoricalColumn): string[] {
  const seen = new Uint8Array(c.dictionary.length);
  for (let i = 0; i < c.codes.length; i++) if (c.codes[i]! >= 0) seen[c.codes[i]!] = 1;
  return c.dictionary.filter((_, i) => seen[i]).sort();
}

function subset(ds: Dataset, rows: Uint32Array, source: string): Dataset {
  return {
    ...ds,
    source,
    features: takeRows(ds.features, rows),
    labels: takeColumn(ds.labels, rows) as CategoricalColumn,
    categories: takeColumn(ds.categories, rows) as CategoricalColumn,
  };
}

