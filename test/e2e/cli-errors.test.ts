/**
 * The CLI's error contract through the real entry point (dist/src/cli/main.js in a child
 * process): every usage error and every bad option is one line `nadir: …` on stderr with
 * exit code 2, naming the flag as the user typed it; --help and --version exit 0.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { nadir } from './cli.js';

const DATA = new URL('../../../data/nsl-kdd/', import.meta.url).pathname;
const SMALL = join(DATA, 'KDDTest-21.txt.gz');
const dir = mkdtempSync(join(tmpdir(), 'nadir-errors-'));
after(() => rmSync(dir, { recursive: true, force: true }));


/** Exit code 2 and exactly this one line on stderr (nothing on stdout). */
async function usageError(args: string[], line: string | RegExp): Promise<void> {
  const r = await nadir(...args);
  const what = `nadir ${args.join(' ')}`;
  assert.equal(r.code, 2, `${what}: exit code (stderr: ${r.stderr})`);
  assert.equal(r.stdout, '', `${what}: nothing on stdout`);
  assert.equal(r.stderr.split('\n').length, 2, `${what}: one line on stderr, got ${JSON.stringify(r.stderr)}`);
  if (typeof line === 'string') assert.equal(r.stderr, `${line}\n`, what);
  else assert.match(r.stderr, line, what);
}

describe('usage errors: one line, exit 2', () => {
  test('unknown command', async () => {
    await usageError(['watch'], "nadir: unknown command 'watch' (commands: inspect, eda, train, evaluate, predict, serve, flows, monitor)");
    await usageError(['trian'], "nadir: unknown command 'trian', did you mean 'train'? (commands: inspect, eda, train, evaluate, predict, serve, flows, monitor)");
    await usageError(['help', 'watch'], "nadir: unknown command 'watch' (commands: inspect, eda, train, evaluate, predict, serve, flows, monitor)");
  });

  test('unknown option, at the top level and in a command (a typo beats the missing required option)', async () => {
    await usageError(['--bogus'], "nadir: unknown option '--bogus' (see nadir --help)");
    await usageError(['train', '--bogus'], "nadir: unknown option '--bogus' (see nadir train --help)");
    await usageError(['train', '--dat', SMALL], "nadir: unknown option '--dat' (did you mean --data?) (see nadir train --help)");
    await usageError(['inspect', '--data', SMALL, '--cv', '3'], "nadir: unknown option '--cv' (see nadir inspect --help)");
  });

  test('missing required option, missing value, stray argument', async () => {
    await usageError(['eda'], 'nadir: missing required option --data <file> (see nadir eda --help)');
    await usageError(['predict', '--model', 'm.nadir'], 'nadir: missing required option --data <file> (see nadir predict --help)');
    await usageError(['inspect', '--data'], 'nadir: option --data <file> needs a value (see nadir inspect --help)');
    await usageError(['evaluate', '--model', 'm.nadir', '--data', SMALL, 'extra'], "nadir: unexpected argument 'extra' (options are written --name value) (see nadir evaluate --help)");
  });

  test('--help and --version exit 0 on stdout', async () => {
    for (const args of [['--help'], ['train', '--help'], ['help', 'predict'], ['--version']]) {
      const r = await nadir(...args);
      assert.equal(r.code, 0, args.join(' '));
      assert.equal(r.stderr, '', args.join(' '));
      assert.ok(r.stdout.length > 0, args.join(' '));
    }
  });
});

test('train --help says what happens without --threshold and the defaults per model', async () => {
  const r = await nadir('train', '--help');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /not given\s+gbdt, rf, logreg: 0\.5 — Attack when P\(attack\) ≥ 0\.5\./);
  assert.match(r.stdout, /iforest: auto \(its anomaly score is not a probability\); with --cv 0\s+there are no out-of-fold scores, so it is chosen the same way on the\s+training rows' own scores/);
  assert.match(r.stdout, /--trees <n>\s+trees \/ boosting rounds \(default: gbdt 200, rf\s+100,\s+iforest 100, hybrid its part’s\)/);
  // generated from the learner specs; the isolation forest takes --max-features (its fraction of features per tree); the hybrid hands them to its supervised part
  assert.match(r.stdout, /\n {2}gbdt {5}200 {9}6 \(max 64\) {11}0\.1\n {2}rf {7}100 {9}unlimited {24}sqrt\n {2}logreg {64}1\n {2}iforest {2}100 {42}1\n {2}hybrid {3}its part’s {2}its part’s \(max 64\) {2}its part’s {2}its part’s {6}its part’s {2}gbdt {10}1 \(max 100\) {2}0\.01 {12}none\n/);
});

describe('output paths are checked before any work', () => {
  test('an existing directory, a missing folder, a file as folder, a device, an output twice or over an input', async () => {
    const missing = join(dir, 'nope');
    await usageError(['train', '--data', SMALL, '--out', dir], `nadir: cannot write --out ${dir}: it is a directory`);
    await usageError(['train', '--data', SMALL, '--out', join(dir, 'm.nadir'), '--report', join(missing, 'r.html')], `nadir: cannot write --report ${join(missing, 'r.html')}: folder ${missing} does not exist`);
    await usageError(['train', '--data', SMALL, '--out', join(SMALL, 'm.nadir')], `nadir: cannot write --out ${join(SMALL, 'm.nadir')}: ${SMALL} is not a folder`);
    await usageError(['train', '--data', SMALL, '--out', join(dir, 'same'), '--report', join(dir, 'same')], `nadir: cannot write --report ${join(dir, 'same')}: it is also the --out file`);
    await usageError(['train', '--data', SMALL, '--out', SMALL], `nadir: cannot write --out ${SMALL}: it is also the --data file`);
    await usageError(['eda', '--data', SMALL, '--out', dir], `nadir: cannot write --out ${dir}: it is a directory`);
    await usageError(['eda', '--data', SMALL, '--out', '/dev/null'], 'nadir: cannot write --out /dev/null: it is not a regular file');
    await usageError(['eda', '--data', SMALL, '--out', `${missing}/`], `nadir: cannot write --out ${missing}/: it names a folder, not a file`);
    // the model file is never opened: the output check comes first
    await usageError(['evaluate', '--model', join(dir, 'none.nadir'), '--data', SMALL, '--report', dir], `nadir: cannot write --report ${dir}: it is a directory`);
    await usageError(['predict', '--model', join(dir, 'none.nadir'), '--data', SMALL, '--out', join(missing, 'p.csv')], `nadir: cannot write --out ${join(missing, 'p.csv')}: folder ${missing} does not exist`);
    assert.deepEqual(readdirSync(dir), [], 'nothing written, no temp files');
  });
});

describe('option values are checked before any work and named by their flag', () => {
  test('--cv 1 is refused (it used to act like no cross-validation)', async () => {
    await usageError(['train', '--data', SMALL, '--cv', '1'], "nadir: invalid option --cv: expected 0 (no cross-validation) or a whole number of folds from 2 to 50, got '1'");
  });

  test('learner options use the flag names, never the library option names', async () => {
    const out = join(dir, 'never.nadir');
    const cases: Array<[string[], string]> = [
      [['--lr', 'abc'], "invalid option --lr: expected a number > 0 (typically 0.01 to 0.3), got 'abc'"],
      [['--lr', '0'], "invalid option --lr: expected a number > 0 (typically 0.01 to 0.3), got '0'"],
      [['--model', 'rf', '--max-features', 'abc'], "invalid option --max-features: expected 'sqrt', 'log2', a fraction in (0, 1) or a whole number of features ≥ 1, got 'abc'"],
      [['--model', 'logreg', '--c', '0'], "invalid option --c: expected a number > 0 (smaller = stronger regularisation), got '0'"],
      [['--trees', '0'], "invalid option --trees: expected a whole number ≥ 1, got '0'"],
      [['--depth', '100'], "invalid option --depth: expected a whole number from 1 to 64, got '100'"],
      [['--threads', '0'], "invalid option --threads: expected a whole number from 1 to 256, got '0'"],
      [['--seed', '-1'], "invalid option --seed: expected a whole number from 0 to 4294967295, got '-1'"],
      [['--permutation-repeats', '1.5'], "invalid option --permutation-repeats: expected a whole number ≥ 0, got '1.5'"],
      [['--max-fpr', '2'], "invalid option --max-fpr: expected a number from 0 to 1, got '2'"],
      [['--threshold', 'high'], "invalid option --threshold: expected a probability from 0 to 1, 'auto' or 'f1', got 'high'"],
      [['--threshold', 'auto', '--cv', '0'], "invalid option --threshold: 'auto' is chosen from out-of-fold scores: it needs --cv 2 or more"],
      [['--model', 'rf', '--lr', '0.1'], 'invalid option --lr: does not apply to --model rf'],
    ];
    for (const [args, msg] of cases) await usageError(['train', '--data', SMALL, '--out', out, ...args], `nadir: ${msg}`);
    await usageError(['predict', '--model', out, '--data', SMALL, '--top', '0'], "nadir: invalid option --top: expected a whole number ≥ 1, got '0'");
    assert.deepEqual(readdirSync(dir), [], 'nothing written');
  });
});
