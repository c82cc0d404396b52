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
 * An AnomalyDetector (types.ts): `scoreSamples` gives s, there are no class probabilities; its
 * two outcome names are ['normal', 'anomaly'] unless fit is given others. It is unsupervised —
 * `fit` ignores labels, except that `trainLabel` restricts training to the rows of one class
 * (e.g. normal traffic only).
 *
 * The trees are FlatTrees grown by the tree engine (tree/isolation-tree.ts: cover = rows
 * reaching a node, a leaf's value = its depth + c(size)) and scored by its EnsemblePredictor:
 * raw(x) = Σ_t (leaf value of x in tree t), summed over trees 0..n−1, and
 * s = 2^(−raw / (nTrees·c(ψ))). They are saved in the flat-tree layout of gbdt and rf (layout
 * version 2). Version 1 files — all trees in one set of arrays treeOffset/feature/value/left,
 * children at left and left + 1, value = threshold (internal nodes, float64) or depth + c(size)
 * (leaves) — are converted to the same FlatTrees on read (treesFromV1) and score bit-identically.
 */
import { nadirError } from '../errors.js';
import type { Matrix } from '../features/types.js';
import { packTrees, unpackTrees } from '../tree/ensemble-io.js';
import { f32AtMost, TreeBuilder, validateFlatTree } from '../tree/flat-tree.js';
import { averagePathLength, IsolationTreeGrower } from '../tree/isolation-tree.js';
import { EnsemblePredictor } from '../tree/predictor.js';
import type { FlatTree } from '../tree/types.js';
import { Random } from '../util/random.js';
import { Estimator } from './estimator.js';
import type { AnomalyDetector, FitOptions, SerializedModel, TreeModel } from './types.js';
import type { TreeEnsemble } from '../tree/types.js';
import { checkLabels, checkMatrix, checkPredictInput, readNumber, readSaved, readTyped } from './validate.js';
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
  /** The isolation trees (tree/isolation-tree.ts). */
  trees: FlatTree[];
  /** Sums the trees' leaf values (see scoreSamples). */
  predictor: EnsemblePredictor;
}

const TYPE = 'iforest';
/** Layout of the saved form: 2 = flat trees (packTrees); 1 = the earlier own layout, still read. */
const VERSION = 2;
const WHO = 'IsolationForest';
const DEFAULT_CLASSES = ['normal', 'anomaly'] as const;

/** Everything nadir knows about this learner (see spec.ts); the options below are checked from it. */
export const IFOREST_SPEC: LearnerSpec = {
  type: TYPE,
  name: 'isolation forest',
  description: 'isolation forest (Liu, Ting & Zhou 2008): unsupervised anomaly score, classes normal/anomaly',
  kind: 'anomaly-detector',
  score: 'anomaly-score',
  scoreText: { name: 'anomaly score s(x)', note: "the isolation forest's anomaly score (Liu et al. 2008): in (0, 1), higher = more anomalous; not a probability" },
  // TreeSHAP on the expected path length (see ensemble())
  explainer: 'tree-shap',
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

/** c(n), the average path length of an unsuccessful BST search among n points (Liu et al. 2008, eq. 1); defined in the tree engine. */
export { averagePathLength };

export class IsolationForest extends Estimator<IsolationForestOptions, Fitted> implements AnomalyDetector, TreeModel {
  readonly type = TYPE;
  protected readonly who = WHO;

  get nTrees(): number {
    return this.state().trees.length;
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

    this.fitted = withPredictor({ classes, ...grow(X, rows, o, opts.onProgress) });
    return this;
  }

  /**
   * Anomaly score s(x, ψ) per row, in (0, 1]; higher = more anomalous (the paper's s; the name
   * is scikit-learn's OutlierMixin score_samples, whose sign is the opposite).
   */
  scoreSamples(X: Matrix): Float64Array {
    const f = this.state();
    checkPredictInput(WHO, X, f.nFeatures, { finite: true });
    // raw = Σ_t h_t(x), trees summed in order 0..n−1 (EnsemblePredictor, baseScore 0, scale 1)
    const out = f.predictor.raw(X.data, X.nRows, X.nCols);
    const norm = 1 / (f.trees.length * averagePathLength(f.psi));
    for (let i = 0; i < out.length; i++) out[i] = Math.pow(2, -out[i]! * norm);
    return out;
  }

  /**
   * The trees as an ensemble whose raw output is −E[h(x)], minus the mean path length over the
   * trees (higher = shorter paths = more anomalous; s(x) = 2^(raw / c(ψ)) is increasing in it). TreeSHAP on it
   * is what the shap library does for scikit-learn's IsolationForest — Shapley values of the
   * expected path length, with the node covers (training rows reaching a node) as the background
   * — with the sign turned so that a positive contribution pushes towards "anomalous".
   */
  ensemble(): TreeEnsemble {
    const f = this.state();
    return { trees: f.trees, treeOutput: new Int32Array(f.trees.length), nOutputs: 1, baseScore: new Float64Array(1), scale: -1 / f.trees.length, link: 'none', nFeatures: f.nFeatures };
  }

  toJSON(): SerializedModel {
    const f = this.state();
    return this.saved(VERSION, {
      psi: f.psi,
      nTrees: f.trees.length,
      trees: packTrees(f.trees, 1),
    });
  }

  /**
   * Restore a model saved with `toJSON`, in this layout or in layout version 1 (converted on
   * read); the tree structure is checked so that scoring cannot loop or read out of bounds.
   */
  static fromJSON(obj: unknown, source = 'model'): IsolationForest {
    const { version, options, fitted: fd, classes, nFeatures } = readSaved(obj, { type: TYPE, version: VERSION, oldest: 1 }, source, resolve, (classes) => {
      if (classes.length !== 2) throw corrupt(source, 'an isolation forest has exactly 2 classes');
    });
    const psi = readNumber(fd, 'psi', { integer: true, min: 2 }, source);
    const trees =
      version === 1
        ? treesFromV1(fd, nFeatures, psi, source)
        : unpackTrees(fd.trees, readNumber(fd, 'nTrees', { integer: true, min: 1 }, source), nFeatures, 1, source);
    const m = new IsolationForest(options);
    m.fitted = withPredictor({ classes, nFeatures, psi, trees });
    return m;
  }
}

/** The fitted state with its predictor: raw = Σ_t leaf value, one output, no base score, no link. */
function withPredictor(f: Omit<Fitted, 'predictor'>): Fitted {
  const predictor = new EnsemblePredictor({
    trees: f.trees,
    treeOutput: new Int32Array(f.trees.length),
    nOutputs: 1,
    baseScore: new Float64Array(1),
    scale: 1,
    link: 'none',
    nFeatures: f.nFeatures,
  });
  return { ...f, predictor };
}

/**
 * Grow all trees (Liu et al. 2008, Algorithm 1): per tree, its own generator, a subsample of ψ
 * rows and (maxFeatures < 1) a subset of the features, then the tree itself (Algorithm 2,
 * tree/isolation-tree.ts) from the same generator.
 */
function grow(X: Matrix, rows: Uint32Array, o: Resolved, onProgress?: (done: number, total: number) => void): Omit<Fitted, 'classes' | 'predictor'> {
  const d = X.nCols;
  const psi = Math.min(o.maxSamples, rows.length);
  const nTrees = o.nTrees;
  const nFeat = Math.max(1, Math.floor(o.maxFeatures * d));
  const grower = new IsolationTreeGrower(X.data, d, psi, nFeat);

  const rng = new Random(o.seed);
  const pool = rows.slice(); // partial Fisher–Yates over this pool draws each tree's subsample
  const sample = new Uint32Array(psi);
  const feats = new Int32Array(d);
  for (let j = 0; j < d; j++) feats[j] = j;
  const treeFeats = new Int32Array(nFeat);
  const trees: FlatTree[] = [];
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
    trees.push(grower.grow(sample, treeFeats, r));
    onProgress?.(t + 1, nTrees);
  }
  return { nFeatures: d, psi, trees };
}

/**
 * The trees of a layout-1 file as the FlatTrees the same fit grows today: the same nodes in the
 * same order (local indices, right = left + 1), thresholds through f32AtMost (the same partition
 * of every float32 input), leaf values as saved, and covers recovered from them (a leaf's value
 * is depth + c(size), c strictly increasing), so internal values come out of TreeBuilder.finish
 * exactly as for a grown tree. The structure is checked first (checkTrees, then every node
 * reached once from its root), so a corrupt file cannot make scoring loop or read out of bounds.
 */
function treesFromV1(fd: Record<string, unknown>, nFeatures: number, psi: number, source: string): FlatTree[] {
  const treeOffset = readTyped(fd, 'treeOffset', Uint32Array, undefined, source);
  const nNodes = treeOffset[treeOffset.length - 1] ?? 0;
  const feature = readTyped(fd, 'feature', Int32Array, nNodes, source);
  const value = readTyped(fd, 'value', Float64Array, nNodes, source);
  const left = readTyped(fd, 'left', Int32Array, nNodes, source);
  checkTrees(source, treeOffset, feature, value, left, nFeatures);
  const trees: FlatTree[] = [];
  for (let t = 0; t + 1 < treeOffset.length; t++) {
    const a = treeOffset[t]!;
    const n = treeOffset[t + 1]! - a;
    const b = new TreeBuilder(1, n);
    for (let i = 0; i < n; i++) b.addNode(0);
    for (let i = 0; i < n; i++) {
      const f = feature[a + i]!;
      if (f >= 0) b.setSplit(i, f, f32AtMost(value[a + i]!), 0, left[a + i]! - a, left[a + i]! - a + 1, 0);
      else b.value[i] = value[a + i]!;
    }
    const where = `${source}: tree ${t}`;
    const { feature: ft, threshold, left: lt, right, defaultLeft, value: vt, cover, gain } = b;
    validateFlatTree({ nNodes: n, nOutputs: 1, feature: ft, threshold, left: lt, right, defaultLeft, value: vt, cover, gain }, nFeatures, where);
    // depths top-down (children come after their parent), covers bottom-up
    const depth = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      if (b.feature[i]! >= 0) depth[b.left[i]!] = depth[b.right[i]!] = depth[i]! + 1;
    }
    for (let i = n - 1; i >= 0; i--) {
      if (b.feature[i]! >= 0) b.cover[i] = b.cover[b.left[i]!]! + b.cover[b.right[i]!]!;
      else b.cover[i] = leafSize(b.value[i]!, depth[i]!, psi, where, i);
    }
    trees.push(b.finish());
  }
  return trees;
}

/** The size n ∈ [1, ψ] of a leaf at `depth` whose value is depth + c(n), exactly as grown. */
function leafSize(v: number, depth: number, psi: number, where: string, node: number): number {
  let lo = 1;
  let hi = psi;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (depth + averagePathLength(mid) < v) lo = mid + 1;
    else hi = mid;
  }
  if (depth + averagePathLength(lo) !== v) {
    throw nadirError('NADIR_ERR_MODEL_CORRUPT', where, `leaf node ${node} at depth ${depth} has value ${v}, not depth + c(size) for a size of 1..${psi} rows`);
  }
  return lo;
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
