import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CategoricalColumn, Column } from '../data/types.js';
import { isConstant } from './drop-constant.js';
import { fitMedian, fitMostFrequent, impute } from './imputer.js';
import { isHeavyTailed, signedLog1p } from './log1p.js';
import { codeMap, fitCategories, oneHotNames, UNSEEN } from './one-hot.js';
import { fitStandard } from './scaler.js';
import { takeMatrixRows } from './take-rows.js';
import { matrix } from './types.js';

const cat = (dictionary: string[], codes: number[]): CategoricalColumn => ({ kind: 'categorical', name: 'c', dictionary, codes: Int32Array.from(codes) });
const num = (v: number[]): Column => ({ kind: 'numeric', name: 'n', values: Float64Array.from(v) });

describe('imputer', () => {
  it('median of the finite values (±Infinity and NaN count as missing)', () => {
    assert.equal(fitMedian(Float64Array.from([5, 1, 3])), 3);
    assert.equal(fitMedian(Float64Array.from([4, 1, 3, 2])), 2.5);
    assert.equal(fitMedian(Float64Array.from([NaN, 10, Infinity, -Infinity, 2, NaN])), 6);
    assert.equal(fitMedian(Float64Array.from([-2, -10, 7])), -2);
  });

  it('an all-missing numeric column imputes 0', () => {
    assert.equal(fitMedian(Float64Array.from([NaN, Infinity])), 0);
    assert.equal(fitMedian(new Float64Array(0)), 0);
  });

  it('most frequent category (ties: the first seen), null when all missing', () => {
    assert.equal(fitMostFrequent(cat(['a', 'b', 'c'], [1, 0, 1, 2, -1, -1, -1])), 'b');
    assert.equal(fitMostFrequent(cat(['a', 'b'], [1, 0, 0, 1])), 'a');
    assert.equal(fitMostFrequent(cat(['a'], [-1, -1])), null);
  });

  it('impute replaces non-finite values only', () => {
    assert.deepEqual([1, NaN, Infinity, -Infinity, 0].map((x) => impute(x, 7)), [1, 7, 7, 7, 0]);
  });
});

describe('categories and the unseen bucket', () => {
  it('orders training categories by frequency, ties alphabetically, unused dictionary entries left out', () => {
    assert.deepEqual(fitCategories(cat(['udp', 'tcp', 'icmp', 'never'], [1, 0, 1, 2, 0, 1, -1])).categories, ['tcp', 'udp', 'icmp']);
    assert.deepEqual(fitCategories(cat(['b', 'a'], [0, 1])).categories, ['a', 'b']);
    // bounded: the most frequent kept, the rest counted
    assert.deepEqual(fitCategories(cat(['udp', 'tcp', 'icmp', 'never'], [1, 0, 1, 2, 0, 1, -1]), 2), { categories: ['tcp', 'udp'], cut: 1, cutRows: 1 });
  });

  it('maps another column\'s dictionary onto the training categories; unseen → the bucket index', () => {
    const m = codeMap(cat(['icmp', 'tcp', 'gre'], [0, 1, 2]), ['tcp', 'udp', 'icmp']);
    assert.deepEqual(Array.from(m), [2, 0, 3]);
    assert.deepEqual(oneHotNames('proto', ['tcp', 'udp']), ['proto=tcp', 'proto=udp', `proto=${UNSEEN}`]);
  });
});

describe('standard scaler', () => {
  it('matches scikit-learn StandardScaler: population std (ddof = 0)', () => {
    // x = [1, 2, 3, 4, 10]: mean 4, variance (9 + 4 + 1 + 0 + 36) / 5 = 10
    const { mean, scale } = fitStandard(Float64Array.from([1, 2, 3, 4, 10]), (x) => x);
    assert.equal(mean, 4);
    assert.ok(Math.abs(scale - 1 / Math.sqrt(10)) < 1e-15);
    const z = [1, 2, 3, 4, 10].map((x) => (x - mean) * scale);
    const want = [-0.9486832980505138, -0.6324555320336759, -0.31622776601683794, 0, 1.8973665961010275];
    z.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-12, `${v} vs ${want[i]}`));
  });

  it('stays exact for large offsets (Welford) and gives scale 1 to a constant column', () => {
    const { mean, scale } = fitStandard(Float64Array.from([1e9 + 1, 1e9 + 2, 1e9 + 3]), (x) => x);
    assert.equal(mean, 1e9 + 2);
    assert.ok(Math.abs(1 / scale - Math.sqrt(2 / 3)) < 1e-6);
    assert.deepEqual(fitStandard(Float64Array.from([5, 5, 5]), (x) => x), { mean: 5, scale: 1 });
    assert.deepEqual(fitStandard(new Float64Array(0), (x) => x), { mean: 0, scale: 1 });
  });
});

describe('log1p', () => {
  it('is sign(x)·log(1 + |x|), monotone through 0', () => {
    assert.equal(signedLog1p(0), 0);
    assert.equal(signedLog1p(Math.E - 1), 1);
    assert.equal(signedLog1p(-(Math.E - 1)), -1);
    assert.ok(signedLog1p(1e9) < 21 && signedLog1p(1e9) > 20);
  });

  it('picks non-negative columns that reach past 1000', () => {
    assert.equal(isHeavyTailed(Float64Array.from([0, 1, 2, 5000])), true);
    assert.equal(isHeavyTailed(Float64Array.from([0, 0.5, 1])), false);
    assert.equal(isHeavyTailed(Float64Array.from([-1, 5000])), false);
    assert.equal(isHeavyTailed(Float64Array.from([NaN, Infinity, 3])), false);
  });
});

describe('drop-constant', () => {
  it('a column with at most one distinct non-missing value is constant', () => {
    assert.equal(isConstant(num([3, NaN, 3])), true);
    assert.equal(isConstant(num([NaN, NaN])), true);
    assert.equal(isConstant(num([3, 4])), false);
    assert.equal(isConstant(cat(['a', 'b'], [1, -1, 1])), true);
    assert.equal(isConstant(cat(['a', 'b'], [1, 0])), false);
  });
});

describe('matrix helpers', () => {
  it('takeMatrixRows copies the chosen rows in order', () => {
    const X = matrix(Float32Array.from([1, 2, 3, 4, 5, 6]), 3, ['a', 'b']);
    const Y = takeMatrixRows(X, Uint32Array.from([2, 0, 2]));
    assert.deepEqual(Array.from(Y.data), [5, 6, 1, 2, 5, 6]);
    assert.equal(Y.nRows, 3);
    assert.deepEqual(Y.columns, ['a', 'b']);
    assert.throws(() => matrix(new Float32Array(5), 3, ['a', 'b']), RangeError);
  });
});
