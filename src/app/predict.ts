import type { LoadedData } from '../data/load.js';
import { rowName } from '../data/load.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
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
  /** Binary task: P(attack); multi-class: probability of the predicted class. */
  score: Float64Array;
  /** Binary task: the decision threshold applied to `score`. */
  threshold: number | null;
  explanations?: Contribution[][];
}

/** Score raw records (any format the loader reads, or JSON records) with a trained detector. */
export function predictData(detector: Detector, data: LoadedData, opts: PredictOptions = {}): Predictions {
  const logger = opts.logger ?? silentLogger;
  const X = detector.features(data.features, logger, data.source, (i) => rowName(data, i));
  const s = detector.scoreMatrix(X);
  const k = detector.classes.length;
  const score = new Float64Array(s.nRows);
  for (let i = 0; i < s.nRows; i++) score[i] = detector.isBinary ? s.proba[i * 2 + 1]! : s.proba[i * k + s.pred[i]!]!;
  let recordNumbers = data.recordNumbers ?? null;
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
