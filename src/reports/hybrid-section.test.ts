import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { evaluate } from '../app/evaluate.js';
import { train } from '../app/train.js';
import { tempDir, writeFixture } from '../data/testdata/files.js';
import { renderEvaluationReport } from './evaluation-report.js';
import { renderTrainingReport } from './training-report.js';

const DATA = new URL('../../../data/nsl-kdd/', import.meta.url).pathname;
const dir = tempDir('nadir-hybrid-report-');
const lines = (file: string, a: number, b: number): string => `${gunzipSync(readFileSync(`${DATA}${file}`)).toString('utf8').trim().split('\n').slice(a, b).join('\n')}\n`;

test('training and evaluation reports of a hybrid model show both thresholds, rows by part, unseen labels and the score histograms', async () => {
  const TRAIN = writeFixture(dir, 'train.csv', lines('KDDTrain+_20Percent.txt.gz', 0, 1000));
  const TEST = writeFixture(dir, 'test.csv', lines('KDDTest+.txt.gz', 0, 500));
  const r = await train({ data: TRAIN, tests: [TEST], model: 'hybrid', cv: 2, permutationRepeats: 0, learner: { nEstimators: 10, nThreads: 1 } });
  const page = await renderTrainingReport(r);
  const parts = r.body.decision.kind === 'threshold' ? r.body.decision.parts! : null;
  assert.ok(parts);
  assert.match(page, /Hybrid detector: which part fired/);
  assert.ok(page.includes(parts.anomaly.threshold.toFixed(4)), 'the anomaly threshold');
  assert.match(page, /Rows by the part that fired/);
  assert.match(page, /aria-label="anomaly score, [^"]*test"/);
  assert.match(page, /aria-label="supervised probability, [^"]*test"/);
  assert.match(page, /Balanced accuracy/);
  const t = r.tests[0]!;
  if (t.unseenDetection && t.unseenDetection.rows > 0) assert.match(page, /labels absent from training/);
  const c = t.hybrid!.byClass.attack!;
  assert.ok(page.includes(`<td class="num">${c.anomaly.toLocaleString('en-US')}</td>`) || page.includes(String(c.anomaly)));
  const ev = await evaluate(r.detector, TEST);
  const evPage = await renderEvaluationReport({ body: r.body, modelFile: 'm.nadir', dataFile: TEST, evaluation: ev.evaluation, dataset: ev.dataset });
  assert.match(evPage, /Hybrid detector: which part fired/);
  assert.ok(evPage.includes(parts.anomaly.threshold.toFixed(4)));
});
