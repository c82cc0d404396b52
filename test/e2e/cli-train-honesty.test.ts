/**
 * `nadir train --json` says what its numbers are worth: the rows each test set leaves out and the
 * labels it holds that training never showed, and whether the CV metrics were measured at a
 * threshold tuned on those same out-of-fold scores.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { nadir } from './cli.js';

const DATA = new URL('../../../data/nsl-kdd/', import.meta.url).pathname;
const TRAIN = join(DATA, 'KDDTrain+_20Percent.txt.gz');
const TEST = join(DATA, 'KDDTest+.txt.gz');
const dir = mkdtempSync(join(tmpdir(), 'nadir-train-honesty-'));

/** The first `n` records of a bundled NSL-KDD file, as a small file of the same format. */
function subset(file: string, n: number, name: string): string {
  const lines = gunzipSync(readFileSync(join(DATA, file))).toString('utf8').trim().split('\n');
  const path = join(dir, name);
  writeFileSync(path, `${lines.slice(0, n).join('\n')}\n`);
  return path;
}

/** `nadir train … --json`, parsed (as the other end-to-end tests read it: untyped). */
async function trainJson(...args: string[]) {
  const r = await nadir('train', '--permutation-repeats', '0', '--json', ...args);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe('train --json: each test file says what it left out and what training never showed', () => {
  test('--target label, KDDTrain+_20Percent → KDDTest+: 18 attack labels never in training (perl among them), their 3,752 rows skipped', async () => {
    const doc = await trainJson('--data', TRAIN, '--test', TEST, '--target', 'label', '--cv', '0', '--trees', '3', '--out', join(dir, 'label.nadir'));
    const t = doc.test[TEST];
    // measured on the bundled files: KDDTest+ holds 18 attack labels that the 20% training file
    // lacks (the full KDDTrain+ lacks 17: it has perl), 3,752 rows in all
    assert.deepEqual(Object.keys(t.unseenLabels).sort(), [
      'apache2', 'httptunnel', 'mailbomb', 'mscan', 'named', 'perl', 'processtable', 'ps', 'saint',
      'sendmail', 'snmpgetattack', 'snmpguess', 'sqlattack', 'udpstorm', 'worm', 'xlock', 'xsnoop', 'xterm',
    ]);
    assert.equal(t.unseenLabels.perl, 2);
    assert.equal(t.unseenLabels.mscan, 996);
    const unseenRows = Object.values(t.unseenLabels as Record<string, number>).reduce((a, b) => a + b, 0);
    assert.equal(unseenRows, 3752);
    // with the raw label as the class, exactly those rows have a class the model cannot know
    assert.equal(t.skipped, 3752);
    assert.equal(t.n, 22544 - 3752);
    assert.equal(t.confusionMatrix.flat().reduce((a: number, b: number) => a + b, 0), 22544 - 3752);
    assert.ok(doc.warnings.some((w: string) => w.includes('3752 rows have label class the model was not trained on')), doc.warnings.join('\n'));
  });

  test('--target category: the rows of a category absent from training are skipped and counted; binary skips none', async () => {
    // the first 3,000 training rows hold no U2R attack
    const train = subset('KDDTrain+_20Percent.txt.gz', 3000, 'train-3000.csv');
    const test21 = subset('KDDTest-21.txt.gz', 1500, 'test21-1500.csv');
    const cat = await trainJson('--data', train, '--test', test21, '--target', 'category', '--cv', '0', '--trees', '3', '--out', join(dir, 'category.nadir'));
    assert.deepEqual(cat.classes, ['normal', 'DoS', 'Probe', 'R2L']);
    const t = cat.test[test21];
    assert.ok(t.skipped > 0);
    assert.equal(t.n + t.skipped, 1500);
    assert.ok(cat.warnings.some((w: string) => w.endsWith(`${t.skipped} rows have category class the model was not trained on; left out of the metrics`)), cat.warnings.join('\n'));
    const bin = await trainJson('--data', train, '--test', test21, '--cv', '0', '--trees', '3', '--out', join(dir, 'binary.nadir'));
    const b = bin.test[test21];
    assert.equal(b.skipped, 0);
    assert.equal(b.n, 1500);
    // the labels training never showed are counted whatever the target
    assert.deepEqual(b.unseenLabels, t.unseenLabels);
    assert.ok(Object.keys(b.unseenLabels).length > 0 && Object.values(b.unseenLabels).every((n) => Number.isInteger(n) && (n as number) > 0), JSON.stringify(b.unseenLabels));
    assert.ok(!('normal' in b.unseenLabels));
  });
});

describe('train --json: CV metrics at a threshold chosen on the same out-of-fold scores are labelled optimistic', () => {
  const train = subset('KDDTrain+_20Percent.txt.gz', 2000, 'train-2000.csv');
  for (const threshold of ['auto', 'f1']) {
    test(`--threshold ${threshold}: cv.thresholdChosenOnTheseScores is true, with a note`, async () => {
      const doc = await trainJson('--data', train, '--cv', '3', '--trees', '5', '--threshold', threshold, '--out', join(dir, `${threshold}.nadir`));
      assert.equal(doc.cv.thresholdChosenOnTheseScores, true);
      assert.match(doc.cv.note, /^the decision threshold was chosen on these same out-of-fold scores, so the metrics at it \(accuracy, precision, recall, f1, fpr, confusionMatrix\) are optimistic by construction; rocAuc and logLoss do not depend on it/);
    });
  }

  test('the isolation forest’s default threshold (auto on out-of-fold scores) is labelled too', async () => {
    const doc = await trainJson('--data', train, '--model', 'iforest', '--cv', '2', '--trees', '5', '--out', join(dir, 'if.nadir'));
    assert.equal(doc.cv.thresholdChosenOnTheseScores, true);
    assert.equal(typeof doc.cv.note, 'string');
  });

  test('a fixed threshold, and a multi-class model, are not tuned on the scores: false, no note', async () => {
    for (const args of [['--threshold', '0.5'], [], ['--target', 'category']]) {
      const doc = await trainJson('--data', train, '--cv', '3', '--trees', '5', ...args, '--out', join(dir, 'fixed.nadir'));
      assert.equal(doc.cv.thresholdChosenOnTheseScores, false, args.join(' '));
      assert.ok(!('note' in doc.cv), args.join(' '));
    }
  });
});
