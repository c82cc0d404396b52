/**
 * The set-up the hybrid detector's selection experiments share (bench/hybrid-select.ts, round 1;
 * hybrid-gate.ts, round 2; hybrid-round3.ts, round 3): KDDTrain+_20Percent one-hot encoded once,
 * its rows by attack category, the normal rows in FOLDS folds (a Random(0) shuffle), the
 * leave-one-category-out training rows, the supervised part (gbdt with its defaults), and a
 * profile's inner out-of-fold scores on the normal training rows. Every round reads the same
 * folds and seeds, so their tables agree where their candidates do.
 */
import { availableParallelism } from 'node:os';
import { loadDataset } from '../../src/data/index.js';
import { Pipeline, takeMatrixRows, type Matrix } from '../../src/features/index.js';
import type { Profile } from '../../src/learners/profile/types.js';
import { createLearner } from '../../src/learners/registry.js';
import type { Classifier } from '../../src/learners/types.js';
import { Random } from '../../src/util/random.js';
import { NSL_KDD } from './paths.js';

export const THREADS = Math.min(2, availableParallelism());
export const FOLDS = 5;
export const CATEGORIES = ['DoS', 'Probe', 'R2L', 'U2R'] as const;

export interface LocoData {
  /** Every training row, one-hot encoded (the pipeline fitted once on the whole file). */
  X: Matrix;
  /** A row's attack category ('normal' for normal traffic, '' when it has none). */
  catOf(i: number): string;
  normal: number[];
  byCat: Record<string, number[]>;
  /** The normal rows in their Random(0) order, and each row's normal fold (-1: an attack row). */
  shuffled: Uint32Array;
  foldOf: Int32Array;
  /** Rows, features and counts per category, for the experiment's log. */
  summary: string;
}

export async function locoData(): Promise<LocoData> {
  const ds = await loadDataset(NSL_KDD.train);
  const pipeline = new Pipeline({ encoding: 'onehot' }).fit(ds.features);
  const X = pipeline.transform(ds.features);
  const cat = ds.categories;
  const catOf = (i: number): string => (cat.codes[i]! < 0 ? '' : cat.dictionary[cat.codes[i]!]!);
  const normal: number[] = [];
  const byCat: Record<string, number[]> = Object.fromEntries(CATEGORIES.map((c) => [c, []]));
  for (let i = 0; i < X.nRows; i++) {
    const c = catOf(i);
    if (c === 'normal') normal.push(i);
    else byCat[c]?.push(i);
  }
  const shuffled = new Random(0).shuffle(Uint32Array.from(normal));
  const foldOf = new Int32Array(X.nRows).fill(-1);
  shuffled.forEach((r, i) => (foldOf[r] = i % FOLDS));
  const summary = `${X.nRows} rows, ${X.nCols} features; normal ${normal.length}; ${CATEGORIES.map((c) => `${c} ${byCat[c]!.length}`).join(', ')}`;
  return { X, catOf, normal, byCat, shuffled, foldOf, summary };
}

/** The supervised part's training rows for normal fold f with category c held out: the other normal folds and every other attack. */
export function locoTrainRows(d: LocoData, f: number, c: string): Uint32Array {
  return Uint32Array.from([...Array(d.X.nRows).keys()].filter((i) => (d.foldOf[i]! >= 0 ? d.foldOf[i] !== f : d.catOf(i) !== c && d.catOf(i) !== '')));
}

/** gbdt with its defaults (seed 0) on rows of X, labels 0 = normal, 1 = attack. */
export async function fitGbdt(X: Matrix, rows: Uint32Array, y: Int32Array): Promise<Classifier> {
  const m = createLearner('gbdt', { nThreads: THREADS, seed: 0 }) as Classifier;
  await m.fit(takeMatrixRows(X, rows), y, { classes: ['normal', 'attack'] });
  return m;
}

/** The classifier's P(attack) for rows of X. */
export function pAttack(m: Classifier, X: Matrix, rows: readonly number[] | Uint32Array): Float64Array {
  const P = m.predictProba(takeMatrixRows(X, Uint32Array.from(rows)));
  return Float64Array.from({ length: rows.length }, (_, i) => P[2 * i + 1]!);
}

/** A profile's inner out-of-fold scores of the normal training rows (FOLDS folds by position, fold g's profile fitted with seed 1 + g). */
export function innerOutOfFold(X: Matrix, trainNormal: Uint32Array, make: () => Profile): Float64Array {
  const out = new Float64Array(trainNormal.length);
  for (let g = 0; g < FOLDS; g++) {
    const fitRows = trainNormal.filter((_, i) => i % FOLDS !== g);
    const scoreIdx = [...trainNormal.keys()].filter((i) => i % FOLDS === g);
    const p = make();
    p.fit(takeMatrixRows(X, fitRows), 1 + g);
    const s = p.score(takeMatrixRows(X, Uint32Array.from(scoreIdx, (i) => trainNormal[i]!)));
    scoreIdx.forEach((i, k) => (out[i] = s[k]!));
  }
  return out;
}
