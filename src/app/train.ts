/**
 * The train use case: load → stratified K-fold cross-validation (preprocessing fitted per fold,
 * out-of-fold scores) → threshold from out-of-fold scores (training data only) → final fit on all
 * training rows → evaluation on each test set → importance → a model body ready to save.
 * Options are named fields (train-options.ts), checked once before anything is loaded.
 */
import { basename } from 'node:path';
import { checkKeep, dropColumns } from '../data/drop-columns.js';
import type { LoadOptions } from '../data/load.js';
import { asNormalTraffic, loadData, loadDataset, takeRows } from '../data/load.js';
import { stratifiedKFold } from '../data/split.js';
import { buildTarget, classCounts, labelValueList } from '../data/target.js';
import type { Dataset, Table, Target } from '../data/types.js';
import { nadirError, opt } from '../errors.js';
import { permutationImportance } from '../eval/permutation-importance.js';
import { calibrateThreshold } from '../eval/threshold.js';
import type { Metrics } from '../eval/types.js';
import { Pipeline } from '../features/pipeline.js';
import { takeMatrixRows } from '../features/take-rows.js';
import type { Matrix } from '../features/types.js';
import { createLearner } from '../learners/registry.js';
import type { LearnerSpec } from '../learners/spec.js';
import { classScores, isAnomalyDetector, type Learner } from '../learners/types.js';
import type { Logger } from '../logger.js';
import { silentLogger, warning } from '../logger.js';
import { Detector } from '../model/detector.js';
import type { ThresholdInfo } from '../model/decision.js';
import type { ImportanceEntry, ModelBody } from '../model/types.js';
import { columnOf, labelledRows, rowsWhere, take, takeRowMajor } from '../util/rows.js';
import { NADIR_VERSION } from '../version.js';
import { evaluateDataset, metricsFor } from './evaluate.js';
import type { HybridEvaluation, UnseenDetection } from './hybrid-parts.js';
import { HybridDetector } from '../learners/hybrid.js';
import { fileProvenance } from './provenance.js';
import { resolveTrainOptions, thresholdRule, type ResolvedTrain, type TrainChoices } from './train-options.js';

export interface TrainOptions extends TrainChoices {
  /** Training data: a file (any format the loader reads) or a loaded dataset. */
  data: string | Dataset;
  /** Hold-out test sets: files or loaded datasets. */
  tests?: ReadonlyArray<string | Dataset>;
  load?: LoadOptions;
  /**
   * Input columns to leave out: identifiers such as a flow id or a timestamp. They are removed
   * after loading, before anything is fitted, and their data-quality findings are not reported;
   * a name that is not an input column of the training data is an error.
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
  /** Rows whose class the model cannot know (a class absent from training) — left out of the metrics. */
  skipped: number;
  /** Raw label values of this test set that never occur in the training data, with their row counts. */
  unseenLabels?: Record<string, number>;
  /** Binary task: how many attack rows of those unseen labels the model flags. */
  unseenDetection?: UnseenDetection;
  /** Hybrid model: which part fired, by true class. */
  hybrid?: HybridEvaluation;
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
  /**
   * Unlabelled training data (an anomaly detector on a Zeek conn.log, EVE without alerts): every
   * row was taken as normal traffic, so `cv` is null (recall, precision and ROC-AUC need attacks);
   * what can be measured is how many of the rows the model flags at its threshold — out-of-fold
   * (`outOfFold`: each row scored by a model that did not see it) with cross-validation, else
   * in-sample. Null for labelled data.
   */
  unlabelled: { rows: number; flagged: number; share: number; outOfFold: boolean } | null;
}

const now = (): number => performance.now();

export async function train(opts: TrainOptions): Promise<TrainResult> {
  const o = resolveTrainOptions(opts);
  const logger = opts.logger ?? silentLogger;
  const progress = opts.onProgress ?? (() => {});
  const timings: Record<string, number> = {};

  let t0 = now();
  const drop = new Set(opts.drop ?? []);
  // findings about a dropped column (e.g. 'looks like a row identifier') are answered by dropping it
  const loadLogger: Logger = drop.size ? { warn: (w) => (w.column !== undefined && drop.has(w.column) ? undefined : logger.warn(w)), info: (m) => logger.info(m) } : logger;
  // an anomaly detector learns normal traffic: unlabelled data (a Zeek conn.log, EVE without alerts) is taken as all normal
  const loaded = await datasetOf(opts.data, { ...opts.load, logger: loadLogger }, progress, o.spec.kind === 'anomaly-detector');
  if (loaded.unlabelled) {
    const n = loaded.features.nRows.toLocaleString('en-US');
    logger.warn(warning('unlabelled-data', `${loaded.source}: no label column (unlabelled data): all ${n} rows are taken as normal traffic to learn from; metrics that need attacks (recall, precision, ROC-AUC) cannot be measured on them`));
  }
  if (opts.load?.keep) checkKeep(loaded, opts.load.keep);
  const ds = dropColumns(loaded, drop);
  const target = buildTarget(ds, o.target);
  checkClasses(ds, target, o.spec);
  warnIfTiny(ds, target, o, logger);
  timings.loadSeconds = (now() - t0) / 1000;

  // ---- cross-validation: out-of-fold probabilities ----
  let oof: TrainResult['oof'] = null;
  if (o.cv >= 2) {
    t0 = now();
    oof = await crossValidate(ds.features, target, o, progress);
    timings.cvSeconds = (now() - t0) / 1000;
  }

  // ---- threshold: from out-of-fold scores only ----
  const rule = o.target === 'binary' ? thresholdRule(o) : null;
  // no threshold given and no CV for an anomaly score: chosen in-sample after the final fit (and the user is told)
  const inSample = rule === 'auto' && o.threshold === undefined && o.cv < 2;
  let decision = rule === null || inSample ? null : chooseThreshold(rule, oof, o, logger);

  // ---- final fit on all training rows ----
  t0 = now();
  progress('final fit', 0, 1);
  const labelled = labelledRows(target.y);
  const trainTable = labelled.length === target.y.length ? ds.features : takeRows(ds.features, labelled);
  const yTrain = take(target.y, labelled);
  const final = await fitOne(o, trainTable, yTrain, target.classes, (d, t) => progress('final fit', d, t));
  timings.fitSeconds = (now() - t0) / 1000;
  for (const c of final.pipeline.cuts) {
    logger.warn(
      warning(
        'categories-cut',
        `${ds.source}: column '${c.column}' has ${(c.kept + c.cut).toLocaleString('en-US')} categories: one-hot keeps the ${c.kept} most frequent (${opt('maxCategories')}), ` +
          `the other ${c.cut.toLocaleString('en-US')} (${c.rows.toLocaleString('en-US')} row${c.rows === 1 ? '' : 's'}) share one '<other>' column`,
        { column: c.column, count: c.cut },
      ),
    );
  }
  if (inSample) decision = inSampleThreshold(final, trainTable, yTrain, o, logger);

  const threshold = decision?.threshold ?? null;
  const cv = oof && !ds.unlabelled ? metricsFor(o.spec, oof.y, oof.proba, target.classes, threshold) : null;
  const unlabelled = ds.unlabelled && threshold !== null ? flaggedShare(oof?.proba ?? classScores(final.learner, final.pipeline.transform(trainTable)), threshold, oof !== null) : null;
  const body: ModelBody = {
    kind: 'nadir-model',
    nadirVersion: NADIR_VERSION,
    createdAt: new Date().toISOString(),
    task: o.target,
    classes: [...target.classes],
    schema: { format: ds.format, labelColumn: ds.labelColumn, normalLabels: [...ds.normalLabels], inputs: final.pipeline.inputs.map((i) => ({ ...i })), ignored: (ds.identifiers ?? []).map((i) => ({ name: i.column.name, role: i.role })) },
    pipeline: final.pipeline.toJSON(),
    learner: final.learner.toJSON(),
    decision: decision ? { kind: 'threshold', score: o.spec.score, threshold: decision.threshold, ...decision.info } : { kind: 'argmax' },
    metrics: {},
    importance: {},
    provenance: {
      data: await provenanceOf(opts.data, ds),
      tests: [],
      options: {
        model: o.model,
        target: o.target,
        cv: o.cv,
        seed: o.seed,
        threshold: rule === null || inSample ? null : rule,
        maxFpr: rule === 'auto' ? o.maxFpr : null,
        learner: o.learner,
        ...(drop.size ? { drop: [...drop] } : {}),
        ...(opts.load?.keep?.length ? { keep: [...opts.load.keep] } : {}),
        maxCategories: o.maxCategories,
      },
      command: opts.command ?? '',
      node: process.version,
    },
    timings,
  };
  // with their ROC and PR curves (≤ 200 points each): the model card draws them (nadir serve's dashboard)
  if (cv) body.metrics.cv = cv;
  if (o.spec.importance === 'gain') body.importance.gain = gainImportance(final.learner, final.pipeline);
  if (o.spec.explainer === 'linear' || (final.learner instanceof HybridDetector && final.learner.supervised.type === 'logreg')) body.featureMeans = columnMeans(final.pipeline.transform(trainTable));
  body.trainLabels = trainingLabels(ds, labelled);
  if (final.learner instanceof HybridDetector && body.decision.kind === 'threshold') {
    const t = final.learner.thresholds;
    body.decision.parts = {
      supervised: { threshold: t.supervised },
      anomaly: { threshold: t.anomaly, method: 'max-fpr-oof-normal', maxFpr: t.maxFpr, oofFpr: t.oofFpr, normalRows: t.normalRows, gate: t.gate, profileScale: t.profileScale },
    };
  }
  const detector = Detector.fromBody(body);

  // ---- hold-out evaluation ----
  const tests: TestResult[] = [];
  let permutationSet: { X: Matrix; y: Int32Array } | null = null;
  const trainLabels = new Set(ds.labels.dictionary);
  t0 = now();
  for (const test of opts.tests ?? []) {
    const tds = await datasetOf(test, { ...opts.load, role: 'evaluate', logger: loadLogger }, progress);
    progress(`test ${basename(tds.source)}`, 0, 1);
    const r = evaluateDataset(detector, tds, logger);
    tests.push({
      file: tds.source,
      metrics: r.metrics,
      skipped: r.skipped,
      unseenLabels: unseenLabels(tds, trainLabels),
      ...(r.unseen ? { unseenDetection: r.unseen } : {}),
      ...(r.hybrid ? { hybrid: r.hybrid } : {}),
    });
    body.provenance.tests.push(await provenanceOf(test, tds));
    permutationSet ??= { X: r.X, y: r.y };
    progress(`test ${basename(tds.source)}`, 1, 1);
  }
  if (tests.length) body.metrics.test = Object.fromEntries(tests.map((t) => [basename(t.file), t.metrics]));
  timings.testSeconds = (now() - t0) / 1000;

  // ---- permutation importance on the hold-out set (or the training data if there is none) ----
  const set = o.permutationRepeats > 0 ? (permutationSet ?? { X: final.pipeline.transform(trainTable), y: yTrain }) : null;
  if (set && o.target === 'binary' && new Set(set.y).size < 2) {
    // ROC-AUC needs both classes: e.g. an isolation forest trained on normal traffic only, with no test set
    const from = permutationSet ? `the first ${opt('tests')} file (${basename(tests[0]!.file)})` : 'the training data';
    logger.warn(warning('permutation-skipped', `permutation importance skipped: it is measured as the loss of ROC-AUC on ${from}, which has ${set.y[0] === 0 ? 'normal' : 'attack'} rows only; give a ${opt('tests')} file with both normal and attack rows`));
  } else if (set) {
    t0 = now();
    const pi = permutationImportance((X) => classScores(final.learner, X), set.X, set.y, {
      scoring: o.target === 'binary' ? 'roc_auc' : 'accuracy',
      nRepeats: o.permutationRepeats,
      seed: o.seed,
      groups: final.pipeline.sourceMap,
      maxRows: o.permutationRows,
      onProgress: (d, t) => progress('permutation importance', d, t),
    });
    body.importance.permutation = pi.importances.map((g) => ({ feature: g.name, importance: g.mean, std: g.std }));
    timings.permutationSeconds = (now() - t0) / 1000;
  }
  const counts = classCounts(target);
  const classes = Object.fromEntries(target.classes.map((c, i) => [c, counts[i]!]));
  return { body, detector, cv, tests, timings, oof, train: { file: ds.source, rows: ds.features.nRows, classes }, unlabelled };
}

/** How many rows a binary score (row-major, two columns) flags at the threshold (score ≥ threshold, as the decision rule). */
function flaggedShare(scores: Float64Array, threshold: number, outOfFold: boolean): NonNullable<TrainResult['unlabelled']> {
  const rows = scores.length / 2;
  let flagged = 0;
  for (let i = 0; i < rows; i++) if (scores[i * 2 + 1]! >= threshold) flagged++;
  return { rows, flagged, share: rows > 0 ? flagged / rows : 0, outOfFold };
}

/** A dataset as given, or loaded from its file (with a byte-level `loading <file>` progress stage). */
async function datasetOf(data: string | Dataset, load: LoadOptions, progress: (stage: string, done: number, total: number) => void, unlabelledOk = false): Promise<Dataset> {
  if (typeof data !== 'string') return data;
  const opts: LoadOptions = { ...load, onProgress: (d, t) => progress(`loading ${basename(data)}`, d, t) };
  if (!unlabelledOk || load.label !== undefined) return loadDataset(data, opts);
  return asNormalTraffic(await loadData(data, opts), opts);
}

/** Provenance of a training or test set: checksums of its file; a dataset given in memory has none. */
async function provenanceOf(data: string | Dataset, ds: Dataset): ReturnType<typeof fileProvenance> {
  if (typeof data === 'string') return fileProvenance(data, ds.features.nRows);
  return { file: basename(ds.source), sha256: '', rows: ds.features.nRows };
}

/** Stratified K-fold: each fold's pipeline and learner fitted on its training rows only, scored on its held-out rows. */
async function crossValidate(
  table: Table,
  target: Target,
  o: ResolvedTrain,
  progress: (stage: string, done: number, total: number) => void,
): Promise<{ proba: Float64Array; y: Int32Array }> {
  const folds = stratifiedKFold(target.y, o.cv, o.seed);
  const k = target.classes.length;
  const proba = new Float64Array(table.nRows * k);
  let f = 0;
  for (const fold of folds) {
    progress('cross-validation', f, folds.length);
    const fitted = await fitOne(o, takeRows(table, fold.train), take(target.y, fold.train), target.classes);
    const P = classScores(fitted.learner, fitted.pipeline.transform(takeRows(table, fold.test)));
    for (let i = 0; i < fold.test.length; i++) proba.set(P.subarray(i * k, (i + 1) * k), fold.test[i]! * k);
    progress('cross-validation', ++f, folds.length);
  }
  const labelled = labelledRows(target.y);
  return { proba: takeRowMajor(proba, k, labelled), y: take(target.y, labelled) };
}

type Decision = { threshold: number; info: ThresholdInfo };

/** A fixed threshold as given, or one chosen on the out-of-fold scores ('auto': recall at most maxFpr; 'f1'). */
function chooseThreshold(rule: number | 'auto' | 'f1', oof: TrainResult['oof'], o: ResolvedTrain, logger: Logger): Decision {
  if (typeof rule === 'number') return { threshold: rule, info: { method: 'fixed' } };
  if (!oof) throw nadirError('NADIR_ERR_BAD_OPTION', 'threshold', `'${rule}' is chosen from out-of-fold scores: it needs ${opt('cv')} 2 or more`);
  const scores = columnOf(oof.proba, 2, 1);
  const choice = rule === 'auto' ? calibrateThreshold(oof.y, scores, { method: 'max-fpr', maxFpr: o.maxFpr }) : calibrateThreshold(oof.y, scores, { method: 'f1' });
  if (choice.method === 'max-fpr' && choice.rates.tp + choice.rates.fp === 0) {
    logger.warn(
      warning(
        'threshold-flags-nothing',
        `${opt('threshold')} auto: no threshold keeps the false-positive rate on the out-of-fold scores within ${opt('maxFpr')} ${fmtPct(o.maxFpr)} ` +
          `(even the highest score flags more normal rows than that), so the model flags nothing (threshold ${choice.threshold.toFixed(4)}, recall 0). ` +
          `Raise ${opt('maxFpr')}, use more trees for finer-grained scores, or set ${opt('threshold')} <p>`,
      ),
    );
  }
  return {
    threshold: choice.threshold,
    info: { method: choice.method, oofFpr: choice.rates.fpr, oofTpr: choice.rates.tpr, ...(choice.maxFpr !== undefined ? { maxFpr: choice.maxFpr } : {}) },
  };
}

/**
 * An anomaly score (the isolation forest's s) is not a probability: normal training traffic
 * typically scores 0.35–0.5 and 0.5 is only the paper's rule of thumb, so a fixed 0.5 would give an
 * unknown false-positive rate. Without out-of-fold scores the threshold is chosen on the training
 * rows' own scores at maxFpr, like 'auto'. It is in-sample, hence optimistic — though each tree
 * sees only ψ (≤ 256) rows, so on large data most rows are out-of-bag for most trees.
 */
function inSampleThreshold(final: Fitted, table: Table, y: Int32Array, o: ResolvedTrain, logger: Logger): Decision {
  const scores = columnOf(classScores(final.learner, final.pipeline.transform(table)), 2, 1);
  const choice = calibrateThreshold(y, scores, { method: 'max-fpr', maxFpr: o.maxFpr });
  logger.warn(
    warning(
      'threshold-in-sample',
      `no ${opt('threshold')} and no cross-validation (${opt('cv')} ${o.cv}): the ${o.spec.name}'s threshold on its anomaly score is ${choice.threshold.toFixed(4)}, ` +
        `chosen in-sample on the training rows' own scores so that at most ${fmtPct(o.maxFpr)} of normal training rows are flagged ` +
        `(in-sample false-positive rate ${fmtPct(choice.rates.fpr)}); expect more false alarms on new traffic. ` +
        `Use ${opt('cv')} 2 or more to choose it from out-of-fold scores, or set ${opt('threshold')} <score>`,
    ),
  );
  return { threshold: choice.threshold, info: { method: 'max-fpr-in-sample', maxFpr: o.maxFpr, trainFpr: choice.rates.fpr, trainTpr: choice.rates.tpr } };
}

/**
 * Fail early, before any fitting, when the training data cannot train the model: a classifier
 * needs at least two classes; an anomaly detector needs normal rows (training on normal traffic
 * only is its intended use).
 */
function checkClasses(ds: Dataset, target: Target, spec: LearnerSpec): void {
  const counts = classCounts(target);
  const file = ds.source;
  const present = target.classes.map((c, i) => ({ c, n: counts[i]! })).filter((x) => x.n > 0);
  if (present.length === 0) throw nadirError('NADIR_ERR_BAD_INPUT', `${file}: training data has no labelled rows`);
  const values = (): string => labelValueList(ds.labels);
  const check = `check ${opt('label')} / ${opt('normal')}`;
  if (spec.kind === 'anomaly-detector') {
    if (counts[0] === 0) throw nadirError('NADIR_ERR_BAD_INPUT', `${file}: training data has no normal rows (label values: ${values()}): the ${spec.name} learns the profile of normal traffic; ${check}`);
    return;
  }
  if (present.length >= 2) return;
  const only = `'${present[0]!.c}', ${present[0]!.n.toLocaleString('en-US')} row${present[0]!.n === 1 ? '' : 's'}`;
  if (target.kind !== 'binary') {
    throw nadirError('NADIR_ERR_BAD_INPUT', `${file}: training data has one ${target.kind} class only (${only}): a supervised model needs at least two classes; check ${opt('label')} / ${opt('target')}`);
  }
  const hint = counts[0]! > 0 ? `use ${opt('model')} iforest to learn from normal traffic only, or ${check}` : `no label value counts as normal (label values: ${values()}); ${check}`;
  throw nadirError('NADIR_ERR_BAD_INPUT', `${file}: training data has one class only (${only}): a supervised model needs both normal and attack rows; ${hint}`);
}

/** Training on a handful of rows "works" and means little: say so when a class is too small for the folds, or the data is tiny. */
function warnIfTiny(ds: Dataset, target: Target, o: ResolvedTrain, logger: Logger): void {
  const counts = classCounts(target);
  const rows = counts.reduce((a, b) => a + b, 0);
  if (rows < 100) {
    logger.warn(warning('tiny-data', `${ds.source}: only ${rows} ${ds.unlabelled ? '' : 'labelled '}row${rows === 1 ? '' : 's'}: a model trained on so few rows, and its metrics, say little about new traffic`, { count: rows }));
  }
  if (o.cv < 2 || o.spec.kind !== 'classifier') return;
  const small = target.classes.map((c, i) => ({ c, n: counts[i]! })).filter((x) => x.n > 0 && x.n < o.cv);
  if (small.length) {
    const list = small.map((x) => `'${x.c}' (${x.n})`).join(', ');
    logger.warn(
      warning('class-smaller-than-folds', `${ds.source}: ${small.length === 1 ? 'class' : 'classes'} ${list} ${small.length === 1 ? 'has' : 'have'} fewer rows than the ${o.cv} cross-validation folds: some folds hold none of ${small.length === 1 ? 'it' : 'them'}, and ${small.length === 1 ? 'its' : 'their'} cross-validated metrics are unreliable (lower ${opt('cv')}, or merge rare classes with ${opt('target')} category)`, { count: small.length }),
    );
  }
}

/** The raw label values of the training rows used, sorted. */
function trainingLabels(ds: Dataset, rows: Uint32Array): string[] {
  const seen = new Set<string>();
  for (const i of rows) {
    const c = ds.labels.codes[i]!;
    if (c >= 0) seen.add(ds.labels.dictionary[c]!);
  }
  return [...seen].sort();
}

/** Raw label values of a test set that never occur in the training data, with their row counts. */
function unseenLabels(test: Dataset, trainLabels: ReadonlySet<string>): Record<string, number> {
  const { codes, dictionary } = test.labels;
  const counts = new Array<number>(dictionary.length).fill(0);
  for (let i = 0; i < codes.length; i++) if (codes[i]! >= 0) counts[codes[i]!]!++;
  const out: Record<string, number> = {};
  dictionary.forEach((v, i) => {
    if (!trainLabels.has(v) && counts[i]! > 0) out[v] = counts[i]!;
  });
  return out;
}

interface Fitted {
  pipeline: Pipeline;
  learner: Learner;
}

/** One pipeline + learner fitted on the given rows (an anomaly detector on the normal ones only). */
async function fitOne(o: ResolvedTrain, table: Table, y: Int32Array, classes: readonly string[], onProgress?: (done: number, total: number) => void): Promise<Fitted> {
  const pipeline = new Pipeline({ ...o.spec.preprocessing, maxCategories: o.maxCategories }).fit(table);
  const X = pipeline.transform(table);
  const learner = createLearner(o.model, o.learner);
  const fitOpts = onProgress ? { onProgress } : {};
  if (isAnomalyDetector(learner)) {
    // unsupervised: learn the profile of normal traffic only (class 0)
    const normal = rowsWhere(y, (v) => v === 0);
    await learner.fit(takeMatrixRows(X, normal), undefined, { classes: ['normal', 'attack'], ...fitOpts });
  } else {
    await learner.fit(X, y, { classes, ...fitOpts });
  }
  return { pipeline, learner };
}

/** Split-gain importance of the encoded columns, summed back to their input column, most important first. */
function gainImportance(learner: Learner, pipeline: Pipeline): ImportanceEntry[] {
  const imp = (learner as { featureImportance?: () => Float64Array }).featureImportance?.();
  if (!imp) return [];
  const bySource = new Map<string, number>();
  pipeline.sourceMap.forEach((src, j) => bySource.set(src, (bySource.get(src) ?? 0) + (imp[j] ?? 0)));
  return [...bySource].map(([feature, importance]) => ({ feature, importance })).sort((a, b) => b.importance - a.importance);
}

function fmtPct(x: number | null): string {
  return x === null || !Number.isFinite(x) ? '–' : `${(100 * x).toFixed(2)}%`;
}

function columnMeans(X: Matrix): number[] {
  const m = new Float64Array(X.nCols);
  for (let i = 0; i < X.nRows; i++) for (let j = 0; j < X.nCols; j++) m[j]! += X.data[i * X.nCols + j]!;
  return Array.from(m, (s) => s / Math.max(1, X.nRows));
}

export type { Target };
