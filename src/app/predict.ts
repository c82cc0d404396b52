/**
 * The predict use case: raw records — a file, a stream of JSON lines (stdin, a request body) or
 * records in memory — scored by a trained detector: class, label, score and, when asked, why.
 * The CLI, the HTTP API and the stream workers all score through `predict` / `predictData`.
 */
import type { LoadedData, LoadOptions } from '../data/load.js';
import type { Column, Table } from '../data/types.js';
import { opt } from '../errors.js';
import { dataFromRecords, loadCsvStream, loadData, loadStream, rowName } from '../data/load.js';
import type { Logger } from '../logger.js';
import { silentLogger, warning } from '../logger.js';
import type { Matrix } from '../features/types.js';
import type { Detector } from '../model/detector.js';
import type { Contribution } from '../model/explain.js';
import { explainAnomaly, explainMatrix } from '../model/explain.js';
import { FIRED_ANOMALY, FIRED_KNOWN, HybridDetector } from '../learners/hybrid.js';

export interface PredictOptions {
  /** Add per-record explanations (top contributing input columns). */
  explain?: boolean;
  /** How many contributions per record (default 5). */
  top?: number;
  /**
   * Score records that lack some of the model's input columns, as if those columns were present
   * with every value missing (the preprocessing fills them as it fills a missing value); a warning
   * names them. Only on request: a model scoring without a column it learnt from is a weaker model.
   */
  fillMissing?: boolean;
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
  /**
   * The input's values of the columns the model ignored as identifiers (its addresses, time,
   * flow id), per row, to pass through to the output: an alert keeps them. Absent when the model
   * records none or the input holds none.
   */
  passthrough?: { names: readonly string[]; columns: readonly Column[] };
  /** Hybrid model: both parts' scores and which fired (learners/hybrid.ts FIRED_* bits), and the anomaly part's explanations. */
  hybrid?: { probability: Float64Array; anomaly: Float64Array; fired: Uint8Array; anomalyThreshold: number; gate: number; anomalyExplanations?: Contribution[][] };
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
  // the model's inputs are read as inputs even where they look like identifiers (a model trained with `keep`)
  const opts: LoadOptions = { label: detector.body.schema.labelColumn, ...load, keep: detector.body.schema.inputs.map((i) => i.name), role: 'score' };
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
  const features = opts.fillMissing ? withMissingInputs(detector, data.features, data.source, logger) : data.features;
  const X = detector.features(features, logger, data.source, (i) => rowName(data, i));
  const out = predictMatrix(detector, X, opts, data.recordNumbers, features);
  const passthrough = passthroughColumns(detector, data);
  if (passthrough) out.passthrough = passthrough;
  return out;
}

/**
 * Score a feature matrix already encoded by the detector's pipeline (predictData's second half;
 * the HTTP API encodes JSON records straight to rows, see features/record-encoder). `inputs`, the
 * records as a table, lets explanations name each input value; without it they name the columns.
 */
export function predictMatrix(detector: Detector, X: Matrix, opts: PredictOptions = {}, recordNumbers: Uint32Array | null = null, inputs?: Table): Predictions {
  const s = detector.scoreMatrix(X);
  const k = detector.classes.length;
  const score = new Float64Array(s.nRows);
  for (let i = 0; i < s.nRows; i++) score[i] = detector.isBinary ? s.proba[i * 2 + 1]! : s.proba[i * k + s.pred[i]!]!;
  if (!recordNumbers) {
    recordNumbers = new Uint32Array(s.nRows);
    for (let i = 0; i < s.nRows; i++) recordNumbers[i] = i + 1;
  }
  const out: Predictions = { nRows: s.nRows, recordNumbers, classes: detector.classes, pred: s.pred, proba: s.proba, score, threshold: detector.isBinary ? detector.threshold : null };
  if (opts.explain) out.explanations = explainMatrix(detector, X, s.pred, opts.top ?? 5, inputs);
  if (detector.learner instanceof HybridDetector) {
    const parts = detector.learner.parts(X);
    out.hybrid = { ...parts, anomalyThreshold: detector.learner.thresholds.anomaly, gate: detector.learner.thresholds.gate };
    if (opts.explain) out.hybrid.anomalyExplanations = explainAnomaly(detector, X, opts.top ?? 5, inputs)!;
  }
  return out;
}

/** The input columns the model ignored as identifiers and the input holds (recognised as identifiers, or plain columns), in the model's order. */
function passthroughColumns(detector: Detector, data: LoadedData): Predictions['passthrough'] | null {
  const ignored = detector.body.schema.ignored;
  if (!ignored || ignored.length === 0) return null;
  const byName = new Map<string, Column>();
  for (const c of data.features.columns) byName.set(c.name, c);
  for (const i of data.identifiers ?? []) byName.set(i.column.name, i.column);
  const names: string[] = [];
  const columns: Column[] = [];
  for (const { name } of ignored) {
    const c = byName.get(name);
    if (!c || (c.kind === 'numeric' ? c.values.length : c.codes.length) !== data.features.nRows) continue;
    names.push(name);
    columns.push(c);
  }
  return names.length ? { names, columns } : null;
}

/**
 * The table with every model input it lacks added as a column of missing values (NaN, or code -1),
 * and a warning naming them: what fillMissing does.
 */
export function withMissingInputs(detector: Detector, table: Table, source: string, logger: Logger): Table {
  const have = new Set(table.columns.map((c) => c.name));
  const missing = detector.body.schema.inputs.filter((i) => !have.has(i.name));
  if (missing.length === 0) return table;
  const n = table.nRows;
  const added: Column[] = missing.map((i) =>
    i.kind === 'numeric' ? { kind: 'numeric', name: i.name, values: new Float64Array(n).fill(NaN) } : { kind: 'categorical', name: i.name, codes: new Int32Array(n).fill(-1), dictionary: [] },
  );
  const names = missing.map((m) => `'${m.name}'`);
  logger.warn(warning('filled-missing', `${source}: ${missing.length} of the model's ${detector.body.schema.inputs.length} input columns ${missing.length === 1 ? 'is' : 'are'} missing and scored as missing values (${opt('fillMissing')}): ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''}; the predictions are weaker than the model's metrics say`, { count: missing.length }));
  return { nRows: n, columns: [...table.columns, ...added] };
}

/** Display label: Normal/Attack for the binary task, the class name otherwise. */
export function displayLabel(detector: Detector, classIndex: number): string {
  if (detector.isBinary) return classIndex === 1 ? 'Attack' : 'Normal';
  return detector.classes[classIndex]!;
}

/** Which part of a hybrid model fired: 'known-attack', 'anomaly', 'both' or 'none'. */
export function firedPart(fired: number): 'known-attack' | 'anomaly' | 'both' | 'none' {
  if (fired === (FIRED_KNOWN | FIRED_ANOMALY)) return 'both';
  if (fired === FIRED_KNOWN) return 'known-attack';
  if (fired === FIRED_ANOMALY) return 'anomaly';
  return 'none';
}
