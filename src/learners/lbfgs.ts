/**
 * Limited-memory BFGS for smooth unconstrained minimisation.
 *
 * Nocedal & Wright, "Numerical Optimization", 2nd ed. (2006):
 *  - Algorithm 7.4 (two-loop recursion for H_k ∇f_k) and 7.5 (L-BFGS), with the initial
 *    Hessian approximation H_k^0 = γ_k I, γ_k = sᵀy / yᵀy (eq. 7.20);
 *  - Algorithm 3.5 (line search for the strong Wolfe conditions, c1 = 1e-4, c2 = 0.9) and
 *    Algorithm 3.6 (zoom), with the safeguarded cubic interpolation of eq. 3.59.
 * A curvature pair is stored only when sᵀy > ε·yᵀy, which keeps H_k positive definite.
 *
 * All vectors are Float64Array; the objective writes its gradient into a caller-owned buffer,
 * so an iteration allocates nothing.
 */

/** Evaluate f at x and write ∇f(x) into grad; return f(x). */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  /** Maximum number of iterations (default 100). */
  maxIter?: number;
  /** Number of stored curvature pairs m (default 10). */
  memory?: number;
  /** Stop when max_i |∇f_i| ≤ gtol (default 1e-5). */
  gtol?: number;
  /** Stop when (f_prev − f) ≤ ftol · max(|f_prev|, |f|, 1) (default 1e-12). */
  ftol?: number;
  /** Maximum function evaluations per line search (default 25). */
  maxLineSearch?: number;
  /** Called after each iteration with (iteration, f). */
  onIteration?: (iter: number, f: number) => void;
}

export type LbfgsStop = 'gtol' | 'ftol' | 'maxIter' | 'lineSearch';

export interface LbfgsResult {
  /** The minimiser found (the same array as x0, updated in place). */
  x: Float64Array;
  f: number;
  /** max_i |∇f_i| at x. */
  gradMax: number;
  nIter: number;
  nEval: number;
  /** Why it stopped. 'gtol' and 'ftol' count as converged. */
  stop: LbfgsStop;
  converged: boolean;
}

const C1 = 1e-4;
const C2 = 0.9;

/** Minimise `fun` from `x0` (updated in place). */
export function minimizeLbfgs(fun: Objective, x0: Float64Array, opts: LbfgsOptions = {}): LbfgsResult {
  const n = x0.length;
  const maxIter = opts.maxIter ?? 100;
  const m = Math.max(1, opts.memory ?? 10);
  const gtol = opts.gtol ?? 1e-5;
  const ftol = opts.ftol ?? 1e-12;
  const maxLs = opts.maxLineSearch ?? 25;

  const x = x0;
  const g = new Float64Array(n);
  const d = new Float64Array(n);
  const xt = new Float64Array(n); // trial point of the line search
  const gt = new Float64Array(n);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho = new Float64Array(m);
  const alphaBuf = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    S.push(new Float64Array(n));
    Y.push(new Float64Array(n));
  }
  let stored = 0; // number of valid pairs
  let head = 0; // index of the next slot to overwrite (ring buffer)

  let nEval = 1;
  let f = fun(x, g);
  let gmax = maxAbs(g);
  if (!Number.isFinite(f)) throw new RangeError('lbfgs: objective is not finite at the starting point');
  if (gmax <= gtol) return { x, f, gradMax: gmax, nIter: 0, nEval, stop: 'gtol', converged: true };

  let iter = 0;
  let stop: LbfgsStop = 'maxIter';
  while (iter < maxIter) {
    // ---- search direction d = −H g (Algorithm 7.4, two-loop recursion)
    for (let i = 0; i < n; i++) d[i] = -g[i]!;
    for (let c = 0; c < stored; c++) {
      const k = (head - 1 - c + m) % m;
      const a = rho[k]! * dot(S[k]!, d);
      alphaBuf[k] = a;
      axpy(-a, Y[k]!, d);
    }
    if (stored > 0) {
      const k = (head - 1 + m) % m;
      const yk = Y[k]!;
      const gamma = 1 / (rho[k]! * dot(yk, yk)); // sᵀy / yᵀy
      for (let i = 0; i < n; i++) d[i] *= gamma;
    }
    for (let c = stored - 1; c >= 0; c--) {
      const k = (head - 1 - c + m) % m;
      const b = rho[k]! * dot(Y[k]!, d);
      axpy(alphaBuf[k]! - b, S[k]!, d);
    }
    let dphi0 = dot(g, d);
    if (!(dphi0 < 0)) {
      // not a descent direction (numerical trouble): restart from steepest descent
      stored = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      dphi0 = dot(g, d);
    }

    // ---- line search (Algorithms 3.5 + 3.6); first step scaled so that ‖αd‖ is modest
    const alpha0 = stored === 0 ? Math.min(1, 1 / Math.sqrt(dot(d, d))) : 1;
    const ls = lineSearch(fun, x, f, d, dphi0, alpha0, xt, gt, maxLs);
    nEval += ls.nEval;
    if (!ls.ok) {
      stop = 'lineSearch';
      break;
    }
    // ---- accept the step; store the curvature pair s = x⁺ − x, y = g⁺ − g
    const s = S[head]!;
    const yv = Y[head]!;
    for (let i = 0; i < n; i++) {
      s[i] = xt[i]! - x[i]!;
      yv[i] = gt[i]! - g[i]!;
    }
    const sy = dot(s, yv);
    const yy = dot(yv, yv);
    if (sy > 1e-10 * yy) {
      rho[head] = 1 / sy;
      head = (head + 1) % m;
      if (stored < m) stored++;
    }
    const fPrev = f;
    x.set(xt);
    g.set(gt);
    f = ls.f;
    gmax = maxAbs(g);
    iter++;
    opts.onIteration?.(iter, f);
    if (gmax <= gtol) {
      stop = 'gtol';
      break;
    }
    if (fPrev - f <= ftol * Math.max(Math.abs(fPrev), Math.abs(f), 1)) {
      stop = 'ftol';
      break;
    }
  }
  return { x, f, gradMax: gmax, nIter: iter, nEval, stop, converged: stop === 'gtol' || stop === 'ftol' };
}

interface LineSearchResult {
  ok: boolean;
  f: number;
  nEval: number;
}

/**
 * Find α satisfying the strong Wolfe conditions along d from x. On success the accepted point
 * and its gradient are in xt / gt (every accepting return happens right after evaluating it).
 */
function lineSearch(
  fun: Objective,
  x: Float64Array,
  f0: number,
  d: Float64Array,
  dphi0: number,
  alphaInit: number,
  xt: Float64Array,
  gt: Float64Array,
  maxEval: number,
): LineSearchResult {
  const n = x.length;
  let nEval = 0;
  const evalAt = (a: number): [number, number] => {
    for (let i = 0; i < n; i++) xt[i] = x[i]! + a * d[i]!;
    nEval++;
    const fa = fun(xt, gt);
    return [fa, dot(gt, d)];
  };

  let aPrev = 0;
  let fPrev = f0;
  let dPrev = dphi0;
  let a = alphaInit;
  const aMax = 1e10;
  for (let i = 0; nEval < maxEval; i++) {
    const [fa, da] = evalAt(a);
    if (!Number.isFinite(fa) || fa > f0 + C1 * a * dphi0 || (i > 0 && fa >= fPrev)) {
      return zoom(aPrev, fPrev, dPrev, a, fa, da);
    }
    if (Math.abs(da) <= -C2 * dphi0) return { ok: true, f: fa, nEval };
    if (da >= 0) return zoom(a, fa, da, aPrev, fPrev, dPrev);
    aPrev = a;
    fPrev = fa;
    dPrev = da;
    a = Math.min(2 * a, aMax);
  }
  return { ok: false, f: f0, nEval };

  function zoom(lo: number, fLo: number, dLo: number, hi: number, fHi: number, dHi: number): LineSearchResult {
    while (nEval < maxEval) {
      let aj = cubicMin(lo, fLo, dLo, hi, Number.isFinite(fHi) ? fHi : NaN, dHi);
      const lower = Math.min(lo, hi);
      const width = Math.abs(hi - lo);
      if (!(aj > lower + 0.1 * width && aj < lower + 0.9 * width)) aj = 0.5 * (lo + hi);
      const [fj, dj] = evalAt(aj);
      if (!Number.isFinite(fj) || fj > f0 + C1 * aj * dphi0 || fj >= fLo) {
        hi = aj;
        fHi = fj;
        dHi = dj;
      } else {
        if (Math.abs(dj) <= -C2 * dphi0) return { ok: true, f: fj, nEval };
        if (dj * (hi - lo) >= 0) {
          hi = lo;
          fHi = fLo;
          dHi = dLo;
        }
        lo = aj;
        fLo = fj;
        dLo = dj;
      }
      if (Math.abs(hi - lo) < 1e-14 * Math.max(1, Math.abs(lo))) break;
    }
    // Wolfe not met within budget: accept the best point seen if it decreased f (sufficient decrease holds)
    if (lo > 0 && fLo < f0) {
      const [fl] = evalAt(lo);
      return { ok: true, f: fl, nEval };
    }
    return { ok: false, f: f0, nEval };
  }
}

/** Minimiser of the cubic interpolating φ, φ' at a and b (Nocedal & Wright eq. 3.59); NaN if none. */
function cubicMin(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - 3 * ((fa - fb) / (a - b));
  const disc = d1 * d1 - da * db;
  if (!(disc >= 0)) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - (b - a) * ((db + d2 - d1) / (db - da + 2 * d2));
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function axpy(alpha: number, xv: Float64Array, yv: Float64Array): void {
  for (let i = 0; i < xv.length; i++) yv[i] += alpha * xv[i]!;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]!);
    if (v > m) m = v;
  }
  return m;
}
