import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CollectingLogger } from '../logger.js';
import { rejectsWith } from '../data/testdata/files.js';
import { thresholdMethodName } from './report-common.js';
import { train } from './train.js';
import { reconstructCommand } from './training-report.js';

const DATA = new URL('../../../data/nsl-kdd/', import.meta.url).pathname;
const SMALL = `${DATA}KDDTest-21.txt.gz`;
const FAST = { nEstimators: 5 };

describe('train: the isolation forest without cross-validation', () => {
  test('no --threshold and --cv 0: the threshold is chosen in-sample at --max-fpr, labelled so, with a warning', async () => {
    const logger = new CollectingLogger();
    const r = await train({ data: SMALL, model: 'iforest', cv: 0, learner: FAST, permutationRepeats: 0, maxFpr: 0.02, logger });
    assert.equal(r.cv, null);
    const info = r.body.thresholdInfo!;
    assert.equal(info.method, 'max-fpr-in-sample');
    assert.equal(info.maxFpr, 0.02);
    assert.ok(info.trainFpr !== null && info.trainFpr! <= 0.02, `in-sample FPR ${info.trainFpr}`);
    assert.ok(r.body.threshold! > 0 && r.body.threshold! < 1);
    const w = logger.warnings.find((x) => x.code === 'threshold-in-sample');
    assert.ok(w, 'a warning says which threshold was used and why');
    assert.match(
      w.message,
      new RegExp(
        `^no --threshold and no cross-validation \\(--cv 0\\): the isolation forest's threshold on its anomaly score is ${r.body.threshold!.toFixed(4)}, ` +
          `chosen in-sample on the training rows' own scores so that at most 2\\.00% of normal training rows are flagged \\(in-sample false-positive rate [\\d.]+%\\); ` +
          `expect more false alarms on new traffic\\. Use --cv 2 or more to choose it from out-of-fold scores, or set --threshold <score>$`,
      ),
    );
    // provenance: no --threshold was given; the command that reproduces the model has none either
    assert.equal(r.body.provenance.options.threshold, null);
    assert.equal(r.body.provenance.options.maxFpr, 0.02);
    assert.match(reconstructCommand(r), /--cv 0 --seed 0 --max-fpr 0\.02 --trees 5$/);
    assert.equal(thresholdMethodName(info), 'in-sample: FPR ≤ 2.00% on the training rows’ own scores (no CV)');
    assert.equal(thresholdMethodName(info, { short: true }), 'in-sample, FPR ≤ 2.0%');
  });

  test('an explicit --threshold auto with --cv 0 stays an error', async () => {
    await rejectsWith(
      train({ data: SMALL, model: 'iforest', cv: 0, threshold: 'auto', learner: FAST, permutationRepeats: 0 }),
      'NADIR_ERR_BAD_OPTION',
      /^invalid option --threshold: 'auto' is chosen from out-of-fold scores: it needs --cv 2 or more$/,
    );
  });

  test('a fixed --threshold with --cv 0 is used as given, without a warning', async () => {
    const logger = new CollectingLogger();
    const r = await train({ data: SMALL, model: 'iforest', cv: 0, threshold: 0.6, learner: FAST, permutationRepeats: 0, logger });
    assert.equal(r.body.threshold, 0.6);
    assert.equal(r.body.thresholdInfo?.method, 'fixed');
    assert.equal(logger.warnings.filter((w) => w.code === 'threshold-in-sample').length, 0);
  });
});
