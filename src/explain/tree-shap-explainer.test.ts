/**
 * TreeShapExplainer (TreeSHAP prepared once per model, tables kept between calls) gives treeShap's
 * values bit for bit: one row at a time, in any order, in batches, with every table kept or only
 * some (a keep limit), and for trees explained by the recursion.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { buildTarget, type Dataset } from '../data/index.js';
import { loadNslKdd } from '../features/testdata/nsl-kdd.js';
import type { Matrix } from '../features/types.js';
import { GradientBoostingClassifier } from '../learners/gbdt.js';
import { RandomForestClassifier } from '../learners/random-forest.js';
import type { TreeEnsemble } from '../tree/types.js';
import { treeShap, TreeShapExplainer } from './tree-shap.js';

const ROWS = Array.from({ length: 60 }, (_, i) => i * 367 + 11);

let train: Dataset;
let X: Matrix;
let Xt: Matrix;

before(async () => {
  ({ train, Xtrain: X, Xtest: Xt } = await loadNslKdd());
});

/** Row `src` of Xt alone, as the HTTP API explains a single record. */
function oneRow(src: number): Matrix {
  return { data: Xt.data.slice(src * Xt.nCols, (src + 1) * Xt.nCols), nRows: 1, nCols: Xt.nCols, columns: Xt.columns };
}

function assertSame(e: TreeEnsemble, explainer: TreeShapExplainer): void {
  const all = treeShap(e, Xt, { rows: ROWS });
  // one record at a time, backwards then forwards (tables filled by earlier rows are reused)
  for (const order of [[...ROWS].reverse(), ROWS]) {
    for (const src of order) {
      const r = ROWS.indexOf(src);
      const one = explainer.explain(oneRow(src));
      const width = all.nOutputs * all.nFeatures;
      assert.deepEqual(Array.from(one.contributions), Array.from(all.contributions.subarray(r * width, (r + 1) * width)), `row ${src}`);
      assert.deepEqual(Array.from(one.bias), Array.from(all.bias));
    }
  }
  const batch = explainer.explain(Xt, ROWS);
  assert.deepEqual(Array.from(batch.contributions), Array.from(all.contributions));
}

test('GBDT: the explainer equals treeShap bit for bit, tables kept or not', async () => {
  const y = buildTarget(train, 'binary').y;
  const m = await new GradientBoostingClassifier({ nEstimators: 30, maxDepth: 6, seed: 4 }).fit(X, y);
  const e = m.ensemble();
  assertSame(e, new TreeShapExplainer(e));
  // a keep limit that holds some trees' tables only: the rest are built per call
  assertSame(e, new TreeShapExplainer(e, { keepLimit: 20_000 }));
  assertSame(e, new TreeShapExplainer(e, { keepLimit: 0 }));
});

test('random forest, and trees explained by the recursion (tableLimit 0): the same values as treeShap', async () => {
  const y = buildTarget(train, 'binary').y;
  const m = await new RandomForestClassifier({ nEstimators: 8, maxDepth: 8, seed: 6 }).fit(X, y);
  const e = m.ensemble();
  assertSame(e, new TreeShapExplainer(e));
  const rec = new TreeShapExplainer(e, { tableLimit: 0 });
  const all = treeShap(e, Xt, { rows: ROWS, tableLimit: 0 });
  assert.deepEqual(Array.from(rec.explain(Xt, ROWS).contributions), Array.from(all.contributions));
});

test('the explainer checks the matrix like treeShap', async () => {
  const y = buildTarget(train, 'binary').y;
  const m = await new GradientBoostingClassifier({ nEstimators: 2, maxDepth: 2, seed: 1 }).fit(X, y);
  const ex = new TreeShapExplainer(m.ensemble());
  assert.throws(() => ex.explain({ data: new Float32Array(3), nRows: 1, nCols: 3, columns: ['a', 'b', 'c'] }), /matrix has 3 columns/);
  assert.throws(() => ex.explain(Xt, [Xt.nRows]), /out of range/);
});
