import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeRanks } from './merge-ranks.js';

test('mergeRanks gives mid-ranks, per-group rank sums and the tie term', () => {
  // pooled: 1 2 2 2 3 | ranks 1, 3, 3, 3, 5
  const r = mergeRanks([Float64Array.of(1, 2), Float64Array.of(2, 2, 3), new Float64Array(0)]);
  assert.equal(r.n, 5);
  assert.deepEqual(Array.from(r.uniques), [1, 2, 3]);
  assert.deepEqual(Array.from(r.ends), [1, 4, 5]);
  assert.deepEqual(Array.from(r.avgRank), [1, 3, 5]);
  assert.deepEqual(Array.from(r.rankSum), [4, 11, 0]);
  assert.equal(r.tieTerm, 27 - 3);
});

test('mergeRanks grows its buffers past the initial capacity', () => {
  const a = new Float64Array(3000);
  for (let i = 0; i < a.length; i++) a[i] = i;
  const r = mergeRanks([a]);
  assert.equal(r.uniques.length, 3000);
  assert.equal(r.avgRank[2999], 3000);
  assert.equal(r.rankSum[0], (3000 * 3001) / 2);
  assert.equal(r.tieTerm, 0);
});
