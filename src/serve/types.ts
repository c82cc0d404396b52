import type { FastifyServerOptions } from 'fastify';
import type { Detector } from '../model/detector.js';
import type { ServedModel } from './served-model.js';

/** A model to serve: its id (in URLs: /api/v1/models/<id>/predict) and the loaded detector. */
export interface ModelEntry {
  /** Letters, digits, '.', '_' and '-', starting with a letter or digit (the CLI uses the file name without extension). */
  id: string;
  detector: Detector;
  /** Seconds it took to load (reported by /metrics as nadir_model_load_seconds). */
  loadSeconds?: number;
}

/** Request limits; each has a documented default (DEFAULT_LIMITS). */
export interface ServeLimits {
  /** Largest JSON request body, in bytes (413 above it). */
  bodyBytes: number;
  /** Most records in one JSON batch (`{ "records": [...] }`; 413 above it). */
  batchRecords: number;
  /** Largest CSV upload, in bytes, counted both as sent (gzip) and decompressed (413 above it). */
  csvBytes: number;
  /** Requests per client address per window on the /api and /v2 routes (429 above it); false: no limit. */
  rateLimit: { max: number; windowMs: number } | false;
}

export const DEFAULT_LIMITS: ServeLimits = {
  bodyBytes: 4 * 1024 * 1024,
  batchRecords: 1000,
  csvBytes: 100 * 1024 * 1024,
  rateLimit: { max: 60_000, windowMs: 60_000 },
};

export interface ServeOptions {
  /** One or more models; the first is the default (POST /api/v1/predict). */
  models: readonly ModelEntry[];
  /** With a key, every /api and /v2 route needs `Authorization: Bearer <key>` or `x-api-key: <key>`. */
  apiKey?: string;
  limits?: Partial<ServeLimits>;
  /** Fastify's logger (pino): false (default) for none, true or pino options for structured request logs (never record contents). */
  logger?: FastifyServerOptions['logger'];
}

/** What every plugin of one server shares (decorated on the Fastify instance as `nadir`). */
export interface ServeContext {
  readonly models: ReadonlyMap<string, ServedModel>;
  readonly defaultModel: ServedModel;
  readonly limits: ServeLimits;
  readonly apiKey: string | null;
  /** Called with every scored batch: the metrics count predictions by model and label (later: the dashboard's live feed). */
  /** Set when the server starts closing: /readyz and new requests answer 503 while in-flight ones finish. */
  readonly state: { draining: boolean };
  readonly observers: Array<(model: ServedModel, labelCounts: ReadonlyMap<string, number>) => void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    nadir: ServeContext;
  }
}
