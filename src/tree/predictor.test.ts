import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlatTree, TreeEnsemble } from '../learners/types.js';
import { Random } from '../util/random.js';
import { TreeBuilder } from './flat-tree.js';
import { addTreeOutputs, EnsemblePredictor, rawToProba } from './predictor.js';

/** A random tree with `nOutputs` values per node; children deliberately not adjacent (right created later). */
function randomTree(r: Random, nFeatures: number, nOutputs: number, maxDepth: number): FlatTree {
  const tb = new TreeBuilder(nOutputs);
  const grow = (depth: number): number => {
    const id = tb.addNode(1 + r.int(10));
    if (depth < maxDepth && r.next() < 0.8) {
      const l = grow(depth + 1);
      const rr = grow(depth + 1);
      tb.setSplit(id, r.int(nFeatures), Math.fround(r.normal()), r.int(2), l, rr, r.next());
    } else for (let k = 0; k < nOutputs; k++) tb.value[id * nOutputs + k] = r.normal();
    return id;
  };
  grow(0);
  return tb.finish();
}

function naiveLeaf(t: FlatTree, x: Float32Array, off: number): number {
  let n = 0;
  while (t.feature[n]! >= 0) {
    const v = x[off + t.feature[n]!]!;
    n = v <= t.threshold[n]! || (Number.isNaN(v) && t.defaultLeft[n] === 1) ? t.left[n]! : t.right[n]!;
  }
  return n;
}

function rows(r: Random, nRows: number, nCols: number): Float32Array {
  const X = new Float32Array(nRows * nCols);
  for (let i = 0; i < X.length; i++) X[i] = r.next() < 0.1 ? NaN : r.normal();
  return X;
}

test('batch and single-row prediction equal a naive traversal (boosting layout, NaN routing, odd row counts)', () => {
  const r = new Random(11);
  const nF = 6;
  const K = 3;
  const trees = Array.from({ length: 30 }, () => randomTree(r, nF, 1, 7));
  const ens: TreeEnsemble = {
    trees,
    treeOutput: Int32Array.from(trees, (_, t) => t % K),
    nOutputs: K,
    baseScore: Float64Array.from([0.1, -0.2, 0.3]),
    scale: 1,
    link: 'softmax',
    nFeatures: nF,
  };
  const p = new EnsemblePredictor(ens);
  const nRows = 103;
  const nCols = nF + 2; // extra columns are ignored
  const X = rows(r, nRows, nCols);
  const raw = p.raw(X, nRows, nCols);
  const one = new Float64Array(K);
  for (let i = 0; i < nRows; i++) {
    const expect = Float64Array.from(ens.baseScore);
    trees.forEach((t, k) => (expect[k % K] += t.value[naiveLeaf(t, X, i * nCols)]!));
    for (let k = 0; k < K; k++) assert.ok(Math.abs(raw[i * K + k]! - expect[k]!) < 1e-12, `row ${i}`);
    p.rawRow(X, i * nCols, one, 0);
    assert.deepEqual(one, raw.subarray(i * K, (i + 1) * K));
  }
  // addTreeOutputs (one tree, used while boosting) agrees too, including the `only` mask
  const out = new Float64Array(nRows * K);
  const only = Uint8Array.from({ length: nRows }, (_, i) => i % 2);
  addTreeOutputs(trees[4]!, X, nRows, nCols, out, K, 1, only);
  for (let i = 0; i < nRows; i++) assert.equal(out[i * K + 1], i % 2 ? trees[4]!.value[naiveLeaf(trees[4]!, X, i * nCols)] : 0);
});

test('forest layout: vector leaves averaged with scale 1/nTrees; deep trees', () => {
  const r = new Random(12);
  const K = 3;
  const trees = Array.from({ length: 9 }, () => randomTree(r, 4, K, 25));
  const ens: TreeEnsemble = { trees, treeOutput: new Int32Array(9).fill(-1), nOutputs: K, baseScore: new Float64Array(K), scale: 1 / 9, link: 'identity', nFeatures: 4 };
  const X = rows(r, 57, 4);
  const raw = new EnsemblePredictor(ens).raw(X, 57, 4);
  for (let i = 0; i < 57; i++) {
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (const t of trees) s += t.value[naiveLeaf(t, X, i * 4) * K + k]!;
      assert.ok(Math.abs(raw[i * K + k]! - s / 9) < 1e-12);
    }
  }
});

test('links: logit → [1−σ, σ], softmax rows sum to 1, identity clipped and renormalised', () => {
  const l = rawToProba(Float64Array.from([0, Math.log(3)]), 2, 'logit', 2);
  [0.5, 0.5, 0.25, 0.75].forEach((v, i) => assert.ok(Math.abs(l[i]! - v) < 1e-15));
  const s = rawToProba(Float64Array.from([1000, 0, -1000, 1, 2, 3]), 2, 'softmax', 3);
  assert.ok(Math.abs(s[0]! - 1) < 1e-12 && s[2] === 0);
  assert.ok(Math.abs(s[3]! + s[4]! + s[5]! - 1) < 1e-12 && s[5]! > s[4]!);
  assert.deepEqual([...rawToProba(Float64Array.from([0.5, -0.1, 0.5]), 1, 'identity', 3)], [0.5, 0, 0.5]);
});

test('parallel batch prediction (main thread + pool workers) equals the single-thread result', () => {
  const r = new Random(13);
  const K = 3;
  const trees = Array.from({ length: 40 }, () => randomTree(r, 8, 1, 6));
  const ens: TreeEnsemble = {
    trees,
    treeOutput: Int32Array.from(trees, (_, t) => t % K),
    nOutputs: K,
    baseScore: new Float64Array(K),
    scale: 1,
    link: 'softmax',
    nFeatures: 8,
  };
  const p = new EnsemblePredictor(ens);
  const nRows = 20_003;
  const X = rows(r, nRows, 8);
  const one = p.raw(X, nRows, 8, undefined, 1);
  for (let rep = 0; rep < 3; rep++) assert.deepEqual(p.raw(X, nRows, 8, undefined, 2), one);
  assert.deepEqual(p.raw(X, nRows, 8, undefined, 3), one);
  // a smaller batch after a larger one reuses the buffers
  assert.deepEqual(p.raw(X.subarray(0, 8 * 5000), 5000, 8, undefined, 2), one.subarray(0, 5000 * K));
});
