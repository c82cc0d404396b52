/**
 * TreeSHAP for the isolation forest (as the shap library explains scikit-learn's IsolationForest):
 * Shapley values of minus the mean path length over the trees. They sum, with the expected value,
 * to each row's output, which gives the anomaly score back (s = 2^(output / c(ψ))), and they equal
 * a brute-force computation of the same Shapley values on a small forest.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matrix } from '../features/types.js';
import { averagePathLength, IsolationForest } from '../learners/isolation-forest.js';
import { Random } from '../util/random.js';
import { bruteForceShapley } from './testdata/trees.js';
import { treeShap } from './tree-shap.js';

function data(n: number, d: number, seed: number): Float32Array {
  const r = new Random(seed);
  return Float32Array.from({ length: n * d }, (_, i) => (i % d === 0 ? Math.round(r.normal() * 3) : r.normal()) + (i % 17 === 0 ? 6 : 0));
}

test('isolation-forest SHAP values sum to the output minus the expected value (1e-9) and give the score back', async () => {
  const d = 4;
  const X = matrix(data(300, d, 1), 300, ['a', 'b', 'c', 'd']);
  const f = await new IsolationForest({ nTrees: 40, maxSamples: 64, seed: 2 }).fit(X);
  const e = treeShap(f.ensemble(), X);
  const s = f.scoreSamples(X);
  const c = averagePathLength(64);
  for (let i = 0; i < X.nRows; i++) {
    let out = e.bias[0]!;
    for (let j = 0; j < d; j++) out += e.contributions[i * d + j]!;
    // output = −E[h(x)]; s = 2^(−E[h(x)] / c(ψ))
    assert.ok(Math.abs(out - Math.log2(s[i]!) * c) < 1e-9, `row ${i}: bias + Σφ = ${out}, from the score ${Math.log2(s[i]!) * c}`);
  }
  // the expected value is minus the cover-weighted mean path length: negative, and rows scored above it push up
  assert.ok(e.bias[0]! < 0);
});

test('isolation-forest SHAP values equal brute-force Shapley values on a small forest', async () => {
  const d = 3;
  const X = matrix(data(40, d, 3), 40, ['a', 'b', 'c']);
  const f = await new IsolationForest({ nTrees: 3, maxSamples: 12, seed: 5 }).fit(X);
  const ens = f.ensemble();
  const e = treeShap(ens, X);
  for (let i = 0; i < 15; i++) {
    const brute = bruteForceShapley(ens, X.data.subarray(i * d, (i + 1) * d))[0]!;
    for (let j = 0; j < d; j++) assert.ok(Math.abs(e.contributions[i * d + j]! - brute[j]!) < 1e-9, `row ${i} feature ${j}: ${e.contributions[i * d + j]} vs ${brute[j]}`);
  }
});
