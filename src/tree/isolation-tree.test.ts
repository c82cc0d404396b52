import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../util/random.js';
import { averagePathLength, heightLimit, IsolationTreeGrower } from './isolation-tree.js';
import type { FlatTree } from './types.js';

/** n × d row-major: a few distinct values per column (ties), column 2 constant. */
function data(n: number, d: number, seed: number): Float32Array {
  const r = new Random(seed);
  const X = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) X[i * d + j] = j === 2 ? 5 : j === 0 ? Math.floor(r.next() * 6) : r.normal();
  return X;
}

/** The leaf a row reaches by the tree's own rule (x ≤ threshold goes left). */
function leafOf(t: FlatTree, X: Float32Array, off: number): number {
  let n = 0;
  while (t.feature[n]! >= 0) n = X[off + t.feature[n]!]! <= t.threshold[n]! ? t.left[n]! : t.right[n]!;
  return n;
}

test('an isolation tree as a FlatTree: children in pairs, cover = rows reaching the node, leaves depth + c(cover), height limit', () => {
  const n = 500;
  const d = 4;
  const X = data(n, d, 1);
  const psi = 64;
  const grower = new IsolationTreeGrower(X, d, psi, d);
  const features = Int32Array.from([0, 1, 2, 3]);
  const rng = new Random(2);
  for (let k = 0; k < 20; k++) {
    const sample = Uint32Array.from({ length: psi }, () => rng.int(n));
    const rows = [...sample].sort((a, b) => a - b);
    const t = grower.grow(sample, features, rng.fork(k));
    assert.deepEqual([...sample].sort((a, b) => a - b), rows, 'the sample is only reordered');
    assert.ok(t.nNodes <= 2 * psi - 1);
    assert.equal(t.cover[0], psi);
    const depth = new Int32Array(t.nNodes);
    for (let i = 0; i < t.nNodes; i++) {
      assert.equal(t.gain[i], 0);
      assert.equal(t.defaultLeft[i], 0);
      if (t.feature[i]! < 0) {
        assert.equal(t.value[i], depth[i]! + averagePathLength(t.cover[i]!));
        continue;
      }
      assert.notEqual(t.feature[i], 2, 'a constant column is never split on');
      const l = t.left[i]!;
      assert.ok(l > i);
      assert.equal(t.right[i], l + 1);
      assert.ok(t.cover[l]! >= 1 && t.cover[l + 1]! >= 1, 'both sides non-empty');
      assert.equal(t.cover[i], t.cover[l]! + t.cover[l + 1]!);
      depth[l] = depth[l + 1] = depth[i]! + 1;
      assert.ok(depth[l]! <= heightLimit(psi));
    }
    // the sample's rows, routed by the stored float32 rule, land on the leaves in the counts of their covers
    const count = new Float64Array(t.nNodes);
    for (const row of sample) count[leafOf(t, X, row * d)]++;
    for (let i = 0; i < t.nNodes; i++) if (t.feature[i]! < 0) assert.equal(count[i], t.cover[i], `leaf ${i}`);
  }
});

test('the same generator grows the same tree; a node where every candidate feature is constant is a leaf', () => {
  const d = 4;
  const X = data(300, d, 3);
  const grower = new IsolationTreeGrower(X, d, 32, d);
  const sample = Uint32Array.from({ length: 32 }, (_, i) => 7 * i);
  const a = grower.grow(sample.slice(), Int32Array.from([0, 1, 3]), new Random(9));
  const b = new IsolationTreeGrower(X, d, 32, d).grow(sample.slice(), Int32Array.from([0, 1, 3]), new Random(9));
  assert.deepEqual(a, b);
  const only = grower.grow(sample.slice(), Int32Array.from([2]), new Random(9));
  assert.equal(only.nNodes, 1);
  assert.equal(only.value[0], averagePathLength(32));
});
