/**
 * The predict use case: raw records — a file, a stream of JSON lines (stdin, a request body) or
 * records in memory — scored by a trained detector: class, label, score and, when asked, why.
 * The CLI, the HTTP API and the stream workers all score through `predict` / `predictData`.
 */
import type { LoadedData, LoadOptions } from '../data/load.js';
import { dataFromRecords, loadCsvStream, loadData, loadStream, rowName } from '../data/load.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { Matrix } from '../features/types.js';
import type { Detector } from '../model/detector.js';
import type { Contribution } from '../model/explain.js';
import { explainMatrix } from '../model/explain.js';

export interface PredictOptions {
  /** Add per-record explanations (top contributing input columns). */
  explain?: boolean;
  /** How many contributions per record (default 5). */
  top?: number;
  logger?: Logger;
}

/** Predictions for a batch, column-wise: no per-row objects until the caller formats them. */
export interface Predictions {
  nRows: number;
  /** 1-based number of each prediction's record in the input (rows skipped while loading keep their numbers unused). */
  recordNumbers: Uint32Array;
  classes: readonly string[];
  /** Predicted class index per row. */
  pred: Int32Array;
  /** Row-major nRows × classes.length probabilities. */
  proba: Float64Array;
  /** Binary task: P(attack) (an anomaly detector: its anomaly score); multi-class: probability of the predicted class. */
  score: Float64Array;
  /** Binary task: the decision threshold applied to `score`. */
  threshold: number | null;
  explanations?: Contribution[][];
}

/**
 * Records to score: a file (any format the loader reads), a stream of JSON lines (or of CSV, with
 * `format: 'csv'`: an HTTP upload), or JSON records in memory.
 */
export type RecordSource = string | { stream: AsyncIterable<Buffer>; name: string; format?: 'jsonl' | 'csv' } | { records: readonly Record<string, unknown>[]; name?: string };

/**
 * Read records to score with the model's label column (a label present in the input is passed
 * over, not scored) and role 'score': every input row is scored, and learning-only findings
 * (constant columns, labels seen once) are not reported.
 */
export async function readRecords(detector: Detector, source: RecordSource, load: LoadOptions = {}): Promise<LoadedData> {
  const opts: LoadOptions = { label: detector.body.schema.labelColumn, ...load, role: 'score' };
  if (typeof source === 'string') return loadData(source, opts);
  if ('stream' in source) return source.format === 'csv' ? loadCsvStream(source.stream, source.name, opts) : loadStream(source.stream, source.name, opts);
  return dataFromRecords(source.records, { ...opts, source: source.name ?? 'input' });
}

/** Read records and score them (see readRecords and predictData). */
export async function predict(detector: Detector, source: RecordSource, opts: PredictOptions & { load?: LoadOptions } = {}): Promise<Predictions> {
  const data = await readRecords(detector, source, { ...opts.load, logger: opts.logger ?? silentLogger });
  return predictData(detector, data, opts);
}

/** Score loaded records with a trained detector. */
export function predictData(detector: Detector, data: LoadedData, opts: PredictOptions = {}): Predictions {
  const logger = opts.logger ?? silentLogger;
  const X = detector.features(data.features, logger, data.source, (i) => rowName(data, i));
  return predictMatrix(detector, X, opts, data.recordNumbers);
}

/**
 * Score a feature matrix already encoded by the detector's pipeline (predictData's second half;
 * the HTTP API encodes JSON records straight to rows, see features/record-encoder).
 */
export function predictMatrix(detector: Detector, X: Matrix, opts: PredictOptions = {}, recordNumbers: Uint32Array | null = null): Predictions {
  const s = detector.scoreMatrix(X);
  const k = detector.classes.length;
  const score = new Float64Array(s.nRows);
  for (let i = 0; i < s.nRows; i++) score[i] = detector.isBinary ? s.proba[i * 2 + 1]! : s.proba[i * k + s.pred[i]!]!;
  if (!recordNumbers) {
    recordNumbers = new Uint32Array(s.nRows);
    for (let i = 0; i < s.nRows; i++) recordNumbers[i] = i + 1;
  }
  const out: Predictions = { nRows: s.nRows, recordNumbers, classes: detector.classes, pred: s.pred, proba: s.proba, score, threshold: detector.isBinary ? detector.threshold : null };
  if (opts.explain) out.explanations = explainMatrix(detector, X, s.pred, opts.top ?? 5);
  return out;
}

/** Display label: Normal/Attack for the binary task, the class name otherwise. */
export function displayLabel(detector: Detector, classIndex: number): string {
  if (detector.isBinary) return classIndex === 1 ? 'Attack' : 'Normal';
  return detector.classes[classIndex]!;
}
