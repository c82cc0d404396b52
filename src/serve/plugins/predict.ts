import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import { invalidError, unknownModel } from '../http-errors.js';
import { batchResponseSchema, errorResponseSchema, predictionResponseSchema, predictQuerySchema } from '../schemas.js';
import { isFailure, notifyObservers, observedBatch, scoreRecords, type RecordWarning, type ScoreOptions } from '../scoring.js';
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
  for (const m of models.values()) predictRoute(app, `/models/${m.id}/predict`, m, `Score records with model '${m.id}'`);
  predictRoute(app, '/predict', defaultModel, `Score records with the default model ('${defaultModel.id}')`);
  // static routes win over this one: it only answers ids no model has
  app.post('/models/:id/predict', { schema: { hide: true } }, async (req) => {
    throw unknownModel((req.params as { id: string }).id, models.keys());
  });
};

type PredictBody = Record<string, unknown> & { records?: unknown[] };

function predictRoute(app: FastifyInstance, url: string, model: ServedModel, summary: string): void {
  app.post(
    url,
    {
      config: {
        accepts: 'application/json',
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
      const body = req.body as PredictBody;
      const q = req.query as { explain: boolean; top: number };
      const opts: ScoreOptions = { explain: q.explain, top: q.top };
      if (body.records !== undefined) return sendBatch(app, model, body.records, opts, reply);
      const bad = model.checkRecord(body);
      if (bad) throw invalidError('request body', bad);
      const r = scoreRecords(model, [body], null, opts)[0]!;
      if (isFailure(r)) throw invalidError('request body', { field: null, message: r.message, status: 400 });
      notifyObservers(app.nadir.observers, model, observedBatch([r]));
      const out: Record<string, unknown> = { model: model.id, ...r };
      if (opts.explain && !r.explanation) out.warnings = [...(r.warnings ?? []), noExplanation(model)];
      return reply.type(JSON_TYPE).send(reply.serializeInput(out, predictionResponseSchema));
    },
  );
}

function sendBatch(app: FastifyInstance, model: ServedModel, records: unknown[], opts: ScoreOptions, reply: FastifyReply): FastifyReply {
  const n = records.length;
  const entries: Array<Record<string, unknown>> = new Array<Record<string, unknown>>(n);
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
  const out: Record<string, unknown> = { model: model.id, threshold: model.threshold, scored, failed: n - scored, predictions: entries };
  if (opts.explain && scored > 0 && model.detector.spec.explainer === 'none') out.warnings = [noExplanation(model)];
  return reply.type(JSON_TYPE).send(reply.serializeInput(out, batchResponseSchema));
}

function noExplanation(model: ServedModel): RecordWarning {
  return { code: 'no-explanation', message: `explain: ${model.detector.spec.name} models (${model.detector.spec.type}) have no per-field explanation; predictions have none` };
}
