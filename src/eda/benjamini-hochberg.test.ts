import { test } from 'node:test';
import assert from 'node:assert/strict';
import { benjaminiHochberg } from './benjamini-hochberg.js';

test('benjaminiHochberg matches the step-up formula (statsmodels fdr_bh)', () => {
  const adj = benjaminiHochberg([0.01, 0.04, 0.03, 0.2, 0.005]);
  const expected = [0.025, 0.05, 0.05, 0.2, 0.025];
  expected.forEach((e, i) => assert.ok(Math.abs(adj[i] - e) < 1e-15, `i=${i}`));
});

test('benjaminiHochberg leaves NaN out of m and caps at 1', () => {
  const adj = benjaminiHochberg([0.5, NaN, 0.9]);
  assert.ok(Number.isNaN(adj[1]));
  assert.equal(adj[0], 0.9);
  assert.equal(adj[2], 0.9);
  assert.ok(Math.abs(benjaminiHochberg([0.8, 0.9, 0.95])[0] - 0.95) < 1e-15);
  assert.equal(benjaminiHochberg([0.9, 0.9, 0.9, 0.01])[3], 0.04);
  assert.ok(benjaminiHochberg([0.6, 0.7])[0] <= 1);
});
