/**
 * `npm run bench [-- <suite>…] [--quick] [--reps N] [--only gbdt,rf,…] [--md]`
 *   suites: load, learners, scaling, eda, serve, identifiers, flows (default: all); generate (only fill the data cache);
 *   hybrid-select (not in the default run): the hybrid detector's profile selection (bench/hybrid-select.ts);
 *   hybrid-gate (not in the default run): its round 2, budget × gate (bench/hybrid-gate.ts);
 *   hybrid-round3 (not in the default run): its round 3, profile × budget × gate (bench/hybrid-round3.ts).
 * `npm run bench -- serve --soak [SECONDS]`: only nadir serve's soak (default 60 s per phase: single records, then v2 tensor batches) → serve-soak-<date>.json.
 * Prints one table per measurement and writes the raw figures to bench/results/<suite>-<date>.json.
 * The Python peers (scikit-learn, XGBoost, pandas) run in the same invocation, side by side.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { ensureGenerated } from './generate.js';
import { renderMarkdown, renderTable } from './lib/format.js';
import { describeMachine, machineInfo } from './lib/machine.js';
import { ROOT, RESULTS_DIR } from './lib/paths.js';
import { findPython } from './lib/python.js';
import type { Suite, SuiteOptions } from './lib/suite.js';
import { runLoad } from './load.js';
import { runLearners } from './learners.js';
import { runEda } from './eda.js';
import { runScaling } from './scaling.js';
import { runServe, SOAK_SECONDS } from './serve.js';
import { runIdentifiers } from './identifiers.js';
import { runHybridGate } from './hybrid-gate.js';
import { runHybridRound3 } from './hybrid-round3.js';
import { runHybridSelect } from './hybrid-select.js';
import { runFlows } from './flows.js';

const SUITES: Record<string, Suite> = { load: runLoad, learners: runLearners, scaling: runScaling, eda: runEda, serve: runServe, identifiers: runIdentifiers, flows: runFlows, 'hybrid-select': runHybridSelect, 'hybrid-gate': runHybridGate, 'hybrid-round3': runHybridRound3 };

function usage(msg?: string): never {
  if (msg) console.error(`bench: ${msg}`);
  console.error('usage: npm run bench [-- load|learners|scaling|eda|serve|identifiers|flows|hybrid-select|hybrid-gate|hybrid-round3|generate …] [--quick] [--reps N] [--only gbdt,rf,…] [--md] [--soak [SECONDS]]');
  process.exit(msg ? 2 : 0);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let quick = false;
  let md = false;
  let reps: number | null = null;
  let only: string[] | null = null;
  let soak: number | null = null;
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--quick') quick = true;
    else if (a === '--md') md = true;
    else if (a === '--reps') {
      reps = Number(args[++i]);
      if (!Number.isInteger(reps) || reps < 1) usage('--reps needs a positive integer');
    } else if (a === '--only') {
      only = (args[++i] ?? '').split(',').filter((x) => x !== '');
      if (only.length === 0) usage('--only needs a comma-separated list, e.g. --only gbdt,rf');
    } else if (a === '--soak') {
      soak = SOAK_SECONDS;
      const next = args[i + 1];
      if (next !== undefined && /^\d/.test(next)) {
        soak = Number(args[++i]);
        if (!Number.isInteger(soak) || soak < 2) usage('--soak needs a whole number of seconds ≥ 2');
      }
    } else if (a === '--help' || a === '-h') usage();
    else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else names.push(a);
  }
  if (names.includes('generate')) {
    for (const rows of [25_000, 250_000, 1_000_000]) {
      const g = await ensureGenerated({ rows });
      console.log(`${relative(ROOT, g.path)}: ${rows} rows, ${(g.bytes / 1e6).toFixed(1)} MB${g.created ? `, written in ${g.seconds.toFixed(1)} s` : ' (cached)'}`);
    }
    return;
  }
  const chosen = names.length > 0 ? names : Object.keys(SUITES).filter((n) => !n.startsWith('hybrid-'));
  if (soak !== null && (chosen.length !== 1 || chosen[0] !== 'serve')) usage('--soak belongs to the serve suite alone: npm run bench -- serve --soak [SECONDS]');
  for (const n of chosen) if (!SUITES[n]) usage(`unknown suite '${n}' (choose from ${Object.keys(SUITES).join(', ')}, generate)`);

  const machine = machineInfo();
  const log = (s: string): void => console.error(s);
  console.log(`nadir bench · ${describeMachine(machine)}${quick ? ' · --quick' : ''}`);
  const peer = findPython(log);
  if (peer) console.log(`peers: Python ${peer.versions.python} (${peer.python}), scikit-learn ${peer.versions.sklearn}, XGBoost ${peer.versions.xgboost}, pandas ${peer.versions.pandas}, numpy ${peer.versions.numpy}; OMP_WAIT_POLICY=PASSIVE`);
  const opts: SuiteOptions = { quick, reps: reps ?? (quick ? 1 : 3), peer, log, only, soak };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const day = machine.date.slice(0, 10);
  let failed = false;
  for (const name of chosen) {
    log(`\n== ${name}`);
    const t0 = performance.now();
    try {
      const report = await SUITES[name]!(opts);
      for (const t of report.tables) {
        console.log(renderTable(t.title, t.header, t.rows));
        for (const n of t.notes ?? []) console.log(`  ${n}`);
        if (md) console.log(`\n${renderMarkdown(t.header, t.rows)}`);
      }
      const file = resultsFile(`${report.suite}-${day}${quick ? '-quick' : ''}`);
      const doc = { suite: report.suite, machine, command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(), quick, reps: opts.reps, peer: peer?.versions ?? null, seconds: (performance.now() - t0) / 1000, loadavg1End: Number(loadavg()[0]!.toFixed(2)), tables: report.tables, data: report.data };
      writeFileSync(file, JSON.stringify(doc, null, 1) + '\n');
      console.log(`\n(${report.suite}: ${((performance.now() - t0) / 1000).toFixed(0)} s; results in ${relative(ROOT, file)})`);
    } catch (e) {
      failed = true;
      console.error(`bench ${name} failed: ${(e as Error).stack ?? String(e)}`);
    }
  }
  if (failed) process.exitCode = 1;
}

/**
 * Where a run's results go: `<name>.json`, or — when a run of the same suite and day is already
 * there (docs cite those files) — `<name>-<HHMMSS>.json` beside it: a run never writes over another.
 */
function resultsFile(name: string): string {
  const first = join(RESULTS_DIR, `${name}.json`);
  if (!existsSync(first)) return first;
  const t = new Date().toISOString().slice(11, 19).replace(/:/g, '');
  return join(RESULTS_DIR, `${name}-${t}.json`);
}

await main();
