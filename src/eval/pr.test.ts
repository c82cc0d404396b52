import assert from 'node:assert/strict';
import { test } from 'node:test';
import { averagePrecision, averagePrecisionOvr, precisionRecallCurve } from './pr.js';
import { assertClose } from './testdata/assert-close.js';
// Expected values come from scikit-learn 1.2.1 (src/eval/testdata/sklearn-reference.py).
import * as sk from './testdata/sklearn-expected.js';
import { BINARY_CASES } from './testdata/binary-cases.js';

for (const [name, c] of Object.entries(BINARY_CASES)) {
  test(`precision_recall_curve and average_precision_score agree with scikit-learn 1.2.1: ${name}`, () => {
    const y = Int32Array.from(c.y);
    const s = Float64Array.from(c.scores);
    const pr = precisionRecallCurve(y, s);
    assertClose(pr.precision, c.pr.precision, 1e-9, 'precision');
    assertClose(pr.recall, c.pr.recall, 1e-9, 'recall');
    assertClose(pr.thresholds, c.pr.thresholds, 1e-9, 'thresholds');
    assertClose(averagePrecision(y, s), c.averagePrecision, 1e-9, 'AP');
  });
}

test('average precision of a perfect ranking is 1, of the worst ranking is the step area', () => {
  assert.equal(averagePrecision(Int32Array.of(0, 0, 1, 1), Float64Array.of(0.1, 0.2, 0.8, 0.9)), 1);
  // positives last: recall steps 1/2 at precision 1/3 and 1/2 at precision 2/4
  assertClose(averagePrecision(Int32Array.of(1, 1, 0, 0), Float64Array.of(0.1, 0.2, 0.8, 0.9)), 0.5 * (1 / 3) + 0.5 * 0.5);
});

for (const [name, c] of Object.entries({ multi4: sk.multi4, multiAbsent: sk.multiAbsent })) {
  test(`one-vs-rest macro average precision agrees with scikit-learn 1.2.1: ${name}`, () => {
    const r = averagePrecisionOvr(Int32Array.from(c.y), Float64Array.from(c.proba), c.k);
    assertClose(r.macro, c.averagePrecisionOvr, 1e-9, 'macro AP');
    assert.equal(r.perClass.length, c.k);
  });
}
