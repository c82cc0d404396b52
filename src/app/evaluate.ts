/**
 * The evaluate use case: a trained detector on a labelled dataset → metrics, with the rows whose
 * class the model cannot know left out (and counted). Train uses it for its hold-out test sets.
 */
import type { LoadOptions } from '../data/load.js';
import { loadDataset, takeRows } from '../data/load.js';
import { buildTarget } from '../data/target.js';
import type { Dataset } from '../data/types.js';
import { nadirError } from '../errors.js';
import { computeMetrics } from '../eval/metrics.js';
import type { Metrics } from '../eval/types.js';
import type { Matrix } from '../features/types.js';
import type { LearnerSpec } from '../learners/spec.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { Detector } from '../model/detector.js';
import { labelledRows, take } from '../util/rows.js';
import { withMissingInputs } from './predict.js';
import { hybridEvaluation, unseenDetection, unseenMask, type HybridEvaluation, type UnseenDetection } from './hybrid-parts.js';
import { fileChecksums } from './provenance.js';

export interface Evaluation {
  metrics: Metrics;
  /** Rows of a class the model was not trained on: left out of the metrics. */
  skipped: number;
  /** The scored rows' feature matrix, labels and probabilities (for curves and permutation importance). */
  X: Matrix;
  y: Int32Array;
  proba: Float64Array;
  /** Binary model that knows its training labels: detection of attack rows whose label training never saw. */
  unseen?: UnseenDetection;
  /** Hybrid model: which part fired, by true class, and both parts' scores. */
  hybrid?: HybridEvaluation;
}

/**
 * Metrics of scores against labels, as the model's spec reads them: a binary model at its threshold;
 * for an anomaly score (not a probability) the log loss means nothing and is null.
 */
export function metricsFor(spec: Pick<LearnerSpec, 'score'>, y: Int32Array, proba: Float64Array, classes: readonly string[], threshold: number | null): Metrics {
  const m = computeMetrics(y, proba, classes, { ...(threshold !== null ? { threshold } : {}), curves: true });
  return spec.score === 'anomaly-score' ? { ...m, logLoss: null } : m;
}

/** Score a labelled dataset with a detector and compute the metrics (train's hold-out tests and `evaluate`). */
export function evaluateDataset(detector: Detector, ds: Dataset, logger: Logger = silentLogger): Evaluation {
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
  const y = skipped > 0 ? take(t.y, keep) : t.y;
  const metrics = metricsFor(detector.spec, y, s.proba, detector.classes, detector.isBinary ? detector.threshold : null);
  const rows = skipped > 0 ? keep : null;
  const mask = detector.isBinary ? unseenMask(detector, ds, rows, y.length) : null;
  const unseen = mask ? unseenDetection(ds, rows, mask, s.pred) : undefined;
  const hybrid = hybridEvaluation(detector, X, y, mask);
  return { metrics, skipped, X, y, proba: s.proba, ...(unseen ? { unseen } : {}), ...(hybrid ? { hybrid } : {}) };
}

export interface EvaluateOptions {
  load?: LoadOptions;
  /** Evaluate on a file lacking some model inputs, scored as missing values (see PredictOptions.fillMissing). */
  fillMissing?: boolean;
  logger?: Logger;
}

export interface EvaluateResult {
  evaluation: Evaluation;
  dataset: Dataset;
  /** The evaluated file's checksums (file bytes; gzip: also the decompressed content); none for a dataset given in memory. */
  checksums: { sha256: string; contentSha256?: string } | null;
  timings: { loadSeconds: number; scoreSeconds: number };
}

/**
 * The `evaluate` use case: load a labelled file (with the model's label column unless told
 * otherwise) and evaluate the detector on it. A finding about a column the model does not read
 * (e.g. one dropped when training) is no concern here and is not reported.
 */
export async function evaluate(detector: Detector, data: string | Dataset, opts: EvaluateOptions = {}): Promise<EvaluateResult> {
  const logger = opts.logger ?? silentLogger;
  const t0 = performance.now();
  const inputs = new Set(detector.body.schema.inputs.map((i) => i.name));
  const loadLogger: Logger = { warn: (w) => (w.code === 'identifier-like' && w.column !== undefined && !inputs.has(w.column) ? undefined : logger.warn(w)), info: (m) => logger.info(m) };
  const loaded = typeof data === 'string' ? await loadDataset(data, { label: detector.body.schema.labelColumn, ...opts.load, keep: [...inputs], logger: loadLogger, role: 'evaluate' }) : data;
  const dataset = opts.fillMissing ? { ...loaded, features: withMissingInputs(detector, loaded.features, loaded.source, logger) } : loaded;
  const t1 = performance.now();
  const evaluation = evaluateDataset(detector, dataset, logger);
  const t2 = performance.now();
  const checksums = typeof data === 'string' ? await fileChecksums(data) : null;
  return { evaluation, dataset, checksums, timings: { loadSeconds: (t1 - t0) / 1000, scoreSeconds: (t2 - t1) / 1000 } };
}
