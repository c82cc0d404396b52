/**
 * Decision-threshold calibration for the binary task, from out-of-fold scores of the
 * positive class on TRAINING data only (never the test set). The rule everywhere is
 * "positive when score ≥ threshold"; candidate thresholds are the observed scores (the
 * thresholds of scikit-learn's roc_curve), so the reported rates are exactly those the
 * calibration data gives.
 */
import { nadirError } from '../errors.js';
import { ratesAtThreshold, ratesFromCounts, type Rates } from './rates.js';
import { binaryClfCurve } from './roc.js';
import type { Labels } from './validate.js';

export type ThresholdMethod = 'fixed' | 'max-fpr' | 'f1';

export type ThresholdSpec =
  | { method: 'fixed'; threshold?: number }
  | { method: 'max-fpr'; maxFpr: number }
  | { method: 'f1' };

/** The chosen threshold and what it gives on the calibration data. */
export interface ThresholdChoice {
  method: ThresholdMethod;
  threshold: number;
  /** The target FPR (method 'max-fpr'). */
  maxFpr?: number;
  /** Rates at `threshold` on the calibration scores. */
  rates: Rates;
}

export const DEFAULT_THRESHOLD = 0.5;

/**
 * Pick the decision threshold on P(positive):
 * - 'fixed': the given threshold (default 0.5);
 * - 'max-fpr': the lowest observed score t whose FPR on the negative (normal) rows,
 *   #{negative ≥ t} / #negative, is ≤ maxFpr — the one with the highest recall under the FPR
 *   target. When even the highest score breaks the target, the threshold is just above it
 *   (nothing is flagged);
 * - 'f1': the observed score maximising the positive class's F1 (lowest such score on ties).
 */
export function calibrateThreshold(yTrue: Labels, scores: ArrayLike<number>, spec: ThresholdSpec, positive = 1): ThresholdChoice {
  if (spec.method === 'fixed') {
    const t = spec.threshold ?? DEFAULT_THRESHOLD;
    if (!Number.isFinite(t)) throw nadirError('NADIR_ERR_BAD_OPTION', 'threshold', `must be a finite number, got ${t}`);
    return { method: 'fixed', threshold: t, rates: ratesAtThreshold(yTrue, scores, t, positive) };
  }
  const c = binaryClfCurve(yTrue, scores, positive);
  const m = c.fps.length;
  const nNeg = m > 0 ? c.fps[m - 1]! : 0;
  const nPos = m > 0 ? c.tps[m - 1]! : 0;

  if (spec.method === 'max-fpr') {
    const maxFpr = spec.maxFpr;
    if (!(maxFpr >= 0 && maxFpr <= 1)) throw nadirError('NADIR_ERR_BAD_OPTION', 'max-fpr', `must be between 0 and 1, got ${maxFpr}`);
    if (nNeg === 0) throw nadirError('NADIR_ERR_BAD_INPUT', 'threshold calibration to a false-positive rate needs negative (normal) rows');
    // fps rise as the threshold falls: the last index still within the target has the lowest threshold.
    let best = -1;
    for (let i = 0; i < m; i++) {
      if (c.fps[i]! / nNeg <= maxFpr) best = i;
      else break;
    }
    if (best < 0) {
      const t = nextUp(c.thresholds[0]!);
      return { method: 'max-fpr', threshold: t, maxFpr, rates: ratesFromCounts(0, 0, nNeg, nPos) };
    }
    const tp = c.tps[best]!;
    const fp = c.fps[best]!;
    return { method: 'max-fpr', threshold: c.thresholds[best]!, maxFpr, rates: ratesFromCounts(tp, fp, nNeg - fp, nPos - tp) };
  }

  if (spec.method === 'f1') {
    if (nPos === 0) throw nadirError('NADIR_ERR_BAD_INPUT', 'threshold calibration for F1 needs positive (attack) rows');
    let best = 0;
    let bestF1 = -1;
    for (let i = 0; i < m; i++) {
      const f = ratesFromCounts(c.tps[i]!, c.fps[i]!, 0, nPos - c.tps[i]!).f1;
      if (f >= bestF1) {
        bestF1 = f;
        best = i;
      }
    }
    const tp = c.tps[best]!;
    const fp = c.fps[best]!;
    return { method: 'f1', threshold: c.thresholds[best]!, rates: ratesFromCounts(tp, fp, nNeg - fp, nPos - tp) };
  }
  throw nadirError('NADIR_ERR_BAD_OPTION', 'threshold', `unknown method ${(spec as { method: string }).method}`);
}

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** The smallest double greater than x (x finite). */
export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  f64[0] = x;
  i64[0] = x > 0 ? i64[0]! + 1n : i64[0]! - 1n;
  return f64[0]!;
}
