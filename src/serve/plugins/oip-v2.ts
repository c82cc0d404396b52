import type { FastifyPluginAsync } from 'fastify';
import { JsonTensorRows } from '../../features/json-tensors.js';
import { nadirError } from '../../errors.js';
import { NADIR_VERSION } from '../../version.js';
import { invalidError, unknownModel } from '../http-errors.js';
import { errorResponseSchema } from '../schemas.js';
import { isFailure, notifyObservers, observedBatch, scoreJsonRecords, scoreRecords, type ScoredRecord, type ScoreFailure } from '../scoring.js';
import type { ServedModel } from '../served-model.js';
import { describeValidation } from '../validation.js';

/**
 * KServe / Open Inference Protocol v2 (REST), so that nadir drops into model-serving tooling that
 * speaks it: /v2, /v2/health/live, /v2/health/ready, /v2/models/:id, /v2/models/:id/ready and
 * POST /v2/models/:id/infer.
 *
 * A nadir model is tabular with named, typed columns, so each input tensor is one column — named
 * after it, shape [n] (or [n, 1]), datatype FP64 (any numeric type is accepted) for a numeric input
 * or BYTES (strings) for a categorical one — and the outputs are three tensors of shape [n]:
 * `label` and `class` (BYTES) and `probability` (FP64), the numbers /api/v1 gives. Records go
 * through the same checks and scoring as /api/v1; as the protocol has no per-record errors, one bad
 * value fails the request (400, naming the row and the field). Errors keep nadir's one shape,
 * `{ "error": { "code", "message" } }`, where the protocol has a bare string.
 */
export const oipV2Plugin: FastifyPluginAsync = async (app) => {
  const { models, limits } = app.nadir;
  const get = (id: string): ServedModel => {
    const m = models.get(id);
    if (!m) throw unknownModel(id, models.keys());
    return m;
  };
  const params = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } as const;
  const errors = { '4xx': errorResponseSchema, '5xx': errorResponseSchema };
  const tags = ['v2'];
  // JSON bodies of this plugin's routes: an infer request the model's tensor reader takes is read
  // straight into feature rows; anything else is parsed as Fastify parses JSON, for the general path
  const { onProtoPoisoning, onConstructorPoisoning } = app.initialConfig;
  const parseJson = app.getDefaultJsonParser(onProtoPoisoning ?? 'error', onConstructorPoisoning ?? 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const buf = body as Buffer;
    const id = (req.params as { id?: unknown } | undefined)?.id;
    const reader = req.routeOptions.url?.endsWith('/infer') && typeof id === 'string' ? models.get(id)?.tensorReader : null;
    const read = reader?.read(buf) ?? null;
    if (read) done(null, read);
    else parseJson(req, buf.toString('utf8'), done);
  });

  app.get('', { schema: { tags, summary: 'server metadata', response: { 200: { type: 'object', properties: { name: { type: 'string' }, version: { type: 'string' }, extensions: { type: 'array', items: { type: 'string' } } } }, ...errors } } }, async () => ({
    name: 'nadir',
    version: NADIR_VERSION,
    extensions: [],
  }));
  app.get('/health/live', { schema: { tags, summary: 'liveness', response: { 200: { type: 'object', properties: { live: { type: 'boolean' } } }, ...errors } } }, async () => ({ live: true }));
  app.get('/health/ready', { schema: { tags, summary: 'readiness', response: { 200: { type: 'object', properties: { ready: { type: 'boolean' } } }, ...errors } } }, async () => {
    if (app.nadir.state.draining) throw nadirError('NADIR_ERR_UNAVAILABLE', 'shutting down');
    return { ready: true };
  });
  app.get('/models/:id', { schema: { tags, summary: 'model metadata: input and output tensors', params, response: { 200: modelMetadataSchema, ...errors } } }, async (req) => metadata(get((req.params as { id: string }).id)));
  app.get('/models/:id/ready', { schema: { tags, summary: 'model readiness', params, response: { 200: { type: 'object', properties: { name: { type: 'string' }, ready: { type: 'boolean' } } }, ...errors } } }, async (req) => ({
    name: get((req.params as { id: string }).id).id,
    ready: !app.nadir.state.draining,
  }));
  app.post(
    '/models/:id/infer',
    { config: { accepts: 'application/json' }, schema: { tags, summary: 'score records given as one tensor per input column', params, body: inferRequestSchema, response: { 200: inferResponseSchema, ...errors } } },
    async (req, reply) => {
      const model = get((req.params as { id: string }).id);
      const opts = { explain: false, top: 0 };
      if (req.body instanceof JsonTensorRows) {
        // a body the model's tensor reader took: feature rows already (features/json-tensors; no outputs filter)
        const scored = scoreJsonRecords(model, req.body, opts);
        notifyObservers(app.nadir.observers, model, observedBatch(scored));
        const plain = plainInferJson(model, req.body.id, scored);
        if (plain !== null) return reply.type(JSON_TYPE).send(plain);
        return inferAnswer(model, { inputs: [], ...(req.body.id !== null ? { id: req.body.id } : {}) }, scored, false);
      }
      const body = req.body as InferRequest;
      const records = tensorsToRecords(model, body.inputs, limits.batchRecords);
      for (let i = 0; i < records.length; i++) {
        const rec = records[i]!;
        const bad = model.validateRecord(rec) ? model.checkRecord(rec) : describeValidation(model.validateRecord.errors ?? [], 'record');
        if (bad) throw invalidError(`row ${i}`, bad);
      }
      return inferAnswer(model, body, scoreRecords(model, records, null, opts), true);
    },
  );

  /** The infer answer's object (serialised by the route's response schema); observers told here when `notify`. */
  function inferAnswer(model: ServedModel, body: InferRequest, scored: ReadonlyArray<ScoredRecord | ScoreFailure>, notify: boolean): Record<string, unknown> {
    const labels: string[] = [];
    const classes: string[] = [];
    const probability: number[] = [];
    for (let i = 0; i < scored.length; i++) {
      const r = scored[i]!;
      if (isFailure(r)) throw invalidError(`row ${i}`, { field: null, message: r.message, status: 400 });
      labels.push(r.label);
      classes.push(r.class);
      probability.push(r.probability);
    }
    const n = scored.length;
    let outputs = [
      { name: 'label', datatype: 'BYTES', shape: [n], data: labels },
      { name: 'class', datatype: 'BYTES', shape: [n], data: classes },
      { name: 'probability', datatype: 'FP64', shape: [n], data: probability },
    ];
    if (body.outputs?.length) {
      const wanted = new Set(body.outputs.map((o) => o.name));
      const unknown = [...wanted].find((w) => !outputs.some((o) => o.name === w));
      if (unknown !== undefined) throw invalidError('request body', { field: 'outputs', message: `unknown output ${JSON.stringify(unknown)} (outputs: label, class, probability)`, status: 400 });
      outputs = outputs.filter((o) => wanted.has(o.name));
    }
    // only a request answered 200 is counted (metrics, live feed)
    if (notify) notifyObservers(app.nadir.observers, model, observedBatch(scored as ScoredRecord[]));
    return { model_name: model.id, ...(body.id !== undefined ? { id: body.id } : {}), outputs };
  }
};

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The infer answer for plain predictions written directly: the text inferResponseSchema's compiled
 * serialiser writes for it, byte for byte (the tests compare the two), in a fraction of the time.
 * Null when a string would need escaping or a probability is not finite: the serialiser then writes it.
 */
function plainInferJson(model: ServedModel, id: string | null, scored: readonly ScoredRecord[]): string | null {
  const n = scored.length;
  const labels: string[] = new Array<string>(n);
  const classes: string[] = new Array<string>(n);
  const probability: string[] = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const r = scored[i]!;
    if (!plainString(r.label) || !plainString(r.class) || !Number.isFinite(r.probability)) return null;
    labels[i] = `"${r.label}"`;
    classes[i] = `"${r.class}"`;
    probability[i] = String(r.probability);
  }
  if (id !== null && !plainString(id)) return null;
  return (
    `{"model_name":"${model.id}"${id !== null ? `,"id":"${id}"` : ''},"outputs":[` +
    `{"name":"label","datatype":"BYTES","shape":[${n}],"data":[${labels.join(',')}]},` +
    `{"name":"class","datatype":"BYTES","shape":[${n}],"data":[${classes.join(',')}]},` +
    `{"name":"probability","datatype":"FP64","shape":[${n}],"data":[${probability.join(',')}]}]}`
  );
}

/** A string JSON writes as it is, between quotes (printable ASCII without quote or backslash). */
function plainString(s: string): boolean {
  return /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/.test(s);
}

interface Tensor {
  name: string;
  shape: number[];
  datatype: string;
  data: unknown[];
}

interface InferRequest {
  id?: string;
  inputs: Tensor[];
  outputs?: Array<{ name: string }>;
}

const NUMERIC_TYPES = new Set(['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64']);

/** One tensor per input column → one record per row, checked like /api/v1 records afterwards. */
function tensorsToRecords(model: ServedModel, inputs: readonly Tensor[], maxRows: number): Array<Record<string, unknown>> {
  const bad = (field: string, message: string): Error => invalidError('request body', { field, message, status: 400 });
  const byName = new Map<string, Tensor>();
  for (const t of inputs) {
    if (byName.has(t.name)) throw bad('inputs', `input tensor '${t.name}' is given twice`);
    byName.set(t.name, t);
  }
  let n = -1;
  const columns: Array<{ name: string; data: unknown[]; bool: boolean }> = [];
  for (const f of model.inputs) {
    const t = byName.get(f.name);
    if (!t) {
      const names = model.inputs.map((i) => i.name);
      throw bad(f.name, `input tensor '${f.name}' is missing: one tensor per input column (${names.slice(0, 6).join(', ')}${names.length > 6 ? `, … ${names.length} in all` : ''})`);
    }
    if (!(t.shape.length === 1 || (t.shape.length === 2 && t.shape[1] === 1))) throw bad(f.name, `input tensor '${f.name}' must have shape [n] or [n, 1], got [${t.shape.join(', ')}]`);
    let data = t.data;
    if (data.length > 0 && Array.isArray(data[0])) {
      // nested: one [value] per row, no more, no less (flattening ragged rows would shift values between rows)
      const k = data.findIndex((x) => !Array.isArray(x) || x.length !== 1);
      if (k >= 0) throw bad(f.name, `input tensor '${f.name}' has nested data whose item ${k} is not one value in brackets: send [v, …] or [[v], …]`);
      data = (data as unknown[][]).map((x) => x[0]);
    }
    if (data.length !== t.shape[0]) throw bad(f.name, `input tensor '${f.name}' has shape [${t.shape.join(', ')}] but ${data.length} values`);
    if (n === -1) n = data.length;
    else if (data.length !== n) throw bad(f.name, `input tensor '${f.name}' has ${data.length} rows, the others ${n}`);
    const want = f.kind === 'numeric' ? 'a numeric datatype (FP64, FP32, INT64, …)' : 'BYTES';
    if (f.kind === 'numeric' ? !NUMERIC_TYPES.has(t.datatype) : t.datatype !== 'BYTES') throw bad(f.name, `input tensor '${f.name}' must have ${want}, got ${t.datatype}`);
    columns.push({ name: f.name, data, bool: t.datatype === 'BOOL' });
  }
  if (n === 0) throw bad('inputs', 'the input tensors hold no rows');
  if (n > maxRows) throw nadirError('NADIR_ERR_TOO_LARGE', `a request holds at most ${maxRows} rows, this one has ${n}`);
  const records: Array<Record<string, unknown>> = [];
  for (let i = 0; i < n; i++) {
    const rec: Record<string, unknown> = {};
    for (const c of columns) {
      const v = c.data[i];
      // a BOOL tensor's true/false are 1/0; a boolean in any other tensor is left for the record check to refuse
      rec[c.name] = c.bool && typeof v === 'boolean' ? (v ? 1 : 0) : v;
    }
    records.push(rec);
  }
  return records;
}

function metadata(m: ServedModel): Record<string, unknown> {
  return {
    name: m.id,
    versions: [],
    platform: `nadir-${m.detector.spec.type}`,
    inputs: m.inputs.map((f) => ({ name: f.name, datatype: f.kind === 'numeric' ? 'FP64' : 'BYTES', shape: [-1] })),
    outputs: [
      { name: 'label', datatype: 'BYTES', shape: [-1] },
      { name: 'class', datatype: 'BYTES', shape: [-1] },
      { name: 'probability', datatype: 'FP64', shape: [-1] },
    ],
  };
}

const tensorMetaSchema = {
  type: 'object',
  properties: { name: { type: 'string' }, datatype: { type: 'string' }, shape: { type: 'array', items: { type: 'integer' } } },
} as const;

const modelMetadataSchema = {
  type: 'object',
  properties: { name: { type: 'string' }, versions: { type: 'array', items: { type: 'string' } }, platform: { type: 'string' }, inputs: { type: 'array', items: tensorMetaSchema }, outputs: { type: 'array', items: tensorMetaSchema } },
} as const;

const inferRequestSchema = {
  type: 'object',
  required: ['inputs'],
  properties: {
    id: { type: 'string' },
    parameters: { type: 'object' },
    inputs: {
      type: 'array',
      minItems: 1,
      maxItems: 4096,
      items: {
        type: 'object',
        required: ['name', 'shape', 'datatype', 'data'],
        properties: {
          name: { type: 'string' },
          shape: { type: 'array', minItems: 1, maxItems: 2, items: { type: 'integer', minimum: 0 } },
          datatype: { type: 'string' },
          parameters: { type: 'object' },
          data: { type: 'array' },
        },
      },
    },
    outputs: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
  },
} as const;

const inferResponseSchema = {
  type: 'object',
  properties: {
    model_name: { type: 'string' },
    id: { type: 'string' },
    outputs: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          datatype: { type: 'string' },
          shape: { type: 'array', items: { type: 'integer' } },
          // strings (label, class) or numbers (probability): serialised as they are
          data: { type: 'array', items: {} },
        },
      },
    },
  },
} as const;
