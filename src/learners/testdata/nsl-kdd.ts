/**
 * NSL-KDD fixtures of the learners (on features/testdata/nsl-kdd.ts): the tree learners' binary
 * (normal/attack) and attack-category splits of the training file and KDDTest+ with the accuracy
 * they are judged by, and the logistic regression the eval and explain tests work on.
 */
import { before } from 'node:test';
import { buildTarget } from '../../data/index.js';
import { loadNslKdd, type NslKdd } from '../../features/testdata/nsl-kdd.js';
import { matrix, type Matrix } from '../../features/types.js';
import { LogisticRegression } from '../logistic-regression.js';

/** Features and labels of one part. */
export interface Split {
  X: Matrix;
  y: Int32Array;
}

export interface NslKddSplits {
  train: Split;
  test: Split;
  trainCat: Split;
  testCat: Split;
  /** The attack categories of the training file, the column order of the category splits. */
  catClasses: readonly string[];
}

async function nslKddSplits(): Promise<NslKddSplits> {
  const { train: tr, test: te, Xtrain: X, Xtest: Xt } = await loadNslKdd();
  const cat = buildTarget(tr, 'category');
  return {
    train: { X, y: buildTarget(tr, 'binary').y },
    test: { X: Xt, y: buildTarget(te, 'binary').y },
    trainCat: { X, y: cat.y },
    testCat: { X: Xt, y: buildTarget(te, 'category', { classes: cat.classes }).y },
    catClasses: cat.classes,
  };
}

/**
 * The splits for the tests of the calling file: empty objects now, filled in by a `before` hook
 * registered here, so a test file can name them in one line and read them in its tests.
 */
export function useNslKddSplits(): NslKddSplits {
  const out = { train: {} as Split, test: {} as Split, trainCat: {} as Split, testCat: {} as Split, catClasses: [] as string[] };
  before(async () => {
    const s = await nslKddSplits();
    for (const k of ['train', 'test', 'trainCat', 'testCat'] as const) Object.assign(out[k], s[k]);
    out.catClasses.push(...s.catClasses);
  });
  return out;
}

export interface NslKddLogisticRegression extends NslKdd {
  /** Binary labels (0 normal, 1 attack) of the training and the test file. */
  readonly ytrain: Int32Array;
  readonly ytest: Int32Array;
  /** Fitted on Xtrain, ytrain with classes normal, attack. */
  readonly model: LogisticRegression;
}

/** A logistic regression (default options) on NSL-KDD binary, inputs scaled and log-compressed as linear models want them. */
export async function nslKddLogisticRegression(): Promise<NslKddLogisticRegression> {
  const kdd = await loadNslKdd({ scale: true, log1p: 'auto' });
  const ytrain = buildTarget(kdd.train, 'binary').y;
  const model = await new LogisticRegression().fit(kdd.Xtrain, ytrain, { classes: ['normal', 'attack'] });
  return { ...kdd, ytrain, ytest: buildTarget(kdd.test, 'binary').y, model };
}

/** Share of the labelled rows (y ≥ 0) predicted right. */
export function accuracy(pred: Int32Array, y: Int32Array): number {
  let ok = 0;
  let n = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i]! < 0) continue;
    n++;
    if (pred[i] === y[i]) ok++;
  }
  return ok / n;
}

/** The first n rows of a split. */
export function head(s: Split, n: number): Split {
  return { X: matrix(s.X.data.subarray(0, n * s.X.nCols), n, s.X.columns), y: s.y.subarray(0, n) };
}
