import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matrix } from '../features/types.js';
import { expectedValue, treeDepth, treeShap, type TreeShapOptions } from './tree-shap.js';
import { bruteForceShapley, conditionalExpectation, ensemble, flatTree, Random, randomRow, randomTree, rawOutput } from './testdata/trees.js';
import { rowContributions } from './types.js';
import type { TreeEnsemble } from '../tree/types.js';

// Feature 0 is split on twice along one path (root and node 6, with feature 1 between),
// which exercises UNWIND; missing values of feature 2 go right at node 3.
const treeA = flatTree([
  { f: 0, t: 0.5, l: 1, r: 2, cover: 100 },
  { f: 1, t: 1.0, l: 3, r: 4, cover: 60 },
  { f: 1, t: 2.0, l: 5, r: 6, cover: 40 },
  { f: 2, t: 0, l: 7, r: 8, dl: false, cover: 35 },
  { v: [2.0], cover: 25 },
  { v: [-1.0], cover: 30 },
  { f: 0, t: 3.0, l: 9, r: 10, cover: 10 },
  { v: [0.5], cover: 20 },
  { v: [1.5], cover: 15 },
  { v: [-3.0], cover: 4 },
  { v: [4.0], cover: 6 },
]);
const treeB = flatTree([
  { f: 2, t: 1.5, l: 1, r: 2, cover: 100 },
  { v: [0.25], cover: 70 },
  { f: 0, t: -1, l: 3, r: 4, cover: 30 },
  { v: [-0.75], cover: 12 },
  { v: [1.0], cover: 18 },
]);

const rows = [
  [0, 0, 0],
  [0.5, 1.0, 0], // exactly on thresholds: go left
  [1, 3, -1],
  [4, 2.5, 2],
  [NaN, 0, NaN],
  [2, NaN, 5],
  [NaN, NaN, NaN],
];

function check(e: TreeEnsemble, xs: number[][], tol = 1e-9): void {
  checkWith(e, xs, tol, {});
  checkWith(e, xs, tol, { tableLimit: 0 }); // the recursion (Algorithm 2) instead of the per-leaf tables
}

function checkWith(e: TreeEnsemble, xs: number[][], tol: number, opts: TreeShapOptions): void {
  const X = matrix(Float32Array.from(xs.flat()), xs.length, Array.from({ length: e.nFeatures }, (_, j) => `f${j}`));
  const ex = treeShap(e, X, opts);
  assert.equal(ex.nRows, xs.length);
  assert.equal(ex.nOutputs, e.nOutputs);
  const bias = conditionalExpectation(e, [], new Array<boolean>(e.nFeatures).fill(false));
  for (let o = 0; o < e.nOutputs; o++) assert.ok(Math.abs(ex.bias[o]! - bias[o]!) < tol, `bias ${o}`);
  xs.forEach((x, r) => {
    const xf = X.data.subarray(r * e.nFeatures, (r + 1) * e.nFeatures);
    const brute = bruteForceShapley(e, xf);
    const raw = rawOutput(e, xf);
    for (let o = 0; o < e.nOutputs; o++) {
      const phi = rowContributions(ex, r, o);
      for (let j = 0; j < e.nFeatures; j++) {
        assert.ok(Math.abs(phi[j]! - brute[o]![j]!) < tol, `row ${r} output ${o} feature ${j}: ${phi[j]} vs brute force ${brute[o]![j]}`);
      }
      const sum = ex.bias[o]! + phi.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - raw[o]!) < 1e-9, `row ${r} output ${o}: bias + Σφ = ${sum}, raw ${raw[o]}`);
    }
  });
}

test('single tree with a repeated feature and missing values: TreeSHAP = brute-force Shapley values', () => {
  assert.equal(treeDepth(treeA), 3);
  check(ensemble([treeA]), rows);
});

test('boosted ensemble with base score and learning-rate scale', () => {
  check(ensemble([treeA, treeB], { baseScore: [-0.4], scale: 0.1, link: 'logit' }), rows);
});

test('multi-output forest (leaf vectors) and multi-class boosting (one output per tree)', () => {
  const forestTree = (t: typeof treeA, shift: number) => {
    const n = t.nNodes;
    const v = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-t.value[i]! - shift));
      v[i * 3] = p * 0.6;
      v[i * 3 + 1] = p * 0.4;
      v[i * 3 + 2] = 1 - p;
    }
    return { ...t, value: v, nOutputs: 3 };
  };
  check(ensemble([forestTree(treeA, 0), forestTree(treeB, 0.3)], { nOutputs: 3, scale: 0.5 }), rows);
  check(ensemble([treeA, treeB, treeB, treeA], { nOutputs: 3, treeOutput: [0, 1, 2, 2], baseScore: [0.1, -0.2, 0.3], scale: 0.3, link: 'softmax' }), rows);
});

test('random trees (depth ≤ 5, 5 features, ties with thresholds, NaN, zero-cover branches) agree with brute force', () => {
  const rng = new Random(42);
  for (let trial = 0; trial < 25; trial++) {
    const nOut = trial % 3 === 0 ? 2 : 1;
    const trees = Array.from({ length: 1 + rng.int(3) }, () => randomTree(rng, 5, 5, nOut, trial % 2 === 1));
    const e = ensemble(trees, { nOutputs: nOut, nFeatures: 5, scale: 0.7, baseScore: new Array<number>(nOut).fill(0.2) });
    const xs = Array.from({ length: 6 }, () => Array.from(randomRow(rng, 5)));
    check(e, xs);
  }
});

test('many rows (several blocks of rows): each row gets what it gets explained alone', () => {
  const rng = new Random(7);
  const trees = Array.from({ length: 4 }, () => randomTree(rng, 5, 5, 1, true));
  const e = ensemble(trees, { nFeatures: 5, scale: 0.5 });
  const n = 700;
  const data = new Float32Array(n * 5);
  for (let r = 0; r < n; r++) data.set(randomRow(rng, 5), r * 5);
  const X = matrix(data, n, ['a', 'b', 'c', 'd', 'e']);
  const all = treeShap(e, X);
  const reversed = treeShap(e, X, { rows: Array.from({ length: n }, (_, i) => n - 1 - i) });
  for (const r of [0, 255, 256, 511, 600, 699]) {
    const alone = treeShap(e, X, { rows: [r] });
    assert.deepEqual(Array.from(rowContributions(all, r)), Array.from(rowContributions(alone, 0)), `row ${r}`);
    assert.deepEqual(Array.from(rowContributions(reversed, n - 1 - r)), Array.from(rowContributions(alone, 0)), `row ${r} (reversed)`);
  }
});

test('a single-leaf tree contributes only to the bias; rows option picks rows', () => {
  const stump = flatTree([{ v: [3], cover: 10 }]);
  const e = ensemble([stump, treeB], { nFeatures: 3 });
  const X = matrix(Float32Array.from(rows.flat()), rows.length, ['a', 'b', 'c']);
  const all = treeShap(e, X);
  const some = treeShap(e, X, { rows: [4, 1] });
  assert.equal(some.nRows, 2);
  assert.deepEqual(Array.from(rowContributions(some, 0)), Array.from(rowContributions(all, 4)));
  assert.deepEqual(Array.from(rowContributions(some, 1)), Array.from(rowContributions(all, 1)));
  assert.ok(Math.abs(expectedValue(e)[0]! - (3 + 0.7 * 0.25 + 0.3 * (0.4 * -0.75 + 0.6 * 1))) < 1e-12);
  assert.deepEqual(some.features, ['a', 'b', 'c']);
});

test('refuses a matrix of the wrong width and trees that do not fit the outputs', () => {
  const e = ensemble([treeA]);
  assert.throws(() => treeShap(e, matrix(new Float32Array(4), 2, ['a', 'b'])), /2 columns, the model expects 3/);
  assert.throws(() => treeShap(ensemble([treeA], { nOutputs: 2 }), matrix(new Float32Array(3), 1, ['a', 'b', 'c'])), /does not fit/);
});
