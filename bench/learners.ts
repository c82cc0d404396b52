/**
 * `npm run bench -- learners`: nadir's learners vs scikit-learn / XGBoost on the NSL-KDD binary
 * task (train KDDTrain+_20Percent, test KDDTest+; protocol_type/service/flag one-hot encoded on
 * the training file), measured in the same run, model by model (nadir, then its peer), so both
 * see the same machine load: fit time, batch predict throughput on KDDTest+, accuracy, ROC-AUC.
 * Each timing is repeated `reps` times and the median reported; ratios are nadir / peer.
 *
 * Settings (the same on both sides):
 * - gbdt: 200 rounds, depth 6, learning rate 0.1, ≤ 256 bins, 2 threads — XGBoost tree_method=hist;
 * - rf: 100 trees, √features per split, bootstrap — sklearn RandomForestClassifier(n_jobs=2);
 * - logreg: L2, C = 1, numeric columns standardised — sklearn LogisticRegression (lbfgs);
 * - iforest: 100 trees, 256 samples per tree, fitted on the normal training rows only, score =
 *   the paper's normalised s (higher = more anomalous), accuracy with the paper's s > 0.5 rule —
 *   sklearn IsolationForest (−score_samples is that s; contamination='auto' is the same rule).
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { buildTarget, loadDataset } from '../src/data/index.js';
import type { Dataset } from '../src/data/index.js';
import { rocAuc } from '../src/eval/roc.js';
import { Pipeline } from '../src/features/index.js';
import type { Matrix } from '../src/features/index.js';
import { takeMatrixRows } from '../src/features/index.js';
import { createLearner } from '../src/learners/registry.js';
import { isAnomalyDetector, type Learner } from '../src/learners/types.js';
import { runJson } from './lib/child.js';
import { fmtNum, fmtRate, fmtRatio, fmtSeconds } from './lib/format.js';
import { NSL_KDD, PEERS_DIR } from './lib/paths.js';
import { peerEnv } from './lib/python.js';
import { median, ratio, timeRepeated } from './lib/stats.js';
import type { ResultTable, SuiteOptions, SuiteReport } from './lib/suite.js';

export const MODELS = ['gbdt', 'rf', 'logreg', 'iforest'] as const;
export type ModelName = (typeof MODELS)[number];

const THREADS = Math.min(2, availableParallelism());
const SEED = 0;

/** nadir options per model; the peer's equivalents are in bench/peers/learners.py. */
export const NADIR_OPTIONS: Record<ModelName, Record<string, unknown>> = {
  gbdt: { nRounds: 200, maxDepth: 6, learningRate: 0.1, maxBins: 256, nThreads: THREADS, seed: SEED },
  rf: { nTrees: 100, nThreads: THREADS, seed: SEED },
  logreg: { C: 1 },
  iforest: { nTrees: 100, maxSamples: 256, nThreads: THREADS, seed: SEED },
};

const LABELS: Record<ModelName, [string, string]> = {
  gbdt: ['GBDT 200×d6 lr0.1', 'XGBoost hist'],
  rf: ['random forest 100', 'sklearn RF'],
  logreg: ['logistic regression', 'sklearn LogReg'],
  iforest: ['isolation forest (normal rows)', 'sklearn IsolationForest'],
};

/** What one side measured for one model. */
export interface ModelResult {
  model: ModelName;
  fitRows: number;
  features: number;
  fitSeconds: number[];
  fitMedian: number;
  predictSeconds: number[];
  predictMedian: number;
  predictRowsPerSecond: number;
  accuracy: number;
  rocAuc: number;
  /** Accuracy on KDDTest-21 (the test rows most classifiers got wrong). */
  accuracy21: number | null;
  error?: string;
}

/** A new nadir learner for one of the benchmarked models, through the registry (src/learners/registry.ts). */
export function createNadirLearner(model: ModelName, options: Record<string, unknown> = NADIR_OPTIONS[model]): Learner {
  return createLearner(model, options);
}

interface Encoded {
  Xtr: Matrix;
  Xte: Matrix;
  X21: Matrix;
}

interface Prepared {
  train: Dataset;
  test: Dataset;
  yTrain: Int32Array;
  yTest: Int32Array;
  y21: Int32Array;
  plain: Encoded;
  scaled: Encoded;
  prepareSeconds: number;
}

async function prepare(): Promise<Prepared> {
  const t0 = performance.now();
  const [train, test, t21] = await Promise.all([loadDataset(NSL_KDD.train), loadDataset(NSL_KDD.test), loadDataset(NSL_KDD.test21)]);
  const encode = (p: Pipeline): Encoded => {
    p.fit(train.features);
    return { Xtr: p.transform(train.features), Xte: p.transform(test.features), X21: p.transform(t21.features) };
  };
  return {
    train,
    test,
    yTrain: buildTarget(train, 'binary').y,
    yTest: buildTarget(test, 'binary').y,
    y21: buildTarget(t21, 'binary').y,
    plain: encode(new Pipeline()),
    scaled: encode(new Pipeline({ scale: true })),
    prepareSeconds: (performance.now() - t0) / 1000,
  };
}

function accuracyOf(y: Int32Array, pred: (i: number) => number): number {
  let ok = 0;
  for (let i = 0; i < y.length; i++) if (pred(i) === y[i]) ok++;
  return ok / y.length;
}

function countNormal(y: Int32Array): number {
  let n = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === 0) n++;
  return n;
}

function argmaxRow(proba: Float64Array, i: number, k: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if (proba[i * k + c]! > proba[i * k + best]!) best = c;
  return best;
}

async function runNadir(model: ModelName, d: Prepared, reps: number): Promise<ModelResult> {
  const { Xtr, Xte, X21 } = model === 'logreg' ? d.scaled : d.plain;
  let X = Xtr;
  let y = d.yTrain;
  if (model === 'iforest') {
    const normal: number[] = [];
    for (let i = 0; i < y.length; i++) if (y[i] === 0) normal.push(i);
    X = takeMatrixRows(Xtr, Uint32Array.from(normal));
    y = new Int32Array(normal.length);
  }
  const classes = ['normal', 'attack'];
  const fit = await timeRepeated<Learner>(reps, () => createNadirLearner(model).fit(X, y, { classes }));
  const m = fit.result;
  const n = d.yTest.length;
  let scores: Float64Array;
  let acc: number;
  let acc21: number;
  let predictSeconds: number[];
  if (isAnomalyDetector(m)) {
    const scorer = m;
    const p = await timeRepeated(reps, () => scorer.scoreSamples(Xte));
    scores = p.result;
    predictSeconds = p.seconds;
    acc = accuracyOf(d.yTest, (i) => (scores[i]! > 0.5 ? 1 : 0));
    const s21 = scorer.scoreSamples(X21);
    acc21 = accuracyOf(d.y21, (i) => (s21[i]! > 0.5 ? 1 : 0));
  } else {
    const p = await timeRepeated(reps, () => m.predictProba(Xte));
    const proba = p.result;
    const k = proba.length / n;
    scores = new Float64Array(n);
    for (let i = 0; i < n; i++) scores[i] = proba[i * k + k - 1]!;
    predictSeconds = p.seconds;
    acc = accuracyOf(d.yTest, (i) => argmaxRow(proba, i, k));
    const p21 = m.predictProba(X21);
    acc21 = accuracyOf(d.y21, (i) => argmaxRow(p21, i, k));
  }
  const predictMedian = median(predictSeconds);
  return {
    model,
    fitRows: X.nRows,
    features: X.nCols,
    fitSeconds: fit.seconds,
    fitMedian: fit.median,
    predictSeconds,
    predictMedian,
    predictRowsPerSecond: n / predictMedian,
    accuracy: acc,
    rocAuc: rocAuc(d.yTest, scores) ?? NaN,
    accuracy21: acc21,
  };
}

interface PeerOutput {
  versions: Record<string, string>;
  models: Array<ModelResult & { peer: string }>;
}

async function runPeer(model: ModelName, opts: SuiteOptions): Promise<(ModelResult & { peer: string }) | null> {
  if (!opts.peer) return null;
  const args = [join(PEERS_DIR, 'learners.py'), '--train', NSL_KDD.train, '--test', NSL_KDD.test, '--test21', NSL_KDD.test21, '--reps', String(opts.reps), '--threads', String(THREADS), '--seed', String(SEED), '--models', model];
  const r = await runJson<PeerOutput>(opts.peer.python, args, { env: peerEnv() });
  return r.value.models[0] ?? null;
}

function failed(model: ModelName, e: unknown): ModelResult {
  return { model, fitRows: 0, features: 0, fitSeconds: [], fitMedian: NaN, predictSeconds: [], predictMedian: NaN, predictRowsPerSecond: NaN, accuracy: NaN, rocAuc: NaN, accuracy21: null, error: (e as Error).message.split('\n')[0]! };
}

export async function runLearners(opts: SuiteOptions): Promise<SuiteReport> {
  const d = await prepare();
  opts.log(`  data: ${d.train.features.nRows} train / ${d.test.features.nRows} test rows, ${d.plain.Xtr.nCols} features (prepared in ${d.prepareSeconds.toFixed(2)} s)`);
  const pairs: Array<{ model: ModelName; nadir: ModelResult; peer: (ModelResult & { peer: string }) | null }> = [];
  const models = MODELS.filter((m) => !opts.only || opts.only.includes(m));
  if (models.length === 0) throw new Error(`--only ${opts.only?.join(',')}: no such model (choose from ${MODELS.join(', ')})`);
  for (const model of models) {
    opts.log(`  nadir ${model} (${opts.reps}×)`);
    let nadir: ModelResult;
    try {
      nadir = await runNadir(model, d, opts.reps);
    } catch (e) {
      opts.log(`  nadir ${model} unavailable: ${(e as Error).message.split('\n')[0]}`);
      nadir = failed(model, e);
    }
    opts.log(`  peer ${model} (${opts.reps}×)`);
    let peer: (ModelResult & { peer: string }) | null = null;
    try {
      peer = await runPeer(model, opts);
    } catch (e) {
      opts.log(`  peer ${model} failed: ${(e as Error).message}`);
    }
    pairs.push({ model, nadir, peer });
  }
  const speed: ResultTable = {
    title: `Speed — NSL-KDD binary, fit on KDDTrain+_20Percent, batch predict KDDTest+ (median of ${opts.reps}; ratio = nadir / peer: fit < 1 and throughput > 1 favour nadir)`,
    header: ['model', 'peer', 'fit nadir', 'fit peer', 'fit ratio', 'predict nadir', 'predict peer', 'throughput ratio'],
    rows: pairs.map(({ model, nadir, peer }) => [
      LABELS[model][0],
      peer?.peer ?? LABELS[model][1],
      nadir.error ? 'n/a' : fmtSeconds(nadir.fitMedian),
      fmtSeconds(peer?.fitMedian),
      fmtRatio(ratio(nadir.fitMedian, peer?.fitMedian)),
      nadir.error ? 'n/a' : fmtRate(nadir.predictRowsPerSecond),
      fmtRate(peer?.predictRowsPerSecond),
      fmtRatio(ratio(nadir.predictRowsPerSecond, peer?.predictRowsPerSecond)),
    ]),
    notes: [
      `fit rows: ${d.train.features.nRows}${models.includes('iforest') ? ` (isolation forest: the ${countNormal(d.yTrain)} normal ones)` : ''}; predict = predictProba (isolation forest: its anomaly score) over the ${d.test.features.nRows} KDDTest+ rows, in rows/s.`,
      `features: nadir ${d.plain.Xtr.nCols} (Pipeline: constant num_outbound_cmds dropped, one unseen-category column per categorical), peer ${pairs.find((p) => p.peer)?.peer?.features ?? '—'} (sklearn OneHotEncoder, handle_unknown='ignore').`,
      ...pairs.filter((p) => p.nadir.error).map((p) => `nadir ${p.model}: ${p.nadir.error}`),
    ],
  };
  const quality: ResultTable = {
    title: 'Quality — accuracy and ROC-AUC on KDDTest+, accuracy on KDDTest-21',
    header: ['model', 'acc nadir', 'acc peer', 'AUC nadir', 'AUC peer', 'acc -21 nadir', 'acc -21 peer'],
    rows: pairs.map(({ model, nadir, peer }) => [
      LABELS[model][0],
      fmtNum(nadir.accuracy),
      fmtNum(peer?.accuracy),
      fmtNum(nadir.rocAuc),
      fmtNum(peer?.rocAuc),
      fmtNum(nadir.accuracy21),
      fmtNum(peer?.accuracy21),
    ]),
    notes: models.includes('iforest') ? ["isolation forest: AUC of the anomaly score; accuracy with the paper's s > 0.5 rule (sklearn contamination='auto')."] : [],
  };
  return { suite: 'learners', tables: [speed, quality], data: { threads: THREADS, seed: SEED, nadirOptions: NADIR_OPTIONS, prepareSeconds: d.prepareSeconds, features: { nadir: d.plain.Xtr.nCols }, pairs } };
}
