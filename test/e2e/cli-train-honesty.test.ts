/**
 * `nadir train --json` says what its numbers are worth: whether the CV metrics were measured at a
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
