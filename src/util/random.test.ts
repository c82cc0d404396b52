import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from './random.js';

test('sample: k distinct indices of 0..n−1, ascending, the same for the same seed', () => {
  const s = new Random(7).sample(1000, 50);
  assert.equal(s.length, 50);
  assert.equal(new Set(s).size, 50);
  for (let i = 1; i < s.length; i++) assert.ok(s[i - 1]! < s[i]!);
  assert.ok(s.every((v) => v < 1000));
  assert.deepEqual(new Random(7).sample(1000, 50), s);
  assert.notDeepEqual(new Random(8).sample(1000, 50), s);
  assert.deepEqual([...new Random(1).sample(5, 5)], [0, 1, 2, 3, 4]);
  assert.equal(new Random(1).sample(5, 0).length, 0);
});
