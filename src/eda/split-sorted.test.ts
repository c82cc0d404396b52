import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitSorted } from './split-sorted.js';

test('splitSorted groups finite values by class, sorted, and counts NaN and ±Infinity', () => {
  const v = Float64Array.of(5, NaN, 1, Infinity, 3, -Infinity, 2, 4);
  const y = Int32Array.of(0, 1, 1, 0, 0, 1, -1, 1);
  const s = splitSorted(v, y, 2);
  assert.deepEqual(Array.from(s.groups[0]), [3, 5]);
  assert.deepEqual(Array.from(s.groups[1]), [1, 4]);
  assert.deepEqual(Array.from(s.groups[2]), [2]); // unlabeled rows
  assert.equal(s.nMissing, 1);
  assert.equal(s.nPosInf, 1);
  assert.equal(s.nNegInf, 1);
});

test('splitSorted rejects mismatched lengths', () => {
  assert.throws(() => splitSorted(new Float64Array(3), new Int32Array(2), 2), RangeError);
});
