/**
 * The hybrid detector through the real CLI: train reports both thresholds and which part fired,
 * predict writes the part and both scores with explanations naming input values, evaluate --json
 * carries the thresholds and the counts by part, and evaluate --unknown prints its table.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { nadir } from './cli.js';

const DATA = new URL('../../../data/nsl-kdd/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'nadir-hybrid-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const lines = (file: string, a: number, b: number): string => `${gunzipSync(readFileSync(`${DATA}${file}`)).toString('utf8').trim().split('\n').slice(a, b).join('\n')}\n`;
const TRAIN = join(dir, 'train.csv');
const TEST = join(dir, 'test.csv');
const MODEL = join(dir, 'hybrid.nadir');

before(async () => {
  writeFileSync(TRAIN, lines('KDDTrain+_20Percent.txt.gz', 0, 1500));
  writeFileSync(TEST, lines('KDDTest+.txt.gz', 0, 300));
  const r = await nadir('train', '--data', TRAIN, '--test', TEST, '--model', 'hybrid', '--cv', '2', '--trees', '10', '--max-fpr', '0.05', '--anomaly-gate', '0.001', '--permutation-repeats', '0', '--out', MODEL, '--json');
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { thresholds: { anomaly: { threshold: number; maxFpr: number; gate: number } }; test: Record<string, { hybrid: { byClass: Record<string, unknown> }; balancedAccuracy: number; detectionRate: number; unseenDetection: { rows: number } }> };
  assert.equal(doc.thresholds.anomaly.maxFpr, 0.05);
  assert.equal(doc.thresholds.anomaly.gate, 0.001, '--anomaly-gate reaches the model and is shown with the thresholds');
  const t = Object.values(doc.test)[0]!;
  assert.ok(t.hybrid.byClass.attack && t.hybrid.byClass.normal);
  assert.ok(Number.isFinite(t.balancedAccuracy) && Number.isFinite(t.detectionRate));
  assert.ok(t.unseenDetection.rows > 0, 'KDDTest+ rows hold attack labels absent from the training rows');
});

test('predict: the part that fired, both scores, and explanations of both parts naming the input values', async () => {
  const r = await nadir('predict', '--model', MODEL, '--data', TEST, '--explain', '--top', '2');
  assert.equal(r.code, 0, r.stderr);
  const [head, ...rows] = r.stdout.trim().split('\n');
  assert.equal(head, 'row,label,class,probability,part,supervised_probability,anomaly_score,explanation,anomaly_explanation');
  assert.equal(rows.length, 300);
  for (const row of rows) {
    assert.match(row, /,(known-attack|anomaly|both|none),/);
    assert.equal(/,none,/.test(row), row.split(',')[1] === 'Normal');
    assert.match(row, /[a-z_]+=[^:]*:[+-]\d/, 'column=input:±contribution');
  }
});

test('evaluate --json carries both thresholds and the counts by part; --unknown prints its table and JSON', async () => {
  const j = await nadir('evaluate', '--model', MODEL, '--data', TEST, '--json');
  assert.equal(j.code, 0, j.stderr);
  const doc = JSON.parse(j.stdout) as { thresholds: { supervised: { threshold: number } }; hybrid: { byClass: Record<string, { knownAttack: number; anomaly: number; both: number; neither: number }> }; n: number };
  assert.equal(doc.thresholds.supervised.threshold, 0.5);
  const total = Object.values(doc.hybrid.byClass).reduce((s, c) => s + c.knownAttack + c.anomaly + c.both + c.neither, 0);
  assert.equal(total, doc.n);
  const u = await nadir('evaluate', '--unknown', 'Probe', '--data', TRAIN, '--test', TEST, '--json');
  assert.equal(u.code, 0, u.stderr);
  const ud = JSON.parse(u.stdout) as { models: string[]; rows: Array<{ removed: string[]; models: Record<string, { detection: number; fpr: number }> }> };
  assert.deepEqual(ud.models, ['gbdt', 'hybrid']);
  assert.deepEqual(ud.rows[0]!.removed, ['Probe']);
  assert.ok(ud.rows[0]!.models.hybrid!.detection >= 0);
  const bad = await nadir('evaluate', '--unknown', 'Probe', '--model', MODEL, '--data', TRAIN);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^nadir: .*--model.*does not go with --unknown/);
});

test('--profile-scale local reaches the model and is shown with the thresholds; a value it does not know names the flag', async () => {
  const r = await nadir('train', '--data', TRAIN, '--model', 'hybrid', '--cv', '2', '--trees', '10', '--profile-scale', 'local', '--permutation-repeats', '0', '--json');
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { thresholds: { anomaly: { profileScale: string } } };
  assert.equal(doc.thresholds.anomaly.profileScale, 'local');
  const text = await nadir('train', '--data', TRAIN, '--model', 'hybrid', '--cv', '0', '--trees', '5', '--profile-scale', 'local', '--permutation-repeats', '0');
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout + text.stderr, /over\s+its\s+local\s+spacing\s+\(--profile-scale\s+local\)/);
  const bad = await nadir('train', '--data', TRAIN, '--model', 'hybrid', '--profile-scale', 'global');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^nadir: .*--profile-scale/);
});
