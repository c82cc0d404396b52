import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../util/random.js';
import { logisticObjective, modeCentred } from './logistic-loss.js';
import type { LossLayout, LossProblem } from './logistic-loss.js';

/** n × d data where most entries sit on a per-column value (one-hot-like), some are spread. */
function problem(n: number, d: number, nOut: number, seed: number, opts: Partial<LossProblem> = {}): LossProblem {
  const r = new Random(seed);
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) data[i * d + j] = r.next() < 0.7 ? j * 0.25 - 0.5 : r.normal();
  }
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = r.int(nOut === 1 ? 2 : nOut);
  return { data, y, n, d, nOut, C: 0.7, fitIntercept: true, ...opts };
}

function randomParams(len: number, seed: number): Float64Array {
  const r = new Random(seed);
  return Float64Array.from({ length: len }, () => r.normal() * 0.5);
}

function checkGradient(pb: LossProblem, layout: LossLayout): void {
  const f = logisticObjective(pb, layout);
  const p = randomParams(pb.nOut * (pb.d + 1), 99);
  const g = new Float64Array(p.length);
  f(p, g);
  const scratch = new Float64Array(p.length);
  for (let k = 0; k < p.length; k++) {
    const h = 1e-5;
    const save = p[k]!;
    p[k] = save + h;
    const fp = f(p, scratch);
    p[k] = save - h;
    const fm = f(p, scratch);
    p[k] = save;
    const fd = (fp - fm) / (2 * h);
    assert.ok(Math.abs(fd - g[k]!) < 1e-7 * Math.max(1, Math.abs(fd)), `${layout} nOut=${pb.nOut} ∂f/∂p[${k}]: analytic ${g[k]} vs numeric ${fd}`);
  }
}

test('analytic gradient matches central differences (dense and sparse, logistic and softmax, weights, n not a multiple of 4)', () => {
  for (const layout of ['dense', 'sparse'] as const) {
    for (const nOut of [1, 3]) {
      checkGradient(problem(37, 6, nOut, 1), layout);
      const w = Float32Array.from({ length: 37 }, (_, i) => (i % 5) * 0.5);
      checkGradient(problem(37, 6, nOut, 2, { w }), layout);
    }
  }
});

test('without an intercept its gradient is 0 and it does not move the loss', () => {
  for (const layout of ['dense', 'sparse'] as const) {
    const pb = problem(21, 4, 3, 3, { fitIntercept: false });
    const f = logisticObjective(pb, layout);
    const p = randomParams(3 * 5, 4);
    const g = new Float64Array(p.length);
    const f0 = f(p, g);
    assert.deepEqual([...g.subarray(12)], [0, 0, 0]);
    p[12] = 5;
    assert.equal(f(p, g), f0);
  }
});

test('dense and mode-centred sparse layouts agree to rounding', () => {
  for (const nOut of [1, 4]) {
    const pb = problem(203, 9, nOut, 5);
    const p = randomParams(nOut * 10, 6);
    const gd = new Float64Array(p.length);
    const gs = new Float64Array(p.length);
    const fd = logisticObjective(pb, 'dense')(p, gd);
    const fs = logisticObjective(pb, 'sparse')(p, gs);
    assert.ok(Math.abs(fd - fs) < 1e-12 * Math.abs(fd));
    for (let k = 0; k < p.length; k++) assert.ok(Math.abs(gd[k]! - gs[k]!) < 1e-12, `g[${k}]`);
  }
});

test('at zero parameters the loss is log 2 (logistic) and log k (softmax), whatever the data', () => {
  for (const layout of ['dense', 'sparse'] as const) {
    const g = new Float64Array(2 * 7);
    assert.ok(Math.abs(logisticObjective(problem(10, 6, 1, 7), layout)(new Float64Array(7), g) - Math.log(2)) < 1e-15);
    const g5 = new Float64Array(5 * 7);
    assert.ok(Math.abs(logisticObjective(problem(10, 6, 5, 7), layout)(new Float64Array(35), g5) - Math.log(5)) < 1e-15);
  }
});

test('huge margins do not overflow: the loss stays finite and exact', () => {
  // one row, x = 1, y = 0, margin 800: loss = log(1 + e^800) = 800 (+ e^-800)
  const pb: LossProblem = { data: new Float32Array([1]), y: new Int32Array([0]), n: 1, d: 1, nOut: 1, C: 1e300, fitIntercept: false };
  const g = new Float64Array(2);
  const f = logisticObjective(pb, 'dense')(new Float64Array([800, 0]), g);
  assert.ok(Math.abs(f - 800) < 1e-9, `f = ${f}`);
  assert.ok(Math.abs(g[0]! - 1) < 1e-12);
  // softmax with a hopeless true class: −log p_y = 900
  const pb3: LossProblem = { data: new Float32Array([1]), y: new Int32Array([2]), n: 1, d: 1, nOut: 3, C: 1e300, fitIntercept: false };
  const f3 = logisticObjective(pb3, 'sparse')(new Float64Array([900, 0, 0, 0, 0, 0]), new Float64Array(6));
  assert.ok(Math.abs(f3 - 900) < 1e-9, `f3 = ${f3}`);
});

test('modeCentred: exact reconstruction, the most common value as centre, refuses dense data', () => {
  const n = 50;
  const d = 3;
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    data[i * d] = i % 10 === 0 ? 1 : 0; // mode 0
    data[i * d + 1] = i % 4 === 0 ? 0.1 : -1.7; // mode −1.7 (float32)
    data[i * d + 2] = 3; // constant
  }
  const m = modeCentred(data, n, d, 1)!;
  assert.deepEqual([...m.mode], [0, Math.fround(-1.7), 3]);
  assert.equal(m.col.length, 5 + 13);
  for (let i = 0; i < n; i++) {
    const row = Float64Array.from(m.mode);
    for (let k = m.rowPtr[i]!; k < m.rowPtr[i + 1]!; k++) row[m.col[k]!] += m.val[k]!;
    for (let j = 0; j < d; j++) assert.equal(row[j], data[i * d + j]);
  }
  assert.equal(modeCentred(data, n, d, 0.1), undefined, '18 / 150 = 12% > 10%');
});
