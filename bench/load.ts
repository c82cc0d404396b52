/**
 * `npm run bench -- load`: load time and peak memory of nadir's loader (src/data loadDataset)
 * vs DuckDB read_csv into typed arrays vs pandas.read_csv, on the three bundled NSL-KDD files and
 * a generated 1,000,000-row file (250,000 with --quick). Every case runs in its own process, so a
 * peak RSS is that load's alone (it includes the runtime's baseline, shown separately).
 */
import { basename, join } from 'node:path';
import { ensureGenerated } from './generate.js';
import { runJson } from './lib/child.js';
import { fmtInt, fmtMB, fmtRatio, fmtSeconds } from './lib/format.js';
import { CASES_DIR, NSL_KDD, PEERS_DIR } from './lib/paths.js';
import { peerEnv } from './lib/python.js';
import { median, ratio } from './lib/stats.js';
import type { SuiteOptions, SuiteReport } from './lib/suite.js';
import type { LoadCaseResult } from './cases/load-case.js';

const ENGINES = ['nadir', 'duckdb', 'pandas'] as const;
type Engine = (typeof ENGINES)[number];

interface EngineSummary {
  engine: Engine;
  seconds: number;
  peakRssMB: number;
  rssBeforeMB: number;
  runs: LoadCaseResult[];
  error?: string;
}

interface FileSummary {
  file: string;
  rows: number;
  bytes?: number;
  engines: Partial<Record<Engine, EngineSummary>>;
}

async function measure(engine: Engine, file: string, opts: SuiteOptions): Promise<EngineSummary> {
  const runs: LoadCaseResult[] = [];
  try {
    for (let i = 0; i < opts.reps; i++) {
      const r =
        engine === 'pandas'
          ? await runJson<LoadCaseResult>(opts.peer!.python, [join(PEERS_DIR, 'load.py'), file], { env: peerEnv() })
          : await runJson<LoadCaseResult>(process.execPath, [join(CASES_DIR, 'load-case.js'), engine, file]);
      runs.push(r.value);
    }
  } catch (e) {
    opts.log(`  ${engine} on ${basename(file)} failed: ${(e as Error).message}`);
    return { engine, seconds: NaN, peakRssMB: NaN, rssBeforeMB: NaN, runs, error: (e as Error).message };
  }
  return {
    engine,
    seconds: median(runs.map((r) => r.seconds)),
    peakRssMB: median(runs.map((r) => r.peakRssMB)),
    rssBeforeMB: median(runs.map((r) => r.rssBeforeMB)),
    runs,
  };
}

export async function runLoad(opts: SuiteOptions): Promise<SuiteReport> {
  const big = await ensureGenerated({ rows: opts.quick ? 250_000 : 1_000_000 });
  if (big.created) opts.log(`  generated ${big.path} in ${big.seconds.toFixed(1)} s`);
  const files = [NSL_KDD.train, NSL_KDD.test, NSL_KDD.test21, big.path];
  const engines = ENGINES.filter((e) => e !== 'pandas' || opts.peer);
  const results: FileSummary[] = [];
  for (const file of files) {
    const summary: FileSummary = { file: basename(file), rows: 0, engines: {} };
    for (const engine of engines) {
      opts.log(`  load ${basename(file)} with ${engine} (${opts.reps}×)`);
      const s = await measure(engine, file, opts);
      summary.engines[engine] = s;
      if (s.runs[0]) summary.rows = s.runs[0].rows;
    }
    if (file === big.path) summary.bytes = big.bytes;
    results.push(summary);
  }
  const t = (f: FileSummary, e: Engine): number | undefined => f.engines[e]?.seconds;
  const m = (f: FileSummary, e: Engine): number | undefined => f.engines[e]?.peakRssMB;
  return {
    suite: 'load',
    tables: [
      {
        title: `Load time (median of ${opts.reps}; ratio = nadir / peer, < 1 means nadir is faster)`,
        header: ['file', 'rows', 'nadir', 'DuckDB', 'pandas', 'nadir/DuckDB', 'nadir/pandas'],
        rows: results.map((f) => [f.file, fmtInt(f.rows), fmtSeconds(t(f, 'nadir')), fmtSeconds(t(f, 'duckdb')), fmtSeconds(t(f, 'pandas')), fmtRatio(ratio(t(f, 'nadir'), t(f, 'duckdb'))), fmtRatio(ratio(t(f, 'nadir'), t(f, 'pandas')))]),
        notes: [
          'nadir: loadDataset (streaming CSV/gzip parser → Float64Array / dictionary-coded Int32Array columns, NSL-KDD recognition, quality findings).',
          'DuckDB: read_csv (sniffed types) streamed into the same typed columns; loading the native module is not counted (as pandas\' import is not).',
          'pandas: pandas.read_csv(header=None) into a DataFrame (numpy columns; text as Python objects).',
        ],
      },
      {
        title: `Peak RSS of the loading process (median of ${opts.reps}; baseline = RSS before loading)`,
        header: ['file', 'nadir', 'DuckDB', 'pandas', 'nadir/DuckDB', 'nadir/pandas', 'baseline nadir / DuckDB / pandas'],
        rows: results.map((f) => [
          f.file,
          fmtMB(m(f, 'nadir')),
          fmtMB(m(f, 'duckdb')),
          fmtMB(m(f, 'pandas')),
          fmtRatio(ratio(m(f, 'nadir'), m(f, 'duckdb'))),
          fmtRatio(ratio(m(f, 'nadir'), m(f, 'pandas'))),
          ENGINES.map((e) => fmtMB(f.engines[e]?.rssBeforeMB)).join(' / '),
        ]),
      },
    ],
    data: { generated: { path: big.path, rows: big.rows, bytes: big.bytes }, files: results },
  };
}
