/**
 * The hybrid detector through the use cases: its thresholds come from training rows only (a test
 * file cannot move them), a saved model scores exactly as the trained one, and predict, evaluate
 * and the library give the same scores and parts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { tempDir, writeFixture } from '../data/testdata/files.js';
import { HYBRID_SPEC, HybridDetector } from '../learners/hybrid.js';
import { findParam, paramDefault } from '../learners/spec.js';
import { saveModelFile } from '../model/artifact.js';
import { Detector } from '../model/detector.js';
import { evaluate } from './evaluate.js';
import { predict } from './predict.js';
import { predictionRecords } from './prediction-records.js';
import { train, type TrainResult } from './train.js';
import * as lib from '../index.js';
import { stringifyTyped } from '../util/typed-json.js';

const DATA = new URL('../../../data/nsl-kdd/', import.meta.url).pathname;
const dir = tempDir('nadir-hybrid-');
const lines = (file: string): string[] => gunzipSync(readFileSync(`${DATA}${file}`)).toString('utf8').trim().split('\n');
const TRAIN = writeFixture(dir, 'train.csv', `${lines('KDDTrain+_20Percent.txt.gz').slice(0, 1500).join('\n')}\n`);
const testLines = lines('KDDTest+.txt.gz');
const TEST_A = writeFixture(dir, 'test-a.csv', `${testLines.slice(0, 400).join('\n')}\n`);
// another test file: other rows, and every byte count multiplied
const TEST_B = writeFixture(
  dir,
  'test-b.csv',
  `${testLines
    .slice(400, 900)
    .map((l) => l.split(',').map((c, j) => (j === 4 || j === 5 ? String(Number(c) * 7) : c)).join(','))
    .join('\n')}\n`,
);
const OPTS = { model: 'hybrid', cv: 2, permutationRepeats: 0, learner: { nEstimators: 20, nThreads: 1 } } as const;

let a: TrainResult;
let b: TrainResult;
before(async () => {
  a = await train({ ...OPTS, data: TRAIN, tests: [TEST_A] });
  b = await train({ ...OPTS, data: TRAIN, tests: [TEST_B] });
});

test('thresholds come from training rows only: another test file changes neither threshold nor the model', () => {
  const parts = a.body.decision.kind === 'threshold' ? a.body.decision.parts : undefined;
  assert.ok(parts, 'the decision holds both parts');
  assert.equal(parts.anomaly.method, 'max-fpr-oof-normal');
  const budget = paramDefault(findParam(HYBRID_SPEC, 'maxFpr')!) as number;
  assert.equal(parts.anomaly.maxFpr, budget, 'default budget');
  assert.equal(parts.anomaly.gate, paramDefault(findParam(HYBRID_SPEC, 'gate')!), 'default gate, stored in the decision');
  assert.ok(parts.anomaly.oofFpr <= budget);
  assert.deepEqual(b.body.decision, a.body.decision);
  assert.equal(stringifyTyped(b.body.learner), stringifyTyped(a.body.learner));
  assert.deepEqual(b.body.metrics.cv, a.body.metrics.cv);
  // the test sets did give different metrics: they were read, just not learned from
  assert.notDeepEqual(b.tests[0]!.metrics.confusionMatrix, a.tests[0]!.metrics.confusionMatrix);
  // and the test report says which part fired
  const h = a.tests[0]!.hybrid!;
  const total = Object.values(h.byClass).reduce((s, c) => s + c.knownAttack + c.anomaly + c.both + c.neither, 0);
  assert.equal(total, a.tests[0]!.metrics.n);
});

test('a saved hybrid model scores exactly as the trained one; predict, evaluate and the library agree', async () => {
  const path = join(dir, 'hybrid.nadir');
  await saveModelFile(path, a.body);
  const loaded = await Detector.load(path);
  assert.ok(loaded.learner instanceof HybridDetector);
  const ev = await evaluate(loaded, TEST_A);
  const trained = a.detector.score((await lib.readRecords(a.detector, TEST_A)));
  for (let i = 0; i < trained.proba.length; i++) assert.ok(Math.abs(ev.evaluation.proba[i]! - trained.proba[i]!) <= 1e-12);
  const p = await predict(loaded, TEST_A, { explain: true, top: 3 });
  const recs = predictionRecords(loaded, p);
  const parts = (loaded.learner as HybridDetector).parts(ev.evaluation.X);
  recs.forEach((r, i) => {
    assert.ok(Math.abs(r.probability - ev.evaluation.proba[2 * i + 1]!) <= 1e-12);
    assert.equal(r.label, ev.evaluation.proba[2 * i + 1]! >= 0.5 ? 'Attack' : 'Normal');
    assert.equal(r.supervisedProbability, parts.probability[i]);
    assert.equal(r.anomalyScore, parts.anomaly[i]);
    assert.equal(r.part, ['none', 'known-attack', 'anomaly', 'both'][parts.fired[i]!]);
    assert.equal((r.part === 'none') === (r.label === 'Normal'), true);
    // explanations of both parts name the input value next to the contribution
    assert.ok(r.explanation!.length > 0 && r.explanation!.every((c) => 'input' in c));
    assert.ok(r.anomalyExplanation!.every((c) => 'input' in c && c.value >= 0));
  });
  // the library's entry points: the same numbers
  const viaLib = lib.predictData(loaded, await lib.readRecords(loaded, TEST_A));
  assert.deepEqual(viaLib.proba, p.proba);
  assert.deepEqual(viaLib.hybrid!.fired, p.hybrid!.fired);
});
