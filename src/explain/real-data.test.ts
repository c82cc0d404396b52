/**
 * Explanations on real NSL-KDD rows: a logistic regression fitted on KDDTrain+_20Percent,
 * explained on 100 KDDTest+ rows; contributions sum to the model's margin and group back to
 * the 41 source columns.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Pipeline } from '../features/index.js';
import type { Matrix } from '../features/types.js';
import type { LogisticRegression } from '../learners/logistic-regression.js';
import { nslKddLogisticRegression } from '../learners/testdata/nsl-kdd.js';
import { groupBySource, topContributions } from './group.js';
import { columnMeans, linearContributions } from './linear.js';
import { rowContributions } from './types.js';

let pipeline: Pipeline;
let Xtrain: Matrix;
let Xtest: Matrix;
let model: LogisticRegression;

before(async () => {
  ({ pipeline, Xtrain, Xtest, model } = await nslKddLogisticRegression());
});

test('logistic regression: contributions on 100 KDDTest+ rows sum to the margin the model predicts from', () => {
  const rows = Array.from({ length: 100 }, (_, i) => i * 211); // spread over the file
  const e = linearContributions(model, Xtest, columnMeans(Xtrain), { rows });
  assert.equal(e.nRows, 100);
  assert.equal(e.nOutputs, 1);
  const proba = model.predictProba(Xtest);
  const coef = model.coef;
  rows.forEach((src, r) => {
    let margin = model.intercept[0]!;
    for (let j = 0; j < Xtest.nCols; j++) margin += coef[j]! * Xtest.data[src * Xtest.nCols + j]!;
    const sum = e.bias[0]! + rowContributions(e, r).reduce((s, v) => s + v, 0);
    assert.ok(Math.abs(sum - margin) < 1e-6, `row ${src}: ${sum} vs margin ${margin}`);
    // the margin is the one behind the model's probability of attack
    assert.ok(Math.abs(1 / (1 + Math.exp(-margin)) - proba[2 * src + 1]!) < 1e-9);
  });
});

test('grouped by source column: one-hot columns of protocol_type/service/flag summed back, sum preserved', () => {
  const e = linearContributions(model, Xtest, columnMeans(Xtrain), { rows: [0, 1, 2, 3, 4] });
  const g = groupBySource(e, pipeline.sourceMap);
  assert.ok(g.nFeatures < e.nFeatures);
  assert.ok(g.features.includes('service') && g.features.includes('protocol_type') && g.features.includes('flag'));
  assert.ok(!g.features.some((f) => f.includes('=')), 'no one-hot column names left');
  for (let r = 0; r < 5; r++) {
    const a = rowContributions(e, r).reduce((s, v) => s + v, 0);
    const b = rowContributions(g, r).reduce((s, v) => s + v, 0);
    assert.ok(Math.abs(a - b) < 1e-9);
    const top = topContributions(g, r, 5);
    assert.ok(top.length > 0 && top.length <= 5);
    for (let i = 1; i < top.length; i++) assert.ok(Math.abs(top[i - 1]!.value) >= Math.abs(top[i]!.value));
  }
});
