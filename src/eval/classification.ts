/**
 * Label-based classification metrics with scikit-learn's definitions (sklearn.metrics
 * 1.2: accuracy_score, confusion_matrix, precision_recall_fscore_support with
 * zero_division=0).
 */
import { nadirError } from '../errors.js';
import type { AveragedMetrics } from './types.js';
import { checkLabels, type Labels } from './validate.js';

/** k × k counts, rows = true class, columns = predicted class (sklearn's `confusion_matrix` with labels = 0..k-1). */
export function confusionMatrix(yTrue: Labels, yPred: Labels, nClasses: number): number[][] {
  checkPair(yTrue, yPred, nClasses, 'confusionMatrix');
  const flat = new Float64Array(nClasses * nClasses);
  for (let i = 0; i < yTrue.length; i++) flat[yTrue[i]! * nClasses + yPred[i]!]! += 1;
  const out: number[][] = [];
  for (let r = 0; r < nClasses; r++) out.push(Array.from(flat.subarray(r * nClasses, (r + 1) * nClasses)));
  return out;
}

/** Fraction of rows where the prediction equals the truth; NaN for no rows. */
export function accuracy(yTrue: Labels, yPred: Labels): number {
  if (yTrue.length !== yPred.length) {
    throw nadirError('NADIR_ERR_BAD_INPUT', `accuracy: ${yTrue.length} labels but ${yPred.length} predictions`);
  }
  let ok = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) ok++;
  return ok / yTrue.length;
}

export interface PrecisionRecallF1 {
  /** Per class index 0..k-1 (one-vs-rest); 0 where undefined (zero_division=0). */
  precision: Float64Array;
  recall: Float64Array;
  f1: Float64Array;
  /** True rows per class. */
  support: Float64Array;
  /** Rows predicted as each class. */
  predicted: Float64Array;
  /** Class indices the averages run over. */
  labels: Int32Array;
  macro: AveragedMetrics;
  weighted: AveragedMetrics;
}

/**
 * Per-class precision, recall and F1 plus their macro and support-weighted averages, as
 * sklearn's `precision_recall_fscore_support(..., zero_division=0)`. The averages run over
 * `labels` — by default, like scikit-learn, the classes present in `yTrue` or `yPred`.
 */
export function precisionRecallF1(yTrue: Labels, yPred: Labels, nClasses: number, labels?: ArrayLike<number>): PrecisionRecallF1 {
  checkPair(yTrue, yPred, nClasses, 'precisionRecallF1');
  const tp = new Float64Array(nClasses);
  const support = new Float64Array(nClasses);
  const predicted = new Float64Array(nClasses);
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i]!;
    const p = yPred[i]!;
    support[t]! += 1;
    predicted[p]! += 1;
    if (t === p) tp[t]! += 1;
  }
  const precision = new Float64Array(nClasses);
  const recall = new Float64Array(nClasses);
  const f1 = new Float64Array(nClasses);
  for (let c = 0; c < nClasses; c++) {
    const p = predicted[c]! > 0 ? tp[c]! / predicted[c]! : 0;
    const r = support[c]! > 0 ? tp[c]! / support[c]! : 0;
    precision[c] = p;
    recall[c] = r;
    // sklearn: f = (1 + β²)·p·r / (β²·p + r), with a zero denominator replaced by 1.
    const denom = p + r;
    f1[c] = (2 * p * r) / (denom === 0 ? 1 : denom);
  }
  let labs: Int32Array;
  if (labels) {
    labs = Int32Array.from(labels);
    checkLabels(labs, nClasses, 'precisionRecallF1 labels');
  } else {
    const present: number[] = [];
    for (let c = 0; c < nClasses; c++) if (support[c]! > 0 || predicted[c]! > 0) present.push(c);
    labs = Int32Array.from(present);
  }
  return {
    precision,
    recall,
    f1,
    support,
    predicted,
    labels: labs,
    macro: average(labs, precision, recall, f1, null),
    weighted: average(labs, precision, recall, f1, support),
  };
}

/** np.average over `labels`, weighted by `weights` when given (sklearn's 'weighted' average, zero_division=0). */
function average(
  labels: Int32Array,
  precision: Float64Array,
  recall: Float64Array,
  f1: Float64Array,
  weights: Float64Array | null,
): AveragedMetrics {
  let wSum = 0;
  let p = 0;
  let r = 0;
  let f = 0;
  for (const c of labels) {
    const w = weights ? weights[c]! : 1;
    wSum += w;
    p += w * precision[c]!;
    r += w * recall[c]!;
    f += w * f1[c]!;
  }
  if (wSum === 0) {
    // sklearn's 'weighted' with no true rows among the labels: all zero_division (0);
    // 'macro' over no labels is undefined (numpy gives NaN).
    if (weights) return { precision: 0, recall: 0, f1: 0 };
    return { precision: NaN, recall: NaN, f1: NaN };
  }
  return { precision: p / wSum, recall: r / wSum, f1: f / wSum };
}

function checkPair(yTrue: Labels, yPred: Labels, nClasses: number, what: string): void {
  if (yTrue.length !== yPred.length) {
    throw nadirError('NADIR_ERR_BAD_INPUT', `${what}: ${yTrue.length} labels but ${yPred.length} predictions`);
  }
  checkLabels(yTrue, nClasses, `${what} yTrue`);
  checkLabels(yPred, nClasses, `${what} yPred`);
}
