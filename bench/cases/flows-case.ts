/**
 * One training run in a fresh process (so peak RSS is this run's alone):
 *   node dist/bench/cases/flows-case.js <flows.csv> [--keep]
 * `nadir train`'s defaults (gbdt, 200 trees, depth 6, 5-fold CV, permutation importance) on a
 * CIC-style flow table; `--keep` keeps the flow id, addresses and timestamp as model inputs (the
 * behaviour before column roles, with one-hot now bounded). Prints one JSON line: rows, input
 * columns, matrix width, seconds, peak RSS.
 */
import { train } from '../../src/app/train.js';
import { CIC_ID_COLUMNS } from '../../src/data/testdata/cic-flows.js';
import { peakRssMB, rssMB } from '../lib/child.js';

export interface FlowsCaseResult {
  file: string;
  keep: boolean;
  rows: number;
  inputs: number;
  matrixColumns: number;
  seconds: number;
  /** CPU time of the process (user + system, all threads) over the training: less disturbed by other load than wall time. */
  cpuSeconds: number;
  rssBeforeMB: number;
  peakRssMB: number;
  /** Out-of-fold ROC-AUC: uses the result, so nothing is optimised away. */
  cvRocAuc: number | null;
}

async function main(): Promise<void> {
  const [file, flag] = process.argv.slice(2);
  if (!file) throw new Error('usage: flows-case.js <flows.csv> [--keep]');
  const keep = flag === '--keep';
  const before = rssMB();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await train({ data: file, ...(keep ? { load: { keep: [...CIC_ID_COLUMNS] } } : {}) });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const result: FlowsCaseResult = {
    file,
    keep,
    rows: r.train.rows,
    inputs: r.body.schema.inputs.length,
    matrixColumns: r.detector.pipeline.columns.length,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    rssBeforeMB: before,
    peakRssMB: peakRssMB(),
    cvRocAuc: r.cv?.rocAuc ?? null,
  };
  console.log(JSON.stringify(result));
}

await main();
