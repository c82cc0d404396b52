/**
 * One `nadir eda` measurement in a fresh process (so peak RSS is this run's alone):
 *   node dist/bench/cases/eda-case.js <file> <report.html>
 * Load (src/data), analysis (src/eda analyzeDataset) and the HTML report (Vega-Lite → SVG),
 * timed separately. Prints one JSON line. The Welch t of a few features are printed too, so the
 * suite can check nadir and the pandas/scipy peer agree on the very same file.
 */
import { writeFile } from 'node:fs/promises';
import { loadDataset } from '../../src/data/index.js';
import { analyzeDataset } from '../../src/eda/analyze.js';
import { buildEdaReport } from '../../src/reports/eda-report.js';
import { peakRssMB, rssMB } from '../lib/child.js';

export interface EdaCaseResult {
  engine: 'nadir';
  file: string;
  rows: number;
  columns: number;
  seconds: { load: number; analyse: number; report: number; total: number };
  rssBeforeMB: number;
  peakRssMB: number;
  reportBytes: number;
  charts: number;
  /** Welch t (attack − normal) and chi-square of a few features: compared with the peer. */
  check: Record<string, number>;
}

async function main(): Promise<void> {
  const [file, out] = process.argv.slice(2);
  if (!file || !out) throw new Error('usage: eda-case.js <file> <report.html>');
  const before = rssMB();
  const t0 = performance.now();
  const ds = await loadDataset(file);
  const t1 = performance.now();
  const r = analyzeDataset(ds);
  const t2 = performance.now();
  let charts = 0;
  const page = await buildEdaReport(r, { onChart: (done) => (charts = done) });
  await writeFile(out, page);
  const t3 = performance.now();
  const check: Record<string, number> = {};
  for (const f of ['count', 'same_srv_rate', 'dst_host_srv_count', 'duration', 'src_bytes']) {
    const t = r.tests.numeric.find((x) => x.feature === f);
    if (t) check[`t:${f}`] = t.welch.t;
  }
  for (const f of ['protocol_type', 'flag', 'service']) {
    const c = r.tests.categorical.find((x) => x.feature === f);
    if (c) check[`chi2:${f}`] = c.chi2;
  }
  const sb = r.numeric.find((c) => c.name === 'src_bytes');
  if (sb?.outliers) check['iqr:src_bytes'] = sb.outliers.iqr.count;
  const result: EdaCaseResult = {
    engine: 'nadir',
    file,
    rows: ds.features.nRows,
    columns: ds.features.columns.length,
    seconds: { load: (t1 - t0) / 1000, analyse: (t2 - t1) / 1000, report: (t3 - t2) / 1000, total: (t3 - t0) / 1000 },
    rssBeforeMB: before,
    peakRssMB: peakRssMB(),
    reportBytes: page.length,
    charts,
    check,
  };
  console.log(JSON.stringify(result));
}

await main();
