/**
 * `nadir eda` at scale: time and peak memory of load → analysis → HTML report on the bundled
 * KDDTrain+_20Percent and a generated 1,000,000-row NSL-KDD-like file (250,000 with --quick),
 * side by side with the pandas + scipy notebook doing the same statistics without charts
 * (bench/peers/eda.py). Every run is its own process. The suite also checks that both sides
 * agree on the same file (Welch t, chi-square, IQR outlier count) — the scale path must not
 * trade accuracy for speed.
 *
 * Export: runEda (a Suite for bench/main.ts); `node dist/bench/eda.js [--quick] [--reps N]`
 * runs it on its own.
 */
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureGenerated } from './generate.js';
import { runJson } from './lib/child.js';
import { fmtInt, fmtMB, fmtRatio, fmtSeconds, renderMarkdown, renderTable } from './lib/format.js';
import { CACHE_DIR, CASES_DIR, NSL_KDD, PEERS_DIR } from './lib/paths.js';
import { findPython, peerEnv } from './lib/python.js';
import { median, ratio } from './lib/stats.js';
import type { SuiteOptions, SuiteReport } from './lib/suite.js';
import type { EdaCaseResult } from './cases/eda-case.js';

interface PeerResult {
  engine: string;
  rows: number;
  seconds: EdaCaseResult['seconds'];
  peakRssMB: number;
  check: Record<string, number>;
}

interface Side {
  seconds: EdaCaseResult['seconds'];
  peakRssMB: number;
  runs: PeerResult[];
  error?: string;
}

function summarise(runs: PeerResult[]): Side {
  const pick = (k: keyof EdaCaseResult['seconds']): number => median(runs.map((r) => r.seconds[k]));
  return { seconds: { load: pick('load'), analyse: pick('analyse'), report: pick('report'), total: pick('total') }, peakRssMB: median(runs.map((r) => r.peakRssMB)), runs };
}

async function measure(kind: 'nadir' | 'pandas', file: string, opts: SuiteOptions): Promise<Side | null> {
  if (kind === 'pandas' && !opts.peer) return null;
  const runs: PeerResult[] = [];
  mkdirSync(CACHE_DIR, { recursive: true });
  try {
    for (let i = 0; i < opts.reps; i++) {
      const r =
        kind === 'nadir'
          ? await runJson<EdaCaseResult>(process.execPath, [join(CASES_DIR, 'eda-case.js'), file, join(CACHE_DIR, `eda-${basename(file)}.html`)])
          : await runJson<PeerResult>(opts.peer!.python, [join(PEERS_DIR, 'eda.py'), file], { env: peerEnv() });
      runs.push(r.value);
    }
  } catch (e) {
    opts.log(`  ${kind} on ${basename(file)} failed: ${(e as Error).message}`);
    return { seconds: { load: NaN, analyse: NaN, report: NaN, total: NaN }, peakRssMB: NaN, runs, error: (e as Error).message };
  }
  return summarise(runs);
}

/** Largest relative difference between the two sides' check values (NaN when nothing to compare). */
function disagreement(a: Side | null, b: Side | null): number {
  const x = a?.runs[0]?.check;
  const y = b?.runs[0]?.check;
  if (!x || !y) return NaN;
  let worst = 0;
  for (const k of Object.keys(x)) {
    if (!(k in y)) continue;
    const d = Math.abs(x[k]! - y[k]!) / Math.max(1e-300, Math.abs(y[k]!));
    worst = Math.max(worst, d);
  }
  return worst;
}

export async function runEda(opts: SuiteOptions): Promise<SuiteReport> {
  const big = await ensureGenerated({ rows: opts.quick ? 250_000 : 1_000_000 });
  if (big.created) opts.log(`  generated ${big.path} in ${big.seconds.toFixed(1)} s`);
  const files = [NSL_KDD.train, big.path];
  const results: Array<{ file: string; rows: number; nadir: Side | null; pandas: Side | null; maxRelDiff: number }> = [];
  for (const file of files) {
    opts.log(`  nadir eda on ${basename(file)} (${opts.reps}×)`);
    const nadir = await measure('nadir', file, opts);
    opts.log(`  pandas + scipy on ${basename(file)} (${opts.reps}×)`);
    const pandas = await measure('pandas', file, opts);
    results.push({ file: basename(file), rows: nadir?.runs[0]?.rows ?? pandas?.runs[0]?.rows ?? 0, nadir, pandas, maxRelDiff: disagreement(nadir, pandas) });
  }
  const s = (x: Side | null, k: keyof EdaCaseResult['seconds']): number | undefined => x?.seconds[k];
  return {
    suite: 'eda',
    tables: [
      {
        title: `nadir eda vs pandas + scipy (median of ${opts.reps}; each run a fresh process)`,
        header: ['file', 'rows', 'nadir load', 'analyse', 'report', 'total', 'peak RSS', 'pandas load', 'analyse', 'total', 'peak RSS', 'analyse nadir/pandas', 'max rel. diff'],
        rows: results.map((r) => [
          r.file,
          fmtInt(r.rows),
          fmtSeconds(s(r.nadir, 'load')),
          fmtSeconds(s(r.nadir, 'analyse')),
          fmtSeconds(s(r.nadir, 'report')),
          fmtSeconds(s(r.nadir, 'total')),
          fmtMB(r.nadir?.peakRssMB),
          fmtSeconds(s(r.pandas, 'load')),
          fmtSeconds(s(r.pandas, 'analyse')),
          fmtSeconds(s(r.pandas, 'total')),
          fmtMB(r.pandas?.peakRssMB),
          fmtRatio(ratio(s(r.nadir, 'analyse'), s(r.pandas, 'analyse'))),
          Number.isFinite(r.maxRelDiff) ? r.maxRelDiff.toExponential(1) : '—',
        ]),
        notes: [
          'nadir: loadDataset → analyzeDataset (typed-array kernels: summaries, quantiles, histograms, outliers, Welch t, Mann–Whitney U, chi-square, BH, Pearson + Spearman) → HTML report with ~90 Vega-Lite charts rendered to SVG.',
          'pandas + scipy: read_csv → the same statistics (describe, skew, ttest_ind, mannwhitneyu, chi2_contingency, corr pearson/spearman, outlier counts); no charts, so its total is a lower bound for the notebook.',
          'max rel. diff: largest relative difference between the two sides on Welch t (5 features), chi-square (3) and the src_bytes IQR outlier count on the same file.',
        ],
      },
    ],
    data: { generated: { path: big.path, rows: big.rows, bytes: big.bytes }, files: results },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const i = args.indexOf('--reps');
  const reps = i >= 0 ? Number(args[i + 1]) : quick ? 1 : 3;
  const log = (m: string): void => console.error(m);
  const report = await runEda({ quick, reps, peer: findPython(log), log, only: null });
  for (const t of report.tables) {
    console.log(renderTable(t.title, t.header, t.rows));
    for (const n of t.notes ?? []) console.log(`  ${n}`);
    if (args.includes('--md')) console.log(`\n${renderMarkdown(t.header, t.rows)}`);
  }
}
