import { test } from 'node:test';
import assert from 'node:assert/strict';
import { welchTTest } from './welch.js';
import { moments } from './moments.js';

test('welchTTest matches scipy.stats.ttest_ind(equal_var=False)', () => {
  const a = moments([Float64Array.of(1, 2, 2, 3, 5, 8, 13, 21)]);
  const b = moments([Float64Array.of(2, 2, 3, 4, 4, 4, 6)]);
  const r = welchTTest(a, b);
  assert.ok(Math.abs(r.t - 1.313025744157012) < 1e-12);
  assert.ok(Math.abs(r.p - 0.22723147393912074) < 1e-9);
  assert.ok(r.cohenD > 0);
});

test('welchTTest keeps precision for tiny p and handles degenerate groups', () => {
  // t ≈ 28.3 on ≈ 960 df: scipy gives p = 1.7305232944097702e-128 (1 − F(t) would round to 0)
  const r = welchTTest({ n: 500, mean: 1, variance: 0.25 }, { n: 500, mean: 0, variance: 0.375 });
  assert.ok(Math.abs(r.p / 1.7305232944097702e-128 - 1) < 1e-9, `p = ${r.p}`);
  assert.ok(Math.abs(r.df - 959.6153846153846) < 1e-9);
  assert.ok(Number.isNaN(welchTTest({ n: 1, mean: 1, variance: NaN }, { n: 5, mean: 0, variance: 1 }).t));
  assert.ok(Number.isNaN(welchTTest({ n: 3, mean: 1, variance: 0 }, { n: 3, mean: 1, variance: 0 }).p));
  const sep = welchTTest({ n: 3, mean: 2, variance: 0 }, { n: 3, mean: 1, variance: 0 });
  assert.equal(sep.t, Infinity);
  assert.equal(sep.p, 0);
});
