/**
 * Flow data as it really comes (issue 13): training on a 10,000-flow CICFlowMeter-style table
 * (src/data/testdata/cic-flows.ts, seeded) with its flow id, addresses and timestamp, against the
 * same table without those four columns — time and peak memory of `nadir train`'s defaults, each
 * run a fresh process. Target: within 1.2× (the identifiers are recognised and left out of the
 * model inputs). A third row keeps them as inputs (`keep`), one-hot now bounded at 100
 * categories per column: what the old behaviour costs with that bound.
 *
 * Export: runIdentifiers (a Suite for bench/main.ts); `node dist/bench/identifiers.js [--quick] [--reps N]`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cicFlowsCsv } from '../src/data/testdata/cic-flows.js';
import { runJson } from './lib/child.js';
import { fmtInt, fmtMB, fmtRatio, fmtSeconds, renderMarkdown, renderTable } from './lib/format.js';
import { CACHE_DIR, CASES_DIR } from './lib/paths.js';
import { median, ratio } from './lib/stats.js';
import type { SuiteOptions, SuiteReport } from './lib/suite.js';
import type { FlowsCaseResult } from './cases/flows-case.js';

export const FLOWS_ROWS = 10_000;

interface Variant {
  name: string;
  file: string;
  keep: boolean;
  runs: FlowsCaseResult[];
  seconds: number;
  /** The fastest run: on a shared machine the least disturbed by other load. */
  fastest: number;
  /** Median CPU time (user + system): less sensitive to other load than wall time. */
  cpuSeconds: number;
  peakRssMB: number;
}

function ensureFile(name: string, withIds: boolean): string {
  mkdirSync(CACHE_DIR, { recursive: true });
  const path = join(CACHE_DIR, name);
  // always written afresh: the generator may have changed since a cached copy
  writeFileSync(path, cicFlowsCsv(FLOWS_ROWS, { withIds }));
  return path;
}

export async function runIdentifiers(opts: SuiteOptions): Promise<SuiteReport> {
  const withIds = ensureFile(`cic-flows-${FLOWS_ROWS}.csv`, true);
  const without = ensureFile(`cic-flows-${FLOWS_ROWS}-no-ids.csv`, false);
  const plan: Array<Omit<Variant, 'runs' | 'seconds' | 'fastest' | 'cpuSeconds' | 'peakRssMB'>> = [
    { name: 'without identifier columns', file: without, keep: false },
    { name: 'with identifier columns (recognised, not inputs)', file: withIds, keep: false },
    { name: 'with identifier columns kept as inputs (keep)', file: withIds, keep: true },
  ];
  const variants: Variant[] = plan.map((p) => ({ ...p, runs: [], seconds: NaN, fastest: NaN, cpuSeconds: NaN, peakRssMB: NaN }));
  // interleaved repetitions, so a change in the machine's load hits every variant alike
  for (let rep = 0; rep < opts.reps; rep++) {
    for (const v of variants) {
      opts.log(`  train (${rep + 1}/${opts.reps}): ${v.name}`);
      const r = await runJson<FlowsCaseResult>(process.execPath, [join(CASES_DIR, 'flows-case.js'), v.file, ...(v.keep ? ['--keep'] : [])]);
      v.runs.push(r.value);
    }
  }
  for (const v of variants) {
    v.seconds = median(v.runs.map((r) => r.seconds));
    v.fastest = Math.min(...v.runs.map((r) => r.seconds));
    v.cpuSeconds = median(v.runs.map((r) => r.cpuSeconds));
    v.peakRssMB = median(v.runs.map((r) => r.peakRssMB));
  }
  const base = variants[0]!;
  return {
    suite: 'identifiers',
    tables: [
      {
        title: `nadir train (gbdt, 5-fold CV, defaults) on ${fmtInt(FLOWS_ROWS)} CIC-style flows: median of ${opts.reps}, each run a fresh process`,
        header: ['table', 'inputs', 'matrix columns', 'train time', 'time ×', 'fastest', 'fastest ×', 'CPU time', 'CPU ×', 'peak RSS', 'memory ×', 'CV ROC-AUC'],
        rows: variants.map((v) => [
          v.name,
          String(v.runs[0]!.inputs),
          fmtInt(v.runs[0]!.matrixColumns),
          fmtSeconds(v.seconds),
          fmtRatio(ratio(v.seconds, base.seconds)),
          fmtSeconds(v.fastest),
          fmtRatio(ratio(v.fastest, base.fastest)),
          fmtSeconds(v.cpuSeconds),
          fmtRatio(ratio(v.cpuSeconds, base.cpuSeconds)),
          fmtMB(v.peakRssMB),
          fmtRatio(ratio(v.peakRssMB, base.peakRssMB)),
          v.runs[0]!.cvRocAuc === null ? '—' : v.runs[0]!.cvRocAuc.toFixed(4),
        ]),
        notes: [
          'The table: src/data/testdata/cic-flows.ts (seed 7), 28 flow features incl. ports; the identifier columns are Flow ID, Source IP, Destination IP and Timestamp (thousands of distinct values each).',
          'Target: with the identifier columns, time and memory within 1.2× of the table without them. Train time: median and fastest of the runs (on a shared machine the fastest is the least disturbed); CPU time (user + system, all threads): median, less sensitive to other load than wall time; peak RSS: median.',
        ],
      },
    ],
    data: { rows: FLOWS_ROWS, variants: variants.map(({ name, keep, runs, seconds, fastest, cpuSeconds, peakRssMB }) => ({ name, keep, seconds, fastest, cpuSeconds, peakRssMB, runs })) },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const i = args.indexOf('--reps');
  const reps = i >= 0 ? Number(args[i + 1]) : quick ? 1 : 3;
  const log = (m: string): void => console.error(m);
  const report = await runIdentifiers({ quick, reps, peer: null, log, only: null });
  for (const t of report.tables) {
    console.log(renderTable(t.title, t.header, t.rows));
    for (const n of t.notes ?? []) console.log(`  ${n}`);
    if (args.includes('--md')) console.log(`\n${renderMarkdown(t.header, t.rows)}`);
  }
}
