import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CollectingLogger } from '../logger.js';
import { rejectsWith, tempDir, writeFixture } from '../data/testdata/files.js';
import { NadirError } from '../errors.js';
import { resolveTrainOptions, thresholdRule } from './train-options.js';
import { train } from './train.js';

const optionOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return (e as NadirError).option;
  }
  return undefined;
};

test('train options: checked once, named by their option, defaults from the learner spec', () => {
  const r = resolveTrainOptions({});
  assert.equal(r.model, 'gbdt');
  assert.equal(r.cv, 5);
  assert.deepEqual(r.learner, { seed: 0 });
  assert.equal(thresholdRule(r), 0.5);
  assert.equal(thresholdRule(resolveTrainOptions({ model: 'iforest' })), 'auto', 'an anomaly score is not a probability: auto by default');
  // the seed and threads reach the learners that take them, and only those
  assert.deepEqual(resolveTrainOptions({ model: 'logreg', seed: 3, threads: 2 }).learner, {});
  assert.deepEqual(resolveTrainOptions({ model: 'rf', seed: 3, threads: 2 }).learner, { seed: 3, nThreads: 2 });
  assert.equal(optionOf(() => resolveTrainOptions({ cv: 1 })), 'cv');
  assert.equal(optionOf(() => resolveTrainOptions({ model: 'svm' })), 'model');
  assert.equal(optionOf(() => resolveTrainOptions({ model: 'rf', learner: { learningRate: 0.1 } })), 'learningRate');
  assert.equal(optionOf(() => resolveTrainOptions({ learner: { maxDepth: 65 } })), 'maxDepth');
  assert.equal(optionOf(() => resolveTrainOptions({ target: 'category', threshold: 0.3 })), 'threshold');
  assert.throws(() => resolveTrainOptions({ model: 'rf', learner: { learningRate: 0.1 } }), { message: 'invalid option learningRate: does not apply to model rf' });
  assert.throws(() => resolveTrainOptions({ model: 'iforest', target: 'category' }), { message: /^invalid option target: the isolation forest is unsupervised/ });
});

test('training on a handful of rows warns that the data is tiny, and when a class is smaller than the folds', async () => {
  const dir = tempDir('nadir-tiny-');
  const rows = ['a,b,label'];
  for (let i = 0; i < 30; i++) rows.push(`${i},${i % 7},${i < 27 ? 'normal' : 'attack'}`);
  const file = writeFixture(dir, 'tiny.csv', `${rows.join('\n')}\n`);
  const logger = new CollectingLogger();
  await train({ data: file, model: 'logreg', cv: 5, permutationRepeats: 0, logger });
  const codes = logger.warnings.map((w) => w.code);
  assert.ok(codes.includes('tiny-data'), codes.join(', '));
  const small = logger.warnings.find((w) => w.code === 'class-smaller-than-folds')!;
  assert.match(small.message, /class 'attack' \(3\) has fewer rows than the 5 cross-validation folds/);
  await rejectsWith(train({ data: file, cv: 1 }), 'NADIR_ERR_BAD_OPTION', /^invalid option cv: expected 0 \(no cross-validation\) or a whole number of folds from 2 to 50, got '1'$/);
});
