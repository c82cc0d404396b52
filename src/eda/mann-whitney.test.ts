import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mannWhitney, mannWhitneyFromRanks } from './mann-whitney.js';

test('mannWhitney matches scipy.stats.mannwhitneyu (asymptotic, tie + continuity corrected)', () => {
  const r = mannWhitney(Float64Array.of(1, 2, 2, 3, 5, 8, 13, 21), Float64Array.of(2, 2, 3, 4, 4, 4, 6));
  assert.equal(r.u1, 31.5);
  assert.ok(Math.abs(r.p - 0.724892372981802) < 1e-12);
  assert.ok(Math.abs(r.rankBiserial - (2 * 31.5) / 56 + 1) < 1e-15);
});

test('mannWhitney: complete separation, all ties, empty group', () => {
  const a = new Float64Array(200).map((_, i) => 1000 + i);
  const b = new Float64Array(200).map((_, i) => i);
  const r = mannWhitney(a, b);
  assert.equal(r.rankBiserial, 1);
  assert.ok(r.p > 0 && r.p < 1e-60);
  const tied = mannWhitney(Float64Array.of(1, 1, 1), Float64Array.of(1, 1));
  assert.equal(tied.p, 1);
  assert.ok(Number.isNaN(mannWhitneyFromRanks(0, 3, 0, 0).p));
});
