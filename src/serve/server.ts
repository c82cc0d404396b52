import Fastify, { type FastifyInstance } from 'fastify';
import { nadirError } from '../errors.js';
import { addDemo } from './demo.js';
import { authPlugin } from './plugins/auth.js';
import { dashboardApiPlugin, dashboardPlugin } from './plugins/dashboard.js';
import { errorsPlugin } from './plugins/errors.js';
import { eventsPlugin } from './plugins/events.js';
import { healthPlugin } from './plugins/health.js';
import { metricsPlugin } from './plugins/metrics.js';
import { modelsPlugin } from './plugins/models.js';
import { oipV2Plugin } from './plugins/oip-v2.js';
import { openapiPlugin } from './plugins/openapi.js';
import { predictCsvPlugin } from './plugins/predict-csv.js';
import { predictPlugin } from './plugins/predict.js';
import { rateLimitPlugin } from './plugins/rate-limit.js';
import { ServedModel } from './served-model.js';
import { DEFAULT_LIMITS, type ServeContext, type ServeLimits, type ServeOptions } from './types.js';
import { validatorCompiler } from './validation.js';

/**
 * nadir's HTTP server: a Fastify instance built from one plugin per concern — errors, OpenAPI,
 * rate limit, metrics, probes, then the API under /api/v1 (auth, models, predict, CSV predict) and
 * the Open Inference Protocol under /v2 (auth, v2), the live feed (/api/v1/events), and the dashboard at /; with `demo`, a replay of
 * bundled records through the default model. Not listening yet: call `listen`, or use
 * `inject` in tests (an embedder may add routes before either). Everything per model (schemas, validators, cards) is built here, once.
 */
export async function createServer(opts: ServeOptions): Promise<FastifyInstance> {
  if (opts.models.length === 0) throw nadirError('NADIR_ERR_BAD_INPUT', 'createServer: no models to serve');
  const limits: ServeLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  checkLimits(limits);
  const models = new Map<string, ServedModel>();
  opts.models.forEach((entry, i) => {
    if (models.has(entry.id)) throw nadirError('NADIR_ERR_BAD_INPUT', `two models have the id '${entry.id}': ids must differ (rename one model file)`);
    models.set(entry.id, new ServedModel(entry, i === 0, limits));
  });
  if (opts.apiKey !== undefined && opts.apiKey.trim() === '') throw nadirError('NADIR_ERR_BAD_OPTION', 'apiKey', 'must not be empty');
  const context: ServeContext = {
    models,
    defaultModel: models.values().next().value as ServedModel,
    limits,
    apiKey: opts.apiKey ?? null,
    state: { draining: false },
    observers: [],
    cluster: opts.cluster ?? null,
  };

  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: limits.bodyBytes,
    // our own 503 while draining (JSON from the catalogue), not Fastify's
    return503OnClosing: false,
    // a slow client cannot hold a request open forever
    requestTimeout: 60_000,
    // request ids in logs and in the message of a 500
    genReqId: requestIds(),
  });
  app.setValidatorCompiler(validatorCompiler);
  // JSON only (415 otherwise); the CSV routes set their own types in their scope
  app.removeContentTypeParser('text/plain');
  app.decorate('nadir', context);
  app.addHook('onRequest', (_req, reply, done) => {
    if (!context.state.draining) return done();
    reply.header('connection', 'close');
    done(nadirError('NADIR_ERR_UNAVAILABLE', 'the server is shutting down'));
  });
  app.addHook('preClose', (done) => {
    context.state.draining = true;
    done();
  });

  await app.register(errorsPlugin);
  // first: it collects every route added after it (its own /openapi.json and /docs are not rate limited)
  await app.register(openapiPlugin);
  await app.register(rateLimitPlugin);
  await app.register(metricsPlugin);
  await app.register(healthPlugin);
  await app.register(
    async (api) => {
      await api.register(authPlugin);
      await api.register(modelsPlugin);
      await api.register(predictPlugin);
      await api.register(predictCsvPlugin);
      await api.register(dashboardApiPlugin);
      await api.register(eventsPlugin, opts.liveFeed ?? {});
    },
    { prefix: '/api/v1' },
  );
  await app.register(
    async (v2) => {
      await v2.register(authPlugin);
      await v2.register(oipV2Plugin);
    },
    { prefix: '/v2' },
  );
  // the dashboard at / (its pages call /api/v1 with the key the user enters)
  await app.register(dashboardPlugin);
  if (opts.demo) await addDemo(app, opts.demo);
  return app;
}

function checkLimits(l: ServeLimits): void {
  const whole = (name: string, v: number, min: number): void => {
    if (!Number.isInteger(v) || v < min) throw nadirError('NADIR_ERR_BAD_OPTION', name, `must be a whole number ≥ ${min}, got ${v}`);
  };
  whole('bodyBytes', l.bodyBytes, 1024);
  whole('batchRecords', l.batchRecords, 1);
  whole('csvBytes', l.csvBytes, 1024);
  if (l.rateLimit !== false) {
    whole('rateLimit.max', l.rateLimit.max, 1);
    whole('rateLimit.windowMs', l.rateLimit.windowMs, 1);
  }
}

/** Short sequential request ids (req-1, req-2, …): cheaper than random ones, unique per server. */
function requestIds(): () => string {
  let n = 0;
  return () => `req-${(++n).toString(36)}`;
}
