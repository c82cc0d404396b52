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
