/**
 * The HTTP API's JSON schemas. Request schemas are generated from each model's input schema
 * (column names; numeric vs categorical with the training categories), so Fastify validates
 * bodies with compiled validators and the OpenAPI document shows every model's fields;
 * response schemas let Fastify serialise with compiled serialisers.
 */
import type { TypedField } from '../data/typed-records.js';

export interface InputField extends TypedField {
  readonly categories?: readonly string[];
}

const CATEGORIES_SHOWN = 12;

/** One record of a model: every input field present; numbers (numeric fields) or strings (categorical), null for a missing value. */
export function recordSchema(modelId: string, inputs: readonly InputField[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const f of inputs) {
    if (f.kind === 'numeric') properties[f.name] = { type: ['number', 'null'], description: 'numeric input; null = missing (filled as in training)' };
    else {
      const cats = f.categories ?? [];
      const shown = cats.slice(0, CATEGORIES_SHOWN).join(', ') + (cats.length > CATEGORIES_SHOWN ? `, … (${cats.length} in all)` : '');
      properties[f.name] = {
        type: ['string', 'number', 'null'],
        description: `categorical input; seen in training: ${shown}. Another value is scored as the unseen category, with a warning; null = missing`,
        ...(cats.length ? { examples: [cats[0]] } : {}),
      };
    }
  }
  return {
    type: 'object',
    title: `record (${modelId})`,
    description: `One record to score with model '${modelId}': all ${inputs.length} input fields (other fields, such as a label, are ignored).`,
    required: inputs.map((f) => f.name),
    properties,
    additionalProperties: true,
  };
}

/** A predict body: one record, or `{ "records": [...] }` (each record checked on its own, so one bad record does not sink the batch). */
export function predictBodySchema(record: Record<string, unknown>, maxRecords: number): Record<string, unknown> {
  return {
    if: { type: 'object', required: ['records'] },
    then: batchBodySchema(maxRecords),
    else: record,
  };
}

export function batchBodySchema(maxRecords: number, record?: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'object',
    title: 'batch',
    required: ['records'],
    properties: {
      records: {
        type: 'array',
        minItems: 1,
        maxItems: maxRecords,
        description: `up to ${maxRecords} records; a bad record is reported by its index, the others are still scored`,
        items: record ?? {},
      },
    },
  };
}

export const predictQuerySchema = {
  type: 'object',
  properties: {
    explain: { type: 'boolean', default: false, description: "add each prediction's top contributing input fields with their values (TreeSHAP for trees, the isolation forest's path length included; exact for logistic regression; a hybrid's anomaly part: its distance split over the fields)" },
    top: { type: 'integer', minimum: 1, maximum: 100, default: 5, description: 'contributions per prediction with explain=true' },
  },
  additionalProperties: false,
} as const;

export const warningSchema = {
  type: 'object',
  properties: { code: { type: 'string' }, field: { type: 'string' }, message: { type: 'string' } },
  required: ['code', 'message'],
} as const;

const explanationSchema = {
  type: 'array',
  description: "the top input fields by absolute contribution to the model's raw score (log-odds for gbdt and logreg, probability for rf); positive pushes towards attack (multi-class: towards the predicted class)",
  items: {
    type: 'object',
    properties: { feature: { type: 'string' }, value: { type: 'number' }, input: { type: ['number', 'string', 'null'], description: "the record's value of that input field" } },
    required: ['feature', 'value'],
  },
} as const;

const predictionProperties = {
  label: { type: 'string', description: 'binary models: Normal or Attack; multi-class models: the predicted class' },
  class: { type: 'string', description: "the model's own name for the predicted class" },
  probability: { type: 'number', description: 'binary: P(attack), Attack when ≥ threshold (isolation forest: its anomaly score in (0, 1]); multi-class: the probability of the predicted class' },
  threshold: { type: ['number', 'null'], description: 'binary models: the decision threshold applied to probability; null for multi-class models' },
  explanation: explanationSchema,
  fields: {
    type: 'object',
    additionalProperties: { type: ['string', 'number', 'boolean', 'null'] },
    description: "the record's values of the fields the model ignored as identifiers (addresses, time, flow id: the model card's ignored), passed through so an alert says which flow it is about",
  },
  part: { type: 'string', enum: ['known-attack', 'anomaly', 'both', 'none'], description: 'hybrid models: which part fired' },
  supervisedProbability: { type: 'number', description: "hybrid models: the supervised part's P(attack)" },
  anomalyScore: { type: 'number', description: "hybrid models: distance to the nearest normal training row (divided by the local spacing of normal rows there when the card's decision.parts.anomaly.profileScale is 'local'; anomalous at the anomaly threshold and above, unless the supervised part's P(attack) is below the gate: the model card's decision.parts.anomaly)" },
  anomalyExplanation: { ...explanationSchema, description: "hybrid models with explain=true: the input fields' shares of the anomaly score (they sum to it)" },
  warnings: { type: 'array', items: warningSchema, description: 'e.g. unseen-category: a categorical value never seen in training, scored as the unseen category' },
} as const;

export const errorObjectSchema = {
  type: 'object',
  properties: {
    code: { type: 'string', description: 'NADIR_ERR_… (the error catalogue)' },
    message: { type: 'string' },
    field: { type: 'string', description: 'the field at fault, when there is one' },
  },
  required: ['code', 'message'],
} as const;

export const errorResponseSchema = {
  type: 'object',
  description: 'every error: { error: { code, message, field? } }',
  properties: { error: errorObjectSchema },
  required: ['error'],
} as const;

/** The answer for one record. */
export const predictionResponseSchema = {
  type: 'object',
  title: 'prediction',
  properties: { model: { type: 'string' }, ...predictionProperties },
  required: ['model', 'label', 'class', 'probability', 'threshold'],
} as const;

/** The answer for a batch: one entry per record, in order, a prediction or an error. */
export const batchResponseSchema = {
  type: 'object',
  title: 'batch predictions',
  properties: {
    model: { type: 'string' },
    threshold: predictionProperties.threshold,
    scored: { type: 'integer', description: 'records scored' },
    failed: { type: 'integer', description: 'records refused (their entries hold an error)' },
    warnings: { type: 'array', items: warningSchema, description: 'about the whole batch (e.g. no-explanation)' },
    predictions: {
      type: 'array',
      items: {
        type: 'object',
        description: "one per record, in order: a prediction, or (a bad record) an error naming the field",
        properties: { index: { type: 'integer', description: '0-based position of the record in records' }, ...predictionProperties, error: errorObjectSchema },
        required: ['index'],
      },
    },
  },
  required: ['model', 'threshold', 'scored', 'failed', 'predictions'],
} as const;

const looseObject = { type: 'object', additionalProperties: true } as const;

const inputSchema = {
  type: 'object',
  properties: { name: { type: 'string' }, kind: { type: 'string', enum: ['numeric', 'categorical'] }, categories: { type: 'array', items: { type: 'string' } } },
  required: ['name', 'kind'],
} as const;

const modelSummaryProperties = {
  id: { type: 'string' },
  default: { type: 'boolean', description: 'the model of POST /api/v1/predict' },
  task: { type: 'string', description: 'binary (normal vs attack), category (attack category) or label (raw label)' },
  learner: {
    type: 'object',
    properties: { type: { type: 'string' }, name: { type: 'string' }, kind: { type: 'string' }, score: { type: 'string' } },
  },
  classes: { type: 'array', items: { type: 'string' } },
  threshold: predictionProperties.threshold,
  createdAt: { type: 'string' },
  nadirVersion: { type: 'string' },
  routes: { type: 'object', properties: { predict: { type: 'string' }, csv: { type: 'string' }, model: { type: 'string' } } },
} as const;

export const modelListSchema = {
  type: 'object',
  properties: { default: { type: 'string' }, models: { type: 'array', items: { type: 'object', properties: modelSummaryProperties } } },
  required: ['default', 'models'],
} as const;

/** The model card: everything GET /api/v1/models/:id tells. */
export const modelCardSchema = {
  type: 'object',
  title: 'model card',
  properties: {
    ...modelSummaryProperties,
    decision: { ...looseObject, description: "how scores become a verdict: { kind: 'argmax' } or { kind: 'threshold', score, threshold, method, … } (how the threshold was chosen, on training data only)" },
    inputs: { type: 'array', items: inputSchema, description: "the input schema: every record needs these fields" },
    ignored: {
      type: 'array',
      items: { type: 'object', properties: { name: { type: 'string' }, role: { type: 'string' } }, required: ['name', 'role'] },
      description: 'identifier columns of the training data (addresses, times, flow ids: role ip-address, timestamp, flow-id, …) that are not inputs; a record may hold them, and predictions pass them through as fields',
    },
    format: { type: 'string', description: 'the dataset format the model was trained on' },
    labelColumn: { type: 'string' },
    metrics: {
      type: 'object',
      properties: { cv: looseObject, test: looseObject },
      description:
        'cross-validation (cv) and hold-out (test, by file) metrics from training; binary models trained by this nadir also hold `curves`: { roc: { x: FPR, y: TPR, threshold }, pr: { x: recall, y: precision, threshold } }, at most 200 points each (absent in older model files)',
    },
    importance: { type: 'object', properties: { gain: { type: 'array', items: looseObject }, permutation: { type: 'array', items: looseObject } } },
    provenance: { ...looseObject, description: 'training data file names and checksums, options, command, Node version' },
  },
} as const;
