/**
 * Model files written before the reshape (test/fixtures/models-v1, model format 1) still load and
 * score exactly as they did: the same labels, probabilities and explanations for every record, and
 * the same evaluation metrics. A migration on read that changes one number fails here.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { nadir } from './cli.js';

const DIR = new URL('../../../test/fixtures/models-v1/', import.meta.url).pathname;
const RECORDS = `${DIR}records.txt.gz`;
const MODELS = ['gbdt-binary', 'gbdt-category', 'rf-binary', 'logreg-binary', 'iforest-binary'];

const lines = (text: string): unknown[] => text.trim().split('\n').map((l) => JSON.parse(l) as unknown);

for (const m of MODELS) {
  test(`a format-1 model file (${m}) predicts and explains as it did when it was written`, async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'nadir-legacy-')), 'p.jsonl');
    const r = await nadir('predict', '--model', `${DIR}${m}.nadir`, '--data', RECORDS, '--explain', '--out', out);
    assert.equal(r.code, 0, r.stderr);
    const got = lines(readFileSync(out, 'utf8'));
    const want = lines(readFileSync(`${DIR}${m}.expected.jsonl`, 'utf8'));
    assert.equal(got.length, 301);
    assert.deepEqual(got, want);
  });

  test(`a format-1 model file (${m}) evaluates to the same metrics`, async () => {
    const r = await nadir('evaluate', '--model', `${DIR}${m}.nadir`, '--data', RECORDS, '--json');
    assert.equal(r.code, 0, r.stderr);
    const { warnings: _w, ...got } = JSON.parse(r.stdout) as Record<string, unknown>;
    const { warnings: _x, ...want } = JSON.parse(readFileSync(`${DIR}${m}.evaluate.json`, 'utf8')) as Record<string, unknown>;
    assert.deepEqual(got, want);
  });
}
