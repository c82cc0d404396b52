import { test } from 'node:test';
import assert from 'node:assert/strict';
import { absoluteDeviations, countOutsideGroups, iqrFences, robustZFences } from './outliers.js';
import { mergeRanks } from './merge-ranks.js';

test('absoluteDeviations gives numpy median(|x − median|) and mean |x − median|', () => {
  const r = mergeRanks([Float64Array.of(0, 0, 0, 0, 1, 2, 3, 100)]);
  const d = absoluteDeviations(r.uniques, r.ends, 0.5);
  assert.equal(d.mad, 0.5);
  assert.equal(d.meanAd, 13.25);
  const r2 = mergeRanks([Float64Array.of(1, 2, 4, 7, 11, 16)]);
  assert.equal(absoluteDeviations(r2.uniques, r2.ends, 5.5).mad, 4);
});

test('IQR fences and robust z fences with the MeanAD fallback', () => {
  const f = iqrFences(0, 279);
  assert.equal(f.upper, 279 + 1.5 * 279);
  assert.equal(f.lower, -418.5);
  const z = robustZFences(10, 2, 3);
  assert.equal(z.method, 'mad');
  assert.ok(Math.abs(z.upper - (10 + (3.5 * 2) / 0.6745)) < 1e-12);
  const fb = robustZFences(0, 0, 2);
  assert.equal(fb.method, 'meanad');
  assert.ok(Math.abs(fb.upper - 3.5 * 1.253314 * 2) < 1e-12);
  assert.equal(robustZFences(1, 0, 0).method, 'none');
  const counts = countOutsideGroups([Float64Array.of(-5, 0, 1), Float64Array.of(2, 50)], -1, 10);
  assert.deepEqual(Array.from(counts), [1, 1]);
});
