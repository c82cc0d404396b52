import type { Matrix } from '../features/types.js';
import type { TreeEnsemble } from '../tree/types.js';

/**
 * The estimator contract every nadir learner follows (scikit-learn's API design):
 * - the constructor stores options exactly as given; `fit` validates them and builds its
 *   own random generator from `seed`;
 * - learned state lives in `fitted`, checked by one guard; no reference to training data;
 * - `classes` fixes the column order of `predictProba`;
 * - loading is a static `fromJSON`, never a constructor flag.
 *
 * `fit` is async because training may fan out to worker threads.
 */
export interface FitOptions {
  /** Class names for label indices 0..k-1 (default: '0', '1', …). */
  classes?: readonly string[];
  /** Optional per-row weights. */
  sampleWeight?: Float32Array;
  /** Validation set for early stopping (boosting). */
  evalSet?: { X: Matrix; y: Int32Array };
  /** Progress callback: `done` out of `total` units (trees, rounds, iterations). */
  onProgress?: (done: number, total: number) => void;
}

export interface Classifier {
  /** Registry name: 'gbdt' | 'rf' | 'logreg' | 'iforest' | … */
  readonly type: string;
  readonly classes: readonly string[];
  fit(X: Matrix, y: Int32Array, opts?: FitOptions): Promise<this>;
  /** Row-major probabilities, nRows × classes.length, each row sums to 1. */
  predictProba(X: Matrix): Float64Array;
  /** argmax of predictProba. */
  predict(X: Matrix): Int32Array;
  /** Plain object (may contain typed arrays; see util/typed-json) that `fromJSON` restores. */
  toJSON(): SerializedModel;
}

/**
 * The anomaly-detector contract beside the classifier one (scikit-learn's OutlierMixin): it learns
 * what normal looks like — labels, when given, only select training rows (e.g. the isolation
 * forest's trainLabel) — and scores how unlike it a row is. It has no class probabilities: a
 * decision policy (model/decision.ts) turns its score into a verdict with a threshold.
 */
export interface AnomalyDetector {
  readonly type: string;
  /** The names of its two outcomes (normal, anomalous), as given at fit (default normal/anomaly). */
  readonly classes: readonly string[];
  fit(X: Matrix, y?: Int32Array, opts?: FitOptions): Promise<this>;
  /** Anomaly score per row: higher = more anomalous (the isolation forest's s(x) in (0, 1]). */
  scoreSamples(X: Matrix): Float64Array;
  toJSON(): SerializedModel;
}

/** Any learner: a classifier or an anomaly detector (its spec's `kind` says which). */
export type Learner = Classifier | AnomalyDetector;

export function isAnomalyDetector(l: Learner): l is AnomalyDetector {
  return typeof (l as AnomalyDetector).scoreSamples === 'function' && typeof (l as Classifier).predictProba !== 'function';
}

/**
 * Scores as an nRows × classes matrix, the form metrics and decisions read: a classifier's
 * probabilities, or for an anomaly detector [1 − s, s] (column 1 is the anomaly score; the
 * columns are not probabilities unless s is one).
 */
export function classScores(l: Learner, X: Matrix): Float64Array {
  if (!isAnomalyDetector(l)) return l.predictProba(X);
  const s = l.scoreSamples(X);
  const out = new Float64Array(2 * s.length);
  for (let i = 0; i < s.length; i++) {
    out[2 * i] = 1 - s[i]!;
    out[2 * i + 1] = s[i]!;
  }
  return out;
}

export interface SerializedModel {
  type: string;
  /** Layout version of this learner's serialised form. */
  version: number;
  options: Record<string, unknown>;
  fitted: Record<string, unknown>;
}

/** Learners made of trees expose their ensemble for explanations and importance. */
export interface TreeModel {
  ensemble(): TreeEnsemble;
}

/** Linear learners expose their coefficients (nOut × nFeatures, row-major) and intercepts for exact explanations. */
export interface LinearModel {
  readonly coef: Float64Array;
  readonly intercept: Float64Array;
}
