import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countOutside, lowerBound, upperBound } from './sorted.js';

test('lowerBound / upperBound find the edges of runs of equal values', () => {
  const a = Float64Array.of(1, 2, 2, 2, 5);
  assert.equal(lowerBound(a, 2), 1);
  assert.equal(upperBound(a, 2), 4);
  assert.equal(lowerBound(a, 0), 0);
  assert.equal(upperBound(a, 9), 5);
  assert.equal(lowerBound(a, 3), 4);
  assert.equal(countOutside(a, 2, 2), 2);
  assert.equal(countOutside(a, 1.5, 4), 2);
});
