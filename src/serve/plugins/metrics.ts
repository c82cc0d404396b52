import fp from 'fastify-plugin';
import { displayLabel } from '../../app/predict.js';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Process metrics (CPU, memory, event loop lag, GC…) are per process: one registry, however many servers a process runs. */
let processRegistry: Registry | null = null;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: 'nadir_' });
  }
  return processRegistry;
}

/**
 * GET /metrics in Prometheus text format (prom-client), following Prometheus naming: `nadir_`
 * prefix, base units (`_seconds`), counters ending in `_total`, and labels of bounded
 * cardinality only — route patterns (never the URL as sent), status codes, model ids and the
 * models' own labels; never a record value or a client address.
 *
 *   nadir_http_requests_total{method,route,status}
 *   nadir_http_request_duration_seconds{method,route,status}   histogram
 *   nadir_predictions_total{model,label}
 *   nadir_model_load_seconds{model}
 *   nadir_models_loaded
 *   nadir_process_* / nadir_nodejs_*                             prom-client's process metrics
 *
 * With several workers (nadir serve --workers N) every scrape answers for all of them: counters
 * and histograms summed, process metrics as prom-client aggregates them (serve/cluster.ts).
 */
export const metricsPlugin = fp(
  async (app) => {
    const own = new Registry();
    const registers = [own];
    const requests = new Counter({ name: 'nadir_http_requests_total', help: 'HTTP requests answered, by route pattern and status code', labelNames: ['method', 'route', 'status'], registers });
    const duration = new Histogram({
      name: 'nadir_http_request_duration_seconds',
      help: 'Time from receiving a request to answering it, by route pattern and status code',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    const predictions = new Counter({ name: 'nadir_predictions_total', help: 'Records scored, by model and predicted label', labelNames: ['model', 'label'], registers });
    // with several workers (--workers) each loads the models: the cluster's figure is the slowest load, and the model count once
    const load = new Gauge({ name: 'nadir_model_load_seconds', help: 'Time it took to load each model file', labelNames: ['model'], registers, aggregator: 'max' });
    const loaded = new Gauge({ name: 'nadir_models_loaded', help: 'Models being served', registers, aggregator: 'first' });
    loaded.set(app.nadir.models.size);
    for (const m of app.nadir.models.values()) {
      if (m.loadSeconds !== null) load.set({ model: m.id }, m.loadSeconds);
      // every label starts at 0, so rates exist from the first scrape
      for (let c = 0; c < m.detector.classes.length; c++) predictions.inc({ model: m.id, label: displayLabel(m.detector, c) }, 0);
    }
    app.nadir.observers.push((model, batch) => {
      for (const [label, n] of batch.labelCounts) predictions.inc({ model: model.id, label }, n);
    });
    const registry = Registry.merge([processMetrics(), own]);
    const link = app.nadir.cluster;
    link?.shareMetrics([processMetrics(), own]);

    app.addHook('onResponse', (req, reply, done) => {
      const labels = { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
      requests.inc(labels);
      duration.observe(labels, reply.elapsedTime / 1000);
      done();
    });

    app.get('/metrics', { config: { rateLimit: false }, schema: { tags: ['health'], summary: 'Prometheus metrics (text format)', produces: ['text/plain'] } }, async (_req, reply) => {
      reply.type(registry.contentType);
      // one worker of several: every worker's figures, merged by the primary
      return link ? link.clusterMetrics() : registry.metrics();
    });
  },
  { name: 'nadir-metrics', fastify: '5.x' },
);
