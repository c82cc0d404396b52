import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chiSquareIndependence, contingency } from './chi-square.js';

test('chiSquareIndependence matches scipy.stats.chi2_contingency', () => {
  const r = chiSquareIndependence(Float64Array.of(10, 20, 30, 6, 9, 17), 2, 3);
  assert.ok(Math.abs(r.chi2 - 0.27157465150403504) < 1e-12);
  assert.ok(Math.abs(r.p - 0.873028283380073) < 1e-12);
  assert.equal(r.dof, 2);
  assert.ok(Math.abs(r.cramersV - Math.sqrt(r.chi2 / 92)) < 1e-15);
});

test('chiSquareIndependence applies Yates for 2×2 (scipy default) and drops empty rows', () => {
  // a zero row in the middle is dropped: still a 2×2 table
  const r = chiSquareIndependence(Float64Array.of(12, 5, 0, 0, 3, 9), 3, 2);
  assert.equal(r.dof, 1);
  assert.equal(r.rows, 2);
  assert.ok(Math.abs(r.chi2 - 4.171457749766574) < 1e-12);
  assert.ok(Math.abs(r.p - 0.04111041419430694) < 1e-12);
  // V from the uncorrected statistic
  assert.ok(r.cramersV > Math.sqrt(r.chi2 / 29));
});

test('chiSquareIndependence: a single observed category has no test', () => {
  const r = chiSquareIndependence(Float64Array.of(4, 6, 0, 0), 2, 2);
  assert.ok(Number.isNaN(r.p));
  assert.equal(r.rows, 1);
});

test('contingency counts codes × classes and skips missing', () => {
  const t = contingency(Int32Array.of(0, 1, 1, -1, 2, 0), 3, Int32Array.of(1, 0, 1, 1, 1, -1), 2);
  assert.deepEqual(Array.from(t), [0, 1, 1, 1, 0, 1]);
});
