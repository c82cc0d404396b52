/**
 * `nadir serve --workers N`: N server processes behind one port (node:cluster). The primary
 * process accepts connections and hands each to a worker in turn (the cluster module's round
 * robin); every worker is a whole server (createServer) with its own copy of the models, so a
 * request is parsed, validated and scored in one process and both cores serve. What must be
 * one for the whole server goes through the primary, over the cluster's IPC channel:
 *
 * - the live feed: a dashboard's EventSource is connected to one worker, but records are scored
 *   in all of them. Each worker tells the primary how many feed clients it has; the primary tells
 *   each worker whether clients are connected elsewhere; only then does a worker forward its
 *   detection events (already serialised, at most the feed's queue per flush, with a count of the
 *   ones left out), and the primary relays them to the workers that have clients. With no
 *   dashboard open, nothing crosses: the scoring path pays nothing.
 * - /metrics: the worker that gets the scrape asks the primary, which collects every worker's
 *   registries and merges them (prom-client's AggregatorRegistry: counters and histograms summed).
 * - the demo replay runs in worker 0 only (its records reach every worker's feed as above).
 * - stopping: the primary alone handles Ctrl-C and SIGTERM; it asks every worker to drain and
 *   exits when they have (workers ignore SIGINT, which a terminal sends to the whole group).
 *
 * What stays per worker: the rate limit (a client's count is kept by the worker its connection
 * landed on) and request ids.
 */
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

/** The environment variable that makes a process a serve worker, holding its index. */
export const WORKER_ENV = 'NADIR_SERVE_WORKER';

/** Messages from a worker to the primary. */
type ToPrimary =
  | { nadir: 'listening'; url: string }
  | { nadir: 'failed'; message: string; exitCode: number }
  | { nadir: 'feed-clients'; n: number }
  | { nadir: 'events'; events: string[]; dropped: number }
  | { nadir: 'metrics'; id: number };

/** Messages from the primary to a worker. */
type ToWorker =
  | { nadir: 'feed-elsewhere'; listening: boolean }
  | { nadir: 'events'; events: string[]; dropped: number }
  | { nadir: 'metrics'; id: number; text?: string; error?: string }
  | { nadir: 'shutdown' };

function isNadirMessage(m: unknown): m is { nadir: string } {
  return typeof m === 'object' && m !== null && typeof (m as { nadir?: unknown }).nadir === 'string';
}

/** The live feed across processes, as the events plugin sees it. */
export interface LiveFeedRelay {
  /** Whether feed clients are connected to other processes (forward events only then). */
  readonly elsewhere: boolean;
  /** Forward this process's events (serialised SSE frames) and how many were left out. */
  publish(events: string[], dropped: number): void;
  /** This process's client count changed. */
  clients(n: number): void;
  /** Events scored in other processes. */
  onEvents(fn: (events: readonly string[], dropped: number) => void): void;
}

/** What one server of a cluster needs to reach the others (ServeOptions.cluster). */
export interface ClusterLink {
  /** This worker's index, 0 … workers − 1 (worker 0 runs the demo). */
  readonly index: number;
  readonly feed: LiveFeedRelay;
  /** Offer this worker's metric registries to the primary's aggregation. */
  shareMetrics(registries: Registry[]): void;
  /** Every worker's metrics, merged (Prometheus text). */
  clusterMetrics(): Promise<string>;
}

/** This process's index when it is a serve worker, else null. */
export function workerIndex(): number | null {
  if (!cluster.isWorker) return null;
  const v = process.env[WORKER_ENV];
  const i = v === undefined ? NaN : Number(v);
  return Number.isInteger(i) && i >= 0 ? i : null;
}

function send(m: ToPrimary, done?: () => void): void {
  if (process.connected) process.send!(m, undefined, undefined, done ? () => done() : undefined);
  else done?.();
}

/** The worker's side of the link (call in a process for which workerIndex() is not null). */
export function workerLink(index: number): ClusterLink & { listening(url: string): void; failed(message: string, exitCode: number): Promise<void>; onShutdown(fn: () => void): void } {
  let elsewhere = false;
  const eventHandlers: Array<(events: readonly string[], dropped: number) => void> = [];
  const shutdownHandlers: Array<() => void> = [];
  const pendingMetrics = new Map<number, { resolve: (s: string) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  let nextId = 0;
  let lastClients = 0;
  // a shutdown asked for before the worker registered its handler (still loading) is kept for it
  let shutdownAsked = false;
  const shutdown = (): void => {
    shutdownAsked = true;
    for (const fn of shutdownHandlers.splice(0)) fn();
  };
  process.on('message', (m: unknown) => {
    if (!isNadirMessage(m)) return;
    const msg = m as ToWorker;
    if (msg.nadir === 'feed-elsewhere') elsewhere = msg.listening;
    else if (msg.nadir === 'events') for (const fn of eventHandlers) fn(msg.events, msg.dropped);
    else if (msg.nadir === 'metrics') {
      const p = pendingMetrics.get(msg.id);
      if (!p) return;
      pendingMetrics.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.text !== undefined) p.resolve(msg.text);
      else p.reject(new Error(msg.error ?? 'no metrics'));
    } else if (msg.nadir === 'shutdown') shutdown();
  });
  // the primary is gone (killed): nobody will send shutdown, so stop on our own
  process.on('disconnect', shutdown);
  return {
    index,
    feed: {
      get elsewhere() {
        return elsewhere;
      },
      publish: (events, dropped) => send({ nadir: 'events', events, dropped }),
      clients: (n) => {
        // only 0 ↔ some matters to the others
        if ((n > 0) !== (lastClients > 0)) send({ nadir: 'feed-clients', n });
        lastClients = n;
      },
      onEvents: (fn) => eventHandlers.push(fn),
    },
    shareMetrics(registries) {
      // the constructor installs prom-client's answer to the primary's requests (once per process)
      new AggregatorRegistry();
      AggregatorRegistry.setRegistries(registries);
    },
    clusterMetrics() {
      return new Promise<string>((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(() => {
          pendingMetrics.delete(id);
          reject(new Error('the primary process did not answer with the metrics in 10 s'));
        }, 10_000);
        pendingMetrics.set(id, { resolve, reject, timer });
        send({ nadir: 'metrics', id });
      });
    },
    listening: (url) => send({ nadir: 'listening', url }),
    failed: (message, exitCode) => new Promise<void>((resolve) => send({ nadir: 'failed', message, exitCode }, resolve)),
    onShutdown: (fn) => {
      if (shutdownAsked) fn();
      else shutdownHandlers.push(fn);
    },
  };
}

export interface PrimaryOptions {
  workers: number;
  /** All workers listen (their URL). */
  onListening(url: string): void;
  /** A worker could not start (a model that does not load, a port in use): the whole server stops with this message and exit code. */
  onFailed(message: string, exitCode: number): void;
  /** Lines for the operator (stderr). */
  log(line: string): void;
}

export interface Primary {
  /** Ask every worker to drain and exit; resolves with 0 when all exited cleanly, else 1. */
  stop(): Promise<number>;
  /** Kill every worker now. */
  kill(): void;
}

/** A worker that dies this often within RESTART_WINDOW_MS is not started again: the server stops. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;

/**
 * The primary process: forks `workers` copies of this program (same arguments, WORKER_ENV set to
 * each one's index), relays the live feed and the metrics between them, starts a worker again
 * when one dies while serving, and stops them all on request.
 */
export function runPrimary(o: PrimaryOptions): Primary {
  const aggregator = new AggregatorRegistry();
  const byIndex = new Map<number, Worker>();
  const indexOf = new Map<Worker, number>();
  const feedClients = new Map<Worker, number>();
  const toldElsewhere = new Map<Worker, boolean>();
  const listening = new Set<number>();
  let url: string | null = null;
  let stopping = false;
  let failed = false;
  const restarts: number[] = [];
  let allExited: (() => void) | null = null;
  let exitStatus = 0;

  /**
   * A message to a worker. A worker may be exiting while the primary still writes to it (another
   * worker's exit updates the feed while all stop): its channel is closed or closing, and the
   * write fails (EPIPE). That failure is the worker's exit, which its 'exit' handler deals with;
   * with a callback, Node hands it there instead of raising it as an 'error' nobody listens to.
   */
  const tell = (w: Worker, msg: ToWorker): void => {
    if (w.isConnected()) w.send(msg, undefined, undefined, () => {});
  };

  const updateFeed = (): void => {
    let total = 0;
    for (const n of feedClients.values()) total += n;
    for (const w of byIndex.values()) {
      const elsewhere = total - (feedClients.get(w) ?? 0) > 0;
      if (toldElsewhere.get(w) === elsewhere) continue;
      toldElsewhere.set(w, elsewhere);
      tell(w, { nadir: 'feed-elsewhere', listening: elsewhere });
    }
  };

  const fail = (message: string, exitCode: number): void => {
    if (failed) return;
    failed = true;
    stopping = true;
    for (const w of byIndex.values()) w.process.kill('SIGKILL');
    o.onFailed(message, exitCode);
  };

  const fork = (index: number): void => {
    const w = cluster.fork({ [WORKER_ENV]: String(index) });
    byIndex.set(index, w);
    indexOf.set(w, index);
    w.on('message', (m: unknown) => {
      if (!isNadirMessage(m)) return;
      const msg = m as ToPrimary;
      switch (msg.nadir) {
        case 'listening':
          listening.add(index);
          if (url === null && listening.size === o.workers) {
            url = msg.url;
            o.onListening(url);
          }
          break;
        case 'failed':
          fail(msg.message, msg.exitCode);
          break;
        case 'feed-clients':
          feedClients.set(w, msg.n);
          updateFeed();
          break;
        case 'events':
          for (const [other, n] of feedClients) if (other !== w && n > 0) tell(other, msg);
          break;
        case 'metrics':
          aggregator.clusterMetrics().then(
            (text) => tell(w, { nadir: 'metrics', id: msg.id, text }),
            (e: unknown) => tell(w, { nadir: 'metrics', id: msg.id, error: (e as Error).message }),
          );
          break;
      }
    });
    w.on('exit', (code, signal) => {
      byIndex.delete(index);
      indexOf.delete(w);
      feedClients.delete(w);
      toldElsewhere.delete(w);
      updateFeed();
      if (stopping) {
        if (code !== 0) exitStatus = 1;
        if (byIndex.size === 0) allExited?.();
        return;
      }
      if (!listening.has(index)) {
        // died before it could serve, without saying why (a crash at start): the server cannot start
        fail(`worker ${index} exited (${signal ?? `code ${code}`}) before listening`, 1);
        return;
      }
      const now = Date.now();
      restarts.push(now);
      while (restarts.length > 0 && restarts[0]! < now - RESTART_WINDOW_MS) restarts.shift();
      if (restarts.length > MAX_RESTARTS) {
        o.log(`nadir: workers died ${restarts.length} times within ${RESTART_WINDOW_MS / 1000} s: stopping`);
        exitStatus = 1;
        stopping = true;
        for (const other of byIndex.values()) tell(other, { nadir: 'shutdown' });
        if (byIndex.size === 0) allExited?.();
        return;
      }
      o.log(`nadir: worker ${index} exited (${signal ?? `code ${code}`}): starting another`);
      fork(index);
    });
  };

  for (let i = 0; i < o.workers; i++) fork(i);

  return {
    stop() {
      stopping = true;
      return new Promise<number>((resolve) => {
        allExited = () => resolve(exitStatus);
        if (byIndex.size === 0) return allExited();
        // a worker still starting has no channel yet: SIGTERM makes it drain the same way
        for (const w of byIndex.values()) if (w.isConnected()) tell(w, { nadir: 'shutdown' });
        else w.process.kill('SIGTERM');
      });
    },
    kill() {
      stopping = true;
      for (const w of byIndex.values()) w.process.kill('SIGKILL');
    },
  };
}
