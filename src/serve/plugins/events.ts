import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsync } from 'fastify';
import { nadirError } from '../../errors.js';
import { errorResponseSchema } from '../schemas.js';
import type { ObservedRecord } from '../types.js';

/** The live feed's bounds; each has a default (DEFAULT_LIVE_FEED). */
export interface LiveFeedOptions {
  /** Events waiting for one client; beyond it the oldest are dropped (and counted). */
  queue: number;
  /** Clients connected at once (503 beyond). */
  maxClients: number;
  /** A comment line this often keeps proxies and the browser from closing an idle feed. */
  heartbeatMs: number;
  /** Queued events are written at most this often (one write per client per flush). */
  flushMs: number;
}

export const DEFAULT_LIVE_FEED: LiveFeedOptions = { queue: 500, maxClients: 100, heartbeatMs: 15_000, flushMs: 100 };

/** One live event (the `data:` of a `detection` event). */
export interface DetectionEvent extends ObservedRecord {
  /** When it was scored (ISO 8601). */
  time: string;
  /** The model that scored it. */
  model: string;
}

interface Client {
  res: ServerResponse;
  /** Serialised events waiting to be written; the oldest first. */
  queue: string[];
  /** Events dropped since the last `dropped` event was sent. */
  dropped: number;
  /** The socket asked us to wait ('drain' not yet seen). */
  blocked: boolean;
}

/**
 * GET /api/v1/events: Server-Sent Events, one `detection` event per scored record — from every
 * scoring route and the demo replay, through ServeContext.observers (the path the metrics count) —
 * and per detection POSTed to /api/v1/events/detections (scored elsewhere: `nadir monitor --serve`).
 *
 *   event: detection
 *   data: {"time":"…","model":"m","label":"Attack","class":"neptune","probability":0.97,"explanation":[…]}
 *
 * Bounded per client: at most `queue` events wait; when a client reads slower than records are
 * scored, the oldest are dropped and an `event: dropped` with `{"dropped":n}` says how many.
 * Writes are batched (every `flushMs`) and wait for the socket's 'drain', so a slow client holds at
 * most its queue and one write. A comment (`: ping`) every `heartbeatMs`. Behind the API key like
 * every /api route; since a browser's EventSource cannot send headers, this route alone also takes
 * the key as `?key=`. Closing the server ends every feed first (preClose), so a drain never waits
 * on them. With several workers (ServeOptions.cluster), events scored in other workers arrive
 * through the primary process (serve/cluster.ts) and are queued under the same bounds.
 */
export const eventsPlugin: FastifyPluginAsync<Partial<LiveFeedOptions>> = async (app, opts) => {
  const o: LiveFeedOptions = { ...DEFAULT_LIVE_FEED, ...opts };
  const clients = new Set<Client>();
  let flushTimer: NodeJS.Timeout | null = null;
  // with --workers: clients connected to other workers get this one's events through the primary
  const relay = app.nadir.cluster?.feed ?? null;
  let outbox: string[] = [];
  let outDropped = 0;

  const write = (c: Client): void => {
    if (c.blocked || (c.queue.length === 0 && c.dropped === 0)) return;
    let chunk = c.dropped > 0 ? `event: dropped\ndata: {"dropped":${c.dropped}}\n\n` : '';
    chunk += c.queue.join('');
    c.queue.length = 0;
    c.dropped = 0;
    if (!c.res.write(chunk)) {
      c.blocked = true;
      c.res.once('drain', () => {
        c.blocked = false;
        write(c);
      });
    }
  };
  const flushAll = (): void => {
    flushTimer = null;
    for (const c of clients) write(c);
    if (relay && (outbox.length > 0 || outDropped > 0)) {
      relay.publish(outbox, outDropped);
      outbox = [];
      outDropped = 0;
    }
  };

  /** Queue events for every local client: `dropped` left out before them; the oldest go beyond the bound. */
  const deliver = (events: readonly string[], dropped: number): void => {
    for (const c of clients) {
      c.dropped += dropped;
      c.queue.push(...events);
      const over = c.queue.length - o.queue;
      if (over > 0) {
        c.queue.splice(0, over);
        c.dropped += over;
      }
    }
  };
  const schedule = (): void => {
    flushTimer ??= setTimeout(flushAll, o.flushMs);
  };

  /** Events scored in this process: to its clients, and through the relay to the other workers' clients. */
  const publish = (events: string[], dropped: number): void => {
    deliver(events, dropped);
    if (relay !== null && relay.elsewhere) {
      outDropped += dropped;
      outbox.push(...events);
      const over = outbox.length - o.queue;
      if (over > 0) {
        outbox.splice(0, over);
        outDropped += over;
      }
    }
    schedule();
  };

  relay?.onEvents((events, dropped) => {
    if (clients.size === 0) return;
    deliver(events, dropped);
    schedule();
  });

  app.nadir.observers.push((model, batch) => {
    const forward = relay !== null && relay.elsewhere;
    if (clients.size === 0 && !forward) return;
    // records beyond the last `queue` of a batch would be dropped by every client: never built
    const first = Math.max(0, batch.size - o.queue);
    const time = new Date().toISOString();
    const events: string[] = [];
    for (let i = first; i < batch.size; i++) {
      const r = batch.record(i);
      const e: DetectionEvent = { time, model: model.id, label: r.label, class: r.class, probability: r.probability };
      if (r.explanation) e.explanation = r.explanation;
      events.push(`event: detection\ndata: ${JSON.stringify(e)}\n\n`);
    }
    publish(events, first);
  });

  // detections scored elsewhere (nadir monitor --serve): onto the live feed as they are
  app.post<{ Body: { detections: Array<Omit<DetectionEvent, 'time'> & { time?: string; flow_id?: string; src_ip?: string; dest_ip?: string; dest_port?: number }> } }>(
    '/events/detections',
    {
      schema: {
        tags: ['live'],
        summary: 'Push detections scored elsewhere (nadir monitor --serve) onto the live feed',
        body: {
          type: 'object',
          required: ['detections'],
          additionalProperties: false,
          properties: {
            detections: {
              type: 'array',
              maxItems: 1000,
              items: {
                type: 'object',
                required: ['model', 'label', 'class', 'probability'],
                additionalProperties: false,
                properties: {
                  time: { type: 'string', maxLength: 64 },
                  model: { type: 'string', maxLength: 256 },
                  label: { type: 'string', maxLength: 256 },
                  class: { type: 'string', maxLength: 256 },
                  probability: { type: 'number' },
                  explanation: { type: 'array', maxItems: 50, items: { type: 'object', required: ['feature', 'value'], additionalProperties: false, properties: { feature: { type: 'string', maxLength: 256 }, value: { type: 'number' }, input: { type: ['number', 'string', 'null'], maxLength: 1024 } } } },
                  flow_id: { type: 'string', maxLength: 256 },
                  src_ip: { type: 'string', maxLength: 64 },
                  dest_ip: { type: 'string', maxLength: 64 },
                  dest_port: { type: 'integer', minimum: 0, maximum: 65535 },
                },
              },
            },
          },
        },
        response: { 200: { type: 'object', required: ['accepted', 'clients'], properties: { accepted: { type: 'integer' }, clients: { type: 'integer' } } }, '4xx': errorResponseSchema, '5xx': errorResponseSchema },
      },
    },
    async (req) => {
      const time = new Date().toISOString();
      const list = req.body.detections;
      if (clients.size > 0 || (relay !== null && relay.elsewhere)) publish(list.map((d) => `event: detection\ndata: ${JSON.stringify({ time, ...d })}\n\n`), 0);
      return { accepted: list.length, clients: clients.size };
    },
  );

  const heartbeat = setInterval(() => {
    for (const c of clients) if (!c.blocked) c.res.write(': ping\n\n');
  }, o.heartbeatMs);
  heartbeat.unref();

  app.addHook('preClose', (done) => {
    clearInterval(heartbeat);
    if (flushTimer) clearTimeout(flushTimer);
    for (const c of clients) c.res.end();
    clients.clear();
    relay?.clients(0);
    done();
  });

  app.get(
    '/events',
    {
      config: { apiKeyInQuery: true, rateLimit: false },
      schema: {
        tags: ['live'],
        summary: 'Live feed of scored records (Server-Sent Events)',
        description:
          'text/event-stream: one `detection` event per scored record ({ time, model, label, class, probability, explanation? }), `dropped` events ({ dropped }) when this client fell behind, `: ping` comments every 15 s. ' +
          'With an API key configured, send it as a header or, for EventSource, as ?key=.',
        querystring: { type: 'object', properties: { key: { type: 'string', description: 'the API key (EventSource cannot send headers)' } }, additionalProperties: false },
        produces: ['text/event-stream'],
        response: { '4xx': errorResponseSchema, '5xx': errorResponseSchema },
      },
    },
    async (req, reply) => {
      if (clients.size >= o.maxClients) throw nadirError('NADIR_ERR_UNAVAILABLE', `the live feed has ${o.maxClients} clients already: try again later`);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        // one stream per connection: when it ends (server closing), the socket closes too, so a drain never waits on it
        connection: 'close',
        'x-accel-buffering': 'no',
      });
      // with several workers, the comment names the one holding this feed (the others' events come through the primary)
      const worker = app.nadir.cluster ? ` to worker ${app.nadir.cluster.index}` : '';
      res.write(`retry: 3000\n: connected${worker}\n\n`);
      const c: Client = { res, queue: [], dropped: 0, blocked: false };
      clients.add(c);
      relay?.clients(clients.size);
      req.raw.on('close', () => {
        clients.delete(c);
        relay?.clients(clients.size);
      });
    },
  );
};
