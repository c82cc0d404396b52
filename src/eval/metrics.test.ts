import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeMetrics } from './metrics.js';
import { assertClose } from './testdata/assert-close.js';
// Expected values come from scikit-learn 1.2.1 (src/eval/testdata/sklearn-reference.py).
import * as sk from './testdata/sklearn-expected.js';
import { BINARY_CASES, twoColumns } from './testdata/binary-cases.js';

for (const [name, c] of Object.entries(BINARY_CASES)) {
  test(`computeMetrics (binary) agrees with scikit-learn 1.2.1: ${name}`, () => {
    const m = computeMetrics(Int32Array.from(c.y), twoColumns(c.scores), ['normal', 'attack'], { threshold: c.threshold });
    assert.equal(m.task, 'binary');
    assert.equal(m.n, c.y.length);
    assert.equal(m.positive, 'attack');
    assert.equal(m.threshold, c.threshold);
    assertClose(m.accuracy, c.accuracy, 1e-9, 'accuracy');
    assertClose(m.precision, c.binary.precision, 1e-9, 'precision');
    assertClose(m.recall, c.binary.recall, 1e-9, 'recall');
    assertClose(m.f1, c.binary.f1, 1e-9, 'f1');
    assertClose(m.rocAuc, c.rocAuc, 1e-9, 'rocAuc');
    assertClose(m.prAuc, c.averagePrecision, 1e-9, 'prAuc');
    assertClose(m.logLoss, c.logLoss, 1e-9, 'logLoss');
    assertClose(m.fpr, c.fpr, 1e-9, 'fpr');
    assert.deepEqual(m.confusionMatrix, c.confusionMatrix);
    assert.deepEqual(m.support, [c.y.filter((v) => v === 0).length, c.y.filter((v) => v === 1).length]);
    assertClose(m.perClass['normal']!.recall, c.perClass.recall[0]!, 1e-9, 'normal recall');
    assertClose(m.perClass['attack']!.precision, c.perClass.precision[1]!, 1e-9, 'attack precision');
    assertClose(m.macro.f1, c.macro.f1, 1e-9, 'macro f1');
    assertClose(m.weighted.f1, c.weighted.f1, 1e-9, 'weighted f1');
    // the contract survives JSON (NaN/Infinity would not)
    assert.deepEqual(JSON.parse(JSON.stringify(m)), m);
  });
}

for (const [name, c] of Object.entries({ multi4: sk.multi4, multiAbsent: sk.multiAbsent })) {
  test(`computeMetrics (multi-class) agrees with scikit-learn 1.2.1: ${name}`, () => {
    const classes = ['normal', 'dos', 'probe', 'r2l'].slice(0, c.k);
    const m = computeMetrics(Int32Array.from(c.y), Float64Array.from(c.proba), classes);
    assert.equal(m.task, 'multiclass');
    assert.equal(m.threshold, undefined);
    assertClose(m.accuracy, c.accuracy, 1e-9, 'accuracy');
    assertClose(m.precision, c.macro.precision, 1e-9, 'macro precision');
    assertClose(m.recall, c.macro.recall, 1e-9, 'macro recall');
    assertClose(m.f1, c.macro.f1, 1e-9, 'macro f1');
    assertClose(m.weighted.precision, c.weighted.precision, 1e-9, 'weighted precision');
    assertClose(m.weighted.f1, c.weighted.f1, 1e-9, 'weighted f1');
    assertClose(m.rocAuc, c.rocAucOvr, 1e-9, 'rocAuc');
    assertClose(m.prAuc, c.averagePrecisionOvr, 1e-9, 'prAuc');
    assertClose(m.logLoss, c.logLoss, 1e-9, 'logLoss');
    assert.deepEqual(m.confusionMatrix, c.confusionMatrix);
    classes.forEach((cls, k) => {
      assertClose(m.perClass[cls]!.f1, c.perClass.f1[k]!, 1e-9, `${cls} f1`);
      assertClose(m.perClass[cls]!.rocAuc, c.perClassAuc[k] ?? null, 1e-9, `${cls} auc`);
    });
  });
}

test('binary: threshold decides the predictions (score ≥ threshold → attack) and the FPR/TPR', () => {
  const y = Int32Array.of(0, 0, 0, 0, 1, 1);
  const p = twoColumns([0.1, 0.3, 0.5, 0.7, 0.5, 0.9]);
  const at5 = computeMetrics(y, p, ['normal', 'attack']);
  assert.deepEqual(at5.confusionMatrix, [[2, 2], [0, 2]]);
  assert.equal(at5.fpr, 0.5);
  assert.equal(at5.tpr, 1);
  const at6 = computeMetrics(y, p, ['normal', 'attack'], { threshold: 0.6 });
  assert.deepEqual(at6.confusionMatrix, [[3, 1], [1, 1]]);
  assert.equal(at6.fpr, 0.25);
  assert.equal(at6.recall, 0.5);
  assert.equal(at6.rocAuc, at5.rocAuc); // threshold-free
});

test('binary curves are downsampled to at most maxCurvePoints and run from (0,0) to (1,1)', () => {
  const n = 2000;
  const y = new Int32Array(n);
  const s = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3 === 0 ? 1 : 0;
    s[i] = ((i * 7919) % n) / n;
  }
  const m = computeMetrics(y, twoColumns(s), ['normal', 'attack'], { curves: true, maxCurvePoints: 100 });
  const roc = m.curves!.roc;
  assert.ok(roc.x.length <= 100 && roc.x.length > 50, `roc points ${roc.x.length}`);
  assert.equal(roc.x[0], 0);
  assert.equal(roc.y[0], 0);
  assert.equal(roc.x.at(-1), 1);
  assert.equal(roc.y.at(-1), 1);
  const pr = m.curves!.pr;
  assert.ok(pr.x.length <= 100);
  assert.equal(pr.x.at(-1), 0); // recall 0, precision 1 at the end
  assert.equal(pr.y.at(-1), 1);
  assert.equal(pr.threshold.at(-1), null);
});

test('bad input gives clear errors', () => {
  assert.throws(() => computeMetrics(Int32Array.of(0, 1), Float64Array.of(0.5, 0.5), ['a', 'b']), /expected 2 rows × 2 classes/);
  assert.throws(() => computeMetrics(Int32Array.of(0, 3), Float64Array.of(1, 0, 0, 1), ['a', 'b']), /not a class index/);
  assert.throws(() => computeMetrics(Int32Array.of(), Float64Array.of(), ['a', 'b']), /no rows/);
  assert.throws(() => computeMetrics(Int32Array.of(0), Float64Array.of(1), ['a']), /at least 2 classes/);
});
