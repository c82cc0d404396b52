import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeMetrics } from './metrics.js';
import { applyThreshold, ratesAtThreshold } from './rates.js';
import { calibrateThreshold, nextUp } from './threshold.js';

// 10 normal rows, 6 attack rows; the normal scores 0.05 … 0.95 with a tie at 0.6.
const y = Int32Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1);
const s = Float64Array.of(0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.6, 0.8, 0.95, 0.35, 0.55, 0.7, 0.9, 0.97, 0.99);

test('max-fpr: lowest observed score with FPR ≤ target (exact cases)', () => {
  // FPR ≤ 0.1 allows one false positive: 0.95 → threshold 0.8 would make 2 (0.8, 0.95): so 0.9.
  const t10 = calibrateThreshold(y, s, { method: 'max-fpr', maxFpr: 0.1 });
  assert.equal(t10.threshold, 0.9);
  assert.equal(t10.rates.fp, 1);
  assert.equal(t10.rates.tp, 3);
  assert.equal(t10.rates.fpr, 0.1);
  assert.equal(t10.rates.tpr, 0.5);
  // FPR ≤ 0.3 allows three: the tie at 0.6 would make 4, so the threshold stops above it at 0.7.
  const t30 = calibrateThreshold(y, s, { method: 'max-fpr', maxFpr: 0.3 });
  assert.equal(t30.threshold, 0.7);
  assert.equal(t30.rates.fp, 2);
  // FPR ≤ 0.4 takes both tied scores at once, and goes on down to the attack at 0.55.
  const t40 = calibrateThreshold(y, s, { method: 'max-fpr', maxFpr: 0.4 });
  assert.equal(t40.threshold, 0.55);
  assert.equal(t40.rates.fp, 4);
  assert.equal(t40.rates.tp, 5);
  // FPR ≤ 1 flags everything: the lowest score.
  assert.equal(calibrateThreshold(y, s, { method: 'max-fpr', maxFpr: 1 }).threshold, 0.05);
});

test('max-fpr: the reported rates are those the rule gives on the same data', () => {
  for (const maxFpr of [0, 0.05, 0.1, 0.25, 0.5, 0.75]) {
    const c = calibrateThreshold(y, s, { method: 'max-fpr', maxFpr });
    const r = ratesAtThreshold(y, s, c.threshold);
    assert.deepEqual(c.rates, r);
    assert.ok(r.fpr! <= maxFpr);
    // any lower observed score breaks the target
    const lower = Array.from(s).filter((v) => v < c.threshold);
    if (lower.length) assert.ok(ratesAtThreshold(y, s, Math.max(...lower)).fpr! > maxFpr);
  }
});

test('max-fpr 0 when a normal row has the top score: threshold just above it, nothing flagged', () => {
  const yy = Int32Array.of(1, 0, 1);
  const ss = Float64Array.of(0.9, 0.99, 0.5);
  const c = calibrateThreshold(yy, ss, { method: 'max-fpr', maxFpr: 0 });
  assert.ok(c.threshold > 0.99 && c.threshold < 0.9900001);
  assert.deepEqual(Array.from(applyThreshold(ss, c.threshold)), [0, 0, 0]);
  assert.equal(c.rates.tp, 0);
  assert.equal(c.rates.fpr, 0);
});

test('f1: threshold maximising F1 of the attack class', () => {
  const c = calibrateThreshold(y, s, { method: 'f1' });
  // brute force over all observed scores
  let best = -1;
  let bestT = NaN;
  for (const t of Array.from(new Set(s)).sort((a, b) => a - b)) {
    const f = ratesAtThreshold(y, s, t).f1;
    if (f > best) {
      best = f;
      bestT = t;
    }
  }
  assert.equal(c.threshold, bestT);
  assert.equal(c.rates.f1, best);
  // by hand: 0.35 (tp 6, fp 6) and 0.55 (tp 5, fp 4) both give F1 = 2/3, the best
  assert.ok(Math.abs(c.rates.f1 - 2 / 3) < 1e-12);
  assert.ok(c.threshold === 0.35 || c.threshold === 0.55);
});

test('fixed: default 0.5, consistent with computeMetrics', () => {
  const c = calibrateThreshold(y, s, { method: 'fixed' });
  assert.equal(c.threshold, 0.5);
  const proba = new Float64Array(s.length * 2);
  s.forEach((v, i) => {
    proba[2 * i] = 1 - v;
    proba[2 * i + 1] = v;
  });
  const m = computeMetrics(y, proba, ['normal', 'attack'], { threshold: c.threshold });
  assert.equal(m.fpr, c.rates.fpr);
  assert.equal(m.recall, c.rates.tpr);
});

test('bad options and data without the needed class are refused', () => {
  assert.throws(() => calibrateThreshold(y, s, { method: 'max-fpr', maxFpr: 1.5 }), /max-fpr/);
  assert.throws(() => calibrateThreshold(Int32Array.of(1, 1), Float64Array.of(0.2, 0.3), { method: 'max-fpr', maxFpr: 0.1 }), /normal/);
  assert.throws(() => calibrateThreshold(Int32Array.of(0, 0), Float64Array.of(0.2, 0.3), { method: 'f1' }), /attack/);
  assert.throws(() => calibrateThreshold(y, s, { method: 'fixed', threshold: NaN }), /finite/);
});

test('nextUp', () => {
  assert.ok(nextUp(1) > 1 && nextUp(1) - 1 === Number.EPSILON);
  assert.equal(nextUp(0), Number.MIN_VALUE);
  assert.ok(nextUp(-1) > -1);
});
