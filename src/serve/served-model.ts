import type { ValidateFunction } from 'ajv';
import { parseCell } from '../data/index.js';
import { nadirError } from '../errors.js';
import { jsonRecordsReader, type JsonRecordsReader } from '../features/json-records.js';
import { jsonTensorsReader, type JsonTensorsReader } from '../features/json-tensors.js';
import { recordEncoder, type RecordEncoder } from '../features/record-encoder.js';
import type { Detector } from '../model/detector.js';
import { thresholdOf } from '../model/decision.js';
import { batchBodySchema, predictBodySchema, recordSchema, type InputField } from './schemas.js';
import type { ModelEntry, ServeLimits } from './types.js';
import { compileBodyValidator, type Invalid } from './validation.js';

/** Model ids appear in URLs: letters, digits, '.', '_', '-'. */
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * A model as the server holds it: the detector and everything derived from it once, at startup —
 * the input fields, the request schemas and the compiled record validator, the category sets that
 * find unseen values, the model card — so that no request compiles or rebuilds anything.
 */
export class ServedModel {
  readonly id: string;
  readonly detector: Detector;
  readonly isDefault: boolean;
  readonly loadSeconds: number | null;
  /** The inputs scoring reads (the preprocessing pipeline's), in order. */
  readonly inputs: readonly InputField[];
  /** Per input: the training categories (categorical inputs), else null. */
  readonly known: ReadonlyArray<ReadonlySet<string> | null>;
  readonly recordSchema: Record<string, unknown>;
  /** The predict route's body: a record, or `{ records: [...] }` with each record left to validateRecord. */
  readonly bodySchema: Record<string, unknown>;
  /** The batch body with its items typed as records: what the OpenAPI document shows. */
  readonly batchDocSchema: Record<string, unknown>;
  /** One record against recordSchema (compiled once). */
  readonly validateRecord: ValidateFunction;
  /** JSON records straight to feature rows (the scoring routes' fast path), or null: always the general path. */
  readonly encoder: RecordEncoder | null;
  /** JSON request bodies straight to feature rows (the predict routes' first try), or null. */
  readonly jsonReader: JsonRecordsReader | null;
  /** v2 infer request bodies (one tensor per input) straight to feature rows (that route's first try), or null. */
  readonly tensorReader: JsonTensorsReader | null;
  readonly threshold: number | null;
  readonly card: Record<string, unknown>;
  readonly summary: Record<string, unknown>;

  constructor(entry: ModelEntry, isDefault: boolean, limits: ServeLimits) {
    if (!ID.test(entry.id)) {
      throw nadirError('NADIR_ERR_BAD_INPUT', `model id ${JSON.stringify(entry.id)} cannot be used in URLs: use letters, digits, '.', '_' and '-' (rename the model file)`);
    }
    this.id = entry.id;
    this.detector = entry.detector;
    this.isDefault = isDefault;
    this.loadSeconds = entry.loadSeconds ?? null;
    const d = entry.detector;
    this.inputs = d.pipeline.inputs.map((i) => ({ name: i.name, kind: i.kind, ...(i.categories ? { categories: i.categories } : {}) }));
    this.known = this.inputs.map((i) => (i.kind === 'categorical' ? new Set(i.categories ?? []) : null));
    this.recordSchema = recordSchema(this.id, this.inputs);
    this.bodySchema = predictBodySchema(this.recordSchema, limits.batchRecords);
    this.batchDocSchema = batchBodySchema(limits.batchRecords, this.recordSchema);
    this.validateRecord = compileBodyValidator(this.recordSchema);
    // the fast path encodes records straight to feature rows; a model that passes identifier fields
    // through (schema.ignored) needs the records themselves, so it takes the general path
    this.encoder = d.body.schema.ignored?.length ? null : recordEncoder(d.pipeline);
    this.jsonReader = this.encoder ? jsonRecordsReader(this.encoder, limits.batchRecords) : null;
    this.tensorReader = this.encoder ? jsonTensorsReader(this.encoder, limits.batchRecords) : null;
    this.threshold = d.isBinary ? thresholdOf(d.body) ?? d.threshold : null;
    const spec = d.spec;
    const base = `/api/v1/models/${this.id}`;
    this.summary = {
      id: this.id,
      default: isDefault,
      task: d.body.task,
      learner: { type: spec.type, name: spec.name, kind: spec.kind, score: spec.score },
      classes: [...d.classes],
      threshold: this.threshold,
      createdAt: d.body.createdAt,
      nadirVersion: d.body.nadirVersion,
      routes: { model: base, predict: `${base}/predict`, csv: `${base}/predict/csv` },
    };
    this.card = {
      ...this.summary,
      decision: d.decision,
      format: d.body.schema.format,
      labelColumn: d.body.schema.labelColumn,
      inputs: this.inputs,
      ignored: (d.body.schema.ignored ?? []).map((i) => ({ name: i.name, role: i.role })),
      metrics: d.body.metrics ?? {},
      importance: d.body.importance ?? {},
      provenance: d.body.provenance ?? {},
    };
  }

  /**
   * What the schema cannot say about a record that passed it: numbers must be finite (JSON has no
   * NaN or Infinity, but 1e400 parses to Infinity), and at least one input must hold a value
   * (nulls only, or missing tokens such as '' and 'NA', is not a flow to score).
   */
  checkRecord(rec: Record<string, unknown>): Invalid | null {
    let any = false;
    for (const f of this.inputs) {
      const v = rec[f.name];
      if (v === null || v === undefined || (typeof v === 'string' && parseCell(v).kind === 'missing')) continue;
      if (typeof v === 'number' && !Number.isFinite(v)) {
        return { field: f.name, message: `field '${f.name}' must be a finite number (got ${v}; send null for a missing value)`, status: 400 };
      }
      any = true;
    }
    if (!any) return { field: null, message: "none of the model's input fields has a value", status: 400 };
    return null;
  }
}
