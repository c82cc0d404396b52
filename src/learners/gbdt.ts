/**
 * Gradient-boosted trees, second order (XGBoost: Chen & Guestrin 2016), on the histogram tree
 * engine in src/tree (LightGBM-style binning and histograms, Ke et al. 2017).
 *
 * - Binary: logistic loss, one tree per round, raw output = log-odds of classes[1].
 * - Multi-class: softmax loss, one tree per class per round (Friedman 2001), hessian p(1−p).
 * - Each round: gradients g, h at the current margins; a tree grown on (g, h) with gain
 *   G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ) > gamma, leaves −G/(H+λ) × learningRate.
 * - The initial margin (baseScore) is the weighted class prior: log-odds (binary), log p (softmax).
 * - Optional row subsampling per round (Bernoulli) and column subsampling per tree, early
 *   stopping on `evalSet` log loss, total-gain feature importance.
 * Trees are identical for any nThreads (see tree/hist-builder.ts).
 */
import { nadirError } from '../errors.js';
import type { Matrix } from '../features/types.js';
import { ParallelGradHistBuilder } from '../tree/parallel/hist-session.js';
import { fitBinMatrixParallel } from '../tree/binner.js';
import { gainImportance, packTrees, unpackTrees } from '../tree/ensemble-io.js';
import { Heap } from '../tree/heap.js';
import { GradTreeGrower } from '../tree/grower.js';
import { chunkRows, type GradHistBuilder, LocalGradHistBuilder } from '../tree/hist-builder.js';
import { addTreeOutputs, EnsemblePredictor, rawToProba } from '../tree/predictor.js';
import { POW2_BIAS, pow2Table } from '../tree/wasm/kernels.js';
import { Random } from '../util/random.js';
import type { BinnedData, FlatTree, TreeEnsemble } from '../tree/types.js';
import { ClassifierEstimator } from './estimator.js';
import { resolveParams, SEED_PARAM, threadsParam, TREE_CLASSIFIER_TRAITS, type LearnerSpec } from './spec.js';
import type { Classifier, FitOptions, SerializedModel, TreeModel } from './types.js';
import { checkFitInput, checkPredictInput, readNumber, readSaved, readTyped } from './validate.js';

export interface GradientBoostingOptions {
  /** Boosting rounds (default 200). `nRounds` is accepted as an alias. */
  nEstimators?: number;
  nRounds?: number;
  /** Shrinkage of each tree (default 0.1). */
  learningRate?: number;
  /** Maximum tree depth (default 6; unlimited when only maxLeaves is given). */
  maxDepth?: number;
  /** Grow leaf-wise (best first) up to this many leaves per tree (LightGBM's num_leaves). */
  maxLeaves?: number;
  /** L2 regularisation of leaf weights (default 1). */
  lambda?: number;
  /** Minimum loss reduction to split (default 0). */
  gamma?: number;
  /** Minimum hessian sum per child (default 1). */
  minChildWeight?: number;
  /** Fraction of rows drawn per round (default 1). */
  subsample?: number;
  /** Fraction of features drawn per tree (default 1). */
  colsampleByTree?: number;
  /** Bins per feature including the missing bin, 2..256 (default 256). */
  maxBins?: number;
  /** Stop when the evalSet log loss has not improved for this many rounds (needs FitOptions.evalSet). */
  earlyStoppingRounds?: number;
  seed?: number;
  /** Threads for histogram building (default: available cores). */
  nThreads?: number;
}

interface Resolved {
  nEstimators: number;
  learningRate: number;
  maxDepth: number;
  maxLeaves: number;
  lambda: number;
  gamma: number;
  minChildWeight: number;
  subsample: number;
  colsampleByTree: number;
  maxBins: number;
  earlyStoppingRounds: number | undefined;
  seed: number;
  nThreads: number;
}

interface Fitted {
  classes: readonly string[];
  nFeatures: number;
  baseScore: Float64Array;
  trees: FlatTree[];
  treeOutput: Int32Array;
  importance: Float64Array;
  /** Rounds kept (best round + 1 with early stopping). */
  nRounds: number;
  predictor: EnsemblePredictor;
  /** Threads for large batch predictions (the nThreads option). */
  threads: number;
}

const TYPE = 'gbdt';
const VERSION = 1;
const WHO = 'GradientBoostingClassifier';

/** Everything nadir knows about this learner (see spec.ts); the options below are checked from it. */
export const GBDT_SPEC: LearnerSpec = {
  type: TYPE,
  name: 'gradient-boosted trees',
  description: 'gradient-boosted trees (second-order, histogram-based, XGBoost-style), binary or softmax',
  ...TREE_CLASSIFIER_TRAITS,
  params: [
    { name: 'nEstimators', aliases: ['nRounds'], type: 'integer', min: 1, default: 200, help: 'boosting rounds (trees per class)' },
    { name: 'learningRate', type: 'number', gt: 0, hint: 'typically 0.01 to 0.3', default: 0.1, help: 'shrinkage of each tree' },
    { name: 'maxDepth', type: 'integer', min: 1, max: 64, defaultText: '6', help: 'maximum tree depth (default 6, or 64 when maxLeaves is set)' },
    { name: 'maxLeaves', type: 'integer', min: 2, defaultText: 'unlimited', help: "grow leaf-wise (best first) up to this many leaves per tree (LightGBM's num_leaves)" },
    { name: 'lambda', type: 'number', min: 0, default: 1, help: 'L2 regularisation of leaf weights' },
    { name: 'gamma', type: 'number', min: 0, default: 0, help: 'minimum loss reduction to split' },
    { name: 'minChildWeight', type: 'number', min: 0, default: 1, help: 'minimum hessian sum per child' },
    { name: 'subsample', type: 'number', gt: 0, max: 1, default: 1, help: 'fraction of rows drawn per round' },
    { name: 'colsampleByTree', type: 'number', gt: 0, max: 1, default: 1, help: 'fraction of features drawn per tree' },
    { name: 'maxBins', type: 'integer', min: 2, max: 256, default: 256, help: 'bins per feature, the missing bin included' },
    { name: 'earlyStoppingRounds', type: 'integer', min: 1, help: 'stop when the evaluation set has not improved for this many rounds' },
    SEED_PARAM,
    threadsParam('threads for histogram building'),
  ],
};

function resolve(o: GradientBoostingOptions): Resolved {
  const p = resolveParams(WHO, GBDT_SPEC.params, o);
  const maxLeaves = p.maxLeaves === undefined ? Infinity : (p.maxLeaves as number);
  return {
    nEstimators: p.nEstimators as number,
    learningRate: p.learningRate as number,
    maxDepth: (p.maxDepth as number | undefined) ?? (maxLeaves === Infinity ? 6 : 64),
    maxLeaves,
    lambda: p.lambda as number,
    gamma: p.gamma as number,
    minChildWeight: p.minChildWeight as number,
    subsample: p.subsample as number,
    colsampleByTree: p.colsampleByTree as number,
    maxBins: p.maxBins as number,
    earlyStoppingRounds: p.earlyStoppingRounds as number | undefined,
    seed: p.seed as number,
    nThreads: p.nThreads as number,
  };
}

export class GradientBoostingClassifier extends ClassifierEstimator<GradientBoostingOptions, Fitted> implements Classifier, TreeModel {
  readonly type = TYPE;
  protected readonly who = WHO;

  /** Rounds kept after fitting (the best round + 1 under early stopping). */
  get nRounds(): number {
    return this.state().nRounds;
  }

  async fit(X: Matrix, y: Int32Array, opts: FitOptions = {}): Promise<this> {
    const o = resolve(this.options);
    const { classes } = checkFitInput(WHO, X, y, opts);
    const evalSet = opts.evalSet;
    if (o.earlyStoppingRounds !== undefined && evalSet === undefined) {
      throw nadirError('NADIR_ERR_BAD_OPTION', 'earlyStoppingRounds', 'needs a validation set (fit option evalSet)');
    }
    const K = classes.length;
    const nOut = K === 2 ? 1 : K;
    const n = X.nRows;
    const sw = opts.sampleWeight;
    const rng = new Random(o.seed);

    // Initial margins: the weighted class prior.
    const prior = new Float64Array(K);
    let wsum = 0;
    for (let i = 0; i < n; i++) {
      const w = sw ? sw[i]! : 1;
      prior[y[i]!] += w;
      wsum += w;
    }
    const baseScore = new Float64Array(nOut);
    const clip = (p: number): number => Math.min(1 - 1e-7, Math.max(1e-7, p));
    if (nOut === 1) {
      const p = clip(prior[1]! / wsum);
      baseScore[0] = Math.log(p / (1 - p));
    } else for (let k = 0; k < K; k++) baseScore[k] = Math.log(clip(prior[k]! / wsum));

    const threads = n >= 2 * chunkRows(n) ? o.nThreads : 1;
    const heap = Heap.create(n * X.nCols * 1.5 + n * 64);
    const data = await fitBinMatrixParallel(X, { maxBins: o.maxBins, seed: o.seed, heap }, o.nThreads);
    const hb: GradHistBuilder = threads > 1 ? new ParallelGradHistBuilder(data, heap, threads) : new LocalGradHistBuilder(data, heap);
    const trees: FlatTree[] = [];
    const treeOutput: number[] = [];
    let keptRounds = o.nEstimators;
    try {
      const grower = new GradTreeGrower(data, hb, {
        maxDepth: o.maxDepth,
        maxLeaves: o.maxLeaves,
        lambda: o.lambda,
        gamma: o.gamma,
        minChildWeight: o.minChildWeight,
        learningRate: o.learningRate,
      });
      // Margins, labels, weights and the exp table live in the heap: the gradient kernels read them there.
      const margin = heap.f64(n * nOut);
      for (let i = 0; i < n; i++) for (let k = 0; k < nOut; k++) margin[i * nOut + k] = baseScore[k]!;
      const yh = heap.i32(n);
      yh.set(y);
      const wAt = sw ? heap.f32(n) : null;
      if (wAt && sw) wAt.set(sw);
      const pow2 = pow2Table(heap.f64(POW2_BIAS + 1));
      const nEval = evalSet ? evalSet.X.nRows : 0;
      const evalMargin = new Float64Array(nEval * nOut);
      for (let i = 0; i < nEval; i++) for (let k = 0; k < nOut; k++) evalMargin[i * nOut + k] = baseScore[k]!;
      const prob = nOut > 1 ? heap.f64(n * K) : null;
      const kern = heap.k;
      const idx = hb.idx;
      const skip = new Uint8Array(n);
      const allFeatures = new Int32Array(X.nCols);
      for (let f = 0; f < X.nCols; f++) allFeatures[f] = f;
      const nColSample = Math.max(1, Math.round(o.colsampleByTree * X.nCols));
      let bestLoss = Infinity;
      let bestRound = -1;

      for (let round = 0; round < o.nEstimators; round++) {
        // Row subsample (Bernoulli per row) for this round.
        let nIdx = n;
        let identity = true;
        if (o.subsample < 1) {
          nIdx = 0;
          for (let i = 0; i < n; i++) {
            const take = rng.next() < o.subsample;
            skip[i] = take ? 0 : 1;
            if (take) nIdx++;
          }
          if (nIdx === 0) {
            skip.fill(0);
            nIdx = n;
          } else identity = nIdx === n;
        }
        if (prob) kern.softmaxRows(margin.byteOffset, n, K, prob.byteOffset, pow2.byteOffset);
        for (let k = 0; k < nOut; k++) {
          // Gradients of the loss at the current margins (logistic or softmax, Friedman 2001).
          if (prob) kern.softmaxGrad(prob.byteOffset, yh.byteOffset, wAt ? wAt.byteOffset : 0, n, K, k, hb.gh.byteOffset);
          else kern.logisticGrad(margin.byteOffset, yh.byteOffset, wAt ? wAt.byteOffset : 0, n, hb.gh.byteOffset, pow2.byteOffset);
          if (identity) for (let i = 0; i < n; i++) idx[i] = i;
          else for (let i = 0, j = 0; i < n; i++) if (!skip[i]) idx[j++] = i;
          const features = sampleFeatures(data, allFeatures, nColSample, rng);
          hb.setDenseFeatures(features.dense);
          const tree = grower.grow(nIdx, features.all, identity);
          grower.addLeafValues(margin, nOut, k);
          if (!identity) addTreeOutputs(tree, X.data, n, X.nCols, margin, nOut, k, skip); // rows outside the subsample
          if (evalSet) addTreeOutputs(tree, evalSet.X.data, nEval, evalSet.X.nCols, evalMargin, nOut, k);
          trees.push(tree);
          treeOutput.push(k);
        }
        opts.onProgress?.(round + 1, o.nEstimators);
        if (evalSet && o.earlyStoppingRounds !== undefined) {
          const loss = logLoss(evalMargin, evalSet.y, nEval, K);
          if (loss < bestLoss) {
            bestLoss = loss;
            bestRound = round;
          } else if (round - bestRound >= o.earlyStoppingRounds) break;
        }
      }
      if (o.earlyStoppingRounds !== undefined && bestRound >= 0) {
        keptRounds = bestRound + 1;
        trees.length = keptRounds * nOut;
        treeOutput.length = keptRounds * nOut;
      }
    } finally {
      await hb.close();
    }
    const fitted: Omit<Fitted, 'predictor' | 'threads'> = {
      classes,
      nFeatures: X.nCols,
      baseScore,
      trees,
      treeOutput: Int32Array.from(treeOutput),
      importance: gainImportance(trees, X.nCols),
      nRounds: keptRounds,
    };
    this.fitted = withPredictor(fitted, o.nThreads);
    return this;
  }

  predictProba(X: Matrix): Float64Array {
    const f = this.state();
    checkPredictInput(WHO, X, f.nFeatures);
    const n = X.nRows;
    const k = f.classes.length;
    // One allocation: the margins go where rawToProba may read them in place (the second half
    // for the binary log-odds, the whole array for softmax).
    const out = new Float64Array(n * k);
    const raw = f.predictor.raw(X.data, n, X.nCols, k === 2 ? out.subarray(n) : out, f.threads);
    return rawToProba(raw, n, k === 2 ? 'logit' : 'softmax', k, out);
  }

  /** Raw margins (nRows × nOutputs): log-odds of classes[1] for binary, per-class scores for softmax (scikit-learn's decision_function, as in logistic regression). */
  decisionFunction(X: Matrix): Float64Array {
    const f = this.state();
    checkPredictInput(WHO, X, f.nFeatures);
    return f.predictor.raw(X.data, X.nRows, X.nCols, undefined, f.threads);
  }

  /** Total split gain per feature, normalised to sum 1. */
  featureImportance(): Float64Array {
    return this.state().importance.slice();
  }

  ensemble(): TreeEnsemble {
    return ensembleOf(this.state());
  }

  toJSON(): SerializedModel {
    const f = this.state();
    return this.saved(VERSION, {
      nRounds: f.nRounds,
      baseScore: f.baseScore,
      treeOutput: f.treeOutput,
      importance: f.importance,
      trees: packTrees(f.trees, 1),
    });
  }

  static fromJSON(obj: unknown, source = 'model'): GradientBoostingClassifier {
    const { options, resolved, fitted: fd, classes, nFeatures } = readSaved(obj, { type: TYPE, version: VERSION }, source, resolve);
    const nRounds = readNumber(fd, 'nRounds', { integer: true, min: 1 }, source);
    const nOut = classes.length === 2 ? 1 : classes.length;
    const baseScore = readTyped(fd, 'baseScore', Float64Array, nOut, source);
    const treeOutput = readTyped(fd, 'treeOutput', Int32Array, nRounds * nOut, source);
    for (let t = 0; t < treeOutput.length; t++) {
      if (treeOutput[t] !== t % nOut) throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, `fitted.treeOutput[${t}] must be ${t % nOut}`);
    }
    const importance = readTyped(fd, 'importance', Float64Array, nFeatures, source);
    const trees = unpackTrees(fd.trees, treeOutput.length, nFeatures, 1, source);
    for (let i = 0; i < nOut; i++) {
      if (!Number.isFinite(baseScore[i]!)) throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, 'fitted.baseScore must be finite');
    }
    const m = new GradientBoostingClassifier(options);
    m.fitted = withPredictor({ classes, nFeatures, baseScore, trees, treeOutput, importance, nRounds }, resolved.nThreads);
    return m;
  }
}

/** The boosted trees as a tree ensemble: margins = baseScore + Σ trees of each output, then the logit (binary) or softmax link. */
function ensembleOf(f: Pick<Fitted, 'nFeatures' | 'baseScore' | 'trees' | 'treeOutput'>): TreeEnsemble {
  const nOut = f.baseScore.length;
  return {
    trees: f.trees,
    treeOutput: f.treeOutput,
    nOutputs: nOut,
    baseScore: f.baseScore,
    scale: 1,
    link: nOut === 1 ? 'logit' : 'softmax',
    nFeatures: f.nFeatures,
  };
}

function withPredictor(f: Omit<Fitted, 'predictor' | 'threads'>, threads: number): Fitted {
  return { ...f, predictor: new EnsemblePredictor(ensembleOf(f)), threads };
}

/** Features of one tree: all usable ones, or a seeded sample of colsampleByTree × nFeatures (ascending). */
function sampleFeatures(data: BinnedData, all: Int32Array, m: number, rng: Random): { all: Int32Array; dense: Int32Array } {
  // `all` is ascending, so the sampled positions map to ascending features
  const chosen = m >= all.length ? all : Int32Array.from(rng.sample(all.length, m), (i) => all[i]!);
  const use: number[] = [];
  const dense: number[] = [];
  for (const f of chosen) {
    if (!data.usable[f]) continue;
    use.push(f);
    if (!data.sparse[f]) dense.push(f);
  }
  return { all: Int32Array.from(use), dense: Int32Array.from(dense) };
}

/** Mean log loss of margins (binary: one log-odds column; else softmax over K). */
function logLoss(margin: Float64Array, y: Int32Array, n: number, K: number): number {
  let s = 0;
  if (K === 2) {
    for (let i = 0; i < n; i++) {
      const m = margin[i]!;
      // log(1 + e^{-m}) for y = 1, log(1 + e^{m}) for y = 0, computed stably.
      const z = y[i] === 1 ? -m : m;
      s += z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    }
  } else {
    for (let i = 0; i < n; i++) {
      const o = i * K;
      let mx = -Infinity;
      for (let k = 0; k < K; k++) if (margin[o + k]! > mx) mx = margin[o + k]!;
      let se = 0;
      for (let k = 0; k < K; k++) se += Math.exp(margin[o + k]! - mx);
      s += mx + Math.log(se) - margin[o + y[i]!]!;
    }
  }
  return n > 0 ? s / n : 0;
}
