/**
 * `npm run bench -- serve`: `nadir serve` against two Python serving stacks, in the same run, one
 * server at a time on 127.0.0.1, with Debian's `wrk` as the load generator:
 * - nadir: a gbdt model (200 rounds, depth 6, lr 0.1, 256 bins, threshold 0.5) trained here
 *   through the library's `train()` on KDDTrain+_20Percent, saved to .tmp/bench/, served by
 *   `node dist/src/cli/main.js serve --model … --port … --rate-limit 0 --log-level silent`, with its
 *   default workers (one per core) and again with `--workers 1` (one process, for comparison);
 * - (a) the seeds' stack: Flask + scikit-learn RandomForest(100) (bench/peers/flask_peer.py);
 * - (b) FastAPI + uvicorn + XGBoost, the same boosting settings as nadir (bench/peers/fastapi_peer.py).
 * Each answers POST /api/v1/predict with one JSON record or { "records": [...] }. Cases: one real
 * KDDTest+ record per request (requests/s, p50/p99 latency) and 100-record batches (requests/s,
 * records/s). Before timing, each server's first answers are checked (the single record's label,
 * 100 batch labels). Every server is stopped by its pid when measured, also on failure. For nadir
 * also one record per request with `?explain=true`, and in-process the cost of explaining one record
 * before (TreeSHAP tables built per call) and after (kept per model) the explainer cache.
 * `--only nadir,nadir-1,flask,fastapi` picks servers. RSS counts a server's whole process tree
 * (nadir's primary and workers). The 1-minute load average is recorded around every measurement:
 * the machine is shared.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { train } from '../src/app/train.js';
import { predict } from '../src/app/predict.js';
import { predictionRecords } from '../src/app/prediction-records.js';
import { groupBySource, topContributions } from '../src/explain/group.js';
import { treeShap } from '../src/explain/tree-shap.js';
import { recordEncoder } from '../src/features/record-encoder.js';
import type { TreeModel } from '../src/learners/types.js';
import { saveModelFile } from '../src/model/artifact.js';
import type { Detector } from '../src/model/detector.js';
import { explainMatrix } from '../src/model/explain.js';
import { fmtInt, fmtRate, fmtRatio, fmtSeconds } from './lib/format.js';
import { NSL_KDD_COLUMNS, NSL_KDD_FEATURES } from '../src/data/formats/index.js';
import { CACHE_DIR, NSL_KDD, PEERS_DIR, ROOT } from './lib/paths.js';
import { findServeTools, peerEnv } from './lib/python.js';
import { ratio } from './lib/stats.js';
import type { ResultTable, SuiteOptions, SuiteReport } from './lib/suite.js';

/** The 41 NSL-KDD input columns, as the data layer names them. */
const COLUMNS = NSL_KDD_COLUMNS.slice(0, NSL_KDD_FEATURES);
const TEXT = new Set(['protocol_type', 'service', 'flag']);
const BATCH = 100;
const THREADS = Math.min(2, availableParallelism());
/** wrk connections for single-record requests (the main run's, and the soak's). */
const SINGLE_CONNS = 32;
/** Default soak length, seconds (`--soak` without a value). */
export const SOAK_SECONDS = 60;
/** RSS growth over the soak (warmed-up → end) above which it is not called flat. */
const FLAT_PCT = 10;

type Rec = Record<string, string | number>;

/** The first `n` KDDTest+ rows as JSON records (41 inputs) and their true binary labels. */
function testRecords(n: number): { records: Rec[]; truth: string[] } {
  const lines = gunzipSync(readFileSync(NSL_KDD.test)).toString('utf8').split('\n').slice(0, n);
  const records: Rec[] = [];
  const truth: string[] = [];
  for (const line of lines) {
    const f = line.split(',');
    const r: Rec = {};
    COLUMNS.forEach((c, i) => (r[c] = TEXT.has(c) ? f[i]! : Number(f[i])));
    records.push(r);
    truth.push(f[41] === 'normal' ? 'Normal' : 'Attack');
  }
  return { records, truth };
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolvePort(port));
    });
  });
}

/** Children still running, stopped on any exit of the bench. */
const alive = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of alive) if (c.pid) try { process.kill(c.pid, 'SIGKILL'); } catch { /* gone */ }
});

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) {
    alive.delete(child);
    return;
  }
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  process.kill(child.pid, 'SIGTERM');
  const t = setTimeout(() => child.pid && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 15_000);
  await exited;
  clearTimeout(t);
  alive.delete(child);
}

function statusMB(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** `pid` and its descendants (nadir serve's primary and its workers), from /proc/<pid>/stat's parent ids. */
export function processTree(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      // the command name (in parentheses) may hold spaces: the fields after its closing ')'
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(e), Number(rest[1]));
    } catch {
      // gone
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) for (const [p, pp] of parent) if (pp === out[i] && !out.includes(p)) out.push(p);
  return out;
}

/** RSS of a process and its descendants, MB (null when it is gone). */
function rssMBOf(pid: number | undefined): number | null {
  return treeMB(pid, 'VmRSS');
}

function treeMB(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number | null {
  if (!pid) return null;
  let sum = 0;
  let any = false;
  for (const p of processTree(pid)) {
    const mb = statusMB(p, field);
    if (mb !== null) {
      sum += mb;
      any = true;
    }
  }
  return any ? sum : null;
}

function load1(): number {
  return Number(loadavg()[0]!.toFixed(2));
}

async function waitReady(url: string, child: ChildProcess, stderr: () => string, timeoutMs: number): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before answering:\n${stderr().slice(-2000)}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) return (performance.now() - t0) / 1000;
    } catch {
      // not listening yet
    }
    if (performance.now() - t0 > timeoutMs) throw new Error(`no answer from ${url}/healthz after ${timeoutMs / 1000} s:\n${stderr().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function post(url: string, body: string, path = '/api/v1/predict'): Promise<unknown> {
  const r = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await r.text();
  if (!r.ok) throw new Error(`POST ${path}: HTTP ${r.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as unknown;
}

export interface WrkResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  non2xx: number;
  socketErrors: number;
  raw: string;
}

function seconds(v: string, unit: string): number {
  const x = Number(v);
  return unit === 'us' ? x / 1e6 : unit === 'ms' ? x / 1e3 : unit === 'm' ? x * 60 : x;
}

export function parseWrk(out: string): WrkResult {
  const pct = (p: string): number | null => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(out);
    return m ? seconds(m[1]!, m[2]!) : null;
  };
  const done = /(\d+) requests in ([\d.]+)(us|ms|s|m)/.exec(out);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(out);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  if (!done || !rps) throw new Error(`cannot read wrk's output:\n${out}`);
  return {
    requests: Number(done[1]),
    seconds: seconds(done[2]!, done[3]!),
    requestsPerSecond: Number(rps[1]),
    p50: pct('50'),
    p90: pct('90'),
    p99: pct('99'),
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    socketErrors: sock ? sock.slice(1, 5).reduce((s, x) => s + Number(x), 0) : 0,
    raw: out,
  };
}

function runWrk(args: string[]): Promise<WrkResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`wrk ${args.join(' ')} failed (exit ${code}):\n${out}`));
      else {
        try {
          resolveRun(parseWrk(out));
        } catch (e) {
          reject(e as Error);
        }
      }
    });
  });
}

/** A wrk script POSTing one fixed JSON body (a Lua long string, so no escaping is needed). */
function wrkScript(path: string, body: string): string {
  let eq = '=';
  while (body.includes(`]${eq}]`)) eq += '=';
  writeFileSync(path, `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [${eq}[${body}]${eq}]\n`);
  return path;
}

interface ServerSpec {
  name: string;
  stack: string;
  model: string;
  cmd: string;
  args: (port: number) => string[];
  env: NodeJS.ProcessEnv;
  /** Its Open Inference Protocol v2 infer route (the same batch as one tensor per column). */
  inferPath: string;
}

interface ServerResult {
  name: string;
  stack: string;
  model: string;
  startSeconds: number | null;
  check: { single: string; batchAgreesWithTruth: number; batchAgreesWithNadir: number | null } | null;
  single: WrkResult | null;
  batch: WrkResult | null;
  /** The same 100 records as v2 tensors (one per input column) to the infer route. */
  tensors: WrkResult | null;
  /** nadir only: one record per request with ?explain=true. */
  explain: WrkResult | null;
  rssMB: { ready: number | null; afterSingle: number | null; afterBatch: number | null };
  /** 1-minute load average before and after each case (the machine is shared). */
  load: { single: [number, number] | null; batch: [number, number] | null; tensors: [number, number] | null };
  error?: string;
}

interface Answer {
  label?: string;
  predictions?: Array<{ label?: string }>;
  outputs?: Array<{ name: string; data: unknown[] }>;
}

/**
 * An Open Inference Protocol v2 infer request for `records`: one tensor per input column, shape
 * [n], FP64 for numbers and BYTES for text (the layout KServe clients send).
 */
function inferBody(records: readonly Rec[]): string {
  const inputs = COLUMNS.map((name) => ({ name, shape: [records.length], datatype: TEXT.has(name) ? 'BYTES' : 'FP64', data: records.map((r) => r[name]) }));
  return JSON.stringify({ inputs });
}

/** nadir's served model: gbdt 200×d6 trained through the library on KDDTrain+_20Percent, saved under `dir`. */
async function trainServeModel(dir: string, log: (s: string) => void): Promise<{ modelPath: string; trained: Awaited<ReturnType<typeof train>> }> {
  const modelPath = join(dir, 'serve-gbdt.nadir');
  const t0 = performance.now();
  const trained = await train({
    data: NSL_KDD.train,
    model: 'gbdt',
    cv: 0,
    seed: 0,
    threads: THREADS,
    threshold: 0.5,
    permutationRepeats: 0,
    learner: { nEstimators: 200, maxDepth: 6, learningRate: 0.1, maxBins: 256 },
    command: 'bench serve',
  });
  await saveModelFile(modelPath, trained.body);
  log(`nadir gbdt trained in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${modelPath}`);
  return { modelPath, trained };
}

/** `nadir serve` for the bench; `workers` null: its default (one per core). */
function nadirServeArgs(modelPath: string, port: number, workers: number | null = null): string[] {
  return [join(ROOT, 'dist', 'src', 'cli', 'main.js'), 'serve', '--model', modelPath, '--port', String(port), '--rate-limit', '0', '--log-level', 'silent', ...(workers === null ? [] : ['--workers', String(workers)])];
}

/** nadir serve's default worker count on this machine (as `nadir serve --help` says). */
function defaultWorkers(): number {
  return Math.max(1, Math.min(availableParallelism(), 4));
}

export interface ExplainCost {
  records: number;
  /** µs per record: the first record (tables built), then the mean, p50 and p99 of the rest. */
  before: { firstUs: number; meanUs: number; p50Us: number; p99Us: number };
  after: { firstUs: number; meanUs: number; p50Us: number; p99Us: number };
  identical: boolean;
}

/**
 * In-process: one record at a time (as `?explain=true` on a single record), the top-5
 * contributions — before: TreeSHAP with its tables built for each call (treeShap, what every
 * request paid before the explainer cache); after: the detector's kept explainer (explainMatrix,
 * what the server runs). Same records, same order; the two must agree exactly.
 */
function measureExplain(detector: Detector, records: readonly Rec[]): ExplainCost {
  const enc = recordEncoder(detector.pipeline)!;
  const rows = records.map((r) => {
    const data = new Float32Array(enc.nCols);
    enc.encode(r, data, 0);
    return { data, nRows: 1, nCols: enc.nCols, columns: enc.columns };
  });
  const preds = rows.map((X) => detector.scoreMatrix(X).pred);
  const time = (fn: (i: number) => Array<{ feature: string; value: number }>): { us: number[]; out: Array<Array<{ feature: string; value: number }>> } => {
    const us: number[] = [];
    const out: Array<Array<{ feature: string; value: number }>> = [];
    for (let i = 0; i < rows.length; i++) {
      const t0 = performance.now();
      out.push(fn(i));
      us.push((performance.now() - t0) * 1000);
    }
    return { us, out };
  };
  const before = time((i) => topContributions(groupBySource(treeShap((detector.learner as unknown as TreeModel).ensemble(), rows[i]!), detector.pipeline.sourceMap), 0, 5, 0));
  const after = time((i) => explainMatrix(detector, rows[i]!, preds[i]!, 5)![0]!);
  const summary = (us: number[]): ExplainCost['before'] => {
    const rest = us.slice(1).sort((a, b) => a - b);
    const q = (p: number): number => rest[Math.min(rest.length - 1, Math.floor(p * rest.length))]!;
    return { firstUs: us[0]!, meanUs: rest.reduce((a, b) => a + b, 0) / rest.length, p50Us: q(0.5), p99Us: q(0.99) };
  };
  const identical = JSON.stringify(before.out) === JSON.stringify(after.out);
  return { records: rows.length, before: summary(before.us), after: summary(after.us), identical };
}

export async function runServe(opts: SuiteOptions): Promise<SuiteReport> {
  if (opts.soak != null) return runSoak(opts, opts.soak);
  const { log, quick } = opts;
  const tools = findServeTools(opts.peer?.python ?? null, log);
  if (!tools.wrk) throw new Error('wrk is needed as the load generator (Debian: apt-get install wrk)');
  const dir = join(CACHE_DIR, 'serve');
  mkdirSync(dir, { recursive: true });

  const { modelPath, trained } = await trainServeModel(dir, log);

  const { records, truth } = testRecords(BATCH);
  const single = records[0]!;
  const singleBody = JSON.stringify(single);
  const batchBody = JSON.stringify({ records });
  const expected = predictionRecords(trained.detector, await predict(trained.detector, { records })).map((p) => p.label);
  const singleScript = wrkScript(join(dir, 'single.lua'), singleBody);
  const batchScript = wrkScript(join(dir, 'batch.lua'), batchBody);
  const tensorBody = inferBody(records);
  const tensorScript = wrkScript(join(dir, 'tensors.lua'), tensorBody);

  // ---- explaining one record, in-process: before / after the explainer cache ----
  const explainRecords = testRecords(quick ? 300 : 2000).records;
  const explainLoad0 = load1();
  const explain = measureExplain(trained.detector, explainRecords);
  const explainLoad1 = load1();
  log(`explain one record (in-process, ${explain.records} records): before ${explain.before.meanUs.toFixed(0)} µs, after ${explain.after.meanUs.toFixed(0)} µs per record; identical: ${explain.identical}`);
  if (!explain.identical) throw new Error('explanations with the explainer cache differ from treeShap per call');

  const duration = quick ? 3 : 10;
  const warm = quick ? 1 : 3;
  const singleConns = SINGLE_CONNS;
  const batchConns = 8;
  const py = opts.peer?.python ?? null;
  const workers = defaultWorkers();
  const servers: ServerSpec[] = [
    { name: 'nadir', stack: `nadir serve (Fastify, ${workers} worker${workers === 1 ? '' : 's'}: its default, one per core)`, model: 'gbdt 200×d6', cmd: process.execPath, args: (p) => nadirServeArgs(modelPath, p), env: process.env, inferPath: '/v2/models/serve-gbdt/infer' },
    { name: 'nadir-1', stack: 'nadir serve --workers 1 (Fastify, one process)', model: 'gbdt 200×d6', cmd: process.execPath, args: (p) => nadirServeArgs(modelPath, p, 1), env: process.env, inferPath: '/v2/models/serve-gbdt/infer' },
  ];
  if (py && tools.web) {
    servers.push(
      { name: 'Flask', stack: `Flask ${tools.web.flask} (threaded dev server) + scikit-learn ${opts.peer!.versions.sklearn}`, model: 'RandomForest 100', cmd: py, args: (p) => [join(PEERS_DIR, 'flask_peer.py'), '--train', NSL_KDD.train, '--port', String(p)], env: peerEnv(), inferPath: '/v2/models/rf/infer' },
      { name: 'FastAPI', stack: `FastAPI ${tools.web.fastapi} + uvicorn ${tools.web.uvicorn} (1 worker) + XGBoost ${opts.peer!.versions.xgboost}`, model: 'XGBoost hist 200×d6', cmd: py, args: (p) => [join(PEERS_DIR, 'fastapi_peer.py'), '--train', NSL_KDD.train, '--port', String(p)], env: peerEnv(), inferPath: '/v2/models/xgb/infer' },
    );
  } else log('bench serve: no Python peers (Flask/FastAPI/uvicorn or scikit-learn/XGBoost missing): only nadir is measured.');
  const only = opts.only?.map((x) => x.toLowerCase()) ?? null;
  if (only) {
    const names = servers.map((x) => x.name.toLowerCase());
    const unknown = only.filter((x) => !names.includes(x));
    if (unknown.length) throw new Error(`--only: unknown server ${unknown.join(', ')} (servers: ${names.join(', ')})`);
    servers.splice(0, servers.length, ...servers.filter((x) => only.includes(x.name.toLowerCase())));
  }
  const explainScript = wrkScript(join(dir, 'single-explain.lua'), singleBody);

  const results: ServerResult[] = [];
  for (const s of servers) {
    const res: ServerResult = { name: s.name, stack: s.stack, model: s.model, startSeconds: null, check: null, single: null, batch: null, tensors: null, explain: null, rssMB: { ready: null, afterSingle: null, afterBatch: null }, load: { single: null, batch: null, tensors: null } };
    results.push(res);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    log(`\n${s.name}: starting ${s.stack} on ${url}`);
    const child = spawn(s.cmd, s.args(port), { env: s.env, stdio: ['ignore', 'ignore', 'pipe'] });
    alive.add(child);
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      err = (err + d).slice(-20_000);
    });
    try {
      res.startSeconds = await waitReady(url, child, () => err, 180_000);
      res.rssMB.ready = rssMBOf(child.pid);
      // ---- correctness before timing ----
      const one = (await post(url, singleBody)) as Answer;
      if (one.label !== expected[0]) throw new Error(`single record answered ${JSON.stringify(one).slice(0, 300)}; expected label ${expected[0]}`);
      const many = (await post(url, batchBody)) as Answer;
      const labels = (many.predictions ?? []).map((p) => p.label);
      if (labels.length !== BATCH) throw new Error(`batch answered ${labels.length} predictions, expected ${BATCH}`);
      const agree = (ref: string[]): number => labels.filter((l, i) => l === ref[i]).length / BATCH;
      res.check = { single: one.label, batchAgreesWithTruth: agree(truth), batchAgreesWithNadir: agree(expected) };
      if (s.name.startsWith('nadir') && res.check.batchAgreesWithNadir !== 1) throw new Error('nadir serve and the library disagree on the batch labels');
      const inferred = (await post(url, tensorBody, s.inferPath)) as Answer;
      const tensorLabels = inferred.outputs?.find((o) => o.name === 'label')?.data ?? [];
      if (tensorLabels.length !== BATCH || tensorLabels.some((l, i) => l !== labels[i])) throw new Error(`the v2 infer answer's labels differ from the batch's: ${JSON.stringify(inferred).slice(0, 300)}`);
      log(`${s.name}: answers checked (single: ${one.label}; batch: ${(agree(truth) * 100).toFixed(0)}% = true label, ${(agree(expected) * 100).toFixed(0)}% = nadir)`);
      // ---- timing ----
      const target = `${url}/api/v1/predict`;
      await runWrk(['-t1', `-c${singleConns}`, `-d${warm}s`, '-s', singleScript, target]);
      const l0 = load1();
      res.single = await runWrk(['-t1', `-c${singleConns}`, `-d${duration}s`, '--latency', '-s', singleScript, target]);
      res.load.single = [l0, load1()];
      res.rssMB.afterSingle = rssMBOf(child.pid);
      log(`${s.name}: single ${res.single.requestsPerSecond.toFixed(0)} req/s, p50 ${fmtSeconds(res.single.p50)}, p99 ${fmtSeconds(res.single.p99)} (load ${res.load.single.join(' → ')})`);
      await runWrk(['-t1', `-c${batchConns}`, `-d${warm}s`, '-s', batchScript, target]);
      const l1 = load1();
      res.batch = await runWrk(['-t1', `-c${batchConns}`, `-d${duration}s`, '--latency', '-s', batchScript, target]);
      res.load.batch = [l1, load1()];
      res.rssMB.afterBatch = rssMBOf(child.pid);
      log(`${s.name}: batch ${res.batch.requestsPerSecond.toFixed(0)} req/s = ${(res.batch.requestsPerSecond * BATCH).toFixed(0)} records/s (load ${res.load.batch.join(' → ')})`);
      const inferTarget = `${url}${s.inferPath}`;
      await runWrk(['-t1', `-c${batchConns}`, `-d${warm}s`, '-s', tensorScript, inferTarget]);
      const l2 = load1();
      res.tensors = await runWrk(['-t1', `-c${batchConns}`, `-d${duration}s`, '--latency', '-s', tensorScript, inferTarget]);
      res.load.tensors = [l2, load1()];
      log(`${s.name}: v2 tensors ${res.tensors.requestsPerSecond.toFixed(0)} req/s = ${(res.tensors.requestsPerSecond * BATCH).toFixed(0)} records/s (load ${res.load.tensors.join(' → ')})`);
      if (s.name === 'nadir') {
        const explained = `${target}?explain=true`;
        await runWrk(['-t1', `-c${singleConns}`, `-d${warm}s`, '-s', explainScript, explained]);
        res.explain = await runWrk(['-t1', `-c${singleConns}`, `-d${duration}s`, '--latency', '-s', explainScript, explained]);
        log(`${s.name}: single explained ${res.explain.requestsPerSecond.toFixed(0)} req/s, p50 ${fmtSeconds(res.explain.p50)}, p99 ${fmtSeconds(res.explain.p99)}`);
      }
    } catch (e) {
      res.error = (e as Error).message;
      log(`${s.name}: ${res.error}`);
    } finally {
      await stop(child);
    }
  }

  const nadir = results.find((r) => r.name === 'nadir') ?? results[0]!;
  const failures = (w: WrkResult | null): string => (w ? fmtInt(w.non2xx + w.socketErrors) : '—');
  const loads = (l: [number, number] | null): string => (l ? `${l[0]} → ${l[1]}` : '—');
  const us = (x: number): string => (x >= 1000 ? `${(x / 1000).toFixed(2)} ms` : `${x.toFixed(0)} µs`);
  const BATCH_HEADER = ['server', 'requests/s', 'records/s', 'p50', 'p99', 'failed', 'records/s ratio nadir/peer', 'load (1 min) before → after'];
  /** A server's row for one of the 100-record cases (records or v2 tensors). */
  const batchRow = (r: ServerResult, k: 'batch' | 'tensors'): string[] => {
    const w = r[k];
    return [
      r.name,
      w ? fmtInt(Math.round(w.requestsPerSecond)) : r.error ? 'error' : '—',
      fmtRate(w ? w.requestsPerSecond * BATCH : null),
      fmtSeconds(w?.p50),
      fmtSeconds(w?.p99),
      failures(w),
      r === nadir ? '—' : fmtRatio(ratio(nadir[k]?.requestsPerSecond, w?.requestsPerSecond)),
      loads(r.load[k]),
    ];
  };
  const tables: ResultTable[] = [
    {
      title: `Single record per request (wrk -t1 -c${singleConns} -d${duration}s, one KDDTest+ record as JSON)`,
      header: ['server', 'model', 'requests/s', 'p50', 'p90', 'p99', 'failed', 'req/s ratio nadir/peer', 'p99 ratio nadir/peer', 'load (1 min) before → after'],
      rows: results.map((r) => [
        r.name,
        r.model,
        r.single ? fmtInt(Math.round(r.single.requestsPerSecond)) : r.error ? 'error' : '—',
        fmtSeconds(r.single?.p50),
        fmtSeconds(r.single?.p90),
        fmtSeconds(r.single?.p99),
        failures(r.single),
        r === nadir ? '—' : fmtRatio(ratio(nadir.single?.requestsPerSecond, r.single?.requestsPerSecond)),
        r === nadir ? '—' : fmtRatio(ratio(nadir.single?.p99, r.single?.p99)),
        loads(r.load.single),
      ]),
      notes: ['failed = non-2xx answers + socket errors. Ratios: requests/s > 1 and p99 < 1 favour nadir (the nadir row: its default workers).'],
    },
    {
      title: `${BATCH}-record batches (wrk -t1 -c${batchConns} -d${duration}s, { "records": [first ${BATCH} KDDTest+ rows] })`,
      header: BATCH_HEADER,
      rows: results.map((r) => batchRow(r, 'batch')),
    },
    {
      title: `The same ${BATCH} records as v2 tensors (wrk -t1 -c${batchConns} -d${duration}s, POST /v2/models/<id>/infer, one tensor per input column)`,
      header: BATCH_HEADER,
      rows: results.map((r) => batchRow(r, 'tensors')),
      notes: [`Body: ${Buffer.byteLength(tensorBody).toLocaleString('en-US')} bytes, against ${Buffer.byteLength(batchBody).toLocaleString('en-US')} for the records. The peers' route builds its DataFrame from the columns (bench/peers/serve_model.py).`],
    },
    {
      title: `Explaining one record (?explain=true, top 5 contributions; ${explain.records} KDDTest+ records one at a time, in-process)`,
      header: ['TreeSHAP', 'first record', 'mean', 'p50', 'p99', 'HTTP: requests/s', 'HTTP: p50', 'HTTP: p99'],
      rows: [
        ['before: tables built per call', us(explain.before.firstUs), us(explain.before.meanUs), us(explain.before.p50Us), us(explain.before.p99Us), '—', '—', '—'],
        [
          'after: tables kept per model',
          us(explain.after.firstUs),
          us(explain.after.meanUs),
          us(explain.after.p50Us),
          us(explain.after.p99Us),
          nadir.explain ? fmtInt(Math.round(nadir.explain.requestsPerSecond)) : '—',
          fmtSeconds(nadir.explain?.p50),
          fmtSeconds(nadir.explain?.p99),
        ],
      ],
      notes: [
        `Identical contributions before and after: ${explain.identical ? 'yes' : 'NO'}. Load ${explainLoad0} → ${explainLoad1} during the in-process run.`,
        `HTTP: nadir (default workers), one record per request with ?explain=true, wrk -t1 -c${singleConns} -d${duration}s.`,
      ],
    },
    {
      title: 'Servers',
      header: ['server', 'stack', 'ready after', 'RSS ready', 'RSS after single', 'RSS after batch', 'batch = true label', 'batch = nadir'],
      rows: results.map((r) => [
        r.name,
        r.stack,
        fmtSeconds(r.startSeconds),
        r.rssMB.ready === null ? '—' : `${r.rssMB.ready.toFixed(0)} MB`,
        r.rssMB.afterSingle === null ? '—' : `${r.rssMB.afterSingle.toFixed(0)} MB`,
        r.rssMB.afterBatch === null ? '—' : `${r.rssMB.afterBatch.toFixed(0)} MB`,
        r.check ? `${(r.check.batchAgreesWithTruth * 100).toFixed(0)}%` : '—',
        r.check?.batchAgreesWithNadir == null ? '—' : `${(r.check.batchAgreesWithNadir * 100).toFixed(0)}%`,
      ]),
      notes: [
        `Load generator: ${tools.wrk}, 1 thread, on the same ${availableParallelism()}-core machine; one server at a time; ${warm} s warm-up before each measurement. RSS: the server's process tree (nadir: primary + workers).`,
        'ready after = from spawn to the first 200 on /healthz (the Python peers train their model at start; nadir loads the file).',
        ...results.filter((r) => r.error).map((r) => `${r.name}: ${r.error!.split('\n')[0]}`),
      ],
    },
  ];
  for (const r of results) {
    if (r.single) r.single.raw = r.single.raw.trim();
    if (r.batch) r.batch.raw = r.batch.raw.trim();
    if (r.tensors) r.tensors.raw = r.tensors.raw.trim();
    if (r.explain) r.explain.raw = r.explain.raw.trim();
  }
  if (results.some((r) => r.error && r === nadir)) throw new Error(`nadir serve: ${nadir.error}`);
  return {
    suite: 'serve',
    tables,
    data: {
      loadGenerator: tools.wrk,
      web: tools.web,
      durationSeconds: duration,
      warmupSeconds: warm,
      connections: { single: singleConns, batch: batchConns },
      batchRecords: BATCH,
      singleRecord: single,
      bodyBytes: { single: Buffer.byteLength(singleBody), batch: Buffer.byteLength(batchBody), tensors: Buffer.byteLength(tensorBody) },
      nadirModel: { file: modelPath, trainSeconds: trained.timings, threshold: 0.5 },
      nadirWorkers: workers,
      explain,
      servers: results,
    },
  };
}

/** The kernel's high-water mark (VmHWM) summed over the process tree: each process's own peak. */
function hwmMBOf(pid: number | undefined): number | null {
  return treeMB(pid, 'VmHWM');
}

export interface SoakRss {
  /** After the warm-up, before the soak's wrk starts. */
  before: number | null;
  middle: number | null;
  /** Right after the soak's wrk ends. */
  after: number | null;
  /** The kernel's high-water mark (VmHWM) at the end. */
  peak: number | null;
  /** Samples during the soak: seconds since its start, MB. */
  series: Array<{ t: number; mb: number }>;
  growthMB: number | null;
  growthPct: number | null;
  /** Second half only (middle → after): a leak keeps growing there, a warming heap does not. */
  secondHalfMB: number | null;
  flat: boolean | null;
}

/** RSS growth before → after (MB, %), second-half growth, and flat = growth ≤ FLAT_PCT %. */
export function soakGrowth(before: number | null, middle: number | null, after: number | null): Pick<SoakRss, 'growthMB' | 'growthPct' | 'secondHalfMB' | 'flat'> {
  if (before === null || after === null) return { growthMB: null, growthPct: null, secondHalfMB: null, flat: null };
  const growthMB = after - before;
  const growthPct = (growthMB / before) * 100;
  return { growthMB, growthPct, secondHalfMB: middle === null ? null : after - middle, flat: growthPct <= FLAT_PCT };
}

/** One soak phase: a load on one route for the soak's length, with the server's RSS around it. */
interface SoakPhase {
  name: string;
  route: string;
  connections: number;
  bodyBytes: number;
  wrk: WrkResult;
  failed: number;
  rss: SoakRss;
  loadavg1: { start: number; end: number };
}

/**
 * `npm run bench -- serve --soak [SECONDS]`: nadir only (its default workers), two phases on one
 * server, each SECONDS after a warm-up: single-record requests at the main run's concurrency
 * (wrk -t1 -c32), then 100-record batches as v2 tensors (the batch peak, wrk -t1 -c8). Per phase:
 * requests/s, p50/p99, failed requests (non-2xx + socket errors, from wrk's summary), the server's
 * RSS (/proc/<pid>/status VmRSS) after the warm-up, at the middle, every few seconds and at the
 * end, and whether it is flat; the answers are checked before and after.
 */
async function runSoak(opts: SuiteOptions, soakSeconds: number): Promise<SuiteReport> {
  const { log, quick } = opts;
  const tools = findServeTools(null, log);
  if (!tools.wrk) throw new Error('wrk is needed as the load generator (Debian: apt-get install wrk)');
  const dir = join(CACHE_DIR, 'serve');
  mkdirSync(dir, { recursive: true });
  const { modelPath, trained } = await trainServeModel(dir, log);
  const { records } = testRecords(BATCH);
  const singleBody = JSON.stringify(records[0]!);
  const tensorBody = inferBody(records);
  const expected = predictionRecords(trained.detector, await predict(trained.detector, { records })).map((p) => p.label);
  const warm = quick ? 1 : 5;
  const step = Math.max(1, Math.min(5, Math.round(soakSeconds / 12)));
  const inferPath = '/v2/models/serve-gbdt/infer';
  const checks: Record<string, () => Promise<void>> = {
    single: async () => {
      const label = ((await post(url, singleBody)) as Answer).label;
      if (label !== expected[0]) throw new Error(`the single record answered ${label}; expected ${expected[0]}`);
    },
    tensors: async () => {
      const labels = ((await post(url, tensorBody, inferPath)) as Answer).outputs?.find((o) => o.name === 'label')?.data ?? [];
      if (labels.length !== BATCH || labels.some((l, i) => l !== expected[i])) throw new Error('the v2 tensors were answered with other labels than the library gives');
    },
  };
  const plan = [
    { name: 'single', title: 'one KDDTest+ record per request', route: '/api/v1/predict', connections: SINGLE_CONNS, body: singleBody, script: wrkScript(join(dir, 'single.lua'), singleBody) },
    { name: 'tensors', title: `${BATCH}-record batches as v2 tensors`, route: inferPath, connections: 8, body: tensorBody, script: wrkScript(join(dir, 'tensors.lua'), tensorBody) },
  ];

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  log(`\nnadir soak: starting nadir serve on ${url}`);
  const child = spawn(process.execPath, nadirServeArgs(modelPath, port), { env: process.env, stdio: ['ignore', 'ignore', 'pipe'] });
  alive.add(child);
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    err = (err + d).slice(-20_000);
  });
  let ready: number | null = null;
  let readyRss: number | null = null;
  const phases: SoakPhase[] = [];
  const timers: NodeJS.Timeout[] = [];
  try {
    ready = await waitReady(url, child, () => err, 60_000);
    readyRss = rssMBOf(child.pid);
    for (const ph of plan) {
      await checks[ph.name]!();
      const target = `${url}${ph.route}`;
      await runWrk(['-t1', `-c${ph.connections}`, `-d${warm}s`, '-s', ph.script, target]);
      const rss: SoakRss = { before: rssMBOf(child.pid), middle: null, after: null, peak: null, series: [], growthMB: null, growthPct: null, secondHalfMB: null, flat: null };
      const loadStart = load1();
      log(`nadir soak (${ph.name}): warmed up ${warm} s, RSS ${rss.before?.toFixed(1)} MB, load ${loadStart}; soaking ${soakSeconds} s at -c${ph.connections} …`);
      const t0 = performance.now();
      timers.push(
        setInterval(() => {
          const mb = rssMBOf(child.pid);
          if (mb !== null) rss.series.push({ t: Number(((performance.now() - t0) / 1000).toFixed(1)), mb: Number(mb.toFixed(1)) });
        }, step * 1000),
      );
      timers.push(setTimeout(() => (rss.middle = rssMBOf(child.pid)), (soakSeconds * 1000) / 2));
      const result = await runWrk(['-t1', `-c${ph.connections}`, `-d${soakSeconds}s`, '--latency', '--timeout', '2s', '-s', ph.script, target]);
      for (const t of timers.splice(0)) clearTimeout(t);
      rss.after = rssMBOf(child.pid);
      rss.peak = hwmMBOf(child.pid);
      Object.assign(rss, soakGrowth(rss.before, rss.middle, rss.after));
      await checks[ph.name]!();
      result.raw = result.raw.trim();
      const failed = result.non2xx + result.socketErrors;
      phases.push({ name: ph.name, route: ph.route, connections: ph.connections, bodyBytes: Buffer.byteLength(ph.body), wrk: result, failed, rss, loadavg1: { start: loadStart, end: load1() } });
      log(`nadir soak (${ph.name}): ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${fmtSeconds(result.p50)}, p99 ${fmtSeconds(result.p99)}, failed ${failed}; RSS ${rss.before?.toFixed(1)} → ${rss.middle?.toFixed(1)} → ${rss.after?.toFixed(1)} MB`);
    }
  } finally {
    for (const t of timers) clearTimeout(t);
    await stop(child);
  }
  const mb = (x: number | null): string => (x === null ? '—' : `${x.toFixed(1)} MB`);
  const sign = (x: number): string => (x >= 0 ? '+' : '−') + Math.abs(x).toFixed(1);
  const tables: ResultTable[] = [
    {
      title: `Soak: nadir (${defaultWorkers()} workers), each phase wrk -t1 -d${soakSeconds}s after a ${warm} s warm-up, one server through both`,
      header: ['phase', 'route', 'connections', 'requests', 'requests/s', 'records/s', 'p50', 'p90', 'p99', 'failed', 'non-2xx', 'socket errors'],
      rows: phases.map((ph) => {
        const w = ph.wrk;
        const perRequest = ph.name === 'tensors' ? BATCH : 1;
        return [plan.find((x) => x.name === ph.name)!.title, `POST ${ph.route}`, String(ph.connections), fmtInt(w.requests), fmtInt(Math.round(w.requestsPerSecond)), fmtRate(w.requestsPerSecond * perRequest), fmtSeconds(w.p50), fmtSeconds(w.p90), fmtSeconds(w.p99), fmtInt(ph.failed), fmtInt(w.non2xx), fmtInt(w.socketErrors)];
      }),
      notes: ["failed = non-2xx answers + socket errors (connect, read, write, timeout at 2 s) from wrk's summary. The answers are checked before and after each phase."],
    },
    {
      title: 'Soak: server RSS (/proc/<pid>/status VmRSS, summed over the primary and its workers)',
      header: ['phase', 'ready', 'before (after warm-up)', 'middle', 'after', 'peak (VmHWM)', 'growth before → after', 'second half', 'flat', 'load (1 min) start → end'],
      rows: phases.map((ph) => [
        ph.name,
        mb(readyRss),
        mb(ph.rss.before),
        mb(ph.rss.middle),
        mb(ph.rss.after),
        mb(ph.rss.peak),
        ph.rss.growthMB === null ? '—' : `${sign(ph.rss.growthMB)} MB (${sign(ph.rss.growthPct!)}%)`,
        ph.rss.secondHalfMB === null ? '—' : `${sign(ph.rss.secondHalfMB)} MB`,
        ph.rss.flat === null ? '—' : ph.rss.flat ? 'yes' : 'no',
        `${ph.loadavg1.start} → ${ph.loadavg1.end}`,
      ]),
      notes: [
        `flat = growth before → after ≤ ${FLAT_PCT}%. Samples every ${step} s — ${phases.map((ph) => `${ph.name}: ${ph.rss.series.map((x) => x.mb.toFixed(0)).join(', ')} MB`).join('; ')}.`,
        `Load generator ${tools.wrk} on the same ${availableParallelism()}-core machine (shared: the 1-minute load is in the table).`,
      ],
    },
  ];
  return {
    suite: 'serve-soak',
    tables,
    data: {
      loadGenerator: tools.wrk,
      soakSeconds,
      workers: defaultWorkers(),
      warmupSeconds: warm,
      nadirModel: { file: modelPath, trainSeconds: trained.timings, threshold: 0.5 },
      readySeconds: ready,
      readyRssMB: readyRss,
      flatThresholdPct: FLAT_PCT,
      phases,
    },
  };
}
