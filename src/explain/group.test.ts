import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupBySource, topContributions } from './group.js';
import type { Explanation } from './types.js';
import { rowContributions } from './types.js';

// 2 rows × 2 outputs × 5 matrix columns: duration, service=http, service=ftp, flag=SF, flag=S0
const e: Explanation = {
  nRows: 2,
  nOutputs: 2,
  nFeatures: 5,
  features: ['duration', 'service=http', 'service=ftp', 'flag=SF', 'flag=S0'],
  contributions: Float64Array.of(
    0.5, -1, 0.25, 0, 2, // row 0, output 0
    1, 1, 1, 1, 1, // row 0, output 1
    -3, 0, 0, 0.5, 0.5, // row 1, output 0
    0, 0, 0, 0, 0, // row 1, output 1
  ),
  bias: Float64Array.of(0.1, 0.2),
};
const sourceMap = ['duration', 'service', 'service', 'flag', 'flag'];

test('one-hot contributions are summed back to their source column; totals are preserved', () => {
  const g = groupBySource(e, sourceMap);
  assert.deepEqual(g.features, ['duration', 'service', 'flag']);
  assert.deepEqual(Array.from(rowContributions(g, 0, 0)), [0.5, -0.75, 2]);
  assert.deepEqual(Array.from(rowContributions(g, 0, 1)), [1, 2, 2]);
  assert.deepEqual(Array.from(rowContributions(g, 1, 0)), [-3, 0, 1]);
  assert.deepEqual(Array.from(g.bias), [0.1, 0.2]);
  for (let r = 0; r < 2; r++) {
    for (let o = 0; o < 2; o++) {
      const a = rowContributions(e, r, o).reduce((s, v) => s + v, 0);
      const b = rowContributions(g, r, o).reduce((s, v) => s + v, 0);
      assert.ok(Math.abs(a - b) < 1e-12);
    }
  }
  assert.throws(() => groupBySource(e, ['a']), /source map/);
});

test('top-k by absolute value, largest first, zeros left out', () => {
  const g = groupBySource(e, sourceMap);
  assert.deepEqual(topContributions(g, 0, 2), [
    { feature: 'flag', value: 2 },
    { feature: 'service', value: -0.75 },
  ]);
  assert.deepEqual(topContributions(g, 1, 5), [
    { feature: 'duration', value: -3 },
    { feature: 'flag', value: 1 },
  ]);
  assert.deepEqual(topContributions(g, 1, 5, 1), []);
  // ties keep feature order
  assert.deepEqual(topContributions(g, 0, 3, 1).map((c) => c.feature), ['service', 'flag', 'duration']);
  assert.throws(() => topContributions(g, 2, 1), /row 2/);
});
