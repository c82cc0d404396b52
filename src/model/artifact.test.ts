import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { readJsonl } from '../data/jsonl.js';
import { loadData } from '../data/load.js';
import { isModelFile, readStream } from '../data/source.js';
import { chunksOf, rejectsWith, tempDir, writeFixture } from '../data/testdata/files.js';
import { encodeModel } from './artifact.js';
import type { ModelBody } from './types.js';

let dir = '';
before(() => {
  dir = tempDir('nadir-artifact-');
});
after(() => rmSync(dir, { recursive: true, force: true }));

// Here, above both the data loader and the model file, so that the loader's recogniser is
// checked against files the real writer produced.
describe('the data loader refuses a model file', () => {
  it('a nadir model file, whatever its name, gzip\'d or not, from a file or a stream', async () => {
    const text = JSON.stringify({ kind: 'nadir-model', pad: Array.from({ length: 2000 }, (_, i) => `w${(i * 7919) % 1000}`) });
    const model = encodeModel(JSON.parse(text) as ModelBody);
    const plain = gunzipSync(model);
    for (const [name, bytes] of [['model.nadir', model], ['flows.csv', model], ['flows.csv.gz', model], ['flows.jsonl', model], ['flows.parquet', model], ['plain.nadir', plain]] as const) {
      const p = writeFixture(dir, name, bytes);
      await rejectsWith(loadData(p), 'NADIR_ERR_BAD_INPUT', new RegExp(`^${p.replace(/[.]/g, '\\.')} is a nadir model file, not a dataset \\(give it as model\\)$`));
    }
    // in chunks of any size (a pipe may hand over a few bytes first)
    for (const bytes of [model, plain]) {
      for (const size of [5, 1 << 16]) {
        await rejectsWith(readJsonl(readStream(chunksOf(bytes, size), 'stdin'), 'stdin'), 'NADIR_ERR_BAD_INPUT', /^stdin is a nadir model file, not a dataset \(give it as model\)$/);
      }
    }
    assert.equal(isModelFile(model.subarray(0, 4096)), true);
    assert.equal(isModelFile(model.subarray(0, 40)), false, 'too little to tell: read as data');
    assert.equal(isModelFile(gzipSync(Buffer.from('NADIR-MODELS,a\n1,2\n'))), false);
    assert.equal(isModelFile(Buffer.from('nadir-model 1\n')), false);
    // a stream of data goes through unchanged
    const rows = await readJsonl(readStream(chunksOf(Buffer.from('{"a":1}\n{"a":2}\n'), 3), 'stdin'), 'stdin');
    assert.equal(rows.nRows, 2);
  });
});
