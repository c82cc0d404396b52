import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { loadDataset } from '../load.js';
import { buildTarget, classCounts } from '../target.js';
import type { Column, Dataset } from '../types.js';
import { getColumn } from '../types.js';
import { NSL_KDD_CATEGORIES, NSL_KDD_COLUMNS } from './nsl-kdd.js';

const TRAIN = 'data/nsl-kdd/KDDTrain+_20Percent.txt.gz';
const TEST = 'data/nsl-kdd/KDDTest+.txt.gz';
const TEST21 = 'data/nsl-kdd/KDDTest-21.txt.gz';

/** The naive reading, as an independent oracle: gunzip, split lines and commas, Number() per cell. */
function naive(path: string): string[][] {
  return gunzipSync(readFileSync(path))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(','));
}

function tally(xs: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

function col(d: Dataset, name: string): Column {
  const c = getColumn(d.features, name);
  assert.ok(c, name);
  return c;
}

describe('NSL-KDD, the bundled files', () => {
  it('KDDTest+: 22,544 rows, 41 features, 9,711 normal / 12,833 attack, the usual categories', async () => {
    const d = await loadDataset(TEST);
    assert.equal(d.format, 'nsl-kdd');
    assert.equal(d.features.nRows, 22544);
    assert.equal(d.features.columns.length, 41);
    assert.equal(d.skippedRows, 0);
    assert.deepEqual(d.features.columns.map((c) => c.name), NSL_KDD_COLUMNS.slice(0, 41));
    const bin = buildTarget(d, 'binary');
    assert.deepEqual(bin.classes, ['normal', 'attack']);
    assert.deepEqual(classCounts(bin), [9711, 12833]);
    const cat = buildTarget(d, 'category');
    assert.deepEqual(cat.classes, ['normal', 'DoS', 'Probe', 'R2L', 'U2R']);
    assert.deepEqual(classCounts(cat), [9711, 7458, 2421, 2754, 200]);
    // categorical columns as the README says
    assert.deepEqual(d.features.columns.filter((c) => c.kind === 'categorical').map((c) => c.name), ['protocol_type', 'service', 'flag']);
    const proto = col(d, 'protocol_type');
    assert.deepEqual(proto.kind === 'categorical' ? [...proto.dictionary].sort() : [], ['icmp', 'tcp', 'udp']);
  });

  it('KDDTrain+_20Percent: 25,192 rows, 13,449 normal; KDDTest-21: 11,850 rows', async () => {
    const d = await loadDataset(TRAIN);
    assert.equal(d.features.nRows, 25192);
    assert.equal(d.features.columns.length, 41);
    assert.deepEqual(classCounts(buildTarget(d, 'binary')), [13449, 11743]);
    assert.deepEqual(classCounts(buildTarget(d, 'category')), [13449, 9234, 2289, 209, 11]);
    const t21 = await loadDataset(TEST21);
    assert.equal(t21.features.nRows, 11850);
    assert.deepEqual(classCounts(buildTarget(t21, 'binary')), [2152, 9698]);
  });

  it('agrees cell for cell with a naive reading of the file', async () => {
    const rows = naive(TRAIN);
    const d = await loadDataset(TRAIN);
    assert.equal(rows.length, d.features.nRows);
    for (let j = 0; j < 41; j++) {
      const c = d.features.columns[j]!;
      for (let i = 0; i < rows.length; i++) {
        const cell = rows[i]![j]!;
        if (c.kind === 'numeric') assert.ok(Object.is(c.values[i], Number(cell)), `${c.name} row ${i + 1}: ${c.values[i]} vs ${cell}`);
        else assert.equal(c.dictionary[c.codes[i]!], cell, `${c.name} row ${i + 1}`);
      }
    }
    // labels and their categories from the README map
    const labels = rows.map((r) => r[41]!);
    assert.deepEqual(Array.from(d.labels.codes, (k) => d.labels.dictionary[k]), labels);
    const cats = tally(labels.map((l) => (l === 'normal' ? 'normal' : NSL_KDD_CATEGORIES[l]!)));
    const cat = buildTarget(d, 'category');
    assert.deepEqual(classCounts(cat), cat.classes.map((c) => cats.get(c) ?? 0));
  });

  it('reports the known findings: constant num_outbound_cmds, labels seen once, no duplicate rows', async () => {
    const d = await loadDataset(TRAIN);
    const constant = d.findings.filter((f) => f.code === 'constant-column').map((f) => f.column);
    assert.ok(constant.includes('num_outbound_cmds'));
    // is_host_login is 0 on every row of the 20% subset (it is 1 on a few rows of the full set)
    assert.deepEqual(constant, ['num_outbound_cmds', 'is_host_login']);
    const once = d.findings.find((f) => f.code === 'single-label');
    const naiveOnce = [...tally(naive(TRAIN).map((r) => r[41]!))].filter(([, n]) => n === 1).map(([l]) => l).sort();
    assert.deepEqual([...(once?.examples ?? [])].sort(), naiveOnce);
    assert.equal(d.findings.some((f) => f.code === 'duplicate-rows'), false);
    assert.equal(d.findings.some((f) => f.code === 'missing-values' || f.code === 'infinity' || f.code === 'mixed-types'), false);
    const test = await loadDataset(TEST);
    assert.deepEqual(test.findings.filter((f) => f.code === 'constant-column').map((f) => f.column), ['num_outbound_cmds']);
  });

  it('a test target built with the training classes marks attacks never seen in training as -1', async () => {
    const [train, test] = await Promise.all([loadDataset(TRAIN), loadDataset(TEST)]);
    const trainLabels = buildTarget(train, 'label');
    assert.equal(trainLabels.classes[0], 'normal');
    const fixed = buildTarget(test, 'label', { classes: trainLabels.classes });
    assert.deepEqual(fixed.classes, trainLabels.classes);
    const known = new Set(trainLabels.classes);
    const unseen = naive(TEST).filter((r) => !known.has(r[41]!)).length;
    assert.ok(unseen > 0);
    assert.equal(Array.from(fixed.y).filter((v) => v === -1).length, unseen);
    // and every seen label keeps the training index
    for (let i = 0; i < fixed.y.length; i++) {
      const y = fixed.y[i]!;
      if (y >= 0) assert.equal(fixed.classes[y], test.labels.dictionary[test.labels.codes[i]!]);
    }
  });
});
