import { test } from 'node:test';
import assert from 'node:assert/strict';
import { moments } from './moments.js';

test('moments match pandas mean / std / skew and skip non-finite values', () => {
  const m = moments([Float64Array.of(1, 2, 2, 3), Float64Array.of(5, 8, NaN, 13, 21, Infinity)]);
  assert.equal(m.n, 8);
  assert.equal(m.mean, 55 / 8);
  assert.ok(Math.abs(Math.sqrt(m.variance) - 6.957780844904091) < 1e-12);
  assert.ok(Math.abs(m.skewness - 1.44206424047026) < 1e-12);
  assert.equal(m.min, 1);
  assert.equal(m.max, 21);
  assert.equal(m.zeros, 0);
});

test('moments of an empty or constant sample', () => {
  const e = moments([Float64Array.of(NaN)]);
  assert.equal(e.n, 0);
  assert.ok(Number.isNaN(e.mean));
  const c = moments([Float64Array.of(0, 0, 0)]);
  assert.equal(c.variance, 0);
  assert.ok(Number.isNaN(c.skewness));
  assert.equal(c.zeros, 3);
});
