import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';

// The CLI's one-line errors and warnings for the cases the use cases (src/app, src/data, src/model) report.
const run = promisify(execFile);
const CLI = new URL('../../src/cli/main.js', import.meta.url).pathname;
const DATA = new URL('../../../data/nsl-kdd/', import.meta.url).pathname;
const SMALL = join(DATA, 'KDDTest-21.txt.gz');
const FAST = ['--cv', '0', '--trees', '5', '--permutation-repeats', '0'];
const dir = mkdtempSync(join(tmpdir(), 'nadir-app-errors-'));

const LINES = gunzipSync(readFileSync(SMALL)).toString('utf8').trim().split('\n');

/** A fixture CSV in the temp folder from lines of KDDTest-21 (headerless NSL-KDD). */
function fixture(name: string, lines: readonly string[]): string {
  const p = join(dir, name);
  writeFileSync(p, `${lines.join('\n')}\n`);
  return p;
}

async function nadir(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [CLI, ...args], { maxBuffer: 64 << 20 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

describe('train --model iforest --cv 0', () => {
  test('without --threshold: trains, with a warning naming the in-sample threshold', async () => {
    const r = await nadir('train', '--data', SMALL, '--model', 'iforest', ...FAST, '--out', join(dir, 'if.nadir'), '--json');
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { threshold: number; warnings: string[] };
    const w = doc.warnings.find((m) => m.startsWith('no --threshold and no cross-validation'));
    assert.ok(w, doc.warnings.join('\n'));
    assert.ok(w.includes(`threshold on its anomaly score is ${doc.threshold.toFixed(4)}, chosen in-sample`), w);
  });

  test('an explicit --threshold auto is still an error', async () => {
    const r = await nadir('train', '--data', SMALL, '--model', 'iforest', ...FAST, '--threshold', 'auto', '--out', join(dir, 'if2.nadir'));
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split('\n').at(-1), "nadir: invalid option --threshold: 'auto' is chosen from out-of-fold scores: it needs --cv 2 or more");
  });
});

describe('train on one class', () => {
  const normalLines = LINES.filter((l) => l.includes(',normal,'));
  const normal = fixture('normal-only.csv', normalLines);

  test('gbdt on normal rows only: one line naming the file, the class and what to do', async () => {
    const r = await nadir('train', '--data', normal, ...FAST, '--out', join(dir, 'one.nadir'));
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr.trim(),
      `nadir: ${normal}: training data has one class only ('normal', ${normalLines.length.toLocaleString('en-US')} rows): a supervised model needs both normal and attack rows; use --model iforest to learn from normal traffic only, or check --label / --normal`,
    );
  });

  test('iforest on normal rows only trains', async () => {
    const r = await nadir('train', '--data', normal, '--model', 'iforest', ...FAST, '--out', join(dir, 'normal-if.nadir'), '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).learner, 'iforest');
  });
});

describe('no label value counts as normal', () => {
  test('inspect lists it among the findings, naming the file and --normal', async () => {
    const csv = join(dir, 'custom.csv');
    writeFileSync(csv, 'bytes,proto,label\n1,tcp,benign-traffic\n2,udp,dos\n3,tcp,benign-traffic\n4,udp,scan\n');
    const r = await nadir('inspect', '--data', csv, '--json');
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { findings: Array<{ code: string; message: string }> };
    assert.equal(doc.findings.find((f) => f.code === 'no-normal-label')?.message, `no label value counts as normal in ${csv} (values: benign-traffic, dos, scan); pass --normal <value>`);
    const ok = await nadir('inspect', '--data', csv, '--normal', 'benign-traffic', '--json');
    assert.equal((JSON.parse(ok.stdout) as { classes: { binary: Record<string, number> } }).classes.binary.normal, 2);
  });
});
