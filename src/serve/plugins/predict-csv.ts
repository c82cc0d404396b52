import type { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { predict } from '../../app/predict.js';
import { labelCounts as countLabels, predictionRecord, predictionsCsv, predictionsJsonl } from '../../app/prediction-records.js';
import { gunzipStream } from '../../data/source.js';
import { nadirError } from '../../errors.js';
import { CollectingLogger } from '../../logger.js';
import { unknownModel } from '../http-errors.js';
import { errorResponseSchema, predictQuerySchema } from '../schemas.js';
import { notifyObservers } from '../scoring.js';
import type { ServedModel } from '../served-model.js';

/** What the CSV routes take: CSV text, plain or gzip'd (recognised by its bytes, whatever the type says). */
const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/gzip', 'application/x-gzip', 'application/octet-stream'];
const ACCEPTS = 'text/csv (or application/gzip for a gzip\'d file)';

const csvQuerySchema = {
  type: 'object',
  properties: {
    ...predictQuerySchema.properties,
    header: { type: 'string', enum: ['auto', 'true', 'false'], default: 'auto', description: 'whether the first line is a header (auto: guessed, as nadir predict does)' },
  },
  additionalProperties: false,
} as const;

/**
 * POST /api/v1/models/:id/predict/csv (and /api/v1/predict/csv for the default model): a CSV file
 * as the body — streamed into typed columns as it arrives, never buffered whole; gzip accepted —
 * scored by the predict use case exactly as `nadir predict --data file.csv` scores it, answered as
 * CSV or, by Accept, JSON Lines (the same columns and numbers the CLI writes). Data-quality
 * warnings (unseen categories, skipped rows) come back in the x-nadir-warnings header (JSON).
 * Registered in its own scope: its content types do not reach the JSON routes, and JSON does not
 * reach it (415).
 */
export const predictCsvPlugin: FastifyPluginAsync = async (app) => {
  const { models, defaultModel, limits } = app.nadir;
  app.removeAllContentTypeParsers();
  // the body stays a stream: the handler reads it chunk by chunk, counting bytes against the limit
  app.addContentTypeParser(CSV_TYPES, (_req, payload, done) => done(null, payload));
  const schema = (summary: string, params?: object): Record<string, unknown> => ({
    tags: ['predict'],
    summary,
    description: `A CSV file (with or without header; gzip'd or not) up to ${limits.csvBytes.toLocaleString('en-US')} bytes, decompressed. Answer: CSV (row,label,class,probability[,explanation]) or, with Accept: application/x-ndjson, one JSON object per line — what nadir predict writes.`,
    querystring: csvQuerySchema,
    ...(params ? { params } : {}),
    consumes: CSV_TYPES,
    produces: ['text/csv', 'application/x-ndjson'],
    response: { 200: { type: 'string', description: 'CSV or JSON Lines' }, '4xx': errorResponseSchema, '5xx': errorResponseSchema },
  });
  const config = { accepts: ACCEPTS };
  app.post('/predict/csv', { config, schema: schema(`Score a CSV file with the default model ('${defaultModel.id}')`) }, async (req, reply) => handle(defaultModel, req, reply, limits.csvBytes, app.nadir.observers));
  app.post(
    '/models/:id/predict/csv',
    { config, schema: schema('Score a CSV file with a model', { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] }) },
    async (req, reply) => {
      const id = (req.params as { id: string }).id;
      const model = models.get(id);
      if (!model) throw unknownModel(id, models.keys());
      return handle(model, req, reply, limits.csvBytes, app.nadir.observers);
    },
  );
};

async function handle(model: ServedModel, req: FastifyRequest, reply: FastifyReply, maxBytes: number, observers: typeof req.server.nadir.observers): Promise<FastifyReply> {
  const format = answerFormat(req.headers.accept);
  const q = req.query as { explain: boolean; top: number; header: 'auto' | 'true' | 'false' };
  const body = req.body as Readable;
  const name = 'request body';
  const stream = limited(gunzipStream(limited(body, maxBytes, 'request body'), name), maxBytes, 'request body (decompressed)');
  const logger = new CollectingLogger();
  const header = q.header === 'auto' ? 'auto' : q.header === 'true';
  const d = model.detector;
  const p = await predict(d, { stream, name, format: 'csv' }, { explain: q.explain, top: q.top, logger, load: { header } });
  const labelCounts = new Map(Object.entries(countLabels(d, p)).filter(([, n]) => n > 0));
  notifyObservers(observers, model, { labelCounts, size: p.nRows, record: (i) => predictionRecord(d, p, i) });
  const warnings = logger.warnings.map((w) => w.message);
  if (q.explain && !p.explanations) warnings.push(`explain: ${d.spec.name} models have no per-field explanation; predictions have none`);
  if (warnings.length > 0) reply.header('x-nadir-warnings', asciiJson(warnings.slice(0, 20)));
  if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(predictionsCsv(d, p));
  return reply.type('application/x-ndjson; charset=utf-8').send(predictionsJsonl(d, p));
}

/** CSV unless Accept asks for JSON Lines first; 406 when it accepts neither. */
export function answerFormat(accept: string | undefined): 'csv' | 'jsonl' {
  if (!accept) return 'csv';
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.trim().toLowerCase().split(';');
    if (params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(p))) continue;
    const t = type.trim();
    if (t === 'text/csv' || t === 'text/*' || t === '*/*') return 'csv';
    if (t === 'application/x-ndjson' || t === 'application/ndjson' || t === 'application/jsonl' || t === 'application/x-jsonlines' || t === 'application/jsonlines' || t === 'application/json-lines') return 'jsonl';
  }
  throw nadirError('NADIR_ERR_NOT_ACCEPTABLE', 'the CSV routes answer text/csv or application/x-ndjson (JSON Lines): set Accept to one of them');
}

/** The chunks of `source`, refusing (413) more than `max` bytes in all. */
async function* limited(source: AsyncIterable<Buffer>, max: number, what: string): AsyncGenerator<Buffer> {
  let n = 0;
  for await (const chunk of source) {
    n += chunk.length;
    if (n > max) throw nadirError('NADIR_ERR_TOO_LARGE', `${what} is larger than the limit of ${max.toLocaleString('en-US')} bytes`);
    yield chunk;
  }
}

/** JSON with every non-ASCII character escaped, fit for an HTTP header. */
function asciiJson(v: unknown): string {
  return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
