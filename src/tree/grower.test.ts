import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matrix } from '../features/types.js';
import type { FlatTree } from './types.js';
import { Random } from '../util/random.js';
import { binMatrix, fitBinMapper } from './binner.js';
import { ForestTreeBuilder } from './forest.js';
import { ClassTreeGrower, GradTreeGrower } from './grower.js';
import { Heap } from './heap.js';
import { LocalGradHistBuilder } from './hist-builder.js';

function dataset(n: number, d: number, seed: number): { X: Float32Array; y: Int32Array } {
  const r = new Random(seed);
  const X = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) X[i * d + j] = j % 3 === 0 ? (r.next() < 0.2 ? 1 : 0) : j % 3 === 1 ? r.int(6) : r.next() < 0.1 ? NaN : r.normal();
    const s = X[i * d + 1]! - 2.5 + 2 * X[i * d]! + (Number.isNaN(X[i * d + 2]!) ? 1 : X[i * d + 2]!);
    y[i] = s + 0.5 * r.normal() > 0 ? 1 : 0;
  }
  return { X, y };
}

/** Leaf reached by row r (raw thresholds, NaN → defaultLeft). */
function leafOf(t: FlatTree, X: Float32Array, d: number, r: number): number {
  let n = 0;
  while (t.feature[n]! >= 0) {
    const x = X[r * d + t.feature[n]!]!;
    n = x <= t.threshold[n]! || (Number.isNaN(x) && t.defaultLeft[n]) ? t.left[n]! : t.right[n]!;
  }
  return n;
}

function depthOf(t: FlatTree): number {
  const depth = new Int32Array(t.nNodes);
  let max = 0;
  for (let i = 0; i < t.nNodes; i++) {
    if (t.feature[i]! < 0) continue;
    depth[t.left[i]!] = depth[t.right[i]!] = depth[i]! + 1;
    max = Math.max(max, depth[i]! + 1);
  }
  return max;
}

const n = 2000;
const d = 9;
const { X, y } = dataset(n, d, 1);
const M = matrix(X, n, Array.from({ length: d }, (_, j) => `f${j}`));
const heap = Heap.create();
const data = binMatrix(fitBinMapper(M, { maxBins: 64 }), M, { sparseMaxDensity: 0.5, heap });
const yHeap = heap.i32(n);
yHeap.set(y);
const allFeatures = Int32Array.from({ length: d }, (_, f) => f).filter((f) => data.usable[f] === 1);

function gradients(hb: LocalGradHistBuilder): void {
  for (let i = 0; i < n; i++) {
    hb.gh[2 * i] = 0.5 - y[i]!; // logistic loss at margin 0
    hb.gh[2 * i + 1] = 0.25;
    hb.idx[i] = i;
  }
}

test('boosting tree: leaf values −G/(H+λ)·lr and covers from the rows that reach them; depth limit; positive gains', () => {
  const hb = new LocalGradHistBuilder(data, heap);
  const params = { maxDepth: 4, maxLeaves: Infinity, lambda: 2, gamma: 0, minChildWeight: 1, learningRate: 0.3 };
  const grower = new GradTreeGrower(data, hb, params);
  gradients(hb);
  const t = grower.grow(n, allFeatures, true);
  assert.ok(t.nNodes > 15, `tree has ${t.nNodes} nodes`);
  assert.ok(depthOf(t) <= 4);
  const G = new Float64Array(t.nNodes);
  const H = new Float64Array(t.nNodes);
  for (let r = 0; r < n; r++) {
    const leaf = leafOf(t, X, d, r);
    G[leaf] += hb.gh[2 * r]!;
    H[leaf] += hb.gh[2 * r + 1]!;
  }
  for (let i = 0; i < t.nNodes; i++) {
    if (t.feature[i]! >= 0) {
      assert.ok(t.gain[i]! > 0);
      const c = t.cover[t.left[i]!]! + t.cover[t.right[i]!]!;
      assert.ok(Math.abs(t.cover[i]! - c) < 1e-9);
      const v = (t.cover[t.left[i]!]! * t.value[t.left[i]!]! + t.cover[t.right[i]!]! * t.value[t.right[i]!]!) / c;
      assert.ok(Math.abs(t.value[i]! - v) < 1e-12, 'internal value = cover-weighted mean');
      continue;
    }
    assert.ok(Math.abs(t.cover[i]! - H[i]!) < 1e-9, `leaf ${i} cover`);
    assert.ok(Math.abs(t.value[i]! - (-G[i]! / (H[i]! + 2)) * 0.3) < 1e-9, `leaf ${i} value`);
    assert.ok(H[i]! >= 1, 'minChildWeight');
  }
  // margins updated from the partition equal a traversal of the tree
  const margin = new Float64Array(n);
  grower.addLeafValues(margin, 1, 0);
  for (let r = 0; r < n; r++) assert.equal(margin[r], t.value[leafOf(t, X, d, r)]);
});

test('leaf-wise growth stops at maxLeaves and takes the best gains first', () => {
  const hb = new LocalGradHistBuilder(data, heap);
  gradients(hb);
  const t5 = new GradTreeGrower(data, hb, { maxDepth: 64, maxLeaves: 5, lambda: 1, gamma: 0, minChildWeight: 1, learningRate: 1 }).grow(n, allFeatures, true);
  let leaves = 0;
  for (let i = 0; i < t5.nNodes; i++) if (t5.feature[i]! < 0) leaves++;
  assert.equal(leaves, 5);
  // the root split is the same as depth-wise growth's
  gradients(hb);
  const tDepth = new GradTreeGrower(data, hb, { maxDepth: 1, maxLeaves: Infinity, lambda: 1, gamma: 0, minChildWeight: 1, learningRate: 1 }).grow(n, allFeatures, true);
  assert.equal(t5.feature[0], tDepth.feature[0]);
  assert.equal(t5.threshold[0], tDepth.threshold[0]);
  // gamma larger than every gain: a single leaf
  gradients(hb);
  const stump = new GradTreeGrower(data, hb, { maxDepth: 6, maxLeaves: Infinity, lambda: 1, gamma: 1e9, minChildWeight: 1, learningRate: 1 }).grow(n, allFeatures, true);
  assert.equal(stump.nNodes, 1);
});

test('forest tree: leaves hold the weighted class fractions of their rows; limits respected; deterministic per seed', () => {
  const spec = { params: { nClasses: 2, criterion: 'gini' as const, maxDepth: Infinity, minSamplesLeaf: 1, maxFeatures: 3 }, bootstrap: true, nDraw: n };
  const b = new ForestTreeBuilder(data, yHeap, null, spec, heap);
  const t = b.grow(42);
  assert.deepEqual(b.grow(42), t);
  assert.notDeepEqual(b.grow(43), t);
  // full-depth on a bootstrap sample: every leaf pure except where rows are indistinguishable
  let impure = 0;
  for (let i = 0; i < t.nNodes; i++) {
    if (t.feature[i]! >= 0) continue;
    const p1 = t.value[2 * i + 1]!;
    assert.ok(Math.abs(t.value[2 * i]! + p1 - 1) < 1e-12);
    if (p1 > 0 && p1 < 1) impure++;
  }
  assert.ok(impure < t.nNodes / 10, `${impure} impure leaves`);

  // explicit weights: leaf values from the rows reaching them
  // (heap views: filled in place, not with .map, which would copy out of the heap)
  const w = heap.f32(n);
  const idx = heap.u32(n);
  for (let i = 0; i < n; i++) {
    w[i] = 1 + (i % 3);
    idx[i] = i;
  }
  const m = heap.f32(n).fill(1);
  const g = new ClassTreeGrower(data, yHeap, { nClasses: 2, criterion: 'entropy', maxDepth: 5, minSamplesLeaf: 20, maxFeatures: d }, heap, false);
  const tw = g.grow(w, m, null, idx, n, new Random(5));
  assert.ok(depthOf(tw) <= 5);
  const wc = new Float64Array(tw.nNodes * 2);
  const cnt = new Int32Array(tw.nNodes);
  for (let r = 0; r < n; r++) {
    const leaf = leafOf(tw, X, d, r);
    wc[2 * leaf + y[r]!] += w[r]!;
    cnt[leaf]++;
  }
  for (let i = 0; i < tw.nNodes; i++) {
    if (tw.feature[i]! >= 0) continue;
    assert.ok(cnt[i]! >= 20, 'minSamplesLeaf');
    const s = wc[2 * i]! + wc[2 * i + 1]!;
    assert.ok(Math.abs(tw.value[2 * i + 1]! - wc[2 * i + 1]! / s) < 1e-12);
    assert.equal(tw.cover[i], s);
  }
});
