/**
 * Precision–recall curve and average precision with scikit-learn 1.2's definitions
 * (`precision_recall_curve`, `average_precision_score`): AP = Σ_n (R_n − R_{n−1})·P_n over
 * the distinct thresholds, the step-wise (not interpolated) area under the PR curve.
 */
import type { PrCurve } from './types.js';
import { binaryClfCurve } from './roc.js';
import { checkProba, column, type Labels } from './validate.js';

/**
 * sklearn's `precision_recall_curve`: one point per distinct score, ordered by increasing
 * threshold (recall falling), then the end point (precision 1, recall 0). With no positive
 * rows recall is 1 at every threshold, as in scikit-learn.
 */
export function precisionRecallCurve(yTrue: Labels, scores: ArrayLike<number>, positive = 1): PrCurve {
  const c = binaryClfCurve(yTrue, scores, positive);
  const m = c.fps.length;
  const nPos = m > 0 ? c.tps[m - 1]! : 0;
  const precision = new Float64Array(m + 1);
  const recall = new Float64Array(m + 1);
  const thresholds = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const k = m - 1 - i;
    const ps = c.tps[i]! + c.fps[i]!;
    precision[k] = ps !== 0 ? c.tps[i]! / ps : 0;
    recall[k] = nPos === 0 ? 1 : c.tps[i]! / nPos;
    thresholds[k] = c.thresholds[i]!;
  }
  precision[m] = 1;
  recall[m] = 0;
  return { precision, recall, thresholds };
}

/**
 * Average precision of binary scores (sklearn's `average_precision_score`). With no positive
 * rows it is 0, as in scikit-learn (which warns).
 */
export function averagePrecision(yTrue: Labels, scores: ArrayLike<number>, positive = 1): number {
  const c = binaryClfCurve(yTrue, scores, positive);
  const m = c.fps.length;
  if (m === 0) return NaN;
  const nPos = c.tps[m - 1]!;
  let ap = 0;
  let rPrev = 0;
  for (let i = 0; i < m; i++) {
    const r = nPos === 0 ? 1 : c.tps[i]! / nPos;
    ap += (r - rPrev) * (c.tps[i]! / (c.tps[i]! + c.fps[i]!));
    rPrev = r;
  }
  return ap;
}

/** Per-class and macro one-vs-rest average precision. */
export interface OvrAveragePrecision {
  perClass: number[];
  macro: number;
}

/**
 * One-vs-rest average precision over a row-major nRows × nClasses probability matrix, as
 * sklearn's `average_precision_score(label_binarize(y, classes=range(k)), proba, average='macro')`
 * — a class absent from yTrue counts as 0 in the macro mean, as in scikit-learn.
 */
export function averagePrecisionOvr(yTrue: Labels, proba: ArrayLike<number>, nClasses: number): OvrAveragePrecision {
  checkProba(yTrue, proba, nClasses, 'averagePrecisionOvr');
  const col = new Float64Array(yTrue.length);
  const perClass: number[] = [];
  let sum = 0;
  for (let c = 0; c < nClasses; c++) {
    const ap = averagePrecision(yTrue, column(proba, nClasses, c, col), c);
    perClass.push(ap);
    sum += ap;
  }
  return { perClass, macro: sum / nClasses };
}
