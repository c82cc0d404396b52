/**
 * Random forest classifier (Breiman 2001) on the histogram tree engine: each tree is a CART
 * tree grown on a bootstrap sample with `maxFeatures` features drawn per node, on class-count
 * histograms (Gini or entropy); leaves hold class-probability vectors, averaged over trees
 * (scikit-learn's predict_proba). Out-of-bag accuracy and impurity-based importance as in
 * scikit-learn (mean over trees of each tree's normalised weighted impurity decrease).
 *
 * Trees are grown in parallel: the main thread and nThreads-1 workers take tree indices from
 * a shared counter; tree t depends only on its seed (drawn from `seed`), so the forest is the
 * same for any number of threads.
 */
import { nadirError } from '../errors.js';
import type { Matrix } from '../features/types.js';
import { getWorkers, type WorkerReply } from '../tree/parallel/pool.js';
import { fitBinMatrixParallel } from '../tree/binner.js';
import { gainImportance, packTrees, unpackTrees } from '../tree/ensemble-io.js';
import { drawBag, type ForestSpec, ForestTreeBuilder } from '../tree/forest.js';
import { Heap } from '../tree/heap.js';
import { EnsemblePredictor, rawToProba } from '../tree/predictor.js';
import { Random } from '../util/random.js';
import type { FlatTree, TreeEnsemble } from '../tree/types.js';
import { ClassifierEstimator } from './estimator.js';
import type { Classifier, FitOptions, SerializedModel, TreeModel } from './types.js';
import { checkFitInput, checkPredictInput, readNumber, readSaved, readTyped } from './validate.js';
import { resolveParams, SEED_PARAM, threadsParam, TREE_CLASSIFIER_TRAITS, type LearnerSpec } from './spec.js';

export interface RandomForestOptions {
  /** Number of trees (default 100). `nTrees` is accepted as an alias. */
  nEstimators?: number;
  nTrees?: number;
  /** Maximum depth (default: unlimited). */
  maxDepth?: number;
  /** Features drawn per node: 'sqrt' (default), 'log2', a count (integer ≥ 1) or a fraction in (0, 1). */
  maxFeatures?: 'sqrt' | 'log2' | number;
  /** Minimum rows per leaf (default 1). */
  minSamplesLeaf?: number;
  criterion?: 'gini' | 'entropy';
  /** Bootstrap sample per tree (default true); false: every tree sees all rows. */
  bootstrap?: boolean;
  /** Rows drawn per tree when bootstrapping: a count or a fraction in (0, 1] (default: all). */
  maxSamples?: number;
  /** Bins per feature including the missing bin, 2..256 (default 256). */
  maxBins?: number;
  seed?: number;
  /** Threads growing trees (default: available cores). */
  nThreads?: number;
  /** Compute the out-of-bag accuracy (needs bootstrap). */
  oobScore?: boolean;
}

interface Resolved {
  nEstimators: number;
  maxDepth: number;
  maxFeatures: 'sqrt' | 'log2' | number;
  minSamplesLeaf: number;
  criterion: 'gini' | 'entropy';
  bootstrap: boolean;
  maxSamples: number | undefined;
  maxBins: number;
  seed: number;
  nThreads: number;
  oobScore: boolean;
}

interface Fitted {
  classes: readonly string[];
  nFeatures: number;
  trees: FlatTree[];
  importance: Float64Array;
  /** Out-of-bag accuracy, when requested. */
  oobScore: number | undefined;
  predictor: EnsemblePredictor;
  /** Threads for large batch predictions (the nThreads option). */
  threads: number;
}

const TYPE = 'rf';
const VERSION = 1;
const WHO = 'RandomForestClassifier';

/** Everything nadir knows about this learner (see spec.ts); the options below are checked from it. */
export const RF_SPEC: LearnerSpec = {
  type: TYPE,
  name: 'random forest',
  description: 'random forest (bootstrap, max features per split, Gini/entropy), probabilities averaged over trees',
  ...TREE_CLASSIFIER_TRAITS,
  params: [
    { name: 'nEstimators', aliases: ['nTrees'], type: 'integer', min: 1, default: 100, help: 'trees' },
    { name: 'maxDepth', type: 'integer', min: 1, defaultText: 'unlimited', help: 'maximum tree depth' },
    {
      name: 'maxFeatures',
      type: 'number',
      gt: 0,
      words: ['sqrt', 'log2'],
      accept: (v) => v < 1 || Number.isInteger(v),
      expected: "'sqrt', 'log2', a fraction in (0, 1) or a whole number of features ≥ 1",
      default: 'sqrt',
      help: 'features tried per split',
    },
    { name: 'minSamplesLeaf', type: 'integer', min: 1, default: 1, help: 'minimum rows per leaf' },
    { name: 'criterion', type: 'word', words: ['gini', 'entropy'], default: 'gini', help: 'split criterion' },
    { name: 'bootstrap', type: 'boolean', default: true, help: 'draw each tree\'s rows with replacement' },
    {
      name: 'maxSamples',
      type: 'number',
      gt: 0,
      accept: (v) => v <= 1 || Number.isInteger(v),
      expected: 'a fraction in (0, 1] or a whole number of rows',
      defaultText: 'all rows',
      help: 'rows drawn per tree',
    },
    { name: 'maxBins', type: 'integer', min: 2, max: 256, default: 256, help: 'bins per feature, the missing bin included' },
    SEED_PARAM,
    threadsParam('threads growing trees'),
    { name: 'oobScore', type: 'boolean', default: false, help: 'measure the out-of-bag accuracy (needs bootstrap)' },
  ],
};

function resolve(o: RandomForestOptions): Resolved {
  const p = resolveParams(WHO, RF_SPEC.params, o);
  if (p.oobScore && !p.bootstrap) throw nadirError('NADIR_ERR_BAD_OPTION', 'oobScore', 'needs bootstrap: true');
  return {
    nEstimators: p.nEstimators as number,
    maxDepth: (p.maxDepth as number | undefined) ?? Infinity,
    maxFeatures: p.maxFeatures as Resolved['maxFeatures'],
    minSamplesLeaf: p.minSamplesLeaf as number,
    criterion: p.criterion as Resolved['criterion'],
    bootstrap: p.bootstrap as boolean,
    maxSamples: p.maxSamples as number | undefined,
    maxBins: p.maxBins as number,
    seed: p.seed as number,
    nThreads: p.nThreads as number,
    oobScore: p.oobScore as boolean,
  };
}

function featuresPerNode(m: Resolved['maxFeatures'], nCols: number): number {
  if (m === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(nCols)));
  if (m === 'log2') return Math.max(1, Math.floor(Math.log2(nCols)));
  if (m < 1) return Math.max(1, Math.floor(m * nCols));
  return Math.min(m, nCols);
}

export class RandomForestClassifier extends ClassifierEstimator<RandomForestOptions, Fitted> implements Classifier, TreeModel {
  readonly type = TYPE;
  protected readonly who = WHO;

  /** Out-of-bag accuracy (fit with oobScore: true), else undefined. */
  get oobScore(): number | undefined {
    return this.state().oobScore;
  }

  async fit(X: Matrix, y: Int32Array, opts: FitOptions = {}): Promise<this> {
    const o = resolve(this.options);
    const { classes } = checkFitInput(WHO, X, y, opts);
    const K = classes.length;
    const n = X.nRows;
    const nDraw = o.maxSamples === undefined ? n : o.maxSamples <= 1 ? Math.max(1, Math.round(o.maxSamples * n)) : Math.min(o.maxSamples, n);
    const spec: ForestSpec = {
      params: {
        nClasses: K,
        criterion: o.criterion,
        maxDepth: o.maxDepth,
        minSamplesLeaf: o.minSamplesLeaf,
        maxFeatures: featuresPerNode(o.maxFeatures, X.nCols),
      },
      bootstrap: o.bootstrap,
      nDraw,
    };
    const rng = new Random(o.seed);
    const seeds = new Uint32Array(o.nEstimators);
    for (let t = 0; t < seeds.length; t++) seeds[t] = rng.nextUint32();

    const threads = Math.min(o.nThreads, o.nEstimators);
    const sw = opts.sampleWeight ?? null;
    // One heap for the fit: the binned data and labels, then an arena per thread.
    const heap = Heap.create(n * X.nCols + 4 * n + threads * (64 * n + 2 ** 20));
    const data = await fitBinMatrixParallel(X, { maxBins: o.maxBins, seed: o.seed, heap, rowIndex: false, colIndex: true }, threads);
    const yy = heap.i32(n);
    yy.set(y);
    const counter = heap.i32(1);
    const arenaBytes = ForestTreeBuilder.heapBytes(data, spec, sw);
    const trees: FlatTree[] = new Array<FlatTree>(o.nEstimators);
    let done = 0;
    const progress = (): void => opts.onProgress?.(++done, o.nEstimators);
    const jobs = getWorkers(threads - 1).map((w) =>
      w.run('forest', { memory: heap.memory, arena: heap.arena(arenaBytes), data, y: yy, sampleWeight: sw, spec, seeds, counter }, (m: WorkerReply) => {
        if (m.done) return;
        trees[m.t as number] = m.tree as FlatTree;
        progress();
      }),
    );
    // The main thread grows trees too, from the same counter.
    let failure: unknown = null;
    try {
      const builder = new ForestTreeBuilder(data, yy, sw, spec, heap);
      for (;;) {
        const t = Atomics.add(counter, 0, 1);
        if (t >= seeds.length) break;
        trees[t] = builder.grow(seeds[t]!);
        progress();
      }
    } catch (e) {
      failure = e;
      Atomics.store(counter, 0, seeds.length);
    }
    const results = await Promise.allSettled(jobs);
    if (failure) throw failure;
    for (const r of results) if (r.status === 'rejected') throw r.reason;

    const oobScore = o.oobScore ? outOfBagAccuracy(trees, seeds, X, y, K, nDraw) : undefined;
    this.fitted = withPredictor({
      classes,
      nFeatures: X.nCols,
      trees,
      importance: gainImportance(trees, X.nCols, true),
      oobScore,
    }, o.nThreads);
    return this;
  }

  predictProba(X: Matrix): Float64Array {
    const f = this.state();
    checkPredictInput(WHO, X, f.nFeatures);
    const raw = f.predictor.raw(X.data, X.nRows, X.nCols, undefined, f.threads);
    return rawToProba(raw, X.nRows, 'identity', f.classes.length, raw);
  }

  /** Mean decrease in impurity per feature (scikit-learn's feature_importances_), sums to 1. */
  featureImportance(): Float64Array {
    return this.state().importance.slice();
  }

  ensemble(): TreeEnsemble {
    return ensembleOf(this.state());
  }

  toJSON(): SerializedModel {
    const f = this.state();
    const own: Record<string, unknown> = { nTrees: f.trees.length, importance: f.importance, trees: packTrees(f.trees, f.classes.length) };
    if (f.oobScore !== undefined) own.oobScore = f.oobScore;
    return this.saved(VERSION, own);
  }

  static fromJSON(obj: unknown, source = 'model'): RandomForestClassifier {
    const { options, resolved, fitted: fd, classes, nFeatures } = readSaved(obj, { type: TYPE, version: VERSION }, source, resolve);
    const nTrees = readNumber(fd, 'nTrees', { integer: true, min: 1 }, source);
    const importance = readTyped(fd, 'importance', Float64Array, nFeatures, source);
    const trees = unpackTrees(fd.trees, nTrees, nFeatures, classes.length, source);
    const oobScore = fd.oobScore === undefined ? undefined : readNumber(fd, 'oobScore', { min: 0, max: 1 }, source);
    const m = new RandomForestClassifier(options);
    m.fitted = withPredictor({ classes, nFeatures, trees, importance, oobScore }, resolved.nThreads);
    return m;
  }
}

/** The forest as a tree ensemble: every tree adds its class-probability leaves to all K outputs, averaged (scale 1/nTrees), no link. */
function ensembleOf(f: Pick<Fitted, 'classes' | 'nFeatures' | 'trees'>): TreeEnsemble {
  const K = f.classes.length;
  return {
    trees: f.trees,
    treeOutput: new Int32Array(f.trees.length).fill(-1),
    nOutputs: K,
    baseScore: new Float64Array(K),
    scale: 1 / f.trees.length,
    link: 'identity',
    nFeatures: f.nFeatures,
  };
}

function withPredictor(f: Omit<Fitted, 'predictor' | 'threads'>, threads: number): Fitted {
  return { ...f, predictor: new EnsemblePredictor(ensembleOf(f)), threads };
}

/**
 * Accuracy of each row's prediction by the trees whose bootstrap sample left it out
 * (scikit-learn's oob_score_; rows in every sample are skipped).
 */
function outOfBagAccuracy(trees: FlatTree[], seeds: Uint32Array, X: Matrix, y: Int32Array, K: number, nDraw: number): number {
  const n = X.nRows;
  const votes = new Float64Array(n * K);
  const counts = new Int32Array(n);
  const seen = new Uint8Array(n);
  for (let t = 0; t < trees.length; t++) {
    drawBag(seeds[t]!, n, nDraw, counts);
    const tr = trees[t]!;
    for (let r = 0; r < n; r++) {
      if (counts[r] !== 0) continue;
      seen[r] = 1;
      const off = r * X.nCols;
      let node = 0;
      for (;;) {
        const f = tr.feature[node]!;
        if (f < 0) break;
        const x = X.data[off + f]!;
        node = x <= tr.threshold[node]! || (x !== x && tr.defaultLeft[node]) ? tr.left[node]! : tr.right[node]!;
      }
      for (let k = 0; k < K; k++) votes[r * K + k] += tr.value[node * K + k]!;
    }
  }
  let ok = 0;
  let m = 0;
  for (let r = 0; r < n; r++) {
    if (!seen[r]) continue;
    m++;
    let best = 0;
    for (let k = 1; k < K; k++) if (votes[r * K + k]! > votes[r * K + best]!) best = k;
    if (best === y[r]) ok++;
  }
  return m > 0 ? ok / m : 0;
}
