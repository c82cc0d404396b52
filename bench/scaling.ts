/**
 * `npm run bench -- scaling`: how GBDT fit time and peak memory grow with the number of rows —
 * nadir vs XGBoost hist (200 rounds, depth 6, lr 0.1, 256 bins, 2 threads) on the generated
 * NSL-KDD-like data at 25k, 250k and 1M rows (--quick: 25k and 250k). Both sides fit the same
 * cached feature matrix, each fit in its own process (peak RSS = that process's maximum; "data" =
 * RSS once the matrix is read, before fitting). Timings: median of `reps` below 1M rows, one run at 1M.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runJson } from './lib/child.js';
import { fmtInt, fmtMB, fmtRatio, fmtSeconds } from './lib/format.js';
import { CACHE_DIR, CASES_DIR, PEERS_DIR } from './lib/paths.js';
import { peerEnv } from './lib/python.js';
import { median, ratio } from './lib/stats.js';
import type { SuiteOptions, SuiteReport } from './lib/suite.js';
import { ensureMatrix } from './matrix-cache.js';
import { NADIR_OPTIONS } from './learners.js';
import type { ScalingCaseResult } from './cases/scaling-case.js';

interface Side {
  fitSeconds: number;
  dataRssMB: number;
  peakRssMB: number;
  runs: ScalingCaseResult[];
  error?: string;
}

async function side(label: string, reps: number, run: () => Promise<ScalingCaseResult>, log: (s: string) => void): Promise<Side> {
  const runs: ScalingCaseResult[] = [];
  try {
    for (let i = 0; i < reps; i++) runs.push(await run());
  } catch (e) {
    log(`  ${label} failed: ${(e as Error).message}`);
    return { fitSeconds: NaN, dataRssMB: NaN, peakRssMB: NaN, runs, error: (e as Error).message.split('\n')[0]! };
  }
  return { fitSeconds: median(runs.map((r) => r.fitSeconds)), dataRssMB: median(runs.map((r) => r.dataRssMB)), peakRssMB: median(runs.map((r) => r.peakRssMB)), runs };
}

export async function runScaling(opts: SuiteOptions): Promise<SuiteReport> {
  const sizes = opts.quick ? [25_000, 250_000] : [25_000, 250_000, 1_000_000];
  const threads = String(NADIR_OPTIONS.gbdt.nThreads ?? 2);
  const rows: Array<{ rows: number; features: number; nadir: Side; xgboost: Side | null }> = [];
  for (const n of sizes) {
    opts.log(`  matrix ${n} rows`);
    const m = await ensureMatrix(n);
    const spec = join(CACHE_DIR, `scaling-${n}.json`);
    writeFileSync(spec, JSON.stringify({ ...m, options: NADIR_OPTIONS.gbdt }));
    const reps = n >= 1_000_000 ? 1 : opts.reps;
    opts.log(`  nadir GBDT ${n} rows (${reps}×)`);
    const nadir = await side(`nadir ${n}`, reps, async () => (await runJson<ScalingCaseResult>(process.execPath, [join(CASES_DIR, 'scaling-case.js'), spec])).value, opts.log);
    let xgboost: Side | null = null;
    if (opts.peer) {
      const python = opts.peer.python;
      opts.log(`  XGBoost ${n} rows (${reps}×)`);
      xgboost = await side(`XGBoost ${n}`, reps, async () => (await runJson<ScalingCaseResult>(python, [join(PEERS_DIR, 'scaling.py'), spec, '--threads', threads], { env: peerEnv() })).value, opts.log);
    }
    rows.push({ rows: n, features: m.nCols, nadir, xgboost });
  }
  const base = rows[0]!;
  const growth = (s: Side | null, b: Side | null, r: number): string => {
    const g = s && b ? s.fitSeconds / b.fitSeconds : NaN;
    return Number.isFinite(g) ? `${g.toFixed(1)}× for ${(r / base.rows).toFixed(0)}× rows` : '—';
  };
  return {
    suite: 'scaling',
    tables: [
      {
        title: 'GBDT fit time vs rows (200 rounds, depth 6, lr 0.1; generated NSL-KDD-like data; ratio = nadir / XGBoost)',
        header: ['rows', 'features', 'nadir', 'XGBoost', 'ratio', 'nadir growth', 'XGBoost growth'],
        rows: rows.map((r) => [fmtInt(r.rows), r.features, fmtSeconds(r.nadir.fitSeconds), fmtSeconds(r.xgboost?.fitSeconds), fmtRatio(ratio(r.nadir.fitSeconds, r.xgboost?.fitSeconds)), growth(r.nadir, base.nadir, r.rows), growth(r.xgboost, base.xgboost, r.rows)]),
      },
      {
        title: 'Peak RSS of the fitting process (data = RSS with the Float32 matrix loaded, before fit)',
        header: ['rows', 'nadir data', 'nadir peak', 'XGBoost data', 'XGBoost peak', 'peak ratio', 'fit overhead nadir / XGBoost'],
        rows: rows.map((r) => [
          fmtInt(r.rows),
          fmtMB(r.nadir.dataRssMB),
          fmtMB(r.nadir.peakRssMB),
          fmtMB(r.xgboost?.dataRssMB),
          fmtMB(r.xgboost?.peakRssMB),
          fmtRatio(ratio(r.nadir.peakRssMB, r.xgboost?.peakRssMB)),
          `${fmtMB(r.nadir.peakRssMB - r.nadir.dataRssMB)} / ${fmtMB(r.xgboost ? r.xgboost.peakRssMB - r.xgboost.dataRssMB : NaN)}`,
        ]),
      },
    ],
    data: { sizes, threads: Number(threads), options: NADIR_OPTIONS.gbdt, rows },
  };
}
