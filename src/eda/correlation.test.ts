import { test } from 'node:test';
import assert from 'node:assert/strict';
import { correlationMatrices, highlyCorrelatedPairs, rowRanks, type CorrelationColumn } from './correlation.js';
import { mergeRanks } from './merge-ranks.js';
import { moments } from './moments.js';

function col(values: Float64Array): CorrelationColumn {
  const finite = values.filter((v) => Number.isFinite(v));
  const r = mergeRanks([Float64Array.from(finite).sort()]);
  return { values, mean: moments([values]).mean, uniques: r.uniques, avgRank: r.avgRank, n: r.n };
}

test('Pearson and Spearman match scipy on a small case', () => {
  const x = Float64Array.of(1, 2, 3, 4, 5, 6);
  const y = Float64Array.of(2, 1, 4, 3, 7, 6);
  const m = correlationMatrices([col(x), col(y)]);
  assert.ok(Math.abs(m.pearson[1] - 0.8537198732636624) < 1e-12);
  assert.ok(Math.abs(m.spearman[1] - 0.8285714285714287) < 1e-12);
  assert.equal(m.pearson[0], 1);
  assert.equal(m.spearman[2], m.spearman[1]);
});

test('blocks, missing values (pairwise complete) and constant columns', () => {
  const n = 5000; // more than one block
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const z = new Float64Array(n).fill(3);
  for (let i = 0; i < n; i++) {
    x[i] = i % 97;
    y[i] = -2 * x[i] + 1;
  }
  const yMissing = Float64Array.from(y);
  yMissing[10] = NaN;
  const m = correlationMatrices([col(x), col(yMissing), col(z)]);
  assert.ok(Math.abs(m.pearson[1] + 1) < 1e-12);
  // Spearman keeps each column's full ranks when a pair drops rows: close to, not exactly, −1
  assert.ok(Math.abs(m.spearman[1] + 1) < 1e-3);
  assert.ok(Number.isNaN(m.pearson[2]));
  assert.ok(Number.isNaN(m.pearson[8]));
  const pairs = highlyCorrelatedPairs(['x', 'y', 'z'], m.pearson);
  assert.deepEqual(pairs.map((p) => [p.a, p.b]), [['x', 'y']]);
  // the same on a row sample
  const rows = new Uint32Array(1000).map((_, i) => i * 3);
  const s = correlationMatrices([col(x), col(y)], rows);
  assert.ok(Math.abs(s.pearson[1] + 1) < 1e-12);
});

test('row ranks give the same correlations as distinct-value ranks', () => {
  const x = Float64Array.of(3, 1, 2, 2, 5, NaN, 4);
  const y = Float64Array.of(1, 2, 3, 4, 5, 6, 7);
  const cx = col(x);
  const viaRows: CorrelationColumn = { values: x, mean: cx.mean, n: cx.n, rowRanks: rowRanks(x, cx.uniques!, cx.avgRank!) };
  assert.deepEqual(Array.from(viaRows.rowRanks!).map((v) => (Number.isNaN(v) ? null : v)), [4, 1, 2.5, 2.5, 6, null, 5]);
  const a = correlationMatrices([cx, col(y)]);
  const b = correlationMatrices([viaRows, col(y)]);
  assert.equal(a.spearman[1], b.spearman[1]);
});
