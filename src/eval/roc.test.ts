import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binaryClfCurve, rocAuc, rocAucOvr, rocCurve } from './roc.js';
import { assertClose } from './testdata/assert-close.js';
// Expected values come from scikit-learn 1.2.1 (src/eval/testdata/sklearn-reference.py).
import * as sk from './testdata/sklearn-expected.js';

const binaries = { binaryTies: sk.binaryTies, binaryLarge: sk.binaryLarge, binaryTieAcross: sk.binaryTieAcross };

for (const [name, c] of Object.entries(binaries)) {
  test(`roc_curve and roc_auc_score agree with scikit-learn 1.2.1: ${name}`, () => {
    const y = Int32Array.from(c.y);
    const s = Float64Array.from(c.scores);
    const roc = rocCurve(y, s);
    assertClose(roc.fpr, c.roc.fpr, 1e-9, 'fpr');
    assertClose(roc.tpr, c.roc.tpr, 1e-9, 'tpr');
    assertClose(roc.thresholds, c.roc.thresholds, 1e-9, 'thresholds');
    const all = rocCurve(y, s, 1, false);
    assertClose(all.fpr, c.rocAll.fpr, 1e-9, 'fpr (all)');
    assertClose(all.tpr, c.rocAll.tpr, 1e-9, 'tpr (all)');
    assertClose(all.thresholds, c.rocAll.thresholds, 1e-9, 'thresholds (all)');
    assertClose(rocAuc(y, s), c.rocAuc, 1e-9, 'auc');
  });
}

test('ROC-AUC is null when only one class is present (scikit-learn raises)', () => {
  const c = sk.binaryOneClass;
  assert.equal(rocAuc(Int32Array.from(c.y), Float64Array.from(c.scores)), null);
  const roc = rocCurve(Int32Array.from(c.y), Float64Array.from(c.scores));
  assert.ok(roc.tpr.every((v) => Number.isNaN(v)));
});

test('ties: a tie across the classes counts half, as the trapezoid over distinct thresholds gives', () => {
  // one positive and one negative share score 0.5: every other pair is ordered correctly
  const y = Int32Array.of(0, 1);
  assert.equal(rocAuc(y, Float64Array.of(0.5, 0.5)), 0.5);
  assert.equal(rocAuc(Int32Array.of(0, 0, 1, 1), Float64Array.of(0.1, 0.5, 0.5, 0.9)), 0.875);
});

test('binaryClfCurve counts per distinct score, highest first', () => {
  const c = binaryClfCurve(Int32Array.of(1, 0, 1, 0), Float64Array.of(0.9, 0.9, 0.2, 0.1));
  assert.deepEqual(Array.from(c.thresholds), [0.9, 0.2, 0.1]);
  assert.deepEqual(Array.from(c.tps), [1, 2, 2]);
  assert.deepEqual(Array.from(c.fps), [1, 1, 2]);
});

test('positive label other than 1; reversed scores give 1 − AUC', () => {
  const c = sk.binaryLarge;
  const flipped = Int32Array.from(c.y, (v) => 1 - v);
  const s = Float64Array.from(c.scores);
  assertClose(rocAuc(flipped, s, 0), c.rocAuc, 1e-9, 'auc, positive = 0');
  assertClose(rocAuc(Int32Array.from(c.y), s.map((v) => -v)), 1 - c.rocAuc, 1e-9, 'auc of −score');
});

for (const [name, c] of Object.entries({ multi4: sk.multi4, multiAbsent: sk.multiAbsent })) {
  test(`one-vs-rest macro ROC-AUC agrees with scikit-learn 1.2.1: ${name}`, () => {
    const r = rocAucOvr(Int32Array.from(c.y), Float64Array.from(c.proba), c.k);
    assertClose(r.macro, c.rocAucOvr, 1e-9, 'macro');
    assert.equal(r.perClass.length, c.k);
    for (let k = 0; k < c.k; k++) assertClose(r.perClass[k], c.perClassAuc[k] ?? null, 1e-9, `class ${k}`);
  });
}

test('infinite scores (e.g. margins) sort correctly', () => {
  const y = Int32Array.of(0, 1, 0, 1, 1);
  assert.equal(rocAuc(y, Float64Array.of(-Infinity, Infinity, 0, Infinity, 1)), 1);
  assert.equal(rocAuc(y, Float64Array.of(Infinity, Infinity, 0, 2, 1)), (0.5 + 1 + 0 + 1 + 0 + 1) / 6); // (pos, neg) pairs, tie = ½
});

test('rejects NaN scores and mismatched lengths', () => {
  assert.throws(() => rocAuc(Int32Array.of(0, 1), Float64Array.of(0.1, NaN)), /NaN/);
  assert.throws(() => rocAuc(Int32Array.of(0, 1), Float64Array.of(0.1)), /2 labels but 1 scores/);
});
