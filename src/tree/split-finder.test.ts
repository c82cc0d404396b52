import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matrix } from '../features/types.js';
import { Random } from '../util/random.js';
import { binMatrix, fitBinMapper } from './binner.js';
import { classHistDense, gradHistDense, gradHistSparse } from './histogram.js';
import {
  classFeatureSplit,
  classScratch,
  classSortedSplit,
  gradFeatureSplit,
  gradScratch,
  newBestSplit,
  resetBestSplit,
  weightedImpurity,
} from './split-finder.js';
import type { BinnedData } from './types.js';

function oneFeature(vals: number[], sparseMaxDensity = 0.8): BinnedData {
  const X = matrix(Float32Array.from(vals), vals.length, ['x']);
  return binMatrix(fitBinMapper(X), X, { sparseMaxDensity });
}

function gradHist(data: BinnedData, gh: Float32Array): Float64Array {
  const idx = Uint32Array.from({ length: data.nRows }, (_, i) => i);
  const hist = new Float64Array(data.totalSlots * 2);
  gradHistSparse(data, idx, 0, data.nRows, gh, hist);
  gradHistDense(data, data.denseFeatures, 0, data.denseFeatures.length, idx, 0, data.nRows, gh, hist);
  return hist;
}

test('gradient split: XGBoost structure-score gain, best threshold, left sums (hand-computed)', () => {
  // x: 0,0,1,1,2,2 ; g: -1,-1,-1,1,1,1 ; h: 1 each ; λ = 1
  const data = oneFeature([0, 0, 1, 1, 2, 2], 0);
  const gh = Float32Array.from([-1, 1, -1, 1, -1, 1, 1, 1, 1, 1, 1, 1]);
  const hist = gradHist(data, gh);
  const best = newBestSplit(2);
  resetBestSplit(best, 1e-6);
  gradFeatureSplit(data, 0, hist, 0, 6, { lambda: 1, minChildWeight: 1 }, gradScratch(), best);
  // threshold after bin 0: GL=-2,HL=2 | GR=2,HR=4 → 4/3 + 4/5 − 0 = 2.1333…
  // threshold after bin 1: GL=-2,HL=4 | GR=2,HR=2 → 4/5 + 4/3 = same gain; the first wins
  assert.equal(best.feature, 0);
  assert.equal(best.bin, 0);
  assert.ok(Math.abs(best.gain - (4 / 3 + 4 / 5)) < 1e-12);
  assert.deepEqual([...best.left], [-2, 2]);
  // unseen missing values follow the heavier (right) side
  assert.equal(best.defaultLeft, 0);
});

test('gradient split: missing rows go to the side that gains most; minChildWeight is respected', () => {
  // missing rows look like the x=0 rows (negative gradients): they must go left with them
  const data = oneFeature([0, 0, 5, 5, NaN, NaN]);
  const gh = Float32Array.from([-1, 1, -1, 1, 1, 1, 1, 1, -1, 1, -1, 1]);
  const hist = gradHist(data, gh);
  const best = newBestSplit(2);
  resetBestSplit(best, 1e-6);
  gradFeatureSplit(data, 0, hist, -2, 6, { lambda: 0, minChildWeight: 1 }, gradScratch(), best);
  assert.equal(best.bin, 0);
  assert.equal(best.defaultLeft, 1);
  assert.deepEqual([...best.left], [-4, 4]);
  resetBestSplit(best, 1e-6);
  gradFeatureSplit(data, 0, hist, -2, 6, { lambda: 0, minChildWeight: 2 }, gradScratch(), best);
  assert.equal(best.feature, 0);
  assert.ok(best.left[1]! >= 2 && 6 - best.left[1]! >= 2);
  resetBestSplit(best, 1e-6);
  gradFeatureSplit(data, 0, hist, -2, 6, { lambda: 0, minChildWeight: 2.5 }, gradScratch(), best);
  assert.equal(best.feature, -1, 'every split leaves a child with hessian 2 < 2.5');
});

test('a sparse feature (default bin derived from the node total) splits exactly like its dense twin', () => {
  const r = new Random(4);
  const vals = Array.from({ length: 300 }, () => (r.next() < 0.8 ? 0 : r.int(6)));
  const gh = new Float32Array(600).map((_, i) => (i % 2 ? 0.25 + r.next() : r.normal()));
  let G = 0;
  let H = 0;
  for (let i = 0; i < 300; i++) {
    G += gh[2 * i]!;
    H += gh[2 * i + 1]!;
  }
  const results = [0, 1].map((density) => {
    const data = oneFeature(vals, density);
    assert.equal(data.sparse[0], density);
    const best = newBestSplit(2);
    resetBestSplit(best, 1e-6);
    gradFeatureSplit(data, 0, gradHist(data, gh), G, H, { lambda: 1, minChildWeight: 1 }, gradScratch(), best);
    return best;
  });
  assert.equal(results[0]!.bin, results[1]!.bin);
  assert.ok(Math.abs(results[0]!.gain - results[1]!.gain) < 1e-9);
});

test('class split: Gini impurity decrease (hand-computed) and entropy', () => {
  // x: 0,0,0,1,1,1 ; y: 0,0,1,1,1,1
  const data = oneFeature([0, 0, 0, 1, 1, 1], 0);
  const y = Int32Array.from([0, 0, 1, 1, 1, 1]);
  const w = new Float32Array(6).fill(1);
  const idx = Uint32Array.from([0, 1, 2, 3, 4, 5]);
  const hist = new Float64Array(data.totalSlots * 3);
  classHistDense(data, Int32Array.from([0]), 0, 1, idx, 0, 6, y, w, 2, hist);
  const tot = Float64Array.from([2, 4, 6]);
  for (const criterion of ['gini', 'entropy'] as const) {
    const best = newBestSplit(3);
    resetBestSplit(best, -Infinity);
    const parent = weightedImpurity(tot, 0, 2, criterion);
    const p = { nClasses: 2, criterion, minSamplesLeaf: 1 };
    assert.ok(classFeatureSplit(data, 0, hist, tot, parent, p, classScratch(2), best, false));
    assert.equal(best.bin, 0);
    assert.deepEqual([...best.left], [2, 1, 3]);
    // Gini: 6·(1 − (1/9 + 4/9)) − 3·(1 − 5/9) − 0 = 8/3 − 4/3 = 4/3
    const expect = criterion === 'gini' ? 4 / 3 : 6 * Math.log(6) - 2 * Math.log(2) - 4 * Math.log(4) - (3 * Math.log(3) - 2 * Math.log(2));
    assert.ok(Math.abs(best.gain - expect) < 1e-12, `${criterion} ${best.gain}`);
  }
  // a feature constant in the node is reported as such
  const c = oneFeature([7, 7, 7, 7, 7, 7], 0);
  const hc = new Float64Array(c.totalSlots * 3);
  classHistDense(c, Int32Array.from([0]), 0, 1, idx, 0, 6, y, w, 2, hc);
  const best = newBestSplit(3);
  resetBestSplit(best, -Infinity);
  assert.equal(classFeatureSplit(c, 0, hc, tot, 0, { nClasses: 2, criterion: 'gini', minSamplesLeaf: 1 }, classScratch(2), best, false), false);
});

test('small-node sorted search finds the same split as the histogram scan (random nodes, missing values)', () => {
  const r = new Random(8);
  const n = 400;
  const d = 4;
  const X = new Float32Array(n * d);
  for (let i = 0; i < n * d; i++) X[i] = r.next() < 0.15 ? NaN : r.int(i % d === 0 ? 3 : 40);
  const data = binMatrix(fitBinMapper(matrix(X, n, ['a', 'b', 'c', 'd'])), matrix(X, n, ['a', 'b', 'c', 'd']), { sparseMaxDensity: 0 });
  const y = Int32Array.from({ length: n }, () => r.int(3));
  const w = Float32Array.from({ length: n }, () => 1 + r.int(2));
  const ones = new Float32Array(n).fill(1);
  const feats = Int32Array.from([0, 1, 2, 3]);
  for (let trial = 0; trial < 40; trial++) {
    const rows = Array.from({ length: n }, (_, i) => i).filter(() => r.next() < 0.05 + trial / 100);
    const idx = Uint32Array.from(rows);
    const tot = new Float64Array(4);
    for (const i of rows) {
      tot[y[i]!] += w[i]!;
      tot[3]++;
    }
    const hist = new Float64Array(data.totalSlots * 4);
    classHistDense(data, feats, 0, 4, idx, 0, idx.length, y, w, 3, hist);
    for (const criterion of ['gini', 'entropy'] as const) {
      const p = { nClasses: 3, criterion, minSamplesLeaf: 1 + (trial % 3) };
      const parent = weightedImpurity(tot, 0, 3, criterion);
      const a = newBestSplit(4);
      const b = newBestSplit(4);
      resetBestSplit(a, -Infinity);
      resetBestSplit(b, -Infinity);
      for (const f of feats) {
        const ca = classFeatureSplit(data, f, hist, tot, parent, p, classScratch(3), a, false);
        const cb = classSortedSplit(data, f, idx, 0, idx.length, y, w, ones, tot, parent, p, new Uint32Array(n), classScratch(3), b);
        assert.equal(ca, cb);
      }
      assert.equal(a.feature, b.feature);
      assert.equal(a.bin, b.bin);
      assert.equal(a.defaultLeft, b.defaultLeft);
      assert.equal(a.gain, b.gain);
      assert.deepEqual(a.left, b.left);
    }
  }
});
