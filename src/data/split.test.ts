import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Random } from '../util/random.js';
import { stratifiedKFold, stratifiedSplit } from './split.js';

/** Labels with unbalanced classes (and a few unlabelled rows). */
function labels(n: number, seed: number, unlabelled = 0): Int32Array {
  const rng = new Random(seed);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.next();
    y[i] = u < 0.6 ? 0 : u < 0.85 ? 1 : u < 0.97 ? 2 : 3;
  }
  for (let i = 0; i < unlabelled; i++) y[rng.int(n)] = -1;
  return y;
}

function counts(y: Int32Array, rows: Uint32Array, k: number): number[] {
  const c = new Array<number>(k).fill(0);
  for (const r of rows) c[y[r]!]!++;
  return c;
}

describe('stratifiedKFold', () => {
  it('keeps each class within ±1 row of its share in every fold, and folds partition the labelled rows', () => {
    const y = labels(1003, 1, 7);
    const k = 5;
    const folds = stratifiedKFold(y, k, 42);
    assert.equal(folds.length, k);
    const total = counts(y, Uint32Array.from({ length: y.length }, (_, i) => i).filter((i) => y[i]! >= 0), 4);
    const labelled = y.filter((v) => v >= 0).length;
    assert.ok(labelled < y.length);
    const inTest = new Int32Array(y.length);
    for (const f of folds) {
      const c = counts(y, f.test, 4);
      c.forEach((cnt, cls) => assert.ok(Math.abs(cnt - total[cls]! / k) <= 1, `class ${cls}: ${cnt} vs ${total[cls]! / k}`));
      for (const r of f.test) inTest[r]!++;
      // train is the complement of test among labelled rows
      assert.equal(f.train.length + f.test.length, labelled);
      const inThis = new Set(f.test);
      for (const r of f.train) assert.ok(!inThis.has(r) && y[r]! >= 0);
    }
    for (let i = 0; i < y.length; i++) assert.equal(inTest[i], y[i]! >= 0 ? 1 : 0, `row ${i}`);
    // fold sizes balanced overall
    const sizes = folds.map((f) => f.test.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, String(sizes));
  });

  it('is deterministic under a seed and different under another', () => {
    const y = labels(500, 2);
    const a = stratifiedKFold(y, 4, 7);
    const b = stratifiedKFold(y, 4, 7);
    const c = stratifiedKFold(y, 4, 8);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.map((f) => Array.from(f.test)), c.map((f) => Array.from(f.test)));
  });

  it('keeps a rare class spread over the folds', () => {
    const y = new Int32Array(100);
    for (let i = 0; i < 3; i++) y[i * 30] = 1;
    const folds = stratifiedKFold(y, 3, 0);
    assert.deepEqual(folds.map((f) => counts(y, f.test, 2)[1]), [1, 1, 1]);
  });

  it('refuses k < 2, a fractional k, and more folds than rows', () => {
    assert.throws(() => stratifiedKFold(new Int32Array(10), 1), { code: 'NADIR_ERR_BAD_OPTION', message: 'invalid option folds: must be an integer ≥ 2, got 1' });
    assert.throws(() => stratifiedKFold(new Int32Array(10), 2.5), /must be an integer ≥ 2, got 2.5/);
    assert.throws(() => stratifiedKFold(new Int32Array(3), 5), { message: 'invalid option folds: 5 folds need at least 5 labelled rows, got 3' });
  });
});

describe('stratifiedSplit', () => {
  it('puts round(size × testSize) rows of each class in the test side, disjoint from training', () => {
    const y = labels(2000, 3, 5);
    const { train, test } = stratifiedSplit(y, 0.25, 1);
    const all = Uint32Array.from({ length: y.length }, (_, i) => i).filter((i) => y[i]! >= 0);
    const total = counts(y, all, 4);
    assert.deepEqual(counts(y, test, 4), total.map((n) => Math.round(n * 0.25)));
    assert.equal(train.length + test.length, all.length);
    const t = new Set(test);
    for (const r of train) assert.ok(!t.has(r));
    // ascending row order on both sides
    for (let i = 1; i < test.length; i++) assert.ok(test[i]! > test[i - 1]!);
  });

  it('is deterministic under a seed, different under another, and keeps a lone row in training', () => {
    const y = labels(300, 4);
    assert.deepEqual(stratifiedSplit(y, 0.3, 5), stratifiedSplit(y, 0.3, 5));
    assert.notDeepEqual(Array.from(stratifiedSplit(y, 0.3, 5).test), Array.from(stratifiedSplit(y, 0.3, 6).test));
    const lone = Int32Array.from([0, 0, 0, 0, 1]);
    const s = stratifiedSplit(lone, 0.5, 0);
    assert.ok(Array.from(s.train).includes(4));
  });

  it('refuses a test size outside (0, 1)', () => {
    assert.throws(() => stratifiedSplit(new Int32Array(4), 1), { message: 'invalid option test size: must be a fraction in (0, 1), got 1' });
  });
});
