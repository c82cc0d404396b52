/**
 * One nadir GBDT fit in a fresh process, on a cached matrix (bench/matrix-cache.ts):
 *   node dist/bench/cases/scaling-case.js <matrix json>
 * Prints one JSON line: fit seconds, RSS with the data loaded, peak RSS of the process.
 */
import { readFileSync } from 'node:fs';
import type { CachedMatrix } from '../matrix-cache.js';
import { readMatrix } from '../matrix-cache.js';
import { peakRssMB, rssMB } from '../lib/child.js';
import { createLearner } from '../../src/learners/registry.js';

export interface ScalingCaseResult {
  engine: string;
  rows: number;
  features: number;
  fitSeconds: number;
  dataRssMB: number;
  peakRssMB: number;
  /** Sum of predicted attack probabilities over the first 1000 rows: uses the model. */
  checksum: number;
}

const spec = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as CachedMatrix & { options: Record<string, unknown> };
const { X, y } = readMatrix(spec);
const dataRss = rssMB();
const t0 = performance.now();
const model = await createLearner('gbdt', spec.options).fit(X, y, { classes: ['normal', 'attack'] });
const fitSeconds = (performance.now() - t0) / 1000;
const peak = peakRssMB();
const head = { ...X, data: X.data.subarray(0, 1000 * X.nCols), nRows: Math.min(1000, X.nRows) };
const p = model.predictProba(head);
let checksum = 0;
for (let i = 1; i < p.length; i += 2) checksum += p[i]!;
const out: ScalingCaseResult = { engine: 'nadir', rows: X.nRows, features: X.nCols, fitSeconds, dataRssMB: dataRss, peakRssMB: peak, checksum };
console.log(JSON.stringify(out));
