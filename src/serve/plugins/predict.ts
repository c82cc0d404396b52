import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import { JsonRecords, type JsonRecordsReader } from '../../features/json-records.js';
import { invalidError, unknownModel } from '../http-errors.js';
import { batchResponseSchema, errorResponseSchema, predictionResponseSchema, predictQuerySchema } from '../schemas.js';
import { isFailure, notifyObservers, observedBatch, scoreFast, scoreJsonRecords, scoreRecords, type RecordWarning, type ScoredRecord, type ScoreFailure, type ScoreOptions } from '../scoring.js';
import type { ServedModel } from '../served-model.js';
import { describeValidation, type Invalid } from '../validation.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * POST /api/v1/models/<id>/predict for every model and POST /api/v1/predict for the default one:
 * one record (a JSON object) or `{ "records": [...] }`. Each model's route is its own, with a body
 * schema generated from that model's inputs, so Fastify validates a single record with a
 * compiled validator; in a batch every record is checked on its own (the model's compiled record
 * validator), a bad one answered by its index with the field and the reason while the others are
 * scored together in one pass.
 */
export const predictPlugin: FastifyPluginAsync = async (app) => {
  const { models, defaultModel } = app.nadir;
  // JSON bodies of these routes: read straight into feature rows when the model's reader takes
  // them (features/json-records); anything else is parsed as Fastify parses JSON, for the general path
  const { onProtoPoisoning, onConstructorPoisoning } = app.initialConfig;
  const parseJson = app.getDefaultJsonParser(onProtoPoisoning ?? 'error', onConstructorPoisoning ?? 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const buf = body as Buffer;
    // explanations name each input value, so they need the records themselves: the general path
    const read = wantsExplanation(req.query) ? null : (req.routeOptions.config.jsonReader?.read(buf) ?? null);
    if (read) done(null, read);
    else parseJson(req, buf.toString('utf8'), done);
  });
  for (const m of models.values()) predictRoute(app, `/models/${m.id}/predict`, m, `Score records with model '${m.id}'`);
  predictRoute(app, '/predict', defaultModel, `Score records with the default model ('${defaultModel.id}')`);
  // static routes win over this one: it only answers ids no model has
  app.post('/models/:id/predict', { schema: { hide: true } }, async (req) => {
    throw unknownModel((req.params as { id: string }).id, models.keys());
  });
};

/** `?explain=…` other than false/0 (read before the query schema coerces it; a wrong guess only changes the path, not the answer). */
function wantsExplanation(query: unknown): boolean {
  const v = (query as Record<string, unknown> | undefined)?.explain;
  return v !== undefined && v !== 'false' && v !== '0' && v !== false;
}

type PredictBody = Record<string, unknown> & { records?: unknown[] };

function predictRoute(app: FastifyInstance, url: string, model: ServedModel, summary: string): void {
  const together = new Together(app, model);
  app.post(
    url,
    {
      config: {
        accepts: 'application/json',
        ...(model.jsonReader ? { jsonReader: model.jsonReader } : {}),
        // the OpenAPI document shows the body as one record or a batch of typed records
        swaggerTransform: ({ schema, url: u }) => ({ schema: { ...schema, body: { oneOf: [model.recordSchema, model.batchDocSchema] } } as typeof schema, url: u }),
      },
      schema: {
        tags: ['predict'],
        summary,
        description:
          'One record → one prediction; `{ "records": [...] }` → one entry per record, in order (a bad record gets an error naming its field; the others are scored). ' +
          'Every input field must be present (null = missing value). `explain=true` adds the top contributions (the numbers `nadir predict --explain` gives).',
        querystring: predictQuerySchema,
        body: model.bodySchema,
        response: { 200: { oneOf: [predictionResponseSchema, batchResponseSchema] }, '4xx': errorResponseSchema, '5xx': errorResponseSchema },
      },
    },
    async (req, reply) => {
      const q = req.query as { explain: boolean; top: number };
      const opts: ScoreOptions = { explain: q.explain, top: q.top };
      if (req.body instanceof JsonRecords) {
        // one record, no explanation: scored with the others that arrive in the same turn of the event loop
        if (!req.body.batch && !opts.explain) return together.add(req.body, reply);
        return sendJsonRecords(app, model, req.body, opts, reply);
      }
      const body = req.body as PredictBody;
      if (body.records !== undefined) return sendBatch(app, model, body.records, opts, reply);
      // the fast path takes a record it is sure of; anything else is checked, and refused or scored, on the general path
      let r: ScoredRecord | ScoreFailure | undefined = scoreFast(model, [body], null, opts)?.[0];
      if (!r) {
        const bad = model.checkRecord(body);
        if (bad) throw invalidError('request body', bad);
        r = scoreRecords(model, [body], null, opts)[0]!;
      }
      if (isFailure(r)) throw invalidError('request body', { field: null, message: r.message, status: 400 });
      return sendOne(app, model, r, opts, reply);
    },
  );
}

/**
 * Single records of one route (read by the JSON reader, no explanation asked) held until the end
 * of the current turn of the event loop (setImmediate), then scored as one matrix and answered
 * each on its own. Under load many requests are read in one turn: the trees are walked for all of
 * them at once (the batch kernel), which costs a fraction per record of walking them for each
 * (the single-row path). A quiet server answers the lone request as before, in the same turn.
 * The numbers are the same either way: the batch path is the one `nadir predict` takes.
 */
class Together {
  private pending: Array<{ body: JsonRecords; reply: FastifyReply }> = [];
  private scheduled = false;

  constructor(
    private readonly app: FastifyInstance,
    private readonly model: ServedModel,
  ) {}

  add(body: JsonRecords, reply: FastifyReply): FastifyReply {
    this.pending.push({ body, reply });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    return reply;
  }

  private flush(): void {
    this.scheduled = false;
    const group = this.pending;
    this.pending = [];
    const opts: ScoreOptions = { explain: false, top: 0 };
    try {
      if (group.length === 1) {
        const { body, reply } = group[0]!;
        sendOne(this.app, this.model, scoreJsonRecords(this.model, body, opts)[0]!, opts, reply);
        return;
      }
      const nCols = this.model.encoder!.nCols;
      const data = new Float32Array(group.length * nCols);
      let unseen: Map<number, Array<{ field: string; value: string }>> | null = null;
      group.forEach(({ body }, i) => {
        data.set(body.data, i * nCols);
        const u = body.unseen?.get(0);
        if (u) (unseen ??= new Map()).set(i, u);
      });
      const scored = scoreJsonRecords(this.model, new JsonRecords(true, group.length, data, unseen), opts);
      notifyObservers(this.app.nadir.observers, this.model, observedBatch(scored));
      group.forEach(({ reply }, i) => sendAnswer(this.model, scored[i]!, opts, reply));
    } catch (e) {
      // unexpected (scoring does not fail on records the reader took): every waiting request gets the error answer
      for (const { reply } of group) if (!reply.sent) reply.send(e);
    }
  }
}

function sendOne(app: FastifyInstance, model: ServedModel, r: ScoredRecord, opts: ScoreOptions, reply: FastifyReply): FastifyReply {
  notifyObservers(app.nadir.observers, model, observedBatch([r]));
  return sendAnswer(model, r, opts, reply);
}

/** One record's answer (observers already told). */
function sendAnswer(model: ServedModel, r: ScoredRecord, opts: ScoreOptions, reply: FastifyReply): FastifyReply {
  const out: Record<string, unknown> = { model: model.id, ...r };
  if (opts.explain && !r.explanation) out.warnings = [...(r.warnings ?? []), noExplanation(model)];
  return reply.type(JSON_TYPE).send(reply.serializeInput(out, predictionResponseSchema));
}

/** A body the JSON reader took: one record or a batch, every record already a feature row. */
function sendJsonRecords(app: FastifyInstance, model: ServedModel, body: JsonRecords, opts: ScoreOptions, reply: FastifyReply): FastifyReply {
  const scored = scoreJsonRecords(model, body, opts);
  if (!body.batch) return sendOne(app, model, scored[0]!, opts, reply);
  const n = scored.length;
  notifyObservers(app.nadir.observers, model, observedBatch(scored));
  const plain = opts.explain ? null : plainBatchJson(model, scored);
  if (plain !== null) return reply.type(JSON_TYPE).send(plain);
  const entries: Array<Record<string, unknown>> = new Array<Record<string, unknown>>(n);
  for (let i = 0; i < n; i++) entries[i] = { index: i, ...scored[i]! };
  return sendBatchAnswer(model, n, n, entries, opts, reply);
}

/**
 * A batch answer of plain predictions (no explanation, no warning, every record scored) written
 * directly: the text batchResponseSchema's compiled serializer writes for it, byte for byte (its
 * properties in the schema's order, numbers as String(x) — the tests compare the two paths), in a
 * fraction of the time. Null when any string would need escaping or any entry is not plain: the
 * schema's serializer then writes the answer.
 */
function plainBatchJson(model: ServedModel, scored: readonly ScoredRecord[]): string | null {
  const t = model.threshold;
  const parts: string[] = new Array<string>(scored.length);
  for (let i = 0; i < scored.length; i++) {
    const r = scored[i]!;
    if (r.warnings || r.explanation || !plainString(r.label) || !plainString(r.class) || !Number.isFinite(r.probability) || r.threshold !== t) return null;
    parts[i] = `{"index":${i},"label":"${r.label}","class":"${r.class}","probability":${r.probability},"threshold":${t === null ? 'null' : t}}`;
  }
  return `{"model":"${model.id}","threshold":${t === null ? 'null' : t},"scored":${scored.length},"failed":0,"predictions":[${parts.join(',')}]}`;
}

/** A string JSON writes as it is, between quotes (printable ASCII without quote or backslash). */
function plainString(s: string): boolean {
  return /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/.test(s);
}

function sendBatch(app: FastifyInstance, model: ServedModel, records: unknown[], opts: ScoreOptions, reply: FastifyReply): FastifyReply {
  const n = records.length;
  const entries: Array<Record<string, unknown>> = new Array<Record<string, unknown>>(n);
  // every record one the fast path takes: no per-record schema check needed (it accepts exactly what the schema and checkRecord do)
  const fast = scoreFast(model, records, null, opts);
  if (fast) {
    for (let i = 0; i < n; i++) entries[i] = { index: i, ...fast[i]! };
    notifyObservers(app.nadir.observers, model, observedBatch(fast));
    return sendBatchAnswer(model, n, n, entries, opts, reply);
  }
  const ok: number[] = [];
  const validate = model.validateRecord;
  for (let i = 0; i < n; i++) {
    const rec = records[i];
    const bad: Invalid | null = validate(rec) ? model.checkRecord(rec as Record<string, unknown>) : describeValidation(validate.errors ?? [], 'record');
    if (bad) entries[i] = { index: i, error: { code: 'NADIR_ERR_BAD_VALUE', message: `record ${i}: ${bad.message}`, ...(bad.field ? { field: bad.field } : {}) } };
    else ok.push(i);
  }
  let scored = 0;
  if (ok.length > 0) {
    const results = scoreRecords(model, records, ok, opts);
    notifyObservers(app.nadir.observers, model, observedBatch(results));
    for (let j = 0; j < results.length; j++) {
      const r = results[j]!;
      const i = ok[j]!;
      if (isFailure(r)) {
        entries[i] = { index: i, error: { code: r.code, message: r.message } };
        continue;
      }
      entries[i] = { index: i, ...r };
      scored++;
    }
  }
  return sendBatchAnswer(model, n, scored, entries, opts, reply);
}

function sendBatchAnswer(model: ServedModel, n: number, scored: number, entries: Array<Record<string, unknown>>, opts: ScoreOptions, reply: FastifyReply): FastifyReply {
  const out: Record<string, unknown> = { model: model.id, threshold: model.threshold, scored, failed: n - scored, predictions: entries };
  if (opts.explain && scored > 0 && model.detector.spec.explainer === 'none') out.warnings = [noExplanation(model)];
  return reply.type(JSON_TYPE).send(reply.serializeInput(out, batchResponseSchema));
}

function noExplanation(model: ServedModel): RecordWarning {
  return { code: 'no-explanation', message: `explain: ${model.detector.spec.name} models (${model.detector.spec.type}) have no per-field explanation; predictions have none` };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The predict routes: the model's JSON body reader (see predictPlugin). */
    jsonReader?: JsonRecordsReader;
  }
}
