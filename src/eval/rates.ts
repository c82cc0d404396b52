import { nadirError } from '../errors.js';
import type { Labels } from './validate.js';

/** Binary decision rule used everywhere in nadir: positive when score ≥ threshold (as scikit-learn's roc_curve). */
export function applyThreshold(scores: ArrayLike<number>, threshold: number, positive = 1, negative = 1 - positive): Int32Array {
  const out = new Int32Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = scores[i]! >= threshold ? positive : negative;
  return out;
}

/** Confusion counts and rates of "score ≥ threshold → positive". */
export interface Rates {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  /** FP / (FP + TN); null without negative rows. */
  fpr: number | null;
  /** TP / (TP + FN) (recall); null without positive rows. */
  tpr: number | null;
  /** TP / (TP + FP); 0 when nothing is predicted positive (zero_division=0). */
  precision: number;
  /** F1 of the positive class (0 when precision + recall = 0). */
  f1: number;
}

/** False/true-positive rates and counts at `threshold`, positive rows being those with `yTrue[i] === positive`. */
export function ratesAtThreshold(yTrue: Labels, scores: ArrayLike<number>, threshold: number, positive = 1): Rates {
  if (yTrue.length !== scores.length) {
    throw nadirError('NADIR_ERR_BAD_INPUT', `ratesAtThreshold: ${yTrue.length} labels but ${scores.length} scores`);
  }
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < scores.length; i++) {
    const pos = yTrue[i] === positive;
    if (scores[i]! >= threshold) {
      if (pos) tp++;
      else fp++;
    } else if (pos) fn++;
    else tn++;
  }
  return ratesFromCounts(tp, fp, tn, fn);
}

export function ratesFromCounts(tp: number, fp: number, tn: number, fn: number): Rates {
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const d = precision + recall;
  return {
    tp,
    fp,
    tn,
    fn,
    fpr: fp + tn > 0 ? fp / (fp + tn) : null,
    tpr: tp + fn > 0 ? tp / (tp + fn) : null,
    precision,
    f1: (2 * precision * recall) / (d === 0 ? 1 : d),
  };
}
