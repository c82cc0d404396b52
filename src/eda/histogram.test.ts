import { test } from 'node:test';
import assert from 'node:assert/strict';
import { histogramBins, histogramCounts, isHeavyTailed, symlog, symlogInverse } from './histogram.js';

test('linear bins count like numpy.histogram (last bin closed)', () => {
  const s = Float64Array.of(0, 0.5, 1, 2, 3, 4);
  const bins = histogramBins(0, 4, { bins: 4 });
  assert.equal(bins.scale, 'linear');
  assert.deepEqual(Array.from(histogramCounts(s, bins)), [2, 1, 1, 2]);
});

test('discrete bins for few distinct values, symlog for heavy tails', () => {
  const d = histogramBins(0, 1, { uniques: Float64Array.of(0, 1) });
  assert.equal(d.scale, 'discrete');
  assert.deepEqual(Array.from(histogramCounts(Float64Array.of(0, 0, 1), d)), [2, 1]);
  assert.ok(isHeavyTailed(157, 0, 3.8e8));
  assert.ok(!isHeavyTailed(0.5, 0, 3.8e8));
  assert.ok(!isHeavyTailed(5, 0, 1));
  const h = histogramBins(0, 9999, { bins: 4, heavyTailed: true });
  assert.equal(h.scale, 'symlog');
  assert.ok(Math.abs(h.edges[1] - 9) < 1e-9 && Math.abs(h.edges[2] - 99) < 1e-9);
  assert.ok(Math.abs(symlogInverse(symlog(-42)) + 42) < 1e-9);
  const total = histogramCounts(Float64Array.of(0, 1, 50, 5000, 9999), h).reduce((a, b) => a + b, 0);
  assert.equal(total, 5);
});

test('a constant column gets one bin holding every value', () => {
  const b = histogramBins(3, 3, {});
  assert.deepEqual(Array.from(histogramCounts(Float64Array.of(3, 3), b)), [2]);
});
