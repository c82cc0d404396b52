/** Precision, recall and F1 of one class (one-vs-rest), with its support (number of true rows). */
export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
  /** One-vs-rest ROC-AUC of this class's probability column; null when the class is absent from (or is all of) the true labels. */
  rocAuc: number | null;
}

/** An average of per-class precision / recall / F1 (macro: unweighted; weighted: by support). */
export interface AveragedMetrics {
  precision: number;
  recall: number;
  f1: number;
}

/** Points of a ROC curve (scikit-learn's `roc_curve`): fpr/tpr rise with falling threshold. */
export interface RocCurve {
  fpr: Float64Array;
  tpr: Float64Array;
  /** Decision thresholds (score ≥ threshold → positive); the first one is max score + 1, as in scikit-learn 1.2. */
  thresholds: Float64Array;
}

/** Points of a precision–recall curve (scikit-learn's `precision_recall_curve`): recall falls along the arrays. */
export interface PrCurve {
  precision: Float64Array;
  recall: Float64Array;
  /** One fewer than the points: the last point (precision 1, recall 0) has no threshold. */
  thresholds: Float64Array;
}

/** A curve as plain arrays, at most ~200 points, for charts and JSON. */
export interface CurvePoints {
  x: number[];
  y: number[];
  /** Threshold of each point (null for a point without one, e.g. the end of a PR curve). */
  threshold: Array<number | null>;
}

/**
 * The evaluation contract (`nadir train --json`, `nadir evaluate --json`).
 * Binary task: class index 1 (attack) is the positive class; `precision`, `recall`, `f1`,
 * `accuracy` and `confusionMatrix` are taken at `threshold` (positive when P(attack) ≥ threshold),
 * `rocAuc` / `prAuc` from P(attack).
 * Multi-class: predictions are the argmax of the probabilities; `precision`, `recall`, `f1`
 * are macro averages, `rocAuc` / `prAuc` one-vs-rest macro averages.
 * A metric that is undefined on the data (e.g. ROC-AUC with one class present) is null.
 */
export interface Metrics {
  task: 'binary' | 'multiclass';
  /** Number of rows evaluated. */
  n: number;
  classes: string[];
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  rocAuc: number | null;
  /** Average precision (scikit-learn's step-wise area under the PR curve). */
  prAuc: number | null;
  /** null for a score that is not a probability (an anomaly score). */
  logLoss: number | null;
  /** k × k counts, rows = true class, columns = predicted class, in the order of `classes`. */
  confusionMatrix: number[][];
  /** True rows per class, in the order of `classes`. */
  support: number[];
  perClass: Record<string, ClassMetrics>;
  macro: AveragedMetrics;
  weighted: AveragedMetrics;
  /** Binary only: the decision threshold on P(positive) used for the thresholded metrics. */
  threshold?: number;
  /** Binary only: the name of the positive class. */
  positive?: string;
  /** Binary only: false-positive rate (FP / true negatives) at `threshold`; null when there are no negative rows. */
  fpr?: number | null;
  /** Binary only: true-positive rate (recall of the positive class) at `threshold`; null when there are no positive rows. */
  tpr?: number | null;
  /** Binary only, when asked for: downsampled ROC (x = FPR, y = TPR) and PR (x = recall, y = precision) curves. */
  curves?: { roc: CurvePoints; pr: CurvePoints };
}
