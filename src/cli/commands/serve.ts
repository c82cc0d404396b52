import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import { nadirError } from '../../errors.js';
import { Detector } from '../../model/detector.js';
import { runPrimary, workerIndex, workerLink } from '../../serve/cluster.js';
import { createServer } from '../../serve/server.js';
import { DEMO_RATE } from '../../serve/demo.js';
import { DEFAULT_LIMITS, type DemoOptions, type ModelEntry, type ServeLimits, type ServeOptions } from '../../serve/types.js';
import { badOption, wholeNumber } from '../option-values.js';
import { failure, printJson } from '../output.js';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];
const DEFAULT_MODEL = 'out/model.nadir';
const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
/** How long Ctrl-C / SIGTERM waits for requests in flight by default (--drain). */
const DRAIN_SECONDS = 10;
/** Most server processes by default (--workers): one per core, up to this (each holds its own copy of the models). */
const MAX_DEFAULT_WORKERS = 4;

export function defaultWorkers(): number {
  return Math.max(1, Math.min(availableParallelism(), MAX_DEFAULT_WORKERS));
}

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
    .option('--workers <n>', `server processes behind the one port (node:cluster; 1: this process alone, no cluster) (default: one per core, at most ${MAX_DEFAULT_WORKERS}; here ${defaultWorkers()})`)
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

Workers: with --workers N > 1 (the default on a machine with several cores) N
processes serve the one port, each with its own copy of the models; the live
feed and /metrics cover all of them, the demo replay runs once, the rate limit
is counted per worker. --workers 1 serves from this one process.

Examples:
  nadir serve --model out/model.nadir
  nadir serve --demo 200          (the dashboard's Live page moves at once)
  nadir serve --workers 1         (one process: e.g. to profile it)
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
      const workers = o.workers === undefined ? defaultWorkers() : wholeNumber(o.workers, '--workers', 1, 64);
      const given = (o.model as string[] | undefined) ?? [];
      const files = given.length > 0 ? given : [defaultModel()];
      const ids = modelIds(files);
      const demo = demoOf(o.demo);
      const server: ServerSetup = {
        files,
        host,
        port,
        drainMs,
        ...(demo ? { demo } : {}),
        ...(apiKey !== undefined ? { apiKey } : {}),
        limits,
        // JSON lines on stdout (stderr with --json, whose stdout is the one document)
        logger: level === 'silent' ? false : { level, ...(json ? { stream: process.stderr } : {}) },
      };
      const listening = (url: string): void => {
        if (!isLoopback(host) && apiKey === undefined) {
          process.stderr.write(`warning: listening on ${host} without an API key: anyone who can reach this machine can use the API (set NADIR_API_KEY or --api-key)\n`);
        }
        if (json) printJson({ url, models: ids, default: ids[0]!, apiKey: apiKey !== undefined, workers });
        else {
          const procs = workers === 1 ? '' : ` with ${workers} workers`;
          process.stderr.write(`nadir: serving ${ids.map((id) => `'${id}'`).join(', ')} at ${url} (default model '${ids[0]!}')${procs}\n`);
          process.stderr.write(`  dashboard: ${url}/   predict: POST ${url}/api/v1/predict   docs: ${url}/docs   metrics: ${url}/metrics   (Ctrl-C stops)\n`);
        }
      };
      const index = workerIndex();
      if (index !== null) await serveWorker(server, index);
      else if (workers === 1) {
        const app = await startServer(server, await loadModels(files));
        stopOnSignals(app.app, drainMs);
        listening(app.url);
      } else servePrimary(workers, drainMs, listening);
    });
}

interface ServerSetup {
  files: readonly string[];
  host: string;
  port: number;
  drainMs: number;
  demo?: DemoOptions;
  apiKey?: string;
  limits: ServeLimits;
  logger: ServeOptions['logger'];
}

async function startServer(s: ServerSetup, models: ModelEntry[], cluster?: ServeOptions['cluster']): Promise<{ app: FastifyInstance; url: string }> {
  const app = await createServer({
    models,
    ...(s.demo ? { demo: s.demo } : {}),
    ...(s.apiKey !== undefined ? { apiKey: s.apiKey } : {}),
    limits: s.limits,
    logger: s.logger,
    ...(cluster ? { cluster } : {}),
  });
  return { app, url: await listen(app, s.host, s.port) };
}

/**
 * One worker of `--workers N`: loads the models, serves, tells the primary it listens (or why it
 * cannot: the primary prints it once and exits with its code), and drains when the primary says so.
 * Ctrl-C reaches every process of the terminal's group: the primary alone acts on it.
 */
async function serveWorker(s: ServerSetup, index: number): Promise<void> {
  const link = workerLink(index);
  process.on('SIGINT', () => {});
  try {
    // the demo replays once, in worker 0; its records reach every worker's live feed through the primary
    const { app, url } = await startServer({ ...s, ...(index === 0 ? {} : { demo: undefined }) }, await loadModels(s.files), link);
    const stop = drainer(app, s.drainMs, `worker ${index}: `);
    link.onShutdown(stop);
    process.on('SIGTERM', stop);
    link.listening(url);
  } catch (e) {
    const f = failure(e);
    await link.failed(f.message, f.exitCode);
    process.exit(f.exitCode);
  }
}

/**
 * The primary of `--workers N`: starts the workers (serve/cluster.ts), prints the banner when all
 * listen, and on Ctrl-C / SIGTERM asks them to drain, then exits 0 (1 if one did not stop cleanly);
 * a second signal kills them and exits 1.
 */
function servePrimary(workers: number, drainMs: number, listening: (url: string) => void): void {
  const primary = runPrimary({
    workers,
    onListening: listening,
    onFailed: (message, exitCode) => {
      process.stderr.write(`nadir: ${message}\n`);
      process.exit(exitCode);
    },
    log: (line) => process.stderr.write(`${line}\n`),
  });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      process.stderr.write(`nadir: ${signal} again: exiting without waiting\n`);
      primary.kill();
      process.exit(1);
    }
    stopping = true;
    process.stderr.write(`nadir: ${signal}: stopping (finishing requests in flight)\n`);
    // each worker cuts its requests after drainMs; this is for a worker that does not exit at all
    const force = setTimeout(() => {
      process.stderr.write(`nadir: workers still running ${drainMs / 1000 + 5} s after the stop: killing them\n`);
      primary.kill();
      process.exit(1);
    }, drainMs + 5000);
    force.unref();
    void primary.stop().then((code) => {
      process.stderr.write(code === 0 ? 'nadir: stopped\n' : 'nadir: stopped (a worker did not stop cleanly)\n');
      process.exit(code);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

function defaultModel(): string {
  if (existsSync(DEFAULT_MODEL)) return DEFAULT_MODEL;
  throw nadirError(
    'NADIR_ERR_BAD_INPUT',
    `no model to serve: name one with --model FILE, or train one first — npm start (trains on the bundled NSL-KDD data into ${DEFAULT_MODEL}) or nadir train --data <file> --out ${DEFAULT_MODEL}`,
  );
}

/** Each model's id: its file name without extension (ids must differ). */
function modelIds(files: readonly string[]): string[] {
  const ids: string[] = [];
  for (const file of files) {
    const id = basename(file).replace(/\.[^.]*$/, '');
    if (ids.includes(id)) throw nadirError('NADIR_ERR_BAD_INPUT', `two models would have the id '${id}' (${file} and another file of that name): rename one`);
    ids.push(id);
  }
  return ids;
}

/** Each file loaded once. */
async function loadModels(files: readonly string[]): Promise<ModelEntry[]> {
  const ids = modelIds(files);
  const out: ModelEntry[] = [];
  for (let i = 0; i < files.length; i++) {
    const t0 = performance.now();
    const detector = await Detector.load(files[i]!);
    out.push({ id: ids[i]!, detector, loadSeconds: (performance.now() - t0) / 1000 });
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
  const drain = drainer(app, drainMs, '', () => process.stderr.write('nadir: stopped\n'));
  const stop = (signal: string): void => {
    if (stopping) {
      process.stderr.write(`nadir: ${signal} again: exiting without waiting\n`);
      process.exit(1);
    }
    stopping = true;
    process.stderr.write(`nadir: ${signal}: stopping (finishing requests in flight)\n`);
    drain();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/**
 * Stop serving: close (new requests get 503, requests in flight finish), exit 0; requests still
 * running after drainMs are cut and it exits 1. `who` prefixes its messages (a worker's index).
 * Calling it again does nothing.
 */
function drainer(app: FastifyInstance, drainMs: number, who: string, stopped: () => void = () => {}): () => void {
  let started = false;
  return () => {
    if (started) return;
    started = true;
    const force = setTimeout(() => {
      process.stderr.write(`nadir: ${who}requests still running after ${drainMs / 1000} s: closing them\n`);
      app.server.closeAllConnections();
      process.exit(1);
    }, drainMs);
    force.unref();
    app.close().then(
      () => {
        stopped();
        process.exit(0);
      },
      (e: unknown) => {
        process.stderr.write(`nadir: ${who}error while stopping: ${(e as Error).message}\n`);
        process.exit(1);
      },
    );
  };
}
