/**
 * TreeSHAP on real NSL-KDD models: gradient-boosted trees and a random forest fitted on KDDTrain+_20Percent,
 * explained on 100 KDDTest+ rows. Contributions must add up to the model's raw margin, and on
 * the learner's own (small) trees agree with brute-force Shapley values.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { buildTarget, type Dataset } from '../data/index.js';
import type { Pipeline } from '../features/index.js';
import { loadNslKdd } from '../features/testdata/nsl-kdd.js';
import type { Matrix } from '../features/types.js';
import { GradientBoostingClassifier } from '../learners/gbdt.js';
import { RandomForestClassifier } from '../learners/random-forest.js';
import type { FlatTree, TreeEnsemble } from '../tree/types.js';
import { groupBySource } from './group.js';
import { bruteForceShapley } from './testdata/trees.js';
import { treeShap } from './tree-shap.js';
import { rowContributions } from './types.js';

const ROWS = Array.from({ length: 100 }, (_, i) => i * 223 + 7); // spread over KDDTest+

let train: Dataset;
let pipeline: Pipeline;
let X: Matrix;
let Xt: Matrix;

before(async () => {
  ({ train, pipeline, Xtrain: X, Xtest: Xt } = await loadNslKdd());
});

function assertSumsToMargin(e: TreeEnsemble, raw: Float64Array, nOut: number): void {
  const ex = treeShap(e, Xt, { rows: ROWS });
  assert.equal(ex.nRows, 100);
  assert.equal(ex.nOutputs, nOut);
  let maxErr = 0;
  ROWS.forEach((src, r) => {
    for (let o = 0; o < nOut; o++) {
      const sum = ex.bias[o]! + rowContributions(ex, r, o).reduce((s, v) => s + v, 0);
      maxErr = Math.max(maxErr, Math.abs(sum - raw[src * nOut + o]!));
    }
  });
  assert.ok(maxErr < 1e-6, `max |bias + Σφ − margin| = ${maxErr}`);
  // the per-leaf tables and the recursion (Algorithm 2) give the same values
  const rec = treeShap(e, Xt, { rows: ROWS, tableLimit: 0 });
  let maxDiff = 0;
  for (let i = 0; i < ex.contributions.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ex.contributions[i]! - rec.contributions[i]!));
  assert.ok(maxDiff < 1e-9, `max |table − recursion| = ${maxDiff}`);
  // grouped back to the 41 source columns, the sums still hold
  const g = groupBySource(ex, pipeline.sourceMap);
  assert.ok(g.features.includes('service') && !g.features.some((f) => f.includes('=')));
  for (let r = 0; r < 100; r++) {
    const a = rowContributions(ex, r, 0).reduce((s, v) => s + v, 0);
    const b = rowContributions(g, r, 0).reduce((s, v) => s + v, 0);
    assert.ok(Math.abs(a - b) < 1e-9);
  }
}

test('GBDT, binary: contributions on 100 KDDTest+ rows sum to the raw margin (log-odds) within 1e-6', async () => {
  const y = buildTarget(train, 'binary').y;
  const m = await new GradientBoostingClassifier({ nEstimators: 40, maxDepth: 6, seed: 3 }).fit(X, y);
  assertSumsToMargin(m.ensemble(), m.decisionFunction(Xt), 1);
});

test('GBDT, attack category (softmax, one tree per class and round): sums hold for every class margin', async () => {
  const target = buildTarget(train, 'category');
  const m = await new GradientBoostingClassifier({ nEstimators: 8, maxDepth: 4, seed: 5 }).fit(X, target.y, { classes: target.classes });
  const e = m.ensemble();
  assert.equal(e.nOutputs, target.classes.length);
  assertSumsToMargin(e, m.decisionFunction(Xt), target.classes.length);
});

test('random forest (identity link, leaf vectors): contributions sum to the predicted probabilities of both classes', async () => {
  const y = buildTarget(train, 'binary').y;
  const m = await new RandomForestClassifier({ nEstimators: 20, maxDepth: 8, seed: 2 }).fit(X, y);
  const e = m.ensemble();
  assert.equal(e.link, 'identity');
  assertSumsToMargin(e, m.predictProba(Xt), 2);
});

/** The ensemble restricted to the features its trees use, renumbered 0..k-1 (so 2^k coalitions can be enumerated). */
function compact(e: TreeEnsemble): { ens: TreeEnsemble; used: number[] } {
  const used = [...new Set(e.trees.flatMap((t) => Array.from(t.feature).filter((f) => f >= 0)))].sort((a, b) => a - b);
  const index = new Map(used.map((f, i) => [f, i]));
  const trees: FlatTree[] = e.trees.map((t) => ({ ...t, feature: Int32Array.from(t.feature, (f) => (f < 0 ? f : index.get(f)!)) }));
  return { ens: { ...e, trees, nFeatures: used.length }, used };
}

test("GBDT's own trees: TreeSHAP equals brute-force Shapley values on real rows", async () => {
  const y = buildTarget(train, 'binary').y;
  const m = await new GradientBoostingClassifier({ nEstimators: 3, maxDepth: 3, seed: 9 }).fit(X, y);
  const e = m.ensemble();
  const { ens, used } = compact(e);
  assert.ok(used.length >= 3 && used.length <= 12, `${used.length} features used`);
  const ex = treeShap(e, Xt, { rows: ROWS.slice(0, 20) });
  ROWS.slice(0, 20).forEach((src, r) => {
    const x = used.map((f) => Xt.data[src * Xt.nCols + f]!);
    const brute = bruteForceShapley(ens, x)[0]!;
    const phi = rowContributions(ex, r);
    used.forEach((f, k) => assert.ok(Math.abs(phi[f]! - brute[k]!) < 1e-9, `row ${src} feature ${Xt.columns[f]}: ${phi[f]} vs ${brute[k]}`));
    // features no tree uses get exactly nothing
    for (let j = 0; j < Xt.nCols; j++) if (!used.includes(j)) assert.equal(phi[j], 0);
  });
});
