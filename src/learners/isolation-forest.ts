/**
 * Isolation forest (Liu, Ting & Zhou, "Isolation Forest", ICDM 2008).
 *
 * Each tree is grown on a subsample of ψ rows (drawn without replacement) by choosing a random
 * feature and a split drawn uniformly between that feature's minimum and maximum in the node,
 * until a node holds one row or the height limit ⌈log2 ψ⌉ is reached. Anomalies are isolated
 * closer to the root. A row's score is
 *
 *   s(x, ψ) = 2^(−E[h(x)] / c(ψ)),   c(n) = 2 H(n−1) − 2(n−1)/n,  H(i) ≈ ln i + 0.5772156649
 *
 * where h(x) is the path length to the leaf plus c(size of the leaf) for the rows the height
 * limit left unseparated (the paper's Algorithm 3), and c(2) = 1, c(≤1) = 0 exactly.
 * s is in (0, 1]: close to 1 = anomalous, ≤ 0.5 = normal-looking.
 *
 * Like scikit-learn's ExtraTree-based implementation, a node draws features in random order
 * until it finds one that is not constant in the node (a node where every feature is constant is
 * a leaf). Split rule: go left when x[feature] ≤ threshold.
 *
 * As a Classifier its classes are ['normal', 'anomaly'] with predictProba = [1 − s, s]; it is
 * unsupervised — `fit` ignores labels, except that `trainLabel` restricts training to the rows
 * of one class (e.g. normal traffic only).
 *
 * All trees live in one set of flat typed arrays; node i is a leaf when feature[i] = −1, its
 * children are left[i] and left[i] + 1, and value[i] is the threshold (internal nodes) or the
 * leaf's depth + c(size) (leaves).
 */
import { nadirError } from '../errors.js';
import type { Matrix } from '../features/types.js';
import { Random } from '../util/random.js';
import type { Classifier, FitOptions, SerializedModel } from './types.js';
import {
  argmaxRows,
  checkLabels,
  checkMatrix,
  checkPredictInput,
  checkSerialized,
  readNumber,
  readStrings,
  readTyped,
  requireFitted,
  restoreOptions,
} from './validate.js';
import { resolveParams, SEED_PARAM, type LearnerSpec } from './spec.js';

export interface IsolationForestOptions {
  /** Number of trees (default 100). `nTrees` is accepted as an alias, as in the random forest. */
  nEstimators?: number;
  nTrees?: number;
  /** Subsample size ψ per tree, an integer ≥ 2, capped at the number of rows (default 256). */
  maxSamples?: number;
  /** Fraction of the features each tree may split on, in (0, 1] (default 1). */
  maxFeatures?: number;
  /** Seed of the random generator (default 0). */
  seed?: number;
  /** When `fit` receives labels: train only on rows with this class index (default: all rows). */
  trainLabel?: number;
  /**
   * Accepted for the learners' common interface and validated, but growing is single-threaded:
   * 100 trees of 256 rows take milliseconds, less than starting a worker.
   */
  nThreads?: number;
}

interface Resolved {
  nTrees: number;
  maxSamples: number;
  maxFeatures: number;
  seed: number;
  trainLabel: number | undefined;
  nThreads: number;
}

interface Fitted {
  classes: readonly string[];
  nFeatures: number;
  /** Subsample size actually used: the score's normaliser is c(psi). */
  psi: number;
  /** Root node index of each tree, plus the total node count at the end. */
  treeOffset: Uint32Array;
  feature: Int32Array;
  /** Threshold (internal nodes) or depth + c(size) (leaves). */
  value: Float64Array;
  /** Left child (absolute node index); the right child is left + 1; −1 for leaves. */
  left: Int32Array;
}

const TYPE = 'iforest';
const VERSION = 1;
const WHO = 'IsolationForest';
const DEFAULT_CLASSES = ['normal', 'anomaly'] as const;
const EULER_GAMMA = 0.5772156649015329;

/** Everything nadir knows about this learner (see spec.ts); the options below are checked from it. */
export const IFOREST_SPEC: LearnerSpec = {
  type: TYPE,
  name: 'isolation forest',
  description: 'isolation forest (Liu, Ting & Zhou 2008): unsupervised anomaly score, classes normal/anomaly',
  kind: 'anomaly-detector',
  score: 'anomaly-score',
  explainer: 'none',
  importance: 'none',
  supportsWeights: false,
  targets: ['binary'],
  preprocessing: { encoding: 'onehot' },
  params: [
    { name: 'nEstimators', aliases: ['nTrees'], type: 'integer', min: 1, default: 100, help: 'trees' },
    { name: 'maxSamples', type: 'integer', min: 2, default: 256, help: 'subsample size ψ per tree (capped at the number of rows)' },
    { name: 'maxFeatures', type: 'number', gt: 0, max: 1, default: 1, help: 'fraction of the features each tree may split on' },
    SEED_PARAM,
    { name: 'trainLabel', type: 'integer', min: 0, help: 'train only on the rows of this class index' },
    { name: 'nThreads', type: 'integer', min: 1, default: 1, help: 'accepted for the common interface; growing is single-threaded (milliseconds)' },
  ],
};

function resolve(o: IsolationForestOptions): Resolved {
  const p = resolveParams(WHO, IFOREST_SPEC.params, o);
  return {
    nTrees: p.nEstimators as number,
    maxSamples: p.maxSamples as number,
    maxFeatures: p.maxFeatures as number,
    seed: p.seed as number,
    trainLabel: p.trainLabel as number | undefined,
    nThreads: p.nThreads as number,
  };
}

/** Average path length of an unsuccessful BST search among n points, c(n) (Liu et al. 2008, eq. 1). */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

export class IsolationForest implements Classifier {
  readonly type = TYPE;
  readonly options: Readonly<IsolationForestOptions>;
  private fitted: Fitted | undefined;

  constructor(options: IsolationForestOptions = {}) {
    this.options = { ...options };
  }

  get classes(): readonly string[] {
    return this.fitted?.classes ?? [];
  }

  get nTrees(): number {
    return this.state().treeOffset.length - 1;
  }

  get nFeatures(): number {
    return this.state().nFeatures;
  }

  /**
   * Fit on the rows of X. Labels are optional and only used to pick rows when `trainLabel` is
   * set; when given they are checked like any learner's. `opts.classes` may rename the two
   * output classes; sample weights are not supported.
   */
  async fit(X: Matrix, y?: Int32Array, opts: FitOptions = {}): Promise<this> {
    const o = resolve(this.options);
    checkMatrix(WHO, X);
    let classes: readonly string[] = DEFAULT_CLASSES;
    if (opts.classes !== undefined) {
      if (!Array.isArray(opts.classes) || opts.classes.length !== 2 || opts.classes[0] === opts.classes[1]) {
        throw badInput(`classes must be two distinct names (normal, anomaly), got ${JSON.stringify(opts.classes)}`);
      }
      classes = [...opts.classes];
    }
    if (y !== undefined) checkLabels(WHO, y, X.nRows, opts.classes === undefined ? undefined : 2);
    if (opts.sampleWeight !== undefined) throw badInput('sample weights are not supported');
    checkMatrix(WHO, X, { finite: true });

    let rows: Uint32Array;
    if (o.trainLabel !== undefined) {
      if (y === undefined) throw badInput('option trainLabel needs labels y');
      let cnt = 0;
      for (let i = 0; i < y.length; i++) if (y[i] === o.trainLabel) cnt++;
      rows = new Uint32Array(cnt);
      for (let i = 0, k = 0; i < y.length; i++) if (y[i] === o.trainLabel) rows[k++] = i;
    } else {
      rows = new Uint32Array(X.nRows);
      for (let i = 0; i < rows.length; i++) rows[i] = i;
    }
    if (rows.length < 2) throw badInput(`needs at least 2 training rows, got ${rows.length}`);

    this.fitted = { classes, ...grow(X, rows, o, opts.onProgress) };
    return this;
  }

  /** Anomaly score s(x, ψ) per row, in (0, 1]; higher = more anomalous. */
  score(X: Matrix): Float64Array {
    const f = this.state();
    checkPredictInput(WHO, X, f.nFeatures, { finite: true });
    const { treeOffset, feature, value, left } = f;
    const nTrees = treeOffset.length - 1;
    const d = f.nFeatures;
    const data = X.data;
    const norm = 1 / (nTrees * averagePathLength(f.psi));
    const out = new Float64Array(X.nRows);
    // every tree for one row while the row is in cache; the walk is the hot loop
    for (let i = 0; i < X.nRows; i++) {
      const off = i * d;
      let h = 0;
      for (let t = 0; t < nTrees; t++) {
        let node = treeOffset[t]!;
        let ft = feature[node]!;
        while (ft >= 0) {
          node = data[off + ft]! <= value[node]! ? left[node]! : left[node]! + 1;
          ft = feature[node]!;
        }
        h += value[node]!;
      }
      out[i] = Math.pow(2, -h * norm);
    }
    return out;
  }

  predictProba(X: Matrix): Float64Array {
    const s = this.score(X);
    const out = new Float64Array(2 * s.length);
    for (let i = 0; i < s.length; i++) {
      out[2 * i] = 1 - s[i]!;
      out[2 * i + 1] = s[i]!;
    }
    return out;
  }

  /** 1 (anomaly) when s > 0.5, else 0. */
  predict(X: Matrix): Int32Array {
    return argmaxRows(this.predictProba(X), 2);
  }

  toJSON(): SerializedModel {
    const f = this.state();
    return {
      type: TYPE,
      version: VERSION,
      options: { ...this.options },
      fitted: {
        classes: [...f.classes],
        nFeatures: f.nFeatures,
        psi: f.psi,
        treeOffset: f.treeOffset.slice(),
        feature: f.feature.slice(),
        value: f.value.slice(),
        left: f.left.slice(),
      },
    };
  }

  /** Restore a model saved with `toJSON`; the tree structure is checked so that scoring cannot loop or read out of bounds. */
  static fromJSON(obj: unknown, source = 'model'): IsolationForest {
    const s = checkSerialized(obj, TYPE, VERSION, source);
    const options = s.options as IsolationForestOptions;
    restoreOptions(source, () => resolve(options));
    const fd = s.fitted;
    const classes = readStrings(fd, 'classes', 2, source);
    if (classes.length !== 2) throw corrupt(source, 'an isolation forest has exactly 2 classes');
    const nFeatures = readNumber(fd, 'nFeatures', { integer: true, min: 1 }, source);
    const psi = readNumber(fd, 'psi', { integer: true, min: 2 }, source);
    const treeOffset = readTyped(fd, 'treeOffset', Uint32Array, undefined, source).slice();
    const nNodes = treeOffset[treeOffset.length - 1] ?? 0;
    const feature = readTyped(fd, 'feature', Int32Array, nNodes, source).slice();
    const value = readTyped(fd, 'value', Float64Array, nNodes, source).slice();
    const left = readTyped(fd, 'left', Int32Array, nNodes, source).slice();
    checkTrees(source, treeOffset, feature, value, left, nFeatures);
    const m = new IsolationForest(options);
    m.fitted = { classes, nFeatures, psi, treeOffset, feature, value, left };
    return m;
  }

  private state(): Fitted {
    return requireFitted(WHO, this.fitted);
  }
}

/** Grow all trees (Liu et al. 2008, Algorithms 1 and 2) into flat arrays. */
function grow(X: Matrix, rows: Uint32Array, o: Resolved, onProgress?: (done: number, total: number) => void): Omit<Fitted, 'classes'> {
  const d = X.nCols;
  const data = X.data;
  const psi = Math.min(o.maxSamples, rows.length);
  const heightLimit = Math.ceil(Math.log2(psi));
  const nTrees = o.nTrees;
  const nFeat = Math.max(1, Math.floor(o.maxFeatures * d));
  const maxNodes = 2 * psi - 1;

  const feature = new Int32Array(nTrees * maxNodes);
  const value = new Float64Array(nTrees * maxNodes);
  const left = new Int32Array(nTrees * maxNodes);
  const treeOffset = new Uint32Array(nTrees + 1);

  const rng = new Random(o.seed);
  const pool = rows.slice(); // partial Fisher–Yates over this pool draws each tree's subsample
  const sample = new Uint32Array(psi);
  const feats = new Int32Array(d);
  for (let j = 0; j < d; j++) feats[j] = j;
  const treeFeats = new Int32Array(nFeat);
  const cand = new Int32Array(nFeat);
  // explicit stack of nodes to split: [node, start, end, depth]
  const stack = new Int32Array(4 * (heightLimit + 2) * 2);

  let next = 0;
  for (let t = 0; t < nTrees; t++) {
    const r = rng.fork(t);
    for (let k = 0; k < psi; k++) {
      const j = k + r.int(pool.length - k);
      const tmp = pool[k]!;
      pool[k] = pool[j]!;
      pool[j] = tmp;
      sample[k] = pool[k]!;
    }
    if (nFeat < d) {
      for (let k = 0; k < nFeat; k++) {
        const j = k + r.int(d - k);
        const tmp = feats[k]!;
        feats[k] = feats[j]!;
        feats[j] = tmp;
        treeFeats[k] = feats[k]!;
      }
    } else {
      treeFeats.set(feats);
    }

    treeOffset[t] = next;
    let sp = 0;
    const root = next++;
    stack[sp++] = root;
    stack[sp++] = 0;
    stack[sp++] = psi;
    stack[sp++] = 0;
    while (sp > 0) {
      const depth = stack[--sp]!;
      const end = stack[--sp]!;
      const start = stack[--sp]!;
      const node = stack[--sp]!;
      const size = end - start;
      let split = -1;
      let lo = 0;
      let hi = 0;
      if (size > 1 && depth < heightLimit) {
        // features in random order until one is not constant in this node
        cand.set(treeFeats);
        for (let m = nFeat; m > 0 && split < 0; m--) {
          const pick = r.int(m);
          const f = cand[pick]!;
          cand[pick] = cand[m - 1]!;
          lo = Infinity;
          hi = -Infinity;
          for (let k = start; k < end; k++) {
            const v = data[sample[k]! * d + f]!;
            if (v < lo) lo = v;
            if (v > hi) hi = v;
          }
          if (hi > lo) split = f;
        }
      }
      if (split < 0) {
        feature[node] = -1;
        left[node] = -1;
        value[node] = depth + averagePathLength(size);
        continue;
      }
      let thr = lo + r.next() * (hi - lo);
      if (thr >= hi) thr = lo; // rounding: keep both sides non-empty
      // partition sample[start, end) so that rows with x ≤ thr come first
      let a = start;
      let b = end - 1;
      while (a <= b) {
        if (data[sample[a]! * d + split]! <= thr) a++;
        else {
          const tmp = sample[a]!;
          sample[a] = sample[b]!;
          sample[b] = tmp;
          b--;
        }
      }
      const l = next;
      next += 2;
      feature[node] = split;
      value[node] = thr;
      left[node] = l;
      stack[sp++] = l + 1;
      stack[sp++] = a;
      stack[sp++] = end;
      stack[sp++] = depth + 1;
      stack[sp++] = l;
      stack[sp++] = start;
      stack[sp++] = a;
      stack[sp++] = depth + 1;
    }
    onProgress?.(t + 1, nTrees);
  }
  treeOffset[nTrees] = next;
  return {
    nFeatures: d,
    psi,
    treeOffset,
    feature: feature.slice(0, next),
    value: value.slice(0, next),
    left: left.slice(0, next),
  };
}

/**
 * Each tree's nodes lie in [treeOffset[t], treeOffset[t+1]), children point forward inside their
 * own tree, features are in range and values finite — so a walk always ends at a leaf.
 */
function checkTrees(
  source: string,
  treeOffset: Uint32Array,
  feature: Int32Array,
  value: Float64Array,
  left: Int32Array,
  nFeatures: number,
): void {
  if (treeOffset.length < 2 || treeOffset[0] !== 0) throw corrupt(source, 'fitted.treeOffset must start at 0 and list at least one tree');
  for (let t = 0; t + 1 < treeOffset.length; t++) {
    const a = treeOffset[t]!;
    const b = treeOffset[t + 1]!;
    if (!(b > a)) throw corrupt(source, `tree ${t} has no nodes`);
    for (let i = a; i < b; i++) {
      if (!Number.isFinite(value[i]!)) throw corrupt(source, `tree ${t} node ${i - a}: value is not finite`);
      const f = feature[i]!;
      if (f === -1) continue;
      const l = left[i]!;
      if (f < 0 || f >= nFeatures) throw corrupt(source, `tree ${t} node ${i - a}: feature ${f} out of range`);
      if (!(l > i && l + 1 < b)) throw corrupt(source, `tree ${t} node ${i - a}: child index out of range`);
    }
  }
}

function badInput(why: string): Error {
  return nadirError('NADIR_ERR_BAD_INPUT', `${WHO}: ${why}`);
}

function corrupt(source: string, why: string): Error {
  return nadirError('NADIR_ERR_MODEL_CORRUPT', source, why);
}
