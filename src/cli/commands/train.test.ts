/**
 * `nadir train` option checks against the learners themselves: every value the CLI accepts
 * is accepted by the learner's fit, every value just outside a CLI range is refused by the
 * learner too (so the ranges are the learners' own), and the CLI's message names the flag.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nadirError } from '../../errors.js';
import { createLearner } from '../../learners/registry.js';
import { scoreKind } from '../../reports/report-common.js';
import type { Metrics } from '../../eval/types.js';
import { contract, importanceLine, scoreJson, thresholdLine } from '../summary.js';
import { trainOptions, withFlagNames } from './train.js';

/** Option values as commander hands them over (defaults included). */
function opts(extra: Record<string, string>): Record<string, unknown> {
  return { model: 'gbdt', target: 'binary', cv: '0', seed: '0', maxFpr: '0.01', permutationRepeats: '0', ...extra };
}

const X = { data: new Float32Array([0, 1, 1, 0, 2, 3, 3, 2, 4, 5, 5, 4, 6, 7, 7, 6]), nRows: 8, nCols: 2, columns: ['a', 'b'] };
const y = new Int32Array([0, 1, 0, 1, 0, 1, 0, 1]);

async function fitWith(model: string, learner: Record<string, unknown>, seed = 0): Promise<void> {
  const o = model === 'logreg' ? learner : { seed, nThreads: 1, ...learner };
  await createLearner(model, o).fit(X, y, { classes: ['normal', 'attack'] });
}

test('values the CLI accepts are accepted by the learners', async () => {
  const cases: Array<Record<string, string>> = [
    { model: 'gbdt', trees: '1', depth: '64', lr: '1e-6' },
    { model: 'gbdt', trees: '2', depth: '1', lr: '3', seed: '4294967295' },
    { model: 'rf', trees: '2', maxFeatures: '1', depth: '1' },
    { model: 'rf', trees: '2', maxFeatures: '0.5' },
    { model: 'rf', trees: '2', maxFeatures: 'log2' },
    { model: 'rf', trees: '2', maxFeatures: '1000' },
    { model: 'logreg', c: '1e-6' },
    { model: 'iforest', trees: '1' },
  ];
  for (const c of cases) {
    const t = trainOptions(opts(c));
    await fitWith(t.model, t.learner, t.seed);
  }
});

test('values just outside a CLI range are refused by the learner too, and the CLI names the flag', async () => {
  const cases: Array<{ flags: Record<string, string>; flag: string; learner: Record<string, unknown> }> = [
    { flags: { trees: '0' }, flag: '--trees', learner: { nEstimators: 0 } },
    { flags: { depth: '65' }, flag: '--depth', learner: { maxDepth: 65 } },
    { flags: { depth: '0', model: 'rf' }, flag: '--depth', learner: { maxDepth: 0 } },
    { flags: { lr: '0' }, flag: '--lr', learner: { learningRate: 0 } },
    { flags: { maxFeatures: '0', model: 'rf' }, flag: '--max-features', learner: { maxFeatures: 0 } },
    { flags: { maxFeatures: '1.5', model: 'rf' }, flag: '--max-features', learner: { maxFeatures: 1.5 } },
    { flags: { maxFeatures: 'half', model: 'rf' }, flag: '--max-features', learner: { maxFeatures: 'half' } },
    { flags: { c: '0', model: 'logreg' }, flag: '--c', learner: { C: 0 } },
    { flags: { threads: '0' }, flag: '--threads', learner: { nThreads: 0 } },
    { flags: { threads: '257' }, flag: '--threads', learner: { nThreads: 257 } },
    { flags: { seed: '4294967296' }, flag: '--seed', learner: { seed: 4294967296 } },
  ];
  for (const c of cases) {
    const model = c.flags.model ?? 'gbdt';
    assert.throws(
      () => trainOptions(opts(c.flags)),
      (e: Error) => e.message.startsWith(`invalid option ${c.flag}: expected `) && e.message.endsWith(`got '${Object.values(c.flags)[0]}'`),
      JSON.stringify(c.flags),
    );
    await assert.rejects(fitWith(model, c.learner), /invalid option/, `the ${model} learner refuses ${JSON.stringify(c.learner)}`);
  }
});

test('--cv 1, --threshold without a binary target or without CV, an option of another model', () => {
  assert.throws(() => trainOptions(opts({ cv: '1' })), { message: "invalid option --cv: expected 0 (no cross-validation) or a whole number of folds from 2 to 50, got '1'" });
  assert.equal(trainOptions(opts({ cv: '0' })).cv, 0);
  assert.equal(trainOptions(opts({ cv: '2' })).cv, 2);
  assert.throws(() => trainOptions(opts({ threshold: '0.3', target: 'category' })), { message: /^invalid option --threshold: applies to --target binary only/ });
  assert.throws(() => trainOptions(opts({ threshold: 'f1' })), { message: "invalid option --threshold: 'f1' is chosen from out-of-fold scores: it needs --cv 2 or more" });
  assert.equal(trainOptions(opts({ threshold: 'f1', cv: '3' })).threshold, 'f1');
  assert.throws(() => trainOptions(opts({ lr: '0.1', model: 'rf' })), { message: 'invalid option --lr: does not apply to --model rf' });
});

test('an option error from inside training is renamed to its flag', () => {
  const cases: Array<[string, string]> = [
    ['learningRate', '--lr'],
    ['maxFeatures', '--max-features'],
    ['C', '--c'],
    ['nEstimators', '--trees'],
    ['maxDepth', '--depth'],
    ['nThreads', '--threads'],
    ['nRepeats', '--permutation-repeats'],
  ];
  for (const [name, flag] of cases) {
    assert.throws(() => withFlagNames(nadirError('NADIR_ERR_BAD_OPTION', name, 'must be > 0, got 0')), { message: `invalid option ${flag}: must be > 0, got 0` });
  }
  assert.throws(() => withFlagNames(nadirError('NADIR_ERR_BAD_OPTION', '--cv', 'x')), { message: 'invalid option --cv: x' });
  assert.throws(() => withFlagNames(nadirError('NADIR_ERR_FILE_NOT_FOUND', 'C')), { message: 'file not found: C' });
});

test('the importance line lists only columns that carried importance, most important first', () => {
  // permutation importance as a small CIC-like run gave it: one column decides, the rest are 0 in file order
  const permutation = [
    { feature: 'Destination Port', importance: 0.4625, std: 0.02 },
    { feature: 'Flow Duration', importance: 0, std: 0 },
    { feature: 'Total Fwd Packets', importance: 0, std: 0 },
    { feature: 'Flow Bytes/s', importance: -0.0004, std: 0.001 },
  ];
  const gain = [
    { feature: 'Destination Port', importance: 30 },
    { feature: 'Flow Bytes/s', importance: 10 },
    { feature: 'Flow Duration', importance: 0 },
  ];
  assert.equal(
    importanceLine({ permutation, gain }, 'ROC-AUC', 'data/test.csv'),
    'most important (permutation importance: drop in ROC-AUC when shuffled, on test.csv): Destination Port 0.4625 (3 of 4 columns carried none)',
  );
  assert.equal(importanceLine({ gain }, 'ROC-AUC'), 'most important (share of split gain): Destination Port 75.0%, Flow Bytes/s 25.0% (1 of 3 columns carried none)');
  // ordered by importance, not by the order given; more than five: the rest counted
  const many = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((feature, i) => ({ feature, importance: (i + 1) / 100 }));
  assert.equal(importanceLine({ permutation: many }, 'accuracy'), 'most important (permutation importance: drop in accuracy when shuffled, on the training data): g 0.0700, f 0.0600, e 0.0500, d 0.0400, c 0.0300 (2 more)');
  assert.equal(
    importanceLine({ permutation: permutation.map((e) => ({ ...e, importance: 0 })) }, 'ROC-AUC', 'test.csv'),
    'most important (permutation importance: drop in ROC-AUC when shuffled, on test.csv): no column carried importance',
  );
  assert.equal(importanceLine({}, 'ROC-AUC'), '');
});

test('an isolation forest threshold is on the anomaly score; its JSON metrics have logLoss null and say why', () => {
  const iforest = scoreKind({ learner: { type: 'iforest', version: 1, options: {}, fitted: {} }, provenance: { data: { file: 'x', sha256: '', rows: 0 }, tests: [], options: {}, command: '', node: '' }, classes: ['normal', 'attack'] });
  assert.equal(
    thresholdLine(iforest, 0.54261, 'max-fpr'),
    "decision threshold on the anomaly score s(x): 0.5426 (max-fpr) — the isolation forest's anomaly score (Liu et al. 2008): in (0, 1), higher = more anomalous; not a probability",
  );
  const gbdt = scoreKind({ learner: { type: 'gbdt', version: 1, options: {}, fitted: {} }, provenance: { data: { file: 'x', sha256: '', rows: 0 }, tests: [], options: {}, command: '', node: '' }, classes: ['normal', 'attack'] });
  assert.equal(thresholdLine(gbdt, 0.5, 'fixed'), 'decision threshold on P(attack): 0.5000 (fixed)');
  const m = { accuracy: 0.9, logLoss: 0.7, curves: {} } as unknown as Metrics;
  assert.deepEqual(contract(m, iforest), { accuracy: 0.9, logLoss: null });
  assert.deepEqual(contract(m, gbdt), { accuracy: 0.9, logLoss: 0.7 });
  assert.equal(scoreJson(iforest).kind, 'anomaly-score');
  assert.match(String(scoreJson(iforest).note), /not a probability; the threshold applies to it, and logLoss is null \(not meaningful\)$/);
  assert.deepEqual(scoreJson(gbdt), { kind: 'probability', name: 'P(attack)' });
});
