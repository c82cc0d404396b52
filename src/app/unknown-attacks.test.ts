import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { loadDataset } from '../data/load.js';
import { tempDir, writeFixture } from '../data/testdata/files.js';
import { evaluateDataset } from './evaluate.js';
import { train } from './train.js';
import { unknownAttacks } from './unknown-attacks.js';

const DATA = new URL('../../../data/nsl-kdd/', import.meta.url).pathname;
const dir = tempDir('nadir-unknown-');
const lines = (file: string, a: number, b: number): string => `${gunzipSync(readFileSync(`${DATA}${file}`)).toString('utf8').trim().split('\n').slice(a, b).join('\n')}\n`;
const TRAIN = writeFixture(dir, 'train.csv', lines('KDDTrain+_20Percent.txt.gz', 0, 1200));
const TEST = writeFixture(dir, 'test.csv', lines('KDDTest+.txt.gz', 0, 600));

test('unknown attacks: the named category is removed from training only, and its test rows are measured as a model trained without it sees them', async () => {
  const r = await unknownAttacks({ data: TRAIN, test: TEST, unknown: ['Probe'], models: ['gbdt'] });
  const train0 = await loadDataset(TRAIN);
  const test0 = await loadDataset(TEST);
  const count = (ds: typeof train0, cat: string): number => ds.categories.codes.filter((c) => ds.categories.dictionary[c] === cat).length;
  assert.equal(r.rows.length, 1);
  const row = r.rows[0]!;
  assert.deepEqual(row.removed, ['Probe']);
  assert.equal(row.trainRowsRemoved, count(train0, 'Probe'));
  assert.equal(row.testRows, count(test0, 'Probe'));
  // by hand: train gbdt on the rows that are not Probe, flag the Probe rows of the test file
  const keep = [...train0.categories.codes.keys()].filter((i) => train0.categories.dictionary[train0.categories.codes[i]!] !== 'Probe');
  const { takeRows, takeColumn } = await import('../data/load.js');
  const rows = Uint32Array.from(keep);
  const reduced = { ...train0, features: takeRows(train0.features, rows), labels: takeColumn(train0.labels, rows) as typeof train0.labels, categories: takeColumn(train0.categories, rows) as typeof train0.categories };
  const t = await train({ data: reduced, model: 'gbdt', cv: 0, permutationRepeats: 0 });
  const ev = evaluateDataset(t.detector, test0);
  let det = 0;
  for (let i = 0; i < ev.y.length; i++) if (test0.categories.dictionary[test0.categories.codes[i]!] === 'Probe' && ev.proba[2 * i + 1]! >= 0.5) det++;
  assert.equal(row.models.gbdt!.detected, det);
  assert.equal(row.models.gbdt!.detection, det / row.testRows);
});

test("unknown attacks: 'each' holds out every attack category of the training data in turn; an unknown name is refused", async () => {
  const stages: string[] = [];
  const r = await unknownAttacks({ data: TRAIN, test: TEST, unknown: 'each', models: ['gbdt'], onProgress: (s) => stages.push(s) });
  assert.deepEqual(r.rows.map((x) => x.removed[0]).sort(), ['DoS', 'Probe', 'R2L', 'U2R'].filter((c) => r.rows.some((x) => x.removed[0] === c)));
  assert.ok(r.rows.length >= 3);
  assert.ok(stages.some((s) => s.includes('without DoS')));
  for (const x of r.rows) {
    const m = x.models.gbdt!;
    assert.ok(m.fpr !== null && m.fpr >= 0 && m.fpr <= 1);
  }
  await assert.rejects(unknownAttacks({ data: TRAIN, test: TEST, unknown: ['NoSuchAttack'] }), /neither an attack category/);
  await assert.rejects(unknownAttacks({ data: TRAIN, test: TEST, unknown: ['normal'] }), /normal traffic/);
});
