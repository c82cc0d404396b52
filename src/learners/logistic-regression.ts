/**
 * L2-regularised logistic regression, binary (logistic) and multinomial (softmax), fitted with
 * L-BFGS (Nocedal & Wright, Algorithms 7.4/7.5; see lbfgs.ts).
 *
 * Objective, as in scikit-learn's `LogisticRegression(penalty='l2', C=…)` up to a constant
 * factor 1/(C·S) that does not move the minimiser:
 *
 *   f(W, b) = (1/S) Σ_i s_i ℓ(y_i, W x_i + b) + ‖W‖² / (2·C·S),     S = Σ_i s_i
 *
 * with ℓ the negative log-likelihood, s_i the sample weights (1 by default) and the intercept
 * b not penalised. `C` is the inverse regularisation strength (sklearn's C; smaller = stronger);
 * the equivalent "alpha" of a mean-loss formulation is 1/(C·S). Because f is a *mean*, `tol`
 * (a bound on max |∇f|) does not depend on the number of rows.
 *
 * Binary targets (2 classes) learn one coefficient row (log-odds of classes[1]); three or more
 * classes learn one row per class (full softmax, as sklearn's multinomial solver).
 */
import { nadirError } from '../errors.js';
import type { Matrix } from '../features/types.js';
import { minimizeLbfgs } from './lbfgs.js';
import { dot4, logisticObjective } from './logistic-loss.js';
import { ClassifierEstimator } from './estimator.js';
import type { Classifier, FitOptions, LinearModel, SerializedModel } from './types.js';
import { checkFitInput, checkPredictInput, readBool, readNumber, readSaved, readTyped } from './validate.js';
import { CLASSIFIER_TRAITS, resolveParams, type LearnerSpec } from './spec.js';

export interface LogisticRegressionOptions {
  /** Inverse L2 regularisation strength, > 0 (default 1, as sklearn). */
  C?: number;
  /** Learn an (unpenalised) intercept (default true). */
  fitIntercept?: boolean;
  /** Maximum L-BFGS iterations (default 200). */
  maxIter?: number;
  /** Stop when max |∇f| ≤ tol on the mean objective above (default 1e-4). */
  tol?: number;
}

interface Resolved {
  C: number;
  fitIntercept: boolean;
  maxIter: number;
  tol: number;
}

interface Fitted {
  classes: readonly string[];
  nFeatures: number;
  /** nOut × nFeatures, row-major; nOut = 1 for binary. */
  coef: Float64Array;
  /** nOut values. */
  intercept: Float64Array;
  nIter: number;
  converged: boolean;
}

const TYPE = 'logreg';
const VERSION = 1;
const WHO = 'LogisticRegression';

/** Everything nadir knows about this learner (see spec.ts); the options below are checked from it. */
export const LOGREG_SPEC: LearnerSpec = {
  type: TYPE,
  name: 'logistic regression',
  description: 'L2-regularised logistic regression (binary or multinomial), L-BFGS',
  ...CLASSIFIER_TRAITS,
  explainer: 'linear',
  importance: 'none',
  preprocessing: { encoding: 'onehot', scale: true, log1p: 'auto' },
  params: [
    { name: 'C', type: 'number', gt: 0, hint: 'smaller = stronger regularisation', default: 1, help: 'inverse L2 regularisation strength' },
    { name: 'fitIntercept', type: 'boolean', default: true, help: 'learn an (unpenalised) intercept' },
    { name: 'maxIter', type: 'integer', min: 1, default: 200, help: 'maximum L-BFGS iterations' },
    { name: 'tol', type: 'number', gt: 0, default: 1e-4, help: 'stop when the largest gradient component is at most this' },
  ],
};

function resolve(o: LogisticRegressionOptions): Resolved {
  const p = resolveParams(WHO, LOGREG_SPEC.params, o);
  return { C: p.C as number, fitIntercept: p.fitIntercept as boolean, maxIter: p.maxIter as number, tol: p.tol as number };
}

export class LogisticRegression extends ClassifierEstimator<LogisticRegressionOptions, Fitted> implements Classifier, LinearModel {
  readonly type = TYPE;
  protected readonly who = WHO;

  /** Coefficients, nOut × nFeatures row-major (nOut = 1 for binary, else one row per class). */
  get coef(): Float64Array {
    return this.state().coef;
  }

  /** Intercepts, one per coefficient row. */
  get intercept(): Float64Array {
    return this.state().intercept;
  }

  get nFeatures(): number {
    return this.state().nFeatures;
  }

  /** L-BFGS iterations used by the last fit. */
  get nIter(): number {
    return this.state().nIter;
  }

  /** Whether the last fit met `tol` (or stalled at the optimum) before `maxIter`. */
  get converged(): boolean {
    return this.state().converged;
  }

  async fit(X: Matrix, y: Int32Array, opts: FitOptions = {}): Promise<this> {
    const o = resolve(this.options);
    const { nRows: n, nCols: d, classes } = checkFitInput(WHO, X, y, opts, { finite: true });
    const k = classes.length;
    const nOut = k === 2 ? 1 : k;
    const w = opts.sampleWeight;
    const params = new Float64Array(nOut * (d + 1)); // [W (nOut × d) | b (nOut)]
    if (o.fitIntercept) startAtPriors(params.subarray(nOut * d), y, w, k);
    const obj = logisticObjective({ data: X.data, y, w, n, d, nOut, C: o.C, fitIntercept: o.fitIntercept });
    const res = minimizeLbfgs(obj, params, {
      maxIter: o.maxIter,
      gtol: o.tol,
      onIteration: opts.onProgress ? (it) => opts.onProgress!(it, o.maxIter) : undefined,
    });
    this.fitted = {
      classes,
      nFeatures: d,
      coef: params.slice(0, nOut * d),
      intercept: params.slice(nOut * d),
      nIter: res.nIter,
      converged: res.converged,
    };
    opts.onProgress?.(o.maxIter, o.maxIter);
    return this;
  }

  /** Raw margins: nRows values for binary (log-odds of classes[1]), else nRows × nClasses row-major. */
  decisionFunction(X: Matrix): Float64Array {
    const f = this.state();
    checkPredictInput(WHO, X, f.nFeatures);
    const d = f.nFeatures;
    const nOut = f.intercept.length;
    const out = new Float64Array(X.nRows * nOut);
    const n = X.nRows;
    const z = new Float64Array(4);
    // 4 rows at a time through the same kernel as fitting; the last block repeats row n−1
    for (let i = 0; i < n; i += 4) {
      const o0 = i * d;
      const o1 = Math.min(i + 1, n - 1) * d;
      const o2 = Math.min(i + 2, n - 1) * d;
      const o3 = Math.min(i + 3, n - 1) * d;
      for (let c = 0; c < nOut; c++) {
        dot4(f.coef, c * d, X.data, o0, o1, o2, o3, d, z, 0);
        for (let r = 0; r < 4 && i + r < n; r++) out[(i + r) * nOut + c] = z[r]! + f.intercept[c]!;
      }
    }
    // a non-finite input makes its margin non-finite: check the outputs instead of every input
    // value (one pass fewer), then let the full check name the row and column
    for (let i = 0; i < out.length; i++) {
      if (!Number.isFinite(out[i]!)) {
        checkPredictInput(WHO, X, d, { finite: true });
        throw nadirError('NADIR_ERR_BAD_INPUT', `${WHO}: margin of row ${Math.floor(i / nOut)} overflows`);
      }
    }
    return out;
  }

  predictProba(X: Matrix): Float64Array {
    const z = this.decisionFunction(X);
    const k = this.state().classes.length;
    const n = X.nRows;
    const out = new Float64Array(n * k);
    if (k === 2) {
      for (let i = 0; i < n; i++) {
        const p = sigmoid(z[i]!);
        out[2 * i] = 1 - p;
        out[2 * i + 1] = p;
      }
      return out;
    }
    for (let i = 0; i < n; i++) {
      const o = i * k;
      let mx = -Infinity;
      for (let c = 0; c < k; c++) if (z[o + c]! > mx) mx = z[o + c]!;
      let s = 0;
      for (let c = 0; c < k; c++) {
        const e = Math.exp(z[o + c]! - mx);
        out[o + c] = e;
        s += e;
      }
      for (let c = 0; c < k; c++) out[o + c]! /= s;
    }
    return out;
  }

  toJSON(): SerializedModel {
    const f = this.state();
    return this.saved(VERSION, {
      coef: f.coef.slice(),
      intercept: f.intercept.slice(),
      nIter: f.nIter,
      converged: f.converged,
    });
  }

  /** Restore a model saved with `toJSON` (after `decodeTyped` when it went through JSON text). */
  static fromJSON(obj: unknown, source = 'model'): LogisticRegression {
    const { options, fitted: fd, classes, nFeatures } = readSaved(obj, { type: TYPE, version: VERSION }, source, resolve);
    const nOut = classes.length === 2 ? 1 : classes.length;
    const coef = readTyped(fd, 'coef', Float64Array, nOut * nFeatures, source).slice();
    const intercept = readTyped(fd, 'intercept', Float64Array, nOut, source).slice();
    for (const a of [coef, intercept]) {
      if (!a.every(Number.isFinite)) throw restoreError(source, 'coefficients must be finite');
    }
    const m = new LogisticRegression(options);
    m.fitted = {
      classes,
      nFeatures,
      coef,
      intercept,
      nIter: readNumber(fd, 'nIter', { integer: true, min: 0 }, source),
      converged: readBool(fd, 'converged', source),
    };
    return m;
  }
}

function restoreError(source: string, why: string): Error {
  return nadirError('NADIR_ERR_MODEL_CORRUPT', source, why);
}

/**
 * Start the intercepts at the (smoothed) log class priors — the optimum when W = 0 — which saves
 * L-BFGS the first iterations of finding the base rate.
 */
function startAtPriors(b: Float64Array, y: Int32Array, w: Float32Array | undefined, k: number): void {
  const cnt = new Float64Array(k).fill(0.5);
  for (let i = 0; i < y.length; i++) cnt[y[i]!] += w ? w[i]! : 1;
  if (k === 2) {
    b[0] = Math.log(cnt[1]! / cnt[0]!);
    return;
  }
  let mean = 0;
  for (let c = 0; c < k; c++) mean += Math.log(cnt[c]!) / k;
  for (let c = 0; c < k; c++) b[c] = Math.log(cnt[c]!) - mean;
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

