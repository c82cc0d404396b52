import { test } from 'node:test';
import assert from 'node:assert/strict';
import { minimizeLbfgs } from './lbfgs.js';
import type { Objective } from './lbfgs.js';

/** Extended Rosenbrock function (Nocedal & Wright, eq. 2.22 generalised), minimum 0 at (1, …, 1). */
const rosenbrock: Objective = (x, g) => {
  g.fill(0);
  let f = 0;
  for (let i = 0; i + 1 < x.length; i += 2) {
    const a = x[i]!;
    const b = x[i + 1]!;
    const t = b - a * a;
    f += 100 * t * t + (1 - a) * (1 - a);
    g[i] = -400 * a * t - 2 * (1 - a);
    g[i + 1] = 200 * t;
  }
  return f;
};

test('minimises the 2-D Rosenbrock function from the classic start (−1.2, 1)', () => {
  const r = minimizeLbfgs(rosenbrock, new Float64Array([-1.2, 1]), { maxIter: 200, gtol: 1e-8 });
  assert.equal(r.stop, 'gtol');
  assert.ok(r.converged);
  assert.ok(Math.abs(r.x[0]! - 1) < 1e-6 && Math.abs(r.x[1]! - 1) < 1e-6, `x = ${r.x}`);
  assert.ok(r.f < 1e-12);
  assert.ok(r.nIter < 60, `took ${r.nIter} iterations`);
});

test('minimises the 20-D extended Rosenbrock function', () => {
  const x0 = new Float64Array(20);
  for (let i = 0; i < 20; i += 2) {
    x0[i] = -1.2;
    x0[i + 1] = 1;
  }
  const r = minimizeLbfgs(rosenbrock, x0, { maxIter: 500, gtol: 1e-7 });
  assert.ok(r.converged);
  for (const v of r.x) assert.ok(Math.abs(v - 1) < 1e-5);
  assert.equal(r.x, x0, 'x0 is updated in place');
});

test('an ill-conditioned quadratic (condition number 1e4) is solved exactly', () => {
  const n = 50;
  const a = Float64Array.from({ length: n }, (_, i) => Math.pow(1e4, i / (n - 1)));
  const c = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
  const quad: Objective = (x, g) => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      const r = x[i]! - c[i]!;
      f += 0.5 * a[i]! * r * r;
      g[i] = a[i]! * r;
    }
    return f;
  };
  const r = minimizeLbfgs(quad, new Float64Array(n), { maxIter: 2000, gtol: 1e-9, ftol: 0 });
  assert.equal(r.stop, 'gtol');
  assert.ok(r.converged);
  for (let i = 0; i < n; i++) assert.ok(Math.abs(r.x[i]! - c[i]!) <= 1e-9 / a[i]!, `x[${i}]`);
});

test('stops at maxIter without claiming convergence; f never increases', () => {
  const fs: number[] = [];
  const r = minimizeLbfgs(rosenbrock, new Float64Array([-1.2, 1]), { maxIter: 3, onIteration: (_, f) => fs.push(f) });
  assert.equal(r.nIter, 3);
  assert.equal(r.stop, 'maxIter');
  assert.equal(r.converged, false);
  assert.equal(fs.length, 3);
  let prev = 24.2; // f(−1.2, 1)
  for (const f of fs) {
    assert.ok(f <= prev, 'strong Wolfe steps decrease f');
    prev = f;
  }
});

test('a start at the minimum needs no iteration; a non-finite start is refused', () => {
  const r = minimizeLbfgs(rosenbrock, new Float64Array([1, 1]));
  assert.equal(r.nIter, 0);
  assert.equal(r.nEval, 1);
  assert.ok(r.converged);
  assert.throws(() => minimizeLbfgs(() => NaN, new Float64Array(2)), /not finite/);
});

test('a function unbounded along the first direction still terminates (line search budget)', () => {
  // f = −x is unbounded below: the line search keeps extending and must give up, not loop
  const r = minimizeLbfgs((x, g) => {
    g[0] = -1;
    return -x[0]!;
  }, new Float64Array(1), { maxIter: 5, maxLineSearch: 10 });
  assert.ok(r.nEval <= 1 + 5 * 10);
  assert.equal(r.converged, false);
});
