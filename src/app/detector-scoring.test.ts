import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { predictData } from './predict.js';
import { evaluateDataset } from './evaluate.js';
import { train } from './train.js';
import { loadData, loadDataset } from '../data/load.js';
import { collect, rejectsWith, tempDir, writeFixture } from '../data/testdata/files.js';
import type { NadirError } from '../errors.js';
import { saveModelFile } from '../model/artifact.js';
import { Detector } from '../model/detector.js';
import type { ModelBody } from '../model/types.js';
import type { ThresholdDecision } from '../model/decision.js';

const dir = tempDir('nadir-detector-');

/** 60 rows: attacks have large byte counts on udp. */
function flows(n = 60): string {
  const lines = ['dur,proto,bytes,label'];
  for (let i = 0; i < n; i++) {
    const attack = i % 3 === 0;
    lines.push(`${(i % 7) * 0.5},${attack ? 'udp' : i % 2 ? 'tcp' : 'icmp'},${attack ? 5000 + i : 100 + i},${attack ? 'neptune' : 'normal'}`);
  }
  return `${lines.join('\n')}\n`;
}

let detector: Detector;
let body: ModelBody;
before(async () => {
  const r = await train({ data: writeFixture(dir, 'train.csv', flows()), model: 'gbdt', cv: 0, learner: { nEstimators: 3 }, permutationRepeats: 0 });
  detector = r.detector;
  body = r.body;
});

function throwsNadir(fn: () => unknown, code: string, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.equal((e as NadirError).code, code);
    assert.equal((e as NadirError).message, message);
    return true;
  });
}

describe('Detector: errors about the scored file name it', () => {
  it('a missing input column (all of them listed), at predict and evaluate time', async () => {
    const path = writeFixture(dir, 'KDDTest.csv', 'dur,label\n1,normal\n2,neptune\n');
    const msg = `missing column 'proto' in ${path} (the model needs it; also missing: 'bytes'; fillMissing scores without the missing columns, as missing values)`;
    const data = await loadData(path);
    throwsNadir(() => predictData(detector, data), 'NADIR_ERR_MISSING_COLUMN', msg);
    const ds = await loadDataset(path);
    throwsNadir(() => evaluateDataset(detector, ds), 'NADIR_ERR_MISSING_COLUMN', msg);
  });

  it('a text value in a numeric input: the file and the row', async () => {
    const path = writeFixture(dir, 'flows.csv', 'dur,proto,bytes\n1,tcp,100\n2,udp,200\n3,tcp,lots\n4,tcp,7\n');
    const data = await loadData(path);
    throwsNadir(() => predictData(detector, data), 'NADIR_ERR_BAD_VALUE', `${path} row 3: column 'bytes' must be a number, got "lots"`);
    const labelled = writeFixture(dir, 'labelled.csv', 'dur,proto,bytes,label\n1,tcp,100,normal\n2,udp,200,normal\n3,tcp,lots,neptune\n');
    const ds = await loadDataset(labelled);
    throwsNadir(() => evaluateDataset(detector, ds), 'NADIR_ERR_BAD_VALUE', `${labelled} row 3: column 'bytes' must be a number, got "lots"`);
  });

  it('a row after a skipped (ragged) one is named by its record number in the input', async () => {
    const path = writeFixture(dir, 'ragged.csv', 'dur,proto,bytes\n1,tcp,100\n2,udp\n3,tcp,lots\n4,tcp,7\n');
    const data = await loadData(path, { role: 'score' });
    throwsNadir(() => predictData(detector, data), 'NADIR_ERR_BAD_VALUE', `${path} row 3: column 'bytes' must be a number, got "lots"`);
    throwsNadir(() => detector.score(data), 'NADIR_ERR_BAD_VALUE', `${path} row 3: column 'bytes' must be a number, got "lots"`);
  });

  it('a record with no value in any of the model\'s input columns is refused, naming its row (CSV) or line (JSON Lines)', async () => {
    const msg = "none of the model's input columns has a value (expected dur, proto, bytes)";
    const csv = writeFixture(dir, 'blank-row.csv', 'dur,proto,bytes,note\n1,tcp,100,a\n,,,b\n3,udp,7,c\n,,,\n');
    const rows = await loadData(csv, { role: 'score' });
    throwsNadir(() => predictData(detector, rows), 'NADIR_ERR_BAD_VALUE', `${csv} row 2: ${msg}; 2 records are like this`);
    const jsonl = writeFixture(dir, 'empty-record.jsonl', '{"dur":1,"proto":"tcp","bytes":100}\n\n{}\n{"note":"x"}\n');
    const data = await loadData(jsonl, { role: 'score' });
    throwsNadir(() => predictData(detector, data), 'NADIR_ERR_BAD_VALUE', `${jsonl} line 3: ${msg}; 2 records are like this`);
    throwsNadir(() => detector.score(data), 'NADIR_ERR_BAD_VALUE', `${jsonl} line 3: ${msg}; 2 records are like this`);
    // one value is enough to be scored
    const partial = writeFixture(dir, 'partial.jsonl', '{"dur":1,"proto":"tcp","bytes":100}\n{"proto":"udp","note":"x"}\n');
    assert.equal(predictData(detector, await loadData(partial, { role: 'score' })).nRows, 2);
  });

  it('a text value in a numeric input of a JSON Lines file is named by its line', async () => {
    const path = writeFixture(dir, 'text.jsonl', '{"dur":1,"proto":"tcp","bytes":100}\n\n{"dur":2,"proto":"tcp","bytes":"lots"}\n');
    const data = await loadData(path, { role: 'score' });
    throwsNadir(() => predictData(detector, data), 'NADIR_ERR_BAD_VALUE', `${path} line 3: column 'bytes' must be a number, got "lots"`);
  });

  it('unseen categories warn, naming the file', async () => {
    const path = writeFixture(dir, 'new.csv', 'dur,proto,bytes\n1,sctp,100\n2,tcp,200\n');
    const logger = collect();
    predictData(detector, await loadData(path), { logger });
    const w = logger.warnings.find((x) => x.code === 'unseen-category');
    assert.ok(w);
    assert.equal(w.message, `${path}: column 'proto': 1 value never seen in training (sctp) → '<unseen>'`);
    assert.equal(w.column, 'proto');
  });
});

describe('Detector: model structure errors name the model file', () => {
  const cases: Array<[string, (b: ModelBody) => void, RegExp]> = [
    ['a missing section', (b) => delete (b as Partial<ModelBody>).pipeline, /a required section \(classes, schema, pipeline, learner\) is missing\)$/],
    ['a bad preprocessing plan', (b) => ((b.pipeline.plans as unknown[])[0] = { name: 3 }), /\(preprocessing: bad column plan \{"name":3\}\)$/],
    ['an unknown learner', (b) => ((b.learner as { type: string }).type = 'svm'), /\(unknown learner type 'svm' \(known: .*\)\)$/],
    ['a damaged learner', (b) => ((b.learner as { fitted: unknown }).fitted = {}), /not a valid nadir model \(.+\)$/],
    ['an unknown task', (b) => ((b as { task: string }).task = 'weird'), /\(unknown task "weird" \(expected binary, category, label\)\)$/],
    ['a threshold out of range', (b) => ((b.decision as ThresholdDecision).threshold = 7), /\(decision threshold must be a number in \[0, 1\], got 7\)$/],
  ];
  for (const [what, damage, re] of cases) {
    it(what, async () => {
      const b = structuredClone(body);
      damage(b);
      const path = join(dir, `${what.replace(/\W+/g, '-')}.nadir`);
      await saveModelFile(path, b);
      const msg = await rejectsWith(Detector.load(path), 'NADIR_ERR_MODEL_CORRUPT', re);
      assert.ok(msg.startsWith(`${path}: not a valid nadir model (`), msg);
    });
  }
});
