import type { Matrix } from '../features/types.js';

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

/**
 * A flat decision tree: parallel typed arrays, node 0 = root.
 * A node is a leaf when `feature[i] === -1`. Split rule: go left when
 * `x[feature] <= threshold`; missing (NaN) goes left when `defaultLeft[i] === 1`.
 */
export interface FlatTree {
  readonly nNodes: number;
  readonly feature: Int32Array;
  readonly threshold: Float32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly defaultLeft: Uint8Array;
  /** nNodes × nOutputs node values (leaves: the output; internal nodes: cover-weighted mean). */
  readonly value: Float64Array;
  /** Training weight reaching each node (hessian sum for boosting, sample count for forests). */
  readonly cover: Float64Array;
  /** Split gain per node (0 for leaves) — for gain importance. */
  readonly gain: Float64Array;
  readonly nOutputs: number;
}

/**
 * A tree ensemble as TreeSHAP and importance see it. Raw output per output index o:
 *   raw[o] = baseScore[o] + scale × Σ_t (tree t's leaf value for o)
 * where a tree with treeOutput[t] = c adds only to output c (boosting, multi-class),
 * and treeOutput[t] = -1 means its leaves hold a vector for all outputs (forests).
 * `link` maps raw outputs to probabilities.
 */
export interface TreeEnsemble {
  readonly trees: readonly FlatTree[];
  readonly treeOutput: Int32Array;
  readonly nOutputs: number;
  readonly baseScore: Float64Array;
  readonly scale: number;
  /** 'logit': binary, one output = log-odds of class 1; 'softmax': one output per class; 'identity': outputs are probabilities. */
  readonly link: 'logit' | 'softmax' | 'identity';
  readonly nFeatures: number;
}

/** Learners made of trees expose their ensemble for explanations and importance. */
export interface TreeModel {
  ensemble(): TreeEnsemble;
}
