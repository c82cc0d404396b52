/**
 * One call that evaluates a classifier's probabilities against the truth and returns the
 * `Metrics` contract (see types.ts). Every number follows scikit-learn 1.2's definition of
 * the metric of the same name.
 */
import { nadirError } from '../errors.js';
import { accuracy, confusionMatrix, precisionRecallF1 } from './classification.js';
import { downsampleCurve } from './curve-points.js';
import { logLoss } from './log-loss.js';
import { averagePrecision, averagePrecisionOvr, precisionRecallCurve } from './pr.js';
import { applyThreshold, ratesAtThreshold } from './rates.js';
import { rocAucOvr, rocCurve } from './roc.js';
import type { ClassMetrics, Metrics } from './types.js';
import { argmaxRows, checkLabels, checkProba, column, type Labels } from './validate.js';

export interface MetricsOptions {
  /** Binary task: positive when P(positive) ≥ threshold (default 0.5). Ignored for multi-class. */
  threshold?: number;
  /** Binary task: index of the positive class (default 1 = attack). */
  positive?: number;
  /** Binary task: include downsampled ROC and PR curves (default false). */
  curves?: boolean;
  /** Maximum points per downsampled curve (default 200). */
  maxCurvePoints?: number;
}

/**
 * Evaluate row-major nRows × classes.length probabilities `proba` against class indices
 * `yTrue`. Two classes → the binary task (thresholded on the positive column); more → the
 * multi-class task (argmax prediction, macro averages).
 */
export function computeMetrics(yTrue: Labels, proba: ArrayLike<number>, classes: readonly string[], opts: MetricsOptions = {}): Metrics {
  const k = classes.length;
  checkProba(yTrue, proba, k, 'computeMetrics');
  checkLabels(yTrue, k, 'computeMetrics');
  const n = yTrue.length;
  if (n === 0) throw nadirError('NADIR_ERR_BAD_INPUT', 'computeMetrics: no rows to evaluate');

  const binary = k === 2;
  const positive = opts.positive ?? 1;
  const threshold = opts.threshold ?? 0.5;
  if (binary && positive !== 0 && positive !== 1) {
    throw nadirError('NADIR_ERR_BAD_OPTION', 'positive', `must be 0 or 1 for a binary task, got ${positive}`);
  }
  if (binary && !Number.isFinite(threshold)) {
    throw nadirError('NADIR_ERR_BAD_OPTION', 'threshold', `must be a finite number, got ${threshold}`);
  }

  const score = binary ? column(proba, k, positive) : null;
  const yPred = score ? applyThreshold(score, threshold, positive) : argmaxRows(proba, k);

  const prf = precisionRecallF1(yTrue, yPred, k);
  const auc = rocAucOvr(yTrue, proba, k);
  const cm = confusionMatrix(yTrue, yPred, k);

  const perClass: Record<string, ClassMetrics> = {};
  for (let c = 0; c < k; c++) {
    perClass[classes[c]!] = {
      precision: prf.precision[c]!,
      recall: prf.recall[c]!,
      f1: prf.f1[c]!,
      support: prf.support[c]!,
      rocAuc: auc.perClass[c]!,
    };
  }

  const m: Metrics = {
    task: binary ? 'binary' : 'multiclass',
    n,
    classes: [...classes],
    accuracy: accuracy(yTrue, yPred),
    precision: binary ? prf.precision[positive]! : prf.macro.precision,
    recall: binary ? prf.recall[positive]! : prf.macro.recall,
    f1: binary ? prf.f1[positive]! : prf.macro.f1,
    rocAuc: binary ? auc.perClass[positive]! : auc.macro,
    prAuc: binary ? averagePrecision(yTrue, score!, positive) : averagePrecisionOvr(yTrue, proba, k).macro,
    logLoss: logLoss(yTrue, proba, k),
    confusionMatrix: cm,
    support: Array.from(prf.support),
    perClass,
    macro: prf.macro,
    weighted: prf.weighted,
  };

  if (score) {
    const rates = ratesAtThreshold(yTrue, score, threshold, positive);
    m.threshold = threshold;
    m.positive = classes[positive]!;
    m.fpr = rates.fpr;
    m.tpr = rates.tpr;
    if (opts.curves) {
      const maxPoints = opts.maxCurvePoints ?? 200;
      const roc = rocCurve(yTrue, score, positive);
      const pr = precisionRecallCurve(yTrue, score, positive);
      m.curves = {
        roc: downsampleCurve(roc.fpr, roc.tpr, roc.thresholds, maxPoints),
        pr: downsampleCurve(pr.recall, pr.precision, pr.thresholds, maxPoints),
      };
    }
  }
  return m;
}
