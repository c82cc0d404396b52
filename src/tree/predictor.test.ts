import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlatTree, TreeEnsemble } from './types.js';
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
  const p = new EnsemblePredictor(ens);
  assert.equal(p.kernel, 'general');
  const raw = p.raw(X, 57, 4);
  for (let i = 0; i < 57; i++) {
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (const t of trees) s += t.value[naiveLeaf(t, X, i * 4) * K + k]!;
      assert.ok(Math.abs(raw[i * K + k]! - s / 9) < 1e-12);
    }
  }
});

test('a model without trees predicts its base scores for every row; a single row does not build the batch layout', () => {
  const p = new EnsemblePredictor({ trees: [], treeOutput: new Int32Array(0), nOutputs: 2, baseScore: Float64Array.from([0.5, -1]), scale: 1, link: 'softmax', nFeatures: 3 });
  assert.deepEqual([...p.raw(new Float32Array(9 * 3), 9, 3)], Array.from({ length: 18 }, (_, i) => (i % 2 ? -1 : 0.5)));
  const r = new Random(18);
  const trees = [randomTree(r, 3, 1, 4)];
  const q = new EnsemblePredictor({ trees, treeOutput: new Int32Array(1), nOutputs: 1, baseScore: new Float64Array(1), scale: 1, link: 'logit', nFeatures: 3 });
  const layoutBuilt = (): boolean => (q as unknown as { completeAt: unknown }).completeAt !== undefined;
  q.raw(Float32Array.from([0.1, 0.2, 0.3]), 1, 3);
  assert.equal(layoutBuilt(), false);
  q.raw(new Float32Array(6), 2, 3);
  assert.equal(layoutBuilt(), true);
});

test('links: logit → [1−σ, σ], softmax rows sum to 1, identity clipped and renormalised', () => {
  const l = rawToProba(Float64Array.from([0, Math.log(3)]), 2, 'logit', 2);
  [0.5, 0.5, 0.25, 0.75].forEach((v, i) => assert.ok(Math.abs(l[i]! - v) < 1e-15));
  const s = rawToProba(Float64Array.from([1000, 0, -1000, 1, 2, 3]), 2, 'softmax', 3);
  assert.ok(Math.abs(s[0]! - 1) < 1e-12 && s[2] === 0);
  assert.ok(Math.abs(s[3]! + s[4]! + s[5]! - 1) < 1e-12 && s[5]! > s[4]!);
  assert.deepEqual([...rawToProba(Float64Array.from([0.5, -0.1, 0.5]), 1, 'identity', 3)], [0.5, 0, 0.5]);
});

test('rawToProba in place: logit margins in the second half of the output, softmax and identity over the margins themselves', () => {
  const r = new Random(17);
  const n = 37;
  const m = Float64Array.from({ length: 3 * n }, () => 4 * r.normal());
  const logit = rawToProba(m.subarray(0, n), n, 'logit', 2);
  const out = new Float64Array(2 * n);
  out.set(m.subarray(0, n), n);
  assert.equal(rawToProba(out.subarray(n), n, 'logit', 2, out), out);
  assert.deepEqual(out, logit);
  for (const link of ['softmax', 'identity'] as const) {
    const expect = rawToProba(m, n, link, 3);
    const same = m.slice();
    assert.deepEqual(rawToProba(same, n, link, 3, same), expect);
  }
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
  const nRows = 20_003;
  const X = rows(r, nRows, 8);
  // the complete-tree kernel, and the general one (a missing-goes-right split at +∞ rules the former out)
  for (const extra of [[], [splitTree(8, 1, Infinity, 0)]]) {
    const p = new EnsemblePredictor({ ...ens, trees: [...trees, ...extra], treeOutput: Int32Array.from([...trees, ...extra], (_, t) => t % K) });
    assert.equal(p.kernel, extra.length ? 'general' : 'complete');
    const one = p.raw(X, nRows, 8, undefined, 1);
    for (let i = 0; i < nRows; i += 997) {
      const row = new Float64Array(K);
      p.rawRow(X, i * 8, row, 0);
      assert.deepEqual(one.subarray(i * K, (i + 1) * K), row);
    }
    for (let rep = 0; rep < 3; rep++) assert.deepEqual(p.raw(X, nRows, 8, undefined, 2), one);
    assert.deepEqual(p.raw(X, nRows, 8, undefined, 3), one);
    // a smaller batch after a larger one reuses the buffers
    assert.deepEqual(p.raw(X.subarray(0, 8 * 5000), 5000, 8, undefined, 2), one.subarray(0, 5000 * K));
  }
});

test('parallel batches go through the heap a slice at a time: its size does not grow with the batch', () => {
  const r = new Random(16);
  const trees = Array.from({ length: 10 }, () => randomTree(r, 6, 1, 5));
  for (const extra of [[], [splitTree(6, 1, Infinity, 0)]]) {
    const all = [...trees, ...extra];
    const p = new EnsemblePredictor({ trees: all, treeOutput: new Int32Array(all.length), nOutputs: 1, baseScore: new Float64Array(1), scale: 1, link: 'logit', nFeatures: 6 });
    const heapBytes = (): number => (p as unknown as { wasm: { heap: { memory: { buffer: ArrayBuffer } } } }).wasm.heap.memory.buffer.byteLength;
    const small = rows(r, 20_000, 6);
    const smallRaw = p.raw(small, 20_000, 6, undefined, 2);
    const before = heapBytes();
    const big = new Float32Array(300_000 * 6);
    for (let k = 0; k < 15; k++) big.set(small, k * small.length);
    const bigRaw = p.raw(big, 300_000, 6, undefined, 2);
    assert.equal(heapBytes(), before, p.kernel);
    for (let k = 0; k < 15; k++) assert.deepEqual(bigRaw.subarray(k * 20_000, (k + 1) * 20_000), smallRaw);
    // one slice, and a last slice of a few rows
    for (const n of [4096, 4100, 8196]) assert.deepEqual(p.raw(big, n, 6, undefined, 2), p.raw(big, n, 6, undefined, 1));
  }
});

/** Root split on `feature` at `threshold` (defaultLeft 0/1) with leaves -1 (left) and +1 (right). */
function splitTree(nFeatures: number, feature: number, threshold: number, defaultLeft: number): FlatTree {
  const tb = new TreeBuilder(1);
  const root = tb.addNode(2);
  const l = tb.addNode(1);
  const rr = tb.addNode(1);
  tb.value[l] = -1;
  tb.value[rr] = 1;
  tb.setSplit(root, feature % nFeatures, threshold, defaultLeft, l, rr, 1);
  return tb.finish();
}

/** A chain: every right child is a leaf, the left child splits again, `depth` levels. */
function chainTree(r: Random, nFeatures: number, depth: number, thresholds: number[]): FlatTree {
  const tb = new TreeBuilder(1);
  const grow = (level: number): number => {
    const id = tb.addNode(1);
    if (level < depth) {
      const l = grow(level + 1);
      const rr = tb.addNode(1);
      tb.value[rr] = r.normal();
      tb.setSplit(id, r.int(nFeatures), thresholds[r.int(thresholds.length)]!, r.int(2), l, rr, 1);
    } else tb.value[id] = r.normal();
    return id;
  };
  grow(0);
  return tb.finish();
}

test('complete-tree kernel (boosting): the same sums as the reference row by row — NaN and ±∞ values, ties, missing-goes-right splits, one-leaf and lopsided trees, 1 and 3 outputs, every batch size around a group', () => {
  const r = new Random(14);
  const nF = 5;
  const nCols = 7;
  const values = [-Infinity, -1, 0, 0.5, 1, 2, Infinity, NaN];
  const thresholds = [-Infinity, -1, 0, 0.5, 1, 2, Infinity];
  const X = new Float32Array(1100 * nCols);
  for (let i = 0; i < X.length; i++) X[i] = r.next() < 0.5 ? values[r.int(values.length)]! : r.normal();
  const leaf = new TreeBuilder(1);
  leaf.value[leaf.addNode(1)] = 0.25;
  const trees: FlatTree[] = [
    leaf.finish(),
    chainTree(r, nF, 7, thresholds),
    splitTree(nF, 2, Infinity, 1), // missing goes left at +∞: every row left
    splitTree(nF, 3, -Infinity, 0), // missing goes right at −∞
    splitTree(nF, 3, 0.5, 0), // the same feature read both ways
    splitTree(nF, 3, 0.5, 1),
    ...Array.from({ length: 25 }, () => randomTree(r, nF, 1, 6)),
  ];
  for (const K of [1, 3]) {
    const ens: TreeEnsemble = {
      trees,
      treeOutput: Int32Array.from(trees, (_, t) => t % K),
      nOutputs: K,
      baseScore: Float64Array.from({ length: K }, (_, k) => 0.1 * (k + 1)),
      scale: 1,
      link: K === 1 ? 'logit' : 'softmax',
      nFeatures: nF,
    };
    const p = new EnsemblePredictor(ens);
    assert.equal(p.kernel, 'complete');
    for (const n of [1, 2, 7, 8, 9, 15, 16, 17, 1023, 1024, 1025, 1100]) {
      const raw = p.raw(X, n, nCols);
      const one = new Float64Array(K);
      for (let i = 0; i < n; i++) {
        p.rawRow(X, i * nCols, one, 0);
        assert.deepEqual(raw.subarray(i * K, (i + 1) * K), one, `K ${K}, ${n} rows, row ${i}`);
        const expect = Float64Array.from(ens.baseScore);
        trees.forEach((t, k) => (expect[k % K] += t.value[naiveLeaf(t, X, i * nCols)]!));
        for (let k = 0; k < K; k++) assert.ok(Math.abs(one[k]! - expect[k]!) < 1e-12, `K ${K}, row ${i}`);
      }
    }
  }
});

test('models the complete-tree kernel does not take use the general one: a missing-goes-right split at +∞ or NaN, trees deeper than 12', () => {
  const r = new Random(15);
  const X = rows(r, 40, 3);
  const deep = chainTree(r, 3, 13, [0, 0.5, -0.5]);
  for (const extra of [splitTree(3, 0, Infinity, 0), splitTree(3, 1, NaN, 0), deep]) {
    const trees = [randomTree(r, 3, 1, 4), extra];
    const p = new EnsemblePredictor({ trees, treeOutput: new Int32Array(2), nOutputs: 1, baseScore: new Float64Array(1), scale: 1, link: 'logit', nFeatures: 3 });
    assert.equal(p.kernel, 'general');
    const raw = p.raw(X, 40, 3);
    const one = new Float64Array(1);
    for (let i = 0; i < 40; i++) {
      p.rawRow(X, i * 3, one, 0);
      assert.equal(raw[i], one[0]);
      // (a NaN threshold sends every present value left in the predictor, right in naiveLeaf)
      if (extra.threshold.some(Number.isNaN)) continue;
      const expect = trees.reduce((s, t) => s + t.value[naiveLeaf(t, X, i * 3)]!, 0);
      assert.ok(Math.abs(raw[i]! - expect) < 1e-12, `row ${i}`);
    }
  }
  // the same split with missing values going left is fine for it
  assert.equal(new EnsemblePredictor({ trees: [splitTree(3, 0, Infinity, 1), splitTree(3, 1, NaN, 1)], treeOutput: new Int32Array(2), nOutputs: 1, baseScore: new Float64Array(1), scale: 1, link: 'logit', nFeatures: 3 }).kernel, 'complete');
});

test('a model whose trees are all single leaves (no split anywhere) sums them for every row of a batch', () => {
  const leaf = (v: number): FlatTree => {
    const tb = new TreeBuilder(1);
    tb.value[tb.addNode(1)] = v;
    return tb.finish();
  };
  const trees = [leaf(1.5), leaf(2), leaf(-0.25)];
  const p = new EnsemblePredictor({ trees, treeOutput: new Int32Array(3), nOutputs: 1, baseScore: Float64Array.of(0.5), scale: 2, link: 'logit', nFeatures: 2 });
  assert.equal(p.kernel, 'general');
  const X = rows(new Random(16), 21, 2);
  for (const n of [1, 2, 4, 9, 21]) assert.deepEqual([...p.raw(X, n, 2)], new Array(n).fill(0.5 + 2 * 3.25), `${n} rows`);
  // with one split somewhere the complete-tree kernel takes it, with the same sums
  const q = new EnsemblePredictor({ trees: [...trees, splitTree(2, 0, 0, 1)], treeOutput: new Int32Array(4), nOutputs: 1, baseScore: Float64Array.of(0.5), scale: 2, link: 'logit', nFeatures: 2 });
  assert.equal(q.kernel, 'complete');
  const raw = q.raw(X, 21, 2);
  for (let i = 0; i < 21; i++) assert.equal(raw[i], 0.5 + 2 * (3.25 + (X[2 * i]! <= 0 || Number.isNaN(X[2 * i]!) ? -1 : 1)), `row ${i}`);
});
