import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logLoss } from './log-loss.js';
import { assertClose } from './testdata/assert-close.js';
// Expected values come from scikit-learn 1.2.1 (src/eval/testdata/sklearn-reference.py).
import * as sk from './testdata/sklearn-expected.js';
import { BINARY_CASES, twoColumns } from './testdata/binary-cases.js';

for (const [name, c] of Object.entries(BINARY_CASES)) {
  test(`log loss agrees with scikit-learn 1.2.1 (eps clipping, renormalisation): ${name}`, () => {
    assertClose(logLoss(Int32Array.from(c.y), twoColumns(c.scores), 2), c.logLoss, 1e-9);
  });
}

for (const [name, c] of Object.entries({ multi4: sk.multi4, multiAbsent: sk.multiAbsent })) {
  test(`multi-class log loss agrees with scikit-learn 1.2.1: ${name}`, () => {
    assertClose(logLoss(Int32Array.from(c.y), Float64Array.from(c.proba), c.k), c.logLoss, 1e-9);
  });
}

test('a probability of exactly 0 for the true class is clipped, not infinite', () => {
  const v = logLoss(Int32Array.of(1), Float64Array.of(1, 0), 2);
  assert.ok(Number.isFinite(v));
  assertClose(v, -Math.log(2.220446049250313e-16 / (1 - 2.220446049250313e-16 + 2.220446049250313e-16)), 1e-9);
});
