import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { CollectingLogger } from '../logger.js';
import { saveModelFile } from '../model/artifact.js';
import { Detector } from '../model/detector.js';
import { rejectsWith, tempDir, writeFixture } from '../data/testdata/files.js';
import { fileChecksums } from './provenance.js';
import { train } from './train.js';
import { thresholdOf, thresholdInfoOf } from '../model/decision.js';

const DATA = new URL('../../../data/nsl-kdd/', import.meta.url).pathname;
const SMALL = `${DATA}KDDTest-21.txt.gz`;
const FAST = { nEstimators: 5 };

describe('train: the isolation forest without cross-validation', () => {
  test('no --threshold and --cv 0: the threshold is chosen in-sample at --max-fpr, labelled so, with a warning', async () => {
    const logger = new CollectingLogger();
    const r = await train({ data: SMALL, model: 'iforest', cv: 0, learner: FAST, permutationRepeats: 0, maxFpr: 0.02, logger });
    assert.equal(r.cv, null);
    const info = thresholdInfoOf(r.body)!;
    assert.equal(info.method, 'max-fpr-in-sample');
    assert.equal(info.maxFpr, 0.02);
    assert.ok(info.trainFpr !== null && info.trainFpr! <= 0.02, `in-sample FPR ${info.trainFpr}`);
    assert.ok(thresholdOf(r.body)! > 0 && thresholdOf(r.body)! < 1);
    const w = logger.warnings.find((x) => x.code === 'threshold-in-sample');
    assert.ok(w, 'a warning says which threshold was used and why');
    assert.match(
      w.message,
      new RegExp(
        `^no threshold and no cross-validation \\(cv 0\\): the isolation forest's threshold on its anomaly score is ${thresholdOf(r.body)!.toFixed(4)}, ` +
          `chosen in-sample on the training rows' own scores so that at most 2\\.00% of normal training rows are flagged \\(in-sample false-positive rate [\\d.]+%\\); ` +
          `expect more false alarms on new traffic\\. Use cv 2 or more to choose it from out-of-fold scores, or set threshold <score>$`,
      ),
    );
    // provenance: no --threshold was given; the command that reproduces the model has none either
    assert.equal(r.body.provenance.options.threshold, null);
    assert.equal(r.body.provenance.options.maxFpr, 0.02);
  });

  test('progress: the training file is loaded with a byte-level stage before the fit', async () => {
    const { statSync } = await import('node:fs');
    const stages: Array<[string, number, number]> = [];
    await train({ data: SMALL, tests: [SMALL], model: 'iforest', cv: 0, learner: FAST, permutationRepeats: 0, onProgress: (s, d, t) => stages.push([s, d, t]) });
    const size = statSync(SMALL).size;
    const names = [...new Set(stages.map((s) => s[0]))];
    assert.deepEqual(names, ['loading KDDTest-21.txt.gz', 'final fit', 'test KDDTest-21.txt.gz']);
    assert.ok(stages.filter((s) => s[0] === 'loading KDDTest-21.txt.gz').every((s) => s[2] === size && s[1] <= size));
    // the training file, then the test file, is loaded up to its size
    const fit = stages.findIndex((s) => s[0] === 'final fit');
    assert.deepEqual(stages[fit - 1], ['loading KDDTest-21.txt.gz', size, size]);
    const test = stages.findIndex((s) => s[0] === 'test KDDTest-21.txt.gz');
    assert.deepEqual(stages[test - 1], ['loading KDDTest-21.txt.gz', size, size]);
    assert.equal(stages[fit + 1]![0], 'final fit');
  });

  test('an explicit --threshold auto with --cv 0 stays an error', async () => {
    await rejectsWith(
      train({ data: SMALL, model: 'iforest', cv: 0, threshold: 'auto', learner: FAST, permutationRepeats: 0 }),
      'NADIR_ERR_BAD_OPTION',
      /^invalid option threshold: 'auto' is chosen from out-of-fold scores: it needs cv 2 or more$/,
    );
  });

  test('a fixed --threshold with --cv 0 is used as given, without a warning', async () => {
    const logger = new CollectingLogger();
    const r = await train({ data: SMALL, model: 'iforest', cv: 0, threshold: 0.6, learner: FAST, permutationRepeats: 0, logger });
    assert.equal(thresholdOf(r.body), 0.6);
    assert.equal(thresholdInfoOf(r.body)?.method, 'fixed');
    assert.equal(logger.warnings.filter((w) => w.code === 'threshold-in-sample').length, 0);
  });
});

describe('train: training data with a single class', () => {
  const lines = gunzipSync(readFileSync(SMALL)).toString('utf8').trim().split('\n');
  const dir = tempDir('nadir-train-');
  const normal = writeFixture(dir, 'normal.csv', `${lines.filter((l) => l.includes(',normal,')).join('\n')}\n`);
  const attack = writeFixture(dir, 'attack.csv', `${lines.filter((l) => !l.includes(',normal,')).join('\n')}\n`);
  const neptune = writeFixture(dir, 'neptune.csv', `${lines.filter((l) => l.includes(',neptune,')).join('\n')}\n`);
  const nNormal = lines.filter((l) => l.includes(',normal,')).length;
  const nAttack = lines.length - nNormal;

  for (const model of ['gbdt', 'rf', 'logreg'] as const) {
    test(`${model} on normal rows only fails before fitting, pointing at --model iforest`, async () => {
      await rejectsWith(
        train({ data: normal, model, cv: 5, permutationRepeats: 0 }),
        'NADIR_ERR_BAD_INPUT',
        new RegExp(
          `^${normal.replace(/[.+]/g, '\\$&')}: training data has one class only \\('normal', ${nNormal.toLocaleString('en-US')} rows\\): ` +
            'a supervised model needs both normal and attack rows; use model iforest to learn from normal traffic only, or check label / normal$',
        ),
      );
    });
  }

  test('a supervised model on attack rows only: no label value counts as normal, with the values', async () => {
    await rejectsWith(
      train({ data: attack, model: 'gbdt', cv: 0, permutationRepeats: 0 }),
      'NADIR_ERR_BAD_INPUT',
      new RegExp(
        `training data has one class only \\('attack', ${nAttack.toLocaleString('en-US')} rows\\): a supervised model needs both normal and attack rows; ` +
          'no label value counts as normal \\(label values: guess_passwd, snmpguess, processtable, [^)]*, …\\); check label / normal$',
      ),
    );
  });

  test('a category target with one class', async () => {
    await rejectsWith(
      train({ data: neptune, model: 'rf', target: 'category', cv: 0, permutationRepeats: 0 }),
      'NADIR_ERR_BAD_INPUT',
      /neptune\.csv: training data has one category class only \('DoS', [\d,]+ rows\): a supervised model needs at least two classes; check label \/ target$/,
    );
  });

  test('the isolation forest needs normal rows', async () => {
    await rejectsWith(
      train({ data: attack, model: 'iforest', cv: 0, learner: FAST, permutationRepeats: 0 }),
      'NADIR_ERR_BAD_INPUT',
      /attack\.csv: training data has no normal rows \(label values: guess_passwd, .*\): the isolation forest learns the profile of normal traffic; check label \/ normal$/,
    );
  });

  for (const cv of [0, 3]) {
    test(`the isolation forest on normal rows only trains (--cv ${cv}); permutation importance is skipped with a warning`, async () => {
      const logger = new CollectingLogger();
      const r = await train({ data: normal, model: 'iforest', cv, learner: FAST, logger });
      assert.equal(r.train.rows, nNormal);
      assert.deepEqual(r.train.classes, { normal: nNormal, attack: 0 });
      assert.ok(thresholdOf(r.body)! > 0);
      assert.equal(thresholdInfoOf(r.body)?.method, cv ? 'max-fpr' : 'max-fpr-in-sample');
      assert.equal(r.body.importance.permutation, undefined);
      assert.ok(
        logger.warnings.some((w) => w.message === 'permutation importance skipped: it is measured as the loss of ROC-AUC on the training data, which has normal rows only; give a tests file with both normal and attack rows'),
        logger.warnings.map((w) => w.message).join('\n'),
      );
      // and it scores: attacks rank above normal traffic
      const s = await train({ data: normal, tests: [SMALL], model: 'iforest', cv, learner: FAST, permutationRepeats: 1 });
      assert.ok(s.tests[0]!.metrics.rocAuc! > 0.7, `AUC ${s.tests[0]!.metrics.rocAuc}`);
      assert.ok(s.body.importance.permutation!.length > 0);
    });
  }
});

describe('train: --threshold auto when no threshold meets --max-fpr', () => {
  test('coarse scores (5 trees): the model flags nothing, says so, and still saves and loads', async () => {
    const logger = new CollectingLogger();
    const r = await train({ data: SMALL, model: 'rf', cv: 2, threshold: 'auto', maxFpr: 0.01, learner: FAST, permutationRepeats: 0, logger });
    assert.ok(thresholdOf(r.body)! > 1, `threshold ${thresholdOf(r.body)}`);
    assert.equal(thresholdInfoOf(r.body)!.oofTpr, 0);
    const w = logger.warnings.find((x) => x.code === 'threshold-flags-nothing');
    assert.ok(w, logger.warnings.map((x) => x.message).join('\n'));
    assert.match(w.message, /^threshold auto: no threshold keeps the false-positive rate on the out-of-fold scores within maxFpr 1\.00% .*Raise maxFpr, use more trees/);
    const out = `${tempDir()}/flags-nothing.nadir`;
    await saveModelFile(out, r.body);
    assert.equal((await Detector.load(out)).threshold, thresholdOf(r.body));
  });
});

describe('provenance checksums', () => {
  test('a gzip file gets the sha256 of its bytes and of its decompressed content (the one SHA256SUMS lists)', async () => {
    const sums = Object.fromEntries(
      readFileSync(`${DATA}SHA256SUMS`, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/).reverse()),
    );
    const { createHash } = await import('node:crypto');
    const bytes = readFileSync(SMALL);
    const c = await fileChecksums(SMALL);
    assert.equal(c.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.equal(c.contentSha256, sums['KDDTest-21.txt']);
    assert.equal(c.contentSha256, createHash('sha256').update(gunzipSync(bytes)).digest('hex'));
    // a plain file: its bytes are its content, one digest
    const plain = writeFixture(tempDir(), 'flows.csv', 'a,label\n1,normal\n');
    assert.deepEqual(await fileChecksums(plain), { sha256: createHash('sha256').update('a,label\n1,normal\n').digest('hex') });
    // recorded in the model for the training and the test files
    const r = await train({ data: SMALL, tests: [SMALL], model: 'iforest', cv: 0, learner: FAST, permutationRepeats: 0 });
    assert.deepEqual(r.body.provenance.data, { file: 'KDDTest-21.txt.gz', sha256: c.sha256, contentSha256: sums['KDDTest-21.txt'], rows: 11850 });
    assert.equal(r.body.provenance.tests[0]!.contentSha256, sums['KDDTest-21.txt']);
  });
});
