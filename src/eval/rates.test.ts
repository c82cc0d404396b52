import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyThreshold, ratesAtThreshold, ratesFromCounts } from './rates.js';

test('score ≥ threshold is positive: a score equal to the threshold is flagged', () => {
  assert.deepEqual(Array.from(applyThreshold(Float64Array.of(0.2, 0.5, 0.7), 0.5)), [0, 1, 1]);
  assert.deepEqual(Array.from(applyThreshold(Float64Array.of(0.2, 0.5, 0.7), 0.5, 0)), [1, 0, 0]);
});

test('counts and rates at a threshold', () => {
  const r = ratesAtThreshold(Int32Array.of(0, 0, 0, 1, 1), Float64Array.of(0.1, 0.6, 0.4, 0.6, 0.3), 0.5);
  assert.deepEqual(r, { tp: 1, fp: 1, tn: 2, fn: 1, fpr: 1 / 3, tpr: 0.5, precision: 0.5, f1: 0.5 });
});

test('undefined rates are null, precision without predictions is 0', () => {
  const r = ratesFromCounts(0, 0, 5, 0);
  assert.equal(r.tpr, null);
  assert.equal(r.fpr, 0);
  assert.equal(r.precision, 0);
  assert.equal(r.f1, 0);
  assert.equal(ratesFromCounts(2, 0, 0, 1).fpr, null);
});
