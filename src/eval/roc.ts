/**
 * ROC curve and ROC-AUC with scikit-learn 1.2's definitions (sklearn.metrics._ranking:
 * `_binary_clf_curve`, `roc_curve`, `roc_auc_score`): one curve point per distinct score
 * (tied scores move together, which is how ties are handled), area by the trapezoid rule.
 */
import type { RocCurve } from './types.js';
import { checkProba, checkScores, column, type Labels } from './validate.js';

/** Cumulative counts at each distinct score, highest score first (sklearn's `_binary_clf_curve`). */
export interface ClfCurve {
  /** Negatives with score ≥ thresholds[i]. */
  fps: Float64Array;
  /** Positives with score ≥ thresholds[i]. */
  tps: Float64Array;
  /** The distinct scores, descending. */
  thresholds: Float64Array;
}

/** Row indices ordered by descending score. */
function descendingOrder(scores: ArrayLike<number>): Uint32Array {
  const order = new Uint32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  // compare rather than subtract: Infinity − Infinity would be NaN
  order.sort((a, b) => {
    const x = scores[a]!;
    const y = scores[b]!;
    return x > y ? -1 : x < y ? 1 : 0;
  });
  return order;
}

/** True/false positive counts at every distinct score, positive rows being those with `yTrue[i] === positive`. */
export function binaryClfCurve(yTrue: Labels, scores: ArrayLike<number>, positive = 1): ClfCurve {
  checkScores(yTrue, scores, 'binaryClfCurve');
  const n = scores.length;
  const order = descendingOrder(scores);
  const fps = new Float64Array(n);
  const tps = new Float64Array(n);
  const thr = new Float64Array(n);
  let tp = 0;
  let fp = 0;
  let m = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (yTrue[i] === positive) tp++;
    else fp++;
    const s = scores[i]!;
    if (k === n - 1 || scores[order[k + 1]!] !== s) {
      tps[m] = tp;
      fps[m] = fp;
      thr[m] = s;
      m++;
    }
  }
  return { fps: fps.slice(0, m), tps: tps.slice(0, m), thresholds: thr.slice(0, m) };
}

/**
 * sklearn's `roc_curve(y_true, y_score, drop_intermediate=True)`: points (fpr, tpr) from (0, 0)
 * up to (1, 1); collinear intermediate points dropped unless `dropIntermediate` is false.
 * fpr (tpr) is NaN throughout when there are no negative (positive) rows.
 */
export function rocCurve(yTrue: Labels, scores: ArrayLike<number>, positive = 1, dropIntermediate = true): RocCurve {
  const c = binaryClfCurve(yTrue, scores, positive);
  const m = c.fps.length;
  let keep: number[];
  if (dropIntermediate && m > 2) {
    keep = [0];
    for (let i = 1; i < m - 1; i++) {
      const d2f = c.fps[i + 1]! - c.fps[i]! - (c.fps[i]! - c.fps[i - 1]!);
      const d2t = c.tps[i + 1]! - c.tps[i]! - (c.tps[i]! - c.tps[i - 1]!);
      if (d2f !== 0 || d2t !== 0) keep.push(i);
    }
    keep.push(m - 1);
  } else {
    keep = Array.from({ length: m }, (_, i) => i);
  }
  const len = keep.length + 1;
  const fpr = new Float64Array(len);
  const tpr = new Float64Array(len);
  const thresholds = new Float64Array(len);
  const nNeg = m > 0 ? c.fps[m - 1]! : 0;
  const nPos = m > 0 ? c.tps[m - 1]! : 0;
  thresholds[0] = m > 0 ? c.thresholds[0]! + 1 : 1;
  for (let k = 0; k < keep.length; k++) {
    const i = keep[k]!;
    fpr[k + 1] = nNeg > 0 ? c.fps[i]! / nNeg : NaN;
    tpr[k + 1] = nPos > 0 ? c.tps[i]! / nPos : NaN;
    thresholds[k + 1] = c.thresholds[i]!;
  }
  if (nNeg <= 0) fpr[0] = NaN;
  if (nPos <= 0) tpr[0] = NaN;
  return { fpr, tpr, thresholds };
}

/**
 * Binary ROC-AUC (sklearn's `roc_auc_score`): trapezoid area under the ROC curve over the
 * distinct thresholds. Computed on integer counts, Σ Δfp·(tp + tp_prev) / (2·P·N), so it is
 * exact up to the final division. null when only one class is present (sklearn raises).
 */
export function rocAuc(yTrue: Labels, scores: ArrayLike<number>, positive = 1): number | null {
  const c = binaryClfCurve(yTrue, scores, positive);
  return aucFromCounts(c);
}

function aucFromCounts(c: ClfCurve): number | null {
  const m = c.fps.length;
  if (m === 0) return null;
  const nNeg = c.fps[m - 1]!;
  const nPos = c.tps[m - 1]!;
  if (nNeg === 0 || nPos === 0) return null;
  let area2 = 0;
  let fpPrev = 0;
  let tpPrev = 0;
  for (let i = 0; i < m; i++) {
    const fp = c.fps[i]!;
    const tp = c.tps[i]!;
    area2 += (fp - fpPrev) * (tp + tpPrev);
    fpPrev = fp;
    tpPrev = tp;
  }
  return area2 / (2 * nPos * nNeg);
}

/** Per-class and macro one-vs-rest ROC-AUC. */
export interface OvrAuc {
  /** AUC of class c's probability column for "class c vs the rest"; null when class c is absent or is every row. */
  perClass: Array<number | null>;
  /** Unweighted mean over the classes with a defined AUC; null when none has one. */
  macro: number | null;
}

/**
 * Multi-class one-vs-rest ROC-AUC from a row-major nRows × nClasses probability matrix
 * (sklearn's `roc_auc_score(y, proba, multi_class='ovr', average='macro')`). Where
 * scikit-learn raises because a class is absent from yTrue, this leaves that class out of
 * the macro average and reports it as null.
 */
export function rocAucOvr(yTrue: Labels, proba: ArrayLike<number>, nClasses: number): OvrAuc {
  checkProba(yTrue, proba, nClasses, 'rocAucOvr');
  const col = new Float64Array(yTrue.length);
  const perClass: Array<number | null> = [];
  let sum = 0;
  let n = 0;
  for (let c = 0; c < nClasses; c++) {
    column(proba, nClasses, c, col);
    const a = rocAuc(yTrue, col, c);
    perClass.push(a);
    if (a !== null) {
      sum += a;
      n++;
    }
  }
  return { perClass, macro: n > 0 ? sum / n : null };
}
