import type { FastifyServerOptions } from 'fastify';
import type { Detector } from '../model/detector.js';
import type { ClusterLink } from './cluster.js';
import type { LiveFeedOptions } from './plugins/events.js';
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
  /** Replay records through the default model while listening, so the live feed and /metrics move (nadir serve --demo). */
  demo?: DemoOptions;
  /** Bounds of the live feed GET /api/v1/events (defaults: DEFAULT_LIVE_FEED). */
  liveFeed?: Partial<LiveFeedOptions>;
  /** One worker of `nadir serve --workers N`: the live feed and /metrics span every worker through the primary (serve/cluster.ts). */
  cluster?: ClusterLink;
}

/** What every plugin of one server shares (decorated on the Fastify instance as `nadir`). */
export interface ServeContext {
  readonly models: ReadonlyMap<string, ServedModel>;
  readonly defaultModel: ServedModel;
  readonly limits: ServeLimits;
  readonly apiKey: string | null;
  /** Set when the server starts closing: /readyz and new requests answer 503 while in-flight ones finish. */
  readonly state: { draining: boolean };
  /**
   * Called with every scored batch, from every scoring route and the demo replay: the metrics count
   * predictions by model and label, the live feed (GET /api/v1/events) sends one event per record.
   * Observers run synchronously on the request's path: they must be cheap and must not throw.
   */
  readonly observers: ScoreObserver[];
  /** Set in a worker of a cluster (nadir serve --workers N > 1), else null. */
  readonly cluster: ClusterLink | null;
}

/** One record as observers see it: the prediction, and the top contributions when they were asked for. */
export interface ObservedRecord {
  label: string;
  class: string;
  probability: number;
  explanation?: Array<{ feature: string; value: number }>;
}

/** One scored batch as observers see it. */
export interface ObservedBatch {
  /** Records scored, by predicted label (display label: Normal/Attack for binary models). */
  readonly labelCounts: ReadonlyMap<string, number>;
  /** How many records were scored. */
  readonly size: number;
  /** The i-th scored record (0 ≤ i < size), built on demand: a CSV of a million rows builds only the records an observer asks for. */
  record(i: number): ObservedRecord;
}

export type ScoreObserver = (model: ServedModel, batch: ObservedBatch) => void;

/** `--demo`: replay a data file through the default model, round-robin, forever, while the server runs. */
export interface DemoOptions {
  /** Records per second (default 50). */
  rate?: number;
  /** Data file (default: the bundled data/nsl-kdd/KDDTest+.txt.gz). */
  data?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    nadir: ServeContext;
  }
}
