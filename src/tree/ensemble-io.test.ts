import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NadirError } from '../errors.js';
import { TreeBuilder, validateFlatTree } from './flat-tree.js';
import { gainImportance, packTrees, unpackTrees } from './ensemble-io.js';
import type { FlatTree } from './types.js';

function stump(f: number, thr: number, gain: number): FlatTree {
  const tb = new TreeBuilder(2);
  tb.addNode(10);
  const l = tb.addNode(4);
  const r = tb.addNode(6);
  tb.setSplit(0, f, thr, 1, l, r, gain);
  tb.value.set([1, 0], 2 * l);
  tb.value.set([0.25, 0.75], 2 * r);
  return tb.finish();
}

const corrupt = (e: unknown): boolean => e instanceof NadirError && e.code === 'NADIR_ERR_MODEL_CORRUPT';

test('TreeBuilder: internal values are cover-weighted means of their children', () => {
  const t = stump(1, 0.5, 3);
  assert.deepEqual([...t.value.subarray(0, 2)], [(4 * 1 + 6 * 0.25) / 10, (6 * 0.75) / 10]);
  assert.equal(t.nNodes, 3);
});

test('pack → unpack round trip; importance = normalised total gain (optionally per tree)', () => {
  const trees = [stump(0, 1, 2), stump(2, -1, 6), stump(2, 3, 2)];
  const back = unpackTrees(structuredClone(packTrees(trees, 2)), 3, 4, 2, 'm');
  assert.deepEqual(back, trees);
  assert.deepEqual([...gainImportance(trees, 4)], [0.2, 0, 0.8, 0]);
  assert.deepEqual([...gainImportance(trees, 4, true)], [1 / 3, 0, 2 / 3, 0]);
});

test('corrupt trees are refused: wrong kinds, lengths, child indices, cycles, features out of range', () => {
  const good = packTrees([stump(0, 1, 2), stump(1, 2, 3)], 2) as Record<string, unknown>;
  assert.throws(() => unpackTrees(good, 2, 1, 2, 'm'), corrupt, 'feature 1 ≥ nFeatures 1');
  assert.throws(() => unpackTrees(good, 3, 4, 2, 'm'), corrupt, 'tree count');
  assert.throws(() => unpackTrees({ ...good, feature: Float32Array.from(good.feature as Int32Array) }, 2, 4, 2, 'm'), corrupt);
  assert.throws(() => unpackTrees({ ...good, value: (good.value as Float64Array).subarray(1) }, 2, 4, 2, 'm'), corrupt);
  assert.throws(() => unpackTrees({ ...good, nOutputs: 3 }, 2, 4, 2, 'm'), corrupt);
  assert.throws(() => unpackTrees([], 2, 4, 2, 'm'), corrupt);
  const t = stump(0, 1, 2);
  for (const [l, r] of [[0, 2], [1, 1], [1, 5], [2, -1]]) {
    const bad = { ...t, left: Int32Array.from([l!, -1, -1]), right: Int32Array.from([r!, -1, -1]) };
    assert.throws(() => validateFlatTree(bad, 4, 'm'), corrupt, `children ${l},${r}`);
  }
  assert.throws(() => validateFlatTree({ ...t, threshold: Float32Array.from([NaN, 0, 0]) }, 4, 'm'), corrupt);
  assert.throws(() => validateFlatTree({ ...t, value: Float64Array.from([0, 0, Infinity, 0, 0, 0]) }, 4, 'm'), corrupt);
  validateFlatTree(t, 4, 'm');
});
