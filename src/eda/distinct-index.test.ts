import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distinctIndex, NON_FINITE } from './distinct-index.js';
import { splitSorted } from './split-sorted.js';

test('distinctIndex codes rows by ascending distinct value; −0 and 0 share a code', () => {
  const v = Float64Array.of(0.5, 0, NaN, -3, 0.5, -0, Infinity, 12, 0);
  const d = distinctIndex(v);
  assert.ok(d);
  assert.deepEqual(Array.from(d.values), [-3, 0, 0.5, 12]);
  assert.deepEqual(Array.from(d.codes), [2, 1, NON_FINITE, 0, 2, 1, NON_FINITE, 3, 1]);
  assert.equal(d.nMissing, 1);
  assert.equal(d.nPosInf, 1);
});

test('distinctIndex gives up past maxDistinct; splitSorted gives the same parts either way', () => {
  const n = 20000;
  const v = new Float64Array(n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    v[i] = ((i * 7919) % 1000) / 100; // 1,000 distinct values, many collisions in a naive hash
    y[i] = i % 3 === 0 ? 1 : i % 11 === 0 ? -1 : 0;
  }
  assert.equal(distinctIndex(v, 999), null);
  const fast = splitSorted(v, y, 2);
  assert.ok(fast.index);
  // reference: plain sort per class
  for (let g = 0; g < 3; g++) {
    const ref = Float64Array.from(v.filter((_, i) => (g === 2 ? y[i] === -1 : y[i] === g))).sort();
    assert.deepEqual(Array.from(fast.groups[g]), Array.from(ref), `group ${g}`);
  }
  // a column with more distinct values than a Uint16 code can hold takes the sort path
  const wide = new Float64Array(70000).map((_, i) => i * 1.5);
  const s = splitSorted(wide, new Int32Array(70000), 1);
  assert.equal(s.index, null);
  assert.equal(s.groups[0][69999], 69999 * 1.5);
});
