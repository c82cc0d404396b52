import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import { nadirError } from '../../errors.js';
import { Detector } from '../../model/detector.js';
import { createServer } from '../../serve/server.js';
import { DEMO_RATE } from '../../serve/demo.js';
import { DEFAULT_LIMITS, type DemoOptions, type ModelEntry, type ServeLimits } from '../../serve/types.js';
import { badOption, wholeNumber } from '../option-values.js';
import { printJson } from '../output.js';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];
const DEFAULT_MODEL = 'out/model.nadir';
const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
/** How long in-flight requests may take to finish once a stop is asked for. */
/** How long Ctrl-C / SIGTERM waits for requests in flight by default (--drain). */
const DRAIN_SECONDS = 10;

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve models over HTTP: JSON and CSV prediction API, OpenAPI docs, Prometheus metrics, health checks')
    .option('-M, --model <file>', `model file written by nadir train (repeatable; the first is the default model; id = file name without extension) (default: ${DEFAULT_MODEL})`, collect)
    .option('--host <address>', 'address to listen on; anything but loopback exposes the API to the network', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0: any free port)', '8080')
    .option('--api-key <key>', 'require this key on every /api and /v2 route (Authorization: Bearer <key> or x-api-key); prefer the NADIR_API_KEY environment variable, which other users cannot see in the process list')
    .option('--rate-limit <n>', 'requests per minute from one client address on /api and /v2 (0: no limit)', String((DEFAULT_LIMITS.rateLimit as { max: number }).max))
    .option('--max-batch <n>', 'most records in one JSON batch', String(DEFAULT_LIMITS.batchRecords))
    .option('--max-body <bytes>', 'largest JSON request body', String(DEFAULT_LIMITS.bodyBytes))
    .option('--max-csv <bytes>', 'largest CSV upload (counted as sent and decompressed)', String(DEFAULT_LIMITS.csvBytes))
    .option('--drain <seconds>', 'on Ctrl-C / SIGTERM, how long requests in flight may take to finish before they are cut', String(DRAIN_SECONDS))
    .option('--log-level <level>', `request log level (${LEVELS.join(', ')}); logs are JSON lines (pino) without record contents`, 'info')
    .option('--demo [rate]', `replay the bundled KDDTest+ records through the default model at RATE records/s (default ${DEMO_RATE}), round-robin, so the live feed and /metrics move`)
    .option('--json', 'once listening, print one JSON document on stdout: { url, models, default, apiKey } (logs go to stderr)')
    .addHelpText(
      'after',
      `
Routes (http://HOST:PORT):
  POST /api/v1/predict                     one JSON record, or { "records": [...] },
                                           scored by the default model (?explain=true
                                           adds the top contributions, &top=N how many)
  POST /api/v1/models/<id>/predict         the same with model <id>
  POST /api/v1/models/<id>/predict/csv     a CSV file (gzip accepted) -> CSV, or JSON
  POST /api/v1/predict/csv                 Lines with Accept: application/x-ndjson
  GET  /api/v1/models, /api/v1/models/<id> the models and their cards (schema, classes,
                                           threshold, metrics, importance, provenance)
  /v2/...                                  KServe / Open Inference Protocol v2
  GET  /healthz, /readyz, /metrics         probes and Prometheus metrics
  GET  /docs, /openapi.json                API docs (OpenAPI 3.1)
  GET  /api/v1/events                      live feed (Server-Sent Events): one event per
                                           scored record; EventSource may send ?key=
  GET  /                                   the dashboard: model cards, a predict form,
                                           the live page

Answers: { model, label, class, probability, threshold, explanation?, warnings? };
a batch: { model, threshold, scored, failed, predictions: [{ index, ... } or
{ index, error }] }. Errors: { error: { code, message, field? } }.

Security defaults: listens on 127.0.0.1 only; with a key (--api-key or
NADIR_API_KEY) every /api and /v2 route needs it (401 otherwise); per-client
rate limit (429), body and batch limits (413), JSON only on the JSON routes
(415). Listening beyond loopback without a key prints a warning.

Ctrl-C or SIGTERM stops it: new requests get 503, requests in flight finish
(up to --drain seconds, default ${DRAIN_SECONDS}), then it exits 0.

Examples:
  nadir serve --model out/model.nadir
  nadir serve --demo 200          (the dashboard's Live page moves at once)
  NADIR_API_KEY=$(openssl rand -hex 16) nadir serve --model a.nadir --model b.nadir --host 0.0.0.0
  curl -s -XPOST localhost:8080/api/v1/predict -H 'content-type: application/json' \\
       -d '{"duration":0,"protocol_type":"tcp","service":"private","flag":"REJ",...}'`,
    )
    .action(async (o: Record<string, unknown>) => {
      const host = String(o.host);
      const port = wholeNumber(o.port, '--port', 0, 65535);
      const drainMs = 1000 * wholeNumber(o.drain, '--drain', 0, 3600);
      const limits: ServeLimits = {
        rateLimit: rateLimitOf(o.rateLimit),
        batchRecords: wholeNumber(o.maxBatch, '--max-batch', 1),
        bodyBytes: wholeNumber(o.maxBody, '--max-body', 1024),
        csvBytes: wholeNumber(o.maxCsv, '--max-csv', 1024),
      };
      const level = String(o.logLevel);
      if (!LEVELS.includes(level)) throw badOption('--log-level', `one of ${LEVELS.join(', ')}`, level);
      const apiKey = apiKeyOf(o.apiKey);
      const json = o.json === true;
      const given = (o.model as string[] | undefined) ?? [];
      const files = given.length > 0 ? given : [defaultModel()];
      const models = await loadModels(files);
      const demo = demoOf(o.demo);
      const app = await createServer({
        models,
        ...(demo ? { demo } : {}),
        ...(apiKey !== undefined ? { apiKey } : {}),
        limits,
        // JSON lines on stdout (stderr with --json, whose stdout is the one document)
        logger: level === 'silent' ? false : { level, ...(json ? { stream: process.stderr } : {}) },
      });
      const url = await listen(app, host, port);
      if (!isLoopback(host) && apiKey === undefined) {
        process.stderr.write(`warning: listening on ${host} without an API key: anyone who can reach this machine can use the API (set NADIR_API_KEY or --api-key)\n`);
      }
      stopOnSignals(app, drainMs);
      if (json) printJson({ url, models: models.map((m) => m.id), default: models[0]!.id, apiKey: apiKey !== undefined });
      else {
        process.stderr.write(`nadir: serving ${models.map((m) => `'${m.id}'`).join(', ')} at ${url} (default model '${models[0]!.id}')\n`);
        process.stderr.write(`  dashboard: ${url}/   predict: POST ${url}/api/v1/predict   docs: ${url}/docs   metrics: ${url}/metrics   (Ctrl-C stops)\n`);
      }
    });
}

function defaultModel(): string {
  if (existsSync(DEFAULT_MODEL)) return DEFAULT_MODEL;
  throw nadirError(
    'NADIR_ERR_BAD_INPUT',
    `no model to serve: name one with --model FILE, or train one first — npm start (trains on the bundled NSL-KDD data into ${DEFAULT_MODEL}) or nadir train --data <file> --out ${DEFAULT_MODEL}`,
  );
}

/** Each file loaded once, its id its name without extension (ids must differ). */
async function loadModels(files: readonly string[]): Promise<ModelEntry[]> {
  const out: ModelEntry[] = [];
  for (const file of files) {
    const id = basename(file).replace(/\.[^.]*$/, '');
    const same = out.find((m) => m.id === id);
    if (same) throw nadirError('NADIR_ERR_BAD_INPUT', `two models would have the id '${id}' (${file} and another file of that name): rename one`);
    const t0 = performance.now();
    const detector = await Detector.load(file);
    out.push({ id, detector, loadSeconds: (performance.now() - t0) / 1000 });
  }
  return out;
}

function demoOf(v: unknown): DemoOptions | undefined {
  if (v === undefined || v === false) return undefined;
  if (v === true) return { rate: DEMO_RATE };
  const rate = Number(v);
  if (!(Number.isFinite(rate) && rate > 0 && rate <= 100_000)) throw badOption('--demo', 'records per second, a number in (0, 100000]', String(v));
  return { rate };
}

function apiKeyOf(flag: unknown): string | undefined {
  const key = typeof flag === 'string' ? flag : process.env.NADIR_API_KEY;
  if (key === undefined) return undefined;
  if (key.trim() === '') throw nadirError('NADIR_ERR_BAD_OPTION', typeof flag === 'string' ? '--api-key' : 'NADIR_API_KEY', 'must not be empty');
  return key;
}

function rateLimitOf(v: unknown): ServeLimits['rateLimit'] {
  const n = wholeNumber(v, '--rate-limit', 0);
  return n === 0 ? false : { max: n, windowMs: 60_000 };
}

async function listen(app: FastifyInstance, host: string, port: number): Promise<string> {
  try {
    await app.listen({ host, port });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? 'the port is in use (pick another with --port)' : code === 'EACCES' ? 'permission denied (ports below 1024 need privileges)' : code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' ? 'no such address on this machine' : (e as Error).message;
    throw nadirError('NADIR_ERR_BAD_INPUT', `cannot listen on ${host}:${port}: ${why}`);
  }
  const addr = app.server.address();
  const actual = addr !== null && typeof addr === 'object' ? addr.port : port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return `http://${shown === '0.0.0.0' || shown === '[::]' ? '127.0.0.1' : shown}:${actual}`;
}

/** Loopback addresses: listening there needs no API key (anything else warns without one). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Ctrl-C / SIGTERM: stop accepting, answer new requests on open connections with 503, let the
 * requests in flight finish (at most drainMs), exit 0. A second signal exits at once (1).
 */
function stopOnSignals(app: FastifyInstance, drainMs: number): void {
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      process.stderr.write(`nadir: ${signal} again: exiting without waiting\n`);
      process.exit(1);
    }
    stopping = true;
    process.stderr.write(`nadir: ${signal}: stopping (finishing requests in flight)\n`);
    const force = setTimeout(() => {
      process.stderr.write(`nadir: requests still running after ${drainMs / 1000} s: closing them\n`);
      app.server.closeAllConnections();
      process.exit(1);
    }, drainMs);
    force.unref();
    app.close().then(
      () => {
        process.stderr.write('nadir: stopped\n');
        process.exit(0);
      },
      (e: unknown) => {
        process.stderr.write(`nadir: error while stopping: ${(e as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
