import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dataFromRecords, requireLabel } from './load.js';
import { buildTarget, classCounts } from './target.js';
import type { Dataset } from './types.js';

function dataset(labels: Array<string | null>, normal?: string[]): Dataset {
  const recs = labels.map((label, i) => ({ x: i, label }));
  // rows without a label are dropped by the loader; build one by hand to keep them
  const d = requireLabel(dataFromRecords(recs.filter((r) => r.label !== null), normal ? { normal } : {}));
  return d;
}

describe('buildTarget', () => {
  it('binary: normal = 0, attack = 1, normal values compared case-insensitively', () => {
    const d = dataset(['normal', 'neptune', 'Normal', 'smurf', 'NORMAL']);
    const t = buildTarget(d, 'binary');
    assert.deepEqual(t.classes, ['normal', 'attack']);
    assert.deepEqual(Array.from(t.y), [0, 1, 0, 1, 0]);
    assert.deepEqual(classCounts(t), [3, 2]);
  });

  it('binary honours the normal values of the dataset (BENIGN, 0, or given)', () => {
    assert.deepEqual(Array.from(buildTarget(dataset(['BENIGN', 'DDoS']), 'binary').y), [0, 1]);
    assert.deepEqual(Array.from(buildTarget(dataset(['0', '1', '0']), 'binary').y), [0, 1, 0]);
    assert.deepEqual(Array.from(buildTarget(dataset(['ok', 'bad'], ['ok']), 'binary').y), [0, 1]);
  });

  it('label: normal values first, then the others alphabetically; y follows that order', () => {
    const t = buildTarget(dataset(['smurf', 'normal', 'back', 'smurf']), 'label');
    assert.deepEqual(t.classes, ['normal', 'back', 'smurf']);
    assert.deepEqual(Array.from(t.y), [2, 0, 1, 2]);
  });

  it('category: normal first, then the categories alphabetically', () => {
    const d = dataset(['generic-b', 'normal', 'generic-a']);
    const t = buildTarget(d, 'category');
    assert.deepEqual(t.classes, ['normal', 'generic-a', 'generic-b']);
    assert.deepEqual(Array.from(t.y), [2, 0, 1]);
  });

  it('fixed classes: the given order, values outside it become -1 and are not counted', () => {
    const d = dataset(['b', 'a', 'zz', 'b']);
    const t = buildTarget(d, 'label', { classes: ['b', 'a'] });
    assert.deepEqual(t.classes, ['b', 'a']);
    assert.deepEqual(Array.from(t.y), [0, 1, -1, 0]);
    assert.deepEqual(classCounts(t), [2, 1]);
  });

  it('a row without a label gets -1', () => {
    const base = dataset(['normal', 'x']);
    const labels = { ...base.labels, codes: Int32Array.from([0, -1]) };
    const d: Dataset = { ...base, labels, categories: { ...base.categories, codes: Int32Array.from([0, -1]) } };
    assert.deepEqual(Array.from(buildTarget(d, 'binary').y), [0, -1]);
    assert.deepEqual(Array.from(buildTarget(d, 'label').y), [0, -1]);
    assert.deepEqual(classCounts(buildTarget(d, 'label')), [1]);
  });
});

describe('no label value counts as normal', () => {
  it('loadDataset warns, naming the file, the values and the --normal option; the finding is kept', async () => {
    const { loadDataset } = await import('./load.js');
    const { collect, tempDir, writeFixture } = await import('./testdata/files.js');
    const dir = tempDir();
    const rows = ['benign-traffic', 'dos', 'scan', 'benign-traffic', 'probe', 'exfil', 'brute', 'worm'].map((l, i) => `${i},${l}`);
    const path = writeFixture(dir, 'custom.csv', `x,label\n${rows.join('\n')}\n`);
    const logger = collect();
    const ds = await loadDataset(path, { logger });
    const msg = `no label value counts as normal in ${path} (values: benign-traffic, dos, scan, probe, exfil, brute, …); name the normal ones with normal <value>`;
    assert.deepEqual(logger.warnings.filter((w) => w.code === 'no-normal-label').map((w) => w.message), [msg]);
    assert.equal(ds.findings.find((f) => f.code === 'no-normal-label')?.message, msg);
    // with --normal the value counts, and there is nothing to say
    const ok = collect();
    const ds2 = await loadDataset(path, { logger: ok, normal: ['Benign-Traffic'] });
    assert.equal(ok.warnings.filter((w) => w.code === 'no-normal-label').length, 0);
    assert.deepEqual(classCounts(buildTarget(ds2, 'binary')), [2, 6]);
  });

  it('not when some value is normal', () => {
    const d = dataset(['normal', 'neptune']);
    assert.equal(d.findings.some((f) => f.code === 'no-normal-label'), false);
  });
});
