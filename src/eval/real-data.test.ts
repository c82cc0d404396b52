/**
 * Evaluation on real NSL-KDD predictions: a logistic regression fitted on
 * KDDTrain+_20Percent and scored on KDDTest+. Checks the metric functions against
 * independent definitions on 22k real rows, threshold calibration on training scores, and
 * permutation importance over source columns.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Pipeline } from '../features/index.js';
import type { Matrix } from '../features/types.js';
import type { LogisticRegression } from '../learners/logistic-regression.js';
import { nslKddLogisticRegression } from '../learners/testdata/nsl-kdd.js';
import { computeMetrics } from './metrics.js';
import { permutationImportance } from './permutation-importance.js';
import { ratesAtThreshold } from './rates.js';
import { calibrateThreshold } from './threshold.js';
import { column } from './validate.js';

const CLASSES = ['normal', 'attack'];

let pipeline: Pipeline;
let Xtest: Matrix;
let ytrain: Int32Array;
let ytest: Int32Array;
let model: LogisticRegression;
let trainScores: Float64Array;
let testProba: Float64Array;

before(async () => {
  const kdd = await nslKddLogisticRegression();
  ({ pipeline, Xtest, ytrain, ytest, model } = kdd);
  trainScores = column(model.predictProba(kdd.Xtrain), 2, 1);
  testProba = model.predictProba(Xtest);
});

test('KDDTest+: ROC-AUC equals the pairwise (Mann–Whitney) probability, confusion matrix adds up', () => {
  const m = computeMetrics(ytest, testProba, CLASSES, { curves: true });
  assert.equal(m.n, 22544);
  assert.deepEqual(m.support, [9711, 12833]); // KDDTest+'s normal / attack counts
  // AUC = P(score of a random attack > score of a random normal) + ½ P(tie), by sorting normals
  const s = column(testProba, 2, 1);
  const neg = Float64Array.from(s.filter((_, i) => ytest[i] === 0)).sort();
  let wins = 0;
  for (let i = 0; i < s.length; i++) {
    if (ytest[i] !== 1) continue;
    let lo = 0;
    let hi = neg.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (neg[mid]! < s[i]!) lo = mid + 1;
      else hi = mid;
    }
    let eq = lo;
    while (eq < neg.length && neg[eq] === s[i]) eq++;
    wins += lo + 0.5 * (eq - lo);
  }
  assert.ok(Math.abs(m.rocAuc! - wins / (neg.length * 12833)) < 1e-12);
  assert.ok(m.rocAuc! > 0.7, `logreg AUC ${m.rocAuc}`);
  const cm = m.confusionMatrix;
  assert.equal(cm[0]![0]! + cm[0]![1]! + cm[1]![0]! + cm[1]![1]!, 22544);
  assert.equal(m.accuracy, (cm[0]![0]! + cm[1]![1]!) / 22544);
  assert.equal(m.recall, cm[1]![1]! / 12833);
  assert.equal(m.fpr, cm[0]![1]! / 9711);
  assert.ok(m.curves!.roc.x.length <= 200 && m.curves!.pr.x.length <= 200);
  assert.ok(m.prAuc! > 0 && m.prAuc! <= 1 && Number.isFinite(m.logLoss));
});

test('threshold calibrated on training scores keeps the training FPR under the target', () => {
  for (const maxFpr of [0.001, 0.01, 0.05]) {
    const c = calibrateThreshold(ytrain, trainScores, { method: 'max-fpr', maxFpr });
    const r = ratesAtThreshold(ytrain, trainScores, c.threshold);
    assert.ok(r.fpr! <= maxFpr, `fpr ${r.fpr} > ${maxFpr}`);
    assert.deepEqual(r, c.rates);
    // the next lower distinct training score would break the target
    let next = -Infinity;
    for (const v of trainScores) if (v < c.threshold && v > next) next = v;
    if (next > -Infinity) assert.ok(ratesAtThreshold(ytrain, trainScores, next).fpr! > maxFpr);
  }
});

test('permutation importance over source columns on 1500 KDDTest+ rows', () => {
  const r = permutationImportance((X) => model.predictProba(X), Xtest, ytest, {
    groups: pipeline.sourceMap,
    scoring: 'roc_auc',
    nRepeats: 2,
    maxRows: 1500,
    seed: 11,
  });
  assert.equal(r.nRows, 1500);
  const names = r.importances.map((g) => g.name);
  assert.equal(new Set(names).size, names.length);
  assert.deepEqual([...names].sort(), [...new Set(pipeline.sourceMap)].sort());
  const service = r.importances.find((g) => g.name === 'service')!;
  assert.equal(service.columns.length, pipeline.sourceMap.filter((s) => s === 'service').length);
  assert.ok(r.importances[0]!.mean > 0.005, `top group ${r.importances[0]!.name} ${r.importances[0]!.mean}`);
  for (const g of r.importances) assert.ok(Number.isFinite(g.mean) && g.std >= 0);
});
