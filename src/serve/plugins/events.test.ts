import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { fixtureDetector, fixtureServer, recordsOf, RECORDS_FILE } from '../testdata/fixtures.js';
import type { DetectionEvent } from './events.js';

interface SseEvent {
  event: string;
  data: unknown;
}

/** A live-feed reader over real HTTP: parses the stream into events as they arrive. */
async function connect(url: string, headers: Record<string, string> = {}): Promise<{ status: number; events: SseEvent[]; comments: string[]; ended: Promise<void>; abort: () => void; type: string | null }> {
  const ac = new AbortController();
  const res = await fetch(url, { headers, signal: ac.signal });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const ended = (async () => {
    if (!res.body) return;
    const dec = new TextDecoder();
    let buf = '';
    try {
      for await (const chunk of res.body) {
        buf += dec.decode(chunk as Uint8Array, { stream: true });
        let at: number;
        while ((at = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, at);
          buf = buf.slice(at + 2);
          let event = 'message';
          let data: string | null = null;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data = line.slice(6);
          }
          if (data !== null) events.push({ event, data: JSON.parse(data) });
        }
      }
    } catch (e) {
      if ((e as Error).name !== 'AbortError') throw e;
    }
  })();
  return { status: res.status, events, comments, ended, abort: () => ac.abort(), type: res.headers.get('content-type') };
}

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function records(n: number): Promise<Array<Record<string, unknown>>> {
  return (await recordsOf(await fixtureDetector('gbdt-binary'), RECORDS_FILE)).records.slice(0, n);
}

test('GET /api/v1/events: one detection event per scored record, from the single and batch routes; heartbeats', async () => {
  const app = await fixtureServer(['gbdt-binary'], { limits: { rateLimit: false }, liveFeed: { heartbeatMs: 50 } });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const feed = await connect(`${base}/api/v1/events`);
  try {
    assert.equal(feed.status, 200);
    assert.match(feed.type ?? '', /^text\/event-stream/);
    const recs = await records(20);
    const single = (await app.inject({ method: 'POST', url: '/api/v1/predict?explain=true', payload: recs[0] })).json();
    const batch = (await app.inject({ method: 'POST', url: '/api/v1/models/gbdt-binary/predict', payload: { records: recs.slice(1, 11) } })).json();
    await until(() => feed.events.length >= 11);
    const ev = feed.events.map((e) => e.data as DetectionEvent);
    assert.ok(feed.events.every((e) => e.event === 'detection'));
    assert.equal(ev[0]!.label, single.label);
    assert.equal(ev[0]!.probability, single.probability);
    assert.deepEqual(ev[0]!.explanation, single.explanation);
    assert.equal(ev[0]!.model, 'gbdt-binary');
    assert.ok(!Number.isNaN(Date.parse(ev[0]!.time)));
    assert.deepEqual(ev.slice(1, 11).map((e) => [e.label, e.class, e.probability]), batch.predictions.map((p: DetectionEvent) => [p.label, p.class, p.probability]));
    await until(() => feed.comments.includes('ping'));
  } finally {
    feed.abort();
    await app.close();
  }
});

test('a client that falls behind keeps at most `queue` events: the oldest are dropped and counted', async () => {
  const app = await fixtureServer(['gbdt-binary'], { limits: { rateLimit: false }, liveFeed: { queue: 5, flushMs: 300 } });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const feed = await connect(`${base}/api/v1/events`);
  try {
    const recs = await records(50);
    await app.inject({ method: 'POST', url: '/api/v1/predict', payload: { records: recs.slice(0, 30) } });
    const batch = (await app.inject({ method: 'POST', url: '/api/v1/predict', payload: { records: recs.slice(30, 50) } })).json();
    await until(() => feed.events.length >= 6);
    assert.deepEqual(feed.events[0], { event: 'dropped', data: { dropped: 45 } });
    const last = feed.events.slice(1).map((e) => (e.data as DetectionEvent).probability);
    assert.deepEqual(last, batch.predictions.slice(15).map((p: DetectionEvent) => p.probability));
  } finally {
    feed.abort();
    await app.close();
  }
});

test('with an API key: 401 without it, the key as a header or as ?key= (this route only)', async () => {
  const app: FastifyInstance = await fixtureServer(['gbdt-binary'], { apiKey: 'k3y' });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    for (const url of ['/api/v1/events', '/api/v1/events?key=wrong']) {
      const r = await fetch(`${base}${url}`);
      assert.equal(r.status, 401, url);
      assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'NADIR_ERR_UNAUTHORIZED');
    }
    assert.equal((await fetch(`${base}/api/v1/models?key=k3y`)).status, 401, 'the query key works on the live feed only');
    for (const [url, headers] of [['/api/v1/events?key=k3y', {}], ['/api/v1/events', { 'x-api-key': 'k3y' }]] as const) {
      const feed = await connect(`${base}${url}`, headers);
      assert.equal(feed.status, 200, url);
      feed.abort();
    }
  } finally {
    await app.close();
  }
});

test('closing the server ends open feeds at once (a drain does not wait on them)', async () => {
  const app = await fixtureServer(['gbdt-binary']);
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const feeds = await Promise.all([connect(`${base}/api/v1/events`), connect(`${base}/api/v1/events`)]);
  const t0 = Date.now();
  await app.close();
  await Promise.all(feeds.map((f) => f.ended));
  assert.ok(Date.now() - t0 < 2000, `closed in ${Date.now() - t0} ms`);
});

test('demo replay: records scored at the rate through the same path — on the feed and in /metrics; stops on close', async () => {
  const app = await fixtureServer(['gbdt-binary'], { demo: { rate: 100, data: RECORDS_FILE } });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const feed = await connect(`${base}/api/v1/events`);
  try {
    await until(() => feed.events.length >= 20);
    const e = feed.events[0]!.data as DetectionEvent;
    assert.equal(e.model, 'gbdt-binary');
    assert.ok(Array.isArray(e.explanation) && e.explanation.length === 3, 'top-3 explanation');
    const m = (await app.inject('/metrics')).body;
    const total = [...m.matchAll(/^nadir_predictions_total\{model="gbdt-binary",label="\w+"\} (\d+)$/gm)].reduce((s, x) => s + Number(x[1]), 0);
    assert.ok(total >= 20, `predictions_total ${total}`);
  } finally {
    feed.abort();
    await app.close();
  }
  await assert.rejects(fixtureServer(['gbdt-binary'], { demo: { rate: 0 } }), /rate/);
});

test('POST /api/v1/events/detections (nadir monitor --serve): detections onto the live feed, behind the API key, schema-checked', async () => {
  const app = await fixtureServer(['gbdt-binary'], { apiKey: 'k3y' });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const feed = await connect(`${base}/api/v1/events?key=k3y`);
  try {
    const det = { model: 'flows.nadir', label: 'Attack', class: 'attack', probability: 0.99, explanation: [{ feature: 'SYN Flag Count', value: 2.5 }], flow_id: '127.0.0.1-127.0.0.1-1234-80-6', src_ip: '127.0.0.1', dest_ip: '127.0.0.1', dest_port: 80 };
    const denied = await fetch(`${base}/api/v1/events/detections`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ detections: [det] }) });
    assert.equal(denied.status, 401);
    const ok = await fetch(`${base}/api/v1/events/detections`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'k3y' }, body: JSON.stringify({ detections: [det, { ...det, probability: 0.8 }] }) });
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { accepted: 2, clients: 1 });
    await until(() => feed.events.length >= 2);
    const ev = feed.events.map((e) => e.data as DetectionEvent & { flow_id: string });
    assert.deepEqual(ev.map((e) => [e.model, e.label, e.probability, e.flow_id]), [['flows.nadir', 'Attack', 0.99, det.flow_id], ['flows.nadir', 'Attack', 0.8, det.flow_id]]);
    assert.ok(!Number.isNaN(Date.parse(ev[0]!.time)));
    const bad = await fetch(`${base}/api/v1/events/detections`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'k3y' }, body: JSON.stringify({ detections: [{ label: 'Attack' }] }) });
    assert.equal(bad.status, 400);
  } finally {
    feed.abort();
    await app.close();
  }
});
