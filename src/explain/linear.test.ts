import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matrix } from '../features/types.js';
import { columnMeans, linearContributions } from './linear.js';
import { rowContributions } from './types.js';

const X = matrix(Float32Array.of(1, 0, 2, 3, 1, -1, 0, 0, 5, 2, 1, 0), 4, ['a', 'b', 'c']);

test('binary: coef·(x − mean) per column, bias = intercept + coef·mean, sums to the margin', () => {
  const mean = columnMeans(X);
  assert.deepEqual(Array.from(mean), [1.5, 0.5, 1.5]);
  const model = { coef: Float64Array.of(2, -1, 0.5), intercept: Float64Array.of(-0.25) };
  const e = linearContributions(model, X, mean);
  assert.equal(e.nOutputs, 1);
  assert.equal(e.bias[0], -0.25 + 2 * 1.5 - 0.5 + 0.75);
  // row 1: x = (3, 1, -1)
  assert.deepEqual(Array.from(rowContributions(e, 1)), [3, -0.5, -1.25]);
  for (let r = 0; r < 4; r++) {
    const x = X.data.subarray(r * 3, r * 3 + 3);
    const margin = -0.25 + 2 * x[0]! - x[1]! + 0.5 * x[2]!;
    const sum = e.bias[0]! + rowContributions(e, r).reduce((s, v) => s + v, 0);
    assert.ok(Math.abs(sum - margin) < 1e-12);
  }
  // the mean row gets zero contributions
  const atMean = linearContributions(model, matrix(Float32Array.of(1.5, 0.5, 1.5), 1, ['a', 'b', 'c']), mean);
  assert.ok(Array.from(atMean.contributions).every((v) => v === 0));
});

test('multinomial: one block per class logit; rows option', () => {
  const mean = Float64Array.of(0, 0, 0);
  const model = { coef: Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1), intercept: Float64Array.of(0.1, 0.2, 0.3) };
  const e = linearContributions(model, X, mean, { rows: [2] });
  assert.equal(e.nRows, 1);
  assert.deepEqual(Array.from(e.contributions), [0, 0, 0, 0, 0, 0, 0, 0, 5]);
  assert.deepEqual(Array.from(e.bias), [0.1, 0.2, 0.3]);
});

test('shape mismatches are refused; all-missing columns have a NaN mean', () => {
  assert.throws(() => linearContributions({ coef: [1, 2], intercept: [0] }, X, [0, 0, 0]), /coefficients/);
  assert.throws(() => linearContributions({ coef: [1, 2, 3], intercept: [0] }, X, [0, 0]), /means/);
  const m = columnMeans(matrix(Float32Array.of(NaN, 1, NaN, 3), 2, ['a', 'b']));
  assert.ok(Number.isNaN(m[0]!));
  assert.equal(m[1], 2);
});
