/**
 * `nadir predict` output through the real CLI: --json (predictions, or a summary with --out),
 * the meaning of the columns in --help, and a reader that stops early.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CLI = new URL('../../src/cli/main.js', import.meta.url).pathname;
const SMALL = new URL('../../../data/nsl-kdd/KDDTest-21.txt.gz', import.meta.url).pathname;
const ROWS = 11850;
const dir = mkdtempSync(join(tmpdir(), 'nadir-predict-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function nadir(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [CLI, ...args], { maxBuffer: 256 << 20 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

interface Prediction {
  row: number;
  label: string;
  class: string;
  probability: number;
  explanation?: Array<{ feature: string; value: number }>;
}

const binary = join(dir, 'binary.nadir');
const category = join(dir, 'category.nadir');
before(async () => {
  const common = ['--data', SMALL, '--cv', '0', '--trees', '5', '--permutation-repeats', '0', '--json'];
  for (const [out, target] of [[binary, 'binary'], [category, 'category']] as const) {
    const r = await nadir('train', ...common, '--target', target, '--out', out);
    assert.equal(r.code, 0, r.stderr);
  }
});

describe('nadir predict --json', () => {
  test('binary model: one document with every prediction; label follows probability ≥ threshold', async () => {
    const r = await nadir('predict', '--model', binary, '--data', SMALL, '--json', '--explain', '--top', '2');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '', 'warnings are in the document, not on stderr');
    const doc = JSON.parse(r.stdout) as { model: string; classes: string[]; threshold: number; rows: number; predictions: Prediction[]; warnings: string[] };
    assert.deepEqual(Object.keys(doc), ['model', 'classes', 'threshold', 'rows', 'predictions', 'warnings']);
    assert.equal(doc.model, binary);
    assert.deepEqual(doc.classes, ['normal', 'attack']);
    assert.equal(doc.threshold, 0.5);
    assert.equal(doc.rows, ROWS);
    assert.equal(doc.predictions.length, ROWS);
    assert.deepEqual(doc.warnings, []);
    doc.predictions.forEach((p, i) => {
      assert.equal(p.row, i + 1);
      assert.equal(p.label, p.probability >= doc.threshold ? 'Attack' : 'Normal');
      assert.equal(p.class, p.label.toLowerCase());
      assert.ok(p.explanation && p.explanation.length <= 2 && p.explanation.every((c) => typeof c.feature === 'string' && Number.isFinite(c.value)));
    });
    // the same predictions as the CSV
    const csv = await nadir('predict', '--model', binary, '--data', SMALL);
    const lines = csv.stdout.trim().split('\n').slice(1);
    assert.equal(lines.length, ROWS);
    assert.equal(lines[0], `1,${doc.predictions[0]!.label},${doc.predictions[0]!.class},${doc.predictions[0]!.probability.toFixed(6)}`);
  });

  test('multi-class model: label is the class, probability is that of the predicted class, no threshold', async () => {
    const r = await nadir('predict', '--model', category, '--data', SMALL, '--json');
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { classes: string[]; threshold: null; predictions: Prediction[] };
    assert.deepEqual(doc.classes, ['normal', 'DoS', 'Probe', 'R2L', 'U2R']);
    assert.equal(doc.threshold, null);
    for (const p of doc.predictions) {
      assert.equal(p.label, p.class);
      assert.ok(doc.classes.includes(p.class));
      assert.ok(p.probability >= 1 / doc.classes.length - 1e-9 && p.probability <= 1, `the predicted class is the most probable: ${p.probability}`);
      assert.equal('explanation' in p, false);
    }
  });

  test('with --out: the predictions go to the file and --json prints a summary', async () => {
    const out = join(dir, 'preds.jsonl');
    const r = await nadir('predict', '--model', binary, '--data', SMALL, '--out', out, '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const doc = JSON.parse(r.stdout) as { rows: number; out: string; format: string; labels: Record<string, number>; warnings: string[] };
    assert.equal(doc.out, out);
    assert.equal(doc.format, 'jsonl');
    assert.equal(doc.rows, ROWS);
    assert.equal('predictions' in doc, false);
    const written = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Prediction);
    assert.equal(written.length, ROWS);
    assert.deepEqual(doc.labels, { Normal: written.filter((p) => p.label === 'Normal').length, Attack: written.filter((p) => p.label === 'Attack').length });
  });
});

test('nadir predict --help says what the columns mean', async () => {
  const r = await nadir('predict', '--help');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /--json\s+print one JSON document/);
  assert.match(r.stdout, /label\s+binary models: Normal or Attack; category\/label models: the\s+predicted class/);
  assert.match(r.stdout, /probability\s+binary models: P\(attack\)/);
  assert.match(r.stdout, /category\/label models: the probability of the predicted class/);
  assert.match(r.stdout, /log-odds\s+for gbdt and logreg, probability for rf; positive pushes towards\s+attack/);
});

test('a reader that stops early (| head) ends predict quietly with exit 0', async () => {
  const p = spawn(process.execPath, [CLI, 'predict', '--model', binary, '--data', SMALL]);
  let stderr = '';
  p.stderr.on('data', (d) => (stderr += d));
  p.stdout.once('data', () => p.stdout.destroy());
  const code = await new Promise<number | null>((resolve) => p.on('close', resolve));
  assert.equal(stderr, '');
  assert.equal(code, 0);
});

test('records whose label cell is empty are scored too: one prediction per input row, in order', async () => {
  // the first rows of KDDTest-21 with the label of the second one blanked: the label column is
  // not needed to score, so nothing may be dropped (row numbers must match the input)
  const lines = gunzipSync(readFileSync(SMALL)).toString('utf8').split('\n').slice(0, 4);
  const cells = lines[1]!.split(',');
  cells[cells.length - 2] = '';
  lines[1] = cells.join(',');
  const file = join(dir, 'unlabelled.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const r = await nadir('predict', '--model', binary, '--data', file, '--json');
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { rows: number; predictions: Prediction[]; warnings: string[] };
  assert.equal(doc.rows, 4);
  assert.deepEqual(doc.predictions.map((p) => p.row), [1, 2, 3, 4]);
  assert.equal(doc.warnings.some((w) => /no label/.test(w)), false, doc.warnings.join('\n'));
});

test('a ragged row (wrong number of fields) is skipped with a warning; every other prediction keeps its record number', async () => {
  // records 1–5 of KDDTest-21, the third cut short: the predictions are for records 1, 2, 4 and 5
  const lines = gunzipSync(readFileSync(SMALL)).toString('utf8').split('\n').slice(0, 5);
  lines[2] = lines[2]!.split(',').slice(0, 20).join(',');
  const file = join(dir, 'ragged.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const expected = [1, 2, 4, 5];

  const csv = await nadir('predict', '--model', binary, '--data', file);
  assert.equal(csv.code, 0, csv.stderr);
  assert.match(csv.stderr, /1 row skipped: wrong number of fields \(expected 43\); first at line 3/);
  assert.deepEqual(csv.stdout.trim().split('\n').slice(1).map((l) => Number(l.split(',')[0])), expected);

  const json = await nadir('predict', '--model', binary, '--data', file, '--json');
  assert.equal(json.code, 0, json.stderr);
  const doc = JSON.parse(json.stdout) as { rows: number; predictions: Prediction[]; warnings: string[] };
  assert.equal(doc.rows, 4);
  assert.deepEqual(doc.predictions.map((p) => p.row), expected);
  assert.ok(doc.warnings.some((w) => /1 row skipped/.test(w)), doc.warnings.join('\n'));

  const out = join(dir, 'ragged-preds.jsonl');
  const jsonl = await nadir('predict', '--model', binary, '--data', file, '--out', out);
  assert.equal(jsonl.code, 0, jsonl.stderr);
  assert.deepEqual(readFileSync(out, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as Prediction).row), expected);
  // the same predictions as for the intact records, row for row
  const intact = JSON.parse((await nadir('predict', '--model', binary, '--data', SMALL, '--json')).stdout) as { predictions: Prediction[] };
  assert.deepEqual(doc.predictions, expected.map((r) => intact.predictions[r - 1]));
});
