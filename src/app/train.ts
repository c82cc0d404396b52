import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { basename } from 'node:path';
import type { LoadOptions } from '../data/load.js';
import { loadDataset, takeRows } from '../data/load.js';
import { stratifiedKFold } from '../data/split.js';
import { buildTarget, classCounts, labelValueList } from '../data/target.js';
import type { Dataset, Table, Target, TargetKind } from '../data/types.js';
import { nadirError } from '../errors.js';
import { computeMetrics } from '../eval/metrics.js';
import { permutationImportance } from '../eval/permutation-importance.js';
import { calibrateThreshold } from '../eval/threshold.js';
import type { Metrics } from '../eval/types.js';
import type { PipelineOptions } from '../features/pipeline.js';
import { Pipeline } from '../features/pipeline.js';
import type { Matrix } from '../features/types.js';
import { createLearner } from '../learners/registry.js';
import type { Classifier, TreeModel } from '../learners/types.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { Detector } from '../model/detector.js';
import type { FileProvenance, ImportanceEntry, ModelBody } from '../model/types.js';
import { NADIR_VERSION } from '../version.js';

export type ModelType = 'gbdt' | 'rf' | 'logreg' | 'iforest';
export const MODEL_TYPES: readonly ModelType[] = ['gbdt', 'rf', 'logreg', 'iforest'];

export interface TrainOptions {
  data: string;
  tests?: string[];
  model?: ModelType;
  target?: TargetKind;
  /** Folds of stratified cross-validation; 0 or 1 = none. */
  cv?: number;
  seed?: number;
  /** Learner options (nEstimators, maxDepth, learningRate, …) passed to the learner as given. */
  learner?: Record<string, unknown>;
  /** Binary task: a fixed threshold on P(attack), 'auto' (max-fpr from out-of-fold scores) or 'f1'. */
  threshold?: number | 'auto' | 'f1';
  /** With threshold 'auto': target false-positive rate on normal training rows (default 0.01). */
  maxFpr?: number;
  /** Permutation importance: repeats (0 = skip) and rows sampled from the first test set (or the training set). */
  permutationRepeats?: number;
  permutationRows?: number;
  load?: LoadOptions;
  /**
   * Input columns to leave out (`--drop`): identifiers such as a flow id or a timestamp. They are
   * removed after loading, before anything is fitted, and their data-quality findings are not
   * reported; a name that is not an input column of the training file is an error.
   */
  drop?: readonly string[];
  /** The command line that produced the model (provenance, report). */
  command?: string;
  logger?: Logger;
  /** Per stage (`loading <file>` in bytes, `cross-validation` in folds, `final fit` in trees, …): done of total. */
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface TestResult {
  file: string;
  metrics: Metrics;
  /** Rows whose label the model cannot know (a class absent from training) — left out of the metrics. */
  skipped: number;
}

export interface TrainResult {
  body: ModelBody;
  detector: Detector;
  cv: Metrics | null;
  tests: TestResult[];
  timings: Record<string, number>;
  /** Out-of-fold probabilities (row-major) and their labels, for curves in the report. */
  oof: { proba: Float64Array; y: Int32Array } | null;
  train: { file: string; rows: number; classes: Record<string, number> };
}

/** Pipeline per model: linear models want scaled, log-compressed inputs; trees do not care. */
export function pipelineOptionsFor(model: ModelType): PipelineOptions {
  return model === 'logreg' ? { encoding: 'onehot', scale: true, log1p: 'auto' } : { encoding: 'onehot' };
}

const now = (): number => performance.now();

/**
 * The `nadir train` use case: load → (stratified K-fold CV with preprocessing fitted per fold,
 * out-of-fold scores) → threshold from out-of-fold scores (training data only) → final fit on
 * all training rows → evaluation on each test file → importance → a model body ready to save.
 */
export async function train(opts: TrainOptions): Promise<TrainResult> {
  const logger = opts.logger ?? silentLogger;
  const progress = opts.onProgress ?? (() => {});
  const model = opts.model ?? 'gbdt';
  if (!MODEL_TYPES.includes(model)) throw nadirError('NADIR_ERR_BAD_OPTION', '--model', `expected one of ${MODEL_TYPES.join(', ')}, got '${model}'`);
  const task = opts.target ?? 'binary';
  if (!['binary', 'category', 'label'].includes(task)) throw nadirError('NADIR_ERR_BAD_OPTION', '--target', `expected binary, category or label, got '${task}'`);
  if (model === 'iforest' && task !== 'binary') throw nadirError('NADIR_ERR_BAD_OPTION', '--target', 'the isolation forest is unsupervised: it only scores normal vs anomalous (use --target binary)');
  const cvK = opts.cv ?? 5;
  if (!Number.isInteger(cvK) || cvK < 0 || cvK > 50) throw nadirError('NADIR_ERR_BAD_OPTION', '--cv', `expected a whole number of folds from 2 to 50 (or 0 for none), got ${opts.cv}`);
  const seed = opts.seed ?? 0;
  // logistic regression is deterministic and takes no seed
  const learnerOpts = model === 'logreg' ? { ...(opts.learner ?? {}) } : { seed, ...(opts.learner ?? {}) };
  const timings: Record<string, number> = {};

  let t0 = now();
  const drop = new Set(opts.drop ?? []);
  // findings about a dropped column (e.g. 'looks like a row identifier') are answered by dropping it
  const loadLogger: Logger = drop.size ? { warn: (w) => (w.column !== undefined && drop.has(w.column) ? undefined : logger.warn(w)), info: (m) => logger.info(m) } : logger;
  const loaded = await loadDataset(opts.data, { ...opts.load, logger: loadLogger, onProgress: (d, t) => progress(`loading ${basename(opts.data)}`, d, t) });
  const ds = drop.size ? dropColumns(loaded, drop) : loaded;
  const target = buildTarget(ds, task);
  checkClasses(ds, target, model, opts.data);
  timings.loadSeconds = (now() - t0) / 1000;

  // ---- cross-validation: out-of-fold probabilities ----
  let cv: Metrics | null = null;
  let oof: TrainResult['oof'] = null;
  if (cvK >= 2) {
    t0 = now();
    const folds = stratifiedKFold(target.y, cvK, seed);
    const k = target.classes.length;
    const proba = new Float64Array(ds.features.nRows * k);
    let f = 0;
    for (const fold of folds) {
      progress('cross-validation', f, folds.length);
      const fitted = await fitOne(model, learnerOpts, takeRows(ds.features, fold.train), subset(target.y, fold.train), target.classes);
      const P = fitted.learner.predictProba(fitted.pipeline.transform(takeRows(ds.features, fold.test)));
      for (let i = 0; i < fold.test.length; i++) for (let c = 0; c < k; c++) proba[fold.test[i]! * k + c] = P[i * k + c]!;
      progress('cross-validation', ++f, folds.length);
    }
    const labelled = labelledRows(target.y);
    oof = { proba: takeProba(proba, labelled, k), y: subset(target.y, labelled) };
    timings.cvSeconds = (now() - t0) / 1000;
  }

  // ---- threshold: from out-of-fold scores only ----
  let threshold: number | null = null;
  let thresholdInfo: ModelBody['thresholdInfo'];
  const maxFpr = opts.maxFpr ?? 0.01;
  // The isolation forest's default is 'auto': its score is not a probability (see below).
  let spec = task === 'binary' ? (opts.threshold ?? (model === 'iforest' ? 'auto' : 0.5)) : null;
  // No --threshold and no CV for the isolation forest: no out-of-fold scores to choose 'auto' from,
  // so the threshold is chosen in-sample after the final fit (and the user is told).
  const inSample = spec === 'auto' && opts.threshold === undefined && cvK < 2;
  if (inSample) spec = null;
  if (spec !== null) {
    if (typeof spec === 'number') {
      if (!(spec >= 0 && spec <= 1)) throw nadirError('NADIR_ERR_BAD_OPTION', '--threshold', `expected a probability in [0, 1], 'auto' or 'f1', got ${spec}`);
      threshold = spec;
      thresholdInfo = { method: 'fixed' };
    } else {
      if (!oof) throw nadirError('NADIR_ERR_BAD_OPTION', '--threshold', `'${spec}' is chosen from out-of-fold scores: it needs --cv 2 or more`);
      const scores = column(oof.proba, 2, 1);
      const choice = spec === 'auto' ? calibrateThreshold(oof.y, scores, { method: 'max-fpr', maxFpr }) : calibrateThreshold(oof.y, scores, { method: 'f1' });
      threshold = choice.threshold;
      thresholdInfo = { method: choice.method, oofFpr: choice.rates.fpr, oofTpr: choice.rates.tpr, ...(choice.maxFpr !== undefined ? { maxFpr: choice.maxFpr } : {}) };
      if (choice.method === 'max-fpr' && choice.rates.tp + choice.rates.fp === 0) {
        logger.warn({
          code: 'threshold-flags-nothing',
          message:
            `--threshold auto: no threshold keeps the false-positive rate on the out-of-fold scores within --max-fpr ${fmtPct(maxFpr)} ` +
            `(even the highest score flags more normal rows than that), so the model flags nothing (threshold ${threshold.toFixed(4)}, recall 0). ` +
            `Raise --max-fpr, use more trees for finer-grained scores, or set --threshold <p>`,
        });
      }
    }
  }
  if (oof) cv = computeMetrics(oof.y, oof.proba, target.classes, { ...(threshold !== null ? { threshold } : {}), curves: true });

  // ---- final fit on all training rows ----
  t0 = now();
  progress('final fit', 0, 1);
  const labelled = labelledRows(target.y);
  const trainTable = labelled.length === target.y.length ? ds.features : takeRows(ds.features, labelled);
  const final = await fitOne(model, learnerOpts, trainTable, subset(target.y, labelled), target.classes, (d, t) => progress('final fit', d, t));
  timings.fitSeconds = (now() - t0) / 1000;

  if (inSample) {
    // The isolation forest's score s is not a probability: normal training traffic typically
    // scores 0.35–0.5 and 0.5 is only the paper's rule of thumb, so a fixed 0.5 would give an
    // unknown false-positive rate. Without out-of-fold scores, the threshold is chosen on the
    // training rows' own scores at --max-fpr, like 'auto'. It is in-sample, hence optimistic —
    // though each tree sees only ψ (≤ 256) rows, so on large data most rows are out-of-bag for
    // most trees and the optimism is small.
    const yTrain = subset(target.y, labelled);
    const scores = column(final.learner.predictProba(final.pipeline.transform(trainTable)), 2, 1);
    const choice = calibrateThreshold(yTrain, scores, { method: 'max-fpr', maxFpr });
    threshold = choice.threshold;
    thresholdInfo = { method: 'max-fpr-in-sample', maxFpr, trainFpr: choice.rates.fpr, trainTpr: choice.rates.tpr };
    logger.warn({
      code: 'threshold-in-sample',
      message:
        `no --threshold and no cross-validation (--cv ${cvK}): the isolation forest's threshold on its anomaly score is ${threshold.toFixed(4)}, ` +
        `chosen in-sample on the training rows' own scores so that at most ${fmtPct(maxFpr)} of normal training rows are flagged ` +
        `(in-sample false-positive rate ${fmtPct(choice.rates.fpr)}); expect more false alarms on new traffic. ` +
        `Use --cv 2 or more to choose it from out-of-fold scores, or set --threshold <score>`,
    });
  }

  const body: ModelBody = {
    kind: 'nadir-model',
    nadirVersion: NADIR_VERSION,
    createdAt: new Date().toISOString(),
    task,
    classes: [...target.classes],
    schema: { format: ds.format, labelColumn: ds.labelColumn, normalLabels: [...ds.normalLabels], inputs: final.pipeline.inputs.map((i) => ({ ...i })) },
    pipeline: final.pipeline.toJSON(),
    learner: final.learner.toJSON(),
    threshold,
    ...(thresholdInfo ? { thresholdInfo } : {}),
    metrics: {},
    importance: {},
    provenance: {
      data: await fileProvenance(opts.data, ds.features.nRows),
      tests: [],
      options: { model, target: task, cv: cvK, seed, threshold: spec, maxFpr: spec === 'auto' || inSample ? maxFpr : null, learner: learnerOpts, ...(drop.size ? { drop: [...drop] } : {}) },
      command: opts.command ?? '',
      node: process.version,
    },
    timings,
  };
  if (cv) body.metrics.cv = stripCurves(cv);
  if (model !== 'logreg' && model !== 'iforest') body.importance.gain = gainImportance(final.learner, final.pipeline);
  if (model === 'logreg') body.featureMeans = columnMeans(final.pipeline.transform(trainTable));
  const detector = Detector.fromBody(body);

  // ---- hold-out evaluation ----
  const tests: TestResult[] = [];
  let permutationSet: { X: Matrix; y: Int32Array } | null = null;
  t0 = now();
  for (const file of opts.tests ?? []) {
    const tds = await loadDataset(file, { ...opts.load, role: 'evaluate', logger: loadLogger, onProgress: (d, t) => progress(`loading ${basename(file)}`, d, t) });
    progress(`test ${basename(file)}`, 0, 1);
    const r = evaluateDataset(detector, tds, logger);
    tests.push({ file, metrics: r.metrics, skipped: r.skipped });
    body.provenance.tests.push(await fileProvenance(file, tds.features.nRows));
    if (!permutationSet) permutationSet = { X: r.X, y: r.y };
    progress(`test ${basename(file)}`, 1, 1);
  }
  if (tests.length) body.metrics.test = Object.fromEntries(tests.map((t) => [basename(t.file), stripCurves(t.metrics)]));
  timings.testSeconds = (now() - t0) / 1000;

  // ---- permutation importance on the hold-out set (or the training data if there is none) ----
  const repeats = opts.permutationRepeats ?? 3;
  const set = repeats > 0 ? (permutationSet ?? { X: final.pipeline.transform(trainTable), y: subset(target.y, labelled) }) : null;
  if (set && task === 'binary' && new Set(set.y).size < 2) {
    // ROC-AUC needs both classes: e.g. an isolation forest trained on normal traffic only, with no --test file
    const from = permutationSet ? `the first --test file (${basename(opts.tests![0]!)})` : 'the training data';
    logger.warn({ code: 'permutation-skipped', message: `permutation importance skipped: it is measured as the loss of ROC-AUC on ${from}, which has ${set.y[0] === 0 ? 'normal' : 'attack'} rows only; give a --test file with both normal and attack rows` });
  } else if (set) {
    t0 = now();
    const pi = permutationImportance((X) => final.learner.predictProba(X), set.X, set.y, {
      scoring: task === 'binary' ? 'roc_auc' : 'accuracy',
      nRepeats: repeats,
      seed,
      groups: final.pipeline.sourceMap,
      maxRows: opts.permutationRows ?? 5000,
      onProgress: (d, t) => progress('permutation importance', d, t),
    });
    body.importance.permutation = pi.importances.map((g) => ({ feature: g.name, importance: g.mean, std: g.std }));
    timings.permutationSeconds = (now() - t0) / 1000;
  }
  const counts: Record<string, number> = {};
  target.classes.forEach((c) => (counts[c] = 0));
  for (const v of target.y) if (v >= 0) counts[target.classes[v]!]!++;
  return { body, detector, cv, tests, timings, oof, train: { file: opts.data, rows: ds.features.nRows, classes: counts } };
}

/** The dataset without the `--drop` columns; every name must be an input column of the file. */
function dropColumns(ds: Dataset, drop: ReadonlySet<string>): Dataset {
  const names = new Set(ds.features.columns.map((c) => c.name));
  for (const d of drop) {
    if (names.has(d)) continue;
    if (d === ds.labelColumn) throw nadirError('NADIR_ERR_BAD_OPTION', '--drop', `'${d}' is the label column of ${ds.source}; to use another label, give --label`);
    const list = [...names].slice(0, 12).map((n) => `'${n}'`).join(', ');
    throw nadirError('NADIR_ERR_BAD_OPTION', '--drop', `no input column '${d}' in ${ds.source} (its columns: ${list}${names.size > 12 ? ', …' : ''})`);
  }
  if (drop.size >= names.size) throw nadirError('NADIR_ERR_BAD_OPTION', '--drop', `leaves no input column in ${ds.source}`);
  return {
    ...ds,
    features: { nRows: ds.features.nRows, columns: ds.features.columns.filter((c) => !drop.has(c.name)) },
    findings: ds.findings.filter((f) => f.column === undefined || !drop.has(f.column)),
  };
}

/**
 * Fail early, before any fitting, when the training data cannot train the model: a supervised
 * model needs at least two classes; the isolation forest needs normal rows (training on normal
 * traffic only is its intended use).
 */
function checkClasses(ds: Dataset, target: Target, model: ModelType, file: string): void {
  const counts = classCounts(target);
  const present = target.classes.map((c, i) => ({ c, n: counts[i]! })).filter((x) => x.n > 0);
  if (present.length === 0) throw nadirError('NADIR_ERR_BAD_INPUT', `${file}: training data has no labelled rows`);
  const values = (): string => labelValueList(ds.labels);
  if (model === 'iforest') {
    if (counts[0] === 0) {
      throw nadirError('NADIR_ERR_BAD_INPUT', `${file}: training data has no normal rows (label values: ${values()}): the isolation forest learns the profile of normal traffic; check --label / --normal`);
    }
    return;
  }
  if (present.length >= 2) return;
  const only = `'${present[0]!.c}', ${present[0]!.n.toLocaleString('en-US')} row${present[0]!.n === 1 ? '' : 's'}`;
  if (target.kind !== 'binary') {
    throw nadirError('NADIR_ERR_BAD_INPUT', `${file}: training data has one ${target.kind} class only (${only}): a supervised model needs at least two classes; check --label / --target`);
  }
  const hint = counts[0]! > 0 ? 'use --model iforest to learn from normal traffic only, or check --label / --normal' : `no label value counts as normal (label values: ${values()}); check --label / --normal`;
  throw nadirError('NADIR_ERR_BAD_INPUT', `${file}: training data has one class only (${only}): a supervised model needs both normal and attack rows; ${hint}`);
}

/** Score a labelled dataset with a detector and compute the metrics (shared by train and evaluate). */
export function evaluateDataset(detector: Detector, ds: Dataset, logger: Logger = silentLogger): { metrics: Metrics; skipped: number; X: Matrix; y: Int32Array; proba: Float64Array } {
  const t = buildTarget(ds, detector.body.task, detector.body.task === 'binary' ? {} : { classes: detector.classes });
  const keep = labelledRows(t.y);
  const skipped = t.y.length - keep.length;
  if (skipped > 0) {
    logger.warn({ code: 'unknown-class', count: skipped, message: `${ds.source}: ${skipped} row${skipped === 1 ? ' has a' : 's have'} ${detector.body.task} class the model was not trained on; left out of the metrics` });
  }
  // checked on all rows first, so that an error's row number is the file's
  detector.checkInputs(ds.features, ds.source);
  if (keep.length === 0) throw nadirError('NADIR_ERR_BAD_INPUT', `${ds.source}: no rows with a class the model knows`);
  const table = skipped > 0 ? takeRows(ds.features, keep) : ds.features;
  const X = detector.features(table, logger, ds.source);
  const s = detector.scoreMatrix(X);
  const y = skipped > 0 ? subset(t.y, keep) : t.y;
  const metrics = computeMetrics(y, s.proba, detector.classes, { ...(detector.isBinary ? { threshold: detector.threshold } : {}), curves: true });
  return { metrics, skipped, X, y, proba: s.proba };
}

async function fitOne(
  model: ModelType,
  learnerOpts: Record<string, unknown>,
  table: Table,
  y: Int32Array,
  classes: readonly string[],
  onProgress?: (done: number, total: number) => void,
): Promise<{ pipeline: Pipeline; learner: Classifier }> {
  const pipeline = new Pipeline(pipelineOptionsFor(model)).fit(table);
  const X = pipeline.transform(table);
  const learner = createLearner(model, learnerOpts);
  if (model === 'iforest') {
    // unsupervised: learn the profile of normal traffic only (class 0)
    const normal = labelledRows(y, 0);
    const { takeMatrixRows } = await import('../features/take-rows.js');
    await learner.fit(takeMatrixRows(X, normal), new Int32Array(normal.length), { classes: ['normal', 'attack'], ...(onProgress ? { onProgress } : {}) });
  } else {
    await learner.fit(X, y, { classes, ...(onProgress ? { onProgress } : {}) });
  }
  return { pipeline, learner };
}

function gainImportance(learner: Classifier, pipeline: Pipeline): ImportanceEntry[] {
  const imp = (learner as Partial<TreeModel> & { featureImportance?: () => Float64Array }).featureImportance?.();
  if (!imp) return [];
  const bySource = new Map<string, number>();
  pipeline.sourceMap.forEach((src, j) => bySource.set(src, (bySource.get(src) ?? 0) + (imp[j] ?? 0)));
  return [...bySource].map(([feature, importance]) => ({ feature, importance })).sort((a, b) => b.importance - a.importance);
}

function labelledRows(y: Int32Array, only?: number): Uint32Array {
  let n = 0;
  for (let i = 0; i < y.length; i++) if (only === undefined ? y[i]! >= 0 : y[i] === only) n++;
  const out = new Uint32Array(n);
  let k = 0;
  for (let i = 0; i < y.length; i++) if (only === undefined ? y[i]! >= 0 : y[i] === only) out[k++] = i;
  return out;
}

function subset(y: Int32Array, rows: Uint32Array): Int32Array {
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = y[rows[i]!]!;
  return out;
}

function takeProba(p: Float64Array, rows: Uint32Array, k: number): Float64Array {
  if (rows.length * k === p.length) return p;
  const out = new Float64Array(rows.length * k);
  for (let i = 0; i < rows.length; i++) for (let c = 0; c < k; c++) out[i * k + c] = p[rows[i]! * k + c]!;
  return out;
}

function column(p: Float64Array, k: number, c: number): Float64Array {
  const out = new Float64Array(p.length / k);
  for (let i = 0; i < out.length; i++) out[i] = p[i * k + c]!;
  return out;
}

function fmtPct(x: number | null): string {
  return x === null || !Number.isFinite(x) ? '–' : `${(100 * x).toFixed(2)}%`;
}

function columnMeans(X: Matrix): number[] {
  const m = new Float64Array(X.nCols);
  for (let i = 0; i < X.nRows; i++) for (let j = 0; j < X.nCols; j++) m[j]! += X.data[i * X.nCols + j]!;
  return Array.from(m, (s) => s / Math.max(1, X.nRows));
}

/** Curves stay in the report, not in the model file or the JSON contract. */
export function stripCurves(m: Metrics): Metrics {
  const { curves: _curves, ...rest } = m;
  return rest as Metrics;
}

async function fileProvenance(file: string, rows: number): Promise<FileProvenance> {
  return { file: basename(file), ...(await fileChecksums(file)), rows };
}

/**
 * sha256 of a file's bytes and, for a gzip file, of its decompressed content, in one streamed
 * read. The first identifies the file as stored; the second is what `zcat f.gz | sha256sum` prints
 * and what published checksum lists of the uncompressed data give (data/nsl-kdd/SHA256SUMS),
 * and it stays the same when the file is recompressed or unpacked.
 */
export async function fileChecksums(path: string): Promise<{ sha256: string; contentSha256?: string }> {
  const raw = createHash('sha256');
  const fh = await open(path, 'r');
  const head = Buffer.alloc(2);
  try {
    await fh.read(head, 0, 2, 0);
  } finally {
    await fh.close();
  }
  if (!(head[0] === 0x1f && head[1] === 0x8b)) {
    for await (const chunk of createReadStream(path)) raw.update(chunk as Buffer);
    return { sha256: raw.digest('hex') };
  }
  const content = createHash('sha256');
  const file = createReadStream(path);
  file.on('data', (chunk) => raw.update(chunk as Buffer));
  const gunzip = createGunzip();
  gunzip.on('data', (chunk: Buffer) => content.update(chunk));
  // the loader has read the file through gunzip already, so it decompresses here too
  await pipeline(file, gunzip);
  return { sha256: raw.digest('hex'), contentSha256: content.digest('hex') };
}

export type { Target };
