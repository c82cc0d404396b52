import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accuracy, confusionMatrix, precisionRecallF1 } from './classification.js';
import { applyThreshold } from './rates.js';
import { assertClose } from './testdata/assert-close.js';
import { argmaxRows } from './validate.js';
// Expected values come from scikit-learn 1.2.1 (src/eval/testdata/sklearn-reference.py).
import * as sk from './testdata/sklearn-expected.js';
import { BINARY_CASES } from './testdata/binary-cases.js';

for (const [name, c] of Object.entries(BINARY_CASES)) {
  test(`accuracy, confusion matrix, precision/recall/F1 agree with scikit-learn 1.2.1: ${name}`, () => {
    const y = Int32Array.from(c.y);
    const pred = applyThreshold(Float64Array.from(c.scores), c.threshold);
    assertClose(accuracy(y, pred), c.accuracy, 1e-9, 'accuracy');
    assert.deepEqual(confusionMatrix(y, pred, 2), c.confusionMatrix);
    const r = precisionRecallF1(y, pred, 2);
    assertClose(r.precision, c.perClass.precision, 1e-9, 'precision');
    assertClose(r.recall, c.perClass.recall, 1e-9, 'recall');
    assertClose(r.f1, c.perClass.f1, 1e-9, 'f1');
    assertClose(r.precision[1]!, c.binary.precision, 1e-9, 'binary precision');
    assertClose(r.recall[1]!, c.binary.recall, 1e-9, 'binary recall');
    assertClose(r.f1[1]!, c.binary.f1, 1e-9, 'binary f1');
    for (const avg of ['macro', 'weighted'] as const) {
      assertClose(r[avg].precision, c[avg].precision, 1e-9, `${avg} precision`);
      assertClose(r[avg].recall, c[avg].recall, 1e-9, `${avg} recall`);
      assertClose(r[avg].f1, c[avg].f1, 1e-9, `${avg} f1`);
    }
  });
}

for (const [name, c] of Object.entries({ multi4: sk.multi4, multiAbsent: sk.multiAbsent })) {
  test(`multi-class argmax metrics agree with scikit-learn 1.2.1: ${name}`, () => {
    const y = Int32Array.from(c.y);
    const pred = argmaxRows(Float64Array.from(c.proba), c.k);
    assertClose(accuracy(y, pred), c.accuracy, 1e-9, 'accuracy');
    assert.deepEqual(confusionMatrix(y, pred, c.k), c.confusionMatrix);
    const r = precisionRecallF1(y, pred, c.k);
    assertClose(r.precision, c.perClass.precision, 1e-9, 'precision');
    assertClose(r.recall, c.perClass.recall, 1e-9, 'recall');
    assertClose(r.f1, c.perClass.f1, 1e-9, 'f1');
    for (const avg of ['macro', 'weighted'] as const) {
      assertClose(r[avg].precision, c[avg].precision, 1e-9, `${avg} precision`);
      assertClose(r[avg].recall, c[avg].recall, 1e-9, `${avg} recall`);
      assertClose(r[avg].f1, c[avg].f1, 1e-9, `${avg} f1`);
    }
  });
}

test('macro averages run over the classes present in truth or predictions; explicit labels override', () => {
  const y = Int32Array.of(0, 0, 1, 1);
  const p = Int32Array.of(0, 1, 1, 1);
  const present = precisionRecallF1(y, p, 3);
  assert.deepEqual(Array.from(present.labels), [0, 1]);
  const all = precisionRecallF1(y, p, 3, [0, 1, 2]);
  assertClose(all.macro.recall, (0.5 + 1 + 0) / 3);
  assertClose(present.macro.recall, 0.75);
});

test('argmax takes the first maximum on ties, like numpy', () => {
  assert.deepEqual(Array.from(argmaxRows(Float64Array.of(0.5, 0.5, 0.2, 0.4, 0.4), 1)), [0, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(argmaxRows(Float64Array.of(0.5, 0.5, 0.2, 0.8, 0.3, 0.3), 2)), [0, 1, 0]);
});

test('rejects labels out of range and length mismatches', () => {
  assert.throws(() => confusionMatrix(Int32Array.of(0, 2), Int32Array.of(0, 1), 2), /not a class index/);
  assert.throws(() => accuracy(Int32Array.of(0, 1), Int32Array.of(0)), /2 labels but 1 predictions/);
});
