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
    const got = lines(readFileSync(out, 'utf8')) as Array<Record<string, unknown>>;
    const want = lines(readFileSync(`${DIR}${m}.expected.jsonl`, 'utf8')) as Array<Record<string, unknown>>;
    assert.equal(got.length, 301);
    // since issue 12 an explanation item also names the record's input value, and isolation forests
    // are explained (TreeSHAP of the path length): what was there before is unchanged
    const asBefore = (g: Record<string, unknown>, w: Record<string, unknown>): Record<string, unknown> => {
      const { explanation, ...rest } = g;
      if (!('explanation' in w)) return rest;
      return { ...rest, explanation: (explanation as Array<Record<string, unknown>>).map(({ input: _i, ...c }) => c) };
    };
    assert.deepEqual(got.map((g, i) => asBefore(g, want[i]!)), want);
    for (const g of got) for (const c of (g.explanation ?? []) as Array<Record<string, unknown>>) assert.ok('input' in c);
  });

  test(`a format-1 model file (${m}) evaluates to the same metrics`, async () => {
    const r = await nadir('evaluate', '--model', `${DIR}${m}.nadir`, '--data', RECORDS, '--json');
    assert.equal(r.code, 0, r.stderr);
    // detectionRate and balancedAccuracy were added by issue 12 (derived from tpr and fpr)
    const { warnings: _w, detectionRate: _d, balancedAccuracy: _b, ...got } = JSON.parse(r.stdout) as Record<string, unknown>;
    const { warnings: _x, ...want } = JSON.parse(readFileSync(`${DIR}${m}.evaluate.json`, 'utf8')) as Record<string, unknown>;
    assert.deepEqual(got, want);
  });
}
