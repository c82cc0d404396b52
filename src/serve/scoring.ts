/**
 * Scoring JSON records for the API: records already checked (schema + checkRecord) → a typed
 * table → app/predict's predictData → the documented per-record output (app/prediction-records),
 * the same numbers `nadir predict` prints; plus per-record warnings the CLI gives per file
 * (a categorical value never seen in training).
 */
import { predictData, predictMatrix } from '../app/predict.js';
import { predictionRecord, type PredictionRecord } from '../app/prediction-records.js';
import { scoringInput, typedRecordsTable } from '../data/typed-records.js';
import { isNadirError } from '../errors.js';
import type { JsonRecords } from '../features/json-records.js';
import { SLOW, UNSEEN_VALUE } from '../features/record-encoder.js';
import type { ServedModel } from './served-model.js';
import type { ObservedBatch, ScoreObserver } from './types.js';

export interface RecordWarning {
  code: string;
  field?: string;
  message: string;
}

/** One record's answer: the predict output without its row number, plus the threshold and warnings. */
export interface ScoredRecord extends Omit<PredictionRecord, 'row'> {
  threshold: number | null;
  warnings?: RecordWarning[];
}

export interface ScoreOptions {
  explain: boolean;
  top: number;
}

/** A record refused while scoring (not by the schema): its position in `rows` and why. */
export interface ScoreFailure {
  at: number;
  code: string;
  message: string;
}

/**
 * Score `records[rows[j]]` for every j (default: all records, in order); answers in the order of
 * `rows`. A batch that fails as a whole with a user error (4xx) is scored again record by
 * record, so that the bad records are named and the others still scored.
 */
export function scoreRecords(model: ServedModel, records: readonly unknown[], rows: ArrayLike<number> | null, opts: ScoreOptions): Array<ScoredRecord | ScoreFailure> {
  const fast = scoreFast(model, records, rows, opts);
  if (fast) return fast;
  try {
    return scoreTogether(model, records, rows, opts);
  } catch (e) {
    const n = rows ? rows.length : records.length;
    if (n === 1 || !isNadirError(e) || e.status >= 500) throw e;
  }
  const n = rows ? rows.length : records.length;
  const out: Array<ScoredRecord | ScoreFailure> = [];
  for (let j = 0; j < n; j++) {
    const i = rows ? rows[j]! : j;
    try {
      out.push(scoreTogether(model, records, [i], opts)[0]!);
    } catch (e) {
      if (!isNadirError(e) || e.status >= 500) throw e;
      out.push({ at: j, code: e.code, message: e.message });
    }
  }
  return out;
}

/**
 * The fast path: every record encoded straight to a feature row by the model's record encoder
 * (features/record-encoder: the same rows as the typed table + pipeline, bit for bit), scored in
 * one call. Null when any record is not one the encoder takes (a bad record, or a model without an
 * encoder): the caller then takes the general path, which says what is wrong.
 */
export function scoreFast(model: ServedModel, records: readonly unknown[], rows: ArrayLike<number> | null, opts: ScoreOptions): ScoredRecord[] | null {
  const enc = model.encoder;
  // explanations name each input value: the general path keeps the records as a table
  if (!enc || opts.explain) return null;
  const n = rows ? rows.length : records.length;
  const nCols = enc.nCols;
  const data = new Float32Array(n * nCols);
  let unseen: Map<number, Array<{ field: string; value: string }>> | null = null;
  for (let j = 0; j < n; j++) {
    const rec = records[rows ? rows[j]! : j];
    const st = enc.encode(rec, data, j * nCols);
    if (st === SLOW) return null;
    if (st === UNSEEN_VALUE) (unseen ??= new Map()).set(j, enc.unseenValues(rec as Record<string, unknown>));
  }
  return scoreRows(model, data, n, unseen, opts);
}

/** Records the JSON body reader took (features/json-records): already feature rows. */
export function scoreJsonRecords(model: ServedModel, body: JsonRecords, opts: ScoreOptions): ScoredRecord[] {
  return scoreRows(model, body.data, body.nRows, body.unseen, opts);
}

/** Feature rows (the pipeline's encoding) scored in one call, with the unseen-category warnings of the records that have some. */
function scoreRows(model: ServedModel, data: Float32Array, n: number, unseen: ReadonlyMap<number, Array<{ field: string; value: string }>> | null, opts: ScoreOptions): ScoredRecord[] {
  const d = model.detector;
  const enc = model.encoder!;
  const p = predictMatrix(d, { data, nRows: n, nCols: enc.nCols, columns: enc.columns }, { explain: opts.explain, top: opts.top });
  const out: ScoredRecord[] = new Array<ScoredRecord>(n);
  for (let i = 0; i < n; i++) out[i] = scoredRecord(predictionRecord(d, p, i), p.threshold);
  if (unseen) for (const [j, values] of unseen) out[j]!.warnings = values.map(({ field, value }) => unseenWarning(field, value));
  return out;
}

/** A prediction record as the API answers it: the label, class, probability, threshold, explanation, and a hybrid's parts. */
function scoredRecord(r: PredictionRecord, threshold: number | null): ScoredRecord {
  const s: ScoredRecord = { label: r.label, class: r.class, probability: r.probability, threshold };
  if (r.explanation) s.explanation = r.explanation;
  if (r.part !== undefined) {
    s.part = r.part;
    s.supervisedProbability = r.supervisedProbability!;
    s.anomalyScore = r.anomalyScore!;
    if (r.anomalyExplanation) s.anomalyExplanation = r.anomalyExplanation;
  }
  return s;
}

function unseenWarning(field: string, value: string): RecordWarning {
  return { code: 'unseen-category', field, message: `field '${field}': ${JSON.stringify(value)} was never seen in training; scored as the unseen category` };
}

function scoreTogether(model: ServedModel, records: readonly unknown[], rows: ArrayLike<number> | null, opts: ScoreOptions): ScoredRecord[] {
  const d = model.detector;
  const table = typedRecordsTable(model.inputs, records, rows ?? undefined, (i) => `record ${i}`);
  const p = predictData(d, scoringInput(table, 'request', d.body.schema.format), { explain: opts.explain, top: opts.top });
  const out: ScoredRecord[] = new Array<ScoredRecord>(p.nRows);
  const ignored = d.body.schema.ignored;
  for (let i = 0; i < p.nRows; i++) {
    const s = scoredRecord(predictionRecord(d, p, i), p.threshold);
    if (ignored?.length) {
      const fields = passthroughFields(records[rows ? rows[i]! : i], ignored);
      if (fields) s.fields = fields;
    }
    out[i] = s;
  }
  // categorical values never seen in training: the encoder scores them as the unseen category; say so per record
  for (let k = 0; k < model.inputs.length; k++) {
    const known = model.known[k];
    const col = table.columns[k]!;
    if (!known || col.kind !== 'categorical') continue;
    let unknownCodes: Uint8Array | null = null;
    for (let c = 0; c < col.dictionary.length; c++) {
      if (!known.has(col.dictionary[c]!)) (unknownCodes ??= new Uint8Array(col.dictionary.length))[c] = 1;
    }
    if (!unknownCodes) continue;
    const field = col.name;
    for (let i = 0; i < p.nRows; i++) {
      const c = col.codes[i]!;
      if (c < 0 || unknownCodes[c] === 0) continue;
      (out[i]!.warnings ??= []).push(unseenWarning(field, col.dictionary[c]!));
    }
  }
  return out;
}

export function isFailure(r: ScoredRecord | ScoreFailure): r is ScoreFailure {
  return 'at' in r;
}

/** Scored records (failures left out) as one observed batch. */
export function observedBatch(results: ReadonlyArray<ScoredRecord | ScoreFailure>): ObservedBatch {
  const scored: ScoredRecord[] = [];
  const labelCounts = new Map<string, number>();
  for (const r of results) {
    if (isFailure(r)) continue;
    scored.push(r);
    labelCounts.set(r.label, (labelCounts.get(r.label) ?? 0) + 1);
  }
  return { labelCounts, size: scored.length, record: (i) => scored[i]! };
}

/** Tell every observer about a batch (nothing when it scored no record). */
export function notifyObservers(observers: readonly ScoreObserver[], model: ServedModel, batch: ObservedBatch): void {
  if (batch.size === 0) return;
  for (const o of observers) o(model, batch);
}

/** The record's values of the fields the model ignored as identifiers (its addresses, time, flow id), or null when it holds none. */
function passthroughFields(record: unknown, ignored: ReadonlyArray<{ name: string }>): Record<string, string | number | null> | null {
  if (record === null || typeof record !== 'object') return null;
  const r = record as Record<string, unknown>;
  let out: Record<string, string | number | null> | null = null;
  for (const { name } of ignored) {
    const v = r[name];
    if (v === undefined) continue;
    (out ??= {})[name] = typeof v === 'string' || typeof v === 'number' || v === null ? v : typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  }
  return out;
}
