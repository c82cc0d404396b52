import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quantileCounted, quantileSorted } from './quantiles.js';
import { mergeRanks } from './merge-ranks.js';

// numpy.quantile(a, p) (linear) for a = [1, 2, 2, 3, 5, 8, 13, 21]
const A = Float64Array.of(1, 2, 2, 3, 5, 8, 13, 21);
const EXPECTED: Array<[number, number]> = [
  [0.01, 1.07],
  [0.25, 2],
  [0.5, 4],
  [0.75, 9.25],
  [0.99, 20.44],
];

test('quantileSorted matches numpy linear interpolation', () => {
  for (const [p, q] of EXPECTED) assert.ok(Math.abs(quantileSorted(A, p) - q) < 1e-12, `p=${p}`);
  assert.ok(Number.isNaN(quantileSorted(new Float64Array(0), 0.5)));
  assert.equal(quantileSorted(Float64Array.of(7), 0.9), 7);
});

test('quantileCounted on distinct values with counts equals quantileSorted', () => {
  const r = mergeRanks([A]);
  for (const [p, q] of EXPECTED) assert.ok(Math.abs(quantileCounted(r.uniques, r.ends, p) - q) < 1e-12, `p=${p}`);
  assert.equal(quantileCounted(r.uniques, r.ends, 0), 1);
  assert.equal(quantileCounted(r.uniques, r.ends, 1), 21);
});
