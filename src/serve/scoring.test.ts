import assert from 'node:assert/strict';
import { test } from 'node:test';
import { predict } from '../app/predict.js';
import { predictionRecords } from '../app/prediction-records.js';
import { isFailure, scoreRecords, type ScoredRecord } from './scoring.js';
import { ServedModel } from './served-model.js';
import { fixtureDetector, recordsOf, RECORDS_FILE } from './testdata/fixtures.js';
import { DEFAULT_LIMITS } from './types.js';

test('records scored through the typed path equal nadir predict on the same file (every fixture model, with explanations)', async () => {
  for (const id of ['gbdt-binary', 'gbdt-category', 'rf-binary', 'logreg-binary', 'iforest-binary'] as const) {
    const d = await fixtureDetector(id);
    const model = new ServedModel({ id, detector: d }, true, DEFAULT_LIMITS);
    const { records } = await recordsOf(d, RECORDS_FILE);
    const expected = predictionRecords(d, await predict(d, RECORDS_FILE, { explain: true, top: 4 }));
    const got = scoreRecords(model, records, null, { explain: true, top: 4 }) as ScoredRecord[];
    got.forEach((g, i) => {
      const { row: _row, ...e } = expected[i]!;
      assert.deepEqual({ ...g, threshold: undefined }, { ...e, threshold: undefined }, `${id} record ${i}`);
      assert.equal(g.threshold, d.isBinary ? d.threshold : null);
    });
  }
});

test('rows pick the records; one row alone scores as in a batch', async () => {
  const d = await fixtureDetector('gbdt-binary');
  const model = new ServedModel({ id: 'm', detector: d }, true, DEFAULT_LIMITS);
  const { records } = await recordsOf(d, RECORDS_FILE);
  const all = scoreRecords(model, records, null, { explain: false, top: 5 });
  const some = scoreRecords(model, records, [7, 3], { explain: false, top: 5 });
  assert.deepEqual(some, [all[7], all[3]]);
});

test('a batch that fails as a whole is scored record by record: the bad one named, the others scored', async () => {
  const d = await fixtureDetector('gbdt-binary');
  const model = new ServedModel({ id: 'm', detector: d }, true, DEFAULT_LIMITS);
  const { records } = await recordsOf(d, RECORDS_FILE);
  // not caught by the schema (scoreRecords trusts its caller): a text in a numeric field fails the typed table
  const batch = [records[0], { ...records[1], src_bytes: 'oops' }, records[2]];
  const out = scoreRecords(model, batch, null, { explain: false, top: 5 });
  assert.equal(isFailure(out[0]!), false);
  assert.equal(isFailure(out[2]!), false);
  assert.ok(isFailure(out[1]!));
  assert.match((out[1] as { message: string }).message, /record 1: field 'src_bytes' must be a number or null/);
});

test('unseen categories: a warning per record and field, the record scored as the unseen category', async () => {
  const d = await fixtureDetector('gbdt-binary');
  const model = new ServedModel({ id: 'm', detector: d }, true, DEFAULT_LIMITS);
  const { records } = await recordsOf(d, RECORDS_FILE);
  const out = scoreRecords(model, [{ ...records[0], service: 'new1', flag: 'X' }, records[1], { ...records[2], service: ' http ' }], null, { explain: false, top: 5 }) as ScoredRecord[];
  assert.deepEqual(out[0]!.warnings!.map((w) => w.field), ['service', 'flag']);
  assert.equal(out[1]!.warnings, undefined);
  assert.equal(out[2]!.warnings, undefined, "' http ' is read as the loaders read it: trimmed");
});
