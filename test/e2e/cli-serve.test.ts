/**
 * `nadir serve` as a real process: started on 127.0.0.1 with a free port, asked over HTTP, then
 * stopped by its pid with SIGTERM while a request is in flight — which still gets its answer —
 * and a clean exit (0). Also the start-up errors: no model, a port in use.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { predict } from '../../src/app/predict.js';
import { predictionRecords } from '../../src/app/prediction-records.js';
import { Detector } from '../../src/model/detector.js';
import { CLI, nadir } from './cli.js';

const FIXTURES = new URL('../../../test/fixtures/models-v1/', import.meta.url).pathname;
const MODEL = `${FIXTURES}gbdt-binary.nadir`;
const KDD = new URL('../../../data/nsl-kdd/KDDTest+.txt.gz', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'nadir-serve-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Server {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Start `nadir serve … --port 0 --json` and wait for its JSON document (the URL). */
function start(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Server> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--json', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nadir serve did not start in 30 s: ${err}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      try {
        const doc = JSON.parse(out) as { url: string };
        clearTimeout(timer);
        resolve({ child, url: doc.url, stderr: () => err, exit });
      } catch {
        // not the whole document yet
      }
    });
    void exit.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`nadir serve exited (${code}) before listening: ${err}`));
    });
  });
}

test('serve answers over HTTP as nadir predict does, and SIGTERM drains the request in flight then exits 0', async () => {
  // a generous --drain: the explained request in flight takes seconds, more on a loaded machine
  const server = await start(['--model', MODEL, '--log-level', 'warn', '--drain', '300'], { NADIR_API_KEY: 'e2e-key' });
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const auth = { 'x-api-key': 'e2e-key' };
  assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
  assert.equal((await fetch(`${server.url}/api/v1/models`)).status, 401, 'the key from NADIR_API_KEY is required');
  const models = (await (await fetch(`${server.url}/api/v1/models`, { headers: auth })).json()) as { default: string };
  assert.equal(models.default, 'gbdt-binary');

  // the first KDDTest+ record as JSON → the answer nadir predict gives for row 1
  const d = await Detector.load(MODEL);
  const expected = predictionRecords(d, await predict(d, KDD));
  const names = d.body.schema.inputs.map((i) => i.name);
  const { NSL_KDD_COLUMNS } = await import('../../src/data/formats/index.js');
  const cells = gunzipSync(readFileSync(KDD)).toString('utf8').split('\n')[0]!.split(',');
  const record = Object.fromEntries(names.map((n) => {
    const v = cells[(NSL_KDD_COLUMNS as readonly string[]).indexOf(n)]!;
    return [n, Number.isNaN(Number(v)) ? v : Number(v)];
  }));
  const r = await fetch(`${server.url}/api/v1/predict`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(record) });
  assert.equal(r.status, 200);
  const p = (await r.json()) as { label: string; probability: number };
  assert.equal(p.label, expected[0]!.label);
  assert.equal(p.probability, expected[0]!.probability);

  // a long request (all of KDDTest+ as CSV, explained) in flight when SIGTERM comes
  const inFlight = fetch(`${server.url}/api/v1/predict/csv?explain=true`, { method: 'POST', headers: { ...auth, 'content-type': 'application/gzip' }, body: readFileSync(KDD) });
  await new Promise((res) => setTimeout(res, 300));
  assert.ok(server.child.kill('SIGTERM'));
  const answer = await inFlight;
  assert.equal(answer.status, 200, 'the request in flight is answered');
  const lines = (await answer.text()).trim().split('\n');
  assert.equal(lines.length, 22545);
  const { code, signal } = await server.exit;
  assert.equal(signal, null);
  assert.equal(code, 0, server.stderr());
  assert.match(server.stderr(), /SIGTERM: stopping/);
  assert.match(server.stderr(), /stopped/);
  await assert.rejects(fetch(`${server.url}/healthz`), 'nothing listens any more');
});

test('start-up errors are one line and exit 2: no model to serve, a port in use, a bad option', async () => {
  const none = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const c = spawn(process.execPath, [CLI, 'serve'], { cwd: dir });
    let stderr = '';
    c.stderr.on('data', (x) => (stderr += x));
    c.on('exit', (code) => resolve({ code, stderr }));
  });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /^nadir: no model to serve: name one with --model FILE, or train one first — npm start/);

  const first = await start(['--model', MODEL, '--log-level', 'silent']);
  const port = new URL(first.url).port;
  const busy = await nadir('serve', '--model', MODEL, '--port', port);
  assert.equal(busy.code, 2);
  assert.equal(busy.stderr, `nadir: cannot listen on 127.0.0.1:${port}: the port is in use (pick another with --port)\n`);
  first.child.kill('SIGINT');
  assert.equal((await first.exit).code, 0, first.stderr());

  const bad = await nadir('serve', '--model', MODEL, '--rate-limit', 'lots');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^nadir: invalid option --rate-limit: expected a whole number ≥ 0, got 'lots'/);
  const missing = await nadir('serve', '--model', join(dir, 'none.nadir'));
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /file not found/);
});

test('nadir serve --help names the routes, the security defaults and how to stop it', async () => {
  const h = await nadir('serve', '--help');
  assert.equal(h.code, 0);
  for (const s of ['POST /api/v1/predict', '/api/v1/models/<id>/predict/csv', '/metrics', '/openapi.json', 'NADIR_API_KEY', '127.0.0.1', 'SIGTERM']) assert.ok(h.stdout.includes(s), s);
});

/** A live-feed reader over HTTP: the comments and detection events as they arrive (each on its own connection). */
async function feed(url: string): Promise<{ comments: string[]; detections: number; abort: () => void }> {
  const ac = new AbortController();
  const res = await fetch(url, { signal: ac.signal, headers: { connection: 'close' } });
  assert.equal(res.status, 200);
  const out = { comments: [] as string[], detections: 0, abort: () => ac.abort() };
  void (async () => {
    const dec = new TextDecoder();
    let buf = '';
    try {
      for await (const chunk of res.body!) {
        buf += dec.decode(chunk as Uint8Array, { stream: true });
        let at: number;
        while ((at = buf.indexOf('\n\n')) >= 0) {
          for (const line of buf.slice(0, at).split('\n')) {
            if (line.startsWith(':')) out.comments.push(line.slice(1).trim());
            else if (line === 'event: detection') out.detections++;
          }
          buf = buf.slice(at + 2);
        }
      }
    } catch {
      // aborted
    }
  })();
  return out;
}

async function until(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('--workers 2: one port, the demo replayed once and seen by live-feed clients of every worker, /metrics counting all workers', async () => {
  const server = await start(['--model', MODEL, '--log-level', 'warn', '--workers', '2', '--demo', '100', '--rate-limit', '0']);
  try {
    // feeds on new connections, handed to the workers in turn: at least one on each
    const feeds: Array<Awaited<ReturnType<typeof feed>>> = [];
    for (let i = 0; i < 6; i++) {
      const f = await feed(`${server.url}/api/v1/events`);
      await until(() => f.comments.length > 0, 'the connected comment');
      feeds.push(f);
    }
    const workers = new Set(feeds.map((f) => /connected to worker (\d+)/.exec(f.comments[0]!)?.[1]));
    assert.deepEqual([...workers].sort(), ['0', '1'], `feeds held by both workers: ${feeds.map((f) => f.comments[0]).join('; ')}`);
    // the demo runs in worker 0 alone; worker 1's clients get its records through the primary
    await until(() => feeds.every((f) => f.detections >= 20), 'detections on every feed');
    for (const f of feeds) f.abort();
    // replayed once: /metrics counts the demo's records at its rate (100/s), not once per worker
    const predictions = async (): Promise<number> => {
      const m = await (await fetch(`${server.url}/metrics`, { headers: { connection: 'close' } })).text();
      return [...m.matchAll(/^nadir_predictions_total\{[^}]*\} (\d+)$/gm)].reduce((s, x) => s + Number(x[1]), 0);
    };
    const t0 = performance.now();
    const p0 = await predictions();
    await new Promise((r) => setTimeout(r, 2000));
    const p1 = await predictions();
    const seconds = (performance.now() - t0) / 1000;
    assert.ok(p1 - p0 > 0 && p1 - p0 <= 100 * (seconds + 0.5), `${p1 - p0} demo records in ${seconds.toFixed(1)} s at 100/s`);

    // predictions on new connections land on both workers; /metrics (answered by either) counts them all
    const { NSL_KDD_COLUMNS } = await import('../../src/data/formats/index.js');
    const d = await Detector.load(MODEL);
    const names = d.body.schema.inputs.map((i) => i.name);
    const cells = gunzipSync(readFileSync(KDD)).toString('utf8').split('\n')[0]!.split(',');
    const record = Object.fromEntries(names.map((n) => {
      const v = cells[(NSL_KDD_COLUMNS as readonly string[]).indexOf(n)]!;
      return [n, Number.isNaN(Number(v)) ? v : Number(v)];
    }));
    const requests = async (): Promise<number> => {
      const m = await (await fetch(`${server.url}/metrics`, { headers: { connection: 'close' } })).text();
      const line = /^nadir_http_requests_total\{method="POST",route="\/api\/v1\/predict",status="200"\} (\d+)$/m.exec(m);
      return line ? Number(line[1]) : 0;
    };
    for (let i = 0; i < 10; i++) {
      const r = await fetch(`${server.url}/api/v1/predict`, { method: 'POST', headers: { 'content-type': 'application/json', connection: 'close' }, body: JSON.stringify(record) });
      assert.equal(r.status, 200);
      assert.equal(((await r.json()) as { label: string }).label, 'Attack');
    }
    for (let i = 0; i < 4; i++) assert.equal(await requests(), 10, 'every scrape counts the requests of both workers');
    const m = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(m, /^nadir_models_loaded 1$/m, 'the model count once, not once per worker');
  } finally {
    server.child.kill('SIGINT');
  }
  const { code } = await server.exit;
  assert.equal(code, 0, server.stderr());
  assert.match(server.stderr(), /SIGINT: stopping/);
  assert.match(server.stderr(), /stopped/);
});
